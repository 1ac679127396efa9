package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
// profile's calendar labels it ("2027/2028") and publishes it at once: a
// [Registrations.DryRun] followed by [Registrations.Publish] of its draft.
// The places come from the catalogue inside the round (what offers and
// accepted places hold stays taken), the engine places the children under
// the profile's policy, and offers are written with their messages. A
// label of another form ("2027/28") or of no Kita year is a problem.List;
// a year without places is [ErrNoPlaces]; a round published already is
// registration.ErrRoundPublished. Applications that changed meanwhile are
// skipped and counted in Skipped.
func (r *Registrations) RunRound(ctx context.Context, actor access.Actor, year string, opts RoundOptions) (registration.RoundReport, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return registration.RoundReport{}, err
	}
	d, err := r.DryRun(ctx, actor, year, opts)
	if err != nil {
		return registration.RoundReport{}, err
	}
	return r.publishReport(ctx, actor, d.ID, &d)
}

// DryRun runs an allocation round without writing offers and stores it
// as a [Draft]: the engine's instance (ids only) and result with its
// statistics, the children whose outcome differs from the previous dry
// run of the same round or, without one, from the last published round
// of the year (Changes), and each changed child's rank and the last
// admitted rank on its Kitas' lists. The dry run is audited
// ([AuditDryRun]). Errors as [Registrations.RunRound]; a round published
// already is registration.ErrRoundPublished.
func (r *Registrations) DryRun(ctx context.Context, actor access.Actor, year string, opts RoundOptions) (Draft, error) {
	if err := access.Can(actor, access.DryRunRound, access.Subject{}); err != nil {
		return Draft{}, err
	}
	if err := r.checkYear(year); err != nil {
		return Draft{}, err
	}
	kitas := r.app.Catalogue.cat.All()
	places := 0
	for _, k := range kitas {
		places += k.Capacity.Under3 + k.Capacity.From3
	}
	if places == 0 {
		return Draft{}, ErrNoPlaces
	}
	o := registration.RoundOptions{Round: max(opts.Round, 1), Mechanism: opts.Mechanism, IncludeLate: opts.IncludeLate}
	o.Policy = r.app.Profile.Policy
	if opts.Policy != nil {
		o.Policy = *opts.Policy
	}
	if o.Mechanism == 0 {
		o.Mechanism = r.app.Profile.Mechanism
	}
	// One step checks that the round is not published yet and syncs the
	// year's places from the catalogue (what offers and accepted places
	// hold stays taken).
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		_, err := step.Drafts().NewestDraftID(ctx, DraftQuery{Year: year, Round: o.Round, Published: true})
		switch {
		case err == nil:
			return registration.ErrRoundPublished
		case !errors.Is(err, ErrNoDraft):
			return err
		}
		return step.Ledger().SetPlaces(ctx, registration.PlacesOf(year, kitas)...)
	})
	if err != nil {
		return Draft{}, err
	}
	st := r.app.store.Registrations()
	apps, err := st.Applications(ctx, registration.Query{Year: year, Statuses: registration.RoundStatuses})
	if err != nil {
		return Draft{}, err
	}
	ledger, err := st.Places(ctx, year)
	if err != nil {
		return Draft{}, err
	}
	inst := r.svc.Instance(apps, ledger, o)
	res, err := registration.Allocate(inst, o.Mechanism)
	if err != nil {
		return Draft{}, err
	}
	now := r.app.clock().UTC()
	d := Draft{
		ID: r.app.newID(), Year: year, Round: o.Round, Mechanism: res.Mechanism, IncludeLate: o.IncludeLate,
		Seed: res.Seed, Instance: inst, Result: res, CreatedAt: now, CreatedBy: actor.String(),
	}
	familyOf := make(map[string]string, len(apps))
	for _, a := range apps {
		familyOf[a.ID] = a.FamilyID
	}
	err = r.app.store.Atomic(ctx, func(step Tx) error {
		tx := step.Applications()
		n, err := tx.NextSequence(ctx, draftMarker(year, o.Round))
		if err != nil {
			return err
		}
		d.Number = int(n)
		if err := r.compare(ctx, step, &d, familyOf); err != nil {
			return err
		}
		if err := step.Drafts().PutDraft(ctx, d); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: d.CreatedBy, Action: AuditDryRun, Reason: fmt.Sprintf("round_%d", o.Round)})
	})
	if err != nil {
		return Draft{}, err
	}
	return d, nil
}

