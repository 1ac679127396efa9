package registration

import (
	"context"
	"time"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/notify"
)

// LapseReport is what one run of [Service.LapseOffers] did.
type LapseReport struct {
	// Lapsed counts offers that lapsed: not accepted by their RespondBy
	// date, so their places went back and the applications wait again
	// with their remaining choices (as declined).
	Lapsed int
	// Reminded counts families reminded of an offer that lapses in
	// Rules.ReminderDays days.
	Reminded int
}

// LapseOffers is the daily scheduled step of offers, in one atomic step:
// every offer whose RespondBy date has passed lapses (its place is given
// back, the choice counts as declined, the application waits for later
// rounds), and every family whose offer lapses in Rules.ReminderDays days
// (or fewer) and has not been reminded gets an [notify.OfferReminder]. Each
// change is audited. Running it twice on a day changes nothing more. The
// Jugendamt and the system may run it.
func (s *Service) LapseOffers(ctx context.Context, actor access.Actor) (LapseReport, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return LapseReport{}, err
	}
	now := s.clock().UTC()
	today := s.rules.today(now)
	who := actor.String()
	var rep LapseReport
	err := s.store.Atomic(ctx, func(tx Tx) error {
		rep = LapseReport{}
		apps, err := tx.Applications(ctx, Query{Statuses: []Status{Offered}})
		if err != nil {
			return err
		}
		for _, a := range apps {
			if a.offer == nil {
				continue
			}
			var reason string
			switch {
			case today.After(a.offer.RespondBy):
				if err := s.lapse(ctx, tx, &a, now, who); err != nil {
					return err
				}
				reason = "offer_lapsed"
				rep.Lapsed++
			case s.rules.ReminderDays > 0 && !a.offer.Reminded && !today.Before(a.offer.RespondBy.AddDate(0, 0, -s.rules.ReminderDays)):
				if err := s.enqueue(ctx, tx, a, notify.OfferReminder, now); err != nil {
					return err
				}
				a.offer.Reminded = true
				a.UpdatedAt = now
				reason = "offer_reminded"
				rep.Reminded++
			default:
				continue
			}
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: who, Action: AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: reason}); err != nil {
				return err
			}
		}
		return nil
	})
	return rep, err
}

// lapse ends an unanswered offer like a decline: the place goes back and
// the application waits with its remaining choices.
func (s *Service) lapse(ctx context.Context, tx Tx, a *Application, now time.Time, actor string) error {
	if err := s.releasePlace(ctx, tx, *a); err != nil {
		return err
	}
	if err := a.transition(Declined, now, actor, "offer_lapsed"); err != nil {
		return err
	}
	kid := a.offer.KitaID
	a.setChoices(ChoiceDeclined, func(c Choice) bool { return c.KitaID == kid })
	a.offer = nil
	return nil
}

// NotifyContractReady tells the family, once, that the care contract of
// its accepted place is ready (a [notify.ContractReady] message, audited).
// It reports whether a message was queued; a repeated call queues none.
// ErrTransition unless the application holds an accepted or contracted
// place. The family, the Kita's carrier and the Jugendamt may.
func (s *Service) NotifyContractReady(ctx context.Context, actor access.Actor, id string) (bool, error) {
	prev, err := s.store.Application(ctx, id)
	if err != nil {
		return false, access.ErrDenied
	}
	subject := access.Subject{FamilyID: prev.FamilyID}
	if prev.offer != nil {
		subject.Carriers = []string{s.carrierOf(prev.offer.KitaID)}
	}
	if err := access.Can(actor, access.RecordContract, subject); err != nil {
		return false, err
	}
	sent, err := s.store.FamilyMessages(ctx, prev.FamilyID)
	if err != nil {
		return false, err
	}
	for _, m := range sent {
		if m.Kind == notify.ContractReady && m.Subject == id {
			return false, nil
		}
	}
	now := s.clock().UTC()
	err = s.store.Atomic(ctx, func(tx Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		if a.offer == nil || a.status != Accepted && a.status != Contracted {
			return ErrTransition
		}
		k, _ := s.catalogue.Get(a.offer.KitaID)
		msgs, err := s.familyMessages(a, notify.ContractReady, notify.ContractReadyData{
			Reference: a.Reference, ChildName: childName(a), KitaName: k.Name, StartDate: noteDate(a.Start), Hours: int(a.Hours),
		}, now)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, AuditEntry{At: now, Actor: actor.String(), Action: AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "contract_ready"})
	})
	return err == nil, err
}
