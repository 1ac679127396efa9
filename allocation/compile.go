package allocation

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kitaportal/kitaportal/problem"
)

// engine is an instance mapped to dense int32 indices once, so that the
// mechanisms run without maps, strings or allocations in their loops.
type engine struct {
	inst *Instance
	nA   int
	nF   int
	apps *idIndex // applicant ids; its hashes seed the lottery
	facs *idIndex // facility ids

	fixed []int32 // per applicant: facility index of a fixed placement, or -1
	// noHours is set when the validation pass read every applicant and
	// none named a start month or choice hours.
	noHours bool

	// repairScans is the number of scans for blocking applicants and
	// families the last family-aware deferred acceptance made.
	repairScans int

	// Pairs are the applicants' choices, flattened: applicant a's choices
	// are pairs start[a]..start[a+1]-1, best first.
	start    []int32
	pairApp  []int32
	pairFac  []int32
	pairPool []int32 // seat pool the pair competes for, -1 if none
	pairRank []int32 // 0-based rank at the facility; -1 for fixed applicants

	// Pools are a facility's seats, one pool without quotas, one per band
	// with them.
	facPool  []int32 // 3 per facility, indexed by Band (0: no quotas)
	poolFac  []int32
	poolBand []Band
	poolCap  []int32 // places left for this round (after fixed placements)
	poolAll  []int32 // all places

	// facOrder[facStart[f]:facStart[f+1]] are facility f's pairs of this
	// round's applicants, best priority first.
	facStart []int32
	facOrder []int32

	tiers  []Criterion // tier criteria in policy order
	points []Criterion // points criteria in policy order

	// Families (nil without). Pairs from nReal on are boosted twins (see
	// families.go); xRank ranks real pairs and twins in merged orders, and
	// equals pairRank without twins.
	fam   *families
	pools *poolSet // Kitas with pools; nil without
	nReal int32
	boost []int32
	xRank []int32

	// ordering, when set, is building facOrder and facStart; the
	// family-aware deferred acceptance waits for it before its first scan.
	ordering *sync.WaitGroup

	// pairKey is every pair's priority key when Compile left the Kitas'
	// orders to be built on first need (orderOnce, see engine.ordered):
	// the packed key of its Kita's order, whose last keyBits bits are the
	// pair, in pair order; keyTie orders two pairs of one Kita whose keys
	// tie above those bits. nil when the orders are built.
	pairKey   []uint64
	keyBits   int
	keyTie    func(p, q int32) int
	orderOnce func()

	// keyFill computes the keys of applicants lo to hi-1's pairs; the
	// first to need them fills them all once (keysOnce, or alongside
	// deferred acceptance), and keysReady is closed then.
	keyFill   func(lo, hi int)
	keysOnce  sync.Once
	keysReady chan struct{}

	// spare is memory ranking no longer needs (the sort keys), which the
	// first allocation takes for its scratch (see carve); nil once taken.
	spare atomic.Pointer[[]uint64]
}

// Validate reports every problem of inst as a [problem.List], or nil.
func Validate(inst Instance) error {
	_, err := build(&inst, inst.Policy.Seed, rankNone)
	return err
}

