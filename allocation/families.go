package allocation

import (
	"cmp"
	"iter"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/kitaportal/kitaportal/problem"
)

// Families. Children of a together-family share one ranked list and are
// admitted jointly: at their j-th choice each child needs a place of its
// own pool, and all are admitted or none. The other families' children
// propose alone, but a child whose sibling holds a place at a Kita ranks
// there as if a sibling attended it: each such pair has a "boosted" twin
// pair, ranked with the sibling criterion met, merged into the Kita's
// order (engine.xRank) and never published.
//
// The mechanism follows Roth and Peranson (1999): deferred acceptance for
// the single applicants, then the families are inserted one by one, and a
// family whose child is displaced withdraws all its children. Withdrawals
// leave vacancies and boosts change ranks, so a scan then looks for
// blocking applicants and families; they propose again from the choice
// they block at (the single applicants first; blocking families only once
// no single applicant blocks), and so on. Each scan looks only at those
// who chose a pool whose holders changed and rank there within reach of
// its places (see blocking), and at the children of sibling families. The repair stops when a scan finds the placements of an
// earlier scan again (a cycle: it would only go round again; couples and
// sibling boosts can make every outcome unstable), or after
// maxRepairRounds scans. If blocking remains, the outcome names the
// families and applicants involved (Result.Unstable).
//
// Cycles are found with a hash of the placements kept up to date on every
// change (each applicant's placement contributes a mixed 64-bit value,
// combined by exclusive or), so a scan costs no pass over all applicants
// to recognise a placement seen before.

// maxRepairRounds bounds the scans for blocking applicants and families
// after the first pass. Realistic instances settle within a few.
const maxRepairRounds = 64

// families is the compiled form of Instance.Families.
type families struct {
	of       []int32 // per applicant: family index, or -1
	start    []int32 // kids[start[F]:start[F+1]] are family F's children
	kids     []int32
	together []bool
}

func (fs *families) members(F int32) []int32 { return fs.kids[fs.start[F]:fs.start[F+1]] }

// checkFamilies validates inst.Families and compiles them; it needs the
// applicants' ids mapped.
func (e *engine) checkFamilies(c *problem.Collector) {
	fams := e.inst.Families
	if len(fams) == 0 {
		return
	}
	if e.inst.Format != FormatV2 {
		c.Add("families", CodeNeedsV2, ErrFormat, "format", FormatV2)
	}
	fs := &families{of: make([]int32, e.nA), start: make([]int32, 1, len(fams)+1), together: make([]bool, len(fams))}
	for a := range fs.of {
		fs.of[a] = -1
	}
	ids := make(map[string]bool, len(fams))
	for F := range fams {
		fam := &fams[F]
		path := "families[" + strconv.Itoa(F) + "]"
		switch {
		case fam.ID == "":
			c.Add(path+".id", CodeMissingID, ErrID)
		case ids[fam.ID]:
			c.Add(path+".id", CodeDuplicateID, ErrID)
		}
		ids[fam.ID] = true
		if len(fam.Children) < 2 {
			c.Add(path+".children", CodeFamilySize, ErrFamily)
		}
		fs.together[F] = fam.Together
		first := int32(-1)
		for j, id := range fam.Children {
			cp := path + ".children[" + strconv.Itoa(j) + "]"
			a, ok := e.apps.find(id)
			switch {
			case !ok:
				c.Add(cp, CodeUnknownApplicant, ErrUnknownApplicant)
				continue
			case fs.of[a] >= 0:
				c.Add(cp, CodeFamilyMember, ErrFamily)
				continue
			}
			if _, fixed := e.inst.Fixed[id]; fixed {
				c.Add(cp, CodeFamilyFixed, ErrFamily)
			}
			fs.of[a] = int32(F)
			fs.kids = append(fs.kids, a)
			if first < 0 {
				first = a
			} else if fam.Together && !slices.Equal(e.inst.Applicants[a].Choices, e.inst.Applicants[first].Choices) {
				c.Add(appPath(int(a))+".choices", CodeFamilyChoices, ErrFamily)
			}
		}
		fs.start = append(fs.start, int32(len(fs.kids)))
	}
	e.fam = fs
}

