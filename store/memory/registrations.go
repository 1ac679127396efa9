package memory

import (
	"cmp"
	"context"
	"slices"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

type regData struct {
	apps  map[string]*appRecord
	byKey map[string]string // family \x00 idempotency key -> id
	// byChild and families index the applications of a child (child key
	// \x00 year) and of a family, so that the duplicate and review checks
	// of a submission and a family's list do not scan the whole year. The
	// rule "one active application per child, family and Kita year" is
	// checked on the child's list (activeOf). A family's entry also lists
	// the messages to it (the outbox's index by family).
	byChild  map[childYear]idList
	families map[string]family
	seq      map[string]int64
	places   map[registration.PlaceKey]registration.Places
	audit    auditLog
}

// appRecord is an application as the store keeps it, with the ids of the
// messages about it (whose Subject is its id) in the order they were
// added: the outbox's index by subject for the subjects that are stored
// applications (outboxData.bySubject holds the others), so that a
// submission's confirmation is indexed in the record its application has
// just been stored in, not in another map. The list is kept like the lists
// of index; it starts in first, so that a record with one message
// allocates nothing more.
type appRecord struct {
	a     registration.Application
	msgs  []string
	first [1]string
}

// newRecord returns the record of a, whose message list has room for one
// id.
func newRecord(a registration.Application) *appRecord {
	r := &appRecord{a: a}
	r.msgs = r.first[:0:1]
	return r
}

// newRegData returns empty registrations with room for n applications:
// each of a year's applications usually has its own child, and at a
// counter its own family; an idempotency key is sized for when every
// submission brings one (the API's).
func newRegData(n int) regData {
	return regData{
		apps:     make(map[string]*appRecord, n),
		byKey:    make(map[string]string, n),
		byChild:  make(map[childYear]idList, n),
		families: make(map[string]family, n),
		seq:      map[string]int64{},
		places:   map[registration.PlaceKey]registration.Places{},
		audit:    newAuditLog(n),
	}
}

// activeOf returns the id of the family's active application for a's
// child and Kita year other than a itself, if there is one: the rule "one
// active application per child, family and Kita year". A child's list
// holds its applications of one Kita year, usually one.
func (r *regData) activeOf(a registration.Application) (string, bool) {
	if a.ChildKey == "" {
		return "", false
	}
	return r.activeIn(r.child(a.ChildKey, a.Year), a)
}

// activeIn is activeOf on the child's entry ids.
func (r *regData) activeIn(ids idList, a registration.Application) (string, bool) {
	for id := range ids.all {
		if o := r.app(id); id != a.ID && o != nil && o.FamilyID == a.FamilyID && o.ChildKey == a.ChildKey && active(o.Status()) {
			return id, true
		}
	}
	return "", false
}

func active(s registration.Status) bool {
	return s != registration.Withdrawn && s != registration.Expired
}

// Registrations returns the view of the store that implements registration.Store.
func (s *Store) Registrations() registration.Store { return regView{s} }

type regView struct{ s *Store }

func (v regView) Atomic(ctx context.Context, fn func(tx registration.Tx) error) error {
	return v.s.write(ctx, func(t *tx) error { return fn(regTx{t}) })
}

func (v regView) Application(ctx context.Context, id string) (a registration.Application, err error) {
	err = v.s.read(ctx, func(d *data) error {
		a, err = d.reg.get(id)
		return err
	})
	return a, err
}

func (v regView) ApplicationByKey(ctx context.Context, familyID, key string) (a registration.Application, err error) {
	err = v.s.read(ctx, func(d *data) error {
		a, err = d.reg.byIdempotency(familyID, key)
		return err
	})
	return a, err
}

func (v regView) Applications(ctx context.Context, q registration.Query) (out []registration.Application, err error) {
	err = v.s.read(ctx, func(d *data) error {
		out = d.reg.list(q)
		return nil
	})
	return out, err
}

func (v regView) SetPlaces(ctx context.Context, places ...registration.Places) error {
	return v.s.write(ctx, func(t *tx) error {
		t.setPlaces(places)
		return nil
	})
}

// setPlaces sets the capacity of places in t and keeps what is taken.
func (t *tx) setPlaces(places []registration.Places) {
	for _, p := range places {
		p.Taken = t.d.reg.places[p.PlaceKey].Taken
		setKey(t, t.d.reg.places, p.PlaceKey, p)
	}
}

func (v regView) Places(ctx context.Context, year string) (out []registration.Places, err error) {
	err = v.s.read(ctx, func(d *data) error {
		for k, p := range d.reg.places {
			if k.Year == year {
				out = append(out, p)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b registration.Places) int {
		return cmp.Or(cmp.Compare(a.KitaID, b.KitaID), cmp.Compare(a.Band, b.Band), cmp.Compare(a.Hours, b.Hours), cmp.Compare(a.From, b.From))
	})
	return out, err
}

// app returns the stored application id (the store's own: read it, never
// keep or change it), nil when there is none.
func (r *regData) app(id string) *registration.Application {
	if rec := r.apps[id]; rec != nil {
		return &rec.a
	}
	return nil
}

func (r *regData) get(id string) (registration.Application, error) {
	a := r.app(id)
	if a == nil {
		return registration.Application{}, registration.ErrNotFound
	}
	return a.Clone(), nil
}

func (r *regData) byIdempotency(familyID, key string) (registration.Application, error) {
	id, ok := r.keyed(familyID, key)
	if !ok || key == "" {
		return registration.Application{}, registration.ErrNotFound
	}
	return r.get(id)
}

func (r *regData) list(q registration.Query) []registration.Application {
	var out []registration.Application
	if ids, ok := r.candidates(q); ok {
		for _, id := range ids {
			if a := r.app(id); a != nil && matches(*a, q) {
				out = append(out, *a)
			}
		}
	} else {
		for _, rec := range r.apps {
			if matches(rec.a, q) {
				out = append(out, rec.a)
			}
		}
	}
	slices.SortFunc(out, func(a, b registration.Application) int {
		return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), cmp.Compare(a.ID, b.ID))
	})
	out = page(out, q.Offset, q.Limit)
	for i := range out {
		out[i] = out[i].Clone()
	}
	return out
}

// candidates returns the ids an index holds for q, when q names a child
// or a family (the index's own list: read it, never keep or change it);
// every candidate is still checked by matches.
func (r *regData) candidates(q registration.Query) ([]string, bool) {
	switch {
	case q.ChildKey != "" && q.Year != "":
		return r.child(q.ChildKey, q.Year).list(), true
	case q.FamilyID != "":
		return r.families[q.FamilyID].list(false), true
	}
	return nil, false
}

// index adds id to the entry k of an index, or with add false removes it,
// and registers the undo. An entry is the list of its ids in the order
// they were added; an id is under one entry of an index at most, and is
// added only where it is not (a new application or message, or one that
// moved from another entry), so adding appends. A list is never changed
// in place below its length, so the undo restores the old one as it was.
// u is the undo of an append, naming m and k; index sets its length.
func index[K comparable](t *tx, m map[K][]string, k K, id string, add bool, u undo) {
	ids := m[k]
	if add {
		appendTo(t, m, k, ids, id, u)
		return
	}
	i := slices.Index(ids, id)
	switch {
	case i < 0:
	case len(ids) == 1:
		deleteKey(t, m, k)
	default:
		setKey(t, m, k, slices.Concat(ids[:i], ids[i+1:]))
	}
}

// appendTo adds id to the entry k of an index, whose list ids the caller
// has just looked up, and registers the undo u (naming m and k) with the
// old length.
func appendTo[K comparable](t *tx, m map[K][]string, k K, ids []string, id string, u undo) {
	m[k] = append(ids, id)
	u.n = int64(len(ids))
	t.undo = append(t.undo, u)
}

// family is the index entry of a family: its applications and the
// messages to it, each an idList, kept in the map itself (no object of
// its own), so that a family's first submission allocates nothing here.
type family struct{ apps, msgs idList }

// list returns the family's messages (msgs) or applications as a list of
// their own.
func (f family) list(msgs bool) []string {
	if msgs {
		return f.msgs.list()
	}
	return f.apps.list()
}

// ids returns the family's messages (msgs) or applications.
func (f *family) ids(msgs bool) *idList {
	if msgs {
		return &f.msgs
	}
	return &f.apps
}

// indexFamily adds id to the family's messages (msgs) or applications, or
// with add false removes it, and registers the undo: a new family's entry
// is dropped again, an added id cut off (familyApps, familyMsgs). A family whose
// lists are both empty has no entry.
func (t *tx) indexFamily(fam, id string, msgs, add bool) {
	m := t.d.reg.families
	f, had := m[fam]
	l := f.ids(msgs)
	switch {
	case add && !had:
		*l = l.with(id)
		putNew(t, m, fam, f)
	case add:
		n := l.n
		*l = l.with(id)
		m[fam] = f
		u := undo{list: familyApps(m), k: fam, n: int64(n)}
		if msgs {
			u.list = familyMsgs(m)
		}
		t.undo = append(t.undo, u)
	default:
		less, ok := l.without(id)
		if !ok {
			return
		}
		*l = less
		if f.apps.n == 0 && f.msgs.n == 0 {
			deleteKey(t, m, fam)
			return
		}
		setKey(t, m, fam, f)
	}
}

// familyApps and familyMsgs are the family index as the undo log cuts
// the applications or the messages of an entry (k) back to their old
// length n (a map type, so that the undo holds it without allocating).
type (
	familyApps map[string]family
	familyMsgs map[string]family
)

func (m familyApps) cut(u undo) { cutFamily(m, u, false) }

func (m familyMsgs) cut(u undo) { cutFamily(m, u, true) }

func cutFamily(m map[string]family, u undo, msgs bool) {
	f := m[u.k]
	l := f.ids(msgs)
	*l = l.cut(int(u.n))
	m[u.k] = f
}

// indexList adds id to the list l (a family's or an application record's),
// or with add false removes it, and registers the undo: an added id cut
// off without a function, a removal restoring the old list. It reports
// whether it removed id.
func (t *tx) indexList(l *[]string, id string, add bool) bool {
	if add {
		t.undo = append(t.undo, undo{cut: l, n: int64(len(*l))})
		*l = append(*l, id)
		return false
	}
	i := slices.Index(*l, id)
	if i < 0 {
		return false
	}
	old := *l
	*l = slices.Concat(old[:i], old[i+1:])
	t.onUndo(func() { *l = old })
	return true
}

// childYear is the key of the child index: a child key and a Kita year,
// the application's own strings (no key of its own to allocate).
type childYear struct{ key, year string }

func childIndexKey(a registration.Application) childYear { return childYear{a.ChildKey, a.Year} }

// indexChild adds a to the child index, or with add false removes it,
// like index; an application without a child key is not indexed.
func (t *tx) indexChild(a registration.Application, add bool) {
	if a.ChildKey == "" {
		return
	}
	m, k := t.d.reg.byChild, childIndexKey(a)
	ids := m[k]
	if add {
		t.appendChild(k, ids, a.ID)
		return
	}
	switch less, ok := ids.without(a.ID); {
	case !ok:
	case less.n == 0:
		deleteKey(t, m, k)
	default:
		setKey(t, m, k, less)
	}
}

// appendChild adds id to the child index's entry k, whose ids the caller
// has just looked up, and registers the undo with the old length.
func (t *tx) appendChild(k childYear, ids idList, id string) {
	m := t.d.reg.byChild
	m[k] = ids.with(id)
	t.undo = append(t.undo, undo{list: childLists(m), ck: k, n: int64(ids.n)})
}

// indexSubject adds the message id to its subject's list, or with add
// false removes it: in the subject's application record where the subject
// is a stored application (indexList), else in the outbox's index by
// subject (index).
func (t *tx) indexSubject(subject, id string, add bool) {
	if rec := t.d.reg.apps[subject]; rec != nil {
		t.indexList(&rec.msgs, id, add)
		return
	}
	m := t.d.outbox.bySubject
	index(t, m, subject, id, add, undo{list: strLists(m), k: subject})
}

// subject returns the ids of the messages about subject, oldest first
// (the store's own list: read it, never keep or change it).
func (d *data) subject(subject string) []string {
	if rec := d.reg.apps[subject]; rec != nil {
		return rec.msgs
	}
	return d.outbox.bySubject[subject]
}

// keyed returns the id of the family's application with an idempotency
// key, looked up from a buffer like child.
func (r *regData) keyed(familyID, key string) (string, bool) {
	var buf [320]byte
	k := append(append(append(buf[:0], familyID...), 0), key...)
	id, ok := r.byKey[string(k)]
	return id, ok
}

// child returns the ids the child index holds for a child key and a Kita
// year (the index's own entry: read it, never keep or change it).
func (r *regData) child(childKey, year string) idList {
	return r.byChild[childYear{childKey, year}]
}

func matches(a registration.Application, q registration.Query) bool {
	if q.FamilyID != "" && a.FamilyID != q.FamilyID {
		return false
	}
	if q.Year != "" && a.Year != q.Year {
		return false
	}
	if q.ChildKey != "" && a.ChildKey != q.ChildKey {
		return false
	}
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, a.Status()) {
		return false
	}
	if len(q.KitaIDs) > 0 {
		found := false
		for _, c := range a.Choices {
			if slices.Contains(q.KitaIDs, c.KitaID) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// page cuts a sorted slice to offset and limit (limit 0: all).
func page[T any](s []T, offset, limit int) []T {
	if offset < 0 {
		offset = 0
	}
	if offset >= len(s) {
		return nil
	}
	s = s[offset:]
	if limit > 0 && limit < len(s) {
		s = s[:limit]
	}
	return s
}

type regTx struct{ t *tx }

func (x regTx) Application(ctx context.Context, id string) (registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return registration.Application{}, err
	}
	return x.t.d.reg.get(id)
}

func (x regTx) ApplicationByKey(ctx context.Context, familyID, key string) (registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return registration.Application{}, err
	}
	return x.t.d.reg.byIdempotency(familyID, key)
}

func (x regTx) Applications(ctx context.Context, q registration.Query) ([]registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return x.t.d.reg.list(q), nil
}

func (x regTx) Insert(ctx context.Context, a registration.Application) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &x.t.d.reg
	if _, ok := r.apps[a.ID]; ok {
		return registration.ErrExists
	}
	if a.IdempotencyKey != "" {
		if _, ok := r.keyed(a.FamilyID, a.IdempotencyKey); ok {
			return registration.ErrDuplicate
		}
	}
	// The child's list is looked up once, for the rule and the index.
	ck := childIndexKey(a)
	var child idList
	if a.ChildKey != "" {
		child = r.byChild[ck]
		if _, ok := r.activeIn(child, a); ok && active(a.Status()) {
			return registration.ErrDuplicate
		}
	}
	if a.IdempotencyKey != "" {
		putNew(x.t, r.byKey, a.FamilyID+"\x00"+a.IdempotencyKey, a.ID)
	}
	if a.ChildKey != "" {
		x.t.appendChild(ck, child, a.ID)
	}
	x.t.indexFamily(a.FamilyID, a.ID, false, true)
	rec := newRecord(a.Clone().AtVersion(1))
	putNew(x.t, r.apps, a.ID, rec)
	// Messages about the application enqueued before it was stored move
	// into its record.
	if ids, ok := x.t.d.outbox.bySubject[a.ID]; ok {
		rec.msgs = ids
		deleteKey(x.t, x.t.d.outbox.bySubject, a.ID)
	}
	return nil
}

