package memory

import (
	"context"
	"errors"
	"sync"
)

// Store is the in-memory adapter for every store port of kitaportal. It is
// a real implementation, safe for concurrent use: values are copied in and
// out behind a mutex, every write checks a version, and Atomic runs a group
// of writes all or nothing. Its data lives as long as the process.
//
// The ports are reached through views: [Store.Registrations],
// [Store.Tagespflege], [Store.Outbox] and the others, each implementing the
// interface its domain package declares.
type Store struct {
	mu   sync.RWMutex
	data *data
	step tx // the running step, under mu
}

// New returns an empty store whose indexes grow as it fills.
func New() *Store { return newStore(0) }

// MaxApplications is the largest number of applications [NewSized] sizes
// a store for: more than all of North Rhine-Westphalia brings in a year.
const MaxApplications = 4 << 20

// ErrSize is returned by [NewSized] for a number of applications below
// zero or above [MaxApplications].
var ErrSize = errors.New("memory: the expected number of applications is out of range")

// NewSized returns an empty store made for the number of applications a
// year is expected to bring (Bochum: about 36,000): the applications,
// their indexes, the messages, the pending claims and the audit trail
// start with room for that many, so that they do not grow, entry by entry
// and table by table, during the registration weeks. Beyond it the store
// grows as [New]'s does; 0 is New. The room is memory taken at once
// (about 600 bytes per expected application).
func NewSized(applications int) (*Store, error) {
	if applications < 0 || applications > MaxApplications {
		return nil, ErrSize
	}
	return newStore(applications), nil
}

func newStore(applications int) *Store {
	return &Store{data: newData(applications), step: tx{undo: make([]undo, 0, undoSize)}}
}

// tx is the write view of one atomic step. It records an undo action for
// every change so that a failing step leaves the store as it was.
type tx struct {
	d    *data
	undo []undo
}

// undo is how to revert one change: a function for any change, or,
// without one, the common changes of a step that need no function (and so
// no allocation): a new key dropped again, an index list (in a map or a
// family's entry) cut back to its old length, the latest audit entry
// removed, a sequence set back to its old value (seq).
type undo struct {
	f    func()
	drop dropper
	list lists
	cut  *[]string
	k    string
	ck   childYear
	n    int64
	seq  bool
}

// lists is an index whose entries are lists of ids, as the undo log cuts
// the entry of an undo (k or ck) back to its old length n; an entry cut to
// none is deleted.
type lists interface{ cut(u undo) }

// strLists is an index by string key (k).
type strLists map[string][]string

func (m strLists) cut(u undo) { cutEntry(m, u.k, u.n) }

// childLists is the index by child and Kita year (ck).
type childLists map[childYear]idList

func (m childLists) cut(u undo) {
	if u.n == 0 {
		delete(m, u.ck)
		return
	}
	m[u.ck] = m[u.ck].cut(int(u.n))
}

func cutEntry[K comparable](m map[K][]string, k K, n int64) {
	if n == 0 {
		delete(m, k)
		return
	}
	m[k] = m[k][:n]
}

// dropper deletes a key from a map by string key.
type dropper interface{ drop(k string) }

// strMap is a map by string key as the undo log drops new keys from it.
type strMap[V any] map[string]V

func (m strMap[V]) drop(k string) { delete(m, k) }

// onUndo registers how to revert the latest change.
func (t *tx) onUndo(f func()) { t.undo = append(t.undo, undo{f: f}) }

// run reverts one change.
func (t *tx) run(u undo) {
	switch {
	case u.f != nil:
		u.f()
	case u.drop != nil:
		u.drop.drop(u.k)
	case u.seq:
		t.d.reg.seq[u.k] = u.n
	case u.cut != nil:
		*u.cut = (*u.cut)[:u.n]
	case u.list != nil:
		u.list.cut(u)
	default:
		t.d.reg.audit.pop()
	}
}

func (t *tx) rollback() { t.rollbackTo(0) }

// rollbackTo undoes the changes registered after the first mark ones.
func (t *tx) rollbackTo(mark int) {
	for i := len(t.undo) - 1; i >= mark; i-- {
		t.run(t.undo[i])
	}
	clear(t.undo[mark:])
	t.undo = t.undo[:mark]
}

// write runs fn under the write lock as one atomic step. The step's undo
// log is the store's own, kept between steps (they never overlap).
func (s *Store) write(ctx context.Context, fn func(t *tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.step
	t.d = s.data
	defer func() {
		r := recover()
		if r != nil || err != nil {
			t.rollback()
		}
		t.reset()
		if r != nil {
			panic(r)
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	return ctx.Err()
}

// reset empties the undo log for the next step; a log grown by a large
// step (a round's publication) is let go.
func (t *tx) reset() {
	if cap(t.undo) > maxUndoKept {
		t.undo = make([]undo, 0, undoSize)
		return
	}
	clear(t.undo)
	t.undo = t.undo[:0]
}

// read runs fn under the read lock.
func (s *Store) read(ctx context.Context, fn func(d *data) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(s.data)
}

// undoSize is the room for undo actions a step starts with: a submission
// with its messages and audit entries registers about twenty. A log grown
// beyond maxUndoKept is not kept for the next step.
const (
	undoSize    = 32
	maxUndoKept = 4096
)

// setStr stores v under k in m and registers the undo; a new key's undo
// is a drop without a function.
func setStr[V any](t *tx, m map[string]V, k string, v V) {
	if _, had := m[k]; !had {
		putNew(t, m, k, v)
		return
	}
	old := m[k]
	m[k] = v
	t.onUndo(func() { m[k] = old })
}

// putNew stores v under k, a key the caller has found missing in m, and
// registers the undo: a drop without a function. It saves setStr's look-up
// where the caller has just made its own.
func putNew[V any](t *tx, m map[string]V, k string, v V) {
	m[k] = v
	t.undo = append(t.undo, undo{drop: strMap[V](m), k: k})
}

// setKey stores v under k in m and registers the undo. A new key's undo
// holds no old value.
func setKey[K comparable, V any](t *tx, m map[K]V, k K, v V) {
	if _, had := m[k]; !had {
		m[k] = v
		t.onUndo(func() { delete(m, k) })
		return
	}
	old := m[k]
	m[k] = v
	t.onUndo(func() { m[k] = old })
}

// deleteKey removes k from m and registers the undo.
func deleteKey[K comparable, V any](t *tx, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	delete(m, k)
	t.onUndo(func() { m[k] = old })
}
