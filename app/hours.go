package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

// ChangeHours replaces the family's ranking of weekly care hours (best
// first; the first is the application's Hours) until the allocation
// deadline, under the rules of [Registrations.ChangeChoices]: each hour
// one the city offers, none twice, and every chosen Kita offering one of
// them. The children kept together with this one change in the same step,
// each checked and audited, or none does. With [IfVersion], the change is
// made only on that version (ErrVersion).
func (r *Registrations) ChangeHours(ctx context.Context, actor access.Actor, id string, ranked []kita.Hours, opts ...Option) (registration.Application, error) {
	ranked = slices.Clone(ranked)
	return r.changeTogether(ctx, actor, id, "hours_changed_together", func(a *registration.Application, now time.Time, who string) error {
		return r.svc.ChangeHours(a, ranked, now, who)
	}, opts...)
}

// changeTogether runs change on the application id and, in the same step,
// on each child of its family kept together with it (each updated and
// audited with reason), so that children kept together share their
// Kitas and hours; one refusal changes none of them.
func (r *Registrations) changeTogether(ctx context.Context, actor access.Actor, id, reason string,
	change func(a *registration.Application, now time.Time, who string) error, opts ...Option) (registration.Application, error) {
	return r.change(ctx, actor, id, access.ChangeApplication, nil, func(tx registration.Tx, a *registration.Application, now time.Time) error {
		who := actor.String()
		if err := change(a, now, who); err != nil {
			return err
		}
		family, err := tx.Applications(ctx, registration.Query{FamilyID: a.FamilyID, Year: a.Year})
		if err != nil {
			return err
		}
		for _, o := range registration.TogetherWith(*a, family) {
			if err := change(&o, now, who); err != nil {
				return err
			}
			if err := tx.Update(ctx, o); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditChange, ApplicationID: o.ID, FamilyID: o.FamilyID, Reason: reason}); err != nil {
				return err
			}
		}
		return nil
	}, opts...)
}

// offerFitting makes a's offer of a place at Kita k outside a round and
// takes the place: at a Kita with pools the first pool with a free place
// that fits the child (its band, free by its start, hours the family
// ranked, in the family's order; registration.ErrNoPlace when none has
// one), otherwise a place of the child's band.
func offerFitting(ctx context.Context, tx registration.Tx, a *registration.Application, k kita.Kita, now time.Time, who string, respondBy date.Date) error {
	if len(k.Pools) == 0 {
		place, err := a.MakeOffer(k.ID, 0, now, who, respondBy)
		if err != nil {
			return err
		}
		return tx.TakePlace(ctx, place)
	}
	if c, ok := a.Choice(k.ID); !ok || c.Status != registration.Waiting || !registration.CanTransition(a.Status(), registration.Offered) {
		return registration.ErrTransition // before a place is taken
	}
	for _, p := range a.PoolsAt(k) {
		probe := a.Clone()
		place, err := probe.MakePoolOffer(k.ID, p, 0, now, who, respondBy)
		if err != nil {
			return err
		}
		switch err := tx.TakePlace(ctx, place); {
		case err == nil:
			*a = probe
			return nil
		case !errors.Is(err, registration.ErrNoPlace):
			return err
		}
	}
	return registration.ErrNoPlace
}
