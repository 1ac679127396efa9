// Command kitaportal serves the HTTP API and the reference portal, runs
// kitaportal's allocation engine on files in the JSON interchange format of
// package allocation, and checks a city's data.
//
//	kitaportal allocate -instance FILE [-mechanism deferred-acceptance|kita-proposing|immediate-acceptance] [-seed N] [-explain]
//	kitaportal verify -instance FILE -result FILE
//	kitaportal explain -instance FILE -result FILE -family ID
//	kitaportal diff -before FILE -after FILE
//	kitaportal simulate [-size bochum|nrw] [-applicants N] [-facilities N] [-choices N] [-capacity N] [-bands] [-families PCT] [-hours] [-months] [-seed N]
//	kitaportal catalogue check|import -profile DIR|bochum -csv FILE [-layout FILE] [-json] [-out FILE]
//	kitaportal district -profile DIR|bochum -address "STREET NO, PLZ CITY" | -point LAT,LON
//	kitaportal serve [-profile bochum|DIR] [-addr :8080] [-postgres URL] [-mail memory|smtp://...] [-demo | -oidc-issuer URL -oidc-client ID -oidc-roles VALUE=ROLE,... [-oidc-redirect URL]]
//
// allocate prints the result as one line of compact JSON on standard
// output: placements, cut-offs and statistics; with -explain also each
// Kita's priority order and the reasons behind every rank (large for a
// whole state). It validates the instance once and runs in time linear in
// the number of choices. With families (format version 2) it says on
// standard error when no stable outcome was reached. verify exits 0 when
// the result respects capacities, quotas, fixed placements and choices,
// keeps every together-family at one Kita and has no blocking pair and no
// blocking family, and 1 with a report otherwise (counting blocking single
// applicants and split or blocking families apart). Malformed input exits
// 1 with one line per problem, naming the offending element, and prints no
// result; a wrong command line exits 2. explain prints, for one family (a
// family id of the instance, or an applicant id), each child's rank at
// each Kita it chose and the last admitted rank there. diff lists the
// applicants whose placement differs between two results and exits 1 when
// any does. simulate prints a synthetic instance (no personal data) of a
// named or given size, for test suites and analysts who want realistic
// inputs, one applicant or Kita per line; -families adds twins and
// siblings.
//
// catalogue reads a city's open-data list of Kitas with the profile's
// layout (or -layout) and prints the import report: rows, facilities,
// merged duplicates, defaults, notices and every problem with its line and
// column; -json prints the report and every facility (id, name, address,
// carrier kind, WGS84 coordinates, district). check changes nothing; import
// writes the catalogue to -out only when the whole file is good. district
// prints the district of an address or point by the profile's resolution
// order, or the candidates; an undecided or outside place exits 1.
//
// allocate, verify and explain read instance files with
// allocation.DecodeFile: mapped into memory where the system allows and
// decoded on all cores; problems are those of the streaming decoder.
// Unless GOGC or GOMEMLIMIT is set, the command collects garbage only when
// its heap nears 512 MiB (see tuneGC).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/kitaportal/kitaportal/allocation"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // invalid input, or a result that does not verify
	exitUsage = 2
)

const usage = `usage:
  kitaportal allocate -instance FILE [-mechanism deferred-acceptance|kita-proposing|immediate-acceptance] [-seed N] [-explain]
  kitaportal verify -instance FILE -result FILE
  kitaportal explain -instance FILE -result FILE -family ID
  kitaportal diff -before FILE -after FILE
  kitaportal simulate [-size bochum|nrw] [-applicants N] [-facilities N] [-choices N] [-capacity N] [-bands] [-families PCT] [-hours] [-months] [-seed N]
  kitaportal catalogue check|import -profile DIR|bochum -csv FILE [-layout FILE] [-json] [-out FILE]
  kitaportal district -profile DIR|bochum -address "STREET NO, PLZ CITY" | -point LAT,LON
  kitaportal serve [-profile bochum|DIR] [-addr :8080] [-postgres URL] [-mail memory|smtp://...] [-demo | -oidc-issuer URL -oidc-client ID -oidc-roles VALUE=ROLE,... [-oidc-redirect URL]]
`

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// tuneGC sets the collector for a batch program whose heap is mostly one
// instance, alive until the end: unless GOGC or GOMEMLIMIT say otherwise,
// collect only when the heap nears 512 MiB. All of North Rhine-Westphalia
// then allocates with a few collections instead of one per doubling, and
// small files with none. restore puts the previous settings back.
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := debug.SetMemoryLimit(512 << 20)
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// run executes one command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "allocate":
		return allocate(args[1:], stdout, stderr)
	case "verify":
		return verify(args[1:], stdout, stderr)
	case "simulate":
		return simulate(args[1:], stdout, stderr)
	case "catalogue":
		return catalogue(args[1:], stdout, stderr)
	case "district":
		return districtCmd(args[1:], stdout, stderr)
	case "explain":
		return explain(args[1:], stdout, stderr)
	case "diff":
		return diff(args[1:], stdout, stderr)
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "kitaportal: unknown command %q\n%s", args[0], usage)
		return exitUsage
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

