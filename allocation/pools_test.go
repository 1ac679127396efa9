package allocation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
)

// The Münster shape with care hours: a Kita publishes its places as pools
// by band, weekly hours and the month they become free; families rank the
// hours they can use.
const muensterHours = `{
  "format": "kitaportal.allocation/v2",
  "meta": {"city": "Münster", "year": "2027/28"},
  "applicants": [
    {"id": "a1", "band": "u3", "start": "2027-08", "choices": [{"kita": "aasee", "hours": [35, 45]}, "hiltrup"]},
    {"id": "a2", "band": "u3", "start": "2027-08", "choices": [{"kita": "aasee", "hours": [45, 35]}]},
    {"id": "a3", "band": "u3", "start": "2027-10", "choices": [{"kita": "aasee", "hours": [35]}, {"kita": "hiltrup", "hours": [45]}]},
    {"id": "a4", "band": "o3", "start": "2027-08", "choices": [{"kita": "aasee", "hours": [35, 45]}]},
    {"id": "a5", "band": "u3", "start": "2027-08", "choices": [{"kita": "aasee", "hours": [35, 45]}, "hiltrup"]}
  ],
  "facilities": [
    {"id": "aasee", "capacity": 4, "pools": [
      {"band": "u3", "hours": 35, "from": "2027-08", "capacity": 1},
      {"band": "u3", "hours": 45, "from": "2027-08", "capacity": 1},
      {"band": "u3", "hours": 35, "from": "2028-01", "capacity": 1},
      {"band": "o3", "hours": 45, "from": "2027-08", "capacity": 1}]},
    {"id": "hiltrup", "capacity": 2, "pools": [
      {"hours": 45, "from": "2027-08", "capacity": 2}]}
  ],
  "policy": {"lottery": "per_child", "seed": 2027}
}`

func TestPoolsHonourTheHourOrder(t *testing.T) {
	inst, err := Decode(strings.NewReader(muensterHours))
	require.NoError(t, err)
	// Explicit orders make the outcome one a reader can work out by hand.
	inst.Facilities[0].Priority = []string{"a2", "a1", "a3", "a4", "a5"}
	inst.Facilities[1].Priority = []string{"a5", "a1", "a3"}
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)

	// a2 ranks 45 first and takes the 45 h place; a1 ranks 35 first and
	// takes the 35 h place from August; a3 starts in October, so the
	// January pool is no use to it and the 35 h place went to a1: it goes
	// to Hiltrup with 45 h. a4 (o3) accepts 35 or 45 and takes the o3
	// 45 h place. a5 finds Aasee full for u3 and takes Hiltrup's second place.
	assert.Equal(t, map[string]string{"a1": "aasee", "a2": "aasee", "a3": "hiltrup", "a4": "aasee", "a5": "hiltrup"}, res.Placements)
	assert.Equal(t, map[string]int{"a1": 0, "a2": 1, "a3": 0, "a4": 3, "a5": 0}, res.Pools)
	viol, err := Verify(inst, res)
	require.NoError(t, err)
	assert.Empty(t, viol)

	// Cut-offs name each pool with its hours and month.
	require.Len(t, res.Cutoffs["aasee"], 4)
	assert.Equal(t, Cutoff{Band: BandU3, Hours: 35, From: "2028-01", Capacity: 1}, res.Cutoffs["aasee"][2])

	// A child placed in its worse pool while the better one went to
	// someone of lower priority is a blocking pair.
	bad := res
	bad.Pools = map[string]int{"a1": 1, "a2": 0, "a3": 0, "a4": 3, "a5": 0}
	viol, err = Verify(inst, bad)
	require.NoError(t, err)
	var envy []Violation
	for _, v := range viol {
		if v.Kind.Blocking() {
			envy = append(envy, v)
		}
	}
	assert.Equal(t, []Violation{{Kind: ViolationJustifiedEnvy, Applicant: "a2", Facility: "aasee", Band: BandU3, Pool: 2, Other: "a1"}}, envy)

	// a3 needs its place from October: the January pool does not fit.
	bad.Placements = map[string]string{"a1": "aasee", "a2": "aasee", "a3": "aasee", "a4": "aasee", "a5": "hiltrup"}
	bad.Pools = map[string]int{"a1": 0, "a2": 1, "a3": 2, "a4": 3, "a5": 0}
	viol, err = Verify(inst, bad)
	require.NoError(t, err)
	assert.Contains(t, viol, Violation{Kind: ViolationUnfitPool, Applicant: "a3", Facility: "aasee", Pool: 3})
}

