package allocation

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These properties are checked against an independent, brute-force model:
// explicit priority orders, pools per band, and enumeration of every
// matching of a small instance.

// smallSpecs are instances small enough to enumerate every matching.
func smallSpecs() []genSpec {
	var specs []genSpec
	for _, bands := range []bool{false, true} {
		for n := 1; n <= 6; n++ {
			for f := 1; f <= 3; f++ {
				specs = append(specs, genSpec{applicants: n, facilities: f, choices: 3, capacity: (n*2)/3 + f - 1, bands: bands, explicit: true})
			}
		}
	}
	return specs
}

// model is the brute-force view of an instance.
type model struct {
	inst  Instance
	rank  map[string]map[string]int // facility -> applicant -> position
	pools map[string]int            // "facility/band" -> places
}

func newModel(inst Instance) model {
	m := model{inst: inst, rank: map[string]map[string]int{}, pools: map[string]int{}}
	for _, f := range inst.Facilities {
		m.rank[f.ID] = map[string]int{}
		for i, a := range f.Priority {
			m.rank[f.ID][a] = i
		}
		if f.CapacityByBand == nil {
			m.pools[f.ID+"/"] = f.Capacity
		}
		for b, n := range f.CapacityByBand {
			m.pools[f.ID+"/"+b.String()] = n
		}
	}
	return m
}

func (m model) pool(fid string, b Band) string {
	for _, f := range m.inst.Facilities {
		if f.ID == fid && f.CapacityByBand != nil {
			return fid + "/" + b.String()
		}
	}
	return fid + "/"
}

// position returns where fid is in a's list, len(choices) for none.
func position(a Applicant, fid string) int {
	if i := slices.Index(a.Choices, fid); i >= 0 {
		return i
	}
	return len(a.Choices)
}

// stable reports whether placement respects capacities and has no blocking
// pair, by the definition: a prefers f and f has a free place in a's pool
// or admitted someone a outranks there.
func (m model) stable(placement map[string]string) bool {
	count := map[string]int{}
	for _, a := range m.inst.Applicants {
		if f := placement[a.ID]; f != "" {
			count[m.pool(f, a.Band)]++
		}
	}
	for p, n := range count {
		if n > m.pools[p] {
			return false
		}
	}
	for _, a := range m.inst.Applicants {
		for _, f := range a.Choices[:position(a, placement[a.ID])] {
			p := m.pool(f, a.Band)
			if count[p] < m.pools[p] {
				return false
			}
			for _, b := range m.inst.Applicants {
				if placement[b.ID] == f && m.pool(f, b.Band) == p && m.rank[f][a.ID] < m.rank[f][b.ID] {
					return false
				}
			}
		}
	}
	return true
}

