package allocation

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
)

// twinsInstance: Kita k1 has one place, k2 two. Twins t1 and t2 rank k1
// before k2; s wants only k1. k1 ranks t1 first, then s, then t2.
func twinsInstance(together bool) Instance {
	return Instance{
		Format: FormatV2,
		Applicants: []Applicant{
			{ID: "t1", Choices: []string{"k1", "k2"}},
			{ID: "t2", Choices: []string{"k1", "k2"}},
			{ID: "s", Choices: []string{"k1"}},
		},
		Facilities: []Facility{
			{ID: "k1", Capacity: 1, Priority: []string{"t1", "s", "t2"}},
			{ID: "k2", Capacity: 2, Priority: []string{"t2", "t1"}},
		},
		Policy:   Policy{Lottery: LotteryPerChild},
		Families: []Family{{ID: "f1", Children: []string{"t1", "t2"}, Together: together}},
	}
}

func TestTogetherFamilyIsPlacedAtOneKitaOrNone(t *testing.T) {
	for _, tc := range []struct {
		name     string
		together bool
		want     map[string]string
	}{
		{"twins placed together both go where both fit, and the single keeps its place", true,
			map[string]string{"t1": "k2", "t2": "k2", "s": "k1"}},
		{"siblings not placed together are split by the Kita's order", false,
			map[string]string{"t1": "k1", "t2": "k2", "s": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inst := twinsInstance(tc.together)
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			assert.Equal(t, tc.want, res.Placements)
			assert.Nil(t, res.Unstable)
			v, err := Verify(inst, res)
			require.NoError(t, err)
			assert.Empty(t, v)
		})
	}
}

func TestTogetherFamilyIsUnplacedWhenNoKitaTakesAll(t *testing.T) {
	inst := twinsInstance(true)
	inst.Facilities[1].Capacity = 1
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"t1": "", "t2": "", "s": "k1"}, res.Placements)
	assert.Equal(t, 1, res.Statistics.Families)
	assert.Equal(t, 0, res.Statistics.Together)
}

