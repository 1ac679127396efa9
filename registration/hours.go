package registration

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

// ErrHoursDuplicate: a family named the same weekly care hours twice in
// its ranking.
var ErrHoursDuplicate = errors.New("registration: care hours ranked twice")

// ErrTooManyHours: a family ranked more further weekly care hours than
// [MaxHoursAlternatives].
var ErrTooManyHours = errors.New("registration: too many care hours ranked")

// MaxHoursAlternatives bounds the further care hours a family ranks after
// its first wish.
const MaxHoursAlternatives = 5

// RankedHours returns the weekly care hours the family accepts, best
// first: Hours, then HoursAlternatives.
func (a Application) RankedHours() []kita.Hours {
	return rankedHours(a.Hours, a.HoursAlternatives)
}

func rankedHours(first kita.Hours, alts []kita.Hours) []kita.Hours {
	out := make([]kita.Hours, 0, 1+len(alts))
	if first != 0 {
		out = append(out, first)
	}
	return append(out, alts...)
}

// HoursAt returns the family's ranked care hours that Kita k offers to
// the child's age band, best first: with pools the hours of the band's
// pools, otherwise the Kita's hours. Empty when k offers none of them.
func (a Application) HoursAt(k kita.Kita) []kita.Hours {
	return hoursAt(k, kita.BandOn(a.Child.BirthDate, a.Start), a.RankedHours())
}

func hoursAt(k kita.Kita, band kita.Band, ranked []kita.Hours) []kita.Hours {
	offered := offeredHours(k, band)
	var out []kita.Hours
	for _, h := range ranked {
		if offered.Allows(h) {
			out = append(out, h)
		}
	}
	return out
}

// checkHoursAlternatives checks the care hours ranked after the first
// wish: each among the city's options and each once (the first wish
// included).
func checkHoursAlternatives(c *problem.Collector, allowed kita.HoursOptions, first int, alts []int) {
	if len(alts) > MaxHoursAlternatives {
		c.Add("hours_alternatives", "registration.too_many_hours", ErrTooManyHours, "max", strconv.Itoa(MaxHoursAlternatives))
		return
	}
	for i, h := range alts {
		field := "hours_alternatives[" + strconv.Itoa(i) + "]"
		switch {
		case !allowed.Allows(kita.Hours(h)):
			c.Add(field, "registration.hours_not_offered", ErrHoursNotOffered, "allowed", allowed.String())
		case h == first || slices.Contains(alts[:i], h):
			c.Add(field, "registration.hours_duplicate", ErrHoursDuplicate)
		}
	}
}

// offeredHours is what the kita_hours problem names: the hours a Kita
// offers to the band (its pools' hours when it has pools).
func offeredHours(k kita.Kita, band kita.Band) kita.HoursOptions {
	if len(k.Pools) > 0 && band.Valid() {
		return k.PoolHours(band)
	}
	return k.Hours
}

// kitaOffersAny reports whether k offers any of the ranked hours to the
// band (band unset: by the Kita's hours).
func kitaOffersAny(k kita.Kita, band kita.Band, ranked []kita.Hours) bool {
	offered := offeredHours(k, band)
	return slices.ContainsFunc(ranked, offered.Allows)
}

func toHours(hs []int) []kita.Hours {
	if len(hs) == 0 {
		return nil
	}
	out := make([]kita.Hours, len(hs))
	for i, h := range hs {
		out[i] = kita.Hours(h)
	}
	return out
}

func fromHours(hs []kita.Hours) []int {
	if len(hs) == 0 {
		return nil
	}
	out := make([]int, len(hs))
	for i, h := range hs {
		out[i] = int(h)
	}
	return out
}

// ChangeHours replaces the family's ranking of weekly care hours (the
// first is Hours, the rest HoursAlternatives) under the rules of
// [Checker.ChangeChoices]: until the allocation deadline, while the
// application waits; every chosen Kita must still offer one of them.
func (s *Checker) ChangeHours(a *Application, ranked []kita.Hours, now time.Time, actor string) error {
	if err := s.changeable(*a, now); err != nil {
		return err
	}
	in := inputOf(*a)
	in.Hours = 0
	in.HoursAlternatives = nil
	if len(ranked) > 0 {
		in.Hours, in.HoursAlternatives = int(ranked[0]), fromHours(ranked[1:])
	}
	for _, c := range a.Choices {
		in.Kitas = append(in.Kitas, c.KitaID)
	}
	in.normalize()
	if _, err := s.check(in, a.SubmittedAt); err != nil {
		return err
	}
	a.Hours, a.HoursAlternatives = kita.Hours(in.Hours), toHours(in.HoursAlternatives)
	a.UpdatedAt = now
	a.history = append(a.history, Event{At: now, Actor: actor, From: a.status, To: a.status, Reason: "hours_changed"})
	return nil
}

// Month is the month "YYYY-MM" of a date, as pools name theirs.
func Month(d date.Date) string { return d.Format("2006-01") }

// PoolsAt returns the pools of Kita k that fit the application, best
// first: of the child's age band, free by the month of its start, with
// hours the family ranked, in the family's order of hours and then in the
// Kita's order of pools. Nil at a Kita without pools.
func (a Application) PoolsAt(k kita.Kita) []kita.Pool {
	if len(k.Pools) == 0 {
		return nil
	}
	band, start := kita.BandOn(a.Child.BirthDate, a.Start), Month(a.Start)
	var out []kita.Pool
	for _, h := range a.HoursAt(k) {
		for _, p := range k.Pools {
			if p.Band == band && p.Hours == h && p.From <= start {
				out = append(out, p)
			}
		}
	}
	return out
}

// PlaceHours returns the weekly care hours the offer gives: the pool's,
// or the family's first wish at a Kita without pools.
func (o Offer) PlaceHours(first kita.Hours) kita.Hours {
	if o.Hours != 0 {
		return o.Hours
	}
	return first
}

// changeable is the rule of a family's change of its wishes at now: the
// application still waits (ErrTransition) and the allocation deadline of
// its Kita year has not passed, unless it was late anyway (ErrDeadline).
func (s *Checker) changeable(a Application, now time.Time) error {
	if !a.status.Open() || a.status == Declined {
		return ErrTransition
	}
	y, err := s.rules.Calendar.ParseYear(a.Year)
	if err != nil {
		return err
	}
	if s.rules.Today(now).After(s.rules.DeadlineOf(y)) && !a.HasFlag(FlagLate) {
		return ErrDeadline
	}
	return nil
}
