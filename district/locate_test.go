package district_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

func musterstadtGeo(t testing.TB) *district.Directory {
	t.Helper()
	d, err := district.LoadFS(os.DirFS("testdata/musterstadt-geo"), "districts.json")
	require.NoError(t, err)
	return d
}

func TestLocate(t *testing.T) {
	d := musterstadtGeo(t)
	require.Equal(t, []district.Method{district.Geometry, district.Streets, district.PostalCode}, d.Order())
	tests := []struct {
		name     string
		q        district.Query
		district string
		method   district.Method
		area     string
	}{
		{"a point inside a polygon decides", district.Query{Point: geo.Point{Lat: 50.06, Lon: 10.02}}, "nord", district.Geometry, "Nordstadt"},
		{"a point in a hole belongs to the district that fills it", district.Query{Point: geo.Point{Lat: 50.075, Lon: 10.05}}, "hafen", district.Geometry, "Hafeninsel und Kai"},
		{"a point in the second polygon of a multipolygon", district.Query{Point: geo.Point{Lat: 50.02, Lon: 10.12}}, "hafen", district.Geometry, "Hafeninsel und Kai"},
		{"geometry wins over the address", district.Query{Point: geo.Point{Lat: 50.02, Lon: 10.05}, Address: geo.Address{Street: "Kaiweg", PostalCode: "12346"}}, "sued", district.Geometry, "Südstadt"},
		{"without a point the street directory decides", district.Query{Address: geo.Address{Street: "Kaiweg", HouseNumber: "3", PostalCode: "12346"}}, "hafen", district.Streets, ""},
		{"street names are folded before matching", district.Query{Address: geo.Address{Street: "HAFEN-STRASSE 12", PostalCode: "12346"}}, "hafen", district.Streets, ""},
		{"a house-number range of the directory", district.Query{Address: geo.Address{Street: "Hafenstr.", HouseNumber: "120", PostalCode: "12346"}}, "sued", district.Streets, ""},
		{"a street entry bound to a postal code", district.Query{Address: geo.Address{Street: "Mühlenweg", HouseNumber: "3", PostalCode: "12347"}}, "sued", district.Streets, ""},
		{"a street the directory lacks falls back to the postal code", district.Query{Address: geo.Address{Street: "Ackerweg", HouseNumber: "3", PostalCode: "12345"}}, "nord", district.PostalCode, ""},
		{"the postal code's street rules still apply last", district.Query{Address: geo.Address{Street: "Lange Str.", HouseNumber: "4", PostalCode: "12346"}}, "sued", district.PostalCode, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := d.Locate(tc.q)
			require.NoError(t, err)
			assert.Equal(t, tc.district, r.District.ID)
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.area, r.Area)
		})
	}

	t.Run("a point outside the city is not resident", func(t *testing.T) {
		_, err := d.Locate(district.Query{Point: geo.Point{Lat: 50.2, Lon: 10.2}, Address: geo.Address{Street: "Kaiweg", PostalCode: "12346"}})
		require.ErrorIs(t, err, district.ErrOutside)
		assert.False(t, d.Contains(geo.Point{Lat: 50.2, Lon: 10.2}))
		assert.True(t, d.Contains(geo.Point{Lat: 50.02, Lon: 10.12}))
	})
	t.Run("an address with a foreign postal code is not resident", func(t *testing.T) {
		_, err := d.Locate(district.Query{Address: geo.Address{Street: "Königsallee", HouseNumber: "1", PostalCode: "40212"}})
		require.ErrorIs(t, err, district.ErrOutside)
		require.ErrorIs(t, err, district.ErrUnknownPostalCode)
	})
	t.Run("an address the rules cannot decide is ambiguous, never guessed", func(t *testing.T) {
		_, err := d.Locate(district.Query{Address: geo.Address{Street: "Ackerweg", HouseNumber: "3", PostalCode: "12346"}})
		var amb *district.AmbiguousError
		require.ErrorAs(t, err, &amb)
		assert.Equal(t, []string{"nord", "sued", "hafen"}, ids(amb.Candidates))
	})
	t.Run("a query without point or address is undecided", func(t *testing.T) {
		_, err := d.Locate(district.Query{})
		require.ErrorIs(t, err, district.ErrUnknownPostalCode)
	})
	t.Run("Resolve uses the order without geometry", func(t *testing.T) {
		got, err := d.Resolve(geo.Address{Street: "Kaiweg", PostalCode: "12346"})
		require.NoError(t, err)
		assert.Equal(t, "hafen", got.ID)
	})
	t.Run("DistrictOf returns the id", func(t *testing.T) {
		id, err := d.DistrictOf(geo.Address{}, geo.Point{Lat: 50.02, Lon: 10.05})
		require.NoError(t, err)
		assert.Equal(t, "sued", id)
	})
}

