package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// RoundOptions configure an allocation round. The zero value is the main
// round with the profile's policy and mechanism.
type RoundOptions struct {
	// Round numbers the round within the Kita year (0: 1, the main round).
	Round int
	// Mechanism overrides the profile's mechanism (0: the profile's).
	Mechanism allocation.Mechanism
	// Policy overrides the profile's policy (nil: the profile's).
	Policy *allocation.Policy
	// IncludeLate admits applications submitted after the deadline.
	IncludeLate bool
}

// RunRound runs an allocation round for a Kita year labelled as the
// profile's calendar labels it ("2027/2028"): the places come from the
// catalogue inside the round (what offers and accepted places hold stays
// taken), the engine places the children under the profile's policy, and
// offers are written with their messages. A label of another form
// ("2027/28") or of no Kita year is a problem.List; a year without places
// is [ErrNoPlaces]. Applications that changed meanwhile are skipped and
// counted in Skipped.
func (r *Registrations) RunRound(ctx context.Context, actor access.Actor, year string, opts RoundOptions) (registration.RoundReport, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return registration.RoundReport{}, err
	}
	y, err := r.app.Profile.Registration.Calendar.ParseYear(year)
	if err != nil || y.Label() != year {
		var c problem.Collector
		c.Add("year", CodeYear, ErrYear, "example", r.app.Profile.Registration.Calendar.YearStarting(2027).Label())
		return registration.RoundReport{}, c.Err()
	}
	kitas := r.app.Catalogue.cat.All()
	places := 0
	for _, k := range kitas {
		places += k.Capacity.Under3 + k.Capacity.From3
	}
	if places == 0 {
		return registration.RoundReport{}, ErrNoPlaces
	}
	st := r.app.store.Registrations()
	if err := st.SetPlaces(ctx, registration.PlacesOf(year, kitas)...); err != nil {
		return registration.RoundReport{}, err
	}
	o := registration.RoundOptions{Round: max(opts.Round, 1), Mechanism: opts.Mechanism, IncludeLate: opts.IncludeLate}
	o.Policy = r.app.Profile.Policy
	if opts.Policy != nil {
		o.Policy = *opts.Policy
	}
	if o.Mechanism == 0 {
		o.Mechanism = r.app.Profile.Mechanism
	}
	apps, err := st.Applications(ctx, registration.Query{Year: year, Statuses: registration.RoundStatuses})
	if err != nil {
		return registration.RoundReport{}, err
	}
	ledger, err := st.Places(ctx, year)
	if err != nil {
		return registration.RoundReport{}, err
	}
	inst := r.svc.Instance(apps, ledger, o)
	res, err := registration.Allocate(inst, o.Mechanism)
	if err != nil {
		return registration.RoundReport{}, err
	}
	rep := registration.RoundReport{Year: year, Round: o.Round, Instance: inst, Result: res}
	var offers []string // application ids in the engine's order
	for _, a := range inst.Applicants {
		if res.Placements[a.ID] != "" {
			offers = append(offers, a.ID)
		}
	}
	written, err := r.publish(ctx, actor, year, o.Round, offers, res.Placements)
	if err != nil {
		return rep, err
	}
	rep.Offers = written
	rep.Skipped = len(offers) - written
	return rep, nil
}

