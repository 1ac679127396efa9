package allocation

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"unsafe"
)

// Lottery numbers come from a keyed hash, not from a stream of random
// numbers, so that a child's number depends only on the seed and the ids,
// never on the order of the input.

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix is the SplitMix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// lotteryNumber is the applicant's number at a facility (facility is
// ignored for a per-child lottery).
func lotteryNumber(l Lottery, seed uint64, applicant, facility string) uint64 {
	n := mix(seed ^ mix(fnv64(applicant)))
	if l == LotteryPerFacility {
		n = mix(n ^ fnv64(facility))
	}
	return n
}

// criterionValue is what criterion k scores for applicant a at facility f:
// 1 or 0 for yes/no criteria, a "higher is better" number for ordinal ones.
func (e *engine) criterionValue(k Kind, a, f int32) int64 {
	ap := &e.inst.Applicants[a]
	yes := false
	switch k {
	case KindWorkingParents:
		yes = ap.WorkingParents
	case KindSingleParent:
		yes = ap.SingleParent
	case KindHardship:
		yes = ap.Hardship
	case KindResident:
		yes = ap.Resident
	case KindDistrict:
		yes = ap.District != "" && ap.District == e.inst.Facilities[f].District
	case KindSibling:
		fid := e.inst.Facilities[f].ID
		for _, s := range ap.Siblings {
			if s == fid {
				yes = true
				break
			}
		}
	case KindAge:
		d, _ := parseDay(ap.BirthDate)
		return -d
	case KindRegistrationDate:
		return -ap.RegisteredAt.Unix()
	}
	if yes {
		return 1
	}
	return 0
}

// facilityDependent reports whether k's value depends on the facility.
func facilityDependent(k Kind) bool { return k == KindDistrict || k == KindSibling }

// sortKey orders a facility's pairs: hi (the packed tiers and points,
// inverted so that better sorts first), then lo (the lottery number), then
// the applicant id.
type sortKey struct {
	hi, lo uint64
	pair   int32
}

// appValues are the values of each applicant that do not depend on the
// facility: the tiers' and the points' (see criterionValue), the lottery
// number of a lottery per child, the district as a small integer and the
// number of siblings' Kitas. set fills them for one applicant; the
// validation pass calls it for each applicant it reads anyway.
type appValues struct {
	val         []int64 // tier t's value of applicant a at t*nA+a
	points      []int64
	lot         []uint64
	district    []int32    // as facDistrict; 0: none, or no Kita there
	sibStart    []int32    // at a+1 the count of applicant a's, summed by rank
	sibFac      []int32    // the siblings' Kitas in applicant order, when done
	parts       []passPart // the validation pass's parts, in order, when done
	countPairs  bool       // the validation pass counts the parts' pairs per facility
	facDistrict []int32    // per facility, its district as 1 + an index (never 0)
	districts   *idIndex
	seed        uint64
	done        bool     // set for every applicant
	block       []uint64 // val and points
}

// newAppValues returns room for every applicant's values, and the Kitas'
// districts as small integers, so that the per-pair test is cheap; an
// applicant's district is found in an index of the Kitas' districts, by
// memory when interned. It needs the criteria split into tiers and
// points.
func (e *engine) newAppValues(seed uint64) *appValues {
	district := map[string]int32{"": 0}
	var names []string // district d's name is names[d-1]
	// The tiers' and the points' values in one block, which deferred
	// acceptance by keys takes for its scratch once the keys are packed.
	vp := make([]uint64, (len(e.tiers)+1)*e.nA)
	asInt := unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(vp))), len(vp))
	v := &appValues{facDistrict: make([]int32, e.nF), seed: seed,
		district: make([]int32, e.nA), sibStart: make([]int32, e.nA+1),
		val: asInt[:len(e.tiers)*e.nA], points: asInt[len(e.tiers)*e.nA:], lot: make([]uint64, e.nA), block: vp}
	for f := range e.inst.Facilities {
		d, ok := district[e.inst.Facilities[f].District]
		if !ok {
			names = append(names, e.inst.Facilities[f].District)
			d = int32(len(names))
			district[e.inst.Facilities[f].District] = d
		}
		v.facDistrict[f] = d
	}
	v.districts = newIDIndex(len(names), func(i int32) string { return names[i] })
	for i := range names {
		v.districts.insert(int32(i))
	}
	v.districts.indexMemory()
	return v
}

