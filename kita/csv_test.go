package kita_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

// bochumMapping reads a file shaped like a city's open-data export.
var bochumMapping = kita.CSVMapping{
	Columns: kita.CSVColumns{
		ID: "Nr", Name: "Einrichtung", CarrierName: "Träger", CarrierKind: "Trägerart",
		Street: "Straße", PostalCodeCity: "PLZ Ort", District: "Bezirk",
		Easting: "Rechtswert", Northing: "Hochwert",
		MinAge: "Alter ab", Hours: "Stunden", CapacityU3: "Plätze U3", CapacityO3: "Plätze Ü3",
	},
	Coordinates: kita.UTM32,
	AgeUnit:     kita.Years,
	CarrierKinds: map[string]kita.CarrierKind{
		"städtisch": kita.Municipal, "katholisch": kita.Catholic, "kath.": kita.Catholic,
		"evangelisch": kita.Protestant, "AWO": kita.Welfare,
	},
	Districts: map[string]string{"Mitte": "I", "Wattenscheid": "II", "Nord": "III"},
	Allowed:   kita.NRWHours,
}

const goodCSV = "\uFEFFNr;Einrichtung;Träger;Trägerart;Straße;PLZ Ort;Bezirk;Rechtswert;Hochwert;Alter ab;Stunden;Plätze U3;Plätze Ü3\n" +
	"101;Kita Rathaus;Stadt Bochum;städtisch;Willy-Brandt-Platz 2-6;44787 Bochum;Mitte;376136,7;5704913,9;0,5;25/35/45;10;40\n" +
	"102;\"Kita \"\"Arche\"\"; St. Maria\";Kath. Kirchengemeinde St. Maria;Katholisch;Straße des 17. Juni 3;44866 Bochum;Wattenscheid;365000;5706000;2;35;;50\n" +
	"102;\"Kita \"\"Arche\"\"; St. Maria\";Kath. Kirchengemeinde St. Maria;Katholisch;Straße des 17. Juni 3;44866 Bochum;Wattenscheid;;;3;45h;;\n" +
	";;;;;;;;;;;;\n"

func TestImportCSV(t *testing.T) {
	kitas, err := kita.ImportCSV(strings.NewReader(goodCSV), bochumMapping)
	require.NoError(t, err)
	require.Len(t, kitas, 2)

	t.Run("it reads every mapped column", func(t *testing.T) {
		k := kitas[0]
		assert.Equal(t, "101", k.ID)
		assert.Equal(t, "Kita Rathaus", k.Name)
		assert.Equal(t, kita.Carrier{Name: "Stadt Bochum", Kind: kita.Municipal}, k.Carrier)
		assert.Equal(t, geo.Address{Street: "Willy-Brandt-Platz", HouseNumber: "2-6", PostalCode: "44787", City: "Bochum"}, k.Address)
		assert.Equal(t, "I", k.District)
		assert.Equal(t, 6, k.MinAgeMonths)
		assert.Equal(t, kita.HoursOptions{25, 35, 45}, k.Hours)
		assert.Equal(t, 10, k.Capacity.Under3)
		assert.Equal(t, 40, k.Capacity.From3)
		assert.Less(t, geo.DistanceKm(k.Location, rathaus)*1000, 1.0, "UTM converted to within a metre")
	})
	t.Run("it merges rows of one facility", func(t *testing.T) {
		k := kitas[1]
		assert.Equal(t, `Kita "Arche"; St. Maria`, k.Name, "quoted fields with separators and quotes")
		assert.Equal(t, kita.Catholic, k.Carrier.Kind)
		assert.Equal(t, "Straße des 17. Juni", k.Address.Street)
		assert.Equal(t, "3", k.Address.HouseNumber)
		assert.Equal(t, kita.HoursOptions{35, 45}, k.Hours, "hours are the union")
		assert.Equal(t, 24, k.MinAgeMonths, "the lowest minimum age")
		assert.Equal(t, 50, k.Capacity.From3, "places from the row that has them")
		assert.Equal(t, "II", k.District)
	})
	t.Run("a comma-separated WGS84 file works as well", func(t *testing.T) {
		m := kita.CSVMapping{
			Columns: kita.CSVColumns{ID: "id", Name: "name", CarrierKind: "traeger", Street: "strasse",
				HouseNumber: "hnr", PostalCode: "plz", Lat: "lat", Lon: "lon", Hours: "std", CapacityO3: "o3"},
			Coordinates: kita.WGS84, City: "Musterstadt", DefaultCarrierKind: kita.OtherCarrier,
		}
		csv := "ID,Name,Traeger,Strasse,HNr,PLZ,Lat,Lon,Std,O3\r\na1,Kita A,Verein,Lange Str.,5 a,12345,51.5,7.2,\"25, 35\",20\r\n"
		kitas, err := kita.ImportCSV(strings.NewReader(csv), m)
		require.NoError(t, err)
		require.Len(t, kitas, 1)
		assert.Equal(t, geo.Address{Street: "Lange Str.", HouseNumber: "5 a", PostalCode: "12345", City: "Musterstadt"}, kitas[0].Address)
		assert.Equal(t, kita.OtherCarrier, kitas[0].Carrier.Kind)
		assert.Equal(t, geo.Point{Lat: 51.5, Lon: 7.2}, kitas[0].Location)
	})
}