func TestLocateOrder(t *testing.T) {
	areas := func(t *testing.T) []district.Area {
		f, err := os.Open("testdata/musterstadt-geo/boundaries.geojson")
		require.NoError(t, err)
		defer f.Close()
		a, err := district.ReadBoundaries(f, district.Boundaries{Property: "bezirk_nr", Match: "number"}, musterDistricts)
		require.NoError(t, err)
		require.Len(t, a, 3)
		return a
	}(t)
	streets := []district.StreetEntry{{Street: "Kaiweg", District: "hafen"}}
	rules := []district.PostalRule{{PostalCode: "12346", Districts: []string{"sued"}}}
	t.Run("the postal code first when the city says so", func(t *testing.T) {
		d, err := district.Build(district.Config{Districts: musterDistricts, PostalCodes: rules, Streets: streets, Areas: areas,
			Order: []district.Method{district.PostalCode, district.Streets}})
		require.NoError(t, err)
		r, err := d.Locate(district.Query{Address: geo.Address{Street: "Kaiweg", PostalCode: "12346"}, Point: geo.Point{Lat: 50.075, Lon: 10.05}})
		require.NoError(t, err)
		assert.Equal(t, "sued", r.District.ID)
		assert.Equal(t, district.PostalCode, r.Method)
	})
	t.Run("a geometry-only directory cannot decide an address", func(t *testing.T) {
		d, err := district.Build(district.Config{Districts: musterDistricts, Areas: areas})
		require.NoError(t, err)
		_, err = d.Locate(district.Query{Address: geo.Address{Street: "Kaiweg", PostalCode: "12346"}})
		require.ErrorIs(t, err, district.ErrUndecided)
	})
	t.Run("an order naming a method without data is refused", func(t *testing.T) {
		_, err := district.Build(district.Config{Districts: musterDistricts, PostalCodes: rules,
			Order: []district.Method{district.Geometry, district.PostalCode, district.PostalCode, 9}})
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("order[0]", district.CodeMethodNoData), "%v", l)
		assert.True(t, l.Has("order[2]", district.CodeMethodTwice), "%v", l)
		assert.True(t, l.Has("order[3]", district.CodeMethod), "%v", l)
	})
	t.Run("overlapping street entries for different districts are refused", func(t *testing.T) {
		_, err := district.Build(district.Config{Districts: musterDistricts, Streets: []district.StreetEntry{
			{Street: "Hafenstraße", From: 1, To: 99, District: "hafen"},
			{Street: "Hafen-Str.", From: 50, District: "sued"},
			{Street: "", District: "elsewhere"},
		}})
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("streets[1]", district.CodeOverlap), "%v", l)
		assert.True(t, l.Has("streets[2].street", district.CodeStreetMissing), "%v", l)
		assert.True(t, l.Has("streets[2].district", district.CodeUnknownDistrict), "%v", l)
	})
	t.Run("a tolerance takes a point just outside into the nearest district", func(t *testing.T) {
		justSouth := geo.Point{Lat: 49.9997, Lon: 10.05} // about 33 m south of Süd
		strict, err := district.Build(district.Config{Districts: musterDistricts, Areas: areas})
		require.NoError(t, err)
		_, err = strict.Locate(district.Query{Point: justSouth})
		require.ErrorIs(t, err, district.ErrOutside)
		lenient, err := district.Build(district.Config{Districts: musterDistricts, Areas: areas, ToleranceM: 50})
		require.NoError(t, err)
		r, err := lenient.Locate(district.Query{Point: justSouth})
		require.NoError(t, err)
		assert.Equal(t, "sued", r.District.ID)
		assert.True(t, lenient.Contains(justSouth))
		_, err = lenient.Locate(district.Query{Point: geo.Point{Lat: 49.9997, Lon: 10.1}})
		var amb *district.AmbiguousError
		require.ErrorAs(t, err, &amb, "near the corner of Süd and Hafen")
		assert.Equal(t, []string{"sued", "hafen"}, ids(amb.Candidates))
	})
	t.Run("boundaries must cover every district", func(t *testing.T) {
		_, err := district.Build(district.Config{Districts: musterDistricts, Areas: areas[:2]})
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("districts[2]", district.CodeAreaMissing), "%v", l)
	})
}

var musterDistricts = []district.District{{ID: "nord", Number: 1, Name: "Nord"}, {ID: "sued", Number: 2, Name: "Süd"}, {ID: "hafen", Number: 3, Name: "Hafen"}}

