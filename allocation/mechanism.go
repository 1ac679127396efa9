package allocation

import (
	"math/bits"
	"runtime"
	"slices"
	"sync/atomic"
	"unsafe"
)

// The mechanisms work on pairs and pools only. Each returns, per applicant,
// the pair it is placed by, or -1. Fixed applicants take no part.

// childProposing runs child-proposing deferred acceptance over the pairs,
// with spare memory for its scratch (see carve).
func (e *engine) childProposing(spare []uint64) []int32 {
	e.ordered()
	return e.proposing(e.start, e.pairPool, e.pairRank, spare)
}

// carve returns n elements of T from the front of *spare, which keeps the
// rest, or new ones when it holds too few. T must hold no pointers (the
// memory is not scanned by the garbage collector), and carved elements
// keep whatever values were there.
func carve[T any](spare *[]uint64, n int) []T {
	var t T
	words := (n*int(unsafe.Sizeof(t)) + 7) / 8
	if n == 0 || words > len(*spare) || unsafe.Alignof(t) > 8 {
		return make([]T, n)
	}
	s := unsafe.Slice((*T)(unsafe.Pointer(&(*spare)[0])), n)
	*spare = (*spare)[words:]
	return s
}

// proposing runs child-proposing deferred acceptance over proposals: those
// of applicant a are start[a]..start[a+1]-1, best first, each to a seat
// pool with the rank the pool's Kita gives the applicant (its position in
// facOrder). Each pool keeps the ranks it tentatively admits as bits, and
// its worst admitted rank: a better proposal to a full pool replaces the
// applicant at that rank, and the next worse rank is found among the bits
// below, so a pool's worst rank only moves down its list, 64 ranks a step.
// It returns per applicant the proposal placing it, or -1.
//
// The applicants waiting to propose (all at first, then each evicted one)
// are a queue; the loop reads the state of the applicant some places
// ahead, and its next proposal, so that these are in the cache when its
// turn comes. An applicant's state (next proposal, end, placement) is one
// record, and the applicant at each admitted rank is kept by Kita (a rank
// is one applicant's), so an eviction costs few cache misses. Its scratch
// is carved from spare while that lasts.
func (e *engine) proposing(start, pools, rank []int32, spare []uint64) []int32 {
	type applicant struct{ next, end, match int32 }
	// who is the applicant at an admitted rank, by Kita: a rank is one
	// applicant's, who holds at most one of the Kita's pools at a time.
	who := carve[int32](&spare, int(e.facStart[e.nF]))
	st := carve[applicant](&spare, e.nA)
	queue := carve[int32](&spare, e.nA+e.nA/2)[:0] // evicted applicants queue again
	// free: places left; at: the pool's first word; of: where its Kita's
	// ranks start in who
	type held struct{ free, worst, at, of int32 }
	ps := make([]held, len(e.poolCap))
	words := int32(0)
	for q, c := range e.poolCap {
		f := e.poolFac[q]
		ps[q] = held{free: c, worst: -1, at: words, of: e.facStart[f]}
		if c > 0 {
			words += (e.facStart[f+1] - e.facStart[f] + 63) / 64
		}
	}
	set := carve[uint64](&spare, int(words))
	clear(set)

	parallel(e.nA, e.nA, func(lo, hi int) {
		for a := lo; a < hi; a++ {
			st[a] = applicant{next: start[a], end: start[a+1], match: -1}
		}
	})
	for a := range e.nA {
		if e.fixed[a] < 0 {
			queue = append(queue, int32(a))
		}
	}
	// Reading the state of the applicant 16 places ahead in the queue, and
	// the next proposal of the one 8 ahead, brings them into the cache
	// while this one proposes; sink only keeps the reads. Deferred
	// acceptance places the same whatever the order of the proposals.
	const ahead = 16
	var sink int32
	for head := 0; head < len(queue); head++ {
		a := queue[head]
		if head+ahead < len(queue) {
			sink += st[queue[head+ahead]].next
		}
		if head+ahead/2 < len(queue) {
			if n := st[queue[head+ahead/2]].next; int(n) < len(pools) {
				sink += pools[n] + rank[n]
			}
		}
		s := &st[a]
		for s.next < s.end {
			pair := s.next
			s.next++
			rk := rank[pair]
			h := &ps[pools[pair]]
			if h.free > 0 {
				set[h.at+rk>>6] |= 1 << (rk & 63)
				who[h.of+rk] = a
				h.free--
				h.worst = max(h.worst, rk)
				s.match = pair
				break
			}
			if rk > h.worst { // also when the pool has no places (worst -1)
				continue // rejected
			}
			w := h.worst
			out := who[h.of+w]
			who[h.of+rk] = a
			bs := set[h.at:]
			bs[w>>6] &^= 1 << (w & 63)
			bs[rk>>6] |= 1 << (rk & 63)
			i := w >> 6
			x := bs[i] & (2<<(w&63) - 1)
			for x == 0 {
				i--
				x = bs[i]
			}
			h.worst = i*64 + int32(bits.Len64(x)) - 1
			s.match = pair
			st[out].match = -1
			queue = append(queue, out)
			break
		}
	}
	runtime.KeepAlive(sink)
	match := make([]int32, e.nA)
	parallel(e.nA, e.nA, func(lo, hi int) {
		for a := lo; a < hi; a++ {
			match[a] = st[a].match
		}
	})
	return match
}

