package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/allocation"
)

var update = flag.Bool("update", false, "rewrite testdata/instance.json from the generator")

// TestInstanceFile checks that testdata/instance.json is what the generator
// makes. After changing the generator, run
//
//	go test ./examples/policytest -run TestInstanceFile -update
func TestInstanceFile(t *testing.T) {
	want, err := encodeInstance(generateInstance(2027))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "instance.json")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the generator makes; run with -update", path)
	}
	inst, err := allocation.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	inst.Policy = allocation.Policy{Lottery: allocation.LotteryPerChild}
	if err := allocation.Validate(inst); err != nil {
		t.Fatalf("the instance is invalid: %v", err)
	}
}

// generateInstance makes a SYNTHETIC allocation round: 420 children in four
// districts, 20 Kitas with band quotas, more demand than places in Mitte
// and under three, and the attributes the example policies score. The same
// seed gives the same instance.
func generateInstance(seed uint64) allocation.Instance {
	r := rand.New(rand.NewPCG(seed, 42))
	districts := []string{"Mitte", "Nord", "Ost", "Süd"}
	share := []int{35, 20, 25, 20} // per cent of the families
	var inst allocation.Instance
	byDistrict := map[string][]string{}
	popularity := map[string]int{}
	for d, name := range districts {
		for i := range 5 {
			id := fmt.Sprintf("%s-%d", []string{"mi", "no", "os", "su"}[d], i+1)
			u3, o3 := 3+r.IntN(5), 8+r.IntN(7)
			inst.Facilities = append(inst.Facilities, allocation.Facility{
				ID: id, District: name, Capacity: u3 + o3,
				CapacityByBand: map[allocation.Band]int{allocation.BandU3: u3, allocation.BandO3: o3},
			})
			byDistrict[name] = append(byDistrict[name], id)
			popularity[id] = 1 + r.IntN(4)
		}
	}
	all := make([]string, 0, len(inst.Facilities))
	for _, f := range inst.Facilities {
		all = append(all, f.ID)
	}
	yearStart := time.Date(2027, time.August, 1, 0, 0, 0, 0, time.UTC)
	regFrom := time.Date(2026, time.August, 3, 8, 0, 0, 0, time.UTC)
	// pick draws a Kita weighted by popularity among those not chosen yet.
	pick := func(ids, chosen []string) string {
		total := 0
		for _, id := range ids {
			if !slices.Contains(chosen, id) {
				total += popularity[id]
			}
		}
		if total == 0 {
			return ""
		}
		x := r.IntN(total)
		for _, id := range ids {
			if slices.Contains(chosen, id) {
				continue
			}
			if x -= popularity[id]; x < 0 {
				return id
			}
		}
		return ""
	}
	for i := range 420 {
		x, d := r.IntN(100), 0
		for ; x >= share[d]; d++ {
			x -= share[d]
		}
		home := districts[d]
		a := allocation.Applicant{
			ID: fmt.Sprintf("c%03d", i+1), District: home,
			WorkingParents: r.IntN(100) < 75, SingleParent: r.IntN(100) < 15,
			Hardship: r.IntN(100) < 4, Resident: r.IntN(100) < 97,
			RegisteredAt: regFrom.Add(time.Duration(r.Int64N(int64(165 * 24 * time.Hour)))).Truncate(time.Minute),
		}
		if r.IntN(100) < 45 {
			a.Band = allocation.BandU3
			a.BirthDate = yearStart.AddDate(0, -(11 + r.IntN(24)), -r.IntN(28)).Format(time.DateOnly)
		} else {
			a.Band = allocation.BandO3
			a.BirthDate = yearStart.AddDate(0, -(36 + r.IntN(30)), -r.IntN(28)).Format(time.DateOnly)
		}
		n := []int{1, 2, 3, 3, 4, 5, 5, 5}[r.IntN(8)]
		for len(a.Choices) < n {
			ids := byDistrict[home]
			if r.IntN(100) < 25 {
				ids = all
			}
			id := pick(ids, a.Choices)
			if id == "" {
				id = pick(all, a.Choices)
			}
			a.Choices = append(a.Choices, id)
		}
		if r.IntN(100) < 12 {
			a.Siblings = []string{a.Choices[r.IntN(len(a.Choices))]}
		}
		inst.Applicants = append(inst.Applicants, a)
	}
	return inst
}

// encodeInstance writes an instance one applicant and one Kita per line,
// so that the file reads and diffs well.
func encodeInstance(inst allocation.Instance) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n\"facilities\": [\n")
	for i, f := range inst.Facilities {
		line, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		b.Write(line)
		if i < len(inst.Facilities)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("],\n\"applicants\": [\n")
	for i, a := range inst.Applicants {
		line, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		b.Write(line)
		if i < len(inst.Applicants)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n}\n")
	return b.Bytes(), nil
}
