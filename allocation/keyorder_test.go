package allocation

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

// tiedInstance is one Kita and n applicants whose keys mostly tie above
// their pair's bits: a registration-date tier that spans 2^35 seconds
// (one applicant registered 1,100 years early) leaves 64-35-bits(n)
// bits of the lottery in the packed key, so among n-1 applicants of one
// date, some draw the same leading bits.
func tiedInstance(n int) Instance {
	at := time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)
	inst := Instance{
		Facilities: []Facility{{ID: "k1", Capacity: n / 3}},
		Policy: Policy{
			Criteria: []Criterion{{Kind: KindRegistrationDate, Mode: ModeTier}},
			Lottery:  LotteryPerChild,
			Seed:     7,
		},
	}
	for i := range n {
		a := Applicant{ID: fmt.Sprintf("c%05d", i), Choices: []string{"k1"}, RegisteredAt: at}
		if i == 0 {
			a.RegisteredAt = at.AddDate(-1100, 0, 0) // 2^35 seconds earlier
		}
		inst.Applicants = append(inst.Applicants, a)
	}
	return inst
}

// TestKeyOrderIsTheKitasOrder checks that deferred acceptance by keys
// compares two pairs as their Kita's order lists them, also where their
// packed keys tie and the whole lottery number and the id decide.
func TestKeyOrderIsTheKitasOrder(t *testing.T) {
	comp, err := Compile(tiedInstance(3000))
	if err != nil {
		t.Fatal(err)
	}
	e := comp.e
	if e.pairKey == nil {
		t.Fatal("the instance is ranked by keys only on need, but pairKey is nil")
	}
	if e.facOrder != nil {
		t.Fatal("Compile built the Kitas' orders before they were needed")
	}
	e.keys()
	e.ordered()
	o := e.keyOrder()
	ties := 0
	for f := range e.nF {
		list := e.facOrder[e.facStart[f]:e.facStart[f+1]]
		for i := 1; i < len(list); i++ {
			x, y := e.pairKey[list[i]], e.pairKey[list[i-1]]
			if x>>o.bits == y>>o.bits {
				ties++
			}
			if !o.worse(x, y) || o.worse(y, x) {
				t.Fatalf("Kita %d: pairs %d and %d at ranks %d and %d compare the other way by key", f, list[i-1], list[i], i-1, i)
			}
		}
	}
	if ties == 0 {
		t.Fatal("no keys tie: the test does not reach the tie-break")
	}
	t.Logf("%d neighbours tie above the pair's bits", ties)
}

// TestKeyProposingPlacesAsProposing checks deferred acceptance by keys
// against deferred acceptance by ranks on the same compiled instances,
// with and without ties in the keys.
func TestKeyProposingPlacesAsProposing(t *testing.T) {
	for _, inst := range []Instance{
		tiedInstance(3000),
		generate(genSpec{applicants: 20_000, facilities: 120, choices: 5, capacity: 15_000, bands: true}, 3),
		generate(genSpec{applicants: 20_000, facilities: 120, choices: 3, capacity: 9_000}, 4),
	} {
		comp, err := Compile(inst)
		if err != nil {
			t.Fatal(err)
		}
		if comp.e.pairKey == nil {
			t.Fatal("pairKey is nil")
		}
		byKey := comp.e.keyProposing(nil)
		byRank := comp.e.childProposing(nil)
		placed := 0
		for a := range byKey {
			if byKey[a] != byRank[a] {
				t.Fatalf("applicant %d: pair %d by key, %d by rank", a, byKey[a], byRank[a])
			}
			if byKey[a] >= 0 {
				placed++
			}
		}
		if placed == 0 || placed == len(byKey) {
			t.Fatalf("%d of %d placed: the instance does not test rejection", placed, len(byKey))
		}
	}
}

// TestCompiledServesConcurrentAllocations allocates one compiled instance
// from several goroutines at once, with deferred acceptance by keys and
// with the mechanisms that need the Kitas' orders first, and reads the
// outcomes while others are built: each equals the outcome of its
// mechanism allocated alone (run with -race).
func TestCompiledServesConcurrentAllocations(t *testing.T) {
	inst := generate(genSpec{applicants: 6_000, facilities: 40, choices: 5, capacity: 4_500, bands: true}, 11)
	want := map[Mechanism]Result{}
	for _, m := range []Mechanism{DeferredAcceptance, KitaProposing, ImmediateAcceptance} {
		res, err := Run(inst, Options{Mechanism: m})
		if err != nil {
			t.Fatal(err)
		}
		want[m] = res
	}
	comp, err := Compile(inst)
	if err != nil {
		t.Fatal(err)
	}
	if comp.e.pairKey == nil {
		t.Fatal("the instance is not allocated by keys")
	}
	var wg sync.WaitGroup
	got := make([]Result, 6)
	mech := func(i int) Mechanism { return []Mechanism{DeferredAcceptance, KitaProposing, ImmediateAcceptance}[i%3] }
	for i := range got {
		wg.Go(func() {
			out, err := comp.Allocate(Options{Mechanism: mech(i)})
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = out.Result()
		})
	}
	wg.Wait()
	for i, res := range got {
		if !reflect.DeepEqual(res, want[mech(i)]) {
			t.Errorf("allocation %d (%v) differs from the same mechanism alone", i, mech(i))
		}
	}
}