func TestVerifyReportsSplitAndBlockingFamilies(t *testing.T) {
	inst := twinsInstance(true)
	for _, tc := range []struct {
		name       string
		placements map[string]string
		want       []Violation
	}{
		{"twins at two Kitas are split", map[string]string{"t1": "k1", "t2": "k2", "s": ""},
			[]Violation{{Kind: ViolationSplit, Family: "f1"}}},
		{"twins left out while k2 has room for both block as a family",
			map[string]string{"t1": "", "t2": "", "s": "k1"},
			[]Violation{{Kind: ViolationBlockingFamily, Family: "f1", Facility: "k2"}}},
		{"a single left out while k1 is free is a wasted seat, not a family matter",
			map[string]string{"t1": "k2", "t2": "k2", "s": ""},
			[]Violation{{Kind: ViolationWastedSeat, Applicant: "s", Facility: "k1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Verify(inst, Result{Mechanism: DeferredAcceptance, Placements: tc.placements})
			require.NoError(t, err)
			assert.Equal(t, tc.want, v)
		})
	}
}

// siblingInstance: the elder e has a hardship and takes one of k1's two
// places; the younger y and the single s compete for the other. s has
// working parents (20 points), y only gets the sibling's 40 points if its
// family counts.
func siblingInstance(family bool) Instance {
	inst := Instance{
		Applicants: []Applicant{
			{ID: "e", Choices: []string{"k1"}, Hardship: true},
			{ID: "y", Choices: []string{"k1", "k2"}},
			{ID: "s", Choices: []string{"k1", "k2"}, WorkingParents: true},
		},
		Facilities: []Facility{{ID: "k1", Capacity: 2}, {ID: "k2", Capacity: 1}},
		Policy: Policy{Criteria: []Criterion{
			{Kind: KindHardship, Mode: ModeTier},
			{Kind: KindSibling, Mode: ModePoints, Points: 40},
			{Kind: KindWorkingParents, Mode: ModePoints, Points: 20},
		}, Lottery: LotteryPerChild, Seed: 7},
	}
	if family {
		inst.Format = FormatV2
		inst.Families = []Family{{ID: "f1", Children: []string{"e", "y"}}}
	}
	return inst
}

func TestSiblingPlacedThisRoundGivesSiblingPriority(t *testing.T) {
	for _, tc := range []struct {
		name   string
		family bool
		want   map[string]string
	}{
		{"without the family, working parents win the second place", false,
			map[string]string{"e": "k1", "y": "k2", "s": "k1"}},
		{"the elder's place this round gives the younger the sibling points", true,
			map[string]string{"e": "k1", "y": "k1", "s": "k2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inst := siblingInstance(tc.family)
			res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.NoError(t, err)
			assert.Equal(t, tc.want, res.Placements)
			v, err := Verify(inst, res)
			require.NoError(t, err)
			assert.Empty(t, v)
			// The published order is the one without a boost.
			assert.Equal(t, []string{"e", "s", "y"}, res.Priorities["k1"])
		})
	}
	t.Run("verify judges the younger child with the sibling points", func(t *testing.T) {
		inst := siblingInstance(true)
		v, err := Verify(inst, Result{Mechanism: DeferredAcceptance, Seed: 7,
			Placements: map[string]string{"e": "k1", "y": "k2", "s": "k1"}})
		require.NoError(t, err)
		assert.Equal(t, []Violation{{Kind: ViolationJustifiedEnvy, Applicant: "y", Facility: "k1", Other: "s"}}, v)
	})
}

func TestFamilyValidation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Instance)
		field string
		code  problem.Code
		rule  error
	}{
		{"a together-family with different choices is refused", func(in *Instance) {
			in.Applicants[1].Choices = []string{"k2", "k1"}
		}, "applicants[1].choices", CodeFamilyChoices, ErrFamily},
		{"a family of one child is refused", func(in *Instance) {
			in.Families[0].Children = []string{"t1"}
		}, "families[0].children", CodeFamilySize, ErrFamily},
		{"a child in two families is refused", func(in *Instance) {
			in.Families = append(in.Families, Family{ID: "f2", Children: []string{"t2", "s"}})
		}, "families[1].children[0]", CodeFamilyMember, ErrFamily},
		{"an unknown child is refused", func(in *Instance) {
			in.Families[0].Children[1] = "zz"
		}, "families[0].children[1]", CodeUnknownApplicant, ErrUnknownApplicant},
		{"a fixed child is refused", func(in *Instance) {
			in.Fixed = map[string]string{"t2": "k2"}
		}, "families[0].children[1]", CodeFamilyFixed, ErrFamily},
		{"a family id given twice is refused", func(in *Instance) {
			in.Families = append(in.Families, Family{ID: "f1", Children: []string{"s", "zz"}})
		}, "families[1].id", CodeDuplicateID, ErrID},
		{"families need format version 2", func(in *Instance) {
			in.Format = ""
		}, "families", CodeNeedsV2, ErrFormat},
		{"an unknown format version is refused", func(in *Instance) {
			in.Format = "kitaportal.allocation/v9"
		}, "format", CodeInvalidFormat, ErrFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inst := twinsInstance(true)
			inst.Families[0].Children = slices.Clone(inst.Families[0].Children)
			tc.edit(&inst)
			_, err := Run(inst, Options{Mechanism: DeferredAcceptance})
			require.ErrorIs(t, err, tc.rule)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tc.field, tc.code), "%v", list)
		})
	}
	t.Run("families are placed only by deferred acceptance", func(t *testing.T) {
		for _, m := range []Mechanism{KitaProposing, ImmediateAcceptance} {
			_, err := Run(twinsInstance(true), Options{Mechanism: m})
			require.ErrorIs(t, err, ErrMechanism)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has("mechanism", CodeFamilyMechanism))
		}
	})
}