// compare fills the draft's Baseline and Changes: against the newest
// earlier dry run of its round or, without one, the year's last published
// round; children who left the round since a published round (placed
// then, say) are not changes of this one. familyOf holds the family ids of
// the round's applications; others are read from the step.
func (r *Registrations) compare(ctx context.Context, step Tx, d *Draft, familyOf map[string]string) error {
	drafts := step.Drafts()
	base, err := drafts.NewestDraft(ctx, DraftQuery{Year: d.Year, Round: d.Round})
	if errors.Is(err, ErrNoDraft) {
		base, err = drafts.NewestDraft(ctx, DraftQuery{Year: d.Year, Published: true})
	}
	switch {
	case errors.Is(err, ErrNoDraft):
		base = Draft{}
	case err != nil:
		return err
	}
	d.Baseline = base.ID
	inRound := make(map[string]bool, len(d.Instance.Applicants))
	for _, a := range d.Instance.Applicants {
		inRound[a.ID] = true
	}
	var explain []string
	d.Changes = nil
	for _, c := range allocation.Diff(base.Result, d.Result) {
		if !inRound[c.Applicant] && base.Round != d.Round {
			continue
		}
		fam, ok := familyOf[c.Applicant]
		if !ok { // left the round since the baseline (withdrawn, say)
			switch a, err := step.Applications().Application(ctx, c.Applicant); {
			case err == nil:
				fam = a.FamilyID
			case !errors.Is(err, registration.ErrNotFound):
				return err
			}
		}
		d.Changes = append(d.Changes, DraftChange{ApplicationID: c.Applicant, FamilyID: fam, Before: c.Before, After: c.After})
		if inRound[c.Applicant] {
			explain = append(explain, c.Applicant)
		}
	}
	if len(explain) == 0 {
		return nil
	}
	pos, err := allocation.PositionsOf(d.Instance, d.Result, explain)
	if err != nil {
		return err
	}
	for i := range d.Changes {
		d.Changes[i].Positions = pos[d.Changes[i].ApplicationID]
	}
	return nil
}

// Draft returns a stored dry run ([ErrNoDraft] when none has that id).
func (r *Registrations) Draft(ctx context.Context, actor access.Actor, id string) (Draft, error) {
	if err := ids("id", id); err != nil {
		return Draft{}, err
	}
	if err := access.Can(actor, access.DryRunRound, access.Subject{}); err != nil {
		return Draft{}, err
	}
	return r.readDraft(ctx, func(drafts Drafts) (Draft, error) { return drafts.Draft(ctx, id) })
}

// Publish writes the offers of exactly the dry run draftID in ONE step
// (see publish): an offer on every application the draft placed, with
// its place and message, each audited, and the draft marked published.
// Publishing the same draft again returns the same report and writes
// nothing. A draft that is not the newest dry run of its round is
// [ErrDraftSuperseded]; a round published already from another draft (or
// before drafts existed) is [ErrPublishedElsewhere]. Applications changed
// since the dry run are skipped and counted in Skipped.
func (r *Registrations) Publish(ctx context.Context, actor access.Actor, draftID string) (registration.RoundReport, error) {
	if err := ids("draft_id", draftID); err != nil {
		return registration.RoundReport{}, err
	}
	return r.publishReport(ctx, actor, draftID, nil)
}

