package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/problem"
)

// builtin holds the synthetic round and the two example policies.
//
//go:embed testdata/instance.json policy-social.json policy-proximity.json
var builtin embed.FS

// policyFile is the JSON form of a candidate policy: a name, what it is
// meant to do, and the policy in the interchange format.
type policyFile struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Policy      allocation.Policy `json:"policy"`
	source      string
}

var translator = problem.NewTranslator(allocation.Messages)

// explain lists every problem of err in German and English.
func explain(err error) string {
	var list problem.List
	if !errors.As(err, &list) {
		return "  " + err.Error()
	}
	var b strings.Builder
	de, en := translator.Messages(list, "de"), translator.Messages(list, "en")
	for i, p := range list {
		fmt.Fprintf(&b, "  [%s]\n    de: %s\n    en: %s\n", p.Code, de[i], en[i])
	}
	return strings.TrimRight(b.String(), "\n")
}

// loadInstance reads the round: a file, or the built-in one when path is "".
func loadInstance(path string) (allocation.Instance, string, error) {
	var (
		data   []byte
		err    error
		source = path
	)
	if path == "" {
		source = "testdata/instance.json (built in, synthetic)"
		data, err = builtin.ReadFile("testdata/instance.json")
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return allocation.Instance{}, "", err
	}
	inst, err := allocation.Decode(bytes.NewReader(data))
	if err != nil {
		return allocation.Instance{}, "", fmt.Errorf("%s:\n%s", source, explain(err))
	}
	return inst, source, nil
}