func TestDecodeVersion2(t *testing.T) {
	in := `{"format":"kitaportal.allocation/v2","meta":{"city":"Münster","year":2027,"notes":[{"x":null}]},
	"applicants":[{"id":"t1","choices":["k1"]},{"id":"t2","choices":["k1"]}],
	"facilities":[{"id":"k1","capacity":2}],
	"families":[{"id":"f1","children":["t1","t2"],"together":true}],
	"policy":{"lottery":"per_child","seed":3}}`
	inst, err := Decode(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, FormatV2, inst.Format)
	assert.Equal(t, []Family{{ID: "f1", Children: []string{"t1", "t2"}, Together: true}}, inst.Families)
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"t1": "k1", "t2": "k1"}, res.Placements)

	for _, tc := range []struct{ name, in, field string }{
		{"meta must be an object", `{"meta":[1]}`, "meta"},
		{"an unknown family field is refused", `{"families":[{"id":"f","kids":[]}]}`, "families[0].kids"},
		{"together must be a boolean", `{"families":[{"id":"f","together":"yes"}]}`, "families[0].together"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tc.in))
			require.ErrorIs(t, err, ErrMalformed)
			var list problem.List
			require.ErrorAs(t, err, &list)
			require.Len(t, list, 1)
			assert.Equal(t, tc.field, list[0].Field)
		})
	}
}

// TestMunsterFailureShape: in February 2023 Münster re-ran its allocation
// because twins and siblings were split. Twins with different lottery
// numbers rank the same Kitas; a pair of siblings ranks one Kita first;
// the Kitas are nearly full. Placed alone, one twin got the first choice
// and the other did not; placed together, both share a Kita they ranked,
// and the younger sibling gets the sibling points where the elder is placed.
func TestMunsterFailureShape(t *testing.T) {
	inst := Instance{
		Format: FormatV2,
		Facilities: []Facility{
			{ID: "aasee", Capacity: 3}, {ID: "kreuzviertel", Capacity: 2}, {ID: "hiltrup", Capacity: 4},
		},
		Policy: Policy{Criteria: []Criterion{
			{Kind: KindSibling, Mode: ModePoints, Points: 40},
			{Kind: KindWorkingParents, Mode: ModePoints, Points: 20},
		}, Lottery: LotteryPerChild, Seed: 2024},
	}
	ranked := []string{"aasee", "kreuzviertel", "hiltrup"}
	for i := range 6 {
		inst.Applicants = append(inst.Applicants, Applicant{ID: fmt.Sprintf("c%d", i), Choices: ranked, WorkingParents: i%2 == 0})
	}
	inst.Applicants = append(inst.Applicants,
		Applicant{ID: "twinA", Choices: ranked, WorkingParents: true},
		Applicant{ID: "twinB", Choices: ranked, WorkingParents: true},
		Applicant{ID: "elder", Choices: []string{"kreuzviertel", "hiltrup"}, WorkingParents: true},
		Applicant{ID: "younger", Choices: []string{"kreuzviertel", "aasee", "hiltrup"}},
	)
	inst.Families = []Family{
		{ID: "twins", Children: []string{"twinA", "twinB"}, Together: true},
		{ID: "siblings", Children: []string{"elder", "younger"}},
	}

	// The shape of the failure: the same twins placed one by one are
	// split (their lottery numbers differ).
	alone := inst
	alone.Families = nil
	res, err := Run(alone, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	require.NotEqual(t, res.Placements["twinA"], res.Placements["twinB"], "the instance must split twins placed alone")
	require.Equal(t, "kreuzviertel", res.Placements["elder"])
	require.NotEqual(t, "kreuzviertel", res.Placements["younger"], "the instance must split siblings placed alone")

	res, err = Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Nil(t, res.Unstable)
	assert.NotEmpty(t, res.Placements["twinA"])
	assert.Equal(t, res.Placements["twinA"], res.Placements["twinB"])
	assert.Equal(t, 1, res.Statistics.Together)
	assert.Equal(t, "kreuzviertel", res.Placements["elder"])
	assert.Equal(t, "kreuzviertel", res.Placements["younger"], "the sibling points follow the elder's place")
	v, err := Verify(inst, res)
	require.NoError(t, err)
	assert.Empty(t, v)
}

func TestPositionsShowAFamilyItsRanksAndTheLastAdmitted(t *testing.T) {
	inst := twinsInstance(true)
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	pos, err := Positions(inst, res, "f1")
	require.NoError(t, err)
	assert.Equal(t, []Position{
		{Applicant: "t1", Facility: "k1", Choice: 1, Rank: 1, LastAdmitted: 2},
		{Applicant: "t1", Facility: "k2", Choice: 2, Rank: 2, LastAdmitted: 2, Placed: true},
		{Applicant: "t2", Facility: "k1", Choice: 1, Rank: 3, LastAdmitted: 2},
		{Applicant: "t2", Facility: "k2", Choice: 2, Rank: 1, LastAdmitted: 2, Placed: true},
	}, pos)

	pos, err = Positions(inst, res, "s")
	require.NoError(t, err)
	assert.Equal(t, []Position{{Applicant: "s", Facility: "k1", Choice: 1, Rank: 2, LastAdmitted: 2, Placed: true}}, pos)

	_, err = Positions(inst, res, "nobody")
	require.ErrorIs(t, err, ErrUnknownApplicant)
}

func TestDiffListsTheApplicantsWhoseOutcomeDiffers(t *testing.T) {
	together, err := Run(twinsInstance(true), Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	apart, err := Run(twinsInstance(false), Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Applicant: "s", Before: "", After: "k1"},
		{Applicant: "t1", Before: "k1", After: "k2"},
	}, Diff(apart, together))
	assert.Empty(t, Diff(together, together))
}

