// Command bochum simulates a whole Kita year in Bochum with kitaportal and
// prints what happened: the profile and the SAMPLE catalogue of 190 Kitas
// with 11,435 places and 610 child-minders; about 8,861 children registered
// all year round, each confirmed at once, Tagespflege requests referred to
// the district's Fachberatung; twins the parents want kept together,
// siblings in the same Kita year and starts during the year; most Kitas'
// places split by weekly care hours and by the month they become free, and
// families ranking care hours ("35, else 45"); the spring
// allocation round under Bochum's policy; acceptances and declines, some
// accepting a place while waiting for a Kita ranked higher; a second round
// for freed places and late applications, a third for the places the
// upgrades freed; a care contract PDF for every accepted place; and the
// Jugendamt's figures, in German, with totals that add up (and how many
// families of twins were kept together, and how many children got their
// first or a later care hours wish).
//
// All people, Kitas and minders are synthetic sample data.
//
//	go run ./examples/bochum                 # in memory; contract PDFs rendered, not kept
//	go run ./examples/bochum -out contracts -seed 7   # keeps the PDFs (about 250 MB for a year)
//	go run ./examples/bochum -postgres 'postgres://...'
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bochum:", err)
		os.Exit(1)
	}
}

// options are the command line flags.
type options struct {
	seed      uint64
	out       string
	postgres  string
	children  int
	quiet     bool
	contracts bool
}

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bochum", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Uint64Var(&o.seed, "seed", 2027, "seed of the simulation and the allocation lottery (same seed, same year)")
	fs.StringVar(&o.out, "out", "", "directory to keep the contract PDFs in (about 30 KB each; default: rendered, not kept)")
	fs.StringVar(&o.postgres, "postgres", "", "PostgreSQL URL; without it the year runs in memory")
	fs.IntVar(&o.children, "children", 8861, "number of children registered (Bochum 2020: 8,861), twins and siblings included")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress on standard error")
	fs.BoolVar(&o.contracts, "contracts", true, "render a contract PDF for every accepted place")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.children < 1 || o.children > 200000 {
		return o, fmt.Errorf("-children must lie between 1 and 200000")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	sim, err := newSimulation(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer sim.closeStore()
	sum, err := sim.year(ctx)
	if err != nil {
		return err
	}
	sum.seconds = time.Since(start).Seconds()
	if err := sum.print(stdout); err != nil {
		return err
	}
	if sum.out != "" && sum.contracts > 0 {
		fmt.Fprintf(stderr, "bochum: %d contract PDFs, %.1f MB, kept in %s\n", sum.contracts, float64(sum.pdfBytes)/1e6, sum.out)
	}
	return nil
}
