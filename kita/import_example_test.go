package kita_test

import (
	"fmt"
	"strings"

	"github.com/kitaportal/kitaportal/kita"
)

// A city's file with a Kita listed under two categories: the primary row
// decides, the report says what was merged and what the carriers still
// have to maintain.
func ExampleImport() {
	const file = `"poi_id";"name";"str_hausnr";"plz_ort";"kategorie";"erstkateg";"rechts_utm";"hoch_utm"
"611860";"ASB-Kita In der Schornau";"In der Schornau 23 - 25";"44892 Bochum";"Kindertagesstätten freie Wohlfahrtsverbände";"1";"383872";"5702663"
"253377";"Outlaw Betriebs-Großkindertagespflege Eickhoff-Küken";"Am Eickhoffpark 7";"44789 Bochum";"Betriebskindertagesstätten";"1";"376296";"5702466"
"253377";"Outlaw Betriebs-Großkindertagespflege Eickhoff-Küken";"Am Eickhoffpark 7";"44789 Bochum";"Kindertagesstätten freie Wohlfahrtsverbände";"0";"376296";"5702466"
`
	layout := kita.CSVMapping{
		Columns: kita.CSVColumns{ID: "poi_id", Name: "name", CarrierKind: "kategorie", Street: "str_hausnr",
			PostalCodeCity: "plz_ort", Easting: "rechts_utm", Northing: "hoch_utm"},
		Coordinates: kita.UTM32,
		CarrierKinds: map[string]kita.CarrierKind{
			"Kindertagesstätten freie Wohlfahrtsverbände": kita.Welfare, "Betriebskindertagesstätten": kita.Company},
		Duplicates:        kita.DuplicateRule{PrimaryColumn: "erstkateg", PrimaryValue: "1"},
		Defaults:          kita.CSVDefaults{Hours: kita.NRWHours, CapacityO3: new(20)},
		CarrierMaintained: []string{kita.FieldHours, kita.FieldCapacity},
	}
	res, err := kita.Import(strings.NewReader(file), layout, kita.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Report
	fmt.Printf("%d rows, %d facilities, %d merged\n", r.Rows, r.Facilities, r.Merged)
	for _, k := range res.Kitas {
		fmt.Printf("%s %s %s %s, %.4f %.4f, to maintain: %v\n", k.ID, k.Carrier.Kind, k.Address.Street, k.Address.HouseNumber,
			k.Location.Lat, k.Location.Lon, r.CarrierMaintained[k.ID])
	}
	// Output:
	// 3 rows, 2 facilities, 1 merged
	// 611860 welfare In der Schornau 23-25, 51.4632 7.3283, to maintain: [hours capacity]
	// 253377 company Am Eickhoffpark 7, 51.4598 7.2193, to maintain: [hours capacity]
}