func (x regTx) Update(ctx context.Context, a registration.Application) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &x.t.d.reg
	rec := r.apps[a.ID]
	if rec == nil {
		return registration.ErrNotFound
	}
	old := &rec.a
	if old.Version() != a.Version() {
		return registration.ErrConflict
	}
	if _, ok := r.activeOf(a); ok && active(a.Status()) {
		return registration.ErrDuplicate
	}
	if old.IdempotencyKey != "" && a.IdempotencyKey == "" {
		deleteKey(x.t, r.byKey, old.FamilyID+"\x00"+old.IdempotencyKey)
	}
	if childIndexKey(*old) != childIndexKey(a) {
		x.t.indexChild(*old, false)
		x.t.indexChild(a, true)
	}
	if old.FamilyID != a.FamilyID {
		x.t.indexFamily(old.FamilyID, a.ID, false, false)
		x.t.indexFamily(a.FamilyID, a.ID, false, true)
	}
	prev := rec.a
	rec.a = a.Clone().AtVersion(old.Version() + 1)
	x.t.onUndo(func() { rec.a = prev })
	return nil
}

func (x regTx) NextSequence(ctx context.Context, name string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	seq := x.t.d.reg.seq
	old, had := seq[name]
	if !had {
		putNew(x.t, seq, name, 1)
		return 1, nil
	}
	seq[name] = old + 1
	x.t.undo = append(x.t.undo, undo{seq: true, k: name, n: old})
	return old + 1, nil
}

