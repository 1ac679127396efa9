package memory

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
)

// outboxData is the outbox part of the store: every message by id, in
// its stored form (storedMessage: compact as enqueued, else whole).
// notify.Message holds only values (its Content is never changed), so a
// struct copy is a deep copy. A message is kept as it was enqueued, with
// its Content where it has one, and rendered on every read (read).
//
// bySubject indexes the messages of a subject that is not a stored
// application (an application's are listed in its record, appRecord; the
// messages of a family in the family's entry of the registrations,
// regData.families),
// and pending holds the claim times of the messages still pending, so
// that reading a family's messages or claiming the due ones does not scan
// every message of the year. Every change goes through putMessage and
// dropMessage, which keep the indexes and their undo.
type outboxData struct {
	msgs      map[string]storedMessage
	bySubject map[string][]string
	pending   map[string]claimTimes
	// locs are the locations of the messages' times (storedMessage).
	locs locTable
}

// claimTimes are what a claim needs to know of a pending message: its
// times as instants, which hold no pointer (a time.Time holds its
// location), so that the garbage collector has only the key to mark in a
// pending entry.
type claimTimes struct {
	created, next, claimedUntil instant
}

// instant is a point in time without its location: seconds and
// nanoseconds since 1970 (time.Time.Unix, Nanosecond), ordered as
// time.Time.Compare orders the times they were made from.
type instant struct {
	sec  int64
	nsec int32
}

func instantOf(t time.Time) instant { return instant{sec: t.Unix(), nsec: int32(t.Nanosecond())} }

func (a instant) compare(b instant) int {
	return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.nsec, b.nsec))
}

// after reports whether a is later than b.
func (a instant) after(b instant) bool { return a.compare(b) > 0 }

// newOutboxData returns an empty outbox with room for the confirmations
// of n applications, each pending until the dispatcher sends it.
func newOutboxData(n int) outboxData {
	return outboxData{
		msgs:      make(map[string]storedMessage, n),
		bySubject: make(map[string][]string, n),
		pending:   make(map[string]claimTimes, n),
	}
}

// putMessage stores m within the atomic step t and updates the indexes.
func (t *tx) putMessage(m notify.Message) {
	old, had := t.d.outbox.msgs[m.ID]
	t.storeMessage(m, old, had)
}

// storeMessage is putMessage for a caller that has looked up the message
// stored under m's id: old, if it had one.
func (t *tx) storeMessage(m notify.Message, old storedMessage, had bool) {
	o := &t.d.outbox
	s := keep(m, &o.locs)
	if had {
		setStr(t, o.msgs, m.ID, s)
	} else {
		putNew(t, o.msgs, m.ID, s)
	}
	if !had || old.familyID != m.FamilyID {
		if had && old.familyID != "" {
			t.indexFamily(old.familyID, m.ID, true, false)
		}
		if m.FamilyID != "" {
			t.indexFamily(m.FamilyID, m.ID, true, true)
		}
	}
	if !had || old.subject != m.Subject {
		if had {
			t.indexSubject(old.subject, m.ID, false)
		}
		t.indexSubject(m.Subject, m.ID, true)
	}
	times := claimTimes{created: instantOf(m.CreatedAt), next: instantOf(m.NextAttempt), claimedUntil: instantOf(m.ClaimedUntil)}
	switch {
	case m.Status == notify.Pending && !had: // only stored messages are pending
		putNew(t, o.pending, m.ID, times)
	case m.Status == notify.Pending:
		setStr(t, o.pending, m.ID, times)
	default:
		deleteKey(t, o.pending, m.ID)
	}
}

// dropMessage deletes the message id within the atomic step t and
// updates the indexes.
func (t *tx) dropMessage(id string) {
	o := &t.d.outbox
	old, had := o.msgs[id]
	if !had {
		return
	}
	deleteKey(t, o.msgs, id)
	if old.familyID != "" {
		t.indexFamily(old.familyID, id, true, false)
	}
	t.indexSubject(old.subject, id, false)
	deleteKey(t, o.pending, id)
}

// messagesIn returns rendered copies of the messages whose ids set
// holds, oldest first.
func (o *outboxData) messagesIn(ids []string) ([]notify.Message, error) {
	out := make([]notify.Message, 0, len(ids))
	for _, id := range ids {
		m, err := read(o.message(id))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, byAge)
	return out, nil
}

// message returns the stored message id as it was stored (not rendered;
// the zero message when there is none).
func (o *outboxData) message(id string) notify.Message {
	s, ok := o.msgs[id]
	if !ok {
		return notify.Message{}
	}
	return s.message(id, &o.locs)
}

// read is a stored message as the store hands it out: rendered from its
// Content where it has one (notify.Message.Rendered). Rendering fails
// only where a city's template needs more than the render budget; the
// read then fails with the template's problems.
func read(m notify.Message) (notify.Message, error) { return m.Rendered() }

// enqueue stores copies of msgs within the atomic step t. Each message must
// pass notify.Message.ValidateNew (valid, Pending, untried) and have an id that is neither
// stored already nor repeated in msgs (notify.ErrExists). The first problem
// fails the whole step, so the caller's other writes are undone too.
func (t *tx) enqueue(msgs ...notify.Message) error {
	for _, m := range msgs {
		if err := m.ValidateNew(); err != nil {
			return err
		}
		if _, ok := t.d.outbox.msgs[m.ID]; ok {
			return notify.ErrExists
		}
		t.storeMessage(m, storedMessage{}, false)
	}
	return nil
}