// build validates inst and, when rank is set, computes the priorities.
func build(inst *Instance, seed uint64, rank rankMode) (*engine, error) {
	var c problem.Collector
	e := &engine{inst: inst, nA: len(inst.Applicants), nF: len(inst.Facilities)}
	facIDs := make([]string, e.nF) // compact, for the many finds of choices
	for i := range inst.Facilities {
		facIDs[i] = inst.Facilities[i].ID
	}
	e.facs = newIDIndex(e.nF, func(i int32) string { return facIDs[i] })
	// offs[i+1] is first applicant i's number of choices, counted while
	// its id is hashed; choiceOffsets sums them.
	offs := make([]int32, e.nA+1) // applicant i's choices are offs[i]..offs[i+1]-1 of all
	e.apps = newIDIndexAlso(e.nA, func(i int32) string { return inst.Applicants[i].ID },
		func(i int32) { offs[i+1] = int32(len(inst.Applicants[i].Choices)) })

	// Facilities and pools.
	e.facPool = make([]int32, 3*e.nF)
	for i := range inst.Facilities {
		f := &inst.Facilities[i]
		path := "facilities[" + strconv.Itoa(i) + "]"
		if f.ID == "" {
			c.Add(path+".id", CodeMissingID, ErrID)
		} else if !e.facs.insert(int32(i)) {
			c.Add(path+".id", CodeDuplicateID, ErrID)
		}
		if f.Capacity < 0 {
			c.Add(path+".capacity", CodeNegativeCapacity, ErrCapacity)
		}
		if f.Pools != nil {
			e.addPools(&c, i)
			continue
		}
		if f.CapacityByBand == nil {
			p := e.addPool(i, 0, f.Capacity)
			e.facPool[3*i], e.facPool[3*i+1], e.facPool[3*i+2] = p, p, p
			continue
		}
		e.facPool[3*i] = -1
		sum, bad := 0, false
		for b, n := range f.CapacityByBand {
			if !b.Valid() {
				bad = true
				continue
			}
			if n < 0 {
				c.Add(path+".capacity_by_band."+b.String(), CodeNegativeCapacity, ErrCapacity)
				bad = true
			}
			sum += n
		}
		if bad && hasInvalidBand(f.CapacityByBand) {
			c.Add(path+".capacity_by_band", CodeInvalidBand, ErrBand)
		}
		if !bad && sum != f.Capacity {
			c.Add(path+".capacity_by_band", CodeQuotaSum, ErrCapacity)
		}
		for _, b := range Bands {
			e.facPool[3*i+int(b)] = e.addPool(i, b, f.CapacityByBand[b])
		}
	}

	e.facs.indexMemory()
	e.extendPoolInfo()
	e.pools.orderByHours(e.poolBand)
	uses := map[Kind]bool{}
	for _, cr := range inst.Policy.Criteria {
		uses[cr.Kind] = true
		if cr.Mode == ModeTier {
			e.tiers = append(e.tiers, cr)
		} else {
			e.points = append(e.points, cr)
		}
	}
	var vals *appValues // filled by the validation pass when it can
	if rank != rankNone {
		vals = e.newAppValues(seed)
	}

	// Applicants and their choices.
	most := e.choiceOffsets(offs)
	total := int(offs[e.nA])
	// Room for the boosted twins of the pairs of children of families
	// not placed together (see addBoosts), at most one per pair.
	spare := 0
	for _, fam := range inst.Families {
		if !fam.Together {
			spare = min(total, spare+len(fam.Children)*most)
		}
	}
	e.pairApp = make([]int32, 0, total+spare)
	e.pairPool = make([]int32, 0, total+spare)
	// The choices' facility indices (-1 if unknown), flattened.
	resolved := make([]int32, total, total+spare)
	seen := make([]int32, e.nF) // applicant index+1 that last chose the facility
	next := 0
	if vals != nil {
		vals.countPairs = spare == 0 // no boosted twins will join the pairs
	}
	valid := e.pairsOfValid(resolved, offs, uses[KindAge], uses[KindRegistrationDate], vals)
	if !valid {
		e.resolveChoices(resolved, offs)
		e.start = make([]int32, e.nA+1)
		clear(e.apps.slots)
	}
	for i := 0; i < e.nA && !valid; i++ {
		a := &inst.Applicants[i]
		e.start[i] = int32(len(e.pairApp))
		if a.ID == "" {
			c.Add(appPath(i)+".id", CodeMissingID, ErrID)
		} else if !e.apps.insert(int32(i)) {
			c.Add(appPath(i)+".id", CodeDuplicateID, ErrID)
		}
		if a.Band != 0 && !a.Band.Valid() {
			c.Add(appPath(i)+".band", CodeInvalidBand, ErrBand)
		}
		missingBand := false
		for j := range a.Choices {
			f := resolved[next]
			next++
			if f < 0 {
				c.Add(appPath(i)+".choices["+strconv.Itoa(j)+"]", CodeUnknownFacility, ErrUnknownFacility)
				continue
			}
			if seen[f] == int32(i)+1 {
				c.Add(appPath(i)+".choices["+strconv.Itoa(j)+"]", CodeDuplicateChoice, ErrChoice)
				continue
			}
			seen[f] = int32(i) + 1
			pool := e.poolOf(f, a.Band)
			if pool < 0 && a.Band == 0 {
				missingBand = true
			}
			e.pairApp = append(e.pairApp, int32(i))
			e.pairFac = append(e.pairFac, f)
			e.pairPool = append(e.pairPool, pool)
		}
		if missingBand {
			c.Add(appPath(i)+".band", CodeMissingBand, ErrBand)
		}
		if a.BirthDate != "" {
			if _, ok := parseDay(a.BirthDate); !ok {
				c.Add(appPath(i)+".birth_date", CodeInvalidDate, ErrAttribute)
			}
		} else if uses[KindAge] {
			c.Add(appPath(i)+".birth_date", CodeMissingAttribute, ErrAttribute, "criterion", KindAge.String())
		}
		if a.RegisteredAt.IsZero() && uses[KindRegistrationDate] {
			c.Add(appPath(i)+".registered_at", CodeMissingAttribute, ErrAttribute, "criterion", KindRegistrationDate.String())
		}
		for j, id := range a.Siblings {
			if _, ok := e.facs.find(id); !ok {
				c.Add(appPath(i)+".siblings["+strconv.Itoa(j)+"]", CodeUnknownFacility, ErrUnknownFacility)
			}
		}
	}
	e.start[e.nA] = int32(len(e.pairApp))
	e.checkFamilies(&c)
	e.checkChoiceHours(&c, resolved, offs)
	if e.nReal = int32(len(e.pairApp)); c.Len() == 0 {
		e.addBoosts()
	}
	if e.inst.Format != "" && e.inst.Format != FormatV2 {
		c.Add("format", CodeInvalidFormat, ErrFormat, "allowed", FormatV2)
	}

	// Explicit priority orders.
	var pos []int32 // facility index+1 that listed the applicant
	explicitAll := true
	var byFac []int32 // pairs by facility, in applicant order
	for i := range inst.Facilities {
		f := &inst.Facilities[i]
		if f.Priority == nil {
			explicitAll = false
			continue
		}
		if byFac == nil {
			byFac, pos = e.pairsByFacility(), make([]int32, e.nA)
		}
		path := "facilities[" + strconv.Itoa(i) + "].priority"
		for j, id := range f.Priority {
			a, ok := e.apps.find(id)
			switch {
			case !ok:
				c.Add(path+"["+strconv.Itoa(j)+"]", CodeUnknownApplicant, ErrUnknownApplicant)
			case pos[a] == int32(i)+1:
				c.Add(path+"["+strconv.Itoa(j)+"]", CodeDuplicatePriority, ErrPriority)
			default:
				pos[a] = int32(i) + 1
			}
		}
		if fi, ok := e.facs.find(f.ID); !ok || int(fi) != i {
			continue // duplicate facility id: already reported
		}
		for _, p := range byFac[e.facStart[i]:e.facStart[i+1]] {
			a := e.pairApp[p]
			if pos[a] != int32(i)+1 {
				k := e.choiceIndex(a, f.ID)
				c.Add("applicants["+strconv.Itoa(int(a))+"].choices["+strconv.Itoa(k)+"]", CodeNotInPriority, ErrPriority)
			}
		}
	}

	// Fixed placements.
	e.fixed = make([]int32, e.nA)
	for i := range e.fixed {
		e.fixed[i] = -1
	}
	taken := make([]int32, len(e.poolCap))
	for _, id := range sortedKeys(inst.Fixed) {
		path := "fixed[" + id + "]"
		a, okA := e.apps.find(id)
		f, okF := e.facs.find(inst.Fixed[id])
		if !okA {
			c.Add(path, CodeUnknownApplicant, ErrUnknownApplicant)
		}
		if !okF {
			c.Add(path, CodeUnknownFacility, ErrUnknownFacility)
		}
		if !okA || !okF {
			continue
		}
		pool := e.poolOf(f, inst.Applicants[a].Band)
		if pool < 0 {
			if inst.Applicants[a].Band == 0 {
				c.Add("applicants["+strconv.Itoa(int(a))+"].band", CodeMissingBand, ErrBand)
			}
			continue
		}
		if e.pools != nil && e.pools.first[f] >= 0 {
			c.Add(path, CodeFixedWithPools, ErrCapacity)
			continue
		}
		e.fixed[a] = f
		taken[pool]++
		if taken[pool] == e.poolAll[pool]+1 {
			fp := "facilities[" + strconv.Itoa(int(f)) + "].capacity"
			if e.poolBand[pool] != 0 {
				fp += "_by_band." + e.poolBand[pool].String()
			}
			c.Add(fp, CodeFixedOverCapacity, ErrCapacity)
		}
	}
	for p := range e.poolCap {
		e.poolCap[p] = max(0, e.poolAll[p]-taken[p])
	}

	// Policy.
	e.checkPolicy(&c, explicitAll)

	if err := c.Err(); err != nil {
		return nil, err
	}
	if rank != rankNone {
		e.rank(pos, vals, rank == rankLazy)
	}
	return e, nil
}

