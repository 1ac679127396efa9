package allocation

import (
	"fmt"
	"slices"

	"github.com/kitaportal/kitaportal/problem"
)

// Position is where one child stands on one Kita's list after a round:
// what a family may be told without learning anything about other
// families.
type Position struct {
	// Applicant is the child's id.
	Applicant string `json:"applicant"`
	// Facility is the Kita's id; Choice its 1-based place in the child's
	// list.
	Facility string `json:"facility"`
	Choice   int    `json:"choice"`
	// Band of the pool the child competes in, when the Kita has quotas.
	Band Band `json:"band,omitempty"`
	// Rank is the child's 1-based rank among the Kita's applicants of the
	// round, as the round saw it: with the sibling criterion where a
	// sibling of its family is placed at the Kita (so it may be better
	// than its rank in Result.Priorities).
	Rank int `json:"rank"`
	// LastAdmitted is the rank, on the same scale, of the last child of
	// this round admitted to the pool, 0 when nobody was. At a Kita with
	// Pools it is the last admitted to any of its pools (Band is then
	// unset): the cut-offs per pool are in Result.Cutoffs.
	LastAdmitted int `json:"last_admitted"`
	// Placed is set at the Kita where the child is placed.
	Placed bool `json:"placed,omitempty"`
}

// Positions returns, for a family (a family id of the instance, or the id
// of a single applicant), each child's position on each Kita's list it
// chose, in the order of the children and their choices. The ranks are
// recomputed from the instance with res.Seed; the last admitted ranks
// come from res.Placements. An unknown id or an invalid instance yields a
// [problem.List].
func Positions(inst Instance, res Result, family string) ([]Position, error) {
	p, err := newPositioner(inst, res)
	if err != nil {
		return nil, err
	}
	out, ok := p.of(family)
	if !ok {
		var c problem.Collector
		c.Add("family", CodeUnknownApplicant, ErrUnknownApplicant)
		return nil, c.Err()
	}
	return out, nil
}

// PositionsOf is [Positions] for many families (or single applicants) at
// once, keyed by the ids asked for: the instance is built once, so that
// explaining a round's changes costs one build, not one per family. Every
// unknown id is a problem of the returned [problem.List], with its index
// (families[i]).
func PositionsOf(inst Instance, res Result, families []string) (map[string][]Position, error) {
	p, err := newPositioner(inst, res)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Position, len(families))
	var c problem.Collector
	for i, id := range families {
		pos, ok := p.of(id)
		if !ok {
			c.Add(fmt.Sprintf("families[%d]", i), CodeUnknownApplicant, ErrUnknownApplicant)
			continue
		}
		out[id] = pos
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// positioner answers Positions over one build of an instance.
type positioner struct {
	inst     *Instance
	e        *engine
	placedAt []int32
	rank     func(int32) int32
	facs     []*facRanks // per facility, computed when first asked
}

// facRanks are one facility's ranks as the round saw them, sorted, and
// per seat pool the worst rank admitted (absent: nobody).
type facRanks struct {
	ranks []int32
	worst map[int32]int32
}

// at returns facility f's ranks.
func (ps *positioner) at(f int32) *facRanks {
	if v := ps.facs[f]; v != nil {
		return v
	}
	e := ps.e
	v := &facRanks{worst: map[int32]int32{}}
	for _, q := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
		rq := ps.rank(q)
		v.ranks = append(v.ranks, rq)
		b := e.pairApp[q]
		if e.start[b]+ps.placedAt[b] == q {
			if w, ok := v.worst[e.pairPool[q]]; !ok || rq > w {
				v.worst[e.pairPool[q]] = rq
			}
		}
	}
	slices.Sort(v.ranks)
	ps.facs[f] = v
	return v
}

func newPositioner(inst Instance, res Result) (*positioner, error) {
	e, err := build(&inst, res.Seed, rankNow)
	if err != nil {
		return nil, err
	}
	placedAt := make([]int32, e.nA) // choice position, the number of choices if none
	for a := range inst.Applicants {
		placedAt[a] = e.start[a+1] - e.start[a]
		if e.fixed[a] >= 0 {
			continue
		}
		if f, ok := e.facs.find(res.Placements[inst.Applicants[a].ID]); ok {
			if k := slices.Index(e.pairFac[e.start[a]:e.start[a+1]], f); k >= 0 {
				placedAt[a] = int32(k)
			}
		}
	}
	// Ranks as the round saw them (with the sibling criterion where a
	// sibling is placed), as positions among the Kita's applicants.
	return &positioner{inst: &inst, e: e, placedAt: placedAt, rank: e.effectiveRank(placedAt), facs: make([]*facRanks, e.nF)}, nil
}

// of returns the positions of a family or single applicant; false when
// the id is neither.
func (ps *positioner) of(family string) ([]Position, bool) {
	e, inst, placedAt, rank := ps.e, ps.inst, ps.placedAt, ps.rank
	var kids []int32
	if i := slices.IndexFunc(inst.Families, func(f Family) bool { return f.ID == family }); i >= 0 {
		kids = e.fam.members(int32(i))
	} else if a, ok := e.apps.find(family); ok {
		kids = []int32{a}
	} else {
		return nil, false
	}
	// The child's rank is 1 + the Kita's pairs ranked better; the last
	// admitted is the position of the pool's worst admitted rank.
	position := func(p int32) (pos int, last int) {
		v := ps.at(e.pairFac[p])
		pos, _ = slices.BinarySearch(v.ranks, rank(p))
		if worst, ok := v.worst[e.pairPool[p]]; ok {
			last, _ = slices.BinarySearch(v.ranks, worst+1)
		}
		return pos + 1, last
	}
	var out []Position
	for _, a := range kids {
		for p := e.start[a]; p < e.start[a+1]; p++ {
			rk, last := position(p)
			band := e.poolBand[e.pairPool[p]]
			if e.pools != nil && e.pools.first[e.pairFac[p]] >= 0 {
				band = 0 // every pair of the Kita shares its first pool
			}
			out = append(out, Position{
				Applicant: inst.Applicants[a].ID, Facility: inst.Facilities[e.pairFac[p]].ID,
				Choice: int(p-e.start[a]) + 1, Band: band,
				Rank: rk, LastAdmitted: last, Placed: e.start[a]+placedAt[a] == p,
			})
		}
	}
	return out, true
}

// Change is one applicant whose placement differs between two results;
// "" is unplaced (or absent).
type Change struct {
	Applicant string `json:"applicant"`
	Before    string `json:"before"`
	After     string `json:"after"`
}

// Diff lists the applicants whose placement differs between before and
// after, by applicant id.
func Diff(before, after Result) []Change {
	ids := make([]string, 0, len(before.Placements)+len(after.Placements))
	for id := range before.Placements {
		ids = append(ids, id)
	}
	for id := range after.Placements {
		if _, ok := before.Placements[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []Change
	for _, id := range ids {
		if b, a := before.Placements[id], after.Placements[id]; b != a {
			out = append(out, Change{Applicant: id, Before: b, After: a})
		}
	}
	return out
}
