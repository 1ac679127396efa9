package allocation

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/kitaportal/kitaportal/problem"
)

// Pool is a share of a Kita's places by age band, weekly care hours and the
// month from which the places are free (Platzkontingent).
type Pool struct {
	// Band of the places; unset: any band.
	Band Band `json:"band,omitempty"`
	// Hours are the weekly care hours (Betreuungsumfang), 1 to MaxHours.
	Hours int `json:"hours"`
	// From is the month "YYYY-MM" from which the places are free.
	From string `json:"from"`
	// Capacity is the number of places.
	Capacity int `json:"capacity"`
}

// MaxHours bounds the weekly care hours of a pool or a choice.
const MaxHours = 60

// parseMonth parses "YYYY-MM" into a month number (year*12 + month - 1).
func parseMonth(s string) (int32, bool) {
	if len(s) != 7 || s[4] != '-' {
		return 0, false
	}
	n := 0
	for i, c := range []byte(s) {
		if i == 4 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	y, m := n/100, n%100
	if y < 1 || m < 1 || m > 12 {
		return 0, false
	}
	return int32(y*12 + m - 1), true
}

// poolSet is what an engine knows of Kitas with pools (nil without).
type poolSet struct {
	first  []int32  // per facility: its first engine pool, -1 without pools
	count  []int32  // per facility: its number of declared pools
	hours  []int32  // per engine pool (0 for pools without hours)
	from   []int32  // per engine pool: month number, 0 for none
	start  []int32  // per applicant: desired month number, -1 for none
	declID []int32  // per engine pool: index in Facility.Pools, -1
	offers []uint64 // per facility: bit h set when a pool offers h hours
	// byHours[lo:hi] are the pools of facility f that fit band b (band
	// 0: those without a band), by hours, in declaration order within the
	// same hours, with what options checks of each, so that a child's
	// options are found in one pass over a few consecutive entries; lo and
	// hi are the low and high 32 bits of fit[3*f+b]. Bands whose pools
	// are the same share their entries (at a Kita without band quotas,
	// all three), which keeps byHours small enough to stay in cache.
	byHours []poolFit
	fit     []uint64
}

// poolFit is an engine pool q with its hours and month number in one word,
// as options reads them: hours in the top 8 bits, the month in the next 24
// (month numbers of years up to 9999 fit), q in the low 32. Hours and
// months out of range are cut to their bits: Compile rejects them.
type poolFit uint64

func newPoolFit(q, hours, from int32) poolFit {
	return poolFit(uint64(uint8(hours))<<56 | uint64(uint32(from)&(1<<24-1))<<32 | uint64(uint32(q)))
}

func (x poolFit) hours() int32 { return int32(x >> 56) }
func (x poolFit) q() int32     { return int32(uint32(x)) }

// key is the entry's hours and month as one number, hours<<24 | month.
func (x poolFit) key() uint32 { return uint32(x >> 32) }

// orderByHours sets byHours and fit from the pools' hours, months and
// bands (ps may be nil: no Kita has pools).
func (ps *poolSet) orderByHours(poolBand []Band) {
	if ps == nil {
		return
	}
	ps.fit = make([]uint64, 3*len(ps.first))
	ps.byHours = make([]poolFit, 0, len(ps.hours))
	var kita []poolFit
	for f, first := range ps.first {
		kita = kita[:0]
		for q := first; first >= 0 && q < first+ps.count[f]; q++ {
			kita = append(kita, newPoolFit(q, ps.hours[q], ps.from[q]))
		}
		slices.SortStableFunc(kita, func(x, y poolFit) int { return cmp.Compare(x.hours(), y.hours()) })
		for b := range 3 {
			lo := len(ps.byHours)
			for _, x := range kita {
				if pb := poolBand[x.q()]; pb == 0 || pb == Band(b) {
					ps.byHours = append(ps.byHours, x)
				}
			}
			hi := len(ps.byHours)
			ps.fit[3*f+b] = uint64(lo) | uint64(hi)<<32
			for _, y := range ps.fit[3*f : 3*f+b] { // an earlier band's same list
				if ylo, yhi := int(uint32(y)), int(y>>32); slices.Equal(ps.byHours[ylo:yhi], ps.byHours[lo:hi]) {
					ps.byHours = ps.byHours[:lo]
					ps.fit[3*f+b] = y
					break
				}
			}
		}
	}
}

// addPools checks facility i's pools and adds them as engine pools.
func (e *engine) addPools(c *problem.Collector, i int) {
	f := &e.inst.Facilities[i]
	path := "facilities[" + strconv.Itoa(i) + "]"
	if e.pools == nil {
		e.pools = &poolSet{first: make([]int32, e.nF), count: make([]int32, e.nF)}
		for j := range e.pools.first {
			e.pools.first[j] = -1
		}
	}
	// The pools of facilities without pools added since the last Kita
	// with pools come first, so that this Kita's pools keep their index.
	e.extendPoolInfo()
	ps := e.pools
	if f.CapacityByBand != nil {
		c.Add(path+".pools", CodePoolsAndQuotas, ErrCapacity)
	}
	if e.inst.Format != FormatV2 {
		c.Add(path+".pools", CodeNeedsV2, ErrFormat, "format", FormatV2)
	}
	if ps.offers == nil {
		ps.offers = make([]uint64, e.nF)
	}
	sum := 0
	ps.first[i] = int32(len(e.poolCap))
	ps.count[i] = int32(len(f.Pools))
	for j, p := range f.Pools {
		pp := path + ".pools[" + strconv.Itoa(j) + "]"
		if p.Band != 0 && !p.Band.Valid() {
			c.Add(pp+".band", CodeInvalidBand, ErrBand)
		}
		if p.Hours < 1 || p.Hours > MaxHours {
			c.Add(pp+".hours", CodeInvalidHours, ErrAttribute, "max", strconv.Itoa(MaxHours))
		}
		m, ok := parseMonth(p.From)
		if !ok {
			c.Add(pp+".from", CodeInvalidMonth, ErrAttribute)
		}
		if p.Capacity < 0 {
			c.Add(pp+".capacity", CodeNegativeCapacity, ErrCapacity)
		}
		sum += max(0, p.Capacity)
		if p.Hours >= 1 && p.Hours <= MaxHours {
			ps.offers[i] |= 1 << p.Hours
		}
		e.addPool(i, p.Band, p.Capacity)
		ps.hours = append(ps.hours, int32(p.Hours))
		ps.from = append(ps.from, m)
		ps.declID = append(ps.declID, int32(j))
	}
	if sum != f.Capacity {
		c.Add(path+".capacity", CodeQuotaSum, ErrCapacity)
	}
	// Pairs of the facility compete in its first pool until an applicant's
	// option decides the pool (see poolDA).
	p := ps.first[i]
	if len(f.Pools) == 0 {
		p = e.addPool(i, 0, 0)
		ps.hours = append(ps.hours, 0)
		ps.from = append(ps.from, 0)
		ps.declID = append(ps.declID, -1)
	}
	e.facPool[3*i], e.facPool[3*i+1], e.facPool[3*i+2] = p, p, p
}

// extendPoolInfo keeps the per-pool slices as long as the engine's pools
// after a facility without pools was added.
func (e *engine) extendPoolInfo() {
	if ps := e.pools; ps != nil {
		for len(ps.hours) < len(e.poolCap) {
			ps.hours = append(ps.hours, 0)
			ps.from = append(ps.from, 0)
			ps.declID = append(ps.declID, -1)
		}
	}
}

// checkChoiceHours checks the applicants' start months and choice hours
// (see checkHoursOf), then that the children of a together-family name the
// same hours. resolved holds every choice's facility index (-1: unknown),
// flattened in applicant order, applicant i's from offs[i]. Blocks of
// applicants are checked in parallel, each into its own collector, and
// the problems are added in applicant order. When no applicant named
// any (noHours), there is nothing to check: every desired month is unset.
func (e *engine) checkChoiceHours(c *problem.Collector, resolved, offs []int32) {
	if e.pools != nil {
		e.pools.start = make([]int32, e.nA)
	}
	if e.noHours {
		if e.pools != nil {
			parallel(e.nA, e.nA, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					e.pools.start[i] = -1
				}
			})
		}
		return
	}
	const block = 1 << 12 // applicants
	parts := make([]problem.Collector, (e.nA+block-1)/block)
	parallel(len(parts), int(offs[e.nA]), func(lo, hi int) {
		for k := lo; k < hi; k++ {
			e.checkHoursOf(&parts[k], resolved, offs, k*block, min(e.nA, (k+1)*block))
		}
	})
	for k := range parts {
		c.Merge("", parts[k].Err())
	}
	if e.fam == nil {
		return
	}
	for F, together := range e.fam.together {
		kids := e.fam.members(int32(F))
		if !together || len(kids) == 0 {
			continue
		}
		for _, a := range kids[1:] {
			if !slices.Equal(e.inst.Applicants[a].Choices, e.inst.Applicants[kids[0]].Choices) {
				continue // reported by checkFamilies
			}
			for k := range e.inst.Applicants[a].Choices {
				if !slices.Equal(e.hoursAt(a, k), e.hoursAt(kids[0], k)) {
					c.Add(appPath(int(a))+".choices", CodeFamilyChoices, ErrFamily)
					break
				}
			}
		}
	}
}

