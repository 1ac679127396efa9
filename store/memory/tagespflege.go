package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/kitaportal/kitaportal/tagespflege"
)

// tpData is the tagespflege part of the store: referrals, minders and
// Großtagespflege groups by id. Values are stored as copies that no caller
// shares.
type tpData struct {
	referrals map[string]tagespflege.Referral
	minders   map[string]tagespflege.Minder
	groups    map[string]tagespflege.Group
}

func newTPData() tpData {
	return tpData{
		referrals: map[string]tagespflege.Referral{},
		minders:   map[string]tagespflege.Minder{},
		groups:    map[string]tagespflege.Group{},
	}
}

// The copy helpers give every value its own slices, so that neither the
// caller nor the store can change the other's data.

func cloneReferral(r tagespflege.Referral) tagespflege.Referral {
	return tagespflege.RehydrateReferral(r, r.State())
}

func cloneMinder(m tagespflege.Minder) tagespflege.Minder {
	return tagespflege.RehydrateMinder(m, m.State())
}

func cloneGroup(g tagespflege.Group) tagespflege.Group {
	return tagespflege.RehydrateGroup(g, g.State())
}

// tpPage returns the window [offset, offset+limit) of items (limit 0: to the end).
func tpPage[T any](items []T, offset, limit int) []T {
	if offset < 0 {
		offset = 0
	}
	if offset >= len(items) {
		return []T{}
	}
	items = items[offset:]
	if limit > 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}

// createReferral stores a new referral; the registration adapter calls it
// inside the application's atomic step. ErrExists on a taken id.
func (t *tx) createReferral(r tagespflege.Referral) error {
	if _, ok := t.d.tp.referrals[r.ID]; ok {
		return tagespflege.ErrExists
	}
	setKey(t, t.d.tp.referrals, r.ID, cloneReferral(r))
	return nil
}

func (t *tx) updateReferral(r tagespflege.Referral) error {
	old, ok := t.d.tp.referrals[r.ID]
	if !ok {
		return tagespflege.ErrNotFound
	}
	if old.Version() != r.Version() {
		return tagespflege.ErrConflict
	}
	r = cloneReferral(r).AtVersion(r.Version() + 1)
	setKey(t, t.d.tp.referrals, r.ID, r)
	return nil
}

func (t *tx) createMinder(m tagespflege.Minder) error {
	if _, ok := t.d.tp.minders[m.ID]; ok {
		return tagespflege.ErrExists
	}
	setKey(t, t.d.tp.minders, m.ID, cloneMinder(m))
	return nil
}

func (t *tx) updateMinder(m tagespflege.Minder) error {
	old, ok := t.d.tp.minders[m.ID]
	if !ok {
		return tagespflege.ErrNotFound
	}
	if old.Version() != m.Version() {
		return tagespflege.ErrConflict
	}
	m = cloneMinder(m).AtVersion(m.Version() + 1)
	setKey(t, t.d.tp.minders, m.ID, m)
	return nil
}

func (t *tx) createTPGroup(g tagespflege.Group) error {
	if _, ok := t.d.tp.groups[g.ID]; ok {
		return tagespflege.ErrExists
	}
	setKey(t, t.d.tp.groups, g.ID, cloneGroup(g))
	return nil
}

func (t *tx) updateTPGroup(g tagespflege.Group) error {
	old, ok := t.d.tp.groups[g.ID]
	if !ok {
		return tagespflege.ErrNotFound
	}
	if old.Version() != g.Version() {
		return tagespflege.ErrConflict
	}
	g = cloneGroup(g).AtVersion(g.Version() + 1)
	setKey(t, t.d.tp.groups, g.ID, g)
	return nil
}

func (tp *tpData) referral(id string) (tagespflege.Referral, error) {
	r, ok := tp.referrals[id]
	if !ok {
		return tagespflege.Referral{}, tagespflege.ErrNotFound
	}
	return cloneReferral(r), nil
}

