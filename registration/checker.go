package registration

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
)

// Config wires a [Checker].
type Config struct {
	Rules     Rules
	Catalogue Catalogue
	Districts Districts
	Offices   Offices
	Templates *notify.Templates
	// NewID returns a new unique id; UUID version 7 when nil
	// (notify.NewID).
	NewID func() string
}

// Checker holds the rules of the Voranmeldung with what they are checked
// against (catalogue, districts, Fachberatung offices) and the message
// templates: it validates and drafts applications, changes their choices,
// builds the allocation engine's input and renders the family's messages.
// It decides no access and runs no step: the use cases that do are in
// package app.
type Checker struct {
	rules     Rules
	catalogue Catalogue
	districts Districts
	offices   Offices
	templates *notify.Templates
	newID     func() string
	// years are the names of the Kita year of the latest submission
	// (yearNames).
	years atomic.Pointer[yearNames]
	// days are the bounds of the latest submission's day (dayBounds).
	days atomic.Pointer[dayBounds]
	// lines are the address lines of the Kitas confirmations list, by
	// Kita id (*addressLine): one per Kita of the catalogue.
	lines sync.Map
}

// yearNames are a Kita year's label and the name of its reference-number
// sequence, made once for the year most submissions of a season are
// for, instead of once per submission.
type yearNames struct {
	y          kita.Year
	label, seq string
}

// names returns the names of y: those kept when y is the year kept, else
// new ones, then kept.
func (s *Checker) names(y kita.Year) *yearNames {
	if n := s.years.Load(); n != nil && n.y == y {
		return n
	}
	n := &yearNames{y: y, label: y.Label(), seq: s.rules.CityCode + "-" + strconv.Itoa(y.StartYear())}
	s.years.Store(n)
	return n
}

// NewChecker checks the configuration and returns a checker.
func NewChecker(cfg Config) (*Checker, error) {
	if err := cfg.Rules.Validate(); err != nil {
		return nil, err
	}
	if cfg.Catalogue == nil || cfg.Districts == nil || cfg.Offices == nil || cfg.Templates == nil {
		return nil, errors.New("registration: config needs catalogue, districts, offices and templates")
	}
	s := &Checker{
		rules: cfg.Rules, catalogue: cfg.Catalogue, districts: cfg.Districts,
		offices: cfg.Offices, templates: cfg.Templates, newID: cfg.NewID,
	}
	if s.newID == nil {
		s.newID = notify.NewID
	}
	return s, nil
}

// Rules returns the checker's rules.
func (s *Checker) Rules() Rules { return s.rules }

// Receipt is the immediate answer to a submission.
type Receipt struct {
	Application Application
	// Replayed is true when the idempotency key returned an earlier result.
	Replayed bool
}

// Draft is a validated Voranmeldung, ready to be stored by the caller's
// step: the application (confirmed, its history begun, without its
// reference number) and the chosen Kitas in rank order as the
// confirmation lists them (rank, name, address), as validation looked
// them up.
type Draft struct {
	Application Application
	Year        kita.Year
	Lines       []notify.KitaLine
}

// Normalize returns the input as validation and idempotency read it:
// trimmed, normalized Unicode.
func Normalize(in Input) Input {
	in.normalize()
	return in
}

// Draft validates a normalized Voranmeldung of the family, submitted by
// actor at now, and builds its application. Bad input returns a
// problem.List with every problem at once.
func (s *Checker) Draft(familyID string, in Input, actor string, now time.Time) (Draft, error) {
	chk, err := s.check(in, now)
	if err != nil {
		return Draft{}, err
	}
	app := Application{
		ID:       s.newID(),
		FamilyID: familyID,
		Year:     s.names(chk.year).label,
		Child: Child{
			GivenName: in.Child.GivenName, FamilyName: in.Child.FamilyName,
			BirthDate: in.Child.BirthDate, Unborn: in.Child.Unborn,
		},
		Address:           in.Address,
		District:          chk.district,
		Start:             in.Start,
		Hours:             kita.Hours(in.Hours),
		HoursAlternatives: toHours(in.HoursAlternatives),
		Choices:           chk.choices,
		Criteria: Criteria{
			SiblingKitaIDs: slices.Clone(in.Criteria.SiblingKitaIDs),
			SingleParent:   in.Criteria.SingleParent,
			Hardship:       in.Criteria.Hardship,
			HardshipReason: in.Criteria.HardshipReason,
		},
		Together:       in.Together,
		ConsentAt:      now,
		status:         Submitted,
		Flags:          chk.flags,
		IdempotencyKey: in.IdempotencyKey,
		ChildKey:       ChildKey(in.Child.GivenName, in.Child.FamilyName, in.Child.BirthDate),
		SubmittedAt:    now,
		UpdatedAt:      now,
		// room for the confirmation's event
		history: append(chk.history, Event{At: now, Actor: actor, To: Submitted}),
	}
	if len(in.Guardians) > 0 {
		app.Guardians = chk.guardians
	}
	for _, g := range in.Guardians {
		app.Guardians = append(app.Guardians, Guardian(g))
	}
	if in.Tagespflege != nil {
		app.TP = &Tagespflege{District: in.Tagespflege.District, ReferralID: s.newID()}
	}
	_ = app.transition(Confirmed, now, actor, "confirmation_issued")
	return Draft{Application: app, Year: chk.year, Lines: chk.lines}, nil
}

// SequenceName is the name of the reference-number sequence of a Kita
// year; [Checker.Reference] formats a number drawn from it.
func (s *Checker) SequenceName(y kita.Year) string { return s.names(y).seq }

