package kita_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

func importFile(t *testing.T, path string, m kita.CSVMapping, opt kita.ImportOptions) kita.ImportResult {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	res, err := kita.Import(f, m, opt)
	require.NoError(t, err, "%v", res.Report.Problems)
	return res
}

func byID(kitas []kita.Kita) map[string]kita.Kita {
	out := map[string]kita.Kita{}
	for _, k := range kitas {
		out[k.ID] = k
	}
	return out
}

// The forms other cities publish, each read with its layout alone
// (fixtures built by hand in the published shapes, testdata/forms).
func TestImportForms(t *testing.T) {
	t.Run("a comma-separated file with total places, group counts per band and no ids", func(t *testing.T) {
		m := kita.CSVMapping{
			Columns: kita.CSVColumns{Name: "Name", CarrierName: "Träger", CarrierKind: "Träger", Street: "Straße",
				PostalCode: "PLZ", City: "Ort", Places: "Plätze gesamt", GroupsU3: "Gruppen Krippe",
				GroupsO3: "Gruppen Elementar", Opening: "Öffnungszeiten", Easting: "Rechtswert", Northing: "Hochwert"},
			Coordinates: kita.UTM32, GenerateIDs: "FL-",
			CarrierKinds:       map[string]kita.CarrierKind{"Stadt Flensburg": kita.Municipal, "Ev.-Luth.": kita.Protestant, "AWO": kita.Welfare},
			DefaultCarrierKind: kita.OtherCarrier,
			Defaults:           kita.CSVDefaults{Hours: kita.HoursOptions{30, 40}},
			CarrierMaintained:  []string{kita.FieldHours},
		}
		res := importFile(t, "testdata/forms/flensburg.csv", m, kita.ImportOptions{})
		require.Len(t, res.Kitas, 4)
		assert.Equal(t, 5, res.Report.Rows)
		assert.Equal(t, 1, res.Report.Merged, "the repeated row is the same facility by its generated id")
		assert.Equal(t, ",", res.Report.Separator)
		k := res.Kitas[0]
		assert.True(t, strings.HasPrefix(k.ID, "FL-"), k.ID)
		assert.Equal(t, kita.Capacity{Under3: 20, From3: 40, Groups: []kita.Group{{Form: kita.FormII, Count: 2}, {Form: kita.FormIII, Count: 2}}}, k.Capacity)
		assert.Equal(t, "Stadt Flensburg, Fachbereich Jugend", k.Carrier.Name, "one column feeds the carrier's name …")
		assert.Equal(t, kita.Municipal, k.Carrier.Kind, "… and its kind")
		assert.Equal(t, kita.OpeningHours{Days: []time.Weekday{1, 2, 3, 4, 5}, Opens: "07:00", Close: "16:00"}, k.Opening)
		assert.Equal(t, kita.HoursOptions{30, 40}, k.Hours)
		assert.InDelta(t, 54.78, k.Location.Lat, 0.01)
		ev := res.Kitas[1]
		assert.Equal(t, kita.Protestant, ev.Carrier.Kind)
		assert.Equal(t, "07:30", ev.Opening.Opens)
		assert.Equal(t, "15:00", ev.Opening.Close)
		assert.Equal(t, "4a", ev.Address.HouseNumber)
		assert.Equal(t, kita.Capacity{Under3: 0, From3: 80, Groups: []kita.Group{{Form: kita.FormIII, Count: 4}}}, res.Kitas[2].Capacity)
		assert.Equal(t, "23-25", res.Kitas[2].Address.HouseNumber)
		assert.Equal(t, kita.OtherCarrier, res.Kitas[3].Carrier.Kind)
		assert.Equal(t, map[string]int{"hours": 4}, res.Report.Defaults)
		assert.Equal(t, []string{kita.FieldHours}, res.Report.CarrierMaintained[k.ID])

		again := importFile(t, "testdata/forms/flensburg.csv", m, kita.ImportOptions{})
		assert.Equal(t, k.ID, again.Kitas[0].ID, "generated ids are stable from one import to the next")
	})

	t.Run("a WGS84 file without addresses, with BOM, CRLF and quotes", func(t *testing.T) {
		m := kita.CSVMapping{
			Columns: kita.CSVColumns{ID: "Einrichtungsnummer", Name: "Einrichtungsname", CarrierKind: "Trägerart",
				CapacityU3: "Plätze unter 3", CapacityO3: "Plätze ab 3", Lat: "lat", Lon: "lon"},
			Coordinates: kita.WGS84,
			CarrierKinds: map[string]kita.CarrierKind{"Eigenbetrieb": kita.Municipal, "Elterninitiativkindertagesstätte": kita.ParentsInitiative,
				"freier Träger": kita.OtherCarrier},
			Defaults: kita.CSVDefaults{Hours: kita.HoursOptions{25, 35, 45}},
		}
		res := importFile(t, "testdata/forms/berlin.csv", m, kita.ImportOptions{})
		require.Len(t, res.Kitas, 3)
		k := byID(res.Kitas)
		assert.Equal(t, geo.Point{Lat: 52.52163, Lon: 13.41130}, k["1010001"].Location)
		assert.Equal(t, geo.Address{}, k["1010001"].Address)
		assert.Equal(t, `Kinderladen "Die Rübe" e.V.`, k["1010002"].Name)
		assert.Equal(t, kita.ParentsInitiative, k["1010002"].Carrier.Kind)
		assert.Equal(t, "utf-8 (byte-order mark)", res.Report.Encoding)
	})

	t.Run("a Windows-1252 file in UTM zone 33N with a sep= line and CRLF", func(t *testing.T) {
		m := kita.CSVMapping{
			Columns: kita.CSVColumns{ID: "Nr", Name: "Name", CarrierName: "Träger", Street: "Straße", PostalCode: "PLZ",
				City: "Ort", Easting: "Ostwert", Northing: "Nordwert", Hours: "Stunden", CapacityU3: "U3", CapacityO3: "Ü3"},
			Coordinates: kita.UTM33, Encoding: kita.Windows1252, DefaultCarrierKind: kita.OtherCarrier,
		}
		res := importFile(t, "testdata/forms/dresden-cp1252.csv", m, kita.ImportOptions{})
		require.Len(t, res.Kitas, 2)
		k := res.Kitas[0]
		assert.Equal(t, "Kita Pfiffikus – Haus 2", k.Name, "0x96 is the en dash of Windows-1252")
		assert.Equal(t, "Königstraße", k.Address.Street)
		assert.Equal(t, ";", res.Report.Separator)
		// Reference: PROJ cs2cs, EPSG:25833 → WGS84 (see geo/grid_test.go).
		assert.Less(t, geo.DistanceKm(k.Location, geo.Point{Lat: 51.05762281, Lon: 13.73004909})*1000, 1.0)

		t.Run("a UTF-8 file declared as Windows-1252 is refused, not garbled", func(t *testing.T) {
			csv := "Nr;Name;Träger;Straße;PLZ;Ort;Ostwert;Nordwert;Stunden;U3;Ü3\nD-1;Kita Bärenhöhle;x;Weg 1;01097;Dresden;411000;5657000;45;0;54\n"
			res, err := kita.Import(strings.NewReader(csv), m, kita.ImportOptions{})
			require.ErrorIs(t, err, kita.ErrCSV)
			assert.Equal(t, []kita.RowProblem{{Code: kita.CodeCSVEncodingLayout, Params: map[string]string{"encoding": "windows-1252"}}}, res.Report.Problems)
		})
		t.Run("read as UTF-8 it names the undecodable cells", func(t *testing.T) {
			m := m
			m.Encoding = 0
			f, err := os.Open("testdata/forms/dresden-cp1252.csv")
			require.NoError(t, err)
			defer f.Close()
			res, err := kita.Import(f, m, kita.ImportOptions{})
			require.ErrorIs(t, err, kita.ErrCSV)
			assert.Contains(t, res.Report.Problems, kita.RowProblem{Line: 2, Column: "Träger", Code: kita.CodeCSVColumnMissing},
				"the header's umlaut does not decode, so the column is missing")
		})
	})

	t.Run("a Latin-1 Gauss–Krüger export", func(t *testing.T) {
		m := kita.CSVMapping{
			Columns: kita.CSVColumns{ID: "Kennung", Name: "Bezeichnung", CarrierKind: "Trägerart", Street: "Anschrift",
				PostalCodeCity: "PLZ_Ort", Easting: "RW", Northing: "HW", Hours: "Betreuung", MinAge: "Alter_von",
				CapacityU3: "Plätze_U3", CapacityO3: "Plätze_Ü3"},
			Coordinates: kita.GK2, Encoding: kita.Latin1, AgeUnit: kita.Years,
			CarrierKinds: map[string]kita.CarrierKind{"städtisch": kita.Municipal, "katholisch": kita.Catholic},
		}
		res := importFile(t, "testdata/forms/gk-latin1.csv", m, kita.ImportOptions{Area: bochumBox})
		require.Len(t, res.Kitas, 2)
		// Reference: PROJ cs2cs, EPSG:31466 with +towgs84 (see geo/grid_test.go).
		assert.Less(t, geo.DistanceKm(res.Kitas[0].Location, geo.Point{Lat: 51.47333759, Lon: 7.20838458})*1000, 1.0)
		assert.Less(t, geo.DistanceKm(res.Kitas[1].Location, geo.Point{Lat: 51.52825155, Lon: 7.10896602})*1000, 1.0)
		assert.Equal(t, "Grüne Höhe", strings.TrimPrefix(res.Kitas[1].Name, "Kita "))
		assert.Equal(t, 12, res.Kitas[0].MinAgeMonths)
	})
}

