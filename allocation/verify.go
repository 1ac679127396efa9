package allocation

import (
	"fmt"
	"slices"
)

// ViolationKind names what a [Violation] breaks.
type ViolationKind uint8

// Violation kinds.
const (
	// ViolationUnknownApplicant: the result places an id that is no
	// applicant of the instance.
	ViolationUnknownApplicant ViolationKind = iota + 1
	// ViolationUnknownFacility: the result places an applicant at an id
	// that is no facility of the instance.
	ViolationUnknownFacility
	// ViolationMissing: the result says nothing about an applicant.
	ViolationMissing
	// ViolationFixedMoved: a fixed placement was not kept.
	ViolationFixedMoved
	// ViolationNotChosen: an applicant is placed at a Kita it did not choose.
	ViolationNotChosen
	// ViolationOverCapacity: a Kita (or one of its band quotas) holds more
	// children than places.
	ViolationOverCapacity
	// ViolationWastedSeat: an applicant prefers a Kita to its placement
	// and that Kita has a free place for its band.
	ViolationWastedSeat
	// ViolationJustifiedEnvy: an applicant prefers a Kita to its placement
	// and that Kita admitted, in the same pool, an applicant of this round
	// with lower priority (Other). Together with wasted seats these are the
	// blocking pairs: a result without either is stable.
	ViolationJustifiedEnvy
	// ViolationSplit: the children of a together-family are not all at
	// one Kita (some placed elsewhere or not at all).
	ViolationSplit
	// ViolationBlockingFamily: a together-family prefers a Kita (Facility)
	// to its placement, and there every child of it would take a free
	// place of its pool or one held by an applicant of this round with
	// lower priority. The blocking family counterpart of wasted seats and
	// justified envy.
	ViolationBlockingFamily
	// ViolationUnfitPool: an applicant placed at a Kita with pools has no
	// pool in the result's pools, or one of another band, free only after
	// its start month or with hours it did not name for that Kita.
	ViolationUnfitPool
)

var violationNames = []string{"", "unknown_applicant", "unknown_facility", "missing",
	"fixed_moved", "not_chosen", "over_capacity", "wasted_seat", "justified_envy",
	"split", "blocking_family", "unfit_pool"}

// Valid reports whether k is a known violation kind.
func (k ViolationKind) Valid() bool {
	return k >= ViolationUnknownApplicant && k <= ViolationUnfitPool
}

// Blocking reports whether k is a blocking pair of a single applicant
// (wasted seat or justified envy).
func (k ViolationKind) Blocking() bool {
	return k == ViolationWastedSeat || k == ViolationJustifiedEnvy
}

// String returns the kind's JSON name.
func (k ViolationKind) String() string { return nameOf(violationNames, uint8(k)) }