// checkHoursOf checks applicants lo..hi-1: a start month, if given, is a
// month, and every hour named at a choice is in range, named once and
// offered by a pool of that Kita. It sets their desired months.
func (e *engine) checkHoursOf(c *problem.Collector, resolved, offs []int32, lo, hi int) {
	ps := e.pools
	for i := lo; i < hi; i++ {
		a := &e.inst.Applicants[i]
		at := int(offs[i]) // a's choices' facilities are resolved[at:]
		if ps != nil {
			ps.start[i] = -1
		}
		if (a.Start != "" || a.ChoiceHours != nil) && e.inst.Format != FormatV2 {
			c.Add(appPath(i), CodeNeedsV2, ErrFormat, "format", FormatV2)
		}
		if a.Start != "" {
			m, ok := parseMonth(a.Start)
			if !ok {
				c.Add(appPath(i)+".start", CodeInvalidMonth, ErrAttribute)
			} else if ps != nil {
				ps.start[i] = m
			}
		}
		if len(a.ChoiceHours) > len(a.Choices) {
			c.Add(appPath(i)+".choices", CodeInvalidHours, ErrAttribute, "max", strconv.Itoa(MaxHours))
			continue
		}
		for j, hs := range a.ChoiceHours {
			f := resolved[at+j]
			known := f >= 0
			for k, h := range hs {
				hp := func() string {
					return appPath(i) + ".choices[" + strconv.Itoa(j) + "].hours[" + strconv.Itoa(k) + "]"
				}
				switch {
				case h < 1 || h > MaxHours:
					c.Add(hp(), CodeInvalidHours, ErrAttribute, "max", strconv.Itoa(MaxHours))
				case slices.Index(hs, h) < k:
					c.Add(hp(), CodeDuplicateHours, ErrChoice)
				case known && !e.offersHours(f, h):
					c.Add(hp(), CodeHoursNotOffered, ErrChoice)
				}
			}
		}
	}
}