func TestImportCSVProblems(t *testing.T) {
	header := "Nr;Einrichtung;Träger;Trägerart;Straße;PLZ Ort;Bezirk;Rechtswert;Hochwert;Alter ab;Stunden;Plätze U3;Plätze Ü3\n"
	row := func(cells string) string { return cells + "\n" }
	csv := header +
		row("1;Kita A;x;städtisch;Weg 1;4478 Bochum;Mitte;376000;5705000;1;25/35;10;10") + // line 2: postal code
		row("2;Kita B;x;unbekannt;Weg 1;44787 Bochum;Mitte;376000;5705000;1;25;10;10") + // line 3: carrier kind
		row("3;Kita C;x;städtisch;Weg 1;44787 Bochum;Mitte;376000;5705000;1;25/drei;10;10") + // line 4: hours
		row("4;Kita D;x;städtisch;Weg 1;44787 Bochum;Mitte;376000;5705000;1;30;10;zehn") + // line 5: number, hours not offered
		row("5;;x;städtisch;Weg 1;44787 Bochum;Mitte;376000;5705000;1;25;10;10") + // line 6: name missing
		row("6;Kita F;x;städtisch;Weg 1;44787 Bochum") + // line 7: field count
		row("7;Kita G;x;städtisch;Weg 1;44787 Bochum;Mitte;99999999;5705000;1;25;10;10") + // line 8: coordinates
		row("8;Kita H;x;städtisch;Weg 1;44787 Bochum;Mitte;376000;5705000;1;25;10;10") +
		row("8;Kita H2;x;städtisch;Weg 1;44787 Bochum;Mitte;376000;5705000;1;25;10;10") // line 10: conflict
	_, err := kita.ImportCSV(strings.NewReader(csv), bochumMapping)
	require.ErrorIs(t, err, problem.ErrInvalid)
	require.ErrorIs(t, err, kita.ErrCSV)
	var l problem.List
	require.ErrorAs(t, err, &l)
	for _, want := range []struct {
		field string
		code  problem.Code
	}{
		{"line 2: column PLZ Ort", kita.CodeCSVPostalCode},
		{"line 3: column Trägerart", kita.CodeCSVCarrierKind},
		{"line 4: column Stunden", kita.CodeCSVHours},
		{"line 5: column Plätze Ü3", kita.CodeCSVNumber},
		{"line 6: column Einrichtung", kita.CodeNameMissing},
		{"line 7", kita.CodeCSVFieldCount},
		{"line 8: column Rechtswert", kita.CodeCSVCoordinates},
		{"line 10: column Einrichtung", kita.CodeCSVConflict},
	} {
		assert.True(t, l.Has(want.field, want.code), "%s %s in %v", want.field, want.code, l)
	}
	assert.NotContains(t, err.Error(), "Kita", "no input values in errors")

	t.Run("hours the city does not allow are named at their column", func(t *testing.T) {
		_, err := kita.ImportCSV(strings.NewReader(header+row("4;Kita D;x;städtisch;Weg 1;44787 Bochum;Mitte;376000;5705000;1;30;10;10")), bochumMapping)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("line 2: column Stunden", kita.CodeHoursNotOffered), "%v", l)
	})
	t.Run("a missing column is named", func(t *testing.T) {
		_, err := kita.ImportCSV(strings.NewReader("Nr;Einrichtung\n1;A\n"), bochumMapping)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("line 1: column Stunden", kita.CodeCSVColumnMissing))
	})
	t.Run("a broken quote is a syntax problem", func(t *testing.T) {
		_, err := kita.ImportCSV(strings.NewReader(header+`1;"Kita "A";x`+"\n"), bochumMapping)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.Contains(t, l.Codes(), kita.CodeCSVSyntax)
	})
	t.Run("invalid UTF-8 is named", func(t *testing.T) {
		_, err := kita.ImportCSV(strings.NewReader(header+"1;K\xe4ta;x;städtisch;Weg 1;44787 Bochum;Mitte;376000;5705000;1;25;10;10\n"), bochumMapping)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("line 2: column Einrichtung", kita.CodeCSVEncoding))
	})
	t.Run("a header without rows holds no Kitas", func(t *testing.T) {
		_, err := kita.ImportCSV(strings.NewReader(header), bochumMapping)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("file", kita.CodeCSVNoRows))
	})
	t.Run("a bad mapping is reported before reading", func(t *testing.T) {
		_, err := kita.ImportCSV(strings.NewReader(goodCSV), kita.CSVMapping{Coordinates: kita.WGS84})
		require.ErrorIs(t, err, kita.ErrCSVMapping)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("columns.id", kita.CodeCSVMapping))
		assert.True(t, l.Has("columns.lat", kita.CodeCSVMapping))
	})
}