// rankMode tells build whether to rank: not at all (validation only),
// every Kita's order now, or only what deferred acceptance needs when
// that is enough, the orders on first need (see engine.ordered).
type rankMode int

const (
	rankNone rankMode = iota
	rankNow
	rankLazy
)

// keys fills every pair's key if no one has, or waits until whoever
// fills them is done. Safe for concurrent use.
func (e *engine) keys() {
	e.keysOnce.Do(func() {
		parallel(e.nA, len(e.pairKey), e.keyFill)
		close(e.keysReady)
	})
	<-e.keysReady
}

// ordered builds the Kitas' orders and the pairs' ranks if build left
// them for later; it returns once they are there. Safe for concurrent
// use.
func (e *engine) ordered() {
	if e.orderOnce != nil {
		e.orderOnce()
	}
}

// pairsByFacility groups the pairs by facility, in applicant order, and
// sets facStart to match.
func (e *engine) pairsByFacility() []int32 {
	e.facStart = make([]int32, e.nF+1)
	for _, f := range e.pairFac {
		e.facStart[f+1]++
	}
	for f := 0; f < e.nF; f++ {
		e.facStart[f+1] += e.facStart[f]
	}
	byFac := make([]int32, len(e.pairFac))
	fill := slices.Clone(e.facStart[:e.nF])
	for p, f := range e.pairFac {
		byFac[fill[f]] = int32(p)
		fill[f]++
	}
	return byFac
}