func allocate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("allocate", stderr)
	instPath := fs.String("instance", "", "instance `file` (JSON)")
	mechName := fs.String("mechanism", allocation.DeferredAcceptance.String(), "allocation `mechanism`")
	seed := fs.Uint64("seed", 0, "lottery seed, overriding the policy's")
	explain := fs.Bool("explain", false, "add each Kita's priority order and the reasons behind every rank")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	mech := allocation.ParseMechanism(*mechName)
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kitaportal allocate: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	case *instPath == "":
		fmt.Fprintln(stderr, "kitaportal allocate: -instance is required")
		return exitUsage
	case !mech.Valid():
		fmt.Fprintf(stderr, "kitaportal allocate: unknown mechanism %q (deferred-acceptance, kita-proposing, immediate-acceptance)\n", *mechName)
		return exitUsage
	}
	inst, ok := readInstance(*instPath, stderr)
	if !ok {
		return exitFail
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			inst.Policy.Seed = *seed
		}
	})
	comp, err := allocation.Compile(inst)
	if err != nil {
		report(stderr, *instPath, err)
		return exitFail
	}
	out, err := comp.Allocate(allocation.Options{Mechanism: mech, Explain: *explain})
	if err != nil {
		report(stderr, *instPath, err)
		return exitFail
	}
	if err := out.WriteJSON(stdout); err != nil {
		fmt.Fprintf(stderr, "kitaportal allocate: %v\n", err)
		return exitFail
	}
	if u := out.Unstable(); u != nil {
		fmt.Fprintf(stderr, "kitaportal allocate: no stable outcome reached; families involved: %s; applicants still blocking: %s\n",
			strings.Join(u.Families, ", "), strings.Join(u.Applicants, ", "))
	}
	return exitOK
}

func verify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", stderr)
	instPath := fs.String("instance", "", "instance `file` (JSON)")
	resPath := fs.String("result", "", "result `file` (JSON)")
	if !parse(fs, args, stderr, "instance", "result") {
		return exitUsage
	}
	inst, res, ok := readInstanceAndResult(*instPath, *resPath, stderr)
	if !ok {
		return exitFail
	}
	violations, err := allocation.Verify(inst, res)
	if err != nil {
		report(stderr, *instPath, err)
		return exitFail
	}
	if len(violations) > 0 {
		var blocking, families int
		for _, v := range violations {
			switch {
			case v.Kind.Blocking():
				blocking++
			case v.Kind == allocation.ViolationBlockingFamily || v.Kind == allocation.ViolationSplit:
				families++
			}
		}
		fmt.Fprintf(stdout, "%s: %s (blocking single applicants: %d, split or blocking families: %d)\n",
			*resPath, counted(len(violations), "violation"), blocking, families)
		for _, v := range violations {
			fmt.Fprintf(stdout, "  %s\n", v)
		}
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: ok, %d placements hold\n", *resPath, len(res.Placements))
	return exitOK
}

// readInstance decodes an instance file, reporting problems. Validation
// is left to the step that uses the instance ([allocation.Compile] or
// [allocation.Verify]), so that it runs once.
func readInstance(path string, stderr io.Writer) (allocation.Instance, bool) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "kitaportal: %v\n", err)
		return allocation.Instance{}, false
	}
	defer f.Close()
	inst, err := allocation.DecodeFile(f)
	if err != nil {
		report(stderr, path, err)
		return allocation.Instance{}, false
	}
	return inst, true
}

// readInstanceAndResult decodes an instance and a result file, reporting
// problems.
func readInstanceAndResult(instPath, resPath string, stderr io.Writer) (allocation.Instance, allocation.Result, bool) {
	inst, ok := readInstance(instPath, stderr)
	if !ok {
		return inst, allocation.Result{}, false
	}
	res, ok := readResult(resPath, stderr)
	return inst, res, ok
}

// readResult decodes a result file, reporting problems.
func readResult(path string, stderr io.Writer) (allocation.Result, bool) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "kitaportal: %v\n", err)
		return allocation.Result{}, false
	}
	defer f.Close()
	res, err := allocation.DecodeResult(f)
	if err != nil {
		report(stderr, path, err)
		return allocation.Result{}, false
	}
	return res, true
}

// report prints every problem of err in English, one per line.
func report(w io.Writer, path string, err error) {
	reportIn(w, path, err, allocation.Messages)
}

// counted returns n and noun, in the plural unless n is 1: "1 problem",
// "2 problems".
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
