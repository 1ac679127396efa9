package allocation

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
)

// galeShapley1962 is the example of Gale and Shapley, "College Admissions
// and the Stability of Marriage", American Mathematical Monthly 69 (1962),
// p. 11: three men α, β, γ and three women A, B, C with the cyclic rank
// matrix
//
//	    A    B    C
//	α  1,3  2,2  3,1
//	β  3,1  1,3  2,2
//	γ  2,2  3,1  1,3
//
// It has three stable matchings: every man gets his first choice (the
// man-optimal one), every woman gets hers, or everyone gets a second
// choice. Men are the children, women the Kitas (one place each).
func galeShapley1962() Instance {
	return Instance{
		Applicants: []Applicant{
			{ID: "alpha", Choices: []string{"A", "B", "C"}},
			{ID: "beta", Choices: []string{"B", "C", "A"}},
			{ID: "gamma", Choices: []string{"C", "A", "B"}},
		},
		Facilities: []Facility{
			{ID: "A", Capacity: 1, Priority: []string{"beta", "gamma", "alpha"}},
			{ID: "B", Capacity: 1, Priority: []string{"gamma", "alpha", "beta"}},
			{ID: "C", Capacity: 1, Priority: []string{"alpha", "beta", "gamma"}},
		},
	}
}

func TestGaleShapley1962(t *testing.T) {
	tests := []struct {
		name string
		mech Mechanism
		want map[string]string
	}{
		{"child-proposing deferred acceptance gives every child its first choice", DeferredAcceptance,
			map[string]string{"alpha": "A", "beta": "B", "gamma": "C"}},
		{"kita-proposing deferred acceptance gives every Kita its first child", KitaProposing,
			map[string]string{"alpha": "C", "beta": "A", "gamma": "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(galeShapley1962(), Options{Mechanism: tt.mech})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Placements)
			v, err := Verify(galeShapley1962(), res)
			require.NoError(t, err)
			assert.Empty(t, v)
		})
	}
}

// bostonExample is worked by hand. Three Kitas with one place each.
//
//	a1: Y, X     X: a1 > a3 > a2
//	a2: X, Y     Y: a2 > a1 > a3
//	a3: X, Z     Z: a3
//
// Immediate acceptance, round 1: X gets a2 and a3 and keeps a3; Y gets a1
// and keeps it. Round 2: a2 applies to Y, which is full. a2 stays unplaced
// although Y ranks a2 above a1: justified envy.
//
// Deferred acceptance: X holds a3 and rejects a2; a2 displaces a1 at Y; a1
// displaces a3 at X; a3 goes to Z. Everyone is placed and nobody envies.
func bostonExample() Instance {
	return Instance{
		Applicants: []Applicant{
			{ID: "a1", Choices: []string{"Y", "X"}},
			{ID: "a2", Choices: []string{"X", "Y"}},
			{ID: "a3", Choices: []string{"X", "Z"}},
		},
		Facilities: []Facility{
			{ID: "X", Capacity: 1, Priority: []string{"a1", "a3", "a2"}},
			{ID: "Y", Capacity: 1, Priority: []string{"a2", "a1", "a3"}},
			{ID: "Z", Capacity: 1, Priority: []string{"a3"}},
		},
	}
}

func TestImmediateAcceptanceHandWorked(t *testing.T) {
	t.Run("immediate acceptance leaves a2 unplaced with justified envy towards a1 at Y", func(t *testing.T) {
		res, err := Run(bostonExample(), Options{Mechanism: ImmediateAcceptance})
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"a1": "Y", "a2": "", "a3": "X"}, res.Placements)
		assert.Equal(t, Statistics{Applicants: 3, Placed: 2, Unplaced: 1, FirstChoice: 2, ByChoice: []int{2, 0}}, res.Statistics)
		v, err := Verify(bostonExample(), res)
		require.NoError(t, err)
		assert.Equal(t, []Violation{{Kind: ViolationJustifiedEnvy, Applicant: "a2", Facility: "Y", Other: "a1"}}, v)
	})
	t.Run("deferred acceptance places everyone without envy", func(t *testing.T) {
		res, err := Run(bostonExample(), Options{Mechanism: DeferredAcceptance})
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"a1": "X", "a2": "Y", "a3": "Z"}, res.Placements)
		assert.Equal(t, []Cutoff{{Capacity: 1, Admitted: 1, Rank: 1, Applicant: "a1"}}, res.Cutoffs["X"])
		v, err := Verify(bostonExample(), res)
		require.NoError(t, err)
		assert.Empty(t, v)
	})
}