// pairsOfValid resolves the choices into resolved and sets the pairs
// (start, pairApp, pairFac, pairPool) and indexes the applicant ids when
// no applicant has a problem that build checks in its loop over the
// applicants, and reports whether none had; then every choice is a pair.
// Otherwise resolved, the pairs and the index are left to resolveChoices
// and that loop, which reports the problems in order. The ids are indexed
// in parallel first (insertAll), then blocks of applicants are checked in
// parallel. needAge and needRegistered tell whether the policy needs
// birth dates and registration times. vals, unless nil, is filled for
// every applicant when all are valid (their struct is in the cache then).
func (e *engine) pairsOfValid(resolved, offs []int32, needAge, needRegistered bool, vals *appValues) bool {
	ids := e.apps.insertAll()
	total := int(offs[e.nA])
	// Every choice is then a pair: the pairs' facilities are the choices'.
	e.pairApp, e.pairFac, e.pairPool = e.pairApp[:total], resolved, e.pairPool[:total]
	var bad, hours atomic.Bool
	var mu sync.Mutex
	var parts []passPart // each part's siblings' Kitas and pair counts, when vals is set
	parallel(e.nA, total, func(lo, hi int) {
		seen := make([]int32, e.nF) // applicant index+1 that last chose the facility
		facs := finder{x: e.facs}
		named := false // a start month or choice hours
		var sibs, cnt []int32
		if vals != nil && vals.countPairs {
			cnt = make([]int32, e.nF)
		}
		for i := lo; i < hi && !bad.Load(); i++ {
			a := &e.inst.Applicants[i]
			named = named || a.Start != "" || a.ChoiceHours != nil
			ok := a.ID != "" && (a.Band == 0 || a.Band.Valid()) && (a.BirthDate != "" || !needAge) &&
				(!a.RegisteredAt.IsZero() || !needRegistered)
			for j, id := range a.Choices {
				p := offs[i] + int32(j)
				f, _ := facs.find(id) // -1 if unknown
				resolved[p] = f
				if f < 0 || seen[f] == int32(i)+1 {
					ok = false
					break
				}
				seen[f] = int32(i) + 1
				if cnt != nil {
					cnt[f]++
				}
				e.pairApp[p], e.pairPool[p] = int32(i), e.poolOf(f, a.Band)
				ok = ok && e.pairPool[p] >= 0
			}
			var day int64 // 0 without a birth date, as criterionValue
			if a.BirthDate != "" {
				var dayOK bool
				day, dayOK = parseDay(a.BirthDate)
				ok = ok && dayOK
			}
			for _, id := range a.Siblings {
				f, found := facs.find(id)
				ok = ok && found
				sibs = append(sibs, f)
			}
			if !ok {
				bad.Store(true)
			} else if vals != nil {
				vals.set(e, i, day, true)
			}
		}
		if named {
			hours.Store(true)
		}
		if vals != nil {
			mu.Lock()
			parts = append(parts, passPart{lo: lo, hi: hi, sibs: sibs, cnt: cnt})
			mu.Unlock()
		}
	})
	if !ids || bad.Load() {
		e.pairApp, e.pairFac, e.pairPool = e.pairApp[:0], make([]int32, 0, cap(resolved)), e.pairPool[:0]
		return false
	}
	e.start = offs // every choice is a pair
	e.noHours = !hours.Load()
	if vals != nil {
		vals.done = true
		slices.SortFunc(parts, func(x, y passPart) int { return x.lo - y.lo })
		vals.parts = parts
		vals.sibFac = joinSiblings(parts)
	}
	return true
}

