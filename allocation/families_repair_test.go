package allocation

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldBackInstance is built so that the first repair scan finds a single
// applicant and a together-family blocking at different Kitas, and the
// single's repair touches neither of the family's Kitas.
//
// Families x (three children), u and y (two each) are placed in that
// order after the single applicants. y is turned away at a (x ranks
// better there) and pushes z out of c; z pushes x3 out of a, so x
// withdraws and moves to e, pushing w out; w pushes u2 out of b, so u
// withdraws to h. Now y fits at a (z and two free places) and s, pushed
// out of b by u at first, fits at b. The scan repairs s first and holds y
// back; the next scan must still look at y, though a and c did not change
// since.
func heldBackInstance() Instance {
	return Instance{
		Format: FormatV2,
		Applicants: []Applicant{
			{ID: "x1", Choices: []string{"a", "e"}},
			{ID: "x2", Choices: []string{"a", "e"}},
			{ID: "x3", Choices: []string{"a", "e"}},
			{ID: "y1", Choices: []string{"a", "c"}},
			{ID: "y2", Choices: []string{"a", "c"}},
			{ID: "u1", Choices: []string{"b", "h"}},
			{ID: "u2", Choices: []string{"b", "h"}},
			{ID: "z", Choices: []string{"c", "a"}},
			{ID: "w", Choices: []string{"e", "b"}},
			{ID: "s", Choices: []string{"b", "t"}},
		},
		Facilities: []Facility{
			{ID: "a", Capacity: 3, Priority: []string{"z", "x1", "x2", "y1", "y2", "x3"}},
			{ID: "b", Capacity: 2, Priority: []string{"w", "u1", "u2", "s"}},
			{ID: "c", Capacity: 2, Priority: []string{"y1", "y2", "z"}},
			{ID: "e", Capacity: 3, Priority: []string{"x1", "x2", "x3", "w"}},
			{ID: "h", Capacity: 2, Priority: []string{"u1", "u2"}},
			{ID: "t", Capacity: 1, Priority: []string{"s"}},
		},
		Policy: Policy{Lottery: LotteryPerChild},
		Families: []Family{
			{ID: "x", Children: []string{"x1", "x2", "x3"}, Together: true},
			{ID: "u", Children: []string{"u1", "u2"}, Together: true},
			{ID: "y", Children: []string{"y1", "y2"}, Together: true},
		},
	}
}

func TestFamilyHeldBackByASingleIsRepairedAtTheNextScan(t *testing.T) {
	inst := heldBackInstance()
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"x1": "e", "x2": "e", "x3": "e", "y1": "a", "y2": "a", "u1": "h", "u2": "h",
		"z": "c", "w": "b", "s": "b",
	}, res.Placements)
	assert.Nil(t, res.Unstable)
	v, err := Verify(inst, res)
	require.NoError(t, err)
	assert.Empty(t, v)
}

// boostLostInstance is built so that a holder's lost sibling boost opens a
// Kita to a single applicant turned away there since the last scan.
//
// Kita q ranks by policy: residents first, then the sibling's 40 points,
// working parents 20, single parent 10. Siblings g and g2 (not placed
// together) both chose q; g2 is not resident. After the single
// applicants, g2 holds one of q's two places, x holds p, g holds r and h
// holds s. The together-families then push g, h and x out, in that order:
// g comes to q with its sibling's boost, h pushes g2 out of q, and x is
// turned away (h and the boosted g rank better). At the scan g has lost
// its boost (g2 left q) and ranks below x, so x blocks at q.
func boostLostInstance() Instance {
	return Instance{
		Format: FormatV2,
		Applicants: []Applicant{
			{ID: "g", Choices: []string{"r", "q"}, Resident: true},
			{ID: "g2", Choices: []string{"q"}},
			{ID: "h", Choices: []string{"s", "q"}, Resident: true, WorkingParents: true, SingleParent: true},
			{ID: "x", Choices: []string{"p", "q"}, Resident: true, WorkingParents: true},
			{ID: "a1", Choices: []string{"r"}},
			{ID: "a2", Choices: []string{"r"}},
			{ID: "b1", Choices: []string{"s"}},
			{ID: "b2", Choices: []string{"s"}},
			{ID: "c1", Choices: []string{"p"}},
			{ID: "c2", Choices: []string{"p"}},
		},
		Facilities: []Facility{
			{ID: "q", Capacity: 2},
			{ID: "p", Capacity: 2, Priority: []string{"c1", "c2", "x"}},
			{ID: "r", Capacity: 2, Priority: []string{"a1", "a2", "g"}},
			{ID: "s", Capacity: 2, Priority: []string{"b1", "b2", "h"}},
		},
		Policy: Policy{Criteria: []Criterion{
			{Kind: KindResident, Mode: ModeTier},
			{Kind: KindSibling, Mode: ModePoints, Points: 40},
			{Kind: KindWorkingParents, Mode: ModePoints, Points: 20},
			{Kind: KindSingleParent, Mode: ModePoints, Points: 10},
		}, Lottery: LotteryPerChild, Seed: 1},
		Families: []Family{
			{ID: "fa", Children: []string{"a1", "a2"}, Together: true},
			{ID: "fb", Children: []string{"b1", "b2"}, Together: true},
			{ID: "fc", Children: []string{"c1", "c2"}, Together: true},
			{ID: "fg", Children: []string{"g", "g2"}},
		},
	}
}

func TestSingleTurnedAwayBeforeAHolderLosesItsBoostIsRepaired(t *testing.T) {
	inst := boostLostInstance()
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"a1": "r", "a2": "r", "b1": "s", "b2": "s", "c1": "p", "c2": "p",
		"h": "q", "x": "q", "g": "", "g2": "",
	}, res.Placements)
	assert.Nil(t, res.Unstable)
	v, err := Verify(inst, res)
	require.NoError(t, err)
	assert.Empty(t, v)
}

// TestFamiliesFarApartInTheListKeepTheirOutcome pins the outcome of a
// generated city whose applicants are listed in no particular order, so
// that siblings are far apart in the list, as in a city's export sorted by
// registration. The scan meets a together-family at its first child
// (in list order) who chose a pool whose holders changed; where it meets
// the family decides the order in which blocking families propose again.
func TestFamiliesFarApartInTheListKeepTheirOutcome(t *testing.T) {
	inst := generate(genSpec{applicants: 1500, facilities: 20, choices: 5, capacity: 1300, bands: true, families: 40}, 25)
	rng := rand.New(rand.NewPCG(25, 9))
	rng.Shuffle(len(inst.Applicants), func(i, j int) { inst.Applicants[i], inst.Applicants[j] = inst.Applicants[j], inst.Applicants[i] })
	comp, err := Compile(inst)
	require.NoError(t, err)
	out, err := comp.Allocate(Options{Mechanism: DeferredAcceptance, Explain: true})
	require.NoError(t, err)
	h := sha256.New()
	require.NoError(t, out.WriteJSON(h))
	assert.Equal(t, "9393b37cd0518d8cd9be78627124d201e3ab07294ae5dde2462b02d14323c559", hex.EncodeToString(h.Sum(nil)))
}
