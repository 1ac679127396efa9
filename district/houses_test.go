package district_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

func readHouses(t testing.TB, name string) *district.Gazetteer {
	t.Helper()
	f, err := os.Open("testdata/houses/" + name)
	require.NoError(t, err)
	defer f.Close()
	g, err := district.ReadHouseCoordinates(f)
	require.NoError(t, err)
	return g
}

func TestReadHouseCoordinates(t *testing.T) {
	g := readHouses(t, "hk_bochum.csv")
	kortum5 := geo.Point{Lat: 51.4812, Lon: 7.2165}
	for _, tc := range []struct {
		name string
		addr geo.Address
		want geo.Point
	}{
		{"the street as written finds the house", geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787"}, kortum5},
		{"an abbreviated street in lower case finds it", geo.Address{Street: "kortumstr.", HouseNumber: "5", PostalCode: "44787"}, kortum5},
		{"a street line with the number finds it", geo.Address{Street: "Kortumstrasse 5", PostalCode: "44787"}, kortum5},
		{"a house number with an addition finds it", geo.Address{Street: "Kortumstraße", HouseNumber: "7 A", PostalCode: "44787"}, geo.Point{Lat: 51.4815, Lon: 7.2170}},
		{"ß spelled out finds it", geo.Address{Street: "Grosse Beck-Strasse 12", PostalCode: "44787"}, geo.Point{Lat: 51.4826, Lon: 7.2120}},
		{"the postal code tells streets of the same name apart", geo.Address{Street: "Hauptstraße 3", PostalCode: "44866"}, geo.Point{Lat: 51.5000, Lon: 7.2000}},
		{"an abbreviation in the file is matched by the full name", geo.Address{Street: "Hauptstraße 3", PostalCode: "44892"}, geo.Point{Lat: 51.4450, Lon: 7.2600}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := g.Locate(tc.addr)
			require.True(t, ok)
			assert.Less(t, geo.DistanceKm(p, tc.want), 0.001)
		})
	}
	for _, tc := range []struct {
		name string
		addr geo.Address
	}{
		{"another house number is not found", geo.Address{Street: "Kortumstraße", HouseNumber: "6", PostalCode: "44787"}},
		{"a house without its addition is not found", geo.Address{Street: "Kortumstraße", HouseNumber: "7", PostalCode: "44787"}},
		{"another postal code is not found", geo.Address{Street: "Kortumstraße 5", PostalCode: "44789"}},
		{"a line to be deleted is not read", geo.Address{Street: "Alte Straße 1", PostalCode: "44787"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ok := g.Locate(tc.addr)
			assert.False(t, ok)
		})
	}
	t.Run("it counts the addresses read", func(t *testing.T) {
		assert.Equal(t, 6, g.Len())
	})
	t.Run("HK-DE without a header, with zone and decimal comma, gives the same points", func(t *testing.T) {
		de := readHouses(t, "hk_de.txt")
		assert.Equal(t, 2, de.Len())
		for _, a := range []geo.Address{{Street: "Kortumstraße 5", PostalCode: "44787"}, {Street: "Königsallee 40", PostalCode: "44789"}} {
			p, ok := de.Locate(a)
			require.True(t, ok)
			q, ok := g.Locate(a)
			require.True(t, ok)
			assert.Less(t, geo.DistanceKm(p, q), 0.0001)
		}
	})
	t.Run("a nil gazetteer knows no address", func(t *testing.T) {
		var none *district.Gazetteer
		_, ok := none.Locate(geo.Address{Street: "Kortumstraße 5", PostalCode: "44787"})
		assert.False(t, ok)
		assert.Equal(t, 0, none.Len())
	})
}