func TestPolicy(t *testing.T) {
	facility := func(id string, capacity int) Facility { return Facility{ID: id, Capacity: capacity, District: "Mitte"} }

	t.Run("a tier beats any number of points", func(t *testing.T) {
		inst := Instance{
			Applicants: []Applicant{
				{ID: "working", Choices: []string{"K"}, WorkingParents: true, Resident: true},
				{ID: "hardship", Choices: []string{"K"}, Hardship: true},
			},
			Facilities: []Facility{facility("K", 1)},
			Policy: Policy{Criteria: []Criterion{
				{Kind: KindWorkingParents, Mode: ModePoints, Points: 1000},
				{Kind: KindHardship, Mode: ModeTier},
				{Kind: KindResident, Mode: ModePoints, Points: 1000},
			}, Lottery: LotteryPerChild},
		}
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
		require.NoError(t, err)
		assert.Equal(t, []string{"hardship", "working"}, res.Priorities["K"])
		assert.Equal(t, "K", res.Placements["hardship"])
	})

	t.Run("the sibling criterion counts only at the sibling's Kita", func(t *testing.T) {
		inst := Instance{
			Applicants: []Applicant{
				{ID: "s", Choices: []string{"K1", "K2"}, Siblings: []string{"K1"}},
				{ID: "n", Choices: []string{"K1", "K2"}},
			},
			Facilities: []Facility{facility("K1", 1), facility("K2", 1)},
			Policy:     Policy{Criteria: []Criterion{{Kind: KindSibling, Mode: ModePoints, Points: 50}}, Lottery: LotteryPerFacility},
		}
		for seed := range uint64(20) {
			inst.Policy.Seed = seed
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance, Explain: true})
			require.NoError(t, err)
			assert.Equal(t, "s", res.Priorities["K1"][0])
			for _, x := range res.Explanations["K1"] {
				assert.Equal(t, map[bool]int64{true: 50, false: 0}[x.Applicant == "s"], x.Total)
			}
			for _, x := range res.Explanations["K2"] {
				assert.Zero(t, x.Total, "no sibling points at K2")
			}
		}
	})

	t.Run("the district criterion counts where the family lives", func(t *testing.T) {
		inst := Instance{
			Applicants: []Applicant{{ID: "a", Choices: []string{"K1", "K2"}, District: "Mitte"}},
			Facilities: []Facility{facility("K1", 0), {ID: "K2", Capacity: 1, District: "Nord"}},
			Policy:     Policy{Criteria: []Criterion{{Kind: KindDistrict, Mode: ModePoints, Points: 7}}, Lottery: LotteryPerChild},
		}
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance, Explain: true})
		require.NoError(t, err)
		assert.Equal(t, int64(7), res.Explanations["K1"][0].Total)
		assert.Equal(t, int64(0), res.Explanations["K2"][0].Total)
	})

	t.Run("older children and earlier registrations come first in tiers", func(t *testing.T) {
		at := time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC)
		inst := Instance{
			Applicants: []Applicant{
				{ID: "young-early", Choices: []string{"K"}, BirthDate: "2023-05-01", RegisteredAt: at},
				{ID: "old-late", Choices: []string{"K"}, BirthDate: "2022-05-01", RegisteredAt: at.Add(time.Hour)},
				{ID: "old-early", Choices: []string{"K"}, BirthDate: "2022-05-01", RegisteredAt: at},
			},
			Facilities: []Facility{facility("K", 1)},
			Policy: Policy{Criteria: []Criterion{
				{Kind: KindAge, Mode: ModeTier}, {Kind: KindRegistrationDate, Mode: ModeTier},
			}, Lottery: LotteryPerChild},
		}
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
		require.NoError(t, err)
		assert.Equal(t, []string{"old-early", "old-late", "young-early"}, res.Priorities["K"])
	})

	t.Run("the lottery is the same for a seed, differs across seeds and ignores input order", func(t *testing.T) {
		inst := generate(genSpec{applicants: 60, facilities: 4, choices: 3, capacity: 30}, 7)
		inst.Policy.Criteria = nil
		run := func(inst Instance) Result {
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			return res
		}
		first := run(inst)
		assert.Equal(t, first, run(inst))

		shuffled := inst
		shuffled.Applicants = slices.Clone(inst.Applicants)
		slices.Reverse(shuffled.Applicants)
		shuffled.Facilities = slices.Clone(inst.Facilities)
		slices.Reverse(shuffled.Facilities)
		assert.Equal(t, first.Priorities, run(shuffled).Priorities)

		inst.Policy.Seed++
		assert.NotEqual(t, first.Priorities, run(inst).Priorities)
	})

	t.Run("explanations add up and reproduce the priority order", func(t *testing.T) {
		inst := generate(genSpec{applicants: 300, facilities: 8, choices: 3, capacity: 200, bands: true}, 11)
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance, Explain: true})
		require.NoError(t, err)
		for fid, xs := range res.Explanations {
			require.Len(t, xs, len(res.Priorities[fid]))
			for i, x := range xs {
				assert.Equal(t, res.Priorities[fid][i], x.Applicant)
				assert.Equal(t, i+1, x.Rank)
				var sum int64
				for _, s := range x.Points {
					sum += s.Value
				}
				assert.Equal(t, x.Total, sum, "points add up to the total")
				if i > 0 {
					assert.Negative(t, compareExplanations(xs[i-1], x), "%s ranks %d before %d", fid, i, i+1)
				}
			}
		}
	})
}

