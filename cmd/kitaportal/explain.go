package main

import (
	"fmt"
	"io"

	"github.com/kitaportal/kitaportal/allocation"
)

// explain prints one family's position on each Kita's list: each child's
// rank and the last admitted rank.
func explain(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explain", stderr)
	instPath := fs.String("instance", "", "instance `file` (JSON)")
	resPath := fs.String("result", "", "result `file` (JSON)")
	family := fs.String("family", "", "family `id` of the instance, or an applicant id")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kitaportal explain: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	case *instPath == "" || *resPath == "" || *family == "":
		fmt.Fprintln(stderr, "kitaportal explain: -instance, -result and -family are required")
		return exitUsage
	}
	inst, ok := readInstance(*instPath, stderr)
	if !ok {
		return exitFail
	}
	res, ok := readResult(*resPath, stderr)
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
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kitaportal diff: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	case *beforePath == "" || *afterPath == "":
		fmt.Fprintln(stderr, "kitaportal diff: -before and -after are required")
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