// publishReport publishes the draft id (see [Registrations.Publish]);
// known is the draft as its dry run made it, or nil.
func (r *Registrations) publishReport(ctx context.Context, actor access.Actor, draftID string, known *Draft) (registration.RoundReport, error) {
	if err := access.Can(actor, access.PublishRound, access.Subject{}); err != nil {
		return registration.RoundReport{}, err
	}
	d, err := r.publish(ctx, actor, draftID, known)
	if err != nil {
		return registration.RoundReport{}, err
	}
	return registration.RoundReport{Year: d.Year, Round: d.Round, Instance: d.Instance, Result: d.Result,
		Offers: d.Published.Offers, Skipped: d.Published.Skipped}, nil
}

// RoundPositions are a child's positions after a published round.
type RoundPositions struct {
	// Year and Round name the published round the positions are from.
	Year  string
	Round int
	// PublishedAt is when the round's offers were written.
	PublishedAt time.Time
	// Positions are the child's rank and the last admitted rank on each
	// Kita's list it chose, in the order of its choices.
	Positions []allocation.Position
}

// Positions returns where an application's child stands on each of its
// Kitas' lists: its rank and the last admitted rank, from the newest
// published round of its Kita year that it took part in, and nothing of
// any other family. The family itself and the Jugendamt may ask; a
// carrier or another family gets access.ErrDenied, as for any record they
// cannot see. Without such a round it is [ErrNoRound].
func (r *Registrations) Positions(ctx context.Context, actor access.Actor, applicationID string) (RoundPositions, error) {
	if err := ids("application_id", applicationID); err != nil {
		return RoundPositions{}, err
	}
	a, err := r.app.store.Registrations().Application(ctx, applicationID)
	if errors.Is(err, registration.ErrNotFound) {
		return RoundPositions{}, access.ErrDenied
	}
	if err != nil {
		return RoundPositions{}, err
	}
	if err := access.Can(actor, access.ReadPositions, access.Subject{FamilyID: a.FamilyID}); err != nil {
		return RoundPositions{}, err
	}
	d, err := r.newestDraft(ctx, DraftQuery{Year: a.Year, Published: true})
	for err == nil {
		if slices.ContainsFunc(d.Instance.Applicants, func(x allocation.Applicant) bool { return x.ID == a.ID }) {
			pos, err := allocation.Positions(d.Instance, d.Result, a.ID)
			if err != nil {
				return RoundPositions{}, err
			}
			return RoundPositions{Year: d.Year, Round: d.Round, PublishedAt: d.Published.At, Positions: pos}, nil
		}
		// The child took no part in that round: the one before it.
		err = ErrNoDraft
		for round := d.Round - 1; errors.Is(err, ErrNoDraft) && round >= 1; round-- {
			d, err = r.newestDraft(ctx, DraftQuery{Year: a.Year, Round: round, Published: true})
		}
	}
	if errors.Is(err, ErrNoDraft) {
		return RoundPositions{}, ErrNoRound
	}
	return RoundPositions{}, err
}

// newestDraft reads the newest draft q selects in a step of its own.
func (r *Registrations) newestDraft(ctx context.Context, q DraftQuery) (Draft, error) {
	return r.readDraft(ctx, func(drafts Drafts) (Draft, error) { return drafts.NewestDraft(ctx, q) })
}

// readDraft reads a draft in a step of its own.
func (r *Registrations) readDraft(ctx context.Context, read func(Drafts) (Draft, error)) (Draft, error) {
	var d Draft
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		var err error
		d, err = read(step.Drafts())
		return err
	})
	return d, err
}

// checkYear checks a Kita year label: one of the profile's calendar, in
// its form.
func (r *Registrations) checkYear(year string) error {
	y, err := r.app.Profile.Registration.Calendar.ParseYear(year)
	if err != nil || y.Label() != year {
		var c problem.Collector
		c.Add("year", CodeYear, ErrYear, "example", r.app.Profile.Registration.Calendar.YearStarting(2027).Label())
		return c.Err()
	}
	return nil
}

// draftMarker is the name of the sequence that numbers a round's dry runs.
func draftMarker(year string, round int) string {
	return fmt.Sprintf("draft:%s:%d", year, round)
}