// compareExplanations orders by the documented rule: tiers (higher first),
// total (higher first), lottery (lower first), id.
func compareExplanations(x, y Explanation) int {
	for i := range x.Tiers {
		if x.Tiers[i].Value != y.Tiers[i].Value {
			return -int(sign(x.Tiers[i].Value - y.Tiers[i].Value))
		}
	}
	if x.Total != y.Total {
		return -int(sign(x.Total - y.Total))
	}
	if x.Lottery != y.Lottery {
		if x.Lottery < y.Lottery {
			return -1
		}
		return 1
	}
	return strings.Compare(x.Applicant, y.Applicant)
}

func sign(v int64) int64 { return int64(min(max(v, -1), 1)) }

func TestBandQuotas(t *testing.T) {
	inst := Instance{
		Applicants: []Applicant{
			{ID: "u1", Band: BandU3, Choices: []string{"K"}},
			{ID: "u2", Band: BandU3, Choices: []string{"K"}},
			{ID: "o1", Band: BandO3, Choices: []string{"K"}},
		},
		Facilities: []Facility{{ID: "K", Capacity: 2, CapacityByBand: map[Band]int{BandU3: 1, BandO3: 1},
			Priority: []string{"u1", "u2", "o1"}}},
	}
	t.Run("a u3 child only takes a u3 place, even when an o3 place is free", func(t *testing.T) {
		inst := inst
		inst.Applicants = inst.Applicants[:2]
		inst.Facilities = []Facility{inst.Facilities[0]}
		inst.Facilities[0].Priority = []string{"u1", "u2"}
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"u1": "K", "u2": ""}, res.Placements)
		assert.Equal(t, []Cutoff{
			{Band: BandU3, Capacity: 1, Admitted: 1, Rank: 1, Applicant: "u1"},
			{Band: BandO3, Capacity: 1},
		}, res.Cutoffs["K"])
		v, err := Verify(inst, res)
		require.NoError(t, err)
		assert.Empty(t, v, "the free o3 place is no wasted seat for u2")
	})
	t.Run("each band fills its own quota", func(t *testing.T) {
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"u1": "K", "u2": "", "o1": "K"}, res.Placements)
	})
	t.Run("verify reports a quota exceeded although the Kita's total is kept", func(t *testing.T) {
		v, err := Verify(inst, Result{Placements: map[string]string{"u1": "K", "u2": "K", "o1": ""}})
		require.NoError(t, err)
		assert.Contains(t, v, Violation{Kind: ViolationOverCapacity, Facility: "K", Band: BandU3})
	})
}