// set fills applicant a's values; when parsed is set, day is a's birth
// date's day number (0 without), else it is parsed here when needed.
func (v *appValues) set(e *engine, a int, day int64, parsed bool) {
	ap := &e.inst.Applicants[a]
	for t, cr := range e.tiers {
		switch {
		case cr.Kind == KindAge && parsed:
			v.val[t*e.nA+a] = -day
		case !facilityDependent(cr.Kind):
			v.val[t*e.nA+a] = e.criterionValue(cr.Kind, int32(a), -1)
		}
	}
	var sum int64
	for _, cr := range e.points {
		if !facilityDependent(cr.Kind) { // age is a tier only
			sum += int64(cr.Points) * e.criterionValue(cr.Kind, int32(a), -1)
		}
	}
	v.points[a] = sum
	v.lot[a] = mix(v.seed ^ mix(e.apps.hash[a])) // fnv64 of the id
	if d, ok := v.districts.find(ap.District); ok {
		v.district[a] = d + 1
	}
	v.sibStart[a+1] = int32(len(ap.Siblings))
}

// rank computes every facility's priority order (facOrder) and each pair's
// rank from the applicants' values v (filled here unless v.done). pos is
// scratch of one int32 per applicant, nil when no facility has an
// explicit order.
func (e *engine) rank(pos []int32, v *appValues, lazy bool) {
	nP := len(e.pairApp)
	nT := len(e.tiers)
	apps := e.inst.Applicants
	if !v.done {
		parallel(e.nA, e.nA*(nT+len(e.points)+1), func(lo, hi int) {
			for a := lo; a < hi; a++ {
				v.set(e, a, 0, false)
			}
		})
	}
	appVal, appPoints, appLot, appDistrict, sibStart, facDistrict := v.val, v.points, v.lot, v.district, v.sibStart, v.facDistrict
	lowT := make([]int64, nT)
	highT := make([]int64, nT)
	for t, cr := range e.tiers {
		if facilityDependent(cr.Kind) {
			highT[t] = 1
			continue
		}
		for a, v := range appVal[t*e.nA : (t+1)*e.nA] {
			if a == 0 || v < lowT[t] {
				lowT[t] = v
			}
			if a == 0 || v > highT[t] {
				highT[t] = v
			}
		}
	}
	var lowP, highP int64
	for _, cr := range e.points {
		lowP += min(0, int64(cr.Points))
		highP += max(0, int64(cr.Points))
	}
	perFacility := e.inst.Policy.Lottery == LotteryPerFacility
	facHash := make([]uint64, e.nF)
	if perFacility {
		for f := range e.inst.Facilities {
			facHash[f] = e.facs.hash[f]
		}
	}
	// Siblings as facility indices (validation made sure they exist):
	// found by the validation pass, else here in parallel after their
	// count, reading again only the applicants with siblings.
	for a := range e.nA {
		sibStart[a+1] += sibStart[a]
	}
	sibFac := v.sibFac
	if !v.done {
		sibFac = make([]int32, sibStart[e.nA])
		parallel(e.nA, int(sibStart[e.nA])+e.nA/8, func(lo, hi int) {
			facs := finder{x: e.facs}
			for a := lo; a < hi; a++ {
				if sibStart[a+1] == sibStart[a] {
					continue
				}
				for j, id := range apps[a].Siblings {
					sibFac[int(sibStart[a])+j], _ = facs.find(id)
				}
			}
		})
	}
	pv := pairValues{appDistrict: appDistrict, facDistrict: facDistrict, sibStart: sibStart, sibFac: sibFac,
		nReal: e.nReal, appLot: appLot, facHash: facHash, perFacility: perFacility}
	local := func(k Kind, p, a, f int32) int64 {
		if k == KindDistrict && pv.district(a, f) || k == KindSibling && pv.sibling(p, a, f) {
			return 1
		}
		return 0
	}

	width := make([]int, nT)
	bitsUsed := bits.Len64(uint64(highP - lowP))
	for t := range e.tiers {
		width[t] = bits.Len64(uint64(highT[t] - lowT[t]))
		bitsUsed += width[t]
	}
	packed := bitsUsed <= 64

	// Generic keys, for policies whose values do not fit 64 bits.
	stride := nT + 1
	var keys []int64
	if !packed {
		keys = make([]int64, nP*stride)
	}
	value := func(t int, p, a, f int32) int64 {
		if k := e.tiers[t].Kind; facilityDependent(k) {
			return local(k, p, a, f)
		}
		return appVal[t*e.nA+int(a)]
	}
	points := func(p, a, f int32) int64 {
		sum := appPoints[a]
		for _, cr := range e.points {
			if facilityDependent(cr.Kind) {
				sum += int64(cr.Points) * local(cr.Kind, p, a, f)
			}
		}
		return sum
	}
	// Packed, a pair's value is its applicant's base (the tiers and points
	// that do not depend on the facility, each tier in its bits) plus the
	// weight of district and sibling where they are met: the weight is the
	// criterion's points, or the lowest bit of its tier.
	var base []uint64
	var wDistrict, wSibling uint64
	// Without explicit orders, families or pools, and with every key
	// carrying its pair, deferred acceptance needs only the pairs' keys
	// (see keyProposing), computed when first needed (engine.keys, or
	// while deferred acceptance runs); the Kitas' orders and the pairs'
	// ranks are built when an outcome first needs them (engine.ordered).
	byPair := packed && bitsUsed+bits.Len(uint(nP))+16 <= 64
	keyBits := bits.Len(uint(nP))
	var pk []uint64
	if lazy && byPair && pos == nil && e.fam == nil && e.pools == nil && int(e.nReal) == nP {
		pk = make([]uint64, nP)
	}
	if packed {
		shift := bits.Len64(uint64(highP - lowP))
		shifts := make([]int, nT)
		for t := nT - 1; t >= 0; t-- {
			shifts[t] = shift
			shift += width[t]
		}
		weigh := func(k Kind, w uint64) {
			switch k {
			case KindDistrict:
				wDistrict = w
			case KindSibling:
				wSibling = w
			}
		}
		for t, cr := range e.tiers {
			weigh(cr.Kind, 1<<shifts[t])
		}
		for _, cr := range e.points {
			weigh(cr.Kind, uint64(int64(cr.Points)))
		}
		// Each applicant's base replaces its first value (or its points
		// without tiers) in place: the values are read first, and no longer
		// needed once packed.
		base = v.block[:e.nA]
		parallel(e.nA, e.nA*(nT+1), func(lo, hi int) {
			for a := lo; a < hi; a++ {
				h := uint64(appPoints[a] - lowP)
				for t, cr := range e.tiers {
					if !facilityDependent(cr.Kind) {
						h += uint64(appVal[t*e.nA+a]-lowT[t]) << shifts[t]
					}
				}
				base[a] = h
			}
		})
	}
	pv.base, pv.wDistrict, pv.wSibling = base, wDistrict, wSibling
	if pk != nil {
		// The keys of applicants lo to hi-1's pairs, each applicant's
		// values read once (no boosted twins here).
		kp := newKeyPacker(bitsUsed, keyBits)
		e.keyFill = func(lo, hi int) { pv.fillKeys(pk, e.start, e.pairFac, kp, lo, hi) }
	}
	key := func(p int32) sortKey {
		a, f := e.pairApp[p], e.pairFac[p]
		k := sortKey{lo: pv.lottery(a, f), pair: p}
		if packed {
			k.hi = pv.hi(p, a, f)
		}
		return k
	}
	compare := func(x, y sortKey) int {
		if !packed {
			kp := keys[int(x.pair)*stride : int(x.pair+1)*stride]
			kq := keys[int(y.pair)*stride : int(y.pair+1)*stride]
			for i := range kp {
				if kp[i] != kq[i] {
					return cmp.Compare(kq[i], kp[i]) // higher first
				}
			}
		} else if x.hi != y.hi {
			return cmp.Compare(x.hi, y.hi)
		}
		if x.lo != y.lo {
			return cmp.Compare(x.lo, y.lo)
		}
		return cmp.Compare(apps[e.pairApp[x.pair]].ID, apps[e.pairApp[y.pair]].ID)
	}

	if pk != nil {
		e.pairKey, e.keyBits, e.keysReady = pk, keyBits, make(chan struct{})
		e.keyTie = func(p, q int32) int { return compare(key(p), key(q)) }
		spare := v.block[e.nA:] // packed, the keys need val and points no more
		e.spare.Store(&spare)
	}
	orders := func() {
		if pk != nil {
			e.keys() // the grouping reads them
		}
		// Group this round's pairs by facility, in parallel over parts of the
		// pairs (each part counts its pairs per facility, then writes them
		// after the earlier parts'). A policy-ranked facility's pairs get their
		// packed sort key (see packKey) as they are placed; without packing,
		// each pair's row of generic keys is filled.
		fill, part := e.pairCounts(v)
		workers := len(fill)
		var wg sync.WaitGroup
		e.facStart = make([]int32, e.nF+1)
		for f := 0; f < e.nF; f++ {
			at := e.facStart[f]
			for w := 0; w < workers; w++ {
				n := fill[w][f]
				fill[w][f] = at
				at += n
			}
			e.facStart[f+1] = at
		}
		total := e.facStart[e.nF]
		e.facOrder = make([]int32, total)
		// ib[f] is the number of bits of a position in facility f's list when
		// its keys are packed, or -1. When the packed value and a pair index
		// leave 16 bits or more for the lottery, the keys carry the pair
		// itself (byPair: nothing else is written per pair, nothing is copied
		// back), else the pair's position in the list.
		ib := make([]int8, e.nF)
		for f := range ib {
			n := int(e.facStart[f+1] - e.facStart[f])
			ib[f] = -1
			switch {
			case !packed || e.inst.Facilities[f].Priority != nil:
			case byPair:
				ib[f] = int8(bits.Len(uint(nP)))
			case bitsUsed+bits.Len(uint(n)) <= 64:
				ib[f] = int8(bits.Len(uint(n)))
			}
		}
		var ks []uint64
		if packed {
			ks = make([]uint64, total)
		}
		for w := 0; w < workers; w++ {
			wg.Go(func() {
				at := fill[w]
				lo, hi := part(w)
				for p := int32(lo); p < int32(hi); p++ {
					a, f := e.pairApp[p], e.pairFac[p]
					if e.fixed[a] >= 0 {
						continue
					}
					i := at[f]
					at[f]++
					b := int(ib[f])
					switch {
					case b >= 0 && byPair && pk != nil:
						ks[i] = pk[p]
						continue
					case b >= 0 && byPair:
						ks[i] = packKey(pv.hi(p, a, f), pv.lottery(a, f), bitsUsed, b, int(p))
						continue
					case b >= 0:
						ks[i] = packKey(pv.hi(p, a, f), pv.lottery(a, f), bitsUsed, b, int(i-e.facStart[f]))
					case !packed:
						row := keys[int(p)*stride : int(p+1)*stride]
						for t := range e.tiers {
							row[t] = value(t, p, a, f)
						}
						row[nT] = points(p, a, f)
					}
					e.facOrder[i] = p
				}
			})
		}
		wg.Wait()

		sortFacility := func(f int, buf *sortBufs) {
			s, t := e.facStart[f], e.facStart[f+1]
			bucket := e.facOrder[s:t]
			switch pr := e.inst.Facilities[f].Priority; {
			case pr != nil:
				for j := len(pr) - 1; j >= 0; j-- { // first occurrence wins
					if a, ok := e.apps.find(pr[j]); ok {
						pos[a] = int32(j)
					}
				}
				slices.SortFunc(bucket, func(p, q int32) int {
					return cmp.Compare(pos[e.pairApp[p]], pos[e.pairApp[q]])
				})
			case ib[f] >= 0:
				sortPacked(bucket, ks[s:t], int(ib[f]), byPair, buf, key, compare)
			default:
				buf.scratch = buf.scratch[:0]
				for _, p := range bucket {
					buf.scratch = append(buf.scratch, key(p))
				}
				slices.SortFunc(buf.scratch, compare)
				for i, k := range buf.scratch {
					bucket[i] = k.pair
				}
			}
		}
		// Facilities with explicit orders share pos, so worker 0 sorts all of
		// them; the policy-ranked ones are spread over the workers.
		for w := 0; w < workers; w++ {
			wg.Go(func() {
				var buf sortBufs
				for f := 0; f < e.nF; f++ {
					if e.inst.Facilities[f].Priority != nil {
						if w == 0 {
							sortFacility(f, &buf)
						}
						continue
					}
					if f%workers == w {
						sortFacility(f, &buf)
					}
				}
			})
		}
		wg.Wait()
		e.pairRank = make([]int32, nP)
		spare := e.ranksFromOrder(ks) // the keys are read
		e.spare.Store(&spare)
		e.xRank = e.pairRank
		if int(e.nReal) < nP {
			e.dropBoosts()
		}
	}
	if pk != nil {
		e.orderOnce = sync.OnceFunc(orders)
		return
	}
	orders()
}

