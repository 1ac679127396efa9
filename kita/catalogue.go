package kita

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rickb777/date"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// Catalogue is the set of Kitas of a city, safe for concurrent use: any
// number of readers (Get, All, Search, Nearest) run in parallel, a mutation
// waits for them. Values go in and out as copies, so a caller can never
// change the catalogue except through its methods. Every Kita in it passes
// [Kita.Validate] against the catalogue's hours options.
type Catalogue struct {
	allowed HoursOptions

	mu  sync.RWMutex
	idx *index
}

// index is one validated set of Kitas; Replace swaps it whole.
type index struct {
	entries []entry // ordered by ID
	byID    map[string]int
	byName  []int32 // entry positions ordered by name (German collation), then ID
}

type entry struct {
	kita Kita
	rank int32 // position in name order
	// Location in radians and the cosine of its latitude, for distances.
	hasLoc         bool
	latRad, lonRad float64
	cosLat         float64
}

// NewCatalogue validates every Kita against the hours a city allows (nil:
// any hours from 1 to 60) and returns the catalogue. All problems come back
// at once as a [problem.List] with field paths such as "kitas[3].hours[0]";
// a repeated id is [CodeIDDuplicate] at the later position.
func NewCatalogue(kitas []Kita, allowed HoursOptions) (*Catalogue, error) {
	c := &Catalogue{allowed: slices.Clone(allowed)}
	idx, err := c.build(kitas)
	if err != nil {
		return nil, err
	}
	c.idx = idx
	return c, nil
}

// build validates kitas and indexes copies of them.
func (c *Catalogue) build(kitas []Kita) (*index, error) {
	var p problem.Collector
	idx := &index{
		entries: make([]entry, 0, len(kitas)),
		byID:    make(map[string]int, len(kitas)),
	}
	first := make(map[string]int, len(kitas))
	for i, k := range kitas {
		prefix := "kitas[" + strconv.Itoa(i) + "]"
		p.Merge(prefix, k.Validate(c.allowed))
		if k.ID == "" {
			continue
		}
		if _, dup := first[k.ID]; dup {
			p.Add(prefix+".id", CodeIDDuplicate, ErrDuplicate)
			continue
		}
		first[k.ID] = i
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	for _, k := range kitas {
		idx.entries = append(idx.entries, newEntry(k.clone()))
	}
	slices.SortFunc(idx.entries, func(a, b entry) int { return strings.Compare(a.kita.ID, b.kita.ID) })
	for i, e := range idx.entries {
		idx.byID[e.kita.ID] = i
	}
	// Name order: German collation (umlauts sort with their base letter),
	// then id.
	col := collate.New(language.German, collate.Loose)
	var buf collate.Buffer
	keys := make([][]byte, len(idx.entries))
	for i, e := range idx.entries {
		keys[i] = slices.Clone(col.KeyFromString(&buf, e.kita.Name))
		buf.Reset()
	}
	idx.byName = make([]int32, len(idx.entries))
	for i := range idx.byName {
		idx.byName[i] = int32(i)
	}
	slices.SortFunc(idx.byName, func(a, b int32) int {
		if c := slices.Compare(keys[a], keys[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b) // entries are in id order
	})
	for r, i := range idx.byName {
		idx.entries[i].rank = int32(r)
	}
	return idx, nil
}

func newEntry(k Kita) entry {
	e := entry{kita: k}
	if !k.Location.IsZero() {
		e.hasLoc = true
		e.latRad = k.Location.Lat * rad
		e.lonRad = k.Location.Lon * rad
		e.cosLat = math.Cos(e.latRad)
	}
	return e
}

const rad = math.Pi / 180

// clone returns a deep copy: no slice of the result shares memory with k.
func (k Kita) clone() Kita {
	k.Hours = slices.Clone(k.Hours)
	k.Capacity.Groups = slices.Clone(k.Capacity.Groups)
	k.Pools = slices.Clone(k.Pools)
	k.FreePlaces.Groups = slices.Clone(k.FreePlaces.Groups)
	k.Opening.Days = slices.Clone(k.Opening.Days)
	k.Profile.Languages = slices.Clone(k.Profile.Languages)
	return k
}

// Len returns the number of Kitas.
func (c *Catalogue) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.idx.entries)
}

// Get returns a copy of the Kita with that id. It is a map lookup; the only
// allocations are the copies of the Kita's slices (hours, groups, days,
// languages), at most one each.
func (c *Catalogue) Get(id string) (Kita, bool) {
	k, ok := c.Peek(id) // the lists are never changed in place: copy them unlocked
	if !ok {
		return Kita{}, false
	}
	return k.clone(), true
}