// Reference is the reference number (Aktenzeichen) of the seq-th
// application of a Kita year: "BO-2027-000042".
func (s *Checker) Reference(y kita.Year, seq int64) string {
	if seq < 0 {
		return fmt.Sprintf("%s-%d-%06d", s.rules.CityCode, y.StartYear(), seq)
	}
	var b [64]byte
	r := append(b[:0], s.rules.CityCode...)
	r = append(r, '-')
	r = strconv.AppendInt(r, int64(y.StartYear()), 10)
	r = append(r, '-')
	for p := int64(100000); p > 1 && seq < p; p /= 10 {
		r = append(r, '0') // %06d
	}
	r = strconv.AppendInt(r, seq, 10)
	return string(r)
}

// IsCrossFamilyMatch reports whether o is another family's active
// application for the same child and Kita year as a: a match for the
// Jugendamt to review, never acted on.
func (a Application) IsCrossFamilyMatch(o Application) bool {
	return a.ChildKey != "" && o.ChildKey == a.ChildKey && o.Year == a.Year &&
		o.FamilyID != a.FamilyID && o.status != Withdrawn && o.status != Expired
}

// Subject returns what the access rules need to know of a: its family,
// the carriers of its choices and its Tagespflege district.
func Subject(a Application) access.Subject {
	f := access.Subject{FamilyID: a.FamilyID}
	for _, c := range a.Choices {
		f.Carriers = append(f.Carriers, c.Carrier)
	}
	if a.TP != nil {
		f.District = a.TP.District
	}
	return f
}

// ViewFor returns the application as the actor may see it: whole, in the
// view of a carrier's Kita, or not at all (false). It applies the access
// table's view; the caller decides whether to ask.
func ViewFor(actor access.Actor, a Application) (Application, bool) {
	switch access.ApplicationView(actor, Subject(a)) {
	case access.FullView:
		return a, true
	case access.KitaView:
		return kitaView(actor.CarrierID, a), true
	}
	return Application{}, false
}

// kitaView is what a carrier's Kita needs to decide: not the family's other
// choices, their rank order, the hardship reason, the Tagespflege request or
// the history.
func kitaView(carrier string, a Application) Application {
	v := a.Clone()
	v.Choices = v.Choices[:0]
	for _, c := range a.Choices {
		if c.Carrier == carrier {
			c.Rank = 0
			v.Choices = append(v.Choices, c)
		}
	}
	var sib []string
	for _, id := range a.Criteria.SiblingKitaIDs {
		if c, ok := a.Choice(id); ok && c.Carrier == carrier {
			sib = append(sib, id)
		}
	}
	v.Criteria.SiblingKitaIDs = sib
	v.Criteria.HardshipReason = ""
	v.TP = nil
	v.history = nil
	v.IdempotencyKey = ""
	v.ChildKey = ""
	if v.offer != nil {
		if c, ok := a.Choice(v.offer.KitaID); !ok || c.Carrier != carrier {
			v.offer = nil
		}
	}
	if v.held != nil {
		if c, ok := a.Choice(v.held.KitaID); !ok || c.Carrier != carrier {
			v.held = nil
		}
	}
	return v
}

// ChangeChoices replaces the ranked Kitas of a (the Tagespflege district
// is kept) until the allocation deadline of its Kita year: ErrTransition
// when a no longer waits, ErrDeadline after the deadline (unless late),
// a problem.List for choices the rules refuse.
func (s *Checker) ChangeChoices(a *Application, kitas []string, now time.Time, actor string) error {
	if err := s.changeable(*a, now); err != nil {
		return err
	}
	in := inputOf(*a)
	in.Kitas = slices.Clone(kitas)
	in.normalize()
	// The start may lie in the past by now; check the choices as of the submission.
	chk, err := s.check(in, a.SubmittedAt)
	if err != nil {
		return err
	}
	a.Choices = chk.choices
	a.UpdatedAt = now
	a.history = append(a.history, Event{At: now, Actor: actor, From: a.status, To: a.status, Reason: "choices_changed"})
	return nil
}

// LastReason is the reason of the application's latest lifecycle event.
func (a Application) LastReason() string {
	if n := len(a.history); n > 0 {
		return a.history[n-1].Reason
	}
	return ""
}

// inputOf rebuilds the input an application was made from.
func inputOf(a Application) Input {
	in := Input{
		Child:             ChildInput{GivenName: a.Child.GivenName, FamilyName: a.Child.FamilyName, BirthDate: a.Child.BirthDate, Unborn: a.Child.Unborn},
		Address:           a.Address,
		Start:             a.Start,
		Hours:             int(a.Hours),
		HoursAlternatives: fromHours(a.HoursAlternatives),
		Criteria:          CriteriaInput{SiblingKitaIDs: a.Criteria.SiblingKitaIDs, SingleParent: a.Criteria.SingleParent, Hardship: a.Criteria.Hardship, HardshipReason: a.Criteria.HardshipReason},
		Consent:           true,
	}
	for _, g := range a.Guardians {
		in.Guardians = append(in.Guardians, GuardianInput(g))
	}
	if a.TP != nil {
		in.Tagespflege = &TagespflegeWish{District: a.TP.District}
	}
	return in
}

// bandOf returns the age band of the child at the application's start.
func bandOf(a Application) kita.Band { return kita.BandOn(a.Child.BirthDate, a.Start) }

// RespondBy is the last day to answer an offer made at now.
func (s *Checker) RespondBy(now time.Time) date.Date {
	return s.rules.Today(now).Add(date.PeriodOfDays(s.rules.OfferDays))
}