func TestPoolsRoundTripThroughJSON(t *testing.T) {
	inst, err := Decode(strings.NewReader(muensterHours))
	require.NoError(t, err)
	assert.Equal(t, [][]int{{35, 45}}, inst.Applicants[0].ChoiceHours)
	assert.Equal(t, [][]int{{35}, {45}}, inst.Applicants[2].ChoiceHours)
	data, err := json.Marshal(inst)
	require.NoError(t, err)
	again, err := Decode(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, inst.Applicants, again.Applicants)
	assert.Equal(t, inst.Facilities, again.Facilities)

	comp, err := Compile(inst)
	require.NoError(t, err)
	out, err := comp.Allocate(Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, out.WriteJSON(&buf))
	written, err := DecodeResult(&buf)
	require.NoError(t, err)
	res := out.Result()
	res.Priorities = nil
	assert.Equal(t, res, written)
}

func TestPoolsValidation(t *testing.T) {
	v2 := func(apps, facs string) string {
		return `{"format":"kitaportal.allocation/v2","applicants":[` + apps + `],"facilities":[` + facs + `],"policy":{"lottery":"per_child"}}`
	}
	k := `{"id":"k","capacity":2,"pools":[{"band":"u3","hours":35,"from":"2027-08","capacity":2}]}`
	tests := []struct {
		name  string
		input string
		path  string
		code  problem.Code
	}{
		{"hours a Kita does not offer are refused", v2(`{"id":"a","band":"u3","choices":[{"kita":"k","hours":[45]}]}`, k),
			"applicants[0].choices[0].hours[0]", CodeHoursNotOffered},
		{"hours at a Kita without pools are refused", v2(`{"id":"a","choices":[{"kita":"p","hours":[35]}]}`, `{"id":"p","capacity":1}`),
			"applicants[0].choices[0].hours[0]", CodeHoursNotOffered},
		{"the same hours twice are refused", v2(`{"id":"a","band":"u3","choices":[{"kita":"k","hours":[35,35]}]}`, k),
			"applicants[0].choices[0].hours[1]", CodeDuplicateHours},
		{"hours out of range are refused", v2(`{"id":"a","band":"u3","choices":[{"kita":"k","hours":[0]}]}`, k),
			"applicants[0].choices[0].hours[0]", CodeInvalidHours},
		{"a start that is no month is refused", v2(`{"id":"a","band":"u3","start":"2027-13","choices":["k"]}`, k),
			"applicants[0].start", CodeInvalidMonth},
		{"a pool month that is no month is refused", v2(`{"id":"a","band":"u3","choices":["k"]}`, `{"id":"k","capacity":1,"pools":[{"hours":35,"from":"August","capacity":1}]}`),
			"facilities[0].pools[0].from", CodeInvalidMonth},
		{"an unknown pool band is refused", v2(`{"id":"a","band":"u3","choices":["k"]}`, `{"id":"k","capacity":1,"pools":[{"band":"u9","hours":35,"from":"2027-08","capacity":1}]}`),
			"facilities[0].pools[0].band", CodeInvalidBand},
		{"pools and band quotas together are refused", v2(`{"id":"a","band":"u3","choices":["k"]}`, `{"id":"k","capacity":1,"capacity_by_band":{"u3":1},"pools":[{"hours":35,"from":"2027-08","capacity":1}]}`),
			"facilities[0].pools", CodePoolsAndQuotas},
		{"pools that do not add up to the capacity are refused", v2(`{"id":"a","band":"u3","choices":["k"]}`, `{"id":"k","capacity":3,"pools":[{"hours":35,"from":"2027-08","capacity":1}]}`),
			"facilities[0].capacity", CodeQuotaSum},
		{"pools in a version 1 file are refused", `{"applicants":[],"facilities":[` + k + `],"policy":{"lottery":"per_child"}}`,
			"facilities[0].pools", CodeNeedsV2},
		{"a together-family with different hours is refused", `{"format":"kitaportal.allocation/v2","applicants":[{"id":"a","band":"u3","choices":[{"kita":"k","hours":[35]}]},{"id":"b","band":"u3","choices":["k"]}],"facilities":[` + k + `],"families":[{"id":"f","children":["a","b"],"together":true}],"policy":{"lottery":"per_child"}}`,
			"applicants[1].choices", CodeFamilyChoices},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inst, err := Decode(strings.NewReader(tt.input))
			require.NoError(t, err)
			err = Validate(inst)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, slices.ContainsFunc(list, func(p problem.Problem) bool { return p.Field == tt.path && p.Code == tt.code }), "%v", list)
		})
	}
}

