package app

import (
	"context"
	"errors"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Referrals is the Fachberatung's side of Kindertagespflege: a Fachberatung
// sees and handles only its own district's referrals; the Jugendamt all.
type Referrals struct {
	app *App
}

// List returns a district's referrals, oldest first.
func (r *Referrals) List(ctx context.Context, actor access.Actor, district string, offset, limit int) ([]tagespflege.Referral, error) {
	if err := access.Can(actor, access.ReadReferrals, access.Subject{District: district}); err != nil {
		return nil, err
	}
	return r.app.tagespflege(r.app.store.Tagespflege()).Referrals(ctx, district, offset, limit)
}

// Get returns one referral of the actor's district.
func (r *Referrals) Get(ctx context.Context, actor access.Actor, id string) (tagespflege.Referral, error) {
	if err := ids("id", id); err != nil {
		return tagespflege.Referral{}, err
	}
	ref, err := r.app.store.Tagespflege().Referral(ctx, id)
	if errors.Is(err, tagespflege.ErrNotFound) {
		return tagespflege.Referral{}, access.ErrDenied
	}
	if err != nil {
		return tagespflege.Referral{}, err
	}
	if err := access.Can(actor, access.ReadReferrals, access.Subject{District: ref.District}); err != nil {
		return tagespflege.Referral{}, err
	}
	return ref, nil
}

// change runs one atomic step on a referral: it reads the referral, asks
// access once (a referral outside the actor's district looks unknown) and
// lets step change it through the step's services.
// With [IdempotencyKey], a key used before returns the referral as it is
// now, and a new key is stored in the step.
func (r *Referrals) change(ctx context.Context, actor access.Actor, id string, step func(tx Tx, svc *tagespflege.Service) (tagespflege.Referral, error), opts ...Option) (tagespflege.Referral, error) {
	if err := ids("id", id); err != nil {
		return tagespflege.Referral{}, err
	}
	key, err := optionsOf(opts).keyOf(actor)
	if err != nil {
		return tagespflege.Referral{}, err
	}
	var out tagespflege.Referral
	replay := func(tx Tx, prev string) (err error) {
		if out, err = tx.Tagespflege().Referral(ctx, prev); errors.Is(err, tagespflege.ErrNotFound) {
			return access.ErrDenied
		}
		return err
	}
	err = r.app.keyedStep(ctx, key, replay, func(tx Tx) (string, error) {
		ref, err := tx.Tagespflege().Referral(ctx, id)
		if errors.Is(err, tagespflege.ErrNotFound) {
			return "", access.ErrDenied
		}
		if err != nil {
			return "", err
		}
		if err := access.Can(actor, access.ChangeReferral, access.Subject{District: ref.District}); err != nil {
			return "", err
		}
		out, err = step(tx, r.app.tagespflege(tx.Tagespflege()))
		return out.ID, err
	})
	return out, err
}

// MarkContacted records that the Fachberatung contacted the family.
func (r *Referrals) MarkContacted(ctx context.Context, actor access.Actor, id, note string) (tagespflege.Referral, error) {
	return r.change(ctx, actor, id, func(_ Tx, svc *tagespflege.Service) (tagespflege.Referral, error) {
		return svc.MarkContacted(ctx, id, actor.String(), note)
	})
}

// Place places the child with a minder of the district, within the
// minder's licensed capacity, and withdraws the child's Kita choices (an
// offered place is given back) in the same atomic step, so that the child
// holds one place only. A child who accepted a Kita place keeps it: the
// step fails with registration.ErrTransition and nothing changes. With
// [IdempotencyKey], a repeated call returns the referral placed.
func (r *Referrals) Place(ctx context.Context, actor access.Actor, id, minderID string, start date.Date, opts ...Option) (tagespflege.Referral, error) {
	if err := ids("minder_id", minderID); err != nil {
		return tagespflege.Referral{}, err
	}
	return r.change(ctx, actor, id, func(tx Tx, svc *tagespflege.Service) (tagespflege.Referral, error) {
		ref, err := svc.Place(ctx, id, minderID, start, actor.String())
		if err != nil {
			return tagespflege.Referral{}, err
		}
		err = r.app.Registrations.endForTagespflege(ctx, tx.Applications(), ref.ApplicationID, actor.String(), r.app.clock().UTC())
		if errors.Is(err, registration.ErrNotFound) {
			return ref, nil // erased meanwhile: nothing to release
		}
		return ref, err
	}, append(opts, request("place", id, minderID, start))...)
}

// Close ends a referral without (or after) a placement.
func (r *Referrals) Close(ctx context.Context, actor access.Actor, id string, reason tagespflege.CloseReason) (tagespflege.Referral, error) {
	return r.change(ctx, actor, id, func(_ Tx, svc *tagespflege.Service) (tagespflege.Referral, error) {
		return svc.Close(ctx, id, actor.String(), reason)
	})
}

// AddMinder registers a Tagespflegeperson in a district. With
// [IdempotencyKey], a repeated call returns the minder registered first
// (as stored now), and the key with other input is ErrKeyReused.
func (r *Referrals) AddMinder(ctx context.Context, actor access.Actor, m tagespflege.Minder, opts ...Option) (tagespflege.Minder, error) {
	var c problem.Collector
	checkID(&c, "id", m.ID, false)
	if err := c.Err(); err != nil {
		return tagespflege.Minder{}, err
	}
	if err := access.Can(actor, access.ChangeReferral, access.Subject{District: m.District}); err != nil {
		return tagespflege.Minder{}, err
	}
	key, err := optionsOf(append(opts, request("add_minder", m))).keyOf(actor)
	if err != nil {
		return tagespflege.Minder{}, err
	}
	var out tagespflege.Minder
	replay := func(tx Tx, prev string) (err error) {
		out, err = tx.Tagespflege().Minder(ctx, prev)
		return err
	}
	err = r.app.keyedStep(ctx, key, replay, func(tx Tx) (string, error) {
		out, err = r.app.tagespflege(tx.Tagespflege()).AddMinder(ctx, m)
		return out.ID, err
	})
	return out, err
}

// Minders lists a district's minders.
func (r *Referrals) Minders(ctx context.Context, actor access.Actor, district string) ([]tagespflege.Minder, error) {
	if err := access.Can(actor, access.ReadReferrals, access.Subject{District: district}); err != nil {
		return nil, err
	}
	return r.app.tagespflege(r.app.store.Tagespflege()).Minders(ctx, district)
}

// FreePlaces counts the free minder places of a district today (the
// App's one clock, in the city's time zone).
func (r *Referrals) FreePlaces(ctx context.Context, actor access.Actor, district string) (int, error) {
	if err := access.Can(actor, access.ReadReferrals, access.Subject{District: district}); err != nil {
		return 0, err
	}
	return r.app.tagespflege(r.app.store.Tagespflege()).FreePlaces(ctx, district)
}