// ranksFromOrder sets pairRank from facOrder: each pair's position in its
// facility's list, -1 for a pair in none (a fixed applicant's). Written
// pair by pair in list order, the ranks would land all over pairRank; so
// every (pair, position) is first put with the others of its block of
// pairRank, in parallel over parts of the facilities, then each block,
// small enough to stay in the cache, is written (a pairRank of one block
// is written directly). scratch is reused when it holds as many entries
// as facOrder; the scratch used is returned (scratch for deferred
// acceptance then, see carve).
func (e *engine) ranksFromOrder(scratch []uint64) []uint64 {
	const shift = 18 // a block is 1<<18 ranks (1 MiB)
	nP, total := len(e.pairRank), len(e.facOrder)
	if len(scratch) < total {
		scratch = make([]uint64, total)
	}
	nb := nP>>shift + 1
	if nb == 1 { // pairRank stays in the cache as it is: written directly
		for i := range e.pairRank {
			e.pairRank[i] = -1
		}
		parallel(e.nF, total, func(lo, hi int) {
			for f := lo; f < hi; f++ {
				for i, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
					e.pairRank[p] = int32(i)
				}
			}
		})
		return scratch
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	if total < 1<<15 {
		workers = 1
	}
	// Worker w takes facilities from[w] to from[w+1]-1, about as many
	// pairs each.
	from := make([]int, workers+1)
	for w := 1; w < workers; w++ {
		from[w], _ = slices.BinarySearch(e.facStart[:e.nF], int32(total*w/workers))
	}
	from[workers] = e.nF
	// at[w*nb+b]: worker w's count of entries of block b, then where it
	// puts the next one; the blocks' entries follow one another, each
	// block's by worker.
	at := make([]int, workers*nb)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			cnt := at[w*nb : (w+1)*nb]
			for _, p := range e.facOrder[e.facStart[from[w]]:e.facStart[from[w+1]]] {
				cnt[p>>shift]++
			}
		})
	}
	wg.Wait()
	end := make([]int, nb+1) // block b's entries are end[b]..end[b+1]-1
	for b := range nb {
		n := end[b]
		for w := range workers {
			at[w*nb+b], n = n, n+at[w*nb+b]
		}
		end[b+1] = n
	}
	for w := range workers {
		wg.Go(func() {
			next := at[w*nb : (w+1)*nb]
			for f := from[w]; f < from[w+1]; f++ {
				for i, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
					b := p >> shift
					scratch[next[b]] = uint64(p)<<32 | uint64(i)
					next[b]++
				}
			}
		})
	}
	wg.Wait()
	parallel(nb, nP+total, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			block := e.pairRank[b<<shift : min(nP, (b+1)<<shift)]
			for i := range block {
				block[i] = -1
			}
			for _, x := range scratch[end[b]:end[b+1]] {
				e.pairRank[x>>32] = int32(uint32(x))
			}
		}
	})
	return scratch
}

