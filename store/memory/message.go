package memory

import (
	"math"
	"time"

	"github.com/kitaportal/kitaportal/notify"
)

// storedMessage is a message as the outbox keeps it, under its id. A
// message as it is enqueued (Pending, untried, unclaimed, its texts in its
// Content) is kept in a compact form: its strings, its Content, and its
// two times as instants with the index of their locations (no location
// pointers, no empty fields), 128 bytes, so that the map holds it in its
// own slots rather than in an object of its own, and the garbage
// collector marks 7 pointers instead of 17. Any other message (sent,
// claimed, failed, written without Content, or with times the instants
// cannot give back as they were) is kept whole in full. subject and
// familyID are set in both forms, for the indexes.
type storedMessage struct {
	subject, familyID, to, toName, lang string
	content                             *notify.Content
	full                                *notify.Message
	created, next                       int64 // seconds since 1970
	createdNsec, nextNsec               int32
	createdLoc, nextLoc                 uint16
	kind                                uint8
}

// keep returns the stored form of m, listing the locations of its times
// in locs.
func keep(m notify.Message, locs *locTable) storedMessage {
	s := storedMessage{subject: m.Subject, familyID: m.FamilyID}
	if !compact(m) || m.Kind < 0 || m.Kind > math.MaxUint8 {
		s.full = whole(m)
		return s
	}
	created, cl, ok := instantIn(m.CreatedAt, locs)
	next, nl, ok2 := instantIn(m.NextAttempt, locs)
	if !ok || !ok2 {
		s.full = whole(m)
		return s
	}
	s.to, s.toName, s.lang, s.content = m.To, m.ToName, m.Lang, m.Content
	s.created, s.createdNsec, s.createdLoc = created.sec, created.nsec, cl
	s.next, s.nextNsec, s.nextLoc = next.sec, next.nsec, nl
	s.kind = uint8(m.Kind)
	return s
}

// whole returns a copy of m of its own; it is what allocates, only where
// a message is kept whole.
func whole(m notify.Message) *notify.Message { return &m }

// compact reports whether m's fields beyond those of the compact form are
// as the compact form gives them back: a message as it is enqueued with
// its Content.
func compact(m notify.Message) bool {
	return m.Content != nil && m.Title == "" && m.Body == "" && m.Status == notify.Pending &&
		m.Attempts == 0 && m.ClaimToken == "" && m.LastError == "" &&
		m.ClaimedUntil == (time.Time{}) && m.SentAt == (time.Time{})
}

// instantIn returns t as an instant and the index of its location in
// locs, and whether they give t back as it is (not so for a time with a
// monotonic clock reading, or beyond the table's 65,536 locations).
func instantIn(t time.Time, locs *locTable) (instant, uint16, bool) {
	i := locs.index(t.Location())
	if i > math.MaxUint16 {
		return instant{}, 0, false
	}
	a := instantOf(t)
	return a, uint16(i), locs.time(a, i) == t
}

// message returns the message id as it was stored (not rendered).
func (s *storedMessage) message(id string, locs *locTable) notify.Message {
	if s.full != nil {
		return *s.full
	}
	return notify.Message{
		ID: id, Kind: notify.Kind(s.kind), Subject: s.subject, FamilyID: s.familyID,
		To: s.to, ToName: s.toName, Lang: s.lang, Content: s.content, Status: notify.Pending,
		CreatedAt:   locs.time(instant{sec: s.created, nsec: s.createdNsec}, uint32(s.createdLoc)),
		NextAttempt: locs.time(instant{sec: s.next, nsec: s.nextNsec}, uint32(s.nextLoc)),
	}
}