// bochumBox is Bochum's outline box (municipality/bochum/districts.json).
var bochumBox = geo.BBox{MinLat: 51.41, MinLon: 7.10, MaxLat: 51.54, MaxLon: 7.35}

func TestImportPlausibility(t *testing.T) {
	wgs := kita.CSVMapping{Columns: kita.CSVColumns{ID: "id", Name: "name", Hours: "h", CapacityO3: "o3", Lat: "lat", Lon: "lon"},
		Coordinates: kita.WGS84, DefaultCarrierKind: kita.OtherCarrier}
	utm := kita.CSVMapping{Columns: kita.CSVColumns{ID: "id", Name: "name", Hours: "h", CapacityO3: "o3", Easting: "x", Northing: "y"},
		Coordinates: kita.UTM32, DefaultCarrierKind: kita.OtherCarrier}
	dresden := geo.BBox{MinLat: 50.97, MinLon: 13.57, MaxLat: 51.18, MaxLon: 13.97}
	tests := []struct {
		name   string
		m      kita.CSVMapping
		area   kita.Area
		csv    string
		line   int
		column string
		code   problem.Code
	}{
		{"latitude and longitude swapped", wgs, bochumBox, "id;name;h;o3;lat;lon\n1;A;25;10;51.48;7.21\n2;B;25;10;7.2162;51.4818\n", 3, "lat", kita.CodeCSVSwapped},
		{"a point in northern France", wgs, bochumBox, "id;name;h;o3;lat;lon\n1;A;25;10;50.63;3.06\n", 2, "lat", kita.CodeCSVOutside},
		{"a UTM zone 33 file read as zone 32", utm, dresden, "id;name;h;o3;x;y\n1;A;25;10;411000;5657000\n", 2, "x", kita.CodeCSVZone},
		{"a thousands separator in the northing", utm, bochumBox, "id;name;h;o3;x;y\n1;A;25;10;376136;5.704.913\n", 2, "y", kita.CodeCSVThousands},
		{"a thousands separator in the easting", utm, bochumBox, "id;name;h;o3;x;y\n1;A;25;10;376.136;5704913\n", 2, "x", kita.CodeCSVThousands},
		{"a point outside Germany without a city area", wgs, nil, "id;name;h;o3;lat;lon\n1;A;25;10;40.4;-3.7\n", 2, "lat", kita.CodeCSVOutside},
		{"swapped in Germany without a city area", wgs, nil, "id;name;h;o3;lat;lon\n1;A;25;10;13.4;52.5\n", 2, "lat", kita.CodeCSVSwapped},
		{"one coordinate of two", utm, bochumBox, "id;name;h;o3;x;y\n1;A;25;10;376136;\n", 2, "y", kita.CodeCSVCoordinates},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is a row problem with line and column", func(t *testing.T) {
			res, err := kita.Import(strings.NewReader(tc.csv), tc.m, kita.ImportOptions{Area: tc.area})
			require.ErrorIs(t, err, kita.ErrCSV)
			assert.Nil(t, res.Kitas)
			require.Len(t, res.Report.Problems, 1, "%v", res.Report.Problems)
			p := res.Report.Problems[0]
			assert.Equal(t, tc.line, p.Line)
			assert.Equal(t, tc.column, p.Column)
			assert.Equal(t, tc.code, p.Code)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has("line "+strconv.Itoa(tc.line)+": column "+tc.column, tc.code), "%v", l)
		})
	}
}