// Peek returns the Kita with that id without copying its lists (hours,
// groups, pools, free places, opening days, languages): they are the
// catalogue's own and the caller only reads them, never changes, appends
// to or keeps them beyond the call that needed them. What Peek returned
// stays as it was: the catalogue never changes a list in place (an edit
// or a replacement brings new lists). For the many lookups of a
// validation; [Catalogue.Get] for anything else.
func (c *Catalogue) Peek(id string) (Kita, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	i, ok := c.idx.byID[id]
	if !ok {
		return Kita{}, false
	}
	return c.idx.entries[i].kita, true
}

// All returns copies of every Kita, ordered by id.
func (c *Catalogue) All() []Kita {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Kita, len(c.idx.entries))
	for i := range c.idx.entries {
		out[i] = c.idx.entries[i].kita.clone()
	}
	return out
}

// Replace validates the whole new set like [NewCatalogue] and then swaps it
// in at once: readers see either the old or the new catalogue, never a mix,
// and on any problem nothing changes.
func (c *Catalogue) Replace(kitas []Kita) error {
	idx, err := c.build(kitas)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.idx = idx
	c.mu.Unlock()
	return nil
}

// update runs fn on the Kita with that id under the write lock; fn returns
// the changed Kita or an error, which leaves the catalogue unchanged.
func (c *Catalogue) update(id string, fn func(k Kita) (Kita, error)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.idx.byID[id]
	if !ok {
		return ErrNotFound
	}
	k, err := fn(c.idx.entries[i].kita)
	if err != nil {
		return err
	}
	c.idx.entries[i].kita = k
	return nil
}

// UpdateProfile replaces the public profile a carrier publishes for a Kita.
// The profile is validated (inclusion places within the Kita's places, text
// lengths); problems come back as a [problem.List] with fields
// "profile.text" and so on. Unknown ids give [ErrNotFound].
func (c *Catalogue) UpdateProfile(id string, p PublicProfile) error {
	p.Languages = slices.Clone(p.Languages)
	return c.update(id, func(k Kita) (Kita, error) {
		var pc problem.Collector
		checkProfile(&pc, p, k.Capacity)
		if err := pc.Err(); err != nil {
			return k, err
		}
		k.Profile = p
		return k, nil
	})
}

// ReportFreePlaces records the places a carrier reports free at instant at
// (stored in UTC). Free places per band must not be negative and together
// not exceed the Kita's places (fields "free_places.u3", "free_places"); at
// must be set ("at"). Groups in free are ignored. A report older than the
// one held gives [ErrStaleReport] and changes nothing; unknown ids give
// [ErrNotFound].
func (c *Catalogue) ReportFreePlaces(id string, free Capacity, at time.Time) error {
	free.Groups = nil
	return c.update(id, func(k Kita) (Kita, error) {
		var pc problem.Collector
		checkFree(&pc, "free_places", free, k.Capacity)
		if at.IsZero() {
			pc.Add("at", CodeReportTimeMissing, ErrMissing)
		}
		if err := pc.Err(); err != nil {
			return k, err
		}
		if at.Before(k.FreePlacesAt) {
			return k, ErrStaleReport
		}
		k.FreePlaces = free
		k.FreePlacesAt = at.UTC()
		return k, nil
	})
}

// SetClosed marks a Kita as taking no registrations (closed) or taking them
// again. Closed Kitas stay in the catalogue ([Catalogue.Get]) but are left
// out of searches unless asked for. Unknown ids give [ErrNotFound].
func (c *Catalogue) SetClosed(id string, closed bool) error {
	return c.update(id, func(k Kita) (Kita, error) {
		k.Closed = closed
		return k, nil
	})
}

// ChildAt asks for Kitas that take a child born on Birth on day On: the
// child's age in months is within the Kita's ages ([Kita.Takes]) and the Kita
// has places in the child's legal band ([BandOn]).
type ChildAt struct {
	Birth date.Date
	On    date.Date
}

// Paging limits of [Catalogue.Search].
const (
	// DefaultLimit is the page size when a query gives none.
	DefaultLimit = 20
	// MaxLimit is the largest page size.
	MaxLimit = 100
)

