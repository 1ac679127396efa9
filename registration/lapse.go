package registration

import (
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/notify"
)

// LapseReport is what one run of the daily offer step (app's LapseOffers) did.
type LapseReport struct {
	// Lapsed counts offers that lapsed: not accepted by their RespondBy
	// date, so their places went back and the applications wait again
	// with their remaining choices (as declined).
	Lapsed int
	// Reminded counts families reminded of an offer that lapses in
	// Rules.ReminderDays days.
	Reminded int
}

// Lapsing says what the daily offer step does with a: lapse its offer
// (RespondBy has passed on today), remind the family (the offer lapses
// within Rules.ReminderDays and it was not reminded yet), or nothing.
func (s *Checker) Lapsing(a Application, today date.Date) (lapse, remind bool) {
	if a.offer == nil || a.status != Offered {
		return false, false
	}
	if today.After(a.offer.RespondBy) {
		return true, false
	}
	return false, s.rules.ReminderDays > 0 && !a.offer.Reminded && !today.Before(a.offer.RespondBy.AddDate(0, 0, -s.rules.ReminderDays))
}

// ContractReadyMessages render the message that tells the family the care
// contract of its accepted place is ready; ErrTransition unless a holds an
// accepted or contracted place.
func (s *Checker) ContractReadyMessages(a Application, now time.Time) ([]notify.Message, error) {
	if a.offer == nil || a.status != Accepted && a.status != Contracted {
		return nil, ErrTransition
	}
	k, _ := s.catalogue.Get(a.offer.KitaID)
	return familyMessages(s, nil, a, notify.ContractReady, notify.ContractReadyData{
		Reference: a.Reference, ChildName: childName(a), KitaName: k.Name, StartDate: noteDate(a.Start), Hours: int(a.Hours),
	}, now)
}