func TestImportDuplicateRule(t *testing.T) {
	m := kita.CSVMapping{
		Columns:      kita.CSVColumns{ID: "poi_id", Name: "name", CarrierKind: "kategorie", Hours: "hours", CapacityO3: "o3"},
		CarrierKinds: map[string]kita.CarrierKind{"Kath. Kindertagesstätten": kita.Catholic, "Heilpädagogische Tagesstätten": kita.OtherCarrier},
		Duplicates:   kita.DuplicateRule{PrimaryColumn: "erstkateg", PrimaryValue: "1", Merge: []string{"hours"}},
	}
	header := "poi_id;name;kategorie;erstkateg;hours;o3\n"
	t.Run("the primary row decides, listed fields are merged from all rows", func(t *testing.T) {
		csv := header + "7;Kita A;Heilpädagogische Tagesstätten;0;45;12\n7;Kita A;Kath. Kindertagesstätten;1;25/35;40\n8;Kita B;Kath. Kindertagesstätten;1;35;20\n"
		res, err := kita.Import(strings.NewReader(csv), m, kita.ImportOptions{})
		require.NoError(t, err)
		require.Len(t, res.Kitas, 2)
		assert.Equal(t, kita.Catholic, res.Kitas[0].Carrier.Kind)
		assert.Equal(t, 40, res.Kitas[0].Capacity.From3, "the primary row's places, no conflict with the other row")
		assert.Equal(t, kita.HoursOptions{25, 35, 45}, res.Kitas[0].Hours, "hours merged from both rows")
		assert.Equal(t, 1, res.Report.Merged)
		assert.Equal(t, 3, res.Report.Rows)
		assert.Equal(t, 2, res.Report.Facilities)
	})
	t.Run("an id without a primary row is a problem", func(t *testing.T) {
		res, err := kita.Import(strings.NewReader(header+"7;Kita A;Kath. Kindertagesstätten;0;45;12\n"), m, kita.ImportOptions{})
		require.ErrorIs(t, err, kita.ErrCSV)
		assert.Equal(t, []kita.RowProblem{{Line: 2, Column: "erstkateg", Code: kita.CodeCSVNoPrimary}}, res.Report.Problems)
	})
	t.Run("without a value, the row where the column has one is primary", func(t *testing.T) {
		m := m
		m.Duplicates = kita.DuplicateRule{PrimaryColumn: "o3"}
		res, err := kita.Import(strings.NewReader(header+"7;Kita A;Heilpädagogische Tagesstätten;0;45;\n7;Kita A;Kath. Kindertagesstätten;0;25;40\n"), m, kita.ImportOptions{})
		require.NoError(t, err)
		require.Len(t, res.Kitas, 1)
		assert.Equal(t, kita.Catholic, res.Kitas[0].Carrier.Kind)
		assert.Equal(t, kita.HoursOptions{25}, res.Kitas[0].Hours, "hours are not merged without being listed")
	})
	t.Run("two primary rows are a conflict", func(t *testing.T) {
		res, err := kita.Import(strings.NewReader(header+"7;A;Kath. Kindertagesstätten;1;45;12\n7;A;Kath. Kindertagesstätten;1;45;12\n"), m, kita.ImportOptions{})
		require.ErrorIs(t, err, kita.ErrCSV)
		assert.Equal(t, []kita.RowProblem{{Line: 3, Column: "erstkateg", Code: kita.CodeCSVConflict, Params: map[string]string{"first_line": "2"}}}, res.Report.Problems)
	})
}