// passPart is what the validation pass found in one part of the
// applicants, lo to hi-1: their siblings' Kitas (facility indices) in
// order, and the number of their choices of each facility (nil unless
// the pass counts them: when no boosted twins will join the pairs).
type passPart struct {
	lo, hi int
	sibs   []int32
	cnt    []int32
}

// joinSiblings puts the parts' siblings' Kitas in applicant order; the
// parts are in order.
func joinSiblings(parts []passPart) []int32 {
	n := 0
	for _, p := range parts {
		n += len(p.sibs)
	}
	all := make([]int32, 0, n)
	for _, p := range parts {
		all = append(all, p.sibs...)
	}
	return all
}

// choiceOffsets turns offs, where offs[i+1] is applicant i's number of
// choices, into offsets: offs[i+1] becomes the number of choices of
// applicants 0 to i. It returns the most choices of one applicant. Parts
// of the applicants are summed in parallel, then moved by the earlier
// parts' sums.
func (e *engine) choiceOffsets(offs []int32) int {
	workers := min(runtime.GOMAXPROCS(0), 8)
	if e.nA < 1<<15 {
		workers = 1
	}
	part := func(w int) (int, int) { return e.nA * w / workers, e.nA * (w + 1) / workers }
	sums := make([]int32, workers)
	most := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := part(w)
			var sum int32
			for i := lo; i < hi; i++ {
				n := int(offs[i+1])
				sum += int32(n)
				offs[i+1] = sum
				most[w] = max(most[w], n)
			}
			sums[w] = sum
		})
	}
	wg.Wait()
	for w := 1; w < workers; w++ {
		base := sums[w-1]
		sums[w] += base
		lo, hi := part(w)
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				offs[i+1] += base
			}
		})
	}
	wg.Wait()
	return slices.Max(most)
}