// TestFormatDocumentExamplesDecode reads every version 2 instance example
// of FORMAT.md and allocates it.
func TestFormatDocumentExamplesDecode(t *testing.T) {
	doc, err := os.ReadFile("FORMAT.md")
	require.NoError(t, err)
	n := 0
	for _, block := range strings.Split(string(doc), "```json\n")[1:] {
		block = block[:strings.Index(block, "```")]
		if !strings.Contains(block, `"format": "kitaportal.allocation/v2"`) {
			continue
		}
		n++
		inst, err := Decode(strings.NewReader(block))
		require.NoError(t, err)
		res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
		require.NoError(t, err)
		v, err := Verify(inst, res)
		require.NoError(t, err)
		assert.Empty(t, v)
		if len(inst.Families) > 0 {
			assert.Equal(t, res.Placements["t1"], res.Placements["t2"])
		}
		if inst.Facilities[0].Pools != nil {
			assert.NotEmpty(t, res.Pools)
		}
	}
	assert.Equal(t, 2, n)
}

func TestPositionsRankSiblingsAsTheRoundDid(t *testing.T) {
	inst := siblingInstance(true)
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	require.Equal(t, []string{"e", "s", "y"}, res.Priorities["k1"], "published without the boost")
	pos, err := Positions(inst, res, "f1")
	require.NoError(t, err)
	assert.Equal(t, []Position{
		{Applicant: "e", Facility: "k1", Choice: 1, Rank: 1, LastAdmitted: 2, Placed: true},
		{Applicant: "y", Facility: "k1", Choice: 1, Rank: 2, LastAdmitted: 2, Placed: true},
		{Applicant: "y", Facility: "k2", Choice: 2, Rank: 2, LastAdmitted: 1},
	}, pos)
	pos, err = Positions(inst, res, "s")
	require.NoError(t, err)
	assert.Equal(t, []Position{
		{Applicant: "s", Facility: "k1", Choice: 1, Rank: 3, LastAdmitted: 2},
		{Applicant: "s", Facility: "k2", Choice: 2, Rank: 1, LastAdmitted: 1, Placed: true},
	}, pos)
}