func TestPoolsNeedDeferredAcceptance(t *testing.T) {
	inst, err := Decode(strings.NewReader(muensterHours))
	require.NoError(t, err)
	_, err = Run(inst, Options{Mechanism: ImmediateAcceptance})
	require.ErrorIs(t, err, ErrMechanism)
	var list problem.List
	require.ErrorAs(t, err, &list)
	assert.Equal(t, CodePoolsMechanism, list[0].Code)
}

// poolInstance generates a small instance with pools, ranked hours, start
// months and explicit priority orders, so that the checker below needs no
// engine to rank.
func poolInstance(rng *rand.Rand, nA, nF int, families bool) Instance {
	inst := Instance{Format: FormatV2, Policy: Policy{Lottery: LotteryPerChild}}
	hours := []int{25, 35, 45}
	months := []string{"2027-08", "2027-10", "2028-01"}
	for f := range nF {
		fac := Facility{ID: fmt.Sprintf("k%d", f)}
		for range 1 + rng.IntN(3) {
			p := Pool{Hours: hours[rng.IntN(3)], From: months[rng.IntN(3)], Capacity: rng.IntN(3)}
			if rng.IntN(2) == 0 {
				p.Band = Bands[rng.IntN(2)]
			}
			fac.Pools = append(fac.Pools, p)
			fac.Capacity += p.Capacity
		}
		inst.Facilities = append(inst.Facilities, fac)
	}
	for a := range nA {
		app := Applicant{ID: fmt.Sprintf("c%d", a), Band: Bands[rng.IntN(2)]}
		if rng.IntN(3) > 0 {
			app.Start = months[rng.IntN(3)]
		}
		for _, f := range rng.Perm(nF)[:1+rng.IntN(nF)] {
			app.Choices = append(app.Choices, inst.Facilities[f].ID)
			var offered []int
			for _, p := range inst.Facilities[f].Pools {
				if !slices.Contains(offered, p.Hours) {
					offered = append(offered, p.Hours)
				}
			}
			rng.Shuffle(len(offered), func(i, j int) { offered[i], offered[j] = offered[j], offered[i] })
			hs := offered[:rng.IntN(len(offered)+1)] // none: any hours
			for len(app.ChoiceHours) < len(app.Choices)-1 {
				app.ChoiceHours = append(app.ChoiceHours, nil)
			}
			app.ChoiceHours = append(app.ChoiceHours, hs)
		}
		inst.Applicants = append(inst.Applicants, app)
	}
	for a := 0; families && a+1 < nA; a++ {
		if rng.IntN(3) > 0 {
			continue
		}
		fam := Family{ID: fmt.Sprintf("f%d", len(inst.Families)), Children: []string{inst.Applicants[a].ID, inst.Applicants[a+1].ID}, Together: rng.IntN(3) > 0}
		if fam.Together {
			inst.Applicants[a+1].Choices = inst.Applicants[a].Choices
			inst.Applicants[a+1].ChoiceHours = inst.Applicants[a].ChoiceHours
		}
		inst.Families = append(inst.Families, fam)
		a++
	}
	for f := range inst.Facilities {
		fac := &inst.Facilities[f]
		for _, i := range rng.Perm(nA) {
			if slices.Contains(inst.Applicants[i].Choices, fac.ID) {
				fac.Priority = append(fac.Priority, inst.Applicants[i].ID)
			}
		}
	}
	return inst
}

// poolCounts are what checkPools counts in a placement.
type poolCounts struct {
	overCapacity, unfit, blocking, split, families int
}