// siblingMatters reports whether the policy ranks by the sibling criterion
// at all (a boost then changes ranks).
func (e *engine) siblingMatters() bool {
	for _, cr := range e.inst.Policy.Criteria {
		if cr.Kind == KindSibling && (cr.Mode == ModeTier || cr.Points != 0) {
			return true
		}
	}
	return false
}

// addBoosts appends the boosted twin of every pair of a child of a family
// that is not placed together, at a policy-ranked Kita that another child
// of the family chose and no sibling attends already. e.boost maps each
// real pair to its twin, or -1.
func (e *engine) addBoosts() {
	e.nReal = int32(len(e.pairApp))
	if e.fam == nil || !e.siblingMatters() {
		return
	}
	fs := e.fam
	bound := 0 // pairs of children of families not placed together
	for F, together := range fs.together {
		if !together {
			for _, a := range fs.members(int32(F)) {
				bound += int(e.start[a+1] - e.start[a])
			}
		}
	}
	e.pairApp = slices.Grow(e.pairApp, bound)
	e.pairFac = slices.Grow(e.pairFac, bound)
	e.pairPool = slices.Grow(e.pairPool, bound)
	e.boost = make([]int32, e.nReal)
	for p := range e.boost {
		e.boost[p] = -1
	}
	for a := int32(0); a < int32(e.nA); a++ {
		F := fs.of[a]
		if F < 0 || fs.together[F] {
			continue
		}
		for p := e.start[a]; p < e.start[a+1]; p++ {
			f := e.pairFac[p]
			if e.inst.Facilities[f].Priority != nil || slices.Contains(e.inst.Applicants[a].Siblings, e.inst.Facilities[f].ID) {
				continue
			}
			chosen := false
			for _, b := range fs.members(F) {
				if b != a && slices.Contains(e.pairFac[e.start[b]:e.start[b+1]], f) {
					chosen = true
					break
				}
			}
			if !chosen {
				continue
			}
			e.boost[p] = int32(len(e.pairApp))
			e.pairApp = append(e.pairApp, a)
			e.pairFac = append(e.pairFac, f)
			e.pairPool = append(e.pairPool, e.pairPool[p])
		}
	}
}

// familyRun is the state of the family-aware deferred acceptance.
type familyRun struct {
	e  *engine
	fs *families
	// app is per applicant its place and what it proposes next, side by
	// side, as a holder pushed out needs both.
	app   []appRun
	nextF []int32 // per family: next choice position to propose
	cur   []int32 // per real pair with a boosted twin: the rank it was admitted with
	// pr is per real pair what a proposal reads of it, in one word: its
	// pool (high 32 bits) and its rank (low 32 bits), the rank negative
	// when rankOf must look further (a pair with a boosted twin, or of a
	// fixed applicant).
	pr      []uint64
	heapAt  []int32
	heapLen []int32
	// top is per full pool the rank of its worst holder (the heap's
	// first), so that a proposal it turns away does not read the heap;
	// -1 when not known (the pool is not full, or its heap changed
	// otherwise than by admit).
	top     []int32
	heap    []uint64 // per pool a max-heap of its holders, see held
	stack   []int32  // proposers: applicant a, or nA+F for family F
	evicted []int32
	dirty   []bool
	// touched marks pools whose holders changed since the last scan; only
	// applicants and families choosing them are scanned again.
	touched []bool
	cand    bitset // applicants to scan
	famSeen []bool
	// heldBack marks the blocking families not repaired at a scan
	// because single applicants blocked; the next scan looks at them.
	heldBack []bool
	// round is the scan being repaired (-1 in the first pass);
	// withdrawn[F] is the last scan in which family F was withdrawn (-1:
	// never, or only in the first pass). The families withdrawn
	// since the cycle began (or in the second half of the scans) move in
	// the cycle that keeps the outcome from settling.
	round     int
	withdrawn []int32
	// hash combines every applicant's placement (see place); seen maps
	// the hash after each scan to the scan.
	hash uint64
	seen map[uint64]int
	// bar is per pool, during a scan, the rank a proposal must beat to be
	// admitted (see setBars); lowBar is the lowest bar since the last
	// scan (see markCandidates).
	bar, lowBar []int32
	// famStart and famPair list, per pool, the pairs of children of
	// together-families: famPair[famStart[q]:famStart[q+1]].
	famStart, famPair []int32
}

