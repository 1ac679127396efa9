package registration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Config wires a [Service].
type Config struct {
	Rules     Rules
	Store     Store
	Catalogue Catalogue
	Districts Districts
	Offices   Offices
	Templates *notify.Templates
	// Clock returns the current instant; time.Now when nil.
	Clock func() time.Time
	// NewID returns a new unique id; UUID version 7 when nil.
	NewID func() string
}

// Service owns the rules of the Voranmeldung: validation, lifecycle, access,
// the atomic step of application, referral and messages.
type Service struct {
	rules     Rules
	store     Store
	catalogue Catalogue
	districts Districts
	offices   Offices
	templates *notify.Templates
	clock     func() time.Time
	newID     func() string
}

// NewService checks the configuration and returns a service.
func NewService(cfg Config) (*Service, error) {
	if err := cfg.Rules.Validate(); err != nil {
		return nil, err
	}
	if cfg.Store == nil || cfg.Catalogue == nil || cfg.Districts == nil || cfg.Offices == nil || cfg.Templates == nil {
		return nil, errors.New("registration: config needs store, catalogue, districts, offices and templates")
	}
	s := &Service{
		rules: cfg.Rules, store: cfg.Store, catalogue: cfg.Catalogue, districts: cfg.Districts,
		offices: cfg.Offices, templates: cfg.Templates, clock: cfg.Clock, newID: cfg.NewID,
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.newID == nil {
		s.newID = func() string { return uuid.Must(uuid.NewV7()).String() }
	}
	return s, nil
}

// Rules returns the service's rules.
func (s *Service) Rules() Rules { return s.rules }

// Receipt is the immediate answer to a submission.
type Receipt struct {
	Application Application
	// Replayed is true when the idempotency key returned an earlier result.
	Replayed bool
}

// Submit validates a Voranmeldung and, in one atomic step, stores the
// application, its confirmation message and, where Kindertagespflege was
// chosen, the referral to the district's Fachberatung with its message.
// Bad input returns a problem.List and stores nothing.
func (s *Service) Submit(ctx context.Context, actor access.Actor, familyID string, in Input) (Receipt, error) {
	if err := checkFamilyID(familyID); err != nil {
		return Receipt{}, err
	}
	if err := access.Can(actor, access.SubmitApplication, access.Subject{FamilyID: familyID}); err != nil {
		return Receipt{}, err
	}
	in.normalize()
	if in.IdempotencyKey != "" {
		if prev, err := s.store.ApplicationByKey(ctx, familyID, in.IdempotencyKey); err == nil {
			return Receipt{Application: prev, Replayed: true}, nil
		} else if !errors.Is(err, ErrNotFound) {
			return Receipt{}, err
		}
	}
	now := s.clock().UTC()
	chk, err := s.check(in, now)
	if err != nil {
		return Receipt{}, err
	}
	app := Application{
		ID:       s.newID(),
		FamilyID: familyID,
		Year:     chk.year.Label(),
		Child: Child{
			GivenName: in.Child.GivenName, FamilyName: in.Child.FamilyName,
			BirthDate: in.Child.BirthDate, Unborn: in.Child.Unborn,
		},
		Address:  in.Address,
		District: chk.district,
		Start:    in.Start,
		Hours:    kita.Hours(in.Hours),
		Choices:  chk.choices,
		Criteria: Criteria{
			SiblingKitaIDs: slices.Clone(in.Criteria.SiblingKitaIDs),
			SingleParent:   in.Criteria.SingleParent,
			Hardship:       in.Criteria.Hardship,
			HardshipReason: in.Criteria.HardshipReason,
		},
		ConsentAt:      now,
		status:         Submitted,
		Flags:          chk.flags,
		IdempotencyKey: in.IdempotencyKey,
		ChildKey:       ChildKey(in.Child.GivenName, in.Child.FamilyName, in.Child.BirthDate),
		SubmittedAt:    now,
		UpdatedAt:      now,
		history:        []Event{{At: now, Actor: actor.String(), To: Submitted}},
	}
	for _, g := range in.Guardians {
		app.Guardians = append(app.Guardians, Guardian(g))
	}
	var ref tagespflege.Referral
	if in.Tagespflege != nil {
		app.TP = &Tagespflege{District: in.Tagespflege.District, ReferralID: s.newID()}
	}
	who := actor.String()
	_ = app.transition(Confirmed, now, who, "confirmation_issued")

	err = s.store.Atomic(ctx, func(tx Tx) error {
		a := app // the step only sets the reference; fn may run again
		seq, err := tx.NextSequence(ctx, s.rules.CityCode+"-"+fmt.Sprint(chk.year.StartYear()))
		if err != nil {
			return err
		}
		a.Reference = fmt.Sprintf("%s-%d-%06d", s.rules.CityCode, chk.year.StartYear(), seq)
		if err := tx.Insert(ctx, a); err != nil {
			return err
		}
		msgs, err := s.submissionMessages(a, chk.kitas, now)
		if err != nil {
			return err
		}
		if a.TP != nil {
			ref = tagespflege.NewReferral(a.TP.ReferralID, a.ID, a.FamilyID, a.Reference, a.TP.District, now)
			if err := tx.CreateReferral(ctx, ref); err != nil {
				return err
			}
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: who, Action: AuditSubmit, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "voranmeldung"}); err != nil {
			return err
		}
		if err := flagCrossFamily(ctx, tx, a, now); err != nil {
			return err
		}
		app = a
		return nil
	})
	if errors.Is(err, ErrDuplicate) && in.IdempotencyKey != "" {
		// A concurrent submission with the same key won; return its result.
		if prev, perr := s.store.ApplicationByKey(ctx, familyID, in.IdempotencyKey); perr == nil {
			return Receipt{Application: prev, Replayed: true}, nil
		}
	}
	if err != nil {
		return Receipt{}, err
	}
	app.version = 1
	return Receipt{Application: app}, nil
}

