package app

import (
	"context"
	"errors"
	"slices"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
)

// Catalogue is the public Kita catalogue: anyone may search it; a carrier's
// staff maintains the public profile, free places and closure of its own
// Kitas only. The edits are stored (one atomic step each) and applied to
// the catalogue after the step, so that a restarted instance, or another
// one after [Catalogue.Reload], sees them.
type Catalogue struct {
	app *App
	cat *kita.Catalogue
}

// Search searches Kitas (public; no actor needed).
func (c *Catalogue) Search(q kita.Query) kita.Page { return c.cat.Search(q) }

// Get returns one Kita (public).
func (c *Catalogue) Get(id string) (kita.Kita, bool) { return c.cat.Get(id) }

// All returns every Kita, ordered by id (public).
func (c *Catalogue) All() []kita.Kita { return c.cat.All() }

// Reload applies every stored edit to the catalogue: what another instance
// changed. [New] calls it once.
func (c *Catalogue) Reload(ctx context.Context) error {
	var all []kita.Edits
	err := c.app.store.Atomic(ctx, func(tx Tx) error {
		var err error
		all, err = tx.Catalogue().AllEdits(ctx)
		return err
	})
	if err != nil {
		return err
	}
	for _, e := range all {
		if err := c.cat.Apply(e); err != nil && !errors.Is(err, kita.ErrNotFound) {
			return err // a Kita that left the catalogue keeps its record
		}
	}
	return nil
}

// edit runs one catalogue edit: access by the Kita's carrier, then one
// atomic step that reads the stored edits (or the catalogue's state),
// changes and checks them, and stores them; the catalogue follows after
// the step.
func (c *Catalogue) edit(ctx context.Context, actor access.Actor, id string, change func(e *kita.Edits) error) error {
	if err := ids("kita_id", id); err != nil {
		return err
	}
	k, ok := c.cat.Get(id)
	if !ok {
		return access.ErrDenied
	}
	if err := access.Can(actor, access.EditKita, access.Subject{Carriers: []string{k.Carrier.ID}}); err != nil {
		return err
	}
	var stored kita.Edits
	err := c.app.store.Atomic(ctx, func(tx Tx) error {
		e, err := tx.Catalogue().Edits(ctx, id)
		if errors.Is(err, ErrNoEdits) {
			e, err = kita.EditsOf(k), nil
		}
		if err != nil {
			return err
		}
		if err := change(&e); err != nil {
			return err
		}
		if _, err := k.WithEdits(e); err != nil {
			return err
		}
		if err := tx.Catalogue().PutEdits(ctx, e); err != nil {
			return err
		}
		e.Version++
		stored = e
		return nil
	})
	if err != nil {
		return err
	}
	return c.cat.Apply(stored)
}

// UpdateProfile replaces a Kita's public profile; only its carrier's staff
// and the Jugendamt may.
func (c *Catalogue) UpdateProfile(ctx context.Context, actor access.Actor, id string, p kita.PublicProfile) error {
	return c.edit(ctx, actor, id, func(e *kita.Edits) error {
		e.Profile = p
		return nil
	})
}

// ReportFreePlaces records the free places a carrier reports for its Kita now.
func (c *Catalogue) ReportFreePlaces(ctx context.Context, actor access.Actor, id string, free kita.Capacity) error {
	now := c.app.clock()
	return c.edit(ctx, actor, id, func(e *kita.Edits) error { return e.ReportFree(free, now) })
}

// SetPools splits a Kita's places by care hours and the month from which
// they are free (kita.Pool; the pools of a band add up to its places); an
// empty list removes the split. Only its carrier's staff and the
// Jugendamt may. The next round's ledger follows the pools.
func (c *Catalogue) SetPools(ctx context.Context, actor access.Actor, id string, pools []kita.Pool) error {
	return c.edit(ctx, actor, id, func(e *kita.Edits) error {
		e.Pools = slices.Clone(pools)
		if e.Pools == nil {
			e.Pools = []kita.Pool{}
		}
		return nil
	})
}

// SetClosed opens or closes a Kita for registrations.
func (c *Catalogue) SetClosed(ctx context.Context, actor access.Actor, id string, closed bool) error {
	return c.edit(ctx, actor, id, func(e *kita.Edits) error {
		e.Closed = closed
		return nil
	})
}
