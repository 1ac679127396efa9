package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

var _ app.Store = (*Store)(nil)

// Atomic runs fn as one step under the write lock: an error or panic of fn
// undoes all of its writes, across every repository of the [app.Tx].
// Calling Store.Atomic inside fn would wait for itself; use
// [app.Tx.Atomic] for a nested step.
func (s *Store) Atomic(ctx context.Context, fn func(tx app.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(unitTx{t}) })
}

// unitTx is the unit of work of one step.
type unitTx struct{ t *tx }

func (u unitTx) Applications() registration.Tx  { return regTx(u) }
func (u unitTx) Ledger() registration.Ledger    { return regTx(u) }
func (u unitTx) Outbox() registration.Outbox    { return regTx(u) }
func (u unitTx) Audit() registration.AuditTrail { return regTx(u) }
func (u unitTx) Tagespflege() tagespflege.Store { return tpTx(u) }
func (u unitTx) Catalogue() app.CatalogueEdits  { return catTx(u) }

// Atomic runs fn as a savepoint of the running step: when fn fails, its
// own writes are undone at once.
func (u unitTx) Atomic(ctx context.Context, fn func(tx app.Tx) error) error {
	return u.t.savepoint(ctx, func() error { return fn(u) })
}

// savepoint runs fn as a nested step of t: when fn fails or panics, the
// changes it registered are undone at once.
func (t *tx) savepoint(ctx context.Context, fn func() error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	mark := len(t.undo)
	defer func() {
		if r := recover(); r != nil {
			t.rollbackTo(mark)
			panic(r)
		}
		if err != nil {
			t.rollbackTo(mark)
		}
	}()
	return fn()
}

// catData are the carriers' edits of their Kitas, by Kita id.
type catData struct {
	edits map[string]kita.Edits
}

func newCatData() catData { return catData{edits: map[string]kita.Edits{}} }

func cloneEdits(e kita.Edits) kita.Edits {
	e.Profile.Languages = slices.Clone(e.Profile.Languages)
	e.FreePlaces.Groups = nil
	e.Pools = slices.Clone(e.Pools)
	return e
}

type catTx struct{ t *tx }

func (c catTx) Edits(ctx context.Context, kitaID string) (kita.Edits, error) {
	if err := ctx.Err(); err != nil {
		return kita.Edits{}, err
	}
	e, ok := c.t.d.cat.edits[kitaID]
	if !ok {
		return kita.Edits{}, app.ErrNoEdits
	}
	return cloneEdits(e), nil
}

func (c catTx) PutEdits(ctx context.Context, e kita.Edits) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.t.d.cat.edits[e.KitaID].Version != e.Version {
		return app.ErrEditConflict
	}
	e = cloneEdits(e)
	e.Version++
	setKey(c.t, c.t.d.cat.edits, e.KitaID, e)
	return nil
}

func (c catTx) AllEdits(ctx context.Context) ([]kita.Edits, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]kita.Edits, 0, len(c.t.d.cat.edits))
	for _, e := range c.t.d.cat.edits {
		out = append(out, cloneEdits(e))
	}
	slices.SortFunc(out, func(a, b kita.Edits) int { return strings.Compare(a.KitaID, b.KitaID) })
	return out, nil
}