// checkPools counts by the definitions, from the instance's fields only: a
// child's options are (Kita, pool) in its order of Kitas, then of hours
// (any hours: the Kita's order of pools); a pool fits when its band is
// unset or the child's, and it is free by the child's start month.
func checkPools(inst Instance, place map[string]string, pools map[string]int) poolCounts {
	type opt struct {
		f    string
		pool int
	}
	facs := map[string]Facility{}
	for _, f := range inst.Facilities {
		facs[f.ID] = f
	}
	options := func(a Applicant) []opt {
		var out []opt
		for j, fid := range a.Choices {
			var hs []int
			if j < len(a.ChoiceHours) {
				hs = a.ChoiceHours[j]
			}
			fits := func(p Pool) bool {
				return (p.Band == 0 || p.Band == a.Band) && (a.Start == "" || p.From <= a.Start)
			}
			pl := facs[fid].Pools
			if len(hs) == 0 {
				for i, p := range pl {
					if fits(p) {
						out = append(out, opt{fid, i})
					}
				}
				continue
			}
			for _, h := range hs {
				for i, p := range pl {
					if p.Hours == h && fits(p) {
						out = append(out, opt{fid, i})
					}
				}
			}
		}
		return out
	}
	rank := func(fid, a string) int { return slices.Index(facs[fid].Priority, a) }
	held := map[opt][]string{}
	var c poolCounts
	for _, a := range inst.Applicants {
		if place[a.ID] == "" {
			continue
		}
		o := opt{place[a.ID], pools[a.ID]}
		if !slices.Contains(options(a), o) {
			c.unfit++
		}
		held[o] = append(held[o], a.ID)
	}
	for o, as := range held {
		if len(as) > facs[o.f].Pools[o.pool].Capacity {
			c.overCapacity++
		}
	}
	together := map[string]bool{}
	for _, fam := range inst.Families {
		for _, k := range fam.Children {
			together[k] = fam.Together
		}
	}
	byID := map[string]Applicant{}
	for _, a := range inst.Applicants {
		byID[a.ID] = a
	}
	// A together-family's options: per Kita, per hour (its hours, or the
	// Kita's in the order of its pools), each child's first fitting pool
	// of those hours (-1: none).
	famOptions := func(kid Applicant) []opt {
		var out []opt
		for j, fid := range kid.Choices {
			var hs []int
			if j < len(kid.ChoiceHours) {
				hs = kid.ChoiceHours[j]
			}
			if len(hs) == 0 {
				for _, p := range facs[fid].Pools {
					if !slices.Contains(hs, p.Hours) {
						hs = append(hs, p.Hours)
					}
				}
			}
			for _, h := range hs {
				o := opt{fid, -1}
				for i, p := range facs[fid].Pools {
					if p.Hours == h && (p.Band == 0 || p.Band == kid.Band) && (kid.Start == "" || p.From <= kid.Start) {
						o.pool = i
						break
					}
				}
				out = append(out, o)
			}
		}
		return out
	}
	for _, fam := range inst.Families {
		if !fam.Together {
			continue
		}
		at := place[fam.Children[0]]
		split := false
		for _, k := range fam.Children {
			split = split || place[k] != at
		}
		if split {
			c.split++
			continue
		}
		opts := map[string][]opt{}
		for _, k := range fam.Children {
			opts[k] = famOptions(byID[k])
		}
		first := opts[fam.Children[0]]
		end := len(first)
		for i := range first {
			here := at != ""
			for _, k := range fam.Children {
				here = here && opts[k][i] == (opt{place[k], pools[k]})
			}
			if here {
				end = i
				break
			}
		}
		for i := range end {
			ok := true
			for _, k := range fam.Children {
				o := opts[k][i]
				if o.pool < 0 {
					ok = false
					break
				}
				n := 0
				for _, b := range held[o] {
					if rank(o.f, b) < rank(o.f, k) {
						n++
					}
				}
				for _, s := range fam.Children {
					if opts[s][i] == o && rank(o.f, s) < rank(o.f, k) {
						n++
					}
				}
				ok = ok && n < facs[o.f].Pools[o.pool].Capacity
			}
			if ok {
				c.families++
				break
			}
		}
	}
	for _, a := range inst.Applicants {
		if together[a.ID] {
			continue
		}
		opts := options(a)
		end := len(opts)
		if place[a.ID] != "" {
			if i := slices.Index(opts, opt{place[a.ID], pools[a.ID]}); i >= 0 {
				end = i
			}
		}
		for _, o := range opts[:end] {
			if len(held[o]) < facs[o.f].Pools[o.pool].Capacity ||
				slices.ContainsFunc(held[o], func(b string) bool { return rank(o.f, b) > rank(o.f, a.ID) }) {
				c.blocking++
			}
		}
	}
	return c
}