func TestLaterRound(t *testing.T) {
	t.Run("a fixed placement keeps its seat against an applicant with higher priority", func(t *testing.T) {
		inst := Instance{
			Applicants: []Applicant{
				{ID: "kept", Choices: []string{"K", "L"}},
				{ID: "new", Choices: []string{"K", "L"}},
			},
			Facilities: []Facility{
				{ID: "K", Capacity: 1, Priority: []string{"new", "kept"}},
				{ID: "L", Capacity: 1, Priority: []string{"new", "kept"}},
			},
			Fixed: map[string]string{"kept": "K"},
		}
		for _, m := range []Mechanism{DeferredAcceptance, KitaProposing, ImmediateAcceptance} {
			res, err := Run(inst, Options{Mechanism: m})
			require.NoError(t, err)
			assert.Equal(t, map[string]string{"kept": "K", "new": "L"}, res.Placements, m.String())
			assert.Equal(t, []string{"new"}, res.Priorities["K"], "fixed applicants take no part")
			assert.Equal(t, 1, res.Statistics.Fixed)
			v, err := Verify(inst, res)
			require.NoError(t, err)
			assert.Empty(t, v)
		}
	})
	t.Run("fixed placements of a generated round are kept and the rest stays stable", func(t *testing.T) {
		for seed := range uint64(20) {
			inst := generate(genSpec{applicants: 200, facilities: 10, choices: 4, capacity: 150, bands: seed%2 == 0}, seed)
			first, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			inst.Fixed = map[string]string{}
			for i, a := range inst.Applicants {
				if f := first.Placements[a.ID]; f != "" && i%3 == 0 {
					inst.Fixed[a.ID] = f
				}
			}
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			for a, f := range inst.Fixed {
				assert.Equal(t, f, res.Placements[a])
			}
			v, err := Verify(inst, res)
			require.NoError(t, err)
			assert.Empty(t, v)
			v, err = Verify(inst, Result{Seed: res.Seed, Placements: withUnplaced(res.Placements, inst.Fixed)})
			require.NoError(t, err)
			assert.True(t, slices.ContainsFunc(v, func(v Violation) bool { return v.Kind == ViolationFixedMoved }))
		}
	})
}

func withUnplaced(p, fixed map[string]string) map[string]string {
	out := map[string]string{}
	for a, f := range p {
		out[a] = f
	}
	for a := range fixed {
		out[a] = ""
	}
	return out
}