// SetPlaces sets the capacity of places within the step and keeps what is
// taken.
func (x regTx) SetPlaces(ctx context.Context, places ...registration.Places) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	x.t.setPlaces(places)
	return nil
}

func (x regTx) TakePlace(ctx context.Context, k registration.PlaceKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, ok := x.t.d.reg.places[k]
	if !ok || p.Taken >= p.Capacity {
		return registration.ErrNoPlace
	}
	p.Taken++
	setKey(x.t, x.t.d.reg.places, k, p)
	return nil
}

func (x regTx) ReleasePlace(ctx context.Context, k registration.PlaceKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, ok := x.t.d.reg.places[k]
	if !ok || p.Taken == 0 {
		return nil
	}
	p.Taken--
	setKey(x.t, x.t.d.reg.places, k, p)
	return nil
}

func (x regTx) CreateReferral(ctx context.Context, r tagespflege.Referral) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.createReferral(r)
}

func (x regTx) Referral(ctx context.Context, id string) (tagespflege.Referral, error) {
	return tpTx(x).Referral(ctx, id)
}

func (x regTx) UpdateReferral(ctx context.Context, r tagespflege.Referral) error {
	return tpTx(x).UpdateReferral(ctx, r)
}

func (x regTx) Enqueue(ctx context.Context, msgs ...notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.enqueue(msgs...)
}