// keyProposing is childProposing by the pairs' priority keys (pairKey)
// instead of their ranks, for a compiled instance whose Kitas' orders are
// not built: each pool keeps the keys it admits, in any order until it is
// full, then in a 4-ary heap with the worst key on top (and beside the
// pool), so a proposal to a full pool is compared with that key alone,
// and a better one replaces it. Two keys are compared as numbers above their
// last keyBits bits (the pair), and by keyTie when equal there, which is
// the order the Kita's sorted list would have. The turns need no state per
// applicant: a pair evicted or rejected is followed by the applicant's
// next pair, if any, and the pairs placed are those left in the pools at
// the end. The outcome does not depend on the order of the turns (deferred
// acceptance's applicant-optimal matching is unique), so each round of
// evicted pairs is taken in the order their keys lie in memory. It returns
// per applicant the pair placing it, or -1. Its scratch is carved from
// spare while that lasts.
func (e *engine) keyProposing(spare []uint64) []int32 {
	// A pool's admitted keys: n of places at at, in any order while it has
	// places left, then a 4-ary heap with the worst key, also kept as top,
	// on top.
	type pool struct {
		top           uint64
		n, places, at int32
	}
	ps := make([]pool, len(e.poolCap))
	seats := int32(0)
	for q, c := range e.poolCap {
		ps[q] = pool{places: c, at: seats}
		seats += c
	}
	heap := carve[uint64](&spare, int(seats))
	keys, pools, start := e.pairKey, e.pairPool, e.start
	o := e.keyOrder()
	ib := o.bits
	pairOf := uint64(1)<<ib - 1
	// after is o.worse with the shift held in a register: whether key x
	// comes after key y in their Kita's order.
	after := func(x, y uint64) bool { return x>>ib > y>>ib || x>>ib == y>>ib && o.tied(x, y) }
	// down moves key k from slot i of heap h (n keys) down to its place.
	down := func(h []uint64, i, n int32, k uint64) {
		for {
			c := 4*i + 1
			if c >= n {
				break
			}
			m := c // the worst child
			for j := c + 1; j < min(c+4, n); j++ {
				if after(h[j], h[m]) {
					m = j
				}
			}
			if !after(h[m], k) {
				break
			}
			h[i] = h[m]
			i = m
		}
		h[i] = k
	}
	// The queue holds the pairs to be proposed next: each applicant's first
	// at first, then the one after each evicted pair unless that was its
	// applicant's last (a bit in last). So a turn reads no applicant
	// record, and the pairs placed are those in the heaps at the end.
	nP := len(keys)
	last := carve[uint64](&spare, (nP+63)/64)
	clear(last)
	queue := carve[int32](&spare, e.nA+e.nA/2)[:0]
	for a := range e.nA {
		if start[a] < start[a+1] {
			p := start[a+1] - 1
			last[p>>6] |= 1 << (p & 63)
			if e.fixed[a] < 0 {
				queue = append(queue, start[a])
			}
		}
	}
	// With a processor to spare, the keys are filled there, block by block
	// of applicants, while the first turns (in applicant order) use them;
	// a turn that overtakes the filling fills the next block itself. An
	// evicted pair's applicant had its turn before, so its keys are there.
	filling := false
	const block = 1 << 12 // applicants whose keys are filled at once
	nb := (e.nA + block - 1) / block
	var claimed, left atomic.Int32 // blocks claimed, blocks not filled
	done := make([]atomic.Bool, nb)
	fill := func(b int) {
		e.keyFill(b*block, min(e.nA, (b+1)*block))
		done[b].Store(true)
		if left.Add(-1) == 0 {
			close(e.keysReady)
		}
	}
	if runtime.GOMAXPROCS(0) > 1 && nb > 0 {
		e.keysOnce.Do(func() {
			filling = true
			left.Store(int32(nb))
			go func() {
				for b := int(claimed.Add(1) - 1); b < nb; b = int(claimed.Add(1) - 1) {
					fill(b)
				}
			}()
		})
	}
	ready, filled := int32(nP), nb // pairs and leading blocks with keys
	if filling {
		ready, filled = 0, 0
	} else {
		e.keys()
	}
	// wait makes ready pass pair p: it fills the next unclaimed block
	// itself, or yields while the last are being filled.
	wait := func(p int32) {
		for p >= ready {
			if b := int(claimed.Add(1) - 1); b < nb {
				fill(b)
			} else {
				runtime.Gosched()
			}
			for filled < nb && done[filled].Load() {
				filled++
			}
			ready = start[min(e.nA, filled*block)]
		}
	}
	// The pool and key of the pair some places ahead in the queue are read
	// early, so that they are in the cache when its turn comes.
	const ahead = 16
	var sink uint64
	// The queue is taken in rounds: the pairs queued in one round are
	// grouped by where their keys lie before the next, so that their keys
	// and pools are read in address order.
	round := len(queue) // the end of this round's pairs
	var bucket bucketer
	for head := 0; head < len(queue); head++ {
		if head == round {
			round = len(queue)
			bucket.sort(queue[head:round], nP)
		}
		if head+ahead < len(queue) {
			if n := queue[head+ahead]; n < ready {
				sink += uint64(pools[n]) + keys[n]
			}
		}
		pair := queue[head]
		if pair >= ready {
			wait(pair)
		}
		for {
			k := keys[pair]
			p := &ps[pools[pair]]
			if p.n < p.places {
				h := heap[p.at : p.at+p.places]
				h[p.n] = k
				p.n++
				if p.n == p.places { // full: heapify
					for i := (p.n - 2) / 4; i >= 0; i-- {
						down(h, i, p.n, h[i])
					}
					p.top = h[0]
				}
				break
			}
			if p.places == 0 || after(k, p.top) { // rejected
				if last[pair>>6]&(1<<(pair&63)) != 0 {
					break
				}
				pair++
				continue
			}
			h := heap[p.at : p.at+p.places]
			out := int32(p.top & pairOf)
			down(h, 0, p.n, k)
			p.top = h[0]
			if last[out>>6]&(1<<(out&63)) == 0 {
				queue = append(queue, out+1)
			}
			break
		}
	}
	runtime.KeepAlive(sink)
	// Every pair left in a heap places its applicant: marked in placed
	// (last's memory, no longer needed), then found in each applicant's
	// range of pairs, in applicant order.
	placed := last
	clear(placed)
	for q := range ps {
		for _, k := range heap[ps[q].at : ps[q].at+ps[q].n] {
			p := k & pairOf
			placed[p>>6] |= 1 << (p & 63)
		}
	}
	match := make([]int32, e.nA)
	parallel(e.nA, e.nA, func(lo, hi int) {
		for a := lo; a < hi; a++ {
			match[a] = -1
			for p, end := start[a], start[a+1]; p < end; {
				n := min(end-p, 64-p&63) // pairs in p's word
				if w := placed[p>>6] >> (p & 63) & (1<<n - 1); w != 0 {
					match[a] = p + int32(bits.TrailingZeros64(w))
					break
				}
				p += n
			}
		}
	})
	return match
}