// dropBoosts keeps the ranks of the orders merged with the boosted twins
// as xRank, and takes the twins out of the published orders and ranks.
func (e *engine) dropBoosts() {
	e.xRank = e.pairRank
	start := make([]int32, e.nF+1)
	parallel(e.nF, len(e.facOrder), func(lo, hi int) {
		for f := lo; f < hi; f++ {
			for _, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
				if p < e.nReal {
					start[f+1]++
				}
			}
		}
	})
	for f := 0; f < e.nF; f++ {
		start[f+1] += start[f]
	}
	order := make([]int32, start[e.nF])
	rank := make([]int32, e.nReal)
	parallel(len(rank), len(rank), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			rank[p] = -1
		}
	})
	// Each Kita's real pairs, and their ranks without the twins.
	parallel(e.nF, len(e.facOrder), func(lo, hi int) {
		for f := lo; f < hi; f++ {
			i := start[f]
			for _, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
				if p < e.nReal {
					order[i] = p
					rank[p] = i - start[f]
					i++
				}
			}
		}
	})
	e.facOrder, e.facStart, e.pairRank = order, start, rank
	e.pairApp, e.pairFac, e.pairPool = e.pairApp[:e.nReal], e.pairFac[:e.nReal], e.pairPool[:e.nReal]
}