func (v regView) AppendAudit(ctx context.Context, e registration.AuditEntry) error {
	return v.s.write(ctx, func(t *tx) error { return regTx{t}.AppendAudit(ctx, e) })
}

func (v regView) Audit(ctx context.Context, q registration.AuditQuery) (out []registration.AuditEntry, err error) {
	err = v.s.read(ctx, func(d *data) error {
		out = d.reg.audit.matching(q)
		slices.SortStableFunc(out, func(a, b registration.AuditEntry) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Seq, b.Seq))
		})
		out = slices.Clone(page(out, q.Offset, q.Limit))
		return nil
	})
	return out, err
}

func (v regView) FamilyMessages(ctx context.Context, familyID string) (out []notify.Message, err error) {
	err = v.s.read(ctx, func(d *data) (err error) {
		if familyID != "" {
			out, err = d.outbox.messagesIn(d.reg.families[familyID].list(true))
		}
		return err
	})
	return out, err
}

func (x regTx) AppendAudit(ctx context.Context, e registration.AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &x.t.d.reg
	e.Seq = int64(r.audit.n) + 1
	r.audit.append(e)
	x.t.undo = append(x.t.undo, undo{}) // the latest audit entry

	return nil
}

func (x regTx) EraseFamilyMessages(ctx context.Context, familyID string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if familyID == "" {
		return 0, nil
	}
	ids := x.t.d.reg.families[familyID].list(true) // a list of its own
	for _, id := range ids {
		x.t.dropMessage(id)
	}
	return len(ids), nil
}

func (x regTx) EraseSubjectMessages(ctx context.Context, subjectIDs ...string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, subject := range subjectIDs {
		if subject == "" {
			continue
		}
		ids := slices.Clone(x.t.d.subject(subject))
		for _, id := range ids {
			x.t.dropMessage(id)
		}
		n += len(ids)
	}
	return n, nil
}

// ApplicationsByID implements registration.BatchReader.
func (x regTx) ApplicationsByID(ctx context.Context, ids []string) ([]registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]registration.Application, 0, len(ids))
	for _, id := range ids {
		if a, err := x.t.d.reg.get(id); err == nil {
			out = append(out, a)
		}
	}
	return out, nil
}