func TestValidate(t *testing.T) {
	inst := Instance{
		Applicants: []Applicant{
			{ID: "a", Choices: []string{"K", "nope", "K"}, Band: Band(invalid)},
			{ID: "a", Choices: []string{"Q"}, BirthDate: "2023-02-30"},
			{ID: "", Choices: []string{"L"}, Siblings: []string{"nope"}},
			{ID: "b", Choices: []string{"M"}},
		},
		Facilities: []Facility{
			{ID: "K", Capacity: -1},
			{ID: "L", Capacity: 3, CapacityByBand: map[Band]int{BandU3: 1, BandO3: 1}},
			{ID: "K", Capacity: 1},
			{ID: "M", Capacity: 1, Priority: []string{"x", "a", "a"}},
			{ID: "Q", Capacity: 1, CapacityByBand: map[Band]int{BandU3: -1, BandO3: 2}},
		},
		Policy: Policy{Criteria: []Criterion{
			{Kind: KindAge, Mode: ModePoints, Points: 1},
			{Kind: Kind(invalid), Mode: ModeTier},
			{Kind: KindHardship, Mode: ModePoints, Points: MaxPoints + 1},
			{Kind: KindHardship, Mode: Mode(invalid)},
		}},
		Fixed: map[string]string{"ghost": "K", "b": "nope"},
	}
	err := Validate(inst)
	require.ErrorIs(t, err, problem.ErrInvalid)
	var list problem.List
	require.ErrorAs(t, err, &list)

	tests := []struct {
		name  string
		field string
		code  problem.Code
		rule  error
	}{
		{"a negative capacity is reported", "facilities[0].capacity", CodeNegativeCapacity, ErrCapacity},
		{"quotas must add up to the capacity", "facilities[1].capacity_by_band", CodeQuotaSum, ErrCapacity},
		{"a facility id may be used once", "facilities[2].id", CodeDuplicateID, ErrID},
		{"a negative quota is reported", "facilities[4].capacity_by_band.u3", CodeNegativeCapacity, ErrCapacity},
		{"an applicant id may be used once", "applicants[1].id", CodeDuplicateID, ErrID},
		{"an applicant needs an id", "applicants[2].id", CodeMissingID, ErrID},
		{"an unknown band is reported", "applicants[0].band", CodeInvalidBand, ErrBand},
		{"a choice of an unknown Kita is reported", "applicants[0].choices[1]", CodeUnknownFacility, ErrUnknownFacility},
		{"a Kita chosen twice is reported", "applicants[0].choices[2]", CodeDuplicateChoice, ErrChoice},
		{"an impossible birth date is reported", "applicants[1].birth_date", CodeInvalidDate, ErrAttribute},
		{"a band is needed at a Kita with quotas", "applicants[2].band", CodeMissingBand, ErrBand},
		{"a sibling at an unknown Kita is reported", "applicants[2].siblings[0]", CodeUnknownFacility, ErrUnknownFacility},
		{"a birth date is needed for the age criterion", "applicants[3].birth_date", CodeMissingAttribute, ErrAttribute},
		{"a priority order may not name unknown applicants", "facilities[3].priority[0]", CodeUnknownApplicant, ErrUnknownApplicant},
		{"a priority order may not name an applicant twice", "facilities[3].priority[2]", CodeDuplicatePriority, ErrPriority},
		{"a priority order must name everyone who chose the Kita", "applicants[3].choices[0]", CodeNotInPriority, ErrPriority},
		{"a fixed placement of an unknown applicant is reported", "fixed[ghost]", CodeUnknownApplicant, ErrUnknownApplicant},
		{"a fixed placement at an unknown Kita is reported", "fixed[b]", CodeUnknownFacility, ErrUnknownFacility},
		{"age cannot be points", "policy.criteria[0].mode", CodeInvalidMode, ErrPolicy},
		{"an unknown criterion is reported", "policy.criteria[1].kind", CodeInvalidCriterion, ErrPolicy},
		{"points are bounded", "policy.criteria[2].points", CodePointsRange, ErrPolicy},
		{"a criterion may be used once", "policy.criteria[3].kind", CodeDuplicateCriterion, ErrPolicy},
		{"an unknown mode is reported", "policy.criteria[3].mode", CodeInvalidMode, ErrPolicy},
		{"a lottery is needed without explicit priorities", "policy.lottery", CodeInvalidLottery, ErrPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.True(t, list.Has(tt.field, tt.code), "%s %s not in %v", tt.field, tt.code, list)
			assert.ErrorIs(t, err, tt.rule)
		})
	}
	t.Run("every code has a German and an English text", func(t *testing.T) {
		for _, p := range list {
			for _, lang := range []string{"de", "en"} {
				assert.NotEmpty(t, Messages[lang][p.Code], "%s %s", lang, p.Code)
			}
		}
		assert.Equal(t, len(Messages["de"]), len(Messages["en"]))
	})
	t.Run("error texts contain no input values", func(t *testing.T) {
		assert.NotContains(t, err.Error(), "2023-02-30")
		assert.NotContains(t, err.Error(), "nope")
	})
	t.Run("fixed placements beyond the capacity are reported", func(t *testing.T) {
		inst := Instance{
			Applicants: []Applicant{{ID: "a", Band: BandU3}, {ID: "b", Band: BandU3}},
			Facilities: []Facility{{ID: "K", Capacity: 2, CapacityByBand: map[Band]int{BandU3: 1, BandO3: 1}}},
			Policy:     Policy{Lottery: LotteryPerChild},
			Fixed:      map[string]string{"a": "K", "b": "K"},
		}
		err := Validate(inst)
		require.ErrorIs(t, err, ErrCapacity)
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("facilities[0].capacity_by_band.u3", CodeFixedOverCapacity))
	})
	t.Run("run reports an unset mechanism together with the instance's problems", func(t *testing.T) {
		_, err := Run(inst, Options{})
		require.ErrorIs(t, err, ErrMechanism)
		assert.ErrorIs(t, err, ErrCapacity)
	})
}

