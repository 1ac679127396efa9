package memory

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"unsafe"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// Dump returns every structure of the store as JSON text, for the
// conformance suite's search for personal data after an erasure.
func Dump(t *testing.T, s *Store) string {
	t.Helper()
	s.mu.RLock()
	defer s.mu.RUnlock()
	d := s.data
	all := map[string]any{
		"apps": apps(d.reg.apps), "by_key": d.reg.byKey, "by_child": byChild(d.reg.byChild), "families": families(d.reg.families), "seq": d.reg.seq,
		"places": placesList(d.reg.places), "audit": slices.Collect(d.reg.audit.all),
		"referrals": d.tp.referrals, "minders": d.tp.minders, "groups": d.tp.groups,
		"messages": rendered(&d.outbox), "messages_by_subject": bySubject(d), "kita_edits": d.cat.edits, "drafts": d.drafts.byID,
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	return string(b)
}

// rendered are the messages as they are read, with their texts; one
// that cannot be rendered shows what its Content holds instead, so that a
// search for personal data finds it too.
func rendered(o *outboxData) map[string]notify.Message {
	out := make(map[string]notify.Message, len(o.msgs))
	for id := range o.msgs {
		m := o.message(id)
		r, err := m.Rendered()
		if err != nil {
			r = m
			r.Body = fmt.Sprintf("%+v", *m.Content)
		}
		out[id] = r
	}
	return out
}

// KeptCompact reports whether the message id is kept in the compact form
// (storedMessage), not whole.
func KeptCompact(s *Store, id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, ok := s.data.outbox.msgs[id]
	return ok && m.full == nil
}

// StoredMessageSize is the size of a message's stored form.
const StoredMessageSize = unsafe.Sizeof(storedMessage{})

// StatusOf returns the stored status of the message id, without
// rendering it.
func StatusOf(s *Store, id string) (notify.Status, string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := s.data.outbox.message(id)
	return m.Status, m.LastError
}

func apps(m map[string]*appRecord) map[string]registration.Application {
	out := make(map[string]registration.Application, len(m))
	for id, rec := range m {
		out[id] = rec.a
	}
	return out
}

// bySubject is the index by subject as one map: the outbox's and the
// application records' lists.
func bySubject(d *data) map[string][]string {
	out := maps.Clone(d.outbox.bySubject)
	for id, rec := range d.reg.apps {
		if len(rec.msgs) > 0 {
			out[id] = rec.msgs
		}
	}
	return out
}

func families(m map[string]family) map[string][2][]string {
	out := make(map[string][2][]string, len(m))
	for k, f := range m {
		out[k] = [2][]string{f.apps.list(), f.msgs.list()}
	}
	return out
}

func byChild(m map[childYear]idList) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, ids := range m {
		out[k.key+"\x00"+k.year] = ids.list()
	}
	return out
}

func placesList(m map[registration.PlaceKey]registration.Places) []registration.Places {
	out := make([]registration.Places, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	return out
}
