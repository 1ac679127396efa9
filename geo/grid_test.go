package geo_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
)

// Reference values computed independently with PROJ's cs2cs (Rel. 9.1.1,
// Debian proj-bin), output to 8 decimals of a degree:
//
//	cs2cs +proj=tmerc +lat_0=0 +lon_0=<3·zone> +k=1 +x_0=<zone·1e6+500000> +y_0=0
//	      +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m
//	      +to +proj=longlat +datum=WGS84
//
// for Gauss–Krüger (DHDN, EPSG:31466–31468), and
//
//	cs2cs +proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m
//	      +to +proj=longlat +datum=WGS84
//
// for ETRS89 / UTM zone 33N (EPSG:25833).
var gaussKruegerReference = []struct {
	name         string
	zone         int
	rechts, hoch float64
	lat, lon     float64
}{
	{"Bochum in zone 2", 2, 2584000, 5705000, 51.47333759, 7.20838458},
	{"Bochum-Wattenscheid in zone 2", 2, 2577000, 5711000, 51.52825155, 7.10896602},
	{"Bochum in zone 3, far from its meridian", 3, 3376000, 5705000, 51.46599015, 7.21451094},
	{"Hamburg in zone 3", 3, 3565000, 5935000, 53.54247209, 9.97944202},
	{"Dresden in zone 4", 4, 4595000, 5656000, 51.03131774, 13.35276113},
	{"Upper Bavaria in zone 4", 4, 4411000, 5330000, 48.10182948, 10.80356753},
}

var utm33Reference = []struct {
	name     string
	e, n     float64
	lat, lon float64
}{
	{"Berlin", 389840, 5819700, 52.51626703, 13.37655410},
	{"Dresden", 411000, 5657000, 51.05762281, 13.73004909},
}

func TestFromGaussKrueger(t *testing.T) {
	for _, tc := range gaussKruegerReference {
		t.Run("it converts "+tc.name+" to within a metre of PROJ", func(t *testing.T) {
			p, err := geo.FromGaussKrueger(tc.zone, tc.rechts, tc.hoch)
			require.NoError(t, err)
			assert.Less(t, metres(p, geo.Point{Lat: tc.lat, Lon: tc.lon}), 1.0)
		})
	}
	bad := []struct {
		name         string
		zone         int
		rechts, hoch float64
	}{
		{"zone 1", 1, 1500000, 5700000},
		{"a Rechtswert of another zone", 3, 2584000, 5705000},
		{"a UTM easting without zone number", 2, 376000, 5705000},
		{"a northing beyond the pole", 2, 2584000, 9900000},
	}
	for _, tc := range bad {
		t.Run("it rejects "+tc.name, func(t *testing.T) {
			_, err := geo.FromGaussKrueger(tc.zone, tc.rechts, tc.hoch)
			require.ErrorIs(t, err, geo.ErrCoordinates)
		})
	}
}

func TestUTM33(t *testing.T) {
	for _, tc := range utm33Reference {
		t.Run("it converts "+tc.name+" to within a metre of PROJ", func(t *testing.T) {
			p, err := geo.FromUTM33(tc.e, tc.n)
			require.NoError(t, err)
			assert.Less(t, metres(p, geo.Point{Lat: tc.lat, Lon: tc.lon}), 1.0)
			e, n, err := geo.ToUTM33(p)
			require.NoError(t, err)
			assert.InDelta(t, tc.e, e, 0.001)
			assert.InDelta(t, tc.n, n, 0.001)
		})
	}
	t.Run("a zone 33 point read as zone 32 lands six degrees west", func(t *testing.T) {
		p, err := geo.FromUTM32(utm33Reference[0].e, utm33Reference[0].n)
		require.NoError(t, err)
		assert.InDelta(t, 7.4, p.Lon, 0.1)
	})
}