func TestReadHouseCoordinatesRefusesMalformedFiles(t *testing.T) {
	const header = "NBA;OI;QUA;LAN;RBZ;KRS;GMD;OTT;SSS;HNR;ADZ;EAST;NORTH;STN;PLZ;ONM;ZON;POT\n"
	for _, tc := range []struct {
		name  string
		input string
		want  []string
	}{
		{"a header without the street names the column", "NBA;HNR;EAST;NORTH;PLZ\n", []string{"line 1: column STN"}},
		{"every faulty line and column is reported at once", header +
			"N;x;A;05;9;11;000;0001;01234;5;;abc;5704846.665;Kortumstraße;44787;Bochum;;\n" +
			"N;x;A;05;9;11;000;0001;01234;5b;;376155.9;5704846.665;Kortumstraße;4478;Bochum;;\n" +
			"N;x;A;05;9;11;000;0001;01234;5;;376155.9;;Kortumstraße;44787;Bochum;;\n",
			[]string{"line 2: column EAST", "line 3: column HNR", "line 3: column PLZ", "line 4: column NORTH"}},
		{"text that is not UTF-8 is refused with its line", header + "N;x;A;05;9;11;000;0001;01234;5;;376155,9;5704846,6;K\xf6nigsallee;44787;Bochum;;\n", []string{"line 2"}},
		{"a line too short for its columns is refused", header + "N;x;A;05;9\n", []string{"line 2: column HNR", "line 2: column EAST"}},
		{"an easting in an unknown zone is refused", header +
			"N;x;A;05;9;11;000;0001;01234;5;;31376155,9;5704846,6;Kortumstraße;44787;Bochum;;\n", []string{"line 2: column EAST"}},
		{"a northing beyond the grid is refused", header +
			"N;x;A;05;9;11;000;0001;01234;5;;376155,9;99999999;Kortumstraße;44787;Bochum;;\n", []string{"line 2: column EAST"}},
		{"a quote is part of a street name, as HK-DE never quotes", header +
			"N;x;A;05;9;11;000;0001;01234;5;;376155,9;5704846,6;\"Kortum\"x;44787;Bochum;;\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := district.ReadHouseCoordinates(strings.NewReader(tc.input))
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, 1, g.Len())
				return
			}
			require.ErrorIs(t, err, district.ErrFormat)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.Nil(t, g)
			for _, f := range tc.want {
				assert.True(t, l.Has(f, district.CodeHouseFile), "%s in %v", f, l)
			}
			assert.NotContains(t, err.Error(), "Kortum")
		})
	}
}

func FuzzReadHouseCoordinates(f *testing.F) {
	for _, name := range []string{"hk_bochum.csv", "hk_de.txt"} {
		data, err := os.ReadFile("testdata/houses/" + name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("HNR;STN;PLZ;EAST;NORTH\n1;\"a;b\"\"\";44787;33000001,5;1e308\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := district.ReadHouseCoordinates(strings.NewReader(string(data)))
		if err != nil {
			var l problem.List
			require.ErrorAs(t, err, &l)
			return
		}
		for i := range g.Len() % 5 {
			p, ok := g.Locate(geo.Address{Street: fmt.Sprintf("a %d", i), PostalCode: "44787"})
			if ok {
				require.True(t, p.Valid())
			}
		}
	})
}

func TestLoadFSReadsHouseCoordinates(t *testing.T) {
	hk, err := os.ReadFile("testdata/houses/hk_bochum.csv")
	require.NoError(t, err)
	const dir = `{"districts": [{"id":"I","number":1,"name":"Mitte"}], "postal_codes": [{"postal_code":"44787","districts":["I"]}]`
	t.Run("a directory that names house coordinates locates addresses", func(t *testing.T) {
		fsys := fstest.MapFS{
			"city/districts.json": {Data: []byte(dir + `, "house_coordinates_file": "hk.csv"}`)},
			"city/hk.csv":         {Data: hk},
		}
		d, err := district.LoadFS(fsys, "city/districts.json")
		require.NoError(t, err)
		assert.Equal(t, 6, d.Houses().Len())
		_, ok := d.Houses().Locate(geo.Address{Street: "Kortumstraße 5", PostalCode: "44787"})
		assert.True(t, ok)
	})
	t.Run("a directory without them has none", func(t *testing.T) {
		d, err := district.LoadFS(fstest.MapFS{"districts.json": {Data: []byte(dir + `}`)}}, "districts.json")
		require.NoError(t, err)
		assert.Nil(t, d.Houses())
	})
	t.Run("a missing file is named", func(t *testing.T) {
		_, err := district.LoadFS(fstest.MapFS{"districts.json": {Data: []byte(dir + `, "house_coordinates_file": "hk.csv"}`)}}, "districts.json")
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("house_coordinates_file", district.CodeFileReference), "%v", l)
	})
	t.Run("a malformed file is reported with its name and line", func(t *testing.T) {
		fsys := fstest.MapFS{
			"districts.json": {Data: []byte(dir + `, "house_coordinates_file": "hk.csv"}`)},
			"hk.csv":         {Data: []byte("HNR;STN;PLZ;EAST;NORTH\n5;Kortumstraße;44787;x;5704846.6\n")},
		}
		_, err := district.LoadFS(fsys, "districts.json")
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("hk.csv.line 2: column EAST", district.CodeHouseFile), "%v", l)
	})
	t.Run("Load refuses a file reference it cannot follow", func(t *testing.T) {
		_, err := district.Load(strings.NewReader(dir + `, "house_coordinates_file": "hk.csv"}`))
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("house_coordinates_file", district.CodeFileReference), "%v", l)
	})
}