// publish writes a round's offers in ONE step: an offer on every placed
// application with its place and message, an audit entry per offer and
// one for the round. A crash leaves the round unwritten, never half
// written. The step draws the round's marker (year and number), so the
// same round is published once: again, it is
// registration.ErrRoundPublished; after a failure it can simply run again.
// Applications that changed after the engine's snapshot (withdrawn, say)
// or whose place is gone are skipped; it returns how many offers it wrote.
func (r *Registrations) publish(ctx context.Context, actor access.Actor, year string, round int, offers []string, placed map[string]string) (int, error) {
	now := r.app.clock().UTC()
	who := actor.String()
	written := 0
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		written = 0
		tx := step.Applications()
		n, err := tx.NextSequence(ctx, registration.RoundMarker(year, round))
		if err != nil {
			return err
		}
		if n > 1 {
			return registration.ErrRoundPublished
		}
		apps, err := readBatch(ctx, tx, offers)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for _, id := range offers {
			a, ok := apps[id]
			if !ok {
				continue // erased or gone since the round read it
			}
			err := r.offerInRound(ctx, tx, &a, placed[id], round, now, who)
			if errors.Is(err, registration.ErrTransition) || errors.Is(err, registration.ErrNoPlace) {
				continue // changed since the round read it
			}
			if err != nil {
				return err
			}
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "offer_round"}); err != nil {
				return err
			}
			m, err := r.svc.LifecycleMessages(a, notify.Offer, now)
			if err != nil {
				return err
			}
			msgs = append(msgs, m...)
			written++
		}
		if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditRound, Reason: fmt.Sprintf("round_%d", round)}); err != nil {
			return err
		}
		// One call for the round's messages: a store may send them at once.
		return tx.Enqueue(ctx, msgs...)
	})
	return written, err
}

// offerInRound makes the round's offer of kitaID on a and takes its place.
func (r *Registrations) offerInRound(ctx context.Context, tx registration.Tx, a *registration.Application, kitaID string, round int, now time.Time, who string) error {
	place, err := a.MakeOffer(kitaID, round, now, who, r.svc.RespondBy(now))
	if err != nil {
		return err
	}
	return tx.TakePlace(ctx, place)
}

// ErrYear: the Kita year label is not one of the profile's calendar.
var ErrYear = problem.NewSentinel(problem.Invalid, CodeYear, "app: unknown Kita year label")

// ExpireYear ends, in one step, every application of a Kita year still
// waiting or holding an unanswered offer: the year is over. Offered places
// are given back; each change is audited. It returns how many ended.
func (r *Registrations) ExpireYear(ctx context.Context, actor access.Actor, year string) (int, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return 0, err
	}
	who := actor.String()
	expire := func(tx registration.Tx, a *registration.Application, now time.Time) (bool, error) {
		return true, end(ctx, tx, a, registration.Expired, now, who, "year_ended")
	}
	q := registration.Query{Year: year, Statuses: []registration.Status{registration.Confirmed, registration.Declined, registration.Offered}}
	return r.sweep(ctx, actor, q, registration.AuditChange, "year_ended", expire, nil)
}

// LapseOffers is the daily scheduled use case of offers (run it once a day,
// as the system): offers not accepted by their RespondBy date lapse (the
// place goes back; the application waits with its remaining choices), and
// families whose offer lapses within the profile's ReminderDays are
// reminded once. Every change is audited.
func (r *Registrations) LapseOffers(ctx context.Context, actor access.Actor) (registration.LapseReport, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return registration.LapseReport{}, err
	}
	now := r.app.clock().UTC()
	today := r.app.Profile.Registration.Today(now)
	who := actor.String()
	var rep registration.LapseReport
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		rep = registration.LapseReport{}
		tx := step.Applications()
		apps, err := tx.Applications(ctx, registration.Query{Statuses: []registration.Status{registration.Offered}})
		if err != nil {
			return err
		}
		for _, a := range apps {
			var reason string
			switch lapse, remind := r.svc.Lapsing(a, today); {
			case lapse:
				place, err := a.Decline(now, who, "offer_lapsed")
				if err != nil {
					return err
				}
				if err := tx.ReleasePlace(ctx, place); err != nil {
					return err
				}
				reason = "offer_lapsed"
				rep.Lapsed++
			case remind:
				if err := r.enqueue(ctx, tx, a, notify.OfferReminder, now); err != nil {
					return err
				}
				a.Remind(now)
				reason = "offer_reminded"
				rep.Reminded++
			default:
				continue
			}
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: reason}); err != nil {
				return err
			}
		}
		return nil
	})
	return rep, err
}
