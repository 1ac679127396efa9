package allocation

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// familyCounts are what the brute-force checker counts in a placement.
type familyCounts struct {
	overCapacity int // pools holding more children than places
	blocking     int // (applicant, Kita) blocking pairs of applicants outside together-families
	families     int // blocking together-families
	split        int // together-families not at one Kita
}

// checkFamilies counts by the definitions, with no engine state: the
// priorities are those of the instance without families in which every
// child of a family not placed together has a sibling at each Kita where
// a brother or sister is placed (computed by the plain engine, whose
// ranking the other tests establish), pools are per Kita and band, and
// every pair and family is tried one by one.
func checkFamilies(t *testing.T, inst Instance, placement map[string]string) familyCounts {
	t.Helper()
	plain := inst
	plain.Families, plain.Format = nil, ""
	plain.Applicants = slices.Clone(inst.Applicants)
	idx := map[string]int{}
	for i, a := range plain.Applicants {
		idx[a.ID] = i
	}
	together := map[string]bool{}
	for _, fam := range inst.Families {
		for _, c := range fam.Children {
			if fam.Together {
				together[c] = true
				continue
			}
			a := &plain.Applicants[idx[c]]
			a.Siblings = slices.Clone(a.Siblings)
			for _, d := range fam.Children {
				if f := placement[d]; d != c && f != "" && !slices.Contains(a.Siblings, f) {
					a.Siblings = append(a.Siblings, f)
				}
			}
		}
	}
	res, err := Run(plain, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	m := newModel(inst)
	for f, order := range res.Priorities {
		for i, a := range order {
			m.rank[f][a] = i
		}
	}
	count := map[string]int{}
	for _, a := range inst.Applicants {
		if f := placement[a.ID]; f != "" {
			count[m.pool(f, a.Band)]++
		}
	}
	var c familyCounts
	for p, n := range count {
		if n > m.pools[p] {
			c.overCapacity++
		}
	}
	// better counts the children placed in pool p whom f ranks above a.
	better := func(f, p, a string) int {
		n := 0
		for _, b := range inst.Applicants {
			if placement[b.ID] == f && m.pool(f, b.Band) == p && m.rank[f][b.ID] < m.rank[f][a] {
				n++
			}
		}
		return n
	}
	for _, a := range inst.Applicants {
		if together[a.ID] {
			continue
		}
		for _, f := range a.Choices[:position(a, placement[a.ID])] {
			p := m.pool(f, a.Band)
			if count[p] < m.pools[p] || better(f, p, a.ID) < count[p] {
				c.blocking++
			}
		}
	}
	for _, fam := range inst.Families {
		if !fam.Together {
			continue
		}
		at := placement[fam.Children[0]]
		split := false
		for _, k := range fam.Children {
			split = split || placement[k] != at
		}
		if split {
			c.split++
			continue
		}
		first := inst.Applicants[idx[fam.Children[0]]]
		for _, f := range first.Choices[:position(first, at)] {
			ok := true
			for _, k := range fam.Children {
				kid := inst.Applicants[idx[k]]
				p := m.pool(f, kid.Band)
				n := better(f, p, k)
				for _, s := range fam.Children {
					if m.pool(f, inst.Applicants[idx[s]].Band) == p && m.rank[f][s] < m.rank[f][k] {
						n++
					}
				}
				ok = ok && n < m.pools[p]
			}
			if ok {
				c.families++
				break
			}
		}
	}
	return c
}

// countViolations counts Verify's report the same way.
func countViolations(v []Violation) familyCounts {
	var c familyCounts
	for _, x := range v {
		switch {
		case x.Kind == ViolationOverCapacity:
			c.overCapacity++
		case x.Kind.Blocking():
			c.blocking++
		case x.Kind == ViolationBlockingFamily:
			c.families++
		case x.Kind == ViolationSplit:
			c.split++
		}
	}
	return c
}

func TestFamiliesOnGeneratedInstances(t *testing.T) {
	unstable := 0
	runs := 0
	for seed := range uint64(24) {
		for _, spec := range []genSpec{
			{applicants: 300, facilities: 12, choices: 5, capacity: 220, families: 5},
			{applicants: 300, facilities: 12, choices: 5, capacity: 220, bands: true, families: 5},
			{applicants: 200, facilities: 10, choices: 3, capacity: 150, bands: true, families: 20},
		} {
			inst := generate(spec, seed)
			require.NotEmpty(t, inst.Families)
			t.Run(fmt.Sprintf("seed %d bands %v families %d%%: nobody split, capacities kept, blocking as the checker counts", seed, spec.bands, spec.families), func(t *testing.T) {
				res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
				require.NoError(t, err)
				got := checkFamilies(t, inst, res.Placements)
				assert.Zero(t, got.split)
				assert.Zero(t, got.overCapacity)
				v, err := Verify(inst, res)
				require.NoError(t, err)
				assert.Equal(t, got, countViolations(v))
				runs++
				if res.Unstable == nil {
					assert.Zero(t, got.blocking)
					assert.Zero(t, got.families)
					return
				}
				unstable++
				assert.NotEmpty(t, append(res.Unstable.Families, res.Unstable.Applicants...))
			})
		}
	}
	// Larger instances, where two children of one family are displaced by
	// the same proposal (seed 1109 once left a family placed twice and
	// seats wasted): a result that does not say it is unstable verifies
	// clean.
	for seed := uint64(1100); seed < 1120; seed++ {
		inst := generate(genSpec{applicants: 2000, facilities: 40, choices: 5, capacity: 1500, bands: true, families: 5}, seed)
		t.Run(fmt.Sprintf("seed %d with 2000 children: stable unless it says otherwise", seed), func(t *testing.T) {
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			v, err := Verify(inst, res)
			require.NoError(t, err)
			runs++
			if res.Unstable != nil {
				unstable++
				assert.Zero(t, countViolations(v).split)
				return
			}
			assert.Empty(t, v)
		})
	}
	t.Logf("%d of %d generated instances ended unstable", unstable, runs)
	assert.LessOrEqual(t, unstable*10, runs, "realistic instances settle")
}

func TestVerifyCountsFamiliesAsTheBruteForceChecker(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	var seen familyCounts // the random placements' violations, summed
	for seed := range uint64(300) {
		n, f := 2+int(seed%7), 1+int(seed%3)
		spec := genSpec{applicants: n, facilities: f, choices: 3, capacity: n*2/3 + f - 1, bands: seed%2 == 0, families: 50}
		inst := generate(spec, seed)
		if len(inst.Families) == 0 {
			continue
		}
		t.Run(fmt.Sprintf("seed %d: the engine's result and a random placement", seed), func(t *testing.T) {
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			got := checkFamilies(t, inst, res.Placements)
			assert.Zero(t, got.split)
			assert.Zero(t, got.overCapacity)
			if res.Unstable == nil {
				assert.Equal(t, familyCounts{}, got)
			}
			v, err := Verify(inst, res)
			require.NoError(t, err)
			assert.Equal(t, got, countViolations(v))

			random := map[string]string{}
			for _, a := range inst.Applicants {
				choices := append(slices.Clone(a.Choices), "")
				random[a.ID] = choices[rng.IntN(len(choices))]
			}
			v, err = Verify(inst, Result{Mechanism: DeferredAcceptance, Seed: inst.Policy.Seed, Placements: random})
			require.NoError(t, err)
			want := checkFamilies(t, inst, random)
			assert.Equal(t, want, countViolations(v))
			seen.overCapacity += want.overCapacity
			seen.blocking += want.blocking
			seen.families += want.families
			seen.split += want.split
		})
	}
	t.Logf("random placements: %+v", seen)
	assert.Positive(t, seen.overCapacity)
	assert.Positive(t, seen.blocking)
	assert.Positive(t, seen.families)
	assert.Positive(t, seen.split)
}

func TestWithoutFamiliesTheFamilyEngineIsDeferredAcceptance(t *testing.T) {
	for seed := range uint64(20) {
		for _, spec := range []genSpec{
			{applicants: 500, facilities: 20, choices: 5, capacity: 380},
			{applicants: 500, facilities: 20, choices: 5, capacity: 380, bands: true},
			{applicants: 300, facilities: 40, choices: 2, capacity: 400, bands: true},
		} {
			inst := generate(spec, seed)
			inst.Fixed = map[string]string{inst.Applicants[0].ID: inst.Facilities[0].ID}
			if inst.Facilities[0].CapacityByBand != nil {
				inst.Fixed = nil
			}
			t.Run(fmt.Sprintf("seed %d bands %v: the same placements as the unchanged path", seed, spec.bands), func(t *testing.T) {
				comp, err := Compile(inst)
				require.NoError(t, err)
				e := comp.e
				require.Nil(t, e.fam)
				want := e.childProposing(nil)
				e.fam = &families{of: slices.Repeat([]int32{-1}, e.nA), start: []int32{0}}
				got, unstable := e.familyDA()
				assert.Nil(t, unstable)
				assert.Equal(t, want, got)
			})
		}
	}
}

// stableFamilyPlacementExists enumerates every placement of a small
// instance and reports whether one has no blocking pair, no blocking
// family, no split and no pool over capacity.
func stableFamilyPlacementExists(t *testing.T, inst Instance) bool {
	cur := map[string]string{}
	found := false
	var walk func(i int)
	walk = func(i int) {
		if found {
			return
		}
		if i == len(inst.Applicants) {
			found = checkFamilies(t, inst, cur) == familyCounts{}
			return
		}
		a := inst.Applicants[i]
		for _, f := range append(slices.Clone(a.Choices), "") {
			cur[a.ID] = f
			walk(i + 1)
		}
	}
	walk(0)
	return found
}

// smallTogetherInstance is a generated instance with explicit priorities
// and only its together-families.
func smallTogetherInstance(seed uint64) Instance {
	n, f := 3+int(seed%5), 2+int(seed%2)
	inst := generate(genSpec{applicants: n, facilities: f, choices: 3, capacity: n*2/3 + f - 1, explicit: true, families: 60}, seed)
	var fs []Family
	for _, fam := range inst.Families {
		if fam.Together {
			fs = append(fs, fam)
		}
	}
	inst.Families = fs
	return inst
}

func TestNoStableOutcomeIsReportedWithTheFamiliesInvolved(t *testing.T) {
	// Seeds whose instances have no stable placement at all, found by
	// enumerating the first 3000.
	for _, seed := range []uint64{278, 832, 2032} {
		t.Run(fmt.Sprintf("seed %d: the result says it is unstable and names a family", seed), func(t *testing.T) {
			inst := smallTogetherInstance(seed)
			require.False(t, stableFamilyPlacementExists(t, inst), "the instance must have no stable placement")
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			require.NotNil(t, res.Unstable)
			assert.NotEmpty(t, res.Unstable.Families)
			got := checkFamilies(t, inst, res.Placements)
			assert.Zero(t, got.split)
			assert.Zero(t, got.overCapacity)
			v, err := Verify(inst, res)
			require.NoError(t, err)
			assert.Equal(t, got, countViolations(v))
		})
	}
	t.Run("the repair stops when the placements repeat, long before its bound", func(t *testing.T) {
		for _, seed := range []uint64{278, 832, 2032} {
			comp, err := Compile(smallTogetherInstance(seed))
			require.NoError(t, err)
			out, err := comp.Allocate(Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			require.NotNil(t, out.Unstable(), "seed %d", seed)
			assert.Less(t, comp.e.repairScans, maxRepairRounds/4, "seed %d", seed)
		}
	})
	t.Run("where a stable placement exists, the engine finds one", func(t *testing.T) {
		for seed := range uint64(300) {
			inst := smallTogetherInstance(seed)
			if len(inst.Families) == 0 || !stableFamilyPlacementExists(t, inst) {
				continue
			}
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			assert.Nil(t, res.Unstable, "seed %d", seed)
			assert.Equal(t, familyCounts{}, checkFamilies(t, inst, res.Placements), "seed %d", seed)
		}
	})
}
