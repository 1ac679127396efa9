package allocation

import (
	"runtime"
	"strings"
	"sync"

	"github.com/kitaportal/kitaportal/problem"
)

// Run validates inst and allocates its places with opts.Mechanism, under
// the instance's policy and seed. Invalid input (or an invalid mechanism)
// yields a [problem.List] naming every problem, and no result. Run is
// [Compile], [Compiled.Allocate] and [Outcome.Result] in one call.
func Run(inst Instance, opts Options) (Result, error) {
	if !opts.Mechanism.Valid() {
		var c problem.Collector
		c.Add("mechanism", CodeInvalidMechanism, ErrMechanism, "allowed", strings.Join(mechanismNames[1:], ", "))
		if err := Validate(inst); err != nil {
			c.Merge("", err)
		}
		return Result{}, c.Err()
	}
	// A Result holds every Kita's whole order, so Run builds the orders
	// with the priorities and allocates by ranks, which costs less than
	// allocating by keys and building the orders after.
	e, err := build(&inst, inst.Policy.Seed, rankNow)
	if err != nil {
		return Result{}, err
	}
	out, err := (&Compiled{e: e}).Allocate(opts)
	if err != nil {
		return Result{}, err
	}
	return out.Result(), nil
}

// Compiled is an instance validated once and mapped to dense indices, with
// its priorities computed (every Kita's whole order, or where deferred
// acceptance needs no more, each applicant's packed value, the orders
// then built when an outcome first needs them): ready to be allocated by
// any mechanism, any number of times. It does not copy the instance's slices
// and maps; do not change them while the Compiled is in use.
type Compiled struct {
	e *engine
}

// Compile validates inst and computes its priorities under the instance's
// policy and seed. Invalid input yields a [problem.List] naming every
// problem, and no Compiled.
func Compile(inst Instance) (*Compiled, error) {
	e, err := build(&inst, inst.Policy.Seed, rankLazy)
	if err != nil {
		return nil, err
	}
	return &Compiled{e: e}, nil
}

// Allocate places the compiled instance's applicants with opts.Mechanism.
// An invalid mechanism yields a [problem.List] and no outcome.
func (c *Compiled) Allocate(opts Options) (*Outcome, error) {
	if c.e.fam != nil && opts.Mechanism.Valid() && opts.Mechanism != DeferredAcceptance {
		var pc problem.Collector
		pc.Add("mechanism", CodeFamilyMechanism, ErrMechanism)
		return nil, pc.Err()
	}
	if c.e.pools != nil && opts.Mechanism.Valid() && opts.Mechanism != DeferredAcceptance {
		var pc problem.Collector
		pc.Add("mechanism", CodePoolsMechanism, ErrMechanism)
		return nil, pc.Err()
	}
	keys := opts.Mechanism == DeferredAcceptance && c.e.pairKey != nil
	if !keys {
		c.e.ordered()
	}
	var match, pool []int32
	var unstable *Instability
	var spare []uint64 // scratch for deferred acceptance, if not taken yet
	if p := c.e.spare.Swap(nil); p != nil {
		spare = *p
	}
	if keys {
		return &Outcome{e: c.e, match: c.e.keyProposing(spare), opts: opts}, nil
	}
	switch opts.Mechanism {
	case DeferredAcceptance:
		if c.e.pools != nil && c.e.fam != nil {
			match, pool, unstable = c.e.poolFamilyDA()
			break
		}
		if c.e.pools != nil {
			match, pool = c.e.poolDA(spare)
			break
		}
		if c.e.fam != nil {
			match, unstable = c.e.familyDA()
			break
		}
		match = c.e.childProposing(spare)
	case KitaProposing:
		match = c.e.kitaProposing()
	case ImmediateAcceptance:
		match = c.e.immediateAcceptance()
	default:
		var pc problem.Collector
		pc.Add("mechanism", CodeInvalidMechanism, ErrMechanism, "allowed", strings.Join(mechanismNames[1:], ", "))
		return nil, pc.Err()
	}
	return &Outcome{e: c.e, match: match, pool: pool, opts: opts, unstable: unstable}, nil
}

