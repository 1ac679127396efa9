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

// optPart is one part of the applicants' options, worked on by one
// goroutine: the options of applicants lo..hi-1, each a real pair and its
// pool, and at and twinAt, where they and their boosted twins go in the
// joined arrays (see join).
type optPart struct {
	lo, hi     int
	opt, pool  []int32
	twins      int // options whose pair has a boosted twin (see addBoosts)
	at, twinAt int
}

// poolOptions finds every applicant's options, in parts of the applicants
// worked on in parallel: those of a start at start[a], within a's part
// until join. none is the pool without places for together-families.
func (e *engine) poolOptions(none int32) (start []int32, parts []optPart) {
	start = make([]int32, e.nA+1)
	workers := min(runtime.GOMAXPROCS(0), 8)
	if len(e.pairFac) < 1<<15 {
		workers = 1
	}
	parts = make([]optPart, workers)
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
			parts[w] = optPart{lo: lo, hi: hi, opt: o, pool: q, twins: tw}
		})
	}
	wg.Wait()
	return start, parts
}

// join places the parts one after the other in applicant order: it sets
// each part's at and twinAt, makes start count from the first option, and
// returns the number of options and of their twins.
func join(start []int32, parts []optPart) (total, twins int) {
	for _, pt := range parts {
		total += len(pt.opt)
	}
	at := 0
	for w := range parts {
		pt := &parts[w]
		pt.at, pt.twinAt = at, total+twins
		for a := pt.lo; a < pt.hi; a++ {
			start[a+1] += int32(at)
		}
		at += len(pt.opt)
		twins += pt.twins
	}
	return total, twins
}

// Kita words: what the ordering of pool options in poolFamilyDA reads of
// a real pair, one word at the pair's place in its Kita's order, so that
// the ordering walks the Kitas' orders without looking anything up. The
// low 32 bits are the pair's first option (its options are consecutive);
// bit 32 is kwLookUp; above it, either the number of options (3 bits) and
// the pool of each, as its index among the Kita's pools (5 bits each,
// kwNone for the pool without places), or, with kwLookUp (more options,
// pools far into a Kita's list, a Kita without pools), the number of
// options, whose pools are read from optPool. A pair without options has
// word 0.
const (
	kwLookUp   = 1 << 32
	kwPoolBits = 5
	kwNone     = 1<<kwPoolBits - 1
	kwMaxOpts  = (64 - 36) / kwPoolBits
)

// kitaWord is the Kita word of a pair whose options start at option o and
// go to pools pools; first is its Kita's first pool (-1: none).
func kitaWord(o int, pools []int32, first, none int32) uint64 {
	w := uint64(uint32(o)) | uint64(len(pools))<<33
	if first < 0 || len(pools) > kwMaxOpts {
		return w | kwLookUp
	}
	for i, q := range pools {
		l := int32(kwNone)
		if q != none {
			l = q - first
			if l < 0 || l >= kwNone {
				return uint64(uint32(o)) | uint64(len(pools))<<33 | kwLookUp
			}
		}
		w |= uint64(l) << (36 + kwPoolBits*i)
	}
	return w
}