// familyDA places the applicants with families; see the comment at the top
// of this file.
func (e *engine) familyDA() ([]int32, *Instability) {
	r := &familyRun{e: e, fs: e.fam}
	nP := len(e.poolCap)
	r.app = make([]appRun, e.nA)
	r.nextF = make([]int32, len(r.fs.together))
	r.cur = make([]int32, e.nReal)
	r.pr = make([]uint64, e.nReal)
	parallel(int(e.nReal), int(e.nReal), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			rk := e.xRank[p]
			if e.boost != nil && e.boost[p] >= 0 {
				rk = -1
			}
			r.pr[p] = uint64(uint32(e.pairPool[p]))<<32 | uint64(uint32(rk))
		}
	})
	r.heapAt = make([]int32, nP+1)
	for p, c := range e.poolCap {
		r.heapAt[p+1] = r.heapAt[p] + c
	}
	r.heapLen = make([]int32, nP)
	r.top = make([]int32, nP)
	for pool := range r.top {
		r.top[pool] = -1
	}
	r.heap = make([]uint64, r.heapAt[nP])
	r.dirty = make([]bool, nP)
	r.touched = make([]bool, nP)
	r.bar, r.lowBar = make([]int32, nP), make([]int32, nP)
	r.cand = make(bitset, (e.nA+63)/64)
	r.famSeen = make([]bool, len(r.fs.together))
	r.heldBack = make([]bool, len(r.fs.together))
	r.withdrawn = make([]int32, len(r.fs.together))
	for F := range r.withdrawn {
		r.withdrawn[F] = -1
	}
	r.seen = make(map[uint64]int)
	r.round = -1
	r.stack = make([]int32, 0, e.nA+len(r.fs.together)) // room for every proposer once
	for a := e.nA - 1; a >= 0; a-- {
		r.app[a].match = -1
		r.app[a].todo = uint64(uint32(e.start[a])) | uint64(uint32(e.start[a+1]))<<32
		if r.inTogether(int32(a)) {
			r.app[a].todo |= todoTogether
		}
		if e.fixed[a] < 0 && !r.inTogether(int32(a)) {
			r.stack = append(r.stack, int32(a))
		}
	}
	r.run()
	// The single applicants' deferred acceptance leaves none of them
	// blocking (but the children of sibling families, whose ranks change
	// with boosts; they are scanned always): only the pools the families
	// change from here on can have blocking applicants or families.
	clear(r.touched)
	r.setBars()
	copy(r.lowBar, r.bar)
	r.listFamilyPairs()
	for F := len(r.fs.together) - 1; F >= 0; F-- {
		if r.fs.together[F] {
			r.stack = append(r.stack, int32(e.nA+F))
		}
	}
	r.run()
	if e.ordering != nil {
		e.ordering.Wait()
	}
	for round := 0; ; round++ {
		r.round, e.repairScans = round, round+1
		singles, fams := r.blocking()
		if len(singles) == 0 && len(fams) == 0 {
			return r.matches(), nil
		}
		if first, ok := r.seen[r.hash]; ok {
			return r.matches(), r.instability(singles, fams, first)
		}
		if round == maxRepairRounds {
			return r.matches(), r.instability(singles, fams, maxRepairRounds/2)
		}
		r.seen[r.hash] = round
		for i := 0; i < len(singles); i += 2 {
			a := singles[i]
			if m := r.app[a].match; m >= 0 {
				r.remove(m)
				r.place(a, -1)
			}
			r.app[a].todo = r.app[a].todo&^(1<<32-1) | uint64(uint32(singles[i+1]))
			r.stack = append(r.stack, a)
		}
		if len(singles) > 0 {
			// Singles settle first, as in the first pass; the families
			// are scanned again next time.
			for i := 0; i < len(fams); i += 2 {
				r.heldBack[fams[i]] = true
			}
			fams = nil
		}
		for i := 0; i < len(fams); i += 2 {
			F := fams[i]
			r.withdraw(F)
			r.nextF[F] = fams[i+1]
			r.stack = append(r.stack, int32(e.nA)+F)
		}
		r.run()
	}
}

