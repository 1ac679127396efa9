package allocation

import (
	"runtime"
	"slices"
	"sync"
)

// Families at Kitas with pools. The engine builds a second engine whose
// pairs are pool options and runs the family-aware deferred acceptance of
// families.go on it. A single child's options are those of options; a
// together-family's children get aligned options, so that the family
// proposes to one (Kita, hours) at a time: per chosen Kita, per hour (the
// family's shared hour order, or the Kita's hours in the order of its
// pools), each child the first pool of those hours that fits it, or a pool
// without places when none does, which keeps the family out.

// hoursAt returns the hours applicant a names at its k-th choice (nil:
// any).
func (e *engine) hoursAt(a int32, k int) []int {
	if hs := e.inst.Applicants[a].ChoiceHours; k < len(hs) && len(hs[k]) > 0 {
		return hs[k]
	}
	return nil
}

// familyOptions appends a together-family child's aligned options; none
// is the pool without places.
func (e *engine) familyOptions(a, none int32, opt, optPool []int32) ([]int32, []int32) {
	ps := e.pools
	app := &e.inst.Applicants[a]
	for p := e.start[a]; p < e.start[a+1]; p++ {
		f := e.pairFac[p]
		pools := e.inst.Facilities[f].Pools
		if ps.first[f] < 0 {
			opt, optPool = append(opt, p), append(optPool, e.pairPool[p])
			continue
		}
		hs := e.hoursAt(a, int(p-e.start[a]))
		if hs == nil {
			for i, x := range pools {
				if !slices.ContainsFunc(pools[:i], func(y Pool) bool { return y.Hours == x.Hours }) {
					hs = append(hs, x.Hours)
				}
			}
		}
		for _, h := range hs {
			q := none
			for i, x := range pools {
				r := ps.first[f] + int32(i)
				if x.Hours == h && (x.Band == 0 || x.Band == app.Band) && (ps.start[a] < 0 || ps.from[r] <= ps.start[a]) {
					q = r
					break
				}
			}
			opt, optPool = append(opt, p), append(optPool, q)
		}
	}
	return opt, optPool
}

// inTogether reports whether applicant a is in a together-family.
func (e *engine) inTogether(a int32) bool {
	return e.fam != nil && e.fam.of[a] >= 0 && e.fam.together[e.fam.of[a]]
}

// poolOptions returns every applicant's options: those of a start at
// start[a], the real pair of each and its pool. none is the pool without
// places for together-families. Parts of the applicants are worked on in
// parallel and joined in applicant order. twins counts the options whose
// pair has a boosted twin (see addBoosts); optPool has room for as many
// more.
func (e *engine) poolOptions(none int32) (start, opt, optPool []int32, twins int) {
	start = make([]int32, e.nA+1)
	workers := min(runtime.GOMAXPROCS(0), 8)
	if len(e.pairFac) < 1<<15 {
		workers = 1
	}
	type part struct {
		opt, pool []int32
		twins     int
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := e.nA*w/workers, e.nA*(w+1)/workers
		wg.Go(func() {
			n := 2 * int(e.start[hi]-e.start[lo])
			o, q := make([]int32, 0, n), make([]int32, 0, n)
			for a := int32(lo); a < int32(hi); a++ {
				switch {
				case e.fixed[a] >= 0:
				case e.inTogether(a):
					o, q = e.familyOptions(a, none, o, q)
				default:
					o, q = e.options(a, o, q)
				}
				start[a+1] = int32(len(o)) // within the part, for now
			}
			tw := 0
			if e.boost != nil {
				for _, p := range o {
					if e.boost[p] >= 0 {
						tw++
					}
				}
			}
			parts[w] = part{o, q, tw}
		})
	}
	wg.Wait()
	total := 0
	for _, pt := range parts {
		total += len(pt.opt)
		twins += pt.twins
	}
	opt, optPool = make([]int32, 0, total), make([]int32, 0, total+twins)
	for w, pt := range parts {
		at := int32(len(opt))
		for a := e.nA * w / workers; a < e.nA*(w+1)/workers; a++ {
			start[a+1] += at
		}
		opt, optPool = append(opt, pt.opt...), append(optPool, pt.pool...)
	}
	return start, opt, optPool, twins
}