func TestImportCSVLimits(t *testing.T) {
	t.Run("it rejects a file over 16 MiB", func(t *testing.T) {
		big := bytes.Repeat([]byte("x"), kita.MaxCSVBytes+1)
		_, err := kita.ImportCSV(bytes.NewReader(big), bochumMapping)
		require.ErrorIs(t, err, kita.ErrCSVLimit)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("file", kita.CodeCSVTooLarge))
	})
	t.Run("it rejects more than 50,000 rows", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("id;name;hours\n")
		for range kita.MaxCSVRows + 1 {
			b.WriteString("1;a;25\n")
		}
		m := kita.CSVMapping{Columns: kita.CSVColumns{ID: "id", Name: "name", Hours: "hours"}}
		_, err := kita.ImportCSV(strings.NewReader(b.String()), m)
		require.ErrorIs(t, err, kita.ErrCSVLimit)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("file", kita.CodeCSVTooManyRows))
	})
	t.Run("it stops after 1,000 problems", func(t *testing.T) {
		m := kita.CSVMapping{Columns: kita.CSVColumns{ID: "id", Name: "name", Hours: "hours"}}
		_, err := kita.ImportCSV(strings.NewReader("id;name;hours\n"+strings.Repeat("x\n", 2000)), m)
		require.ErrorIs(t, err, kita.ErrCSVLimit)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.Len(t, l, kita.MaxCSVProblems+1)
	})
}

func TestCatalogueImportCSV(t *testing.T) {
	cat := testCatalogue(t)
	t.Run("a bad file changes nothing", func(t *testing.T) {
		require.Error(t, cat.ImportCSV(strings.NewReader(goodCSV+"103;X;x;städtisch;Weg 1;44787 Bochum;Mitte;abc;1;1;25;1;1\n"), bochumMapping))
		assert.Equal(t, 5, cat.Len())
	})
	t.Run("a good file replaces the catalogue", func(t *testing.T) {
		require.NoError(t, cat.ImportCSV(strings.NewReader(goodCSV), bochumMapping))
		assert.Equal(t, 2, cat.Len())
		_, ok := cat.Get("101")
		assert.True(t, ok)
	})
}

func FuzzImportCSV(f *testing.F) {
	f.Add([]byte(goodCSV))
	f.Add([]byte("Nr,Einrichtung\n1,A\n"))
	f.Add([]byte("Nr;Einrichtung;Stunden\n\"1;\"\"x\"\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		kitas, err := kita.ImportCSV(bytes.NewReader(data), bochumMapping)
		if err != nil {
			assert.ErrorIs(t, err, problem.ErrInvalid)
			return
		}
		// Valid output re-validates, as a whole catalogue.
		for _, k := range kitas {
			require.NoError(t, k.Validate(kita.NRWHours))
		}
		_, err = kita.NewCatalogue(kitas, kita.NRWHours)
		require.NoError(t, err)
	})
}
