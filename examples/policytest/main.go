// Command policytest shows how a Jugendamt checks an allocation policy
// before it uses it: it takes one allocation round (an instance), runs it
// under two candidate policies with each allocation mechanism, verifies
// every result independently and prints a comparison.
//
// The built-in round, testdata/instance.json, is SYNTHETIC: 420 children
// (about 45 % under three) in four districts, 20 Kitas with separate places
// for children under three (u3) and from three (o3), more demand than places
// in Mitte and under three. It carries ids and the facts a policy may score
// (hardship, single parent, working parents, sibling at a Kita, district,
// registration date), never names. The format is described in
// allocation/FORMAT.md; a city exports its own rounds in it.
//
// The two policies are data, in policy-social.json and
// policy-proximity.json:
//
//   - social: hardship cases first; then points for a sibling at the Kita,
//     single parents and working parents; ties by lottery.
//   - proximity: a sibling at the Kita first, then families living in the
//     Kita's district, then first come, first served.
//
// For each policy the program runs child-proposing deferred acceptance
// (the city's mechanism: stable, and ranking Kitas truthfully is safe for
// families), Kita-proposing deferred acceptance and immediate acceptance
// (the "Boston" mechanism, for comparison), and reports per mechanism:
//
//   - placed and unplaced children, and how many got their first choice;
//   - justified envy: a child that prefers a Kita which admitted a child
//     with lower priority there (each such pair counts once), and how many
//     children are affected;
//   - wasted seats: a child that prefers a Kita which kept a place free;
//   - the fill of each district: placed children over places;
//   - under deferred acceptance, how the groups a policy favours fare.
//
// The verification (allocation.Verify) recomputes each Kita's priorities
// from the instance and the policy; it does not trust the engine's result.
// A verdict line per policy sums it up.
//
// Immediate acceptance usually shows more first choices. That is no gain:
// a child placed there at its first choice may hold a place that a child
// with higher priority wanted, and families learn to name a "safe" Kita
// first instead of the one they prefer, so its first choices stop meaning
// what families want. Deferred acceptance has neither problem.
//
//	go run ./examples/policytest
//	go run ./examples/policytest -instance round.json -policy mine.json -policy other.json -seed 7
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kitaportal/kitaportal/allocation"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "policytest:", err)
		os.Exit(1)
	}
}

// options are the command line flags.
type options struct {
	instance   string
	policies   []string
	seed       uint64
	mechanisms []allocation.Mechanism
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	var policies listFlag
	mechanisms := "deferred-acceptance,kita-proposing,immediate-acceptance"
	fs := flag.NewFlagSet("policytest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.instance, "instance", "", "allocation instance in the interchange format (default: the built-in testdata/instance.json)")
	fs.Var(&policies, "policy", "policy file, repeatable (default: the built-in policy-social.json and policy-proximity.json)")
	fs.Uint64Var(&o.seed, "seed", 2027, "seed of every policy's lottery (same seed, same results)")
	fs.StringVar(&mechanisms, "mechanisms", mechanisms, "comma-separated mechanisms to compare")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o.policies = policies
	for name := range strings.SplitSeq(mechanisms, ",") {
		m := allocation.ParseMechanism(strings.TrimSpace(name))
		if !m.Valid() {
			return o, fmt.Errorf("-mechanisms: unknown mechanism %q", name)
		}
		o.mechanisms = append(o.mechanisms, m)
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	inst, source, err := loadInstance(o.instance)
	if err != nil {
		return err
	}
	policies, err := loadPolicies(o.policies)
	if err != nil {
		return err
	}
	c := comparison{inst: inst, seed: o.seed, mechanisms: o.mechanisms, out: stdout}
	c.describe(source)
	for _, p := range policies {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.policy(p); err != nil {
			return err
		}
	}
	return c.summary()
}