// poolFamilyDA places the applicants with families at Kitas with pools.
func (e *engine) poolFamilyDA() (match, pool []int32, unstable *Instability) {
	none := int32(len(e.poolCap))
	nPools := len(e.poolCap) + 1
	// The scans look up who chose a pool whose holders changed through
	// poolFac and facOrder; here each pool is its own "facility", so that
	// a scan visits only the options of the changed pools.
	d := &engine{inst: e.inst, nA: e.nA, nF: nPools, fixed: e.fixed, fam: e.fam}
	d.poolFac = make([]int32, nPools)
	for q := range d.poolFac {
		d.poolFac[q] = int32(q)
	}
	d.poolCap = append(slices.Clone(e.poolCap), 0)
	var opt []int32
	var twins int
	d.start, opt, d.pairPool, twins = e.poolOptions(none)
	d.nReal = int32(len(opt))
	d.pairApp = make([]int32, len(opt), len(opt)+twins)
	d.pairFac = make([]int32, len(opt), len(opt)+twins)
	d.xRank = make([]int32, len(opt), len(opt)+twins)
	for o, p := range opt {
		d.pairApp[o], d.pairFac[o], d.xRank[o] = e.pairApp[p], e.pairFac[p], e.xRank[p]
	}
	if e.boost != nil {
		d.boost = make([]int32, d.nReal)
		for o, p := range opt {
			d.boost[o] = -1
			if tw := e.boost[p]; tw >= 0 {
				d.boost[o] = int32(len(d.pairApp))
				d.pairApp = append(d.pairApp, d.pairApp[o])
				d.pairFac = append(d.pairFac, d.pairFac[o])
				d.pairPool = append(d.pairPool, d.pairPool[o])
				d.xRank = append(d.xRank, e.xRank[tw])
			}
		}
	}
	d.facStart = make([]int32, nPools+1)
	for _, q := range d.pairPool[:d.nReal] {
		d.facStart[q+1]++
	}
	for q := 0; q < nPools; q++ {
		d.facStart[q+1] += d.facStart[q]
	}
	// Each pool's options in priority order, as the scans need them:
	// the options of a pair are consecutive (opt does not decrease), and
	// the Kitas' lists give the pairs in priority order. A Kita's pools
	// are its own, so parts of the Kitas are worked on in parallel; the
	// pool without places (never scanned) is filled afterwards.
	firstOpt := make([]int32, e.nReal+1)
	for _, p := range opt {
		firstOpt[p+1]++
	}
	for p := range e.nReal {
		firstOpt[p+1] += firstOpt[p]
	}
	d.facOrder = make([]int32, d.nReal)
	fill := slices.Clone(d.facStart[:nPools])
	parallel(e.nF, len(e.facOrder), func(lo, hi int) {
		for _, p := range e.facOrder[e.facStart[lo]:e.facStart[hi]] {
			for o := firstOpt[p]; o < firstOpt[p+1]; o++ {
				if q := d.pairPool[o]; q != none {
					d.facOrder[fill[q]] = o
					fill[q]++
				}
			}
		}
	})
	for o, q := range d.pairPool[:d.nReal] {
		if q == none {
			d.facOrder[fill[q]] = int32(o)
			fill[q]++
		}
	}
	m, unstable := d.familyDA()
	match = make([]int32, e.nA)
	pool = make([]int32, e.nA)
	for a, o := range m {
		match[a], pool[a] = -1, -1
		if o >= 0 {
			match[a], pool[a] = opt[o], d.pairPool[o]
		}
	}
	return match, pool, unstable
}

// verifyPoolFamilies reports together-families at Kitas with pools that
// are split or block: at an option before theirs, every child would have
// fewer better-ranked holders and siblings in its pool than it has places
// this round. at is each applicant's pool (-1 unplaced); holders are the
// sorted ranks of each pool's holders of this round.
func (e *engine) verifyPoolFamilies(placedAt, at []int32, holders [][]int32) []Violation {
	var out []Violation
	fs := e.fam
	none := int32(len(e.poolCap))
	type kidOpts struct{ opt, pool []int32 }
	for F, together := range fs.together {
		if !together {
			continue
		}
		id := e.inst.Families[F].ID
		kids := fs.members(int32(F))
		split := false
		for _, b := range kids {
			split = split || placedAt[b] != placedAt[kids[0]]
		}
		if split {
			out = append(out, Violation{Kind: ViolationSplit, Family: id})
			continue
		}
		ko := make([]kidOpts, len(kids))
		for i, b := range kids {
			ko[i].opt, ko[i].pool = e.familyOptions(b, none, nil, nil)
		}
		cur := len(ko[0].opt)
		for o := range ko[0].opt {
			here := true
			for i, b := range kids {
				here = here && at[b] >= 0 && ko[i].opt[o] == e.start[b]+placedAt[b] && ko[i].pool[o] == at[b]
			}
			if here {
				cur = o
				break
			}
		}
		for o := 0; o < cur; o++ {
			ok := true
			for i := range kids {
				q, rk := ko[i].pool[o], e.xRank[ko[i].opt[o]]
				if q == none {
					ok = false
					break
				}
				better, _ := slices.BinarySearch(holders[q], rk)
				for k := range kids {
					if ko[k].pool[o] == q && e.xRank[ko[k].opt[o]] < rk {
						better++
					}
				}
				if int32(better) >= e.poolCap[q] {
					ok = false
					break
				}
			}
			if ok {
				q := ko[0].pool[o]
				out = append(out, Violation{Kind: ViolationBlockingFamily, Family: id,
					Facility: e.inst.Facilities[e.pairFac[ko[0].opt[o]]].ID, Pool: int(e.pools.declID[q]) + 1})
				break
			}
		}
	}
	return out
}