// pairCounts splits this round's pairs into parts, for workers, and
// returns the number of each part's pairs of each facility, leaving out
// the fixed applicants' pairs, and the bounds of part w. The validation
// pass's parts and counts are taken when it counted every pair (no
// boosted twins); else the pairs are counted here, in parallel. The
// grouping's outcome does not depend on the parts.
func (e *engine) pairCounts(v *appValues) ([][]int32, func(w int) (int, int)) {
	nP := len(e.pairApp)
	if parts := v.parts; v.done && v.countPairs && len(parts) > 0 && int(e.nReal) == nP {
		cnts := make([][]int32, len(parts))
		for w := range parts {
			cnts[w] = parts[w].cnt
		}
		for id := range e.inst.Fixed {
			a, ok := e.apps.find(id)
			if !ok || e.fixed[a] < 0 {
				continue
			}
			w, _ := slices.BinarySearchFunc(parts, int(a)+1, func(x passPart, a1 int) int { return cmp.Compare(x.hi, a1) })
			for p := e.start[a]; p < e.start[a+1]; p++ {
				cnts[w][e.pairFac[p]]--
			}
		}
		return cnts, func(w int) (int, int) { return int(e.start[parts[w].lo]), int(e.start[parts[w].hi]) }
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	if nP < 1<<14 {
		workers = 1
	}
	part := func(w int) (int, int) { return nP * w / workers, nP * (w + 1) / workers }
	cnts := make([][]int32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		cnts[w] = make([]int32, e.nF)
		wg.Go(func() {
			cnt := cnts[w]
			lo, hi := part(w)
			for p := lo; p < hi; p++ {
				if e.fixed[e.pairApp[p]] < 0 {
					cnt[e.pairFac[p]]++
				}
			}
		})
	}
	wg.Wait()
	return cnts, part
}

// pairValues are what a pair's packed sort key is made of: its
// applicant's base value, the weights of district and sibling where they
// are met, and the lottery number.
type pairValues struct {
	base                []uint64 // per applicant (packed keys only)
	wDistrict, wSibling uint64
	appDistrict         []int32 // 0: none, or no Kita there
	facDistrict         []int32
	sibStart            []int32
	sibFac              []int32
	nReal               int32
	appLot              []uint64
	facHash             []uint64
	perFacility         bool
}

// district reports whether applicant a lives in facility f's district.
func (v *pairValues) district(a, f int32) bool {
	d := v.appDistrict[a]
	return d != 0 && d == v.facDistrict[f]
}

// sibling reports whether a sibling of pair p's applicant a holds a place
// at facility f (or p is a boosted twin, see families.go).
func (v *pairValues) sibling(p, a, f int32) bool {
	if p >= v.nReal {
		return true
	}
	for _, s := range v.sibFac[v.sibStart[a]:v.sibStart[a+1]] {
		if s == f {
			return true
		}
	}
	return false
}

// hi is pair p's packed value, inverted so that better sorts first.
func (v *pairValues) hi(p, a, f int32) uint64 {
	return pairHi(v.base[a], v.appDistrict[a], v.facDistrict[f], v.sibling(p, a, f), v.wDistrict, v.wSibling)
}

// pairHi is the packed value, inverted, of a pair whose applicant has base
// value h and lives in district d (0: none), at a Kita in district fd
// (never 0, see newAppValues), sibling telling whether a sibling holds a
// place there: h plus the district's and the sibling's weight where they
// are met.
func pairHi(h uint64, d, fd int32, sibling bool, wDistrict, wSibling uint64) uint64 {
	var add uint64
	if d == fd {
		add = wDistrict
	}
	if sibling {
		add += wSibling
	}
	return ^(h + add)
}

// lottery is applicant a's lottery number at facility f.
func (v *pairValues) lottery(a, f int32) uint64 {
	return lotteryAt(v.appLot[a], v.facHash, f, v.perFacility)
}

// lotteryAt is the lottery number at facility f of an applicant whose own
// is lot: lot itself, or drawn again per facility.
func lotteryAt(lot uint64, facHash []uint64, f int32, perFacility bool) uint64 {
	if perFacility {
		return mix(lot ^ facHash[f])
	}
	return lot
}

// packKey is a pair's sort key as one uint64, sorted as a plain number:
// the packed tier and points value hi (inverted, its low hiBits bits),
// then the lottery number's leading bits, then the pair's position i in
// its facility's list (ib bits). hiBits+ib must not exceed 64.
func packKey(hi, lot uint64, hiBits, ib, i int) uint64 {
	return newKeyPacker(hiBits, ib).pack(hi, lot, i)
}

// keyPacker is packKey with its shifts and mask worked out once.
type keyPacker struct {
	mask                  uint64 // of hi
	hiShift, lotShift, ib uint
	lotMask               uint64 // all ones when the lottery has bits, else 0
}

func newKeyPacker(hiBits, ib int) keyPacker {
	k := keyPacker{mask: uint64(1)<<hiBits - 1, hiShift: uint(64 - hiBits), ib: uint(ib)}
	if lotBits := 64 - hiBits - ib; lotBits > 0 {
		k.lotShift, k.lotMask = uint(64-lotBits), ^uint64(0)
	}
	return k
}

func (k keyPacker) pack(hi, lot uint64, i int) uint64 {
	return (hi&k.mask)<<k.hiShift | (lot>>k.lotShift<<k.ib)&k.lotMask | uint64(i)
}

// fillKeys sets pk[p], the key of each pair p of applicants lo to hi-1,
// packed by kp (no boosted twins here).
func (v *pairValues) fillKeys(pk []uint64, start, pairFac []int32, kp keyPacker, lo, hi int) {
	base, appDistrict, appLot := v.base[lo:hi], v.appDistrict[lo:hi], v.appLot[lo:hi]
	sibStart, sibFac := v.sibStart[lo:hi+1], v.sibFac
	facDistrict, facHash, perFacility := v.facDistrict, v.facHash, v.perFacility
	wDistrict, wSibling := v.wDistrict, v.wSibling
	start = start[lo : hi+1]
	for i, h := range base {
		d, lot := appDistrict[i], appLot[i]
		sibs := sibFac[sibStart[i]:sibStart[i+1]]
		for p := start[i]; p < start[i+1]; p++ {
			f := pairFac[p]
			sibling := len(sibs) != 0 && slices.Contains(sibs, f)
			pk[p] = kp.pack(pairHi(h, d, facDistrict[f], sibling, wDistrict, wSibling), lotteryAt(lot, facHash, f, perFacility), int(p))
		}
	}
}

// sortBufs is scratch that one sorting worker reuses from one facility
// to the next.
type sortBufs struct {
	pos     []int32   // positions, when the keys carry them
	scratch []sortKey // ties
	keys    []uint64  // keys by bucket (sortKeys)
	count   []int32   // bucket ends (sortKeys)
}

// sortPacked sorts a facility's pairs into bucket by their packed keys ks
// (see packKey; the last ib bits are the pair when byPair is set, else its
// position in bucket). Pairs whose
// keys tie before those bits (rare) are re-sorted with compare, which
// looks at the whole lottery number and the id; the result is the order
// compare defines. ks is left in no particular order.
func sortPacked(bucket []int32, ks []uint64, ib int, byPair bool, buf *sortBufs,
	key func(int32) sortKey, compare func(x, y sortKey) int) {
	n := len(bucket)
	sorted := sortKeys(ks, buf)
	idx := uint64(1)<<ib - 1
	if !byPair {
		buf.pos = append(buf.pos[:0], bucket...)
	}
	tie := false
	for i, k := range sorted {
		p := int32(k & idx)
		if !byPair {
			p = buf.pos[p]
		}
		bucket[i] = p
		tie = tie || i > 0 && k>>ib == sorted[i-1]>>ib
	}
	for i := 0; i < n && tie; {
		j := i + 1
		for j < n && sorted[j]>>ib == sorted[i]>>ib {
			j++
		}
		if j-i > 1 {
			buf.scratch = buf.scratch[:0]
			for _, p := range bucket[i:j] {
				buf.scratch = append(buf.scratch, key(p))
			}
			slices.SortFunc(buf.scratch, compare)
			for r, k := range buf.scratch {
				bucket[i+r] = k.pair
			}
		}
		i = j
	}
}

// sortKeys returns ks in increasing order: ks itself, sorted, or buf's
// keys, leaving ks in no particular order. Long lists are distributed
// over about as many buckets as keys by their leading bits above the
// smallest key (one counting pass and one scatter), and each bucket, a
// few keys as a rule, is sorted by insertion; a bucket that lumpy keys
// make long is sorted by slices.Sort, so no input costs much more than
// slices.Sort.
func sortKeys(ks []uint64, buf *sortBufs) []uint64 {
	n := len(ks)
	if n < 64 {
		insertionSort(ks)
		return ks
	}
	lo, hi := ks[0], ks[0]
	for _, k := range ks {
		lo, hi = min(lo, k), max(hi, k)
	}
	shift := max(0, bits.Len64(hi-lo)-bits.Len(uint(n)))
	nb := int((hi-lo)>>shift) + 1
	cnt := slices.Grow(buf.count[:0], nb+1)[:nb+1]
	clear(cnt)
	for _, k := range ks {
		cnt[(k-lo)>>shift+1]++
	}
	for b := 1; b <= nb; b++ {
		cnt[b] += cnt[b-1]
	}
	out := slices.Grow(buf.keys[:0], n)[:n]
	for _, k := range ks {
		b := (k - lo) >> shift
		out[cnt[b]] = k
		cnt[b]++
	}
	// cnt[b] is now the end of bucket b, cnt[b-1] its start.
	s := int32(0)
	for _, e := range cnt[:nb] {
		switch {
		case e-s > 48:
			slices.Sort(out[s:e])
		case e-s > 1:
			insertionSort(out[s:e])
		}
		s = e
	}
	buf.keys, buf.count = out, cnt
	return out
}

// insertionSort sorts a short list of keys in increasing order.
func insertionSort(ks []uint64) {
	for i := 1; i < len(ks); i++ {
		k := ks[i]
		j := i
		for j > 0 && ks[j-1] > k {
			ks[j] = ks[j-1]
			j--
		}
		ks[j] = k
	}
}

// explain returns the explanation of pair p of facility f at rank r.
func (e *engine) explain(p int32, r int, seed uint64) Explanation {
	return e.explainInto(Explanation{}, p, r, seed)
}

// explainInto is explain reusing x's slices.
func (e *engine) explainInto(x Explanation, p int32, r int, seed uint64) Explanation {
	a, f := e.pairApp[p], e.pairFac[p]
	x = Explanation{Applicant: e.inst.Applicants[a].ID, Rank: r + 1, Tiers: x.Tiers[:0], Points: x.Points[:0]}
	if e.inst.Facilities[f].Priority != nil {
		x.Explicit = true
		return x
	}
	for _, cr := range e.tiers {
		x.Tiers = append(x.Tiers, Score{Criterion: cr.Kind, Value: e.criterionValue(cr.Kind, a, f)})
	}
	for _, cr := range e.points {
		v := int64(cr.Points) * e.criterionValue(cr.Kind, a, f)
		x.Points = append(x.Points, Score{Criterion: cr.Kind, Value: v})
		x.Total += v
	}
	x.Lottery = lotteryNumber(e.inst.Policy.Lottery, seed, e.inst.Applicants[a].ID, e.inst.Facilities[f].ID)
	return x
}