// Query selects and orders Kitas. Every set field narrows the result; the
// zero Query finds every open Kita in name order.
type Query struct {
	// District keeps Kitas of that district id (Stadtbezirk).
	District string
	// PostalCode keeps Kitas whose address has that postal code.
	PostalCode string
	// Carrier keeps Kitas whose Träger is of that kind.
	Carrier CarrierKind
	// Near orders by distance from this point (nearest first) and leaves out
	// Kitas without a location; RadiusKm > 0 keeps only those within it.
	Near     *geo.Point
	RadiusKm float64
	// Child keeps Kitas that take the child at that date.
	Child *ChildAt
	// Hours keeps Kitas that offer these weekly care hours.
	Hours Hours
	// WithFreePlaces keeps Kitas that report free places (in the child's
	// band when Child is set).
	WithFreePlaces bool
	// IncludeClosed includes Kitas that take no registrations now.
	IncludeClosed bool
	// Offset skips that many results; Limit is the page size (0:
	// DefaultLimit, at most MaxLimit).
	Offset, Limit int
}

// Validate reports a query that Search would answer with an empty page: a
// point out of range, a negative or non-finite radius or a radius without a
// point, negative hours, a negative offset, or a limit outside 0..MaxLimit.
func (q Query) Validate() error {
	var p problem.Collector
	if q.Near != nil && !q.Near.Valid() {
		p.Add("near", CodeQuery, ErrQuery)
	}
	if q.RadiusKm < 0 || math.IsNaN(q.RadiusKm) || math.IsInf(q.RadiusKm, 0) || (q.RadiusKm > 0 && q.Near == nil) {
		p.Add("radius_km", CodeQuery, ErrQuery)
	}
	if q.Carrier != 0 && !q.Carrier.Valid() {
		p.Add("carrier", CodeQuery, ErrQuery)
	}
	if q.Hours < 0 {
		p.Add("hours", CodeQuery, ErrQuery)
	}
	if q.Offset < 0 {
		p.Add("offset", CodeQuery, ErrQuery)
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		p.Add("limit", CodeQuery, ErrQuery, "max", strconv.Itoa(MaxLimit))
	}
	return p.Err()
}

// Hit is one search result: a copy of the Kita and, when the query has a
// point, its distance from it (otherwise 0).
type Hit struct {
	Kita       Kita
	DistanceKm float64
}

// Page is one page of search results. Total counts all matches, not only
// those on the page.
type Page struct {
	Items []Hit
	Total int
}

