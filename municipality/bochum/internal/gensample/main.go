// Command gensample writes kitas-sample.csv: a synthetic catalogue of 190
// Kitas with 11,435 places in Bochum's six Stadtbezirke, in the layout of a
// city's open-data file (semicolon separated, UTF-8 with BOM, "Straße
// Hausnummer" and "PLZ Ort" in one column each, UTM zone 32N coordinates).
// Names, addresses and sizes are invented; run it with go generate.
package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/kitaportal/kitaportal/geo"
)

type districtSpec struct {
	id, name     string
	share        float64
	lat, lon     float64
	postal       []string
	streetPrefix string
}

var districts = []districtSpec{
	{"I", "Mitte", 0.30, 51.482, 7.216, []string{"44787", "44789", "44807", "44809"}, ""},
	{"II", "Wattenscheid", 0.19, 51.480, 7.130, []string{"44866", "44867", "44869"}, ""},
	{"III", "Nord", 0.10, 51.522, 7.240, []string{"44805"}, ""},
	{"IV", "Ost", 0.14, 51.490, 7.300, []string{"44892", "44894"}, ""},
	{"V", "Süd", 0.13, 51.430, 7.250, []string{"44797", "44801"}, ""},
	{"VI", "Südwest", 0.14, 51.445, 7.170, []string{"44795", "44879"}, ""},
}

var streets = []string{"Hauptstraße", "Schulstraße", "Gartenstraße", "Kirchstraße", "Lindenweg", "Rosenweg",
	"Birkenallee", "Wiesenstraße", "Feldstraße", "Mühlenweg", "Am Stadtpark", "Buchenweg", "Ahornstraße",
	"Eichendorffstraße", "Goethestraße", "Schillerstraße", "Am Kortländer", "Dorfstraße", "Bergstraße", "Talstraße",
	"Straße des 17. Juni", "Im Wiesental", "Auf dem Kamp", "Zechenstraße", "Hellweg"}

type carrier struct {
	id, name, kind, prefix string
	weight                 float64
}

var carriers = []carrier{
	{"T01", "Stadt Bochum – Jugendamt", "städtisch", "Städt. Kita", 0.34},
	{"T02", "Kath. Kita gGmbH Ruhr-Mitte", "katholisch", "Kath. Kita", 0.20},
	{"T03", "Ev. Kirchenkreis Bochum", "evangelisch", "Ev. Kita", 0.15},
	{"T04", "AWO Unterbezirk Ruhr-Mitte", "Wohlfahrtsverband", "AWO-Kita", 0.10},
	{"T05", "DRK Kreisverband Bochum", "Wohlfahrtsverband", "DRK-Kita", 0.06},
	{"T06", "Der Paritätische – Kinderwelt e.V.", "Wohlfahrtsverband", "Kita", 0.05},
	{"T07", "Elterninitiativen Bochum e.V.", "Elterninitiative", "Elterninitiative", 0.07},
	{"T08", "Campus-Kinderbetreuung GmbH", "Betriebskita", "Betriebskita", 0.03},
}

var names = []string{"Regenbogen", "Sonnenschein", "Pusteblume", "Arche Noah", "Zwergenland", "Kunterbunt",
	"Löwenzahn", "Sternschnuppe", "Wirbelwind", "Spatzennest", "Schatzkiste", "Glückskäfer", "Märchenwald",
	"St. Marien", "St. Josef", "Villa Kunterbunt", "Abenteuerland", "Kleine Strolche", "Rappelkiste", "Wolkenburg"}

func main() {
	out := "kitas-sample.csv"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	r := rand.New(rand.NewPCG(2020, 190))
	const total, totalU3 = 11435, 2171
	const n = 190

	// Sizes: between 20 and 120 places, scaled to the total exactly.
	sizes := make([]int, n)
	sum := 0
	for i := range sizes {
		sizes[i] = 30 + r.IntN(70)
		sum += sizes[i]
	}
	acc := 0
	for i := range sizes {
		sizes[i] = sizes[i] * total / sum
		acc += sizes[i]
	}
	for i := 0; acc < total; i = (i + 1) % n {
		sizes[i]++
		acc++
	}
	// U3 places: about 19 % of each Kita, some Kitas none, scaled to totalU3.
	u3 := make([]int, n)
	sumU3 := 0
	for i := range u3 {
		if r.IntN(10) == 0 {
			continue // Ü3-only Kita
		}
		u3[i] = sizes[i] * (12 + r.IntN(14)) / 100
		sumU3 += u3[i]
	}
	diff := totalU3 - sumU3
	for i := 0; diff != 0; i = (i + 1) % n {
		if u3[i] == 0 {
			continue
		}
		if diff > 0 && u3[i] < sizes[i]-10 {
			u3[i]++
			diff--
		} else if diff < 0 && u3[i] > 1 {
			u3[i]--
			diff++
		}
	}

	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{"Einrichtungsnummer", "Name", "Traeger_Nr", "Traeger", "Traegerart", "Strasse",
		"PLZ_Ort", "Stadtbezirk", "Rechtswert", "Hochwert", "Aufnahmealter_Monate", "Betreuungsumfang",
		"Plaetze_U3", "Plaetze_UE3", "Hinweis"})
	for i := range n {
		d := pickDistrict(r)
		c := pickCarrier(r)
		lat := d.lat + (r.Float64()-0.5)*0.03
		lon := d.lon + (r.Float64()-0.5)*0.05
		e, nn, err := geo.ToUTM32(geo.Point{Lat: lat, Lon: lon})
		if err != nil {
			panic(err)
		}
		minAge := 36
		if u3[i] > 0 {
			minAge = []int{4, 8, 12, 24}[r.IntN(4)]
		}
		hours := "25/35/45"
		if r.IntN(6) == 0 {
			hours = "35/45"
		}
		name := fmt.Sprintf("%s %s (%s %d)", c.prefix, names[r.IntN(len(names))], d.name, i+1)
		street := fmt.Sprintf("%s %d", streets[r.IntN(len(streets))], 1+r.IntN(180))
		_ = w.Write([]string{fmt.Sprintf("BO-%03d", i+1), name, c.id, c.name, c.kind, street,
			d.postal[r.IntN(len(d.postal))] + " Bochum", d.id, fmt.Sprintf("%.1f", e), fmt.Sprintf("%.1f", nn),
			fmt.Sprint(minAge), hours, fmt.Sprint(u3[i]), fmt.Sprint(sizes[i] - u3[i]), "Beispieldaten (synthetisch)"})
	}
	w.Flush()
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		panic(err)
	}
}

func pickDistrict(r *rand.Rand) districtSpec {
	x := r.Float64()
	for _, d := range districts {
		if x < d.share {
			return d
		}
		x -= d.share
	}
	return districts[0]
}

func pickCarrier(r *rand.Rand) carrier {
	x := r.Float64()
	for _, c := range carriers {
		if x < c.weight {
			return c
		}
		x -= c.weight
	}
	return carriers[0]
}