// offersHours reports whether a pool of facility f offers h hours.
func (e *engine) offersHours(f int32, h int) bool {
	return e.pools != nil && e.pools.offers[f]&(1<<h) != 0
}

// options returns applicant a's pool options in its preference order: per
// chosen Kita, the fitting pools by the child's hour order (any hours when
// the choice names none), then by the Kita's order of pools. opt and optPool
// are appended to.
func (e *engine) options(a int32, opt, optPool []int32) ([]int32, []int32) {
	ps := e.pools
	app := &e.inst.Applicants[a]
	band, month, choiceHours := app.Band, ps.start[a], app.ChoiceHours
	poolBand, from := e.poolBand, ps.from
	fitBand := int32(0) // an invalid band fits only pools without a band
	if band.Valid() {
		fitBand = int32(band)
	}
	span := uint32(1<<24 - 1) // the months an entry's month may be after h<<24
	if month >= 0 {
		span = uint32(min(month, 1<<24-1))
	}
	for p := e.start[a]; p < e.start[a+1]; p++ {
		f := e.pairFac[p]
		x := ps.fit[3*f+fitBand]
		lo, hi := int32(uint32(x)), int32(x>>32)
		if lo == hi { // no pool fits, or the Kita has none
			if ps.first[f] < 0 || ps.count[f] == 0 {
				opt, optPool = append(opt, p), append(optPool, e.pairPool[p])
			}
			continue
		}
		var hs []int
		if k := int(p - e.start[a]); k < len(choiceHours) {
			hs = choiceHours[k]
		}
		if len(hs) == 0 {
			for q := ps.first[f]; q < ps.first[f]+ps.count[f]; q++ {
				if b := poolBand[q]; (b == 0 || b == band) && (month < 0 || from[q] <= month) {
					opt, optPool = append(opt, p), append(optPool, q)
				}
			}
			continue
		}
		// Every entry is checked for every hour, without a branch: an
		// entry is kept (n moves on) when its hours and month, read as
		// one number (poolFit.key), lie in [h, h+month].
		fits := ps.byHours[lo:hi]
		need := len(opt) + len(fits)*len(hs)
		if need > cap(opt) || need > cap(optPool) {
			opt, optPool = slices.Grow(opt, need-len(opt)), slices.Grow(optPool, need-len(optPool))
		}
		n := len(opt)
		o, oq := opt[:need], optPool[:need]
		for _, h := range hs {
			low := uint32(h) << 24
			for _, x := range fits {
				o[n], oq[n] = p, x.q()
				keep := 0
				if x.key()-low <= span {
					keep = 1
				}
				n += keep
			}
		}
		opt, optPool = opt[:n], optPool[:n]
	}
	return opt, optPool
}

