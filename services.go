package kitaportal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Referrals is the Fachberatung's side of Kindertagespflege: a Fachberatung
// sees and handles only its own district's referrals; the Jugendamt all.
type Referrals struct {
	svc *tagespflege.Service
	reg *registration.Service
}

// List returns a district's referrals, oldest first.
func (r *Referrals) List(ctx context.Context, actor access.Actor, district string, offset, limit int) ([]tagespflege.Referral, error) {
	if err := access.ReadReferrals(actor, district); err != nil {
		return nil, err
	}
	return r.svc.Referrals(ctx, district, offset, limit)
}

// Get returns one referral of the actor's district.
func (r *Referrals) Get(ctx context.Context, actor access.Actor, id string) (tagespflege.Referral, error) {
	ref, err := r.svc.Referral(ctx, id)
	if errors.Is(err, tagespflege.ErrNotFound) {
		return tagespflege.Referral{}, access.ErrDenied
	}
	if err != nil {
		return tagespflege.Referral{}, err
	}
	if err := access.ReadReferrals(actor, ref.District); err != nil {
		return tagespflege.Referral{}, err
	}
	return ref, nil
}

// MarkContacted records that the Fachberatung contacted the family.
func (r *Referrals) MarkContacted(ctx context.Context, actor access.Actor, id, note string) (tagespflege.Referral, error) {
	if _, err := r.Get(ctx, actor, id); err != nil {
		return tagespflege.Referral{}, err
	}
	return r.svc.MarkContacted(ctx, id, actor.String(), note)
}

// Place places the child with a minder of the district, within the
// minder's licensed capacity, and then withdraws the child's Kita choices
// (registration.Service.ReleaseForTagespflege), so that the child holds
// one place only. The two steps are separate transactions; should the
// second fail, the placement stands, the error says so
// ([ErrReleasePending]) and [Referrals.Reconcile] finishes the job.
func (r *Referrals) Place(ctx context.Context, actor access.Actor, id, minderID string, start date.Date) (tagespflege.Referral, error) {
	if _, err := r.Get(ctx, actor, id); err != nil {
		return tagespflege.Referral{}, err
	}
	ref, err := r.svc.Place(ctx, id, minderID, start, actor.String())
	if err != nil {
		return tagespflege.Referral{}, err
	}
	if _, err := r.reg.ReleaseForTagespflege(ctx, access.SystemActor, ref.ApplicationID); err != nil && !errors.Is(err, registration.ErrTransition) {
		return ref, fmt.Errorf("%w: %w", ErrReleasePending, err)
	}
	return ref, nil
}

// ErrReleasePending: the child was placed with a minder, but its Kita
// choices are not withdrawn yet; [Referrals.Reconcile] withdraws them.
var ErrReleasePending = errors.New("kitaportal: Tagespflege placement stored, Kita choices not yet released")

// Reconcile withdraws the Kita choices of every child placed with a minder
// whose application is still waiting or holds an offer: the second step of
// [Referrals.Place], for placements where it did not happen (a crash between
// the two steps). It returns how many applications it withdrew. Jugendamt
// and system only.
func (r *Referrals) Reconcile(ctx context.Context, actor access.Actor, districts []string) (int, error) {
	if err := access.RunAllocation(actor); err != nil {
		return 0, err
	}
	n := 0
	for _, d := range districts {
		refs, err := r.svc.Referrals(ctx, d, 0, 0)
		if err != nil {
			return n, err
		}
		for _, ref := range refs {
			if ref.Status != tagespflege.Placed {
				continue
			}
			a, err := r.reg.Get(ctx, access.SystemActor, ref.ApplicationID)
			if err != nil {
				return n, err
			}
			if !a.Status.Open() && a.Status != registration.Offered {
				continue
			}
			if _, err := r.reg.ReleaseForTagespflege(ctx, actor, ref.ApplicationID); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Close ends a referral without (or after) a placement.
func (r *Referrals) Close(ctx context.Context, actor access.Actor, id string, reason tagespflege.CloseReason) (tagespflege.Referral, error) {
	if _, err := r.Get(ctx, actor, id); err != nil {
		return tagespflege.Referral{}, err
	}
	return r.svc.Close(ctx, id, actor.String(), reason)
}

// AddMinder registers a Tagespflegeperson in a district.
func (r *Referrals) AddMinder(ctx context.Context, actor access.Actor, m tagespflege.Minder) (tagespflege.Minder, error) {
	if err := access.ReadReferrals(actor, m.District); err != nil {
		return tagespflege.Minder{}, err
	}
	return r.svc.AddMinder(ctx, m)
}

// Minders lists a district's minders.
func (r *Referrals) Minders(ctx context.Context, actor access.Actor, district string) ([]tagespflege.Minder, error) {
	if err := access.ReadReferrals(actor, district); err != nil {
		return nil, err
	}
	return r.svc.Minders(ctx, district)
}

// FreePlaces counts the free minder places of a district.
func (r *Referrals) FreePlaces(ctx context.Context, actor access.Actor, district string) (int, error) {
	if err := access.ReadReferrals(actor, district); err != nil {
		return 0, err
	}
	return r.svc.FreePlaces(ctx, district)
}

// Catalogue is the public Kita catalogue: anyone may search it; a carrier's
// staff maintains the public profile and free places of its own Kitas only.
type Catalogue struct {
	cat   *kita.Catalogue
	clock func() time.Time
}

// Search searches Kitas (public; no actor needed).
func (c *Catalogue) Search(q kita.Query) kita.Page { return c.cat.Search(q) }

// Get returns one Kita (public).
func (c *Catalogue) Get(id string) (kita.Kita, bool) { return c.cat.Get(id) }

// All returns every Kita, ordered by id (public).
func (c *Catalogue) All() []kita.Kita { return c.cat.All() }

func (c *Catalogue) carrierOf(id string) (string, error) {
	k, ok := c.cat.Get(id)
	if !ok {
		return "", access.ErrDenied
	}
	return k.Carrier.ID, nil
}

// UpdateProfile replaces a Kita's public profile; only its carrier's staff
// and the Jugendamt may.
func (c *Catalogue) UpdateProfile(actor access.Actor, id string, p kita.PublicProfile) error {
	carrier, err := c.carrierOf(id)
	if err != nil {
		return err
	}
	if err := access.ActOnKita(actor, carrier); err != nil {
		return err
	}
	return c.cat.UpdateProfile(id, p)
}

// ReportFreePlaces records the free places a carrier reports for its Kita now.
func (c *Catalogue) ReportFreePlaces(actor access.Actor, id string, free kita.Capacity) error {
	carrier, err := c.carrierOf(id)
	if err != nil {
		return err
	}
	if err := access.ActOnKita(actor, carrier); err != nil {
		return err
	}
	return c.cat.ReportFreePlaces(id, free, c.clock().UTC())
}

// SetClosed opens or closes a Kita for registrations.
func (c *Catalogue) SetClosed(actor access.Actor, id string, closed bool) error {
	carrier, err := c.carrierOf(id)
	if err != nil {
		return err
	}
	if err := access.ActOnKita(actor, carrier); err != nil {
		return err
	}
	return c.cat.SetClosed(id, closed)
}
