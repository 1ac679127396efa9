package geo_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
)

// Reference values computed independently with the USGS formulas of Snyder
// ("Map Projections – A Working Manual", 1987, pp. 61–64) on GRS80, which
// agree with each other to below a millimetre.
var utmReference = []struct {
	name     string
	e, n     float64
	lat, lon float64
}{
	{"Bochum Rathaus", 376136.715, 5704913.893, 51.4818, 7.2162},
	{"Dortmund", 393506.835, 5708058.187, 51.5136, 7.4653},
	{"Aachen, far west of the zone", 294409.403, 5628892.411, 50.7753, 6.0839},
	{"Munich, far east of the zone", 691603.032, 5334780.031, 48.1374, 11.5755},
	{"Flensburg, near the central meridian", 527789.278, 6070796.687, 54.7836, 9.4321},
}

// metres between two points (small distances).
func metres(p, q geo.Point) float64 { return geo.DistanceKm(p, q) * 1000 }

func TestFromUTM32(t *testing.T) {
	for _, tc := range utmReference {
		t.Run("it converts "+tc.name+" to within a centimetre", func(t *testing.T) {
			p, err := geo.FromUTM32(tc.e, tc.n)
			require.NoError(t, err)
			assert.Less(t, metres(p, geo.Point{Lat: tc.lat, Lon: tc.lon}), 0.01)
		})
	}
	bad := []struct {
		name string
		e, n float64
	}{
		{"a negative easting", -1, 5700000},
		{"an easting beyond 1,000 km", 1000001, 5700000},
		{"a negative northing", 376000, -1},
		{"a northing beyond the pole", 376000, 9500000},
		{"NaN", math.NaN(), 5700000},
		{"infinity", 376000, math.Inf(1)},
	}
	for _, tc := range bad {
		t.Run("it rejects "+tc.name, func(t *testing.T) {
			_, err := geo.FromUTM32(tc.e, tc.n)
			require.ErrorIs(t, err, geo.ErrCoordinates)
		})
	}
}

func TestToUTM32(t *testing.T) {
	for _, tc := range utmReference {
		t.Run("it converts "+tc.name+" to within a centimetre", func(t *testing.T) {
			e, n, err := geo.ToUTM32(geo.Point{Lat: tc.lat, Lon: tc.lon})
			require.NoError(t, err)
			assert.InDelta(t, tc.e, e, 0.01)
			assert.InDelta(t, tc.n, n, 0.01)
		})
	}
	t.Run("it round-trips across Germany to within a millimetre", func(t *testing.T) {
		for lat := 47.0; lat <= 55.5; lat += 0.5 {
			for lon := 5.5; lon <= 15.5; lon += 0.5 {
				p := geo.Point{Lat: lat, Lon: lon}
				e, n, err := geo.ToUTM32(p)
				require.NoError(t, err)
				q, err := geo.FromUTM32(e, n)
				require.NoError(t, err)
				assert.Less(t, metres(p, q), 0.001, "at %v", p)
			}
		}
	})
	t.Run("it rejects the southern hemisphere", func(t *testing.T) {
		_, _, err := geo.ToUTM32(geo.Point{Lat: -10, Lon: 9})
		require.ErrorIs(t, err, geo.ErrCoordinates)
	})
}

func TestDistanceKm(t *testing.T) {
	bochum := geo.Point{Lat: 51.4818, Lon: 7.2162}
	dortmund := geo.Point{Lat: 51.5136, Lon: 7.4653}
	tests := []struct {
		name     string
		p, q     geo.Point
		min, max float64
	}{
		{"Bochum to Dortmund is about 17 km", bochum, dortmund, 16, 18},
		{"a point to itself is 0 km", bochum, bochum, 0, 0},
		{"Bochum to Munich is about 480 km", bochum, geo.Point{Lat: 48.1374, Lon: 11.5755}, 470, 490},
		{"antipodes are half the circumference", geo.Point{Lat: 0, Lon: 0}, geo.Point{Lat: 0, Lon: 180}, 20015, 20016},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := geo.DistanceKm(tc.p, tc.q)
			assert.GreaterOrEqual(t, d, tc.min)
			assert.LessOrEqual(t, d, tc.max)
			assert.InDelta(t, d, geo.DistanceKm(tc.q, tc.p), 1e-9, "distance is symmetric")
		})
	}
}