// keyOrder is the order of the keys of one Kita's pairs (engine.pairKey).
type keyOrder struct {
	bits uint // of the pair, at the end of a key
	tie  func(p, q int32) int
}

func (e *engine) keyOrder() keyOrder { return keyOrder{bits: uint(e.keyBits), tie: e.keyTie} }

// worse reports whether key x comes after key y in their Kita's order: as
// numbers above the pair's bits, and by tie when equal there.
func (o keyOrder) worse(x, y uint64) bool {
	if x>>o.bits != y>>o.bits {
		return x > y
	}
	return o.tied(x, y)
}

// tied is worse for keys equal above the pair's bits (rare).
func (o keyOrder) tied(x, y uint64) bool {
	pair := uint64(1)<<o.bits - 1
	return o.tie(int32(x&pair), int32(y&pair)) > 0
}

// poolOrders returns each pool's pairs in priority order:
// order[start[p]:start[p+1]].
func (e *engine) poolOrders() (start, order []int32) {
	nPools := len(e.poolCap)
	start = make([]int32, nPools+1)
	for _, p := range e.facOrder {
		start[e.pairPool[p]+1]++
	}
	for p := 0; p < nPools; p++ {
		start[p+1] += start[p]
	}
	order = make([]int32, len(e.facOrder))
	fill := make([]int32, nPools)
	copy(fill, start[:nPools])
	for _, p := range e.facOrder { // facOrder is by priority within a facility
		pool := e.pairPool[p]
		order[fill[pool]] = p
		fill[pool]++
	}
	return start, order
}