func countPoolViolations(v []Violation) poolCounts {
	var c poolCounts
	for _, x := range v {
		switch {
		case x.Kind == ViolationOverCapacity:
			c.overCapacity++
		case x.Kind == ViolationUnfitPool:
			c.unfit++
		case x.Kind.Blocking():
			c.blocking++
		case x.Kind == ViolationSplit:
			c.split++
		case x.Kind == ViolationBlockingFamily:
			c.families++
		}
	}
	return c
}

func TestPoolsOnGeneratedInstances(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2027))
	random, unstable := poolCounts{}, 0
	for i := range 400 {
		inst := poolInstance(rng, 2+rng.IntN(9), 1+rng.IntN(4), i%2 == 1)
		require.NoError(t, Validate(inst), "instance %d", i)
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
		require.NoError(t, err)
		got := checkPools(inst, res.Placements, res.Pools)
		viol, err := Verify(inst, res)
		require.NoError(t, err)
		assert.Equal(t, got, countPoolViolations(viol), "instance %d", i)
		assert.Zero(t, got.split+got.unfit+got.overCapacity, "instance %d: nobody split, every pool fits and holds", i)
		if res.Unstable == nil {
			assert.Equal(t, poolCounts{}, got, "instance %d: the engine's result is stable", i)
		} else {
			unstable++
		}

		// Random placements: Verify counts what the checker counts.
		place, pools := map[string]string{}, map[string]int{}
		for _, a := range inst.Applicants {
			place[a.ID] = ""
			if rng.IntN(3) > 0 {
				f := a.Choices[rng.IntN(len(a.Choices))]
				k := slices.IndexFunc(inst.Facilities, func(x Facility) bool { return x.ID == f })
				place[a.ID], pools[a.ID] = f, rng.IntN(len(inst.Facilities[k].Pools))
			}
		}
		viol, err = Verify(inst, Result{Placements: place, Pools: pools})
		require.NoError(t, err)
		want := checkPools(inst, place, pools)
		assert.Equal(t, want, countPoolViolations(viol), "instance %d", i)
		random.overCapacity += want.overCapacity
		random.unfit += want.unfit
		random.blocking += want.blocking
		random.split += want.split
		random.families += want.families
	}
	assert.Less(t, unstable, 10, "instances without a stable outcome are rare")
	assert.Positive(t, random.split)
	assert.Positive(t, random.families)
	assert.Positive(t, random.overCapacity)
	assert.Positive(t, random.unfit)
	assert.Positive(t, random.blocking)
}

func TestSyntheticHoursAndMonths(t *testing.T) {
	inst, err := Synthetic{Applicants: 3000, Facilities: 60, Choices: 5, Capacity: 2600, Bands: true, Hours: true, Months: true}.Generate(7)
	require.NoError(t, err)
	require.Equal(t, FormatV2, inst.Format)
	for _, a := range inst.Applicants {
		require.NotEmpty(t, a.Start)
		require.Len(t, a.ChoiceHours, len(a.Choices))
	}
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	viol, err := Verify(inst, res)
	require.NoError(t, err)
	assert.Empty(t, viol)
	// Children take their first hours far more often than their second.
	first, second := 0, 0
	for _, a := range inst.Applicants {
		d, ok := res.Pools[a.ID]
		if !ok {
			continue
		}
		j := slices.Index(a.Choices, res.Placements[a.ID])
		k := slices.IndexFunc(inst.Facilities, func(f Facility) bool { return f.ID == res.Placements[a.ID] })
		switch slices.Index(a.ChoiceHours[j], inst.Facilities[k].Pools[d].Hours) {
		case 0:
			first++
		case 1:
			second++
		default:
			t.Fatalf("%s placed with hours it did not name", a.ID)
		}
	}
	assert.Greater(t, first, 4*second)
	assert.Positive(t, second)
}