func TestPoint(t *testing.T) {
	assert.True(t, geo.Point{}.IsZero(), "the zero point is unset")
	assert.True(t, geo.Point{Lat: 51.5, Lon: 7.2}.Valid())
	assert.False(t, geo.Point{Lat: 91, Lon: 7.2}.Valid())
	assert.False(t, geo.Point{Lat: math.NaN(), Lon: 7.2}.Valid())
}

func TestSplitStreet(t *testing.T) {
	tests := []struct {
		line, street, number string
	}{
		{"Hauptstraße 12a", "Hauptstraße", "12a"},
		{"Hauptstraße 12 a", "Hauptstraße", "12a"},
		{"Am Alten Stadtpark 5-7", "Am Alten Stadtpark", "5-7"},
		{"Am Alten Stadtpark 5 - 7", "Am Alten Stadtpark", "5-7"},
		{"Straße des 17. Juni 3", "Straße des 17. Juni", "3"},
		{"Straße des 17. Juni", "Straße des 17. Juni", ""},
		{"Hauptstr.12", "Hauptstr.", "12"},
		{"Kortumstraße 12/1", "Kortumstraße", "12/1"},
		{"  Willy-Brandt-Platz   1 ", "Willy-Brandt-Platz", "1"},
		{"Hattinger Straße, 12", "Hattinger Straße", "12"},
		{"Hauptstraße 12a-12c", "Hauptstraße", "12a-12c"},
		{"Hauptstraße", "Hauptstraße", ""},
		{"12", "12", ""},
		{"", "", ""},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("it splits %q", tc.line), func(t *testing.T) {
			street, number := geo.SplitStreet(tc.line)
			assert.Equal(t, tc.street, street)
			assert.Equal(t, tc.number, number)
		})
	}
}

func TestNormalizeStreet(t *testing.T) {
	for _, s := range []string{"Herner Straße", "Herner Str.", "herner-strasse", "HERNER STRASSE", "Herner Str"} {
		t.Run(fmt.Sprintf("it folds %q", s), func(t *testing.T) {
			assert.Equal(t, "hernerstr", geo.NormalizeStreet(s))
		})
	}
	assert.Equal(t, geo.NormalizeStreet("Große Straße"), geo.NormalizeStreet("Grosse Strasse"))
	assert.Equal(t, geo.NormalizeStreet("Düsseldorfer Str."), geo.NormalizeStreet("Duesseldorfer Strasse"))
}

func TestHouseNumberValue(t *testing.T) {
	for s, want := range map[string]int{"12a": 12, "5-7": 5, " 3 ": 3} {
		n, ok := geo.HouseNumberValue(s)
		assert.True(t, ok)
		assert.Equal(t, want, n, s)
	}
	_, ok := geo.HouseNumberValue("a")
	assert.False(t, ok)
}

func ExampleFromUTM32() {
	// Bochum town hall in the grid of the city's open data.
	p, err := geo.FromUTM32(376136.715, 5704913.893)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.4f, %.4f\n", p.Lat, p.Lon)
	// Output: 51.4818, 7.2162
}

func TestParseAddressLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		want geo.Address
	}{
		{"street, number, postal code and city are read", "Kortumstraße 5, 44787 Bochum", geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"}},
		{"the city may be left out", "Kortumstr. 7 a,44787", geo.Address{Street: "Kortumstr.", HouseNumber: "7a", PostalCode: "44787"}},
		{"a comma before the number is kept with the street line", "Hattinger Straße, 12, 44789 Bochum Süd", geo.Address{Street: "Hattinger Straße", HouseNumber: "12", PostalCode: "44789", City: "Bochum Süd"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := geo.ParseAddressLine(tc.line)
			require.True(t, ok)
			assert.Equal(t, tc.want, a)
		})
	}
	for _, line := range []string{"Kortumstraße 5 44787 Bochum", "Kortumstraße, 44787 Bochum", "Kortumstraße 5, 4478 Bochum", "Kortumstraße 5, ", ""} {
		t.Run(fmt.Sprintf("%q is refused", line), func(t *testing.T) {
			_, ok := geo.ParseAddressLine(line)
			assert.False(t, ok)
		})
	}
}