// appPath is the field path of applicant i, built only for a problem.
func appPath(i int) string { return "applicants[" + strconv.Itoa(i) + "]" }

func hasInvalidBand(m map[Band]int) bool {
	for b := range m {
		if !b.Valid() {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// resolveChoices maps every choice to its facility index (-1 if unknown),
// into out, flattened in applicant order (applicant i's from offs[i]);
// large inputs are split over the CPUs.
func (e *engine) resolveChoices(out, offs []int32) {
	parallel(e.nA, len(out), func(lo, hi int) {
		facs := finder{x: e.facs}
		for i := lo; i < hi; i++ {
			for j, id := range e.inst.Applicants[i].Choices {
				out[int(offs[i])+j], _ = facs.find(id) // -1 if unknown
			}
		}
	})
}

// parallel calls fn on contiguous pieces of [0, n), on several goroutines
// when work (a rough count of steps) is large enough to pay for them. The
// range is cut into more pieces than goroutines, which take them in turn,
// so that a goroutine held up (by the garbage collector, or by its
// processor lent to another virtual machine) leaves its share to the
// others.
func parallel(n, work int, fn func(lo, hi int)) { inPieces(n, work, 8, fn) }

// parallelParts is parallel with one piece per goroutine, for work that
// reads all its input once per piece.
func parallelParts(n, work int, fn func(lo, hi int)) { inPieces(n, work, 1, fn) }

// inPieces is parallel with perWorker pieces per goroutine.
func inPieces(n, work, perWorker int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), 8)
	if work < 1<<15 || workers < 2 {
		fn(0, n)
		return
	}
	pieces := min(n, perWorker*workers)
	var next atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < pieces; i = int(next.Add(1) - 1) {
				fn(n*i/pieces, n*(i+1)/pieces)
			}
		})
	}
	wg.Wait()
}

func (e *engine) addPool(f int, b Band, capacity int) int32 {
	capacity = max(0, min(capacity, 1<<30))
	e.poolFac = append(e.poolFac, int32(f))
	e.poolBand = append(e.poolBand, b)
	e.poolCap = append(e.poolCap, int32(capacity))
	e.poolAll = append(e.poolAll, int32(capacity))
	return int32(len(e.poolFac) - 1)
}

// poolOf returns the pool an applicant of band b takes at facility f, or -1
// (unset band at a facility with quotas).
func (e *engine) poolOf(f int32, b Band) int32 {
	if !b.Valid() {
		b = 0
	}
	return e.facPool[3*int(f)+int(b)]
}

func (e *engine) choiceIndex(a int32, facID string) int {
	return slices.Index(e.inst.Applicants[a].Choices, facID)
}

func (e *engine) checkPolicy(c *problem.Collector, explicitAll bool) {
	pol := &e.inst.Policy
	seenKind := map[Kind]bool{}
	allowed := strings.Join(kindNames[1:], ", ")
	for i, cr := range pol.Criteria {
		path := "policy.criteria[" + strconv.Itoa(i) + "]"
		switch {
		case !cr.Kind.Valid():
			c.Add(path+".kind", CodeInvalidCriterion, ErrPolicy, "allowed", allowed)
		case seenKind[cr.Kind]:
			c.Add(path+".kind", CodeDuplicateCriterion, ErrPolicy)
		}
		seenKind[cr.Kind] = true
		if !cr.Mode.Valid() || (cr.Mode == ModePoints && cr.Kind.Ordinal()) {
			c.Add(path+".mode", CodeInvalidMode, ErrPolicy)
		}
		if cr.Points < -MaxPoints || cr.Points > MaxPoints {
			c.Add(path+".points", CodePointsRange, ErrPolicy, "max", strconv.Itoa(MaxPoints))
		}
	}
	if !pol.Lottery.Valid() && (pol.Lottery != 0 || !explicitAll) {
		c.Add("policy.lottery", CodeInvalidLottery, ErrPolicy)
	}
}