func (tp *tpData) listReferrals(district string, offset, limit int) []tagespflege.Referral {
	var all []tagespflege.Referral
	for _, r := range tp.referrals {
		if district == "" || r.District == district {
			all = append(all, r)
		}
	}
	slices.SortFunc(all, func(a, b tagespflege.Referral) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := tpPage(all, offset, limit)
	for i := range out {
		out[i] = cloneReferral(out[i])
	}
	return out
}

func (tp *tpData) minder(id string) (tagespflege.Minder, error) {
	m, ok := tp.minders[id]
	if !ok {
		return tagespflege.Minder{}, tagespflege.ErrNotFound
	}
	return cloneMinder(m), nil
}

func (tp *tpData) listMinders(district string, offset, limit int) []tagespflege.Minder {
	var all []tagespflege.Minder
	for _, m := range tp.minders {
		if district == "" || m.District == district {
			all = append(all, m)
		}
	}
	slices.SortFunc(all, func(a, b tagespflege.Minder) int { return cmp.Compare(a.ID, b.ID) })
	out := tpPage(all, offset, limit)
	for i := range out {
		out[i] = cloneMinder(out[i])
	}
	return out
}

func (tp *tpData) group(id string) (tagespflege.Group, error) {
	g, ok := tp.groups[id]
	if !ok {
		return tagespflege.Group{}, tagespflege.ErrNotFound
	}
	return cloneGroup(g), nil
}

// Tagespflege returns the view of the store that implements
// [tagespflege.Store]. Each method is one atomic step of its own;
// Atomic groups several.
func (s *Store) Tagespflege() tagespflege.Store { return tpView{s: s} }

// tpView is the tagespflege port outside a transaction.
type tpView struct{ s *Store }

var _ tagespflege.Store = tpView{}

func (v tpView) CreateReferral(ctx context.Context, r tagespflege.Referral) error {
	return v.s.write(ctx, func(t *tx) error { return t.createReferral(r) })
}

func (v tpView) Referral(ctx context.Context, id string) (r tagespflege.Referral, err error) {
	err = v.s.read(ctx, func(d *data) error {
		r, err = d.tp.referral(id)
		return err
	})
	return r, err
}

func (v tpView) UpdateReferral(ctx context.Context, r tagespflege.Referral) error {
	return v.s.write(ctx, func(t *tx) error { return t.updateReferral(r) })
}

func (v tpView) Referrals(ctx context.Context, district string, offset, limit int) (out []tagespflege.Referral, err error) {
	err = v.s.read(ctx, func(d *data) error {
		out = d.tp.listReferrals(district, offset, limit)
		return nil
	})
	return out, err
}

func (v tpView) CreateMinder(ctx context.Context, m tagespflege.Minder) error {
	return v.s.write(ctx, func(t *tx) error { return t.createMinder(m) })
}

func (v tpView) Minder(ctx context.Context, id string) (m tagespflege.Minder, err error) {
	err = v.s.read(ctx, func(d *data) error {
		m, err = d.tp.minder(id)
		return err
	})
	return m, err
}

func (v tpView) UpdateMinder(ctx context.Context, m tagespflege.Minder) error {
	return v.s.write(ctx, func(t *tx) error { return t.updateMinder(m) })
}

func (v tpView) Minders(ctx context.Context, district string, offset, limit int) (out []tagespflege.Minder, err error) {
	err = v.s.read(ctx, func(d *data) error {
		out = d.tp.listMinders(district, offset, limit)
		return nil
	})
	return out, err
}

func (v tpView) CreateGroup(ctx context.Context, g tagespflege.Group) error {
	return v.s.write(ctx, func(t *tx) error { return t.createTPGroup(g) })
}

func (v tpView) Group(ctx context.Context, id string) (g tagespflege.Group, err error) {
	err = v.s.read(ctx, func(d *data) error {
		g, err = d.tp.group(id)
		return err
	})
	return g, err
}

func (v tpView) UpdateGroup(ctx context.Context, g tagespflege.Group) error {
	return v.s.write(ctx, func(t *tx) error { return t.updateTPGroup(g) })
}

// Atomic runs fn under the write lock with a view bound to one tx; an error
// or panic of fn undoes all of its writes.
func (v tpView) Atomic(ctx context.Context, fn func(tx tagespflege.Store) error) error {
	return v.s.write(ctx, func(t *tx) error { return fn(tpTx{t: t}) })
}

// tpTx is the tagespflege port inside an atomic step. The write lock is
// held by the step; its methods only check the context.
type tpTx struct{ t *tx }

var _ tagespflege.Store = tpTx{}

func (x tpTx) CreateReferral(ctx context.Context, r tagespflege.Referral) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.createReferral(r)
}

func (x tpTx) Referral(ctx context.Context, id string) (tagespflege.Referral, error) {
	if err := ctx.Err(); err != nil {
		return tagespflege.Referral{}, err
	}
	return x.t.d.tp.referral(id)
}

func (x tpTx) UpdateReferral(ctx context.Context, r tagespflege.Referral) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.updateReferral(r)
}

func (x tpTx) Referrals(ctx context.Context, district string, offset, limit int) ([]tagespflege.Referral, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return x.t.d.tp.listReferrals(district, offset, limit), nil
}

func (x tpTx) CreateMinder(ctx context.Context, m tagespflege.Minder) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.createMinder(m)
}

func (x tpTx) Minder(ctx context.Context, id string) (tagespflege.Minder, error) {
	if err := ctx.Err(); err != nil {
		return tagespflege.Minder{}, err
	}
	return x.t.d.tp.minder(id)
}

func (x tpTx) UpdateMinder(ctx context.Context, m tagespflege.Minder) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.updateMinder(m)
}

func (x tpTx) Minders(ctx context.Context, district string, offset, limit int) ([]tagespflege.Minder, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return x.t.d.tp.listMinders(district, offset, limit), nil
}

func (x tpTx) CreateGroup(ctx context.Context, g tagespflege.Group) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.createTPGroup(g)
}

func (x tpTx) Group(ctx context.Context, id string) (tagespflege.Group, error) {
	if err := ctx.Err(); err != nil {
		return tagespflege.Group{}, err
	}
	return x.t.d.tp.group(id)
}

func (x tpTx) UpdateGroup(ctx context.Context, g tagespflege.Group) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.t.updateTPGroup(g)
}

// Atomic joins the running step as a savepoint: when fn fails, its own
// writes are undone at once; otherwise they are kept or undone with the
// outer step.
func (x tpTx) Atomic(ctx context.Context, fn func(tx tagespflege.Store) error) error {
	return x.t.savepoint(ctx, func() error { return fn(x) })
}
