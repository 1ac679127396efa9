package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kitaportal/kitaportal/allocation"
)

// explain prints one family's position on each Kita's list: each child's
// rank and the last admitted rank.
func explain(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explain", stderr)
	instPath := fs.String("instance", "", "instance `file` (JSON)")
	resPath := fs.String("result", "", "result `file` (JSON)")
	family := fs.String("family", "", "family `id` of the instance, or an applicant id")
	if !parse(fs, args, stderr, "instance", "result", "family") {
		return exitUsage
	}
	inst, res, ok := readInstanceAndResult(*instPath, *resPath, stderr)
	if !ok {
		return exitFail
	}
	pos, err := allocation.Positions(inst, res, *family)
	if err != nil {
		report(stderr, *instPath, err)
		return exitFail
	}
	for _, p := range pos {
		pool := p.Facility
		if p.Band != 0 {
			pool += " (" + p.Band.String() + ")"
		}
		mark := ""
		if p.Placed {
			mark = "  <- placed"
		}
		fmt.Fprintf(stdout, "%s choice %d %s: rank %d, last admitted rank %d%s\n", p.Applicant, p.Choice, pool, p.Rank, p.LastAdmitted, mark)
	}
	return exitOK
}

// diff prints the applicants whose placement differs between two results
// and exits 1 when there are any.
func diff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", stderr)
	beforePath := fs.String("before", "", "earlier result `file` (JSON)")
	afterPath := fs.String("after", "", "later result `file` (JSON)")
	if !parse(fs, args, stderr, "before", "after") {
		return exitUsage
	}
	before, ok := readResult(*beforePath, stderr)
	if !ok {
		return exitFail
	}
	after, ok := readResult(*afterPath, stderr)
	if !ok {
		return exitFail
	}
	changes := allocation.Diff(before, after)
	for _, c := range changes {
		fmt.Fprintf(stdout, "%s: %s -> %s\n", c.Applicant, orNone(c.Before), orNone(c.After))
	}
	fmt.Fprintf(stdout, "%d of %d applicants differ\n", len(changes), max(len(before.Placements), len(after.Placements)))
	if len(changes) > 0 {
		return exitFail
	}
	return exitOK
}

func orNone(f string) string {
	if f == "" {
		return "(none)"
	}
	return f
}

// parse parses a command's flags and reports false, after saying why, when
// an argument is left over or a required flag is unset.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer, required ...string) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kitaportal %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return false
	}
	var missing []string
	for _, name := range required {
		if fs.Lookup(name).Value.String() == "" {
			missing = append(missing, "-"+name)
		}
	}
	switch n := len(missing); n {
	case 0:
		return true
	case 1:
		fmt.Fprintf(stderr, "kitaportal %s: %s is required\n", fs.Name(), missing[0])
	default:
		fmt.Fprintf(stderr, "kitaportal %s: %s and %s are required\n", fs.Name(), strings.Join(missing[:n-1], ", "), missing[n-1])
	}
	return false
}