// poolDA runs child-proposing deferred acceptance over pool options: a
// child proposes to its best fitting pool at a Kita first; a pool keeps its
// best-ranked children (ranked by the Kita's order) up to its capacity.
// It returns per applicant the pair and the engine pool placing it.
func (e *engine) poolDA(spare []uint64) (match, pool []int32) {
	optStart, opt, optPool := e.joinedOptions()
	rank := make([]int32, len(opt))
	for o, p := range opt {
		rank[o] = e.pairRank[p]
	}
	at := e.proposing(optStart, optPool, rank, spare)
	match, pool = at, make([]int32, e.nA)
	for a, o := range at {
		match[a], pool[a] = -1, -1
		if o >= 0 {
			match[a], pool[a] = opt[o], optPool[o]
		}
	}
	return match, pool
}

// choiceJSON is a choice with hours in the interchange format.
type choiceJSON struct {
	Kita  string `json:"kita"`
	Hours []int  `json:"hours,omitempty"`
}

// MarshalJSON encodes the applicant in the interchange format: choices with
// hours as objects {"kita", "hours"}, the others as plain ids.
func (a Applicant) MarshalJSON() ([]byte, error) {
	type plain Applicant
	if len(a.ChoiceHours) == 0 {
		return json.Marshal(plain(a))
	}
	choices := make([]any, len(a.Choices))
	for j, id := range a.Choices {
		if j < len(a.ChoiceHours) && len(a.ChoiceHours[j]) > 0 {
			choices[j] = choiceJSON{Kita: id, Hours: a.ChoiceHours[j]}
		} else {
			choices[j] = id
		}
	}
	return json.Marshal(struct {
		plain
		Choices []any `json:"choices"`
	}{plain(a), choices})
}