// stableMatchings enumerates every stable matching.
func (m model) stableMatchings() []map[string]string {
	var out []map[string]string
	cur := map[string]string{}
	var walk func(i int)
	walk = func(i int) {
		if i == len(m.inst.Applicants) {
			if m.stable(cur) {
				out = append(out, maps(cur))
			}
			return
		}
		a := m.inst.Applicants[i]
		for _, f := range append(slices.Clone(a.Choices), "") {
			cur[a.ID] = f
			walk(i + 1)
		}
	}
	walk(0)
	return out
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestDeferredAcceptanceIsStableOnGeneratedInstances(t *testing.T) {
	for seed := range uint64(40) {
		for _, spec := range []genSpec{
			{applicants: 300, facilities: 12, choices: 5, capacity: 220},
			{applicants: 300, facilities: 12, choices: 5, capacity: 220, bands: true},
			{applicants: 100, facilities: 30, choices: 2, capacity: 150, bands: true},
		} {
			inst := generate(spec, seed)
			t.Run(fmt.Sprintf("seed %d bands %v: child- and kita-proposing results verify clean", seed, spec.bands), func(t *testing.T) {
				for _, mech := range []Mechanism{DeferredAcceptance, KitaProposing} {
					res, err := Run(inst, Options{Mechanism: mech})
					require.NoError(t, err)
					v, err := Verify(inst, res)
					require.NoError(t, err)
					assert.Empty(t, v, mech.String())
				}
			})
		}
	}
}

func TestDeferredAcceptanceIsApplicantOptimal(t *testing.T) {
	for _, spec := range smallSpecs() {
		for seed := range uint64(12) {
			inst := generate(spec, seed)
			name := fmt.Sprintf("%d children, %d Kitas, bands %v, seed %d: DA is the best stable matching for every child and KP the worst",
				spec.applicants, spec.facilities, spec.bands, seed)
			t.Run(name, func(t *testing.T) {
				m := newModel(inst)
				all := m.stableMatchings()
				require.NotEmpty(t, all, "a stable matching always exists")
				da, err := Run(inst, Options{Mechanism: DeferredAcceptance})
				require.NoError(t, err)
				kp, err := Run(inst, Options{Mechanism: KitaProposing})
				require.NoError(t, err)
				assert.True(t, m.stable(da.Placements), "DA is stable")
				assert.True(t, m.stable(kp.Placements), "KP is stable")
				assert.Contains(t, all, da.Placements)
				for _, s := range all {
					for _, a := range inst.Applicants {
						assert.LessOrEqual(t, position(a, da.Placements[a.ID]), position(a, s[a.ID]), "DA is at least as good for %s", a.ID)
						assert.GreaterOrEqual(t, position(a, kp.Placements[a.ID]), position(a, s[a.ID]), "KP is at most as good for %s", a.ID)
					}
				}
			})
		}
	}
}

// lists returns every ordered list of distinct facility ids (every subset in
// every order), the empty one included.
func lists(ids []string) [][]string {
	out := [][]string{{}}
	for _, l := range out {
		_ = l
	}
	var walk func(cur []string, used map[string]bool)
	walk = func(cur []string, used map[string]bool) {
		for _, id := range ids {
			if used[id] {
				continue
			}
			next := append(slices.Clone(cur), id)
			out = append(out, next)
			used[id] = true
			walk(next, used)
			used[id] = false
		}
	}
	walk(nil, map[string]bool{})
	return out
}

func TestDeferredAcceptanceIsStrategyProof(t *testing.T) {
	for _, spec := range smallSpecs() {
		for seed := range uint64(4) {
			inst := generate(spec, seed)
			var ids []string
			for _, f := range inst.Facilities {
				ids = append(ids, f.ID)
			}
			t.Run(fmt.Sprintf("%d children, %d Kitas, bands %v, seed %d: no child gains by misreporting", spec.applicants, spec.facilities, spec.bands, seed), func(t *testing.T) {
				truth, err := Run(inst, Options{Mechanism: DeferredAcceptance})
				require.NoError(t, err)
				for i, a := range inst.Applicants {
					honest := position(a, truth.Placements[a.ID])
					for _, report := range lists(ids) {
						lie := inst
						lie.Applicants = slices.Clone(inst.Applicants)
						lie.Applicants[i].Choices = report
						res, err := Run(lie, Options{Mechanism: DeferredAcceptance})
						require.NoError(t, err)
						assert.GreaterOrEqual(t, position(a, res.Placements[a.ID]), honest, "%s reporting %v", a.ID, report)
					}
				}
			})
		}
	}
}

func TestImmediateAcceptanceIsNotStrategyProof(t *testing.T) {
	// In the Boston example a2 gets nothing by telling the truth, but Y by
	// ranking Y first.
	inst := bostonExample()
	inst.Applicants[1].Choices = []string{"Y", "X"}
	res, err := Run(inst, Options{Mechanism: ImmediateAcceptance})
	require.NoError(t, err)
	assert.Equal(t, "Y", res.Placements["a2"])
}