// flagCrossFamily records, for the Jugendamt to review, that another
// family holds an active application with the same child key for the same
// Kita year. The match is never acted on and never shown to either family:
// the audit entry names no family, so no family's export holds it.
func flagCrossFamily(ctx context.Context, tx Tx, a Application, now time.Time) error {
	if a.ChildKey == "" {
		return nil
	}
	same, err := tx.Applications(ctx, Query{ChildKey: a.ChildKey, Year: a.Year})
	if err != nil {
		return err
	}
	for _, o := range same {
		if o.FamilyID != a.FamilyID && o.status != Withdrawn && o.status != Expired {
			return tx.AppendAudit(ctx, AuditEntry{At: now, Actor: "system:registration", Action: AuditReview, ApplicationID: a.ID, Reason: ReasonCrossFamilyMatch})
		}
	}
	return nil
}

// Get returns an application as the actor may see it.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (Application, error) {
	a, err := s.store.Application(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Application{}, access.ErrDenied
	}
	if err != nil {
		return Application{}, err
	}
	v, ok := viewFor(actor, a)
	if !ok {
		return Application{}, access.ErrDenied
	}
	if err := s.audit(ctx, actor, AuditRead, a, "view"); err != nil {
		return Application{}, err
	}
	return v, nil
}

// List returns the applications the actor may see among those q selects.
// A guardian sees only their family's; a carrier's staff only those that
// chose one of its Kitas, in the Kita view.
func (s *Service) List(ctx context.Context, actor access.Actor, q Query) ([]Application, error) {
	switch access.Scope(actor, access.ReadApplication) {
	case access.Never:
		return nil, access.ErrDenied
	case access.Own:
		if f := access.FamilyOf(actor); f != "" {
			q.FamilyID = f
		}
		// A carrier's staff filtering by Kitas filters by its own only: the
		// choices of other carriers' Kitas are not its business.
		if len(q.KitaIDs) > 0 {
			q.KitaIDs = access.NarrowKitas(actor, q.KitaIDs, s.carrierOf)
			if len(q.KitaIDs) == 0 {
				return []Application{}, nil
			}
		}
	}
	apps, err := s.store.Applications(ctx, q)
	if err != nil {
		return nil, err
	}
	out := apps[:0]
	var trail []AuditEntry
	now := s.clock().UTC()
	for _, a := range apps {
		if v, ok := viewFor(actor, a); ok {
			out = append(out, v)
			trail = append(trail, AuditEntry{At: now, Actor: actor.String(), Action: AuditRead, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "list"})
		}
	}
	if len(trail) > 0 {
		err := s.store.Atomic(ctx, func(tx Tx) error {
			for _, e := range trail {
				if err := tx.AppendAudit(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// carrierOf returns the carrier of a Kita of the catalogue ("" when unknown).
func (s *Service) carrierOf(kitaID string) string {
	k, ok := s.catalogue.Get(kitaID)
	if !ok {
		return ""
	}
	return k.Carrier.ID
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

// viewFor returns the application as the actor may see it.
func viewFor(actor access.Actor, a Application) (Application, bool) {
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
	return v
}

// update reads, checks access, applies change and writes back in one
// atomic step, with the version check of the store.
func (s *Service) update(ctx context.Context, actor access.Actor, id string, allow func(access.Actor, Application) error,
	change func(tx Tx, a *Application, now time.Time) error) (Application, error) {
	var out Application
	now := s.clock().UTC()
	err := s.store.Atomic(ctx, func(tx Tx) error {
		a, err := tx.Application(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return access.ErrDenied
		}
		if err != nil {
			return err
		}
		if err := allow(actor, a); err != nil {
			return err
		}
		if err := change(tx, &a, now); err != nil {
			return err
		}
		if err := tx.Update(ctx, a); err != nil {
			return err
		}
		reason := ""
		if n := len(a.history); n > 0 {
			reason = a.history[n-1].Reason
		}
		if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: actor.String(), Action: AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: reason}); err != nil {
			return err
		}
		a.version++
		out = a
		return nil
	})
	if err != nil {
		return Application{}, err
	}
	v, _ := viewFor(actor, out)
	return v, nil
}

func familyOnly(actor access.Actor, a Application) error {
	return access.Can(actor, access.ChangeApplication, Subject(a))
}

// Withdraw withdraws an application at the family's request: every choice
// is released, a taken place given back and an open referral closed by the
// Fachberatung's service later (its status is visible there).
func (s *Service) Withdraw(ctx context.Context, actor access.Actor, id string) (Application, error) {
	return s.update(ctx, actor, id, familyOnly, func(tx Tx, a *Application, now time.Time) error {
		if err := s.end(ctx, tx, a, Withdrawn, now, actor.String(), "withdrawn_by_family"); err != nil {
			return err
		}
		if err := closeReferral(ctx, tx, *a, tagespflege.Withdrawn, now, actor.String()); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, *a, notify.Withdrawal, now)
	})
}

// ChangeChoices replaces the ranked Kitas (and the Tagespflege district is
// kept) until the allocation deadline of the application's Kita year.
func (s *Service) ChangeChoices(ctx context.Context, actor access.Actor, id string, kitas []string) (Application, error) {
	return s.update(ctx, actor, id, familyOnly, func(tx Tx, a *Application, now time.Time) error {
		if !a.status.Open() || a.status == Declined {
			return ErrTransition
		}
		y, err := s.rules.Calendar.ParseYear(a.Year)
		if err != nil {
			return err
		}
		if s.rules.today(now).After(s.rules.DeadlineOf(y)) && !a.HasFlag(FlagLate) {
			return ErrDeadline
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
		a.history = append(a.history, Event{At: now, Actor: actor.String(), From: a.status, To: a.status, Reason: "choices_changed"})
		return nil
	})
}

// inputOf rebuilds the input an application was made from.
func inputOf(a Application) Input {
	in := Input{
		Child:    ChildInput{GivenName: a.Child.GivenName, FamilyName: a.Child.FamilyName, BirthDate: a.Child.BirthDate, Unborn: a.Child.Unborn},
		Address:  a.Address,
		Start:    a.Start,
		Hours:    int(a.Hours),
		Criteria: CriteriaInput{SiblingKitaIDs: a.Criteria.SiblingKitaIDs, SingleParent: a.Criteria.SingleParent, Hardship: a.Criteria.Hardship, HardshipReason: a.Criteria.HardshipReason},
		Consent:  true,
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

// end ends an application that still waits or holds an offer or place: the
// place is given back, every open choice released and the lifecycle moved
// to (withdrawn or expired), with the reason in the history.
func (s *Service) end(ctx context.Context, tx Tx, a *Application, to Status, now time.Time, actor, reason string) error {
	if err := s.releasePlace(ctx, tx, *a); err != nil {
		return err
	}
	if err := a.transition(to, now, actor, reason); err != nil {
		return err
	}
	a.releaseOthers("")
	a.offer = nil
	return nil
}

// releasePlace gives back the place an offered or accepted application holds.
func (s *Service) releasePlace(ctx context.Context, tx Tx, a Application) error {
	if a.offer == nil || (a.status != Offered && a.status != Accepted) {
		return nil
	}
	return tx.ReleasePlace(ctx, PlaceKey{KitaID: a.offer.KitaID, Year: a.Year, Band: a.offer.Band})
}

// Offer lets a Kita offer a place to an application that chose it (outside
// or after the allocation rounds, from the waiting list). The place is
// taken in the same atomic step; when the Kita has none left, ErrNoPlace.
func (s *Service) Offer(ctx context.Context, actor access.Actor, id, kitaID string) (Application, error) {
	k, ok := s.catalogue.Get(kitaID)
	if !ok {
		return Application{}, access.ErrDenied
	}
	if err := access.Can(actor, access.OfferPlace, access.Subject{Carriers: []string{k.Carrier.ID}}); err != nil {
		return Application{}, err
	}
	allow := func(actor access.Actor, a Application) error {
		if _, chosen := a.Choice(kitaID); !chosen {
			return access.ErrDenied
		}
		return nil
	}
	return s.update(ctx, actor, id, allow, func(tx Tx, a *Application, now time.Time) error {
		if err := s.makeOffer(ctx, tx, a, kitaID, 0, now, actor.String(), true); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, *a, notify.Offer, now)
	})
}

// makeOffer records an offer on a and takes its place when take is set;
// the caller queues the offer message.
func (s *Service) makeOffer(ctx context.Context, tx Tx, a *Application, kitaID string, round int, now time.Time, actor string, take bool) error {
	c, ok := a.Choice(kitaID)
	if !ok || c.Status != Waiting {
		return ErrTransition
	}
	if !CanTransition(a.status, Offered) {
		return ErrTransition
	}
	band := bandOf(*a)
	if take {
		if err := tx.TakePlace(ctx, PlaceKey{KitaID: kitaID, Year: a.Year, Band: band}); err != nil {
			return err
		}
	}
	if err := a.transition(Offered, now, actor, "offer:"+kitaID); err != nil {
		return err
	}
	a.setChoices(ChoiceOffered, func(c Choice) bool { return c.KitaID == kitaID })
	a.offer = &Offer{KitaID: kitaID, Band: band, Round: round, At: now, RespondBy: s.rules.today(now).Add(date.PeriodOfDays(s.rules.OfferDays))}
	return nil
}

// Accept accepts the offer: every other open choice of the child is released.
func (s *Service) Accept(ctx context.Context, actor access.Actor, id string) (Application, error) {
	return s.update(ctx, actor, id, familyOnly, func(tx Tx, a *Application, now time.Time) error {
		if a.offer == nil {
			return ErrTransition
		}
		if s.rules.today(now).After(a.offer.RespondBy) {
			return ErrOfferLapsed
		}
		if err := a.transition(Accepted, now, actor.String(), "offer_accepted"); err != nil {
			return err
		}
		a.setChoices(ChoiceAccepted, func(c Choice) bool { return c.KitaID == a.offer.KitaID })
		a.releaseOthers(a.offer.KitaID)
		return closeReferral(ctx, tx, *a, tagespflege.PlacedElsewhere, now, actor.String())
	})
}

// closeReferral closes the application's Tagespflege referral, if it is
// still open, in the same atomic step: the Fachberatung stops looking for a
// minder once the child took a Kita place or the family withdrew.
func closeReferral(ctx context.Context, tx Tx, a Application, reason tagespflege.CloseReason, now time.Time, actor string) error {
	return changeReferral(ctx, tx, a, func(r *tagespflege.Referral) (bool, error) {
		if r.Status() != tagespflege.Open && r.Status() != tagespflege.Contacted {
			return false, nil // placed with a minder or closed already: the Fachberatung decides
		}
		return true, r.Close(reason, now, actor)
	})
}

// changeReferral lets change update the application's referral, if it has
// one, in the step tx; change reports whether it changed anything.
func changeReferral(ctx context.Context, tx Tx, a Application, change func(r *tagespflege.Referral) (bool, error)) error {
	if a.TP == nil || a.TP.ReferralID == "" {
		return nil
	}
	r, err := tx.Referral(ctx, a.TP.ReferralID)
	if errors.Is(err, tagespflege.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	changed, err := change(&r)
	if err != nil || !changed {
		return err
	}
	return tx.UpdateReferral(ctx, r)
}

// Decline declines the offer: the place is given back, and the application
// waits for later rounds with its remaining choices.
func (s *Service) Decline(ctx context.Context, actor access.Actor, id string) (Application, error) {
	return s.update(ctx, actor, id, familyOnly, func(tx Tx, a *Application, now time.Time) error {
		if a.offer == nil || a.status != Offered {
			return ErrTransition
		}
		if err := s.releasePlace(ctx, tx, *a); err != nil {
			return err
		}
		if err := a.transition(Declined, now, actor.String(), "offer_declined"); err != nil {
			return err
		}
		kid := a.offer.KitaID
		a.setChoices(ChoiceDeclined, func(c Choice) bool { return c.KitaID == kid })
		a.offer = nil
		return nil
	})
}

// Contracted records that the care contract was signed: the application is
// contracted, and every other active application of the same child (other
// Kita years) is withdrawn, releasing their choices.
func (s *Service) Contracted(ctx context.Context, actor access.Actor, id string) (Application, error) {
	allow := func(actor access.Actor, a Application) error {
		subject := access.Subject{FamilyID: a.FamilyID}
		if a.offer != nil {
			subject.Carriers = []string{s.carrierOf(a.offer.KitaID)}
		}
		return access.Can(actor, access.RecordContract, subject)
	}
	return s.update(ctx, actor, id, allow, func(tx Tx, a *Application, now time.Time) error {
		if a.status != Accepted {
			return ErrTransition
		}
		if err := a.transition(Contracted, now, actor.String(), "contract_signed"); err != nil {
			return err
		}
		// The same child within the family only: another family's match is
		// never acted on.
		others, err := tx.Applications(ctx, Query{ChildKey: a.ChildKey, FamilyID: a.FamilyID})
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.ID == a.ID || !o.status.Open() && o.status != Offered {
				continue
			}
			if err := s.end(ctx, tx, &o, Withdrawn, now, actor.String(), "contract_elsewhere"); err != nil {
				return err
			}
			if err := closeReferral(ctx, tx, o, tagespflege.PlacedElsewhere, now, actor.String()); err != nil {
				return err
			}
			if err := tx.Update(ctx, o); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: actor.String(), Action: AuditChange, ApplicationID: o.ID, FamilyID: o.FamilyID, Reason: "contract_elsewhere"}); err != nil {
				return err
			}
		}
		return nil
	})
}

// EndForTagespflege withdraws, inside the caller's atomic step tx, an
// application whose child was placed with a child-minder through its
// Tagespflege referral: every Kita choice is released and an offered place
// given back, so that the child holds one place only. An application
// already withdrawn or expired is returned unchanged; a child who accepted
// a Kita place keeps it (ErrTransition). The caller decided access.
func (s *Service) EndForTagespflege(ctx context.Context, tx Tx, id, actor string, now time.Time) (Application, error) {
	a, err := tx.Application(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if a.status == Withdrawn || a.status == Expired {
		return a, nil
	}
	if err := s.end(ctx, tx, &a, Withdrawn, now, actor, "placed_in_tagespflege"); err != nil {
		return Application{}, err
	}
	if err := tx.Update(ctx, a); err != nil {
		return Application{}, err
	}
	if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: actor, Action: AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "placed_in_tagespflege"}); err != nil {
		return Application{}, err
	}
	a.version++
	return a, nil
}