func TestReadBoundaries(t *testing.T) {
	bad := []struct {
		name, doc string
		field     string
		code      problem.Code
	}{
		{"an unknown district number", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":7},"geometry":{"type":"Polygon","coordinates":[[[10,50],[11,50],[11,51],[10,50]]]}}]}`, "features[0].properties.n", district.CodeAreaDistrict},
		{"a point instead of a polygon", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[10,50]}}]}`, "features[0].geometry", district.CodeAreaGeometry},
		{"a ring of three points", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Polygon","coordinates":[[[10,50],[11,50],[10,50]]]}}]}`, "features[0].geometry", district.CodeAreaGeometry},
		{"a position of nulls", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Polygon","coordinates":[[[null,null],[11,50],[11,51],[10,50]]]}}]}`, "features[0].geometry", district.CodeAreaGeometry},
		{"latitude beyond the pole", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Polygon","coordinates":[[[10,95],[11,50],[11,51],[10,95]]]}}]}`, "features[0].geometry", district.CodeAreaGeometry},
	}
	for _, tc := range bad {
		t.Run("it refuses "+tc.name, func(t *testing.T) {
			_, err := district.ReadBoundaries(strings.NewReader(tc.doc), district.Boundaries{Property: "n", Match: "number"}, musterDistricts)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has(tc.field, tc.code), "%v", l)
		})
	}
	t.Run("it refuses what is not GeoJSON", func(t *testing.T) {
		_, err := district.ReadBoundaries(strings.NewReader(`{"type":"Feature"}`), district.Boundaries{Property: "n"}, musterDistricts)
		require.ErrorIs(t, err, district.ErrFormat)
	})
}

func TestReadStreets(t *testing.T) {
	t.Run("it reads a comma-separated directory with German parity words", func(t *testing.T) {
		got, err := district.ReadStreets(strings.NewReader("\uFEFFdistrict,street,parity,from\r\nnord,Lange Straße,gerade,2\r\nsued,Lange Straße,ungerade,\r\n"))
		require.NoError(t, err)
		assert.Equal(t, []district.StreetEntry{{Street: "Lange Straße", District: "nord", Parity: district.Even, From: 2},
			{Street: "Lange Straße", District: "sued", Parity: district.Odd}}, got)
	})
	t.Run("it names every bad cell", func(t *testing.T) {
		_, err := district.ReadStreets(strings.NewReader("street;from;to;parity;district\nA;x;1;;nord\nB;1;2;both;nord\n"))
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("line 2: column from", district.CodeStreetFile), "%v", l)
		assert.True(t, l.Has("line 3: column parity", district.CodeStreetFile), "%v", l)
	})
	t.Run("it needs the street and district columns", func(t *testing.T) {
		_, err := district.ReadStreets(strings.NewReader("strasse;bezirk\nA;nord\n"))
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("line 1: column street", district.CodeStreetFile), "%v", l)
	})
}

func TestLoadReferences(t *testing.T) {
	t.Run("Load refuses a file that names other files", func(t *testing.T) {
		f, err := os.Open("testdata/musterstadt-geo/districts.json")
		require.NoError(t, err)
		defer f.Close()
		_, err = district.Load(f)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("boundaries", district.CodeFileReference))
		assert.True(t, l.Has("streets_file", district.CodeFileReference))
	})
}

func FuzzReadBoundaries(f *testing.F) {
	data, err := os.ReadFile("testdata/musterstadt-geo/boundaries.geojson")
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"properties":{"bezirk_nr":1},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,2,null]]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		areas, err := district.ReadBoundaries(strings.NewReader(string(data)), district.Boundaries{Property: "bezirk_nr", Match: "number"}, musterDistricts)
		if err != nil {
			return
		}
		d, err := district.Build(district.Config{Districts: musterDistricts, Areas: areas})
		if err == nil {
			_, _ = d.Locate(district.Query{Point: geo.Point{Lat: 50.06, Lon: 10.02}})
		}
	})
}

func FuzzReadStreets(f *testing.F) {
	data, err := os.ReadFile("testdata/musterstadt-geo/streets.csv")
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte("street,district\n\"a,b\"\"\",nord\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := district.ReadStreets(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		d, err := district.Build(district.Config{Districts: musterDistricts, Streets: entries})
		if err == nil {
			_, _ = d.Locate(district.Query{Address: geo.Address{Street: "Kaiweg 1", PostalCode: "12346"}})
		}
	})
}

// BenchmarkLocate resolves the places of a Bochum year (8,861 children's
// addresses, or the same number of points) in one op.
func BenchmarkLocate(b *testing.B) {
	d := musterstadtGeo(b)
	const children = 8861
	streets := []string{"Kaiweg", "Hafenstraße", "Hafen-Str.", "Marktplatz", "Ackerweg", "Lange Str."}
	addrs := make([]district.Query, children)
	points := make([]district.Query, children)
	for i := range children {
		addrs[i] = district.Query{Address: geo.Address{Street: streets[i%len(streets)], HouseNumber: strconv.Itoa(1 + i%150), PostalCode: "12346"}}
		points[i] = district.Query{Point: geo.Point{Lat: 50.0 + float64(i%100)/1000, Lon: 10.0 + float64(i%150)/1000}}
	}
	for _, tc := range []struct {
		name string
		qs   []district.Query
	}{{"addresses", addrs}, {"points", points}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, q := range tc.qs {
					_, _ = d.Locate(q)
				}
			}
		})
	}
}