func TestImportReportAndDryRun(t *testing.T) {
	cat := testCatalogue(t)
	before := cat.Len()
	t.Run("a dry run reports and changes nothing", func(t *testing.T) {
		rep, err := cat.Import(strings.NewReader(goodCSV), bochumMapping, kita.CatalogueImport{DryRun: true})
		require.NoError(t, err)
		assert.True(t, rep.DryRun)
		assert.Equal(t, 3, rep.Rows)
		assert.Equal(t, 2, rep.Facilities)
		assert.Equal(t, 1, rep.Merged)
		assert.Equal(t, before, cat.Len())
	})
	t.Run("a bad file reports every problem as values and changes nothing", func(t *testing.T) {
		rep, err := cat.Import(strings.NewReader(goodCSV+"103;X;x;städtisch;Weg 1;4478 Bochum;Mitte;abc;1;1;25;1;1\n"), bochumMapping, kita.CatalogueImport{})
		require.ErrorIs(t, err, problem.ErrInvalid)
		assert.Contains(t, rep.Problems, kita.RowProblem{Line: 6, Column: "PLZ Ort", Code: kita.CodeCSVPostalCode})
		assert.Contains(t, rep.Problems, kita.RowProblem{Line: 6, Column: "Rechtswert", Code: kita.CodeCSVCoordinates})
		assert.Equal(t, before, cat.Len())
	})
	t.Run("a good file replaces the catalogue", func(t *testing.T) {
		rep, err := cat.Import(strings.NewReader(goodCSV), bochumMapping, kita.CatalogueImport{})
		require.NoError(t, err)
		assert.False(t, rep.DryRun)
		assert.Equal(t, 2, cat.Len())
	})
}

