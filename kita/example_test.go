package kita_test

import (
	"fmt"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
)

func ExampleCatalogue_Search() {
	mk := func(id, name string, lat, lon float64, minAge int, cap kita.Capacity) kita.Kita {
		return kita.Kita{
			ID: id, Name: name, District: "I",
			Carrier:      kita.Carrier{Name: "Stadt Bochum", Kind: kita.Municipal},
			Location:     geo.Point{Lat: lat, Lon: lon},
			MinAgeMonths: minAge, Hours: kita.NRWHours, Capacity: cap,
		}
	}
	cat, err := kita.NewCatalogue([]kita.Kita{
		mk("b-01", "Kita Kortumpark", 51.4760, 7.2110, 24, kita.Capacity{Under3: 6, From3: 40}),
		mk("b-02", "Kita Stadtpark", 51.4900, 7.2250, 4, kita.Capacity{Under3: 20, From3: 30}),
		mk("b-03", "Kita Ehrenfeld", 51.4720, 7.2050, 36, kita.Capacity{From3: 50}),
		mk("b-04", "Kita Wattenscheid", 51.4800, 7.1300, 4, kita.Capacity{Under3: 10, From3: 40}),
	}, kita.NRWHours)
	if err != nil {
		panic(err)
	}

	// A family living near the town hall looks for a place for their child,
	// who is two years and five months old on 1 August 2025, 35 hours a week,
	// within 3 km.
	home := geo.Point{Lat: 51.4818, Lon: 7.2162}
	page := cat.Search(kita.Query{
		Near:     &home,
		RadiusKm: 3,
		Child:    &kita.ChildAt{Birth: date.New(2023, time.March, 1), On: date.New(2025, time.August, 1)},
		Hours:    35,
		Limit:    10,
	})
	fmt.Println(page.Total, "found")
	for _, h := range page.Items {
		fmt.Printf("%s %.1f km\n", h.Kita.Name, h.DistanceKm)
	}
	// Output:
	// 2 found
	// Kita Kortumpark 0.7 km
	// Kita Stadtpark 1.1 km
}