func TestGazetteerFind(t *testing.T) {
	g := readHouses(t, "hk_bochum.csv")
	t.Run("a one-line address is located", func(t *testing.T) {
		p, err := g.Find("address", "Kortumstraße 5, 44787 Bochum")
		require.NoError(t, err)
		assert.Less(t, geo.DistanceKm(p, geo.Point{Lat: 51.4812, Lon: 7.2165}), 0.001)
	})
	for _, tc := range []struct {
		name string
		g    *district.Gazetteer
		line string
		code problem.Code
	}{
		{"a line without a house number is unreadable", g, "Kortumstraße, 44787 Bochum", district.CodeAddressUnreadable},
		{"an address the file lacks is unknown", g, "Kortumstraße 99, 44787 Bochum", district.CodeAddressUnknown},
		{"a city without house coordinates says so", nil, "Kortumstraße 5, 44787 Bochum", district.CodeNoHouseCoordinates},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.g.Find("address", tc.line)
			require.ErrorIs(t, err, district.ErrAddress)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has("address", tc.code), "%v", l)
			assert.NotContains(t, err.Error(), "Kortum")
		})
	}
}

// bochumHouses is an HK-DE file the size of Bochum's (about 65,000
// addressed buildings), made up on a grid around the city centre.
func bochumHouses(n int) string {
	var b strings.Builder
	b.WriteString("NBA;OI;QUA;LAN;RBZ;KRS;GMD;OTT;SSS;HNR;ADZ;EAST;NORTH;STN;PLZ;ONM;ZON;POT;PSN;AUD\n")
	for i := range n {
		street, number := i/150, 1+i%150
		fmt.Fprintf(&b, "N;DENW%012d;A;05;9;11;000;0001;%05d;%d;;%.3f;%.3f;Straße %d;%d;Bochum;;;;\n",
			i, street, number, 370000+float64(i%250)*40, 5695000+float64(i/250)*40, street, 44700+street%100)
	}
	return b.String()
}

// BenchmarkReadHouseCoordinates reads Bochum's house coordinates in one op.
func BenchmarkReadHouseCoordinates(b *testing.B) {
	data := bochumHouses(65000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		g, err := district.ReadHouseCoordinates(strings.NewReader(data))
		if err != nil || g.Len() != 65000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkLocateAddress locates the addresses of a Bochum year (8,861
// children) in one op.
func BenchmarkLocateAddress(b *testing.B) {
	g, err := district.ReadHouseCoordinates(strings.NewReader(bochumHouses(65000)))
	require.NoError(b, err)
	const children = 8861
	addrs := make([]geo.Address, children)
	for i := range children {
		j := i * 7 % 65000
		street := j / 150
		addrs[i] = geo.Address{Street: fmt.Sprintf("Straße %d", street), HouseNumber: fmt.Sprint(1 + j%150), PostalCode: fmt.Sprint(44700 + street%100)}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range addrs {
			if _, ok := g.Locate(a); !ok {
				b.Fatal("not found")
			}
		}
	}
}
