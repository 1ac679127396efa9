// Command kitaportal runs kitaportal's allocation engine on files in the
// JSON interchange format of package allocation.
//
//	kitaportal allocate -instance FILE [-mechanism deferred-acceptance|kita-proposing|immediate-acceptance] [-seed N] [-explain]
//	kitaportal verify -instance FILE -result FILE
//	kitaportal simulate [-size bochum|nrw] [-applicants N] [-facilities N] [-choices N] [-capacity N] [-bands] [-seed N]
//	kitaportal serve [-profile bochum|DIR] [-addr :8080] [-postgres URL] [-mail memory|smtp://...] [-demo | -oidc-issuer URL -oidc-client ID -oidc-roles VALUE=ROLE,...]
//
// allocate prints the result JSON on standard output. verify exits 0 when
// the result respects capacities, quotas, fixed placements and choices and
// has no blocking pair, and 1 with a report otherwise. Malformed input
// exits 1 with one line per problem, naming the offending element, and
// prints no result; a wrong command line exits 2. simulate prints a
// synthetic instance (no personal data) of a named or given size, for test
// suites and analysts who want realistic inputs.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/problem"
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
  kitaportal simulate [-size bochum|nrw] [-applicants N] [-facilities N] [-choices N] [-capacity N] [-bands] [-seed N]
  kitaportal serve [-profile bochum|DIR] [-addr :8080] [-postgres URL] [-mail memory|smtp://...] [-demo | -oidc-issuer URL -oidc-client ID -oidc-roles VALUE=ROLE,...]
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
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
	explain := fs.Bool("explain", false, "explain every priority rank in the result")
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
	res, err := allocation.Run(inst, allocation.Options{Mechanism: mech, Explain: *explain})
	if err != nil {
		report(stderr, *instPath, err)
		return exitFail
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		fmt.Fprintf(stderr, "kitaportal allocate: %v\n", err)
		return exitFail
	}
	if _, err := buf.WriteTo(stdout); err != nil {
		fmt.Fprintf(stderr, "kitaportal allocate: %v\n", err)
		return exitFail
	}
	return exitOK
}

func verify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", stderr)
	instPath := fs.String("instance", "", "instance `file` (JSON)")
	resPath := fs.String("result", "", "result `file` (JSON)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "kitaportal verify: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	case *instPath == "" || *resPath == "":
		fmt.Fprintln(stderr, "kitaportal verify: -instance and -result are required")
		return exitUsage
	}
	inst, ok := readInstance(*instPath, stderr)
	if !ok {
		return exitFail
	}
	f, err := os.Open(*resPath)
	if err != nil {
		fmt.Fprintf(stderr, "kitaportal: %v\n", err)
		return exitFail
	}
	defer f.Close()
	res, err := allocation.DecodeResult(f)
	if err != nil {
		report(stderr, *resPath, err)
		return exitFail
	}
	violations, err := allocation.Verify(inst, res)
	if err != nil {
		report(stderr, *instPath, err)
		return exitFail
	}
	if len(violations) > 0 {
		fmt.Fprintf(stdout, "%s: %d violations\n", *resPath, len(violations))
		for _, v := range violations {
			fmt.Fprintf(stdout, "  %s\n", v)
		}
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: ok, %d placements hold\n", *resPath, len(res.Placements))
	return exitOK
}

// readInstance decodes and validates an instance file, reporting problems.
func readInstance(path string, stderr io.Writer) (allocation.Instance, bool) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "kitaportal: %v\n", err)
		return allocation.Instance{}, false
	}
	defer f.Close()
	inst, err := allocation.Decode(f)
	if err == nil {
		err = allocation.Validate(inst)
	}
	if err != nil {
		report(stderr, path, err)
		return allocation.Instance{}, false
	}
	return inst, true
}

// report prints every problem of err in English, one per line.
func report(w io.Writer, path string, err error) {
	var list problem.List
	if !errors.As(err, &list) {
		fmt.Fprintf(w, "kitaportal: %s: %v\n", path, err)
		return
	}
	tr := problem.NewTranslator(allocation.Messages)
	fmt.Fprintf(w, "kitaportal: %s: %d problems\n", path, len(list))
	for _, line := range tr.Messages(list, "en") {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(line))
	}
}