// Outbox returns the view of s that implements notify.Outbox.
func (s *Store) Outbox() notify.Outbox { return outbox{s} }

type outbox struct{ s *Store }

var _ notify.Outbox = outbox{}

// Enqueue stores msgs in one atomic step of their own; services enqueue
// inside their own atomic step instead, through tx.enqueue.
func (o outbox) Enqueue(ctx context.Context, msgs ...notify.Message) error {
	return o.s.write(ctx, func(t *tx) error { return t.enqueue(msgs...) })
}

// Claim leases up to limit due messages to token, oldest first (by
// CreatedAt, then ID), rendered. A message whose Content cannot be
// rendered is not handed out: it is recorded Failed with
// notify.LastErrorTemplate, or, when its rendering ran out of time, left
// due for the next claim.
func (o outbox) Claim(ctx context.Context, token string, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	if token == "" || lease <= 0 {
		return nil, notify.ErrClaim
	}
	var out []notify.Message
	err := o.s.write(ctx, func(t *tx) error {
		if limit <= 0 {
			return nil
		}
		due := oldestDue(&t.d.outbox, now, limit)
		for _, m := range due {
			r, err := read(m)
			if err != nil {
				// A rendering that ran out of time stays due for the next
				// claim; one beyond the budget never renders: Failed.
				var l problem.List
				if errors.As(err, &l) && l.Has("", notify.CodeTemplateTimeout) {
					continue
				}
				m.Status, m.LastError = notify.Failed, notify.LastErrorTemplate
				t.putMessage(m)
				continue
			}
			m.ClaimedUntil, r.ClaimedUntil = now.Add(lease), now.Add(lease)
			m.ClaimToken, r.ClaimToken = token, token
			t.putMessage(m)
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Complete records the outcome fields of m (Status, Attempts, NextAttempt,
// SentAt, LastError) and ends the lease; the other fields of the stored
// message stay as they were.
func (o outbox) Complete(ctx context.Context, token string, m notify.Message) error {
	return o.s.write(ctx, func(t *tx) error {
		if _, ok := t.d.outbox.msgs[m.ID]; !ok {
			return notify.ErrNotFound
		}
		cur := t.d.outbox.message(m.ID)
		if token == "" || cur.ClaimToken != token || cur.Status != notify.Pending {
			return notify.ErrNotClaimed
		}
		if !m.Status.Valid() {
			return notify.ErrMessage
		}
		cur.Status = m.Status
		cur.Attempts = m.Attempts
		cur.NextAttempt = m.NextAttempt
		cur.SentAt = m.SentAt
		cur.LastError = m.LastError
		cur.ClaimedUntil = time.Time{}
		cur.ClaimToken = ""
		t.putMessage(cur)
		return nil
	})
}

// Message returns a rendered copy of the message id.
func (o outbox) Message(ctx context.Context, id string) (notify.Message, error) {
	var out notify.Message
	err := o.s.read(ctx, func(d *data) error {
		if _, ok := d.outbox.msgs[id]; !ok {
			return notify.ErrNotFound
		}
		var err error
		out, err = read(d.outbox.message(id))
		return err
	})
	return out, err
}

// Messages returns rendered copies of the messages about subjectID,
// oldest first.
func (o outbox) Messages(ctx context.Context, subjectID string) ([]notify.Message, error) {
	var out []notify.Message
	err := o.s.read(ctx, func(d *data) (err error) {
		out, err = d.outbox.messagesIn(d.subject(subjectID))
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// oldestDue returns the due messages of o, at most limit, oldest first
// (by CreatedAt, then ID). It keeps the limit oldest in a max-heap while it
// scans the pending messages, so that a claim costs the number of pending
// messages, not their sort.
func oldestDue(o *outboxData, now time.Time, limit int) []notify.Message {
	h := make(ageHeap, 0, min(limit, len(o.pending)))
	at := instantOf(now)
	for id, c := range o.pending {
		if c.next.after(at) || c.claimedUntil.after(at) {
			continue
		}
		r := ageRef{at: c.created, id: id}
		switch {
		case len(h) < limit:
			heap.Push(&h, r)
		case r.before(h[0]):
			h[0] = r
			heap.Fix(&h, 0)
		}
	}
	slices.SortFunc(h, ageRef.compare)
	out := make([]notify.Message, len(h))
	for i, r := range h {
		out[i] = o.message(r.id)
	}
	return out
}

// ageRef is a message's place in the order of claims.
type ageRef struct {
	at instant
	id string
}

func (a ageRef) compare(b ageRef) int { return cmp.Or(a.at.compare(b.at), cmp.Compare(a.id, b.id)) }

func (a ageRef) before(b ageRef) bool { return a.compare(b) < 0 }

// ageHeap is a max-heap of ageRefs: the youngest on top.
type ageHeap []ageRef

func (h ageHeap) Len() int           { return len(h) }
func (h ageHeap) Less(i, j int) bool { return h[j].before(h[i]) }
func (h ageHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *ageHeap) Push(x any)        { *h = append(*h, x.(ageRef)) }
func (h *ageHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func byAge(a, b notify.Message) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