// publish writes a draft's offers in ONE step: an offer on every placed
// application with its place and message, an audit entry per offer and
// one for the round, and the draft marked published. A crash leaves the
// round unwritten, never half written. A draft published already returns
// its publication and writes nothing; a draft that is not the newest of
// its round is ErrDraftSuperseded. The step draws the round's marker
// (year and number), so the round is published once: from another draft,
// it is ErrPublishedElsewhere; after a failure it can simply run again.
// Applications that changed after the dry run (withdrawn, say) or whose
// place is gone are skipped. known is the draft id as its dry run made it
// (RunRound), or nil: where the store offers [DraftChecker] and the
// stored draft is still known, it is not read back.
func (r *Registrations) publish(ctx context.Context, actor access.Actor, id string, known *Draft) (Draft, error) {
	now := r.app.clock().UTC()
	who := actor.String()
	var d Draft
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		tx := step.Applications()
		var err error
		if d, err = readKnown(ctx, step.Drafts(), id, known); err != nil {
			return err
		}
		if d.Published != nil {
			return errPublishedAlready // nothing is written
		}
		// A concurrent publication of the round waits here until the
		// other one ends; then the draft is read again, as it left it.
		n, err := tx.NextSequence(ctx, registration.RoundMarker(d.Year, d.Round))
		if err != nil {
			return err
		}
		if n > 1 {
			if d, err = step.Drafts().Draft(ctx, id); err != nil {
				return err
			}
			if d.Published != nil {
				return errPublishedAlready // undoes the marker: nothing is written
			}
			return ErrPublishedElsewhere
		}
		newest, err := step.Drafts().NewestDraftID(ctx, DraftQuery{Year: d.Year, Round: d.Round})
		if err != nil {
			return err
		}
		if newest != d.ID {
			return ErrDraftSuperseded
		}
		var offers []string // application ids in the engine's order
		for _, a := range d.Instance.Applicants {
			if d.Result.Placements[a.ID] != "" {
				offers = append(offers, a.ID)
			}
		}
		apps, err := readBatch(ctx, tx, offers)
		if err != nil {
			return err
		}
		pools := r.svc.OfferedPools(d.Instance, d.Result)
		// The offers are made on the copies first, then their places taken
		// in the engine's order, then the placed ones written: a store
		// that offers RoundWriter does each in one call.
		made := make([]registration.Application, 0, len(offers))
		keys := make([]registration.PlaceKey, 0, len(offers))
		for _, id := range offers {
			a, ok := apps[id]
			if !ok {
				continue // erased or gone since the round read it
			}
			place, err := a.MakePoolOffer(d.Result.Placements[id], pools[id], d.Round, now, who, r.svc.RespondBy(now))
			if errors.Is(err, registration.ErrTransition) {
				continue // changed since the round read it
			}
			if err != nil {
				return err
			}
			made = append(made, a)
			keys = append(keys, place)
		}
		taken, err := takePlaces(ctx, tx, keys)
		if err != nil {
			return err
		}
		var (
			placed = made[:0] // filtered in place: placed never overtakes made
			audit  = make([]registration.AuditEntry, 0, len(made))
			msgs   []notify.Message
		)
		for i, a := range made {
			if !taken[i] {
				continue // the place is gone since the round read it
			}
			placed = append(placed, a)
			audit = append(audit, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "offer_round"})
			m, err := r.svc.LifecycleMessages(a, notify.Offer, now)
			if err != nil {
				return err
			}
			msgs = append(msgs, m...)
		}
		if err := writeOffers(ctx, tx, placed, audit); err != nil {
			return err
		}
		written := len(placed)
		if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditRound, Reason: fmt.Sprintf("round_%d", d.Round)}); err != nil {
			return err
		}
		d.Published = &Publication{At: now, By: who, Offers: written, Skipped: len(offers) - written}
		if err := step.Drafts().PublishDraft(ctx, d.ID, *d.Published); err != nil {
			return err
		}
		// One call for the round's messages: a store may send them at once.
		return tx.Enqueue(ctx, msgs...)
	})
	if errors.Is(err, errPublishedAlready) {
		err = nil
	}
	return d, err
}