// loadPolicies reads the policy files: the two built-in ones when paths is empty.
func loadPolicies(paths []string) ([]policyFile, error) {
	read := os.ReadFile
	if len(paths) == 0 {
		paths = []string{"policy-social.json", "policy-proximity.json"}
		read = builtin.ReadFile
	}
	var out []policyFile
	for _, path := range paths {
		data, err := read(path)
		if err != nil {
			return nil, err
		}
		var p policyFile
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if p.Name == "" {
			p.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		p.source = filepath.Base(path)
		out = append(out, p)
	}
	return out, nil
}

// outcome is one mechanism's result under one policy, with its check.
type outcome struct {
	mechanism allocation.Mechanism
	result    allocation.Result
	// envy counts blocking pairs of justified envy; envious the children
	// with any; wasted the wasted seats; other every other violation,
	// which a correct engine never produces.
	envy, envious, wasted, other int
	examples                     []allocation.Violation
	placedIn                     map[string]int
}

// comparison runs the policies against one instance.
type comparison struct {
	inst       allocation.Instance
	seed       uint64
	mechanisms []allocation.Mechanism
	out        io.Writer

	districts []string
	capacity  map[string]int
	demand    map[string]int    // children whose first choice lies in the district
	district  map[string]string // facility id -> district
	// da holds each policy's deferred-acceptance placements, for the summary.
	da      map[string]map[string]string
	names   []string
	verdict []string
}

func (c *comparison) printf(format string, args ...any) { fmt.Fprintf(c.out, format, args...) }

// describe prints the instance.
func (c *comparison) describe(source string) {
	c.capacity, c.district, c.da = map[string]int{}, map[string]string{}, map[string]map[string]string{}
	bandPlaces := map[allocation.Band]int{}
	places := 0
	for _, f := range c.inst.Facilities {
		d := f.District
		if d == "" {
			d = "(none)"
		}
		if !slices.Contains(c.districts, d) {
			c.districts = append(c.districts, d)
		}
		c.district[f.ID] = d
		c.capacity[d] += f.Capacity
		places += f.Capacity
		for b, n := range f.CapacityByBand {
			bandPlaces[b] += n
		}
	}
	bands := map[allocation.Band]int{}
	choices := 0
	c.demand = map[string]int{}
	for _, a := range c.inst.Applicants {
		bands[a.Band]++
		choices += len(a.Choices)
		if len(a.Choices) > 0 {
			c.demand[c.district[a.Choices[0]]]++
		}
	}
	c.printf("instance: %s\n", source)
	c.printf("  %d children (u3 %d, o3 %d) with %d choices; %d Kitas with %d places (u3 %d, o3 %d) in %d districts; %d fixed from earlier rounds\n",
		len(c.inst.Applicants), bands[allocation.BandU3], bands[allocation.BandO3], choices,
		len(c.inst.Facilities), places, bandPlaces[allocation.BandU3], bandPlaces[allocation.BandO3], len(c.districts), len(c.inst.Fixed))
	c.printf("  lottery seed: %d\n", c.seed)
}

// describePolicy writes a policy as one line.
func describePolicy(p allocation.Policy) string {
	var parts []string
	for _, cr := range p.Criteria {
		if cr.Mode == allocation.ModeTier {
			parts = append(parts, cr.Kind.String()+" tier")
		} else {
			parts = append(parts, fmt.Sprintf("%s %+d", cr.Kind, cr.Points))
		}
	}
	return fmt.Sprintf("%s; lottery %s", strings.Join(parts, ", "), p.Lottery)
}

// policy runs every mechanism under one policy, verifies and prints.
func (c *comparison) policy(pf policyFile) error {
	inst := c.inst
	inst.Policy = pf.Policy
	inst.Policy.Seed = c.seed
	c.printf("\npolicy %s (%s): %s\n", pf.Name, pf.source, describePolicy(inst.Policy))
	if pf.Description != "" {
		c.printf("  %s\n", pf.Description)
	}
	var outs []outcome
	for _, m := range c.mechanisms {
		res, err := allocation.Run(inst, allocation.Options{Mechanism: m})
		if err != nil {
			return fmt.Errorf("policy %s, %s:\n%s", pf.Name, m, explain(err))
		}
		vs, err := allocation.Verify(inst, res)
		if err != nil {
			return fmt.Errorf("policy %s, %s: verify:\n%s", pf.Name, m, explain(err))
		}
		o := outcome{mechanism: m, result: res, placedIn: map[string]int{}}
		envious := map[string]bool{}
		for _, v := range vs {
			switch v.Kind {
			case allocation.ViolationJustifiedEnvy:
				o.envy++
				envious[v.Applicant] = true
			case allocation.ViolationWastedSeat:
				o.wasted++
			default:
				o.other++
			}
			if len(o.examples) < 2 {
				o.examples = append(o.examples, v)
			}
		}
		o.envious = len(envious)
		for _, f := range res.Placements {
			if f != "" {
				o.placedIn[c.district[f]]++
			}
		}
		outs = append(outs, o)
		if m == allocation.DeferredAcceptance {
			c.da[pf.Name] = res.Placements
		}
	}
	c.names = append(c.names, pf.Name)

	c.printf("  %-22s %7s %9s %13s %15s %9s %7s %6s\n", "mechanism", "placed", "unplaced", "first choice", "justified envy", "children", "wasted", "other")
	for _, o := range outs {
		st := o.result.Statistics
		c.printf("  %-22s %7d %9d %13d %15d %9d %7d %6d\n", o.mechanism, st.Placed+st.Fixed, st.Unplaced, st.FirstChoice, o.envy, o.envious, o.wasted, o.other)
	}
	c.printf("  %-22s", "fill (placed/places)")
	for _, d := range c.districts {
		c.printf(" %11s", d)
	}
	c.printf("\n")
	c.printf("  %-22s", "first choices there")
	for _, d := range c.districts {
		c.printf(" %11d", c.demand[d])
	}
	c.printf("\n")
	for _, o := range outs {
		c.printf("  %-22s", o.mechanism)
		for _, d := range c.districts {
			c.printf(" %11s", fmt.Sprintf("%d/%d", o.placedIn[d], c.capacity[d]))
		}
		c.printf("\n")
	}
	for _, o := range outs {
		for _, v := range o.examples {
			c.printf("  e.g. %s: %s\n", o.mechanism, v)
		}
	}
	if placements := c.da[pf.Name]; placements != nil {
		c.groups(placements)
	}
	c.verdict = append(c.verdict, c.verdictOf(pf.Name, outs))
	return nil
}

// groups prints how the groups a policy may favour fare under deferred acceptance.
func (c *comparison) groups(placements map[string]string) {
	type count struct{ placed, all int }
	var hardship, single, sibling, home count
	for _, a := range c.inst.Applicants {
		f := placements[a.ID]
		if a.Hardship {
			hardship.all++
			if f != "" {
				hardship.placed++
			}
		}
		if a.SingleParent {
			single.all++
			if f != "" {
				single.placed++
			}
		}
		if len(a.Siblings) > 0 {
			sibling.all++
			if slices.Contains(a.Siblings, f) {
				sibling.placed++
			}
		}
		if f != "" {
			home.all++
			if c.district[f] == a.District {
				home.placed++
			}
		}
	}
	c.printf("  under %s: hardship placed %d/%d, single parents placed %d/%d, at a sibling's Kita %d/%d, placed in the home district %d/%d\n",
		allocation.DeferredAcceptance, hardship.placed, hardship.all, single.placed, single.all, sibling.placed, sibling.all, home.placed, home.all)
}

// verdictOf sums up one policy in a line: which mechanisms verify clean,
// and what the others show, against the first mechanism's first choices.
func (c *comparison) verdictOf(name string, outs []outcome) string {
	var clean, parts []string
	base := outs[0]
	for _, o := range outs {
		var s string
		switch {
		case o.other > 0:
			s = fmt.Sprintf("%s FAILS verification (%d violations of capacity or choices)", o.mechanism, o.other)
		case o.envy == 0 && o.wasted == 0:
			clean = append(clean, o.mechanism.String())
			continue
		default:
			s = fmt.Sprintf("%s shows %d cases of justified envy (%d children) and %d wasted seats", o.mechanism, o.envy, o.envious, o.wasted)
		}
		if o.mechanism != base.mechanism {
			s += fmt.Sprintf(" for %+d first choices and %+d placed against %s",
				o.result.Statistics.FirstChoice-base.result.Statistics.FirstChoice,
				o.result.Statistics.Placed-base.result.Statistics.Placed, base.mechanism)
		}
		parts = append(parts, s)
	}
	if len(clean) > 0 {
		verb := "verifies"
		if len(clean) > 1 {
			verb = "verify"
		}
		parts = append([]string{fmt.Sprintf("%s %s clean (no justified envy, no wasted seat)", strings.Join(clean, " and "), verb)}, parts...)
	}
	return name + ": " + strings.Join(parts, "; ")
}

// summary compares the policies under deferred acceptance.
func (c *comparison) summary() error {
	c.printf("\nverdict\n")
	for _, v := range c.verdict {
		c.printf("  %s\n", v)
	}
	for i := 0; i+1 < len(c.names); i++ {
		a, b := c.da[c.names[i]], c.da[c.names[i+1]]
		if a == nil || b == nil {
			continue
		}
		differ := 0
		for id, f := range a {
			if b[id] != f {
				differ++
			}
		}
		c.printf("  under %s, %d of %d children get a different Kita (or none) under %s than under %s\n",
			allocation.DeferredAcceptance, differ, len(a), c.names[i+1], c.names[i])
	}
	return nil
}
