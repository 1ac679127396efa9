package tagespflege_test

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/kitaportal/kitaportal/tagespflege"
)

// fakeStore is a minimal in-memory [tagespflege.Store] for the package's
// own tests and examples (the domain package imports no adapter). Atomic
// steps hold the lock and restore a snapshot when they fail.
type fakeStore struct {
	mu   *sync.Mutex
	d    *fakeData
	inTx bool
}

type fakeData struct {
	referrals map[string]tagespflege.Referral
	minders   map[string]tagespflege.Minder
	groups    map[string]tagespflege.Group
}

func newFakeStore() *fakeStore {
	return &fakeStore{mu: &sync.Mutex{}, d: &fakeData{
		referrals: map[string]tagespflege.Referral{},
		minders:   map[string]tagespflege.Minder{},
		groups:    map[string]tagespflege.Group{},
	}}
}

func (f *fakeStore) lock() func() {
	if f.inTx {
		return func() {}
	}
	f.mu.Lock()
	return f.mu.Unlock
}

func cloneR(r tagespflege.Referral) tagespflege.Referral {
	return tagespflege.RehydrateReferral(r, r.State())
}

func cloneM(m tagespflege.Minder) tagespflege.Minder {
	m = tagespflege.RehydrateMinder(m, m.State())
	return m
}

func cloneG(g tagespflege.Group) tagespflege.Group {
	g = tagespflege.RehydrateGroup(g, g.State())
	return g
}

func create[T any](ctx context.Context, f *fakeStore, m map[string]T, id string, v T) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer f.lock()()
	if _, ok := m[id]; ok {
		return tagespflege.ErrExists
	}
	m[id] = v
	return nil
}

func get[T any](ctx context.Context, f *fakeStore, m map[string]T, id string, clone func(T) T) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	defer f.lock()()
	v, ok := m[id]
	if !ok {
		return zero, tagespflege.ErrNotFound
	}
	return clone(v), nil
}

func update[T any](ctx context.Context, f *fakeStore, m map[string]T, id string, v T, version func(T) int64, stored func(T, int64) T) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer f.lock()()
	old, ok := m[id]
	if !ok {
		return tagespflege.ErrNotFound
	}
	if version(old) != version(v) {
		return tagespflege.ErrConflict
	}
	m[id] = stored(v, version(v)+1)
	return nil
}

func window[T any](all []T, offset, limit int) []T {
	if offset >= len(all) {
		return nil
	}
	all = all[offset:]
	if limit > 0 && limit < len(all) {
		all = all[:limit]
	}
	return all
}

func (f *fakeStore) CreateReferral(ctx context.Context, r tagespflege.Referral) error {
	return create(ctx, f, f.d.referrals, r.ID, cloneR(r))
}

func (f *fakeStore) Referral(ctx context.Context, id string) (tagespflege.Referral, error) {
	return get(ctx, f, f.d.referrals, id, cloneR)
}

func (f *fakeStore) UpdateReferral(ctx context.Context, r tagespflege.Referral) error {
	return update(ctx, f, f.d.referrals, r.ID, cloneR(r), tagespflege.Referral.Version, tagespflege.Referral.AtVersion)
}

func (f *fakeStore) Referrals(ctx context.Context, district string, offset, limit int) ([]tagespflege.Referral, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer f.lock()()
	var all []tagespflege.Referral
	for _, r := range f.d.referrals {
		if district == "" || r.District == district {
			all = append(all, cloneR(r))
		}
	}
	slices.SortFunc(all, func(a, b tagespflege.Referral) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return window(all, offset, limit), nil
}

func (f *fakeStore) CreateMinder(ctx context.Context, m tagespflege.Minder) error {
	return create(ctx, f, f.d.minders, m.ID, cloneM(m))
}

func (f *fakeStore) Minder(ctx context.Context, id string) (tagespflege.Minder, error) {
	return get(ctx, f, f.d.minders, id, cloneM)
}

func (f *fakeStore) UpdateMinder(ctx context.Context, m tagespflege.Minder) error {
	return update(ctx, f, f.d.minders, m.ID, cloneM(m), tagespflege.Minder.Version, tagespflege.Minder.AtVersion)
}

func (f *fakeStore) Minders(ctx context.Context, district string, offset, limit int) ([]tagespflege.Minder, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer f.lock()()
	var all []tagespflege.Minder
	for _, m := range f.d.minders {
		if district == "" || m.District == district {
			all = append(all, cloneM(m))
		}
	}
	slices.SortFunc(all, func(a, b tagespflege.Minder) int { return strings.Compare(a.ID, b.ID) })
	return window(all, offset, limit), nil
}

func (f *fakeStore) CreateGroup(ctx context.Context, g tagespflege.Group) error {
	return create(ctx, f, f.d.groups, g.ID, cloneG(g))
}

func (f *fakeStore) Group(ctx context.Context, id string) (tagespflege.Group, error) {
	return get(ctx, f, f.d.groups, id, cloneG)
}

func (f *fakeStore) UpdateGroup(ctx context.Context, g tagespflege.Group) error {
	return update(ctx, f, f.d.groups, g.ID, cloneG(g), tagespflege.Group.Version, tagespflege.Group.AtVersion)
}

func (f *fakeStore) Atomic(ctx context.Context, fn func(tx tagespflege.Store) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.inTx {
		return fn(f)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	snap := fakeData{maps.Clone(f.d.referrals), maps.Clone(f.d.minders), maps.Clone(f.d.groups)}
	err := fn(&fakeStore{mu: f.mu, d: f.d, inTx: true})
	if err != nil {
		*f.d = snap
	}
	return err
}
