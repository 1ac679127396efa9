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

// A city that resolves by its boundaries first, its street directory next
// and its postal codes last (testdata/musterstadt-geo).
func ExampleDirectory_Locate() {
	dir, err := district.LoadFS(os.DirFS("testdata/musterstadt-geo"), "districts.json")
	if err != nil {
		panic(err)
	}
	for _, q := range []district.Query{
		{Point: geo.Point{Lat: 50.075, Lon: 10.05}},                                           // in the hole of Nord, which is Hafen
		{Address: geo.Address{Street: "Hafenstr.", HouseNumber: "120", PostalCode: "12346"}},  // street directory
		{Address: geo.Address{Street: "Lange Straße", HouseNumber: "7", PostalCode: "12346"}}, // postal-code rules
		{Point: geo.Point{Lat: 48.85, Lon: 2.35}},                                             // Paris
	} {
		r, err := dir.Locate(q)
		switch {
		case errors.Is(err, district.ErrOutside):
			fmt.Println("outside the city: not resident")
		case err != nil:
			fmt.Println(err)
		default:
			fmt.Println(r.District.ID, r.Method)
		}
	}
	// Output:
	// hafen geometry
	// sued streets
	// nord postal_code
	// outside the city: not resident
}