// joinedOptions returns every applicant's options for poolDA, joined:
// those of a start at start[a], the real pair of each and its pool.
func (e *engine) joinedOptions() (start, opt, optPool []int32) {
	start, parts := e.poolOptions(-1) // no families: no pool without places
	total, _ := join(start, parts)
	opt, optPool = make([]int32, 0, total), make([]int32, 0, total)
	for _, pt := range parts {
		opt, optPool = append(opt, pt.opt...), append(optPool, pt.pool...)
	}
	return start, opt, optPool
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
	var parts []optPart
	d.start, parts = e.poolOptions(none)
	total, twins := join(d.start, parts)
	d.nReal = int32(total)
	opt := make([]int32, total)
	d.pairPool = make([]int32, total+twins)
	d.pairApp = make([]int32, total+twins)
	d.pairFac = make([]int32, total+twins)
	d.xRank = make([]int32, total+twins)
	if e.boost != nil {
		d.boost = make([]int32, total)
	}
	// Each part is copied into the joined arrays with what the engine
	// reads of each option, the boosted twins after the real options.
	var wg sync.WaitGroup
	for _, pt := range parts {
		wg.Go(func() {
			copy(opt[pt.at:], pt.opt)
			copy(d.pairPool[pt.at:], pt.pool)
			tw := pt.twinAt
			for i := 0; i < len(pt.opt); {
				p := pt.opt[i]
				j := i + 1
				for j < len(pt.opt) && pt.opt[j] == p {
					j++
				}
				a, f, rk := e.pairApp[p], e.pairFac[p], e.xRank[p]
				for k := pt.at + i; k < pt.at+j; k++ {
					d.pairApp[k], d.pairFac[k], d.xRank[k] = a, f, rk
				}
				if d.boost != nil {
					twin := e.boost[p]
					for k := pt.at + i; k < pt.at+j; k++ {
						d.boost[k] = -1
						if twin >= 0 {
							d.boost[k] = int32(tw)
							d.pairApp[tw], d.pairFac[tw], d.pairPool[tw], d.xRank[tw] = a, f, d.pairPool[k], e.xRank[twin]
							tw++
						}
					}
				}
				i = j
			}
		})
	}
	wg.Wait()
	// The first pass of the family-aware deferred acceptance does not
	// read the pools' orders, only the scans after it: they are built
	// while it runs.
	d.ordering = new(sync.WaitGroup)
	d.ordering.Go(func() { d.orderPoolOptions(e, opt, none) })
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

// orderPoolOptions sets d's facStart and facOrder: each pool's options in
// priority order, as the scans need them. e is the engine of the Kitas,
// opt the real pair of each option. Each pair's Kita word (see kitaWord)
// is put at its place in its Kita's order; the Kitas' orders then give the
// pairs in priority order, their Kita words the options. It runs in one
// goroutine, next to the first pass, on the other processor.
func (d *engine) orderPoolOptions(e *engine, opt []int32, none int32) {
	words := make([]uint64, len(e.facOrder))
	for i := 0; i < len(opt); {
		p := opt[i]
		j := i + 1
		for j < len(opt) && opt[j] == p {
			j++
		}
		f := e.pairFac[p]
		words[e.facStart[f]+e.pairRank[p]] = kitaWord(i, d.pairPool[i:j], e.pools.first[f], none)
		i = j
	}
	nPools := len(d.poolCap)
	d.facStart = make([]int32, nPools+1)
	for _, q := range d.pairPool[:d.nReal] {
		d.facStart[q+1]++
	}
	for q := 0; q < nPools; q++ {
		d.facStart[q+1] += d.facStart[q]
	}
	d.facOrder = make([]int32, d.nReal)
	// The pool without places (never scanned) is filled last.
	fill := slices.Clone(d.facStart[:nPools])
	for f := range e.nF {
		first := e.pools.first[f]
		for _, w := range words[e.facStart[f]:e.facStart[f+1]] {
			o := int32(uint32(w))
			if w&kwLookUp != 0 {
				for end := o + int32(w>>33); o < end; o++ {
					if q := d.pairPool[o]; q != none {
						d.facOrder[fill[q]] = o
						fill[q]++
					}
				}
				continue
			}
			for end, pools := o+int32(w>>33&7), w>>36; o < end; o, pools = o+1, pools>>kwPoolBits {
				if l := int32(pools & kwNone); l != kwNone {
					q := first + l
					d.facOrder[fill[q]] = o
					fill[q]++
				}
			}
		}
	}
	for o, q := range d.pairPool[:d.nReal] {
		if q == none {
			d.facOrder[fill[q]] = int32(o)
			fill[q]++
		}
	}
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