// verifyPools checks a result at Kitas with pools: every placed child has
// a fitting pool, no pool is over capacity, and no child prefers a pool
// option (a better Kita, or a better pool of its own Kita) that has a free
// place or holds a child of lower priority at that Kita. placedAt is each
// applicant's choice position (the number of choices if unplaced); count
// holds the placements already counted at Kitas without pools.
func (e *engine) verifyPools(res Result, placedAt, count []int32) []Violation {
	apps, facs, ps := e.inst.Applicants, e.inst.Facilities, e.pools
	var out []Violation
	at := make([]int32, e.nA)   // engine pool of this round's placement, -1
	unfit := make([]bool, e.nA) // placed in a pool that is none of its options
	worst := make([]int32, len(e.poolCap))
	for q := range worst {
		worst[q] = -1
	}
	rank := e.effectiveRank(placedAt)
	var holders [][]int32 // with families: sorted ranks of each pool's holders
	if e.fam != nil {
		holders = make([][]int32, len(e.poolCap))
	}
	var opt, optPool []int32
	for a := int32(0); a < int32(e.nA); a++ {
		at[a] = -1
		if e.fixed[a] >= 0 || placedAt[a] == e.start[a+1]-e.start[a] {
			continue
		}
		pair := e.start[a] + placedAt[a]
		f := e.pairFac[pair]
		q := e.pairPool[pair]
		if ps.first[f] >= 0 {
			d, ok := res.Pools[apps[a].ID]
			if !ok || d < 0 || d >= len(facs[f].Pools) {
				out = append(out, Violation{Kind: ViolationUnfitPool, Applicant: apps[a].ID, Facility: facs[f].ID})
				continue
			}
			q = ps.first[f] + int32(d)
			count[q]++
			opt, optPool = e.options(a, opt[:0], optPool[:0])
			fit := false
			for o := range opt {
				fit = fit || (opt[o] == pair && optPool[o] == q)
			}
			if !fit {
				unfit[a] = true
				out = append(out, Violation{Kind: ViolationUnfitPool, Applicant: apps[a].ID, Facility: facs[f].ID, Pool: d + 1})
			}
		}
		at[a] = q
		if holders != nil {
			holders[q] = append(holders[q], rank(pair))
		}
		if w := worst[q]; w < 0 || rank(pair) > rank(w) {
			worst[q] = pair
		}
	}
	for q := range e.poolCap {
		if count[q] > e.poolAll[q] {
			out = append(out, Violation{Kind: ViolationOverCapacity,
				Facility: facs[e.poolFac[q]].ID, Band: e.poolBand[q], Pool: int(ps.declID[q]) + 1})
		}
	}
	for a := int32(0); a < int32(e.nA); a++ {
		if e.fixed[a] >= 0 || e.inTogether(a) {
			continue
		}
		opt, optPool = e.options(a, opt[:0], optPool[:0])
		for o, pair := range opt {
			q := optPool[o]
			if at[a] >= 0 && !unfit[a] && pair == e.start[a]+placedAt[a] && q == at[a] {
				break // its placement: every later option is worse
			}
			if pair > e.start[a]+placedAt[a] && !unfit[a] {
				break // a worse Kita; an unfit placement counts as none
			}
			v := Violation{Applicant: apps[a].ID, Facility: facs[e.pairFac[pair]].ID, Band: e.poolBand[q], Pool: int(ps.declID[q]) + 1}
			if e.blockingPair(&v, pair, q, count, worst, rank) {
				out = append(out, v)
			}
		}
	}
	if holders != nil {
		for _, h := range holders {
			slices.Sort(h)
		}
		out = append(out, e.verifyPoolFamilies(placedAt, at, holders)...)
	}
	return out
}

// UnmarshalJSON decodes the applicant in the interchange format, choices as
// plain ids or objects {"kita", "hours"}, with unknown fields an error, as
// [Decode] reads it.
func (a *Applicant) UnmarshalJSON(data []byte) error {
	type plain Applicant
	var w struct {
		plain
		Choices []json.RawMessage `json:"choices"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return err
	}
	*a = Applicant(w.plain)
	a.Choices, a.ChoiceHours = nil, nil
	if w.Choices != nil {
		a.Choices = make([]string, len(w.Choices))
	}
	for j, raw := range w.Choices {
		if len(raw) == 0 || raw[0] != '{' {
			if err := json.Unmarshal(raw, &a.Choices[j]); err != nil {
				return err
			}
			continue
		}
		var c choiceJSON
		cd := json.NewDecoder(bytes.NewReader(raw))
		cd.DisallowUnknownFields()
		if err := cd.Decode(&c); err != nil {
			return err
		}
		a.Choices[j] = c.Kita
		if len(c.Hours) > 0 {
			for len(a.ChoiceHours) < j {
				a.ChoiceHours = append(a.ChoiceHours, nil)
			}
			a.ChoiceHours = append(a.ChoiceHours, c.Hours)
		}
	}
	return nil
}
