package district_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
)

func ExampleDirectory_Resolve() {
	f, err := os.Open("../municipality/bochum/districts.json")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	dir, err := district.Load(f)
	if err != nil {
		panic(err)
	}

	for _, addr := range []geo.Address{
		{Street: "Hochstraße", HouseNumber: "1", PostalCode: "44866", City: "Bochum"},         // unique code
		{Street: "Castroper Straße", HouseNumber: "250", PostalCode: "44791", City: "Bochum"}, // split, decided by street
		{Street: "Feldweg", HouseNumber: "3", PostalCode: "44791", City: "Bochum"},            // split, undecided
	} {
		d, err := dir.Resolve(addr)
		var amb *district.AmbiguousError
		switch {
		case errors.As(err, &amb):
			fmt.Print("ambiguous:")
			for _, c := range amb.Candidates {
				fmt.Print(" ", c.ID, " ", c.Name)
			}
			fmt.Println()
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Println(d.ID, d.Name)
		}
	}
	// Output:
	// II Wattenscheid
	// III Nord
	// ambiguous: I Mitte III Nord
}
