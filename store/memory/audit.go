package memory

import (
	"time"

	"github.com/kitaportal/kitaportal/registration"
)

// auditLog is the audit trail in order of entry, kept without pointers for
// the garbage collector, which would otherwise mark six of them (the time's
// location and five strings) in each of a year's entries: an entry is a
// fixed-size record (auditRec) in chunks of auditChunk records, its strings
// are bytes in a text chunk shared by many entries, its time an instant
// with the index of its location in locs. Appending never copies the
// entries before; reading decodes an entry (entry), and a query compares
// the stored bytes before it decodes (matching).
type auditLog struct {
	recs [][]auditRec
	text [][]byte
	locs locTable
	n    int
}

// locTable lists the locations of the times a part of the store keeps as
// instants, so that a time keeps the index of its location (a number, not
// a pointer). A location, once listed, stays listed.
type locTable struct {
	locs []*time.Location
	// locOf indexes locs; last is the index of the latest location used,
	// which nearly every time shares (the clock's).
	locOf map[*time.Location]uint32
	last  uint32
}

// The strings of an entry, in the order they are kept in its text.
const (
	auditActor = iota
	auditAction
	auditApplication
	auditFamily
	auditReason
	auditFields
)

// auditRec is one entry of the trail: its time (at, in the location
// locs[loc]) and where its strings are: in the text chunk chunk, from off,
// each ending at ends[field]. Its Seq is its place in the trail.
type auditRec struct {
	at    instant
	loc   uint32
	chunk uint32
	off   uint32
	ends  [auditFields]uint32
}

// auditChunk is the number of records of a chunk; textChunk the room of a
// text chunk (an entry's text longer than that has a chunk of its own);
// auditText the text an entry usually brings (two ids, an actor, an
// action and a reason), for sizing.
const (
	auditChunk = 1024
	textChunk  = 64 << 10
	auditText  = 128
)

// newAuditLog returns an empty trail with room for the chunk lists of n
// entries.
func newAuditLog(n int) auditLog {
	return auditLog{
		recs: make([][]auditRec, 0, n/auditChunk+1),
		text: make([][]byte, 0, n*auditText/textChunk+1),
	}
}

// append adds e as the latest entry; its Seq is its place in the trail.
func (l *auditLog) append(e registration.AuditEntry) {
	if l.n%auditChunk == 0 {
		l.recs = append(l.recs, make([]auditRec, 0, auditChunk))
	}
	fields := [auditFields]string{e.Actor, e.Action, e.ApplicationID, e.FamilyID, e.Reason}
	size := 0
	for _, f := range fields {
		size += len(f)
	}
	if len(l.text) == 0 || cap(l.text[len(l.text)-1])-len(l.text[len(l.text)-1]) < size {
		l.text = append(l.text, make([]byte, 0, max(textChunk, size)))
	}
	c := len(l.text) - 1
	buf := l.text[c]
	r := auditRec{at: instantOf(e.At), loc: l.locs.index(e.At.Location()), chunk: uint32(c), off: uint32(len(buf))}
	for i, f := range fields {
		buf = append(buf, f...)
		r.ends[i] = uint32(len(buf))
	}
	l.text[c] = buf
	last := &l.recs[len(l.recs)-1]
	*last = append(*last, r)
	l.n++
}

// index returns the index of loc in the table, adding it when it is new.
func (l *locTable) index(loc *time.Location) uint32 {
	if int(l.last) < len(l.locs) && l.locs[l.last] == loc {
		return l.last
	}
	i, ok := l.locOf[loc]
	if !ok {
		if l.locOf == nil {
			l.locOf = map[*time.Location]uint32{}
		}
		i = uint32(len(l.locs))
		l.locs = append(l.locs, loc)
		l.locOf[loc] = i
	}
	l.last = i
	return i
}

// time returns the time of instant a in the location of index loc.
func (l *locTable) time(a instant, loc uint32) time.Time {
	return time.Unix(a.sec, int64(a.nsec)).In(l.locs[loc])
}

// pop removes the latest entry and its text. A text chunk left empty stays
// for the next entry; a location stays listed.
func (l *auditLog) pop() {
	last := &l.recs[len(l.recs)-1]
	r := (*last)[len(*last)-1]
	*last = (*last)[:len(*last)-1]
	if len(*last) == 0 {
		l.recs = l.recs[:len(l.recs)-1]
	}
	l.text[r.chunk] = l.text[r.chunk][:r.off]
	l.n--
}

// rec returns the record of the entry i (0 the first).
func (l *auditLog) rec(i int) *auditRec { return &l.recs[i/auditChunk][i%auditChunk] }

// field returns the stored bytes of one string of r (read them, never
// keep or change them).
func (l *auditLog) field(r *auditRec, f int) []byte {
	start := r.off
	if f > 0 {
		start = r.ends[f-1]
	}
	return l.text[r.chunk][start:r.ends[f]]
}

// entry decodes the entry i: its strings share one allocation.
func (l *auditLog) entry(i int) registration.AuditEntry {
	r := l.rec(i)
	text := string(l.text[r.chunk][r.off:r.ends[auditFields-1]])
	var f [auditFields]string
	start := 0
	for k, end := range r.ends {
		e := int(end - r.off)
		f[k] = text[start:e]
		start = e
	}
	return registration.AuditEntry{
		Seq:           int64(i) + 1,
		At:            l.locs.time(r.at, r.loc),
		Actor:         f[auditActor],
		Action:        f[auditAction],
		ApplicationID: f[auditApplication],
		FamilyID:      f[auditFamily],
		Reason:        f[auditReason],
	}
}

// all yields every entry in order of entry.
func (l *auditLog) all(yield func(registration.AuditEntry) bool) {
	for i := range l.n {
		if !yield(l.entry(i)) {
			return
		}
	}
}

// matching returns the entries q selects (its empty fields select all),
// in order of entry; only those are decoded.
func (l *auditLog) matching(q registration.AuditQuery) []registration.AuditEntry {
	var out []registration.AuditEntry
	for i := range l.n {
		r := l.rec(i)
		if selects(q.ApplicationID, l.field(r, auditApplication)) &&
			selects(q.FamilyID, l.field(r, auditFamily)) &&
			selects(q.Actor, l.field(r, auditActor)) {
			out = append(out, l.entry(i))
		}
	}
	return out
}

// selects reports whether a query's field want ("": any) selects the
// stored bytes b.
func selects(want string, b []byte) bool { return want == "" || want == string(b) }