// place records that applicant a is placed by pair p (-1: not placed) and
// keeps the hash of all placements current.
func (r *familyRun) place(a, p int32) {
	r.hash ^= placementHash(a, r.app[a].match) ^ placementHash(a, p)
	r.app[a].match = p
}

// placementHash mixes an applicant and its pair into 64 bits (the
// finaliser of SplitMix64); an unplaced applicant contributes nothing.
func placementHash(a, p int32) uint64 {
	if p < 0 {
		return 0
	}
	x := uint64(a)<<32 | uint64(uint32(p))
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func (r *familyRun) inTogether(a int32) bool {
	F := r.fs.of[a]
	return F >= 0 && r.fs.together[F]
}

// rankOf is the rank pair p proposes with: boosted when a sibling of its
// applicant holds a place at the same Kita.
func (r *familyRun) rankOf(p int32) int32 {
	if rk := int32(uint32(r.pr[p])); rk >= 0 {
		return rk
	}
	e := r.e
	if e.boost == nil || e.boost[p] < 0 {
		return e.xRank[p]
	}
	a, f := e.pairApp[p], e.pairFac[p]
	for _, b := range r.fs.members(r.fs.of[a]) {
		if m := r.app[b].match; b != a && m >= 0 && e.pairFac[m] == f {
			return e.xRank[e.boost[p]]
		}
	}
	return e.xRank[p]
}

// held packs a holder for the heaps: its rank above its applicant (whose
// pair is its match), so that holders compare by rank (no two holders of a
// pool share a rank: a rank is a place in a Kita's list, of one applicant).
func held(rk, a int32) uint64 { return uint64(uint32(rk))<<32 | uint64(uint32(a)) }

// heldApp and heldRank unpack a holder.
func heldApp(h uint64) int32  { return int32(uint32(h)) }
func heldRank(h uint64) int32 { return int32(h >> 32) }

func (r *familyRun) pool(p int32) []uint64 {
	pool := int32(r.pr[p] >> 32)
	return r.heap[r.heapAt[pool]:r.heapAt[pool+1]]
}

// run lets the proposers on the stack propose until none is left.
func (r *familyRun) run() {
	for len(r.stack) > 0 {
		who := r.stack[len(r.stack)-1]
		r.stack = r.stack[:len(r.stack)-1]
		if int(who) < r.e.nA {
			r.proposeSingle(who)
		} else {
			r.proposeFamily(who - int32(r.e.nA))
		}
		for len(r.evicted) > 0 {
			a := r.evicted[len(r.evicted)-1]
			r.evicted = r.evicted[:len(r.evicted)-1]
			r.evict(a)
		}
	}
}

// appRun is an applicant's state in the family-aware deferred acceptance.
type appRun struct {
	// todo is, in one word, its next pair to propose (low 32 bits), the
	// end of its pairs (start[a+1], the next 31 bits) and whether it is in
	// a together-family (todoTogether).
	todo  uint64
	match int32 // the pair holding a place, or -1
}

// matches returns per applicant the pair holding a place, or -1.
func (r *familyRun) matches() []int32 {
	m := make([]int32, len(r.app))
	for a := range r.app {
		m[a] = r.app[a].match
	}
	return m
}

// todoTogether marks in todo an applicant in a together-family.
const todoTogether = 1 << 63

func (r *familyRun) proposeSingle(a int32) {
	if r.app[a].match >= 0 {
		return // on the stack twice; placed already
	}
	x := r.app[a].todo
	p, end := int32(uint32(x)), int32(x>>32&(1<<31-1))
	for p < end {
		q := p
		p++
		if out, ok := r.admit(q, a, r.rankOf(q)); ok {
			r.app[a].todo = x&^(1<<32-1) | uint64(uint32(p))
			r.place(a, q)
			if out >= 0 {
				r.evicted = append(r.evicted, out)
			}
			return
		}
	}
	r.app[a].todo = x&^(1<<32-1) | uint64(uint32(p))
}

// admit puts pair p of applicant a with rank rk into its pool if there is
// a free place or a worse holder, whose applicant it returns (-1 if none).
func (r *familyRun) admit(p, a, rk int32) (out int32, ok bool) {
	pool := int32(r.pr[p] >> 32)
	h := r.heap[r.heapAt[pool]:r.heapAt[pool+1]]
	n := r.heapLen[pool]
	r.touched[pool] = true
	twin := int32(uint32(r.pr[p])) < 0 // or of a fixed applicant, which never proposes
	if n < int32(len(h)) {
		if twin {
			r.cur[p] = rk
		}
		h[n] = held(rk, a)
		r.heapLen[pool] = n + 1
		siftUp(h, int(n))
		return -1, true
	}
	w := r.top[pool]
	if w < 0 {
		if n == 0 {
			return -1, false
		}
		w = heldRank(h[0])
		r.top[pool] = w
	}
	if rk > w {
		return -1, false
	}
	out = heldApp(h[0])
	if twin {
		r.cur[p] = rk
	}
	h[0] = held(rk, a)
	siftDown(h, 0, int(n))
	r.top[pool] = heldRank(h[0])
	return out, true
}

// evict handles applicant a, pushed out of its pool: it proposes again,
// and a together-family withdraws all its children first.
func (r *familyRun) evict(a int32) {
	r.place(a, -1)
	if r.app[a].todo&todoTogether != 0 {
		F := r.fs.of[a]
		r.withdraw(F)
		r.stack = append(r.stack, int32(r.e.nA)+F)
		return
	}
	r.stack = append(r.stack, a)
}

// withdraw takes every child of family F out of its pool.
func (r *familyRun) withdraw(F int32) {
	r.withdrawn[F] = int32(r.round)
	for _, b := range r.fs.members(F) {
		if m := r.app[b].match; m >= 0 {
			r.remove(m)
			r.place(b, -1)
		}
	}
}

// remove takes pair p out of its pool's heap.
func (r *familyRun) remove(p int32) {
	pool := r.e.pairPool[p]
	h := r.pool(p)
	n := int(r.heapLen[pool])
	r.touched[pool] = true
	r.lowBar[pool] = min(r.lowBar[pool], r.barOf(int32(pool)))
	a := r.e.pairApp[p] // it holds one place at most
	i := slices.IndexFunc(h[:n], func(x uint64) bool { return heldApp(x) == a })
	if i < 0 {
		return
	}
	n--
	h[i] = h[n]
	r.heapLen[pool] = int32(n)
	r.top[pool] = -1
	if i < n {
		siftDown(h, i, n)
		siftUp(h, i)
	}
}

// kidPairs returns family F's pairs at choice position j, best rank first.
func (r *familyRun) kidPairs(F, j int32, buf []int32) []int32 {
	buf = buf[:0]
	for _, b := range r.fs.members(F) {
		buf = append(buf, r.e.start[b]+j)
	}
	x := r.e.xRank
	slices.SortFunc(buf, func(p, q int32) int { return int(x[p] - x[q]) })
	return buf
}

// admissible reports whether all of family F's children would be admitted
// at choice position j: each has fewer better-ranked holders and siblings
// in its pool than the pool has places.
func (r *familyRun) admissible(F, j int32, pairs []int32) bool {
	e := r.e
	for i, p := range pairs {
		pool := e.pairPool[p]
		n, c := r.heapLen[pool], e.poolCap[pool]
		switch {
		case c == 0:
			return false
		case n+int32(i) < c:
			continue // fewer holders and siblings than places
		case n == c && e.xRank[p] > heldRank(r.heap[r.heapAt[pool]]):
			return false // every holder ranks better
		}
		better := int32(0)
		for _, q := range pairs[:i] {
			if e.pairPool[q] == pool {
				better++
			}
		}
		below := held(e.xRank[p], 0) // holders ranked better are less
		for _, x := range r.pool(p)[:r.heapLen[pool]] {
			if x < below {
				better++
			}
		}
		if better >= e.poolCap[pool] {
			return false
		}
	}
	return true
}

func (r *familyRun) nChoices(F int32) int32 {
	a := r.fs.members(F)[0]
	return r.e.start[a+1] - r.e.start[a]
}

func (r *familyRun) proposeFamily(F int32) {
	if r.app[r.fs.members(F)[0]].match >= 0 {
		return // on the stack twice (two children displaced); placed already
	}
	var buf [8]int32
	for r.nextF[F] < r.nChoices(F) {
		j := r.nextF[F]
		r.nextF[F]++
		pairs := r.kidPairs(F, j, buf[:0])
		if !r.admissible(F, j, pairs) {
			continue
		}
		for _, p := range pairs { // best first: nobody pushes out a sibling
			b := r.e.pairApp[p]
			out, _ := r.admit(p, b, r.e.xRank[p])
			r.place(b, p)
			if out >= 0 {
				r.evicted = append(r.evicted, out)
			}
		}
		return
	}
}

// blocking refreshes the holders' ranks (boosts follow the current
// placements) and returns the blocking single applicants and families, as
// pairs (proposer, where to propose again): a pair index for an applicant, a
// choice position for a family.
//
// Only those who chose a pool whose holders changed since the last scan
// (touched) can have begun to block, and at such a pool only those ranked
// better than its worst holder (bar): a single applicant who blocks at
// an untouched pool already blocked there at the last scan and proposed
// again, which touched it; a family is admitted at a choice position only
// where each child ranks better than its pool's bar. markCandidates narrows the
// single applicants further, to a stretch of each touched pool's priority
// order. The children of families not placed together (their ranks follow their
// siblings) and the families held back at the last scan are scanned
// always. The scan goes through the applicants in index order, a family at
// its first child who chose a touched pool (or its first child, when held
// back), so the order of the results does not depend on the narrowing.
func (r *familyRun) blocking() (singles, fams []int32) {
	e, fs := r.e, r.fs
	for pool := range r.lowBar { // before the boosts move the bars
		r.lowBar[pool] = min(r.lowBar[pool], r.barOf(int32(pool)))
	}
	for F, together := range fs.together {
		if together {
			continue
		}
		for _, a := range fs.members(int32(F)) {
			r.cand.set(a)
			// Only a pair with a boosted twin changes its rank.
			if m := r.app[a].match; m >= 0 && int32(uint32(r.pr[m])) < 0 {
				if rk := r.rankOf(m); rk != r.cur[m] {
					r.cur[m] = rk
					pool := e.pairPool[m]
					h := r.pool(m)[:r.heapLen[pool]]
					h[slices.IndexFunc(h, func(x uint64) bool { return heldApp(x) == a })] = held(rk, a)
					r.dirty[pool] = true
					r.top[pool] = -1
				}
			}
		}
	}
	for pool, d := range r.dirty {
		if d {
			h := r.heap[r.heapAt[pool]:r.heapAt[pool+1]]
			n := int(r.heapLen[pool])
			for i := n/2 - 1; i >= 0; i-- {
				siftDown(h, i, n)
			}
			r.dirty[pool] = false
			r.touched[pool] = true
		}
	}
	r.setBars()
	r.markCandidates()
	r.familyCandidates()
	clear(r.touched)
	copy(r.lowBar, r.bar)
	var buf [8]int32
	for a := range r.cand.drain() {
		if e.fixed[a] >= 0 {
			continue
		}
		if F := fs.of[a]; F >= 0 && fs.together[F] {
			if r.famSeen[F] {
				continue
			}
			r.famSeen[F] = true
			if j, ok := r.familyBlocks(F, buf[:0]); ok {
				fams = append(fams, F, j)
			}
			continue
		}
		end := e.start[a+1]
		if m := r.app[a].match; m >= 0 {
			end = m
		}
		for p := e.start[a]; p < end; p++ {
			if r.rankOf(p) < r.bar[e.pairPool[p]] {
				singles = append(singles, a, p)
				break
			}
		}
	}
	clear(r.famSeen)
	return singles, fams
}

// barOf is the rank a proposal to pool must beat to be admitted: any
// rank while the pool has a free place, none at a pool without places,
// else the worst holder's.
func (r *familyRun) barOf(pool int32) int32 {
	switch n := r.heapLen[pool]; {
	case n < r.e.poolCap[pool]:
		return math.MaxInt32
	case n == 0:
		return math.MinInt32
	default:
		return heldRank(r.heap[r.heapAt[pool]])
	}
}

// setBars sets every pool's bar.
func (r *familyRun) setBars() {
	for pool := range r.bar {
		r.bar[pool] = r.barOf(int32(pool))
	}
}

// listFamilyPairs lists the pairs of the children of together-families
// by pool.
func (r *familyRun) listFamilyPairs() {
	e, fs := r.e, r.fs
	r.famStart = make([]int32, len(e.poolCap)+1)
	for F, together := range fs.together {
		if together {
			for _, b := range fs.members(int32(F)) {
				for _, q := range e.pairPool[e.start[b]:e.start[b+1]] {
					if q >= 0 {
						r.famStart[q+1]++
					}
				}
			}
		}
	}
	for q := range e.poolCap {
		r.famStart[q+1] += r.famStart[q]
	}
	r.famPair = make([]int32, r.famStart[len(e.poolCap)])
	fill := slices.Clone(r.famStart)
	for F, together := range fs.together {
		if together {
			for _, b := range fs.members(int32(F)) {
				for p := e.start[b]; p < e.start[b+1]; p++ {
					if q := e.pairPool[p]; q >= 0 {
						r.famPair[fill[q]] = p
						fill[q]++
					}
				}
			}
		}
	}
}

// markCandidates marks who may block at a touched pool. A single
// applicant (not a child of a family) ranks there better than the bar and
// worse than the lowest bar since the last scan: it either proposed there
// since, and was turned away or pushed out (the bar then ranked better than
// it), or did not block there at the last scan (the bar then ranked no
// worse than it). Both bounds are strict because a rank equal to a bar is
// that bar's holder's own (no two pairs of a pool share a rank, and a
// boosted rank is a twin's, never a real pair's). Ranked as the bar, it
// holds the place. Ranked as the lowest bar, it held the worst place then
// and has left since: pushed out, the bar dropped below its rank at once;
// moved up its list by a repair, it can block there again only after it
// was turned away there on its way down (or pushed out again), when the bar
// ranked better than it, so the lowest bar is below its rank. A child of a
// together-family ranks better than the bar (ranked as the bar, it holds
// the place, and its family can block only at choices before that one).
// A Kita's pools are consecutive and its list is in priority order: the
// single applicants are found between the lowest bar and the highest bar
// of its touched pools.
func (r *familyRun) markCandidates() {
	e := r.e
	for pool := 0; pool < len(r.touched); {
		f := e.poolFac[pool]
		lo, hi := int32(math.MaxInt32), int32(math.MinInt32)
		end := pool
		for ; end < len(r.touched) && e.poolFac[end] == f; end++ {
			if !r.touched[end] {
				continue
			}
			if r.lowBar[end] < r.bar[end] {
				lo, hi = min(lo, r.lowBar[end]), max(hi, r.bar[end])
			}
			for _, p := range r.famPair[r.famStart[end]:r.famStart[end+1]] {
				if e.xRank[p] < r.bar[end] {
					r.cand.set(e.pairApp[p])
				}
			}
		}
		pool = end
		if lo >= hi {
			continue
		}
		list := e.facOrder[e.facStart[f]:e.facStart[f+1]]
		i, _ := slices.BinarySearchFunc(list, lo+1, func(p, rk int32) int { return cmp.Compare(e.xRank[p], rk) })
		for _, p := range list[i:] {
			rk := e.xRank[p]
			if rk >= hi {
				break
			}
			if q := e.pairPool[p]; r.touched[q] && r.lowBar[q] < rk && rk < r.bar[q] {
				r.cand.set(e.pairApp[p])
			}
		}
	}
}

// familyCandidates settles which children of together-families are
// scanned: none of a family that neither has a marked child nor was held
// back, else those who chose a touched pool (and the first child of a
// family held back), so that the family is scanned at the same child as
// when every applicant choosing a touched pool is marked.
func (r *familyRun) familyCandidates() {
	e, fs := r.e, r.fs
	for F, together := range fs.together {
		if !together {
			continue
		}
		kids := fs.members(int32(F))
		scan := r.heldBack[F]
		for _, b := range kids {
			scan = scan || r.cand.has(b)
		}
		for i, b := range kids {
			r.cand.unset(b)
			if !scan {
				continue
			}
			if i == 0 && r.heldBack[F] {
				r.cand.set(b)
				continue
			}
			for p := e.start[b]; p < e.start[b+1]; p++ {
				if q := e.pairPool[p]; q >= 0 && r.touched[q] {
					r.cand.set(b)
					break
				}
			}
		}
		r.heldBack[F] = false
	}
}

// familyBlocks returns the first choice position, before the one holding
// family F, at which all its children would be admitted.
func (r *familyRun) familyBlocks(F int32, buf []int32) (int32, bool) {
	e := r.e
	end := r.nChoices(F)
	if a := r.fs.members(F)[0]; r.app[a].match >= 0 {
		end = r.app[a].match - e.start[a]
	}
	for j := int32(0); j < end; j++ {
		if r.admissible(F, j, r.kidPairs(F, j, buf)) {
			return j, true
		}
	}
	return 0, false
}

// instability names the blocking families and applicants, the families
// withdrawn in scan since or later (they move in the cycle), and the
// together-families holding places that blocking applicants want.
func (r *familyRun) instability(singles, fams []int32, since int) *Instability {
	e := r.e
	in := &Instability{Families: []string{}, Applicants: []string{}}
	named := make(map[int32]bool)
	name := func(F int32) {
		if !named[F] {
			named[F] = true
			in.Families = append(in.Families, e.inst.Families[F].ID)
		}
	}
	for i := 0; i < len(fams); i += 2 {
		name(fams[i])
	}
	for F, w := range r.withdrawn {
		if int(w) >= since {
			name(int32(F))
		}
	}
	for i := 0; i < len(singles); i += 2 {
		in.Applicants = append(in.Applicants, e.inst.Applicants[singles[i]].ID)
		p := singles[i+1]
		for _, x := range r.pool(p)[:r.heapLen[e.pairPool[p]]] {
			if b := heldApp(x); r.inTogether(b) {
				name(r.fs.of[b])
			}
		}
	}
	return in
}

// siftUp and siftDown keep h a max-heap of packed holders (by rank).
func siftUp(h []uint64, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent] >= h[i] {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func siftDown(h []uint64, i, n int) {
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		big := l
		if r := l + 1; r < n && h[r] > h[l] {
			big = r
		}
		if h[i] >= h[big] {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// bitset is a set of applicants.
type bitset []uint64

func (b bitset) set(a int32)      { b[a>>6] |= 1 << (a & 63) }
func (b bitset) unset(a int32)    { b[a>>6] &^= 1 << (a & 63) }
func (b bitset) has(a int32) bool { return b[a>>6]&(1<<(a&63)) != 0 }

// drain yields the members in increasing order and empties the set.
func (b bitset) drain() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for i, w := range b {
			if w == 0 {
				continue
			}
			b[i] = 0
			for w != 0 {
				if !yield(int32(i*64 + bits.TrailingZeros64(w))) {
					return
				}
				w &= w - 1
			}
		}
	}
}