// kitaProposing runs Kita-proposing deferred acceptance: each pool offers
// its places down its priority order; an applicant holds the best offer by
// its own ranking and rejects the rest, which frees the rejecting pool's
// place for its next applicant.
func (e *engine) kitaProposing() []int32 {
	start, order := e.poolOrders()
	nPools := len(e.poolCap)
	match := make([]int32, e.nA)
	for a := range match {
		match[a] = -1
	}
	next := make([]int32, nPools)
	copy(next, start[:nPools])
	held := make([]int32, nPools)
	queue := make([]int32, 0, nPools)
	for p := nPools - 1; p >= 0; p-- {
		queue = append(queue, int32(p))
	}
	for len(queue) > 0 {
		pool := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for held[pool] < e.poolCap[pool] && next[pool] < start[pool+1] {
			pair := order[next[pool]]
			next[pool]++
			a := e.pairApp[pair]
			cur := match[a]
			if cur >= 0 && cur < pair { // pairs of a are in a's preference order
				continue
			}
			held[pool]++
			match[a] = pair
			if cur >= 0 {
				q := e.pairPool[cur]
				held[q]--
				queue = append(queue, q)
			}
		}
	}
	return match
}

// immediateAcceptance runs the Boston mechanism: in round k every unplaced
// applicant applies to its k-th choice and pools accept for good, by
// priority, while places last.
func (e *engine) immediateAcceptance() []int32 {
	start, order := e.poolOrders()
	nPools := len(e.poolCap)
	// Within each pool, order by the applicant's choice position, then by
	// priority (counting sort, stable).
	byRound := make([]int32, len(order))
	roundStart := make([]int32, 0, 2*nPools) // per pool: offsets of rounds
	roundIdx := make([]int32, nPools+1)      // pool -> index in roundStart
	var maxLen int32
	for a := 0; a < e.nA; a++ {
		maxLen = max(maxLen, e.start[a+1]-e.start[a])
	}
	count := make([]int32, maxLen+1)
	for pool := 0; pool < nPools; pool++ {
		seg := order[start[pool]:start[pool+1]]
		clear(count)
		var top int32
		for _, p := range seg {
			k := p - e.start[e.pairApp[p]]
			count[k+1]++
			top = max(top, k+1)
		}
		for k := int32(0); k < top; k++ {
			count[k+1] += count[k]
		}
		roundIdx[pool] = int32(len(roundStart))
		for k := int32(0); k <= top; k++ {
			roundStart = append(roundStart, start[pool]+count[k])
		}
		for _, p := range seg {
			k := p - e.start[e.pairApp[p]]
			byRound[start[pool]+count[k]] = p
			count[k]++
		}
	}
	roundIdx[nPools] = int32(len(roundStart))

	match := make([]int32, e.nA)
	for a := range match {
		match[a] = -1
	}
	left := make([]int32, nPools)
	copy(left, e.poolCap)
	for k := int32(0); k < maxLen; k++ {
		for pool := 0; pool < nPools; pool++ {
			rs := roundStart[roundIdx[pool]:roundIdx[pool+1]]
			if int(k)+1 >= len(rs) {
				continue
			}
			for _, p := range byRound[rs[k]:rs[k+1]] {
				if left[pool] == 0 {
					break
				}
				a := e.pairApp[p]
				if match[a] >= 0 {
					continue
				}
				match[a] = p
				left[pool]--
			}
		}
	}
	return match
}

// bucketer groups pairs by the block of keys they lie in (blocks of
// 1<<bucketShift pairs), keeping their order within a block; q of fewer
// than bucketMin pairs is left as it is.
type bucketer struct {
	cnt []int32
	tmp []int32
}

const (
	bucketShift = 12
	bucketMin   = 1 << 10
)

func (b *bucketer) sort(q []int32, nP int) {
	if len(q) < bucketMin {
		return
	}
	nb := nP>>bucketShift + 1
	b.cnt = slices.Grow(b.cnt[:0], nb+1)[:nb+1]
	clear(b.cnt)
	for _, p := range q {
		b.cnt[p>>bucketShift+1]++
	}
	for i := 1; i <= nb; i++ {
		b.cnt[i] += b.cnt[i-1]
	}
	b.tmp = slices.Grow(b.tmp[:0], len(q))[:len(q)]
	for _, p := range q {
		i := p >> bucketShift
		b.tmp[b.cnt[i]] = p
		b.cnt[i]++
	}
	copy(q, b.tmp)
}