// TestDuplicateChoiceFoundInAnyList checks the one problem of otherwise
// valid instances, which the validation pass must find on its own: a Kita
// chosen twice, early or late in short and long lists of choices.
func TestDuplicateChoiceFoundInAnyList(t *testing.T) {
	facilities := make([]Facility, 12)
	ids := make([]string, 12)
	for i := range facilities {
		ids[i] = "k" + strconv.Itoa(i)
		facilities[i] = Facility{ID: ids[i], Capacity: 1}
	}
	tests := []struct {
		name    string
		choices []int // facility indices
		dup     int   // index of the repeated choice, -1: none
	}{
		{"short list, no repeat", []int{0, 1, 2, 3, 4}, -1},
		{"short list, repeat at the end", []int{0, 1, 2, 3, 1}, 4},
		{"seven choices, repeat of the first", []int{0, 1, 2, 3, 4, 5, 0}, 6},
		{"long list, no repeat", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, -1},
		{"long list, repeat of an early one late", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1}, 10},
		{"long list, repeat at the first marked place", []int{0, 1, 2, 3, 4, 5, 6, 7, 3}, 8},
		{"long list, repeat of a late one", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9}, 10},
		{"long list, repeat among the first eight", []int{0, 1, 2, 3, 2, 5, 6, 7, 8, 9}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			choices := make([]string, len(tt.choices))
			for i, f := range tt.choices {
				choices[i] = ids[f]
			}
			inst := Instance{
				Facilities: facilities,
				Applicants: []Applicant{
					{ID: "a", Choices: []string{"k0", "k1"}},
					{ID: "b", Choices: choices},
					{ID: "c", Choices: choices[:min(len(choices), 3)]},
				},
				Policy: Policy{Lottery: LotteryPerChild},
			}
			err := Validate(inst)
			if tt.dup < 0 {
				require.NoError(t, err)
				return
			}
			var list problem.List
			require.ErrorAs(t, err, &list)
			require.Len(t, list, 1, "%v", list)
			assert.True(t, list.Has("applicants[1].choices["+strconv.Itoa(tt.dup)+"]", CodeDuplicateChoice), "%v", list)
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name  string
		input string
		field string
		code  problem.Code
	}{
		{"broken JSON names its byte offset", `{"applicants": [}`, "", CodeMalformedJSON},
		{"an unknown field is named", `{"applicants": [], "colour": 1}`, "colour", CodeUnknownField},
		{"a wrong type is reported with its path", `{"facilities": [{"id": "K", "capacity": "ten"}]}`, "facilities[0].capacity", CodeMalformedJSON},
		{"a fraction where an integer belongs is reported", `{"facilities": [{"id": "K", "capacity": 1.5}]}`, "facilities[0].capacity", CodeMalformedJSON},
		{"an unknown nested field is named with its path", `{"applicants": [{"id": "a"}, {"id": "b", "colour": 1}]}`, "applicants[1].colour", CodeUnknownField},
		{"a field given twice is named", `{"applicants": [{"id": "a", "choices": ["K"], "choices": ["L"]}]}`, "applicants[0].choices", CodeDuplicateField},
		{"a Kita given twice in fixed is named", `{"fixed": {"c1": "K", "c1": "L"}}`, "fixed[c1]", CodeDuplicateField},
		{"a band quota given twice is named", `{"facilities": [{"id": "K", "capacity": 1, "capacity_by_band": {"u3": 1, "u3": 0}}]}`, "facilities[0].capacity_by_band.u3", CodeDuplicateField},
		{"a policy field given twice is named", `{"policy": {"seed": 1, "seed": 2}}`, "policy.seed", CodeDuplicateField},
		{"a negative seed is reported", `{"policy": {"seed": -1}}`, "policy.seed", CodeMalformedJSON},
		{"invalid UTF-8 is reported", "{\"applicants\": [{\"id\": \"a\xff\"}]}", "applicants[0].id", CodeMalformedJSON},
		{"a field name differing in case is unknown", `{"Applicants": []}`, "Applicants", CodeUnknownField},
		{"trailing data is reported", `{} {}`, "", CodeMalformedJSON},
		{"truncated input is reported", `{"applicants": [`, "", CodeMalformedJSON},
		{"a malformed instant is reported", `{"applicants": [{"id": "a", "registered_at": "yesterday"}]}`, "applicants[0].registered_at", CodeMalformedJSON},
		{"a top-level array is reported", `[]`, "", CodeMalformedJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tt.input))
			require.ErrorIs(t, err, ErrMalformed)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tt.field, tt.code), "%v", list)
		})
	}
	t.Run("unknown enum names decode and fail validation at their field", func(t *testing.T) {
		inst, err := Decode(strings.NewReader(`{"applicants": [{"id": "a", "band": "u7"}], "policy": {"lottery": "dice"}}`))
		require.NoError(t, err)
		err = Validate(inst)
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("applicants[0].band", CodeInvalidBand))
		assert.True(t, list.Has("policy.lottery", CodeInvalidLottery))
	})
	t.Run("a result survives encoding and strict decoding", func(t *testing.T) {
		res, err := Run(bostonExample(), Options{Mechanism: ImmediateAcceptance, Explain: true})
		require.NoError(t, err)
		data, err := res.MarshalJSON()
		require.NoError(t, err)
		assert.Contains(t, string(data), `"a2":null`)
		back, err := DecodeResult(strings.NewReader(string(data)))
		require.NoError(t, err)
		assert.Equal(t, res, back)
	})
	for _, tt := range []struct {
		name, input, field string
		code               problem.Code
	}{
		{"a result with an unknown field is rejected with its path", `{"statistics": {"placed": 1, "colour": 2}}`, "statistics.colour", CodeUnknownField},
		{"a result placing an applicant twice is rejected", `{"placements": {"c1": "K", "c1": null}}`, "placements.c1", CodeDuplicateField},
		{"a result with a wrong type is rejected with its path", `{"cutoffs": {"K": [{"rank": "first"}]}}`, "cutoffs.K[0].rank", CodeMalformedJSON},
		{"a result with trailing data is rejected", `{} {}`, "", CodeMalformedJSON},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeResult(strings.NewReader(tt.input))
			require.ErrorIs(t, err, ErrMalformed)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tt.field, tt.code), "%v", list)
		})
	}
	t.Run("decode errors are not matched by text", func(t *testing.T) {
		_, err := DecodeResult(strings.NewReader(`{"mechanism": "lottery"}`))
		assert.True(t, errors.Is(err, ErrMechanism))
	})
}