// MarshalText encodes the kind's name.
func (k ViolationKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a kind's name; unknown names are not Valid.
func (k *ViolationKind) UnmarshalText(text []byte) error {
	*k = ViolationKind(parseName(violationNames, string(text)))
	return nil
}

// Violation is one way a result fails its instance, naming the applicants
// and Kitas involved by id.
type Violation struct {
	// Kind of violation.
	Kind ViolationKind `json:"kind"`
	// Applicant concerned (the envious one for justified envy).
	Applicant string `json:"applicant,omitempty"`
	// Facility concerned (the Kita envied or over capacity).
	Facility string `json:"facility,omitempty"`
	// Band of the pool concerned, when the Kita has quotas.
	Band Band `json:"band,omitempty"`
	// Other is, for justified envy, the admitted applicant with lower
	// priority.
	Other string `json:"other,omitempty"`
	// Family concerned, for a split or blocking family.
	Family string `json:"family,omitempty"`
	// Pool is, at a Kita with pools, the pool concerned: its index in
	// Facility.Pools plus one (0: none).
	Pool int `json:"pool,omitempty"`
}

// String describes the violation in English.
func (v Violation) String() string {
	pool := v.Facility
	if v.Band != 0 {
		pool += " (" + v.Band.String() + " places)"
	}
	if v.Pool > 0 {
		pool += fmt.Sprintf(" (pool %d)", v.Pool-1)
	}
	switch v.Kind {
	case ViolationUnknownApplicant:
		return fmt.Sprintf("unknown applicant %q in placements", v.Applicant)
	case ViolationUnknownFacility:
		return fmt.Sprintf("applicant %q placed at unknown Kita %q", v.Applicant, v.Facility)
	case ViolationMissing:
		return fmt.Sprintf("applicant %q missing from placements", v.Applicant)
	case ViolationFixedMoved:
		return fmt.Sprintf("applicant %q lost its fixed place at %q", v.Applicant, v.Facility)
	case ViolationNotChosen:
		return fmt.Sprintf("applicant %q placed at %q, which it did not choose", v.Applicant, v.Facility)
	case ViolationOverCapacity:
		return fmt.Sprintf("Kita %s holds more children than places", pool)
	case ViolationWastedSeat:
		return fmt.Sprintf("wasted seat: applicant %q prefers %s, which has a free place", v.Applicant, pool)
	case ViolationJustifiedEnvy:
		return fmt.Sprintf("justified envy: applicant %q prefers %s, which admitted %q with lower priority", v.Applicant, pool, v.Other)
	case ViolationSplit:
		return fmt.Sprintf("family %q is not placed together", v.Family)
	case ViolationBlockingFamily:
		return fmt.Sprintf("blocking family: family %q prefers %s, which would take all its children", v.Family, pool)
	case ViolationUnfitPool:
		return fmt.Sprintf("applicant %q is placed at %s without a fitting pool", v.Applicant, pool)
	}
	return "invalid violation"
}

// Verify checks res against inst and returns every violation, ordered by
// applicant then kind; none means the result respects capacities and
// quotas, keeps fixed placements, places applicants only at chosen Kitas and
// is stable (no wasted seat, no justified envy) with respect to the
// priorities. The priorities are recomputed from the instance's policy with
// res.Seed; res.Priorities and res.Cutoffs are not trusted. An invalid
// instance yields a [problem.List] error.
func Verify(inst Instance, res Result) ([]Violation, error) {
	e, err := build(&inst, res.Seed, rankNow)
	if err != nil {
		return nil, err
	}
	apps, facs := inst.Applicants, inst.Facilities
	var out []Violation

	for _, id := range sortedKeys(res.Placements) {
		if _, ok := e.apps.find(id); !ok {
			out = append(out, Violation{Kind: ViolationUnknownApplicant, Applicant: id})
		}
	}
	nPools := len(e.poolCap)
	count := make([]int32, nPools)  // every placement, fixed included
	worst := make([]int32, nPools)  // lowest-priority pair of this round, -1
	placedAt := make([]int32, e.nA) // choice position (len(choices) if none)
	for p := range worst {
		worst[p] = -1
	}
	for a := 0; a < e.nA; a++ {
		id := apps[a].ID
		placedAt[a] = e.start[a+1] - e.start[a]
		fid, ok := res.Placements[id]
		if !ok {
			out = append(out, Violation{Kind: ViolationMissing, Applicant: id})
			continue
		}
		if fx := e.fixed[a]; fx >= 0 && fid != facs[fx].ID {
			out = append(out, Violation{Kind: ViolationFixedMoved, Applicant: id, Facility: facs[fx].ID})
		}
		if fid == "" {
			continue
		}
		f, ok := e.facs.find(fid)
		if !ok {
			out = append(out, Violation{Kind: ViolationUnknownFacility, Applicant: id, Facility: fid})
			continue
		}
		if e.pools != nil && e.pools.first[f] >= 0 {
			// counted by verifyPools
		} else if pool := e.poolOf(f, apps[a].Band); pool >= 0 {
			count[pool]++
		}
		if e.fixed[a] >= 0 {
			continue
		}
		k := slices.Index(e.pairFac[e.start[a]:e.start[a+1]], f)
		if k < 0 {
			out = append(out, Violation{Kind: ViolationNotChosen, Applicant: id, Facility: fid})
			continue
		}
		placedAt[a] = int32(k)
	}
	if e.pools != nil {
		return append(out, e.verifyPools(res, placedAt, count)...), nil
	}
	rank := e.effectiveRank(placedAt)
	holders := make([][]int32, nPools) // ranks of this round's placed applicants
	for a := 0; a < e.nA; a++ {
		if e.fixed[a] >= 0 || placedAt[a] == e.start[a+1]-e.start[a] {
			continue
		}
		pair := e.start[a] + placedAt[a]
		pool := e.pairPool[pair]
		if e.fam != nil {
			holders[pool] = append(holders[pool], rank(pair))
		}
		if w := worst[pool]; w < 0 || rank(pair) > rank(w) {
			worst[pool] = pair
		}
	}
	for pool := 0; pool < nPools; pool++ {
		if count[pool] > e.poolAll[pool] {
			out = append(out, Violation{Kind: ViolationOverCapacity,
				Facility: facs[e.poolFac[pool]].ID, Band: e.poolBand[pool]})
		}
	}
	for a := 0; a < e.nA; a++ {
		if e.fixed[a] >= 0 || (e.fam != nil && e.fam.of[a] >= 0 && e.fam.together[e.fam.of[a]]) {
			continue
		}
		for pair := e.start[a]; pair < e.start[a]+placedAt[a]; pair++ {
			pool := e.pairPool[pair]
			v := Violation{Applicant: apps[a].ID, Facility: facs[e.pairFac[pair]].ID, Band: e.poolBand[pool]}
			if e.blockingPair(&v, pair, pool, count, worst, rank) {
				out = append(out, v)
			}
		}
	}
	if e.fam != nil {
		for _, h := range holders {
			slices.Sort(h)
		}
		out = append(out, e.verifyFamilies(placedAt, holders)...)
	}
	return out, nil
}

// blockingPair sets v's kind when pair, proposing to pool, blocks: a wasted
// seat when the pool has a free place (count holds all its placements), a
// justified envy (with Other) when its worst holder of this round (worst)
// ranks below the pair. It reports whether the pair blocks.
func (e *engine) blockingPair(v *Violation, pair, pool int32, count, worst []int32, rank func(int32) int32) bool {
	switch w := worst[pool]; {
	case count[pool] < e.poolAll[pool]:
		v.Kind = ViolationWastedSeat
	case w >= 0 && rank(pair) < rank(w):
		v.Kind = ViolationJustifiedEnvy
		v.Other = e.inst.Applicants[e.pairApp[w]].ID
	default:
		return false
	}
	return true
}

// verifyFamilies reports together-families that are split or block: at a
// Kita they prefer, every child would have fewer better-ranked holders
// and siblings in its pool than the pool has places for this round.
func (e *engine) verifyFamilies(placedAt []int32, holders [][]int32) []Violation {
	var out []Violation
	fs := e.fam
	for F, together := range fs.together {
		if !together {
			continue
		}
		id := e.inst.Families[F].ID
		kids := fs.members(int32(F))
		at := placedAt[kids[0]]
		split := false
		for _, b := range kids {
			split = split || placedAt[b] != at
		}
		if split {
			out = append(out, Violation{Kind: ViolationSplit, Family: id})
			continue
		}
		for j := int32(0); j < at; j++ {
			ok := true
			for _, b := range kids {
				p := e.start[b] + j
				pool, rk := e.pairPool[p], e.xRank[p]
				better, _ := slices.BinarySearch(holders[pool], rk)
				for _, c := range kids {
					if q := e.start[c] + j; e.pairPool[q] == pool && e.xRank[q] < rk {
						better++
					}
				}
				if int32(better) >= e.poolCap[pool] {
					ok = false
					break
				}
			}
			if ok {
				f := e.pairFac[e.start[kids[0]]+j]
				out = append(out, Violation{Kind: ViolationBlockingFamily, Family: id, Facility: e.inst.Facilities[f].ID})
				break
			}
		}
	}
	return out
}

// effectiveRank returns the rank of a pair as the round saw it, on the
// scale of xRank: boosted where a sibling of a family not placed together
// holds a place at the same Kita. placedAt is, per applicant, the choice
// position it is placed at (the number of its choices if none).
func (e *engine) effectiveRank(placedAt []int32) func(p int32) int32 {
	fs := e.fam
	if e.boost == nil {
		return func(p int32) int32 { return e.xRank[p] }
	}
	return func(p int32) int32 {
		a, f := e.pairApp[p], e.pairFac[p]
		if e.boost[p] >= 0 {
			for _, b := range fs.members(fs.of[a]) {
				if b != a && placedAt[b] < e.start[b+1]-e.start[b] && e.pairFac[e.start[b]+placedAt[b]] == f {
					return e.xRank[e.boost[p]]
				}
			}
		}
		return e.xRank[p]
	}
}
