package memory

import (
	"context"
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
}

// New returns an empty store.
func New() *Store {
	return &Store{data: newData()}
}

// tx is the write view of one atomic step. It records an undo action for
// every change so that a failing step leaves the store as it was.
type tx struct {
	d    *data
	undo []func()
}

// onUndo registers how to revert the latest change.
func (t *tx) onUndo(f func()) { t.undo = append(t.undo, f) }

func (t *tx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

// write runs fn under the write lock as one atomic step.
func (s *Store) write(ctx context.Context, fn func(t *tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &tx{d: s.data, undo: make([]func(), 0, undoSize)}
	defer func() {
		if r := recover(); r != nil {
			t.rollback()
			panic(r)
		}
		if err != nil {
			t.rollback()
		}
	}()
	if err := fn(t); err != nil {
		return err
	}
	return ctx.Err()
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
// with its messages and audit entries registers about twenty.
const undoSize = 32

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
