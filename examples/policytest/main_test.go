package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRun runs the comparison on the built-in round and checks the lines a
// Jugendamt reads: deferred acceptance verifies clean, immediate acceptance
// shows justified envy, and both policies are there.
func TestRun(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), nil, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	got := stdout.String()
	for _, want := range []string{
		"420 children (u3 170, o3 250)",
		"20 Kitas with 340 places (u3 110, o3 230) in 4 districts",
		"policy social (policy-social.json): hardship tier, sibling +40, single_parent +30, working_parents +20; lottery per_child",
		"policy proximity (policy-proximity.json): sibling tier, district tier, registration_date tier; lottery per_child",
		"social: deferred-acceptance and kita-proposing verify clean (no justified envy, no wasted seat); immediate-acceptance shows ",
		"proximity: deferred-acceptance and kita-proposing verify clean (no justified envy, no wasted seat); immediate-acceptance shows ",
		"fill (placed/places)         Mitte        Nord         Ost         Süd",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Table rows: mechanism, placed, unplaced, first choice, justified envy, children, wasted, other.
	row := regexp.MustCompile(`(?m)^  (deferred-acceptance|kita-proposing|immediate-acceptance) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$`)
	rows := row.FindAllStringSubmatch(got, -1)
	if len(rows) != 6 {
		t.Fatalf("want 3 mechanisms × 2 policies table rows, got %d:\n%s", len(rows), got)
	}
	for _, r := range rows {
		switch r[1] {
		case "deferred-acceptance", "kita-proposing":
			if r[5] != "0" || r[7] != "0" || r[8] != "0" {
				t.Errorf("%s must verify clean: %q", r[1], r[0])
			}
		case "immediate-acceptance":
			if r[5] == "0" || r[6] == "0" {
				t.Errorf("immediate acceptance shows justified envy on this round: %q", r[0])
			}
			if r[7] != "0" || r[8] != "0" {
				t.Errorf("immediate acceptance wastes no seat and breaks no capacity: %q", r[0])
			}
		}
		if r[2] == "0" {
			t.Errorf("nobody placed: %q", r[0])
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}

	// The same seed gives the same comparison; another seed may differ.
	var again bytes.Buffer
	if err := run(context.Background(), []string{"-seed", "2027"}, &again, &stderr); err != nil {
		t.Fatal(err)
	}
	if again.String() != got {
		t.Error("two runs with the same seed differ")
	}
}

// TestOwnFiles runs a city's own instance and policy files.
func TestOwnFiles(t *testing.T) {
	dir := t.TempDir()
	inst := filepath.Join(dir, "round.json")
	if err := os.WriteFile(inst, []byte(`{
  "applicants": [
    {"id": "a", "choices": ["k1", "k2"], "working_parents": true},
    {"id": "b", "choices": ["k2", "k1"], "working_parents": true},
    {"id": "c", "choices": ["k1", "k2"]}
  ],
  "facilities": [{"id": "k1", "district": "Nord", "capacity": 1}, {"id": "k2", "district": "Süd", "capacity": 1}]
}`), 0o644); err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, "work.json")
	if err := os.WriteFile(pol, []byte(`{"name": "work", "policy": {"criteria": [{"kind": "working_parents", "mode": "points", "points": 10}], "lottery": "per_child"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-instance", inst, "-policy", pol, "-mechanisms", "deferred-acceptance"}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	got := stdout.String()
	for _, want := range []string{"3 children", "policy work (work.json): working_parents +10", "work: deferred-acceptance verifies clean", "deferred-acceptance            1/1         1/1"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}

	// A broken policy is reported with its code, in German and English.
	if err := os.WriteFile(pol, []byte(`{"name": "bad", "policy": {"criteria": [{"kind": "shoe_size", "mode": "tier"}], "lottery": "per_child"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-instance", inst, "-policy", pol}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "allocation.invalid_criterion") || !strings.Contains(err.Error(), "Unbekanntes Kriterium") {
		t.Errorf("a policy with an unknown criterion is refused with its code: %v", err)
	}
}

func TestFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{{"-mechanisms", "lottery-only"}, {"-no-such-flag"}, {"extra"}, {"-instance", filepath.Join(t.TempDir(), "missing.json")}} {
		if err := run(context.Background(), args, &stdout, &stderr); err == nil {
			t.Errorf("%q is refused", args)
		}
	}
}