// Search returns the Kitas matching q, one page of them. With a point they
// are ordered by distance, then name, then id; otherwise by name (German
// collation), then id. The order is stable, so pages neither repeat nor skip
// a Kita while the catalogue is unchanged. A query that [Query.Validate]
// rejects finds nothing.
func (c *Catalogue) Search(q Query) Page {
	if q.Validate() != nil {
		return Page{}
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	return c.search(q, q.Offset, limit)
}

// Nearest returns the n open Kitas nearest to p, nearest first (ties by
// name, then id). Kitas without a location are left out; an invalid p or
// n < 1 gives none.
func (c *Catalogue) Nearest(p geo.Point, n int) []Hit {
	if n < 1 || !p.Valid() {
		return nil
	}
	return c.search(Query{Near: &p}, 0, n).Items
}

// hit is a match during a search: an entry position and its distance.
type hit struct {
	i    int32
	rank int32
	d    float64
}

var hitPool = sync.Pool{New: func() any { s := make([]hit, 0, 1024); return &s }}

func (c *Catalogue) search(q Query, offset, limit int) Page {
	m := newMatcher(q)
	c.mu.RLock()
	defer c.mu.RUnlock()
	idx := c.idx
	if q.Near == nil {
		// Name order is precomputed: walk it, count, copy out the page.
		var page Page
		for _, i := range idx.byName {
			if !m.match(&idx.entries[i].kita) {
				continue
			}
			if page.Total >= offset && page.Total < offset+limit {
				page.Items = append(page.Items, Hit{Kita: idx.entries[i].kita.clone()})
			}
			page.Total++
		}
		return page
	}
	bufp := hitPool.Get().(*[]hit)
	hits := (*bufp)[:0]
	box := newBox(*q.Near, q.RadiusKm)
	for i := range idx.entries {
		e := &idx.entries[i]
		if !e.hasLoc || !box.contains(e) || !m.match(&e.kita) {
			continue
		}
		d := box.distance(e)
		if q.RadiusKm > 0 && d > q.RadiusKm {
			continue
		}
		hits = append(hits, hit{i: int32(i), rank: e.rank, d: d})
	}
	page := Page{Total: len(hits)}
	if offset < len(hits) {
		end := min(len(hits), offset+limit)
		selectSmallest(hits, end)
		page.Items = make([]Hit, 0, end-offset)
		for _, h := range hits[offset:end] {
			page.Items = append(page.Items, Hit{Kita: idx.entries[h.i].kita.clone(), DistanceKm: h.d})
		}
	}
	*bufp = hits[:0]
	hitPool.Put(bufp)
	return page
}

func hitLess(a, b hit) int {
	if c := cmp.Compare(a.d, b.d); c != 0 {
		return c
	}
	return cmp.Compare(a.rank, b.rank)
}

// selectSmallest orders the k smallest hits at the front of hits. For a
// small k it keeps a max-heap of the k best (n log k); otherwise it sorts.
func selectSmallest(hits []hit, k int) {
	if k >= len(hits)/8 {
		slices.SortFunc(hits, hitLess)
		return
	}
	h := hits[:k]
	// Build a max-heap on h.
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
	for j := k; j < len(hits); j++ {
		if hitLess(hits[j], h[0]) < 0 {
			h[0], hits[j] = hits[j], h[0]
			siftDown(h, 0)
		}
	}
	slices.SortFunc(h, hitLess)
}

func siftDown(h []hit, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		big := l
		if r := l + 1; r < len(h) && hitLess(h[r], h[l]) > 0 {
			big = r
		}
		if hitLess(h[big], h[i]) <= 0 {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// matcher holds a query's filters with the child's age worked out once.
type matcher struct {
	q         Query
	ageMonths int
	band      Band
}

func newMatcher(q Query) matcher {
	m := matcher{q: q}
	if q.Child != nil {
		m.ageMonths = AgeOn(q.Child.Birth, q.Child.On).InMonths()
		m.band = BandOn(q.Child.Birth, q.Child.On)
	}
	return m
}

func (m *matcher) match(k *Kita) bool {
	q := &m.q
	switch {
	case k.Closed && !q.IncludeClosed,
		q.District != "" && k.District != q.District,
		q.PostalCode != "" && k.Address.PostalCode != q.PostalCode,
		q.Carrier != 0 && k.Carrier.Kind != q.Carrier,
		q.Hours != 0 && !k.Hours.Allows(q.Hours):
		return false
	}
	if q.Child != nil && (!k.Takes(m.ageMonths) || k.Capacity.Of(m.band) == 0) {
		return false
	}
	if q.WithFreePlaces {
		if q.Child != nil {
			return k.FreePlaces.Of(m.band) > 0
		}
		return k.FreePlaces.Total() > 0
	}
	return true
}

// box is a search centre with a latitude/longitude box around it that holds
// every point within the radius, so that most far Kitas are dropped without
// trigonometry.
type box struct {
	latRad, lonRad, cosLat float64
	bounded                bool
	minLat, maxLat         float64 // radians
	dLon                   float64 // radians; 0: no longitude bound
}

func newBox(p geo.Point, radiusKm float64) box {
	b := box{latRad: p.Lat * rad, lonRad: p.Lon * rad}
	b.cosLat = math.Cos(b.latRad)
	if radiusKm <= 0 {
		return b
	}
	b.bounded = true
	dLat := radiusKm / earthRadiusKm
	b.minLat, b.maxLat = b.latRad-dLat, b.latRad+dLat
	// The widest longitude span of the circle is at the latitude nearest a
	// pole; near the poles do not bound longitude at all.
	far := math.Max(math.Abs(b.minLat), math.Abs(b.maxLat))
	if far < math.Pi/2*0.99 {
		if s := math.Sin(dLat) / math.Cos(far); s < 1 {
			b.dLon = math.Asin(s) * 1.0001
		}
	}
	b.minLat -= 1e-9
	b.maxLat += 1e-9
	return b
}

// earthRadiusKm is the radius geo.DistanceKm uses.
const earthRadiusKm = 6371.0088

func (b *box) contains(e *entry) bool {
	if !b.bounded {
		return true
	}
	if e.latRad < b.minLat || e.latRad > b.maxLat {
		return false
	}
	if b.dLon == 0 {
		return true
	}
	dl := math.Abs(e.lonRad - b.lonRad)
	if dl > math.Pi {
		dl = 2*math.Pi - dl
	}
	return dl <= b.dLon
}

// distance is the haversine distance, as geo.DistanceKm, with the cosines
// precomputed.
func (b *box) distance(e *entry) float64 {
	sφ := math.Sin((e.latRad - b.latRad) / 2)
	sλ := math.Sin((e.lonRad - b.lonRad) / 2)
	a := sφ*sφ + b.cosLat*e.cosLat*sλ*sλ
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}