func TestPositionsAtKitasWithPools(t *testing.T) {
	inst, err := Decode(strings.NewReader(muensterHours))
	require.NoError(t, err)
	inst.Facilities[0].Priority = []string{"a2", "a1", "a3", "a4", "a5"}
	inst.Facilities[1].Priority = []string{"a5", "a1", "a3"}
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	pos, err := Positions(inst, res, "a5")
	require.NoError(t, err)
	assert.Equal(t, []Position{
		{Applicant: "a5", Facility: "aasee", Choice: 1, Rank: 5, LastAdmitted: 4},
		{Applicant: "a5", Facility: "hiltrup", Choice: 2, Rank: 1, LastAdmitted: 3, Placed: true},
	}, pos)
}

func TestTwinsWithHoursStayTogether(t *testing.T) {
	const input = `{
  "format": "kitaportal.allocation/v2",
  "applicants": [
    {"id": "t1", "band": "u3", "start": "2027-08", "choices": [{"kita": "aasee", "hours": [35, 45]}, {"kita": "hiltrup", "hours": [35]}]},
    {"id": "t2", "band": "u3", "start": "2027-08", "choices": [{"kita": "aasee", "hours": [35, 45]}, {"kita": "hiltrup", "hours": [35]}]},
    {"id": "s1", "band": "u3", "start": "2027-08", "choices": [{"kita": "aasee", "hours": [35]}]},
    {"id": "e1", "band": "o3", "start": "2027-08", "choices": [{"kita": "hiltrup", "hours": [35]}]},
    {"id": "y1", "band": "u3", "start": "2027-08", "choices": [{"kita": "hiltrup", "hours": [35]}]}
  ],
  "facilities": [
    {"id": "aasee", "capacity": 4, "pools": [
      {"band": "u3", "hours": 35, "from": "2027-08", "capacity": 2},
      {"band": "u3", "hours": 45, "from": "2027-08", "capacity": 2}]},
    {"id": "hiltrup", "capacity": 3, "pools": [{"hours": 35, "from": "2027-08", "capacity": 3}]}
  ],
  "families": [{"id": "twins", "children": ["t1", "t2"], "together": true},
               {"id": "siblings", "children": ["e1", "y1"]}],
  "policy": {"lottery": "per_child", "seed": 2027}
}`
	inst, err := Decode(strings.NewReader(input))
	require.NoError(t, err)
	// s1 ranks between the twins at Aasee: the twins cannot both have 35
	// hours there, so they take 45 hours there together, as their order
	// says (Aasee with 45 before Hiltrup).
	inst.Facilities[0].Priority = []string{"t1", "s1", "t2"}
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Equal(t, "aasee", res.Placements["t1"])
	assert.Equal(t, "aasee", res.Placements["t2"])
	assert.Equal(t, 1, res.Pools["t1"])
	assert.Equal(t, 1, res.Pools["t2"])
	assert.Equal(t, 0, res.Pools["s1"])
	assert.Equal(t, "hiltrup", res.Placements["e1"])
	assert.Equal(t, "hiltrup", res.Placements["y1"])
	assert.Equal(t, 1, res.Statistics.Together)
	viol, err := Verify(inst, res)
	require.NoError(t, err)
	assert.Empty(t, viol)

	// Twins split over two pools of one Kita are together; one at each
	// Kita is a split.
	bad := res
	bad.Placements = cloneMap(res.Placements)
	bad.Placements["t2"] = "hiltrup"
	bad.Pools = cloneMap(res.Pools)
	bad.Pools["t2"] = 0
	viol, err = Verify(inst, bad)
	require.NoError(t, err)
	assert.Contains(t, viol, Violation{Kind: ViolationSplit, Family: "twins"})
}

func TestSyntheticFamiliesWithHoursAndMonths(t *testing.T) {
	inst, err := Synthetic{Applicants: 3000, Facilities: 60, Choices: 5, Capacity: 3870, Bands: true, Families: 5, Hours: true, Months: true}.Generate(11) // places as in Bochum
	require.NoError(t, err)
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	viol, err := Verify(inst, res)
	require.NoError(t, err)
	for _, v := range viol {
		assert.NotEqual(t, ViolationSplit, v.Kind)
		assert.NotEqual(t, ViolationUnfitPool, v.Kind)
		assert.NotEqual(t, ViolationOverCapacity, v.Kind)
	}
	if res.Unstable == nil {
		assert.Empty(t, viol)
	}
	assert.Positive(t, res.Statistics.Families)
	assert.Greater(t, res.Statistics.Together, res.Statistics.Families/2)
}

func cloneMap[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
