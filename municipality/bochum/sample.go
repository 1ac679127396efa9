package bochum

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/tagespflege"
)

//go:generate go run ./internal/gensample kitas-sample.csv

// sampleCSV is a SYNTHETIC catalogue in the layout of a city's open-data
// file: 190 Kitas with 11,435 places (2,171 U3, 9,264 Ü3) in the six
// Stadtbezirke. Names, addresses and sizes are invented.
//
//go:embed kitas-sample.csv
var sampleCSV []byte

// SampleKitas is the number of Kitas in the sample catalogue (Bochum 2020: 190).
const SampleKitas = 190

// SamplePlaces is the number of places in the sample catalogue (Bochum 2020: 11,435).
const SamplePlaces = 11435

// SampleMinders is the number of child-minders [Minders] returns (Bochum 2020: 610).
const SampleMinders = 610

// layoutJSON is the layout of the city's real open-data file
// bochum_daycare_centers.csv as it is published: 18 columns, semicolon
// separated, every field quoted, UTF-8; "Straße Hausnummer" and "PLZ Ort" in
// one column each; UTM zone 32N coordinates (EPSG:25832) in whole metres;
// the category ("kategorie") as the carrier kind; a Kita listed in two
// categories appears twice with the same poi_id and erstkateg = 1 on its
// primary row. The file has no places, hours or ages: the layout fills them
// with placeholders (25/35/45 hours, from 24 months, one group of form I:
// 6 U3 and 14 Ü3 places) that the carriers are to maintain in the portal.
//
//go:embed kitas-layout.json
var layoutJSON []byte

// sampleLayoutJSON is the layout of the synthetic sample file: semicolon
// separated, "Straße Hausnummer" and "PLZ Ort" in one column each, UTM zone
// 32N coordinates, ages in months, and the places, hours and districts the
// real file lacks.
//
//go:embed kitas-sample-layout.json
var sampleLayoutJSON []byte

// Layout returns the column mapping of the city's real open-data file
// (kitas-layout.json), for kita.Import.
func Layout() (kita.CSVMapping, error) { return layout(layoutJSON) }

// SampleLayout returns the column mapping of the synthetic sample file
// (kitas-sample-layout.json).
func SampleLayout() (kita.CSVMapping, error) { return layout(sampleLayoutJSON) }

func layout(data []byte) (kita.CSVMapping, error) {
	var m kita.CSVMapping
	if err := json.Unmarshal(data, &m); err != nil {
		return kita.CSVMapping{}, err
	}
	return m, m.Validate()
}

// SampleCSV returns the synthetic open-data file.
func SampleCSV() []byte { return bytes.Clone(sampleCSV) }

// Catalogue returns the SAMPLE catalogue: 190 synthetic Kitas with 11,435
// places, imported from the embedded open-data file through kita.ImportCSV.
func Catalogue() (*kita.Catalogue, error) {
	layout, err := SampleLayout()
	if err != nil {
		return nil, err
	}
	kitas, err := kita.ImportCSV(bytes.NewReader(sampleCSV), layout)
	if err != nil {
		return nil, err
	}
	return kita.NewCatalogue(kitas, kita.NRWHours)
}

var minderGiven = []string{"Anna", "Birgit", "Claudia", "Derya", "Elena", "Fatma", "Gabi", "Hanna", "Ilse", "Jana",
	"Katrin", "Lea", "Marta", "Nicole", "Olga", "Petra", "Sabine", "Tanja", "Ute", "Yvonne", "Jörg", "Mehmet"}
var minderFamily = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
	"Schulz", "Hoffmann", "Koch", "Yılmaz", "Kaya", "Nowak", "Kowalski", "Öztürk", "Krüger", "Weiß"}

// Minders returns the SAMPLE child-minders: 610 synthetic
// Tagespflegepersonen spread over the six districts, licensed for 5 years
// from 2023 to 2025 (most for 5 children, some for 4 or 3), ages 0 to 3, with
// invented names and .example addresses.
func Minders(seed uint64, created time.Time) []tagespflege.Minder {
	r := rand.New(rand.NewPCG(seed, 610))
	ids := []string{"I", "II", "III", "IV", "V", "VI"}
	share := []int{30, 19, 10, 14, 13, 14}
	out := make([]tagespflege.Minder, 0, SampleMinders)
	for i := range SampleMinders {
		x, d := r.IntN(100), 0
		for ; x >= share[d]; d++ {
			x -= share[d]
		}
		capacity := []int{5, 5, 5, 4, 3}[r.IntN(5)]
		from := date.New(2023+r.IntN(3), time.Month(1+r.IntN(12)), 1)
		out = append(out, tagespflege.RehydrateMinder(tagespflege.Minder{
			ID:       fmt.Sprintf("TP-%04d", i+1),
			Name:     minderGiven[r.IntN(len(minderGiven))] + " " + minderFamily[r.IntN(len(minderFamily))],
			District: ids[d],
			Contact:  tagespflege.Contact{Email: fmt.Sprintf("tp%04d@tagespflege.example", i+1)},
			Address:  geo.Address{Street: "Beispielweg", HouseNumber: fmt.Sprint(1 + r.IntN(90)), PostalCode: "44787", City: "Bochum"},
			Licence: tagespflege.Licence{
				ValidFrom: from,
				ValidTo:   from.AddDate(5, 0, -1),
			},
			Capacity:     capacity,
			MaxContracts: 8,
			Ages:         tagespflege.AgeRange{FromMonths: 0, ToMonths: 36},
			Hours:        []kita.Hours{25, 35, 45},
		}, tagespflege.MinderState{CreatedAt: created, UpdatedAt: created}))
	}
	return out
}
