package allocation

import (
	"strings"

	"github.com/kitaportal/kitaportal/problem"
)

// Run validates inst and allocates its places with opts.Mechanism, under
// the instance's policy and seed. Invalid input (or an invalid mechanism)
// yields a [problem.List] naming every problem, and no result.
func Run(inst Instance, opts Options) (Result, error) {
	if !opts.Mechanism.Valid() {
		var c problem.Collector
		c.Add("mechanism", CodeInvalidMechanism, ErrMechanism, "allowed", strings.Join(mechanismNames[1:], ", "))
		if err := Validate(inst); err != nil {
			c.Merge("", err)
		}
		return Result{}, c.Err()
	}
	e, err := build(&inst, inst.Policy.Seed, true)
	if err != nil {
		return Result{}, err
	}
	var match []int32
	switch opts.Mechanism {
	case DeferredAcceptance:
		match = e.childProposing()
	case KitaProposing:
		match = e.kitaProposing()
	case ImmediateAcceptance:
		match = e.immediateAcceptance()
	}
	return e.result(match, opts), nil
}

// result turns a matching into a Result.
func (e *engine) result(match []int32, opts Options) Result {
	apps, facs := e.inst.Applicants, e.inst.Facilities
	res := Result{
		Mechanism:  opts.Mechanism,
		Seed:       e.inst.Policy.Seed,
		Placements: make(map[string]string, e.nA),
		Priorities: make(map[string][]string, e.nF),
		Cutoffs:    make(map[string][]Cutoff, e.nF),
	}
	st := &res.Statistics
	st.Applicants = e.nA
	var maxLen int32
	for a := 0; a < e.nA; a++ {
		maxLen = max(maxLen, e.start[a+1]-e.start[a])
	}
	st.ByChoice = make([]int, maxLen)
	nPools := len(e.poolCap)
	admitted := make([]int32, nPools)
	worst := make([]int32, nPools) // pair of the last admitted, -1 if none
	for p := range worst {
		worst[p] = -1
	}
	for a := 0; a < e.nA; a++ {
		id := apps[a].ID
		if f := e.fixed[a]; f >= 0 {
			res.Placements[id] = facs[f].ID
			st.Fixed++
			continue
		}
		pair := match[a]
		if pair < 0 {
			res.Placements[id] = ""
			st.Unplaced++
			continue
		}
		res.Placements[id] = facs[e.pairFac[pair]].ID
		st.Placed++
		st.ByChoice[pair-e.start[a]]++
		pool := e.pairPool[pair]
		admitted[pool]++
		if w := worst[pool]; w < 0 || e.pairRank[pair] > e.pairRank[w] {
			worst[pool] = pair
		}
	}
	if len(st.ByChoice) > 0 {
		st.FirstChoice = st.ByChoice[0]
	}
	for f := 0; f < e.nF; f++ {
		if _, dup := res.Priorities[facs[f].ID]; dup {
			continue
		}
		order := e.facOrder[e.facStart[f]:e.facStart[f+1]]
		ids := make([]string, len(order))
		for i, p := range order {
			ids[i] = apps[e.pairApp[p]].ID
		}
		res.Priorities[facs[f].ID] = ids
		var cuts []Cutoff
		for b := 0; b < 3; b++ {
			pool := e.facPool[3*f+b]
			if pool < 0 || (b > 0 && e.poolBand[pool] == 0) {
				continue
			}
			c := Cutoff{Band: e.poolBand[pool], Capacity: int(e.poolCap[pool]), Admitted: int(admitted[pool])}
			if w := worst[pool]; w >= 0 {
				c.Rank = int(e.pairRank[w]) + 1
				c.Applicant = apps[e.pairApp[w]].ID
			}
			cuts = append(cuts, c)
		}
		res.Cutoffs[facs[f].ID] = cuts
		if opts.Explain {
			if res.Explanations == nil {
				res.Explanations = make(map[string][]Explanation, e.nF)
			}
			xs := make([]Explanation, len(order))
			for r, p := range order {
				xs[r] = e.explain(p, r, e.inst.Policy.Seed)
			}
			res.Explanations[facs[f].ID] = xs
		}
	}
	return res
}