// Outcome is an allocation in the engine's dense form. [Outcome.Result]
// turns it into maps keyed by id; [Outcome.WriteJSON] writes it in the
// interchange format directly, in time linear in the number of choices.
type Outcome struct {
	e     *engine
	match []int32 // per applicant: the pair placing it, or -1
	pool  []int32 // per applicant: the engine pool placing it (nil without pools)
	opts  Options
	// unstable names who still blocks when families kept the engine from
	// a stable outcome; nil otherwise.
	unstable *Instability
}

// Unstable returns who still blocks when the engine could not reach a
// stable outcome with the instance's together-families, or nil.
func (o *Outcome) Unstable() *Instability { return o.unstable }

// Result returns the outcome as a [Result]: placements, priorities,
// cut-offs and statistics, and explanations when the options asked for
// them.
func (o *Outcome) Result() Result {
	o.e.ordered()
	e, apps, facs := o.e, o.e.inst.Applicants, o.e.inst.Facilities
	res := Result{
		Mechanism:  o.opts.Mechanism,
		Seed:       e.inst.Policy.Seed,
		Placements: make(map[string]string, e.nA),
		Priorities: make(map[string][]string, e.nF),
		Cutoffs:    make(map[string][]Cutoff, e.nF),
	}
	st := o.statistics()
	res.Statistics = st.Statistics
	res.Unstable = o.unstable
	for a := 0; a < e.nA; a++ {
		res.Placements[apps[a].ID] = o.placement(a)
		if d := o.declaredPool(a); d >= 0 {
			if res.Pools == nil {
				res.Pools = make(map[string]int)
			}
			res.Pools[apps[a].ID] = d
		}
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
		res.Cutoffs[facs[f].ID] = o.cutoffs(f, st, nil)
		if o.opts.Explain {
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

// placement returns the id of applicant a's Kita, or "".
func (o *Outcome) placement(a int) string {
	e := o.e
	if f := e.fixed[a]; f >= 0 {
		return e.inst.Facilities[f].ID
	}
	if pair := o.match[a]; pair >= 0 {
		return e.inst.Facilities[e.pairFac[pair]].ID
	}
	return ""
}

// poolStats are the statistics of an outcome with, per seat pool, the
// number admitted this round and the pair of the last admitted (-1).
type poolStats struct {
	Statistics
	admitted []int32
	worst    []int32
	// rank is the rank of the last admitted at its Kita, per pool, when
	// the statistics were taken by keys (nil: see pairRank).
	rank []int32
}

func (o *Outcome) statistics() poolStats {
	e := o.e
	// With the choices' keys, the last admitted and its rank are found by
	// them, so that an outcome needs no Kita's whole order for its
	// statistics and cut-offs.
	byKey := e.pairKey != nil
	var order keyOrder
	if byKey {
		e.keys()
		order = e.keyOrder()
	}
	st := poolStats{Statistics: Statistics{Applicants: e.nA}}
	var maxLen int32
	for a := 0; a < e.nA; a++ {
		maxLen = max(maxLen, e.start[a+1]-e.start[a])
	}
	st.ByChoice = make([]int, maxLen)
	nPools := len(e.poolCap)
	st.admitted = make([]int32, nPools)
	st.worst = make([]int32, nPools)
	for p := range st.worst {
		st.worst[p] = -1
	}
	for a := 0; a < e.nA; a++ {
		if e.fixed[a] >= 0 {
			st.Fixed++
			continue
		}
		pair := o.match[a]
		if pair < 0 {
			st.Unplaced++
			continue
		}
		st.Placed++
		st.ByChoice[pair-e.start[a]]++
		pool := o.poolOf(a)
		st.admitted[pool]++
		if w := st.worst[pool]; w < 0 || byKey && order.worse(e.pairKey[pair], e.pairKey[w]) ||
			!byKey && e.pairRank[pair] > e.pairRank[w] {
			st.worst[pool] = pair
		}
	}
	if byKey {
		st.rank = e.ranksByKey(st.worst)
	}
	if len(st.ByChoice) > 0 {
		st.FirstChoice = st.ByChoice[0]
	}
	if fs := e.fam; fs != nil {
		for F, together := range fs.together {
			if !together {
				continue
			}
			st.Families++
			if o.match[fs.members(int32(F))[0]] >= 0 {
				st.Together++
			}
		}
	}
	return st
}

// rankOf returns the rank at its Kita of pool's last admitted pair w.
func (st poolStats) rankOf(e *engine, pool, w int32) int {
	if st.rank != nil {
		return int(st.rank[pool])
	}
	return int(e.pairRank[w])
}

// ranksByKey returns, per pool with a last admitted pair (worst, -1 for
// none), that pair's rank at its Kita: how many pairs of the Kita, not of
// fixed applicants, come before it by key. One pass over the pairs, in
// parallel parts with counts of their own.
func (e *engine) ranksByKey(worst []int32) []int32 {
	order := e.keyOrder()
	parts := min(runtime.GOMAXPROCS(0), 8)
	if len(e.pairKey) < 1<<15 {
		parts = 1
	}
	counts := make([][]int32, parts)
	var wg sync.WaitGroup
	for w := range parts {
		counts[w] = make([]int32, len(worst))
		lo, hi := len(e.pairKey)*w/parts, len(e.pairKey)*(w+1)/parts
		wg.Go(func() {
			cnt := counts[w]
			for p := lo; p < hi; p++ {
				if e.fixed[e.pairApp[p]] >= 0 {
					continue
				}
				f := int(e.pairFac[p])
				for b, q := range e.facPool[3*f : 3*f+3] {
					if q < 0 || b > 0 && q == e.facPool[3*f+b-1] || worst[q] < 0 {
						continue // no pool, the same pool again, or none admitted
					}
					if order.worse(e.pairKey[worst[q]], e.pairKey[p]) {
						cnt[q]++
					}
				}
			}
		})
	}
	wg.Wait()
	for w := 1; w < parts; w++ {
		for q, n := range counts[w] {
			counts[0][q] += n
		}
	}
	return counts[0]
}

// poolOf returns the engine pool of placed applicant a.
func (o *Outcome) poolOf(a int) int32 {
	if o.pool != nil {
		return o.pool[a]
	}
	return o.e.pairPool[o.match[a]]
}

// declaredPool returns the index in its Kita's Facility.Pools of the pool
// placing applicant a, or -1.
func (o *Outcome) declaredPool(a int) int {
	if o.pool == nil || o.pool[a] < 0 {
		return -1
	}
	return int(o.e.pools.declID[o.pool[a]])
}

// cutoffs appends facility f's cut-offs, one per seat pool, to dst.
func (o *Outcome) cutoffs(f int, st poolStats, dst []Cutoff) []Cutoff {
	e := o.e
	if ps := e.pools; ps != nil && ps.first[f] >= 0 {
		for j, p := range e.inst.Facilities[f].Pools {
			pool := ps.first[f] + int32(j)
			c := Cutoff{Band: p.Band, Hours: p.Hours, From: p.From, Capacity: int(e.poolCap[pool]), Admitted: int(st.admitted[pool])}
			if w := st.worst[pool]; w >= 0 {
				c.Rank = st.rankOf(e, pool, w) + 1
				c.Applicant = e.inst.Applicants[e.pairApp[w]].ID
			}
			dst = append(dst, c)
		}
		return dst
	}
	for b := 0; b < 3; b++ {
		pool := e.facPool[3*f+b]
		if pool < 0 || (b > 0 && e.poolBand[pool] == 0) {
			continue
		}
		c := Cutoff{Band: e.poolBand[pool], Capacity: int(e.poolCap[pool]), Admitted: int(st.admitted[pool])}
		if w := st.worst[pool]; w >= 0 {
			c.Rank = st.rankOf(e, pool, w) + 1
			c.Applicant = e.inst.Applicants[e.pairApp[w]].ID
		}
		dst = append(dst, c)
	}
	return dst
}