// TestMunsterFailureShapeWithHours is the same shape with care hours: each
// Kita offers 35 and 45 hour places, the families rank 35 before 45, the
// other children 45 before 35. The twins stay together and the families
// get 35 hours wherever a 35 hour place is theirs by priority.
func TestMunsterFailureShapeWithHours(t *testing.T) {
	pools := func(n35, n45 int) []Pool {
		return []Pool{{Hours: 35, From: "2027-08", Capacity: n35}, {Hours: 45, From: "2027-08", Capacity: n45}}
	}
	inst := Instance{
		Format: FormatV2,
		Facilities: []Facility{
			{ID: "aasee", Capacity: 3, Pools: pools(2, 1)},
			{ID: "kreuzviertel", Capacity: 2, Pools: pools(1, 1)},
			{ID: "hiltrup", Capacity: 4, Pools: pools(2, 2)},
		},
		Policy: Policy{Criteria: []Criterion{
			{Kind: KindSibling, Mode: ModePoints, Points: 40},
			{Kind: KindWorkingParents, Mode: ModePoints, Points: 20},
		}, Lottery: LotteryPerChild, Seed: 2024},
	}
	ranked := []string{"aasee", "kreuzviertel", "hiltrup"}
	prefer := func(n int, hs ...int) [][]int {
		out := make([][]int, n)
		for i := range out {
			out[i] = hs
		}
		return out
	}
	for i := range 6 {
		inst.Applicants = append(inst.Applicants, Applicant{ID: fmt.Sprintf("c%d", i), Choices: ranked,
			ChoiceHours: prefer(3, 45, 35), WorkingParents: i%2 == 0, Start: "2027-08"})
	}
	inst.Applicants = append(inst.Applicants,
		Applicant{ID: "twinA", Choices: ranked, ChoiceHours: prefer(3, 35, 45), WorkingParents: true, Start: "2027-08"},
		Applicant{ID: "twinB", Choices: ranked, ChoiceHours: prefer(3, 35, 45), WorkingParents: true, Start: "2027-08"},
		Applicant{ID: "elder", Choices: []string{"kreuzviertel", "hiltrup"}, ChoiceHours: prefer(2, 35, 45), WorkingParents: true},
		Applicant{ID: "younger", Choices: []string{"kreuzviertel", "aasee", "hiltrup"}, ChoiceHours: prefer(3, 35, 45)},
	)
	inst.Families = []Family{
		{ID: "twins", Children: []string{"twinA", "twinB"}, Together: true},
		{ID: "siblings", Children: []string{"elder", "younger"}},
	}
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Nil(t, res.Unstable)
	assert.NotEmpty(t, res.Placements["twinA"])
	assert.Equal(t, res.Placements["twinA"], res.Placements["twinB"])
	assert.Equal(t, 1, res.Statistics.Together)
	v, err := Verify(inst, res)
	require.NoError(t, err)
	assert.Empty(t, v)
	// Aasee's two 35 hour places went to children ranked above the
	// twins; Hiltrup has two, and the twins take them together.
	assert.Equal(t, "hiltrup", res.Placements["twinA"])
	assert.Equal(t, 0, res.Pools["twinA"], "35 hours")
	assert.Equal(t, 0, res.Pools["twinB"], "35 hours")
	// The siblings share Kreuzviertel: the elder its one 35 hour place,
	// the younger (with the sibling points) its 45 hour place.
	assert.Equal(t, "kreuzviertel", res.Placements["elder"])
	assert.Equal(t, 0, res.Pools["elder"])
	assert.Equal(t, "kreuzviertel", res.Placements["younger"])
	assert.Equal(t, 1, res.Pools["younger"])

	// Every child of the families placed with 45 hours found the Kita's
	// 35 hour places taken.
	for _, id := range []string{"twinA", "twinB", "elder", "younger"} {
		f := res.Placements[id]
		if f == "" || res.Pools[id] == 0 {
			continue
		}
		cut := res.Cutoffs[f][0]
		require.Equal(t, 35, cut.Hours)
		assert.Equal(t, cut.Capacity, cut.Admitted, "%s: 45 hours while a 35 hour place at %s was free", id, f)
	}
}

func TestPositionsOfManyFamiliesEqualsOneByOne(t *testing.T) {
	inst := generate(genSpec{applicants: 300, facilities: 12, choices: 4, capacity: 220, bands: true, families: 10}, 7)
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	ids := []string{inst.Applicants[0].ID, inst.Applicants[150].ID}
	if len(inst.Families) > 0 {
		ids = append(ids, inst.Families[0].ID)
	}
	t.Run("each family's positions equal what Positions says for it alone", func(t *testing.T) {
		all, err := PositionsOf(inst, res, ids)
		require.NoError(t, err)
		require.Len(t, all, len(ids))
		for _, id := range ids {
			one, err := Positions(inst, res, id)
			require.NoError(t, err)
			assert.Equal(t, one, all[id], id)
		}
	})
	t.Run("every unknown id is named by its index", func(t *testing.T) {
		_, err := PositionsOf(inst, res, []string{ids[0], "nobody", "none"})
		var list problem.List
		require.ErrorAs(t, err, &list)
		require.Len(t, list, 2)
		assert.Equal(t, "families[1]", list[0].Field)
		assert.ErrorIs(t, err, ErrUnknownApplicant)
	})
}
