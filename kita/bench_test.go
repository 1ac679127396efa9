package kita_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kitaportal/kitaportal/kita"
)

// realShape writes n facilities in the shape of Bochum's real open-data file
// (18 quoted columns, UTM 32N), one in a hundred listed twice.
func realShape(n int) string {
	var b strings.Builder
	b.WriteString(`"poi_id";"name";"str_hausnr";"plz_ort";"kategorie";"hauptkateg";"beschreib";"link";"bedeut_id";"bedeutung";"erstkateg";"angelegt";"geaendert";"kateg_id";"kateg_pfad";"rechts_utm";"hoch_utm";"abrufdatum"` + "\n")
	cats := []string{"Kommunale Kindertagesstätten", "Ev. Kindertagesstätten", "Kath. Kindertagesstätten", "Kindertagesstätten freie Wohlfahrtsverbände"}
	for i := range n {
		row := func(cat string, primary int) {
			fmt.Fprintf(&b, `"%d";"Kita Nr. %d";"Musterstr. %d a";"44789 Bochum";"%s";"Soziales";"";"www.example.org";"3";"Örtlich";"%d";"2023-08-17";"";"23583";"Soziales/Kindertagesstätten/%s";"%d";"%d";"2023-10-17"`+"\n",
				100000+i, i, 1+i%200, cat, primary, cat, 370000+i%13000, 5698000+i%11000)
		}
		row(cats[i%len(cats)], 1)
		if i%100 == 0 {
			row(cats[(i+1)%len(cats)], 0)
		}
	}
	return b.String()
}

var realLayout = kita.CSVMapping{
	Columns: kita.CSVColumns{ID: "poi_id", Name: "name", CarrierKind: "kategorie", Street: "str_hausnr",
		PostalCodeCity: "plz_ort", Easting: "rechts_utm", Northing: "hoch_utm"},
	Comma: ';', Coordinates: kita.UTM32,
	CarrierKinds: map[string]kita.CarrierKind{"Kommunale Kindertagesstätten": kita.Municipal, "Ev. Kindertagesstätten": kita.Protestant,
		"Kath. Kindertagesstätten": kita.Catholic, "Kindertagesstätten freie Wohlfahrtsverbände": kita.Welfare},
	Duplicates: kita.DuplicateRule{PrimaryColumn: "erstkateg", PrimaryValue: "1"},
	Defaults:   kita.CSVDefaults{Hours: kita.NRWHours, CapacityO3: new(20)},
}

// BenchmarkImport reads a city's file in the real published shape: Bochum
// (193 Kitas) and all of North Rhine-Westphalia (about 10,500 Kitas).
func BenchmarkImport(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"bochum", 193}, {"nrw", 10500}} {
		data := realShape(size.n)
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				res, err := kita.Import(strings.NewReader(data), realLayout, kita.ImportOptions{})
				if err != nil || len(res.Kitas) != size.n {
					b.Fatalf("%d Kitas, %v", len(res.Kitas), err)
				}
			}
		})
	}
}
