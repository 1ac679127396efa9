package allocation

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"sync"
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

// rank computes every facility's priority order (facOrder) and each pair's
// rank. byFac holds the pairs grouped by facility in applicant order; pos
// is scratch of one int32 per applicant.
func (e *engine) rank(byFac, pos []int32, seed uint64) {
	nP := len(e.pairApp)
	nT := len(e.tiers)
	apps := e.inst.Applicants

	// Values that do not depend on the facility, once per applicant.
	appVal := make([]int64, nT*e.nA)
	lowT := make([]int64, nT)
	highT := make([]int64, nT)
	for t, cr := range e.tiers {
		if facilityDependent(cr.Kind) {
			highT[t] = 1
			continue
		}
		vals := appVal[t*e.nA : (t+1)*e.nA]
		for a := range apps {
			v := e.criterionValue(cr.Kind, int32(a), -1)
			vals[a] = v
			if a == 0 || v < lowT[t] {
				lowT[t] = v
			}
			if a == 0 || v > highT[t] {
				highT[t] = v
			}
		}
	}
	appPoints := make([]int64, e.nA)
	var lowP, highP int64
	for _, cr := range e.points {
		lowP += min(0, int64(cr.Points))
		highP += max(0, int64(cr.Points))
		if facilityDependent(cr.Kind) {
			continue
		}
		for a := range apps {
			appPoints[a] += int64(cr.Points) * e.criterionValue(cr.Kind, int32(a), -1)
		}
	}
	appLot := make([]uint64, e.nA)
	for a := range apps {
		appLot[a] = mix(seed ^ mix(fnv64(apps[a].ID)))
	}
	perFacility := e.inst.Policy.Lottery == LotteryPerFacility
	facHash := make([]uint64, e.nF)
	if perFacility {
		for f := range e.inst.Facilities {
			facHash[f] = fnv64(e.inst.Facilities[f].ID)
		}
	}
	// Districts as small integers, so that the per-pair test is cheap.
	district := map[string]int32{"": 0}
	facDistrict := make([]int32, e.nF)
	for f := range e.inst.Facilities {
		d, ok := district[e.inst.Facilities[f].District]
		if !ok {
			d = int32(len(district))
			district[e.inst.Facilities[f].District] = d
		}
		facDistrict[f] = d
	}
	appDistrict := make([]int32, e.nA)
	for a := range apps {
		appDistrict[a] = district[apps[a].District] // 0: none, or no Kita there
	}
	// Siblings as facility indices (validation made sure they exist).
	sibStart := make([]int32, e.nA+1)
	var sibFac []int32
	for a := range apps {
		for _, id := range apps[a].Siblings {
			sibFac = append(sibFac, e.facs[id])
		}
		sibStart[a+1] = int32(len(sibFac))
	}
	local := func(k Kind, p, a, f int32) int64 {
		switch k {
		case KindDistrict:
			if d := appDistrict[a]; d != 0 && d == facDistrict[f] {
				return 1
			}
		case KindSibling:
			if p >= e.nReal { // a boosted twin: a sibling holds a place here
				return 1
			}
			for _, s := range sibFac[sibStart[a]:sibStart[a+1]] {
				if s == f {
					return 1
				}
			}
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
	computeKey := func(p int32) sortKey {
		a, f := e.pairApp[p], e.pairFac[p]
		k := sortKey{lo: appLot[a], pair: p}
		if perFacility {
			k.lo = mix(appLot[a] ^ facHash[f])
		}
		if !packed {
			row := keys[int(p)*stride : int(p+1)*stride]
			for t := range e.tiers {
				row[t] = value(t, p, a, f)
			}
			row[nT] = points(p, a, f)
			return k
		}
		var h uint64
		for t := range e.tiers {
			h = h<<width[t] | uint64(value(t, p, a, f)-lowT[t])
		}
		h = h<<bits.Len64(uint64(highP-lowP)) | uint64(points(p, a, f)-lowP)
		k.hi = ^h
		return k
	}
	// Keys in pair order (applicant order: sequential memory), in parallel.
	keyHi := make([]uint64, nP)
	keyLo := make([]uint64, nP)
	parallel(nP, nP*(nT+len(e.points)+1), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			k := computeKey(int32(p))
			keyHi[p], keyLo[p] = k.hi, k.lo
		}
	})
	key := func(p int32) sortKey { return sortKey{hi: keyHi[p], lo: keyLo[p], pair: p} }

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

	// Keep only this round's applicants, then sort each facility's pairs.
	e.facOrder = make([]int32, 0, nP)
	newStart := make([]int32, e.nF+1)
	for f := 0; f < e.nF; f++ {
		for _, p := range byFac[e.facStart[f]:e.facStart[f+1]] {
			if e.fixed[e.pairApp[p]] < 0 {
				e.facOrder = append(e.facOrder, p)
			}
		}
		newStart[f+1] = int32(len(e.facOrder))
	}
	e.facStart = newStart

	sortFacility := func(f int, scratch []sortKey) []sortKey {
		bucket := e.facOrder[e.facStart[f]:e.facStart[f+1]]
		if pr := e.inst.Facilities[f].Priority; pr != nil {
			for j := len(pr) - 1; j >= 0; j-- { // first occurrence wins
				if a, ok := e.apps[pr[j]]; ok {
					pos[a] = int32(j)
				}
			}
			slices.SortFunc(bucket, func(p, q int32) int {
				return cmp.Compare(pos[e.pairApp[p]], pos[e.pairApp[q]])
			})
			return scratch
		}
		scratch = scratch[:0]
		if packed && bitsUsed+bits.Len(uint(len(bucket))) <= 64 {
			return sortPacked(bucket, keyHi, keyLo, bitsUsed, scratch, key, compare)
		}
		for _, p := range bucket {
			scratch = append(scratch, key(p))
		}
		slices.SortFunc(scratch, compare)
		for i, k := range scratch {
			bucket[i] = k.pair
		}
		return scratch
	}
	// Facilities with explicit orders share pos, so worker 0 sorts all of
	// them; the policy-ranked ones are spread over the workers.
	workers := min(runtime.GOMAXPROCS(0), 8)
	if nP < 1<<14 {
		workers = 1
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			var scratch []sortKey
			for f := 0; f < e.nF; f++ {
				if e.inst.Facilities[f].Priority != nil {
					if w == 0 {
						scratch = sortFacility(f, scratch)
					}
					continue
				}
				if f%workers == w {
					scratch = sortFacility(f, scratch)
				}
			}
		})
	}
	wg.Wait()

	e.pairRank = make([]int32, nP)
	for i := range e.pairRank {
		e.pairRank[i] = -1
	}
	for f := 0; f < e.nF; f++ {
		for r, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
			e.pairRank[p] = int32(r)
		}
	}
	e.xRank = e.pairRank
	if int(e.nReal) < nP {
		e.dropBoosts()
	}
}