func TestImportSeparatorLine(t *testing.T) {
	m := kita.CSVMapping{Columns: kita.CSVColumns{ID: "id", Name: "name", Hours: "h", CapacityO3: "o3"}, DefaultCarrierKind: kita.OtherCarrier}
	t.Run("a sep= line names the separator and shifts the line numbers", func(t *testing.T) {
		res, err := kita.Import(strings.NewReader("\"sep=,\"\r\nid,name,h,o3\r\n1,A;B,25,10\r\n2,C,25,x\r\n"), m, kita.ImportOptions{})
		require.Error(t, err)
		assert.Equal(t, []kita.RowProblem{{Line: 4, Column: "o3", Code: kita.CodeCSVNumber}}, res.Report.Problems)
	})
	t.Run("a sep= line that contradicts the layout is a problem", func(t *testing.T) {
		m := m
		m.Comma = ';'
		res, err := kita.Import(strings.NewReader("sep=,\nid,name,h,o3\n"), m, kita.ImportOptions{})
		require.Error(t, err)
		assert.Equal(t, []kita.RowProblem{{Line: 1, Code: kita.CodeCSVSeparatorLine}}, res.Report.Problems)
	})
}

func FuzzImport(f *testing.F) {
	mappings := []kita.CSVMapping{
		{
			Columns: kita.CSVColumns{Name: "Name", CarrierName: "Träger", CarrierKind: "Träger", Street: "Straße",
				PostalCode: "PLZ", City: "Ort", Places: "Plätze gesamt", GroupsU3: "Gruppen Krippe",
				GroupsO3: "Gruppen Elementar", Opening: "Öffnungszeiten", Easting: "Rechtswert", Northing: "Hochwert"},
			Coordinates: kita.UTM32, GenerateIDs: "FL-", DefaultCarrierKind: kita.OtherCarrier,
			Defaults: kita.CSVDefaults{Hours: kita.HoursOptions{30, 40}}, CarrierMaintained: []string{kita.FieldHours},
		},
		{
			Columns: kita.CSVColumns{ID: "Nr", Name: "Name", CarrierName: "Träger", Street: "Straße", PostalCode: "PLZ",
				City: "Ort", Easting: "Ostwert", Northing: "Nordwert", Hours: "Stunden", CapacityU3: "U3", CapacityO3: "Ü3"},
			Coordinates: kita.UTM33, Encoding: kita.Windows1252, DefaultCarrierKind: kita.OtherCarrier,
			Duplicates: kita.DuplicateRule{PrimaryColumn: "Ort", PrimaryValue: "Dresden", Merge: []string{"hours"}},
		},
		{
			Columns: kita.CSVColumns{ID: "Kennung", Name: "Bezeichnung", CarrierKind: "Trägerart", Street: "Anschrift",
				PostalCodeCity: "PLZ_Ort", Easting: "RW", Northing: "HW", Hours: "Betreuung", MinAge: "Alter_von",
				CapacityU3: "Plätze_U3", CapacityO3: "Plätze_Ü3"},
			Coordinates: kita.GK2, Encoding: kita.Latin1, AgeUnit: kita.Years, DefaultCarrierKind: kita.Municipal,
		},
	}
	for i, name := range []string{"flensburg.csv", "dresden-cp1252.csv", "gk-latin1.csv"} {
		data, err := os.ReadFile("testdata/forms/" + name)
		require.NoError(f, err)
		f.Add(data, uint8(i))
	}
	f.Add([]byte("sep=\nx"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		m := mappings[int(which)%len(mappings)]
		res, err := kita.Import(strings.NewReader(string(data)), m, kita.ImportOptions{Area: bochumBox})
		if err != nil {
			assert.ErrorIs(t, err, problem.ErrInvalid)
			assert.Nil(t, res.Kitas)
			assert.NotEmpty(t, res.Report.Problems)
			return
		}
		_, err = kita.NewCatalogue(res.Kitas, nil)
		require.NoError(t, err)
	})
}