// readKnown reads the draft id in a step: without reading it back where
// the step's Drafts offer [DraftChecker] and the stored draft is still
// known (the draft of that id as its dry run made it; nil: none).
func readKnown(ctx context.Context, drafts Drafts, id string, known *Draft) (Draft, error) {
	if dc, ok := drafts.(DraftChecker); ok && known != nil && known.ID == id {
		same, pub, err := dc.StillDraft(ctx, *known)
		if err != nil {
			return Draft{}, err
		}
		if same {
			d := *known
			d.Published = pub
			return d, nil
		}
	}
	return drafts.Draft(ctx, id)
}

// errPublishedAlready ends a publication step of a draft published
// already, so that the step writes nothing.
var errPublishedAlready = errors.New("app: draft published already")

// RoundWriter is an optional capability of the registration.Tx of a
// step: it writes an allocation round's offers in a few calls instead of
// three per offer, which a database adapter sends to the server in a few
// round trips (store/postgres does). A round on a Tx without it takes,
// updates and audits one offer at a time; the result is the same.
type RoundWriter interface {
	// TakePlaces takes one place for each key, in order, as TakePlace
	// called once per key would: taken[i] is false where keys[i] had no
	// place left (registration.ErrNoPlace). Any other error fails the step.
	TakePlaces(ctx context.Context, keys []registration.PlaceKey) (taken []bool, err error)
	// UpdateAll stores every application as Update would, in order; the
	// first refusal (registration.ErrConflict, ErrNotFound, ErrDuplicate)
	// is returned and fails the step.
	UpdateAll(ctx context.Context, apps []registration.Application) error
	// AppendAudits appends the entries in order, as AppendAudit would.
	AppendAudits(ctx context.Context, entries []registration.AuditEntry) error
}

// takePlaces takes a place for each key in order and reports which were
// taken: in one call where the step offers [RoundWriter].
func takePlaces(ctx context.Context, tx registration.Tx, keys []registration.PlaceKey) ([]bool, error) {
	if rw, ok := tx.(RoundWriter); ok {
		return rw.TakePlaces(ctx, keys)
	}
	taken := make([]bool, len(keys))
	for i, k := range keys {
		switch err := tx.TakePlace(ctx, k); {
		case err == nil:
			taken[i] = true
		case !errors.Is(err, registration.ErrNoPlace):
			return nil, err
		}
	}
	return taken, nil
}

// writeOffers stores the offered applications and their audit entries:
// in two calls where the step offers [RoundWriter].
func writeOffers(ctx context.Context, tx registration.Tx, apps []registration.Application, audit []registration.AuditEntry) error {
	if rw, ok := tx.(RoundWriter); ok {
		if err := rw.UpdateAll(ctx, apps); err != nil {
			return err
		}
		return rw.AppendAudits(ctx, audit)
	}
	for i, a := range apps {
		if err := tx.Update(ctx, a); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit[i]); err != nil {
			return err
		}
	}
	return nil
}

// ErrYear: the Kita year label is not one of the profile's calendar.
var ErrYear = problem.NewSentinel(problem.Invalid, CodeYear, "app: unknown Kita year label")

// ExpireYear ends, in one step, every application of a Kita year still
// waiting or holding an unanswered offer: the year is over. Offered places
// are given back (a place accepted before an upgrade offer stays the
// family's), and an accepted place still waiting for better choices stops
// waiting (its place stays, the choices are released). Each change is
// audited. It returns how many applications changed.
func (r *Registrations) ExpireYear(ctx context.Context, actor access.Actor, year string) (int, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return 0, err
	}
	who := actor.String()
	expire := func(tx registration.Tx, a *registration.Application, now time.Time) (bool, error) {
		if a.Status() == registration.Accepted {
			return a.StopWaiting(now), nil
		}
		return true, end(ctx, tx, a, registration.Expired, now, who, "year_ended")
	}
	q := registration.Query{Year: year, Statuses: []registration.Status{registration.Confirmed, registration.Declined, registration.Offered, registration.Accepted}}
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