// dropBoosts keeps the ranks of the orders merged with the boosted twins
// as xRank, and takes the twins out of the published orders and ranks.
func (e *engine) dropBoosts() {
	e.xRank = e.pairRank
	order := e.facOrder[:0:0]
	start := make([]int32, e.nF+1)
	for f := 0; f < e.nF; f++ {
		for _, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
			if p < e.nReal {
				order = append(order, p)
			}
		}
		start[f+1] = int32(len(order))
	}
	e.facOrder, e.facStart = order, start
	e.pairRank = make([]int32, e.nReal)
	for i := range e.pairRank {
		e.pairRank[i] = -1
	}
	for f := 0; f < e.nF; f++ {
		for r, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
			e.pairRank[p] = int32(r)
		}
	}
	e.pairApp, e.pairFac, e.pairPool = e.pairApp[:e.nReal], e.pairFac[:e.nReal], e.pairPool[:e.nReal]
}

// sortPacked sorts a facility's pairs by one uint64 per pair, sorted as a
// plain number: the packed tier and points value (hiBits wide, better
// first), then the lottery number's leading bits, then the pair's position
// in the bucket. Pairs whose leading lottery bits tie (rare) are re-sorted
// with compare, which looks at the whole lottery number and the id; the
// result is the order compare defines. scratch is reused.
func sortPacked(bucket []int32, keyHi, keyLo []uint64, hiBits int, scratch []sortKey,
	key func(int32) sortKey, compare func(x, y sortKey) int) []sortKey {
	n := len(bucket)
	ib := bits.Len(uint(n))
	lotBits := 64 - hiBits - ib
	mask := uint64(1)<<hiBits - 1
	ks := make([]uint64, n)
	for i, p := range bucket {
		k := (keyHi[p] & mask) << (64 - hiBits) // keyHi is inverted: lower is better
		if lotBits > 0 {
			k |= keyLo[p] >> (64 - lotBits) << ib
		}
		ks[i] = k | uint64(i)
	}
	slices.Sort(ks)
	idx := uint64(1)<<ib - 1
	sorted := make([]int32, n)
	for i, k := range ks {
		sorted[i] = bucket[k&idx]
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && ks[j]>>ib == ks[i]>>ib {
			j++
		}
		if j-i > 1 {
			scratch = scratch[:0]
			for _, p := range sorted[i:j] {
				scratch = append(scratch, key(p))
			}
			slices.SortFunc(scratch, compare)
			for r, k := range scratch {
				sorted[i+r] = k.pair
			}
		}
		i = j
	}
	copy(bucket, sorted)
	return scratch
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
