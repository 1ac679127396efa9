// Command customcity shows how a city that is not Bochum runs kitaportal
// with its own rules, set only through configuration files.
//
// Musterstadt is a FICTITIOUS city in a fictitious state. Its rules differ
// from Bochum's in every respect a profile can express, and all of them
// live in the folder city/ next to this file, not in Go code:
//
//   - profile.json: the city code "MS"; the Kita year begins on 1 September;
//     a child who turns 6 by 30 June starts school on 1 September; care of
//     20, 30, 40 or 50 hours a week; at most three Kitas per application;
//     Kindertagespflege for children under three; the allocation deadline
//     1 March; the priority policy (hardship first, then points for a
//     sibling, the home district and working parents) and the mechanism.
//   - districts.json: four districts and the postal codes; 99901 is split
//     between Altstadt and Nordviertel, and street rules decide.
//   - offices.json: the Fachberatung Kindertagespflege of each district.
//   - fees.json: the parent fees: four income brackets, a higher fee under
//     three years, the last Kita year free, 50 % off for every further child.
//   - kitas.csv and kitas-layout.json: the city's open-data list of eight
//     Kitas in its own layout (comma separated, latitude and longitude,
//     admission age in years), and how to read it.
//
// The program then walks through what families and the Jugendamt see: the
// calendar computed from 1 September, school entry under the 30 June
// cut-off, a family's registration and its confirmation e-mail, the
// rejection of a fourth Kita and of 45 hours with the city's own limits
// (in German and English), a spring allocation round under the city's
// policy, and the fee statement of the care contract.
//
// The files are built into the program, so it runs from any directory:
//
//	go run ./examples/customcity
//	go run ./examples/customcity -city ./my-city -families 60 -seed 7 -out /tmp/contracts
//
// A city that wants to try its own rules copies city/, edits the files and
// passes the folder with -city; every problem in every file is reported at
// once, in German and English.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "customcity:", err)
		os.Exit(1)
	}
}

// options are the command line flags.
type options struct {
	city     string
	families int
	seed     uint64
	out      string
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("customcity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.city, "city", "", "folder with the city's files (default: the built-in Musterstadt)")
	fs.IntVar(&o.families, "families", 60, "number of further families that register before the allocation round")
	fs.Uint64Var(&o.seed, "seed", 2027, "seed of the sample families (the lottery's seed is in profile.json)")
	fs.StringVar(&o.out, "out", "", "folder to write the care contract PDF to (default: no PDF)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.families < 0 || o.families > 10000 {
		return o, fmt.Errorf("-families must lie between 0 and 10000")
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	c, err := loadCity(o.city)
	if err != nil {
		return err
	}
	t, err := newTour(ctx, o, c, stdout)
	if err != nil {
		return err
	}
	return t.run(ctx)
}
