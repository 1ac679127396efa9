package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Registrations are the use cases of the Voranmeldung: submit, read,
// change, withdraw, offers and their answers, allocation rounds, export,
// erasure and retention. Every method validates its ids first, then asks
// [access.Can] once and runs one atomic step.
type Registrations struct {
	app *App
	svc *registration.Checker
}

// Errors and codes of the application layer.
var (
	// ErrNoPlaces: the round's Kita year has no places in the catalogue.
	ErrNoPlaces = problem.NewSentinel(problem.WrongState, "app.no_places", "app: no places for the round")
	// ErrID: an id or idempotency key is empty, too long, not UTF-8 or
	// holds control characters (a field of a problem.List).
	ErrID = problem.NewSentinel(problem.Invalid, CodeID, "app: invalid id")
)

// Codes of the application layer.
const (
	CodeID   problem.Code = "app.id_invalid"
	CodeYear problem.Code = "app.year_label"
)

// maxID is the longest id or idempotency key the App accepts, in bytes.
const maxID = 128

// checkID reports into c a value that cannot be an id: empty (when
// required), longer than maxID, not UTF-8, or holding NUL or another
// control character. It runs before any lookup, so that every adapter
// answers the same.
func checkID(c *problem.Collector, field, v string, required bool) {
	if v == "" {
		if required {
			c.Add(field, CodeID, ErrID)
		}
		return
	}
	if len(v) > maxID || !utf8.ValidString(v) || hasControl(v) {
		c.Add(field, CodeID, ErrID)
	}
}

// hasControl reports whether s holds NUL or another control character
// (below U+0020, or DEL), without a list of its runes (an id of a UUID's
// 36 characters is longer than the runes a conversion keeps off the heap).
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// ids validates field/value pairs of required ids.
func ids(pairs ...string) error {
	var c problem.Collector
	for i := 0; i+1 < len(pairs); i += 2 {
		checkID(&c, pairs[i], pairs[i+1], true)
	}
	return c.Err()
}

// Submit submits a Voranmeldung for the guardian's own family (the family
// is the actor's; see [Registrations.SubmitAtCounter] for the Jugendamt).
// In one atomic step it stores the application, its confirmation message
// and, where Kindertagespflege was chosen, the referral to the district's
// Fachberatung with its message. Bad input returns a problem.List and
// stores nothing; so does a child kept together with a sibling
// (registration.Input.Together) whose Kitas differ from the sibling's
// (registration.CodeTogetherChoices at "kitas").
func (r *Registrations) Submit(ctx context.Context, actor access.Actor, in registration.Input) (registration.Receipt, error) {
	return r.SubmitAtCounter(ctx, actor, actor.FamilyID, in)
}

// SubmitAtCounter submits a Voranmeldung on behalf of the named family:
// the Jugendamt registering a family at its counter (a guardian may name
// only their own family). A repeated idempotency key returns the earlier
// receipt (Replayed), also when the input is no longer valid (a Kita
// closed since, the clock past the start): input with problems looks the
// key up before it returns them; valid input looks it up in the step,
// with the step's reads, and stores nothing when it is found.
func (r *Registrations) SubmitAtCounter(ctx context.Context, actor access.Actor, familyID string, in registration.Input) (registration.Receipt, error) {
	var c problem.Collector
	checkID(&c, "family_id", familyID, true)
	checkID(&c, "idempotency_key", in.IdempotencyKey, false)
	if err := c.Err(); err != nil {
		return registration.Receipt{}, err
	}
	if err := access.Can(actor, access.SubmitApplication, access.Subject{FamilyID: familyID}); err != nil {
		return registration.Receipt{}, err
	}
	in = registration.Normalize(in)
	now := r.app.clock().UTC()
	who := actor.String()
	draft, err := r.svc.Draft(familyID, in, who, now)
	if err != nil {
		if prev, ok, perr := r.replay(ctx, familyID, in.IdempotencyKey); ok || perr != nil {
			return prev, perr
		}
		return registration.Receipt{}, err
	}
	// Where the store draws numbers outside its steps, the reference number
	// is drawn before the step (a failed submission, and a replay found in
	// the step, leave a gap), so submissions do not wait for each other's
	// counter. Drawing inside the step would hold the step's connection
	// while the draw waits for another.
	var drawn int64
	if d, ok := r.app.store.(NumberDrawer); ok {
		if drawn, err = d.DrawNumber(ctx, r.svc.SequenceName(draft.Year)); err != nil {
			return registration.Receipt{}, err
		}
	}
	// The step's state, with the one application it shares with this
	// call, is a pooled submitStep: the step only sets the application's
	// reference (it may run again), the receipt returns it, or the
	// application stored earlier when the key was found.
	st := submitSteps.Get().(*submitStep)
	defer st.release()
	st.r, st.ctx, st.a, st.lines, st.year = r, ctx, draft.Application, draft.Lines, draft.Year
	st.drawn, st.now, st.who = drawn, now, who
	err = r.app.store.Atomic(ctx, st.run)
	if errors.Is(err, registration.ErrDuplicate) {
		// A concurrent submission with the same key won; return its result.
		if prev, ok, perr := r.replay(ctx, familyID, in.IdempotencyKey); ok && perr == nil {
			return prev, nil
		}
	}
	if err != nil {
		return registration.Receipt{}, err
	}
	if st.found {
		return registration.Receipt{Application: st.earlier, Replayed: true}, nil
	}
	return registration.Receipt{Application: st.a.AtVersion(1)}, nil
}

// submitStep is the state of SubmitAtCounter's atomic step, and the step
// itself (run, bound once to the state): a submission takes one from
// submitSteps, so that neither the step's closure nor the application it
// shares with SubmitAtCounter is allocated per submission. release
// clears it before it goes back, so that no personal data stays in the
// pool.
type submitStep struct {
	r     *Registrations
	ctx   context.Context
	a     registration.Application
	lines []notify.KitaLine
	year  kita.Year
	drawn int64
	now   time.Time
	who   string
	// earlier is the application stored earlier with the idempotency
	// key, when the step found one (found).
	earlier registration.Application
	found   bool
	// msgs is the room of the submission's messages (the confirmation
	// and, with Tagespflege, the referral message), handed to the store
	// within the step; a store keeps no list of them beyond its step
	// (PostgreSQL's rows queued for the COMMIT are sent before Atomic
	// returns, and from its rendered copy).
	msgs [2]notify.Message
	run  func(Tx) error
}

var submitSteps = sync.Pool{New: func() any {
	st := new(submitStep)
	st.run = st.step
	return st
}}

// release clears st and puts it back into submitSteps.
func (st *submitStep) release() {
	*st = submitStep{run: st.run}
	submitSteps.Put(st)
}

// step is the atomic step of a submission.
func (st *submitStep) step(step Tx) error {
	ctx, r := st.ctx, st.r
	tx := step.Applications()
	// The review check reads before the reference is drawn: the
	// sequence's counter stays taken until the step ends, and the
	// fewer statements run after it, the more submissions a database
	// takes at once.
	st.earlier, st.found = registration.Application{}, false
	prev, found, review, family, err := submissionReads(ctx, tx, st.a)
	if err != nil {
		return err
	}
	if found {
		st.earlier, st.found = prev, true
		return nil
	}
	if err := registration.CheckTogether(st.a, family); err != nil {
		return err
	}
	seq := st.drawn
	if seq == 0 {
		if seq, err = tx.NextSequence(ctx, r.svc.SequenceName(st.year)); err != nil {
			return err
		}
	}
	st.a.Reference = r.svc.Reference(st.year, seq)
	if err := writeSubmission(ctx, tx, r.svc, &st.a, st.lines, st.now, st.who, review, st.msgs[:]); err != nil {
		return err
	}
	if a := &st.a; a.TP != nil {
		ref := tagespflege.NewReferral(a.TP.ReferralID, a.ID, a.FamilyID, a.Reference, a.TP.District, st.now)
		if err := tx.CreateReferral(ctx, ref); err != nil {
			return err
		}
	}
	return nil
}

// writeSubmission stores a new application, its messages (the checker's
// [registration.Checker.SubmissionMessages] with the chosen Kitas' lines,
// made in the room of buf) and the audit entries (submissionAudit): in
// one call where the step offers [registration.SubmissionWriter], else
// with Insert, Enqueue and AppendAudit (rendering only once the
// application is in; the entries are passed one by one, so no list of
// them is made).
func writeSubmission(ctx context.Context, tx registration.Tx, svc *registration.Checker, a *registration.Application, lines []notify.KitaLine, now time.Time, who string, review bool, buf []notify.Message) error {
	submitted, reviewed := submissionAudit(a, now, who)
	if sw, ok := tx.(registration.SubmissionWriter); ok {
		msgs, err := svc.AppendSubmissionMessages(buf[:0], *a, lines, now)
		if err != nil {
			return err
		}
		audit := []registration.AuditEntry{submitted}
		if review {
			audit = append(audit, reviewed)
		}
		return sw.InsertSubmission(ctx, *a, msgs, audit)
	}
	if err := tx.Insert(ctx, *a); err != nil {
		return err
	}
	msgs, err := svc.AppendSubmissionMessages(buf[:0], *a, lines, now)
	if err != nil {
		return err
	}
	if err := tx.Enqueue(ctx, msgs...); err != nil {
		return err
	}
	if err := tx.AppendAudit(ctx, submitted); err != nil {
		return err
	}
	if review {
		return tx.AppendAudit(ctx, reviewed)
	}
	return nil
}

// submissionAudit returns the audit entries of a submission by who: the
// submission, and the review a cross-family match asks for (written only
// then).
func submissionAudit(a *registration.Application, now time.Time, who string) (submitted, reviewed registration.AuditEntry) {
	submitted = registration.AuditEntry{At: now, Actor: who, Action: registration.AuditSubmit, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "voranmeldung"}
	// The review names no family, so no family's export holds it.
	reviewed = registration.AuditEntry{At: now, Actor: "system:registration", Action: registration.AuditReview, ApplicationID: a.ID, Reason: registration.ReasonCrossFamilyMatch}
	return submitted, reviewed
}

// replay returns the receipt of an earlier submission with the family's
// idempotency key (ok), if there is one.
func (r *Registrations) replay(ctx context.Context, familyID, key string) (registration.Receipt, bool, error) {
	if key == "" {
		return registration.Receipt{}, false, nil
	}
	prev, err := r.app.store.Registrations().ApplicationByKey(ctx, familyID, key)
	switch {
	case err == nil:
		return registration.Receipt{Application: prev, Replayed: true}, true, nil
	case errors.Is(err, registration.ErrNotFound):
		return registration.Receipt{}, false, nil
	}
	return registration.Receipt{}, false, err
}

// submissionReads returns the application stored earlier with a's
// idempotency key (found; nothing else is read then), whether a is a
// match across families (crossFamilyMatch) and the family's applications
// of a's Kita year: in one call where the step offers
// [registration.SubmissionReader]; else the key with ApplicationByKey and
// the reads with two Applications.
func submissionReads(ctx context.Context, tx registration.Tx, a registration.Application) (earlier registration.Application, found, review bool, family []registration.Application, err error) {
	if sr, ok := tx.(registration.SubmissionReader); ok && a.ChildKey != "" {
		var same []registration.Application
		earlier, found, same, family, err = sr.SubmissionReads(ctx, a.FamilyID, a.IdempotencyKey, a.ChildKey, a.Year)
		if err != nil || found {
			return earlier, found, false, nil, err
		}
		return earlier, false, slices.ContainsFunc(same, a.IsCrossFamilyMatch), family, nil
	}
	if a.IdempotencyKey != "" {
		earlier, err = tx.ApplicationByKey(ctx, a.FamilyID, a.IdempotencyKey)
		if err == nil || !errors.Is(err, registration.ErrNotFound) {
			return earlier, err == nil, false, nil, err
		}
	}
	if review, err = crossFamilyMatch(ctx, tx, a); err != nil {
		return registration.Application{}, false, false, nil, err
	}
	if family, err = tx.Applications(ctx, registration.Query{FamilyID: a.FamilyID, Year: a.Year}); err != nil {
		return registration.Application{}, false, false, nil, err
	}
	return registration.Application{}, false, review, family, nil
}

// crossFamilyMatch reports whether another family holds an active
// application with the same child key for the same Kita year as a: a
// match the Jugendamt reviews (an audit entry), never acted on and never
// shown to either family.
func crossFamilyMatch(ctx context.Context, tx registration.Tx, a registration.Application) (bool, error) {
	if a.ChildKey == "" {
		return false, nil
	}
	same, err := tx.Applications(ctx, registration.Query{ChildKey: a.ChildKey, Year: a.Year})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(same, a.IsCrossFamilyMatch), nil
}

// Get returns an application as the actor may see it (audited). An
// unknown id is denied the same way as another family's.
func (r *Registrations) Get(ctx context.Context, actor access.Actor, id string) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	st := r.app.store.Registrations()
	a, err := st.Application(ctx, id)
	if errors.Is(err, registration.ErrNotFound) {
		return registration.Application{}, access.ErrDenied
	}
	if err != nil {
		return registration.Application{}, err
	}
	v, ok := registration.ViewFor(actor, a)
	if !ok {
		return registration.Application{}, access.ErrDenied
	}
	if err := st.AppendAudit(ctx, r.app.auditEntry(actor, registration.AuditRead, a, "view")); err != nil {
		return registration.Application{}, err
	}
	return v, nil
}

// List returns the applications the actor may see among those q selects
// (audited). A guardian sees only their family's; a carrier's staff only
// those that chose one of its Kitas, in the Kita view, and filtering by
// another carrier's Kitas yields nothing.
func (r *Registrations) List(ctx context.Context, actor access.Actor, q registration.Query) ([]registration.Application, error) {
	var c problem.Collector
	checkID(&c, "family_id", q.FamilyID, false)
	for i, k := range q.KitaIDs {
		checkID(&c, problem.Join("kita_ids", "["+strconv.Itoa(i)+"]"), k, true)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
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
			q.KitaIDs = access.NarrowKitas(actor, q.KitaIDs, r.app.carrierOf)
			if len(q.KitaIDs) == 0 {
				return []registration.Application{}, nil
			}
		}
	}
	apps, err := r.app.store.Registrations().Applications(ctx, q)
	if err != nil {
		return nil, err
	}
	out := apps[:0]
	var trail []registration.AuditEntry
	for _, a := range apps {
		if v, ok := registration.ViewFor(actor, a); ok {
			out = append(out, v)
			trail = append(trail, r.app.auditEntry(actor, registration.AuditRead, a, "list"))
		}
	}
	if len(trail) == 0 {
		return out, nil
	}
	err = r.app.store.Atomic(ctx, func(tx Tx) error {
		for _, e := range trail {
			if err := tx.Audit().AppendAudit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChangeChoices replaces the ranked Kitas until the allocation deadline
// (registration.ErrDeadline after it). The children of the family kept
// together with this one (registration.Input.Together) share its Kitas:
// theirs change in the same step, each checked and audited, or none does.
// With [IfVersion], the change is made only on that version (ErrVersion).
func (r *Registrations) ChangeChoices(ctx context.Context, actor access.Actor, id string, kitas []string, opts ...Option) (registration.Application, error) {
	return r.changeTogether(ctx, actor, id, "choices_changed_together", func(a *registration.Application, now time.Time, who string) error {
		return r.svc.ChangeChoices(a, kitas, now, who)
	}, opts...)
}

// Withdraw withdraws an application at the family's request, in one step:
// every choice is released, a held place given back, an open Tagespflege
// referral closed, and the family told. With [IfVersion], only that
// version is withdrawn (ErrVersion).
func (r *Registrations) Withdraw(ctx context.Context, actor access.Actor, id string, opts ...Option) (registration.Application, error) {
	return r.change(ctx, actor, id, access.ChangeApplication, nil, func(tx registration.Tx, a *registration.Application, now time.Time) error {
		if err := end(ctx, tx, a, registration.Withdrawn, now, actor.String(), "withdrawn_by_family"); err != nil {
			return err
		}
		if err := closeReferral(ctx, tx, *a, tagespflege.Withdrawn, now, actor.String()); err != nil {
			return err
		}
		return r.enqueue(ctx, tx, *a, notify.Withdrawal, now)
	}, opts...)
}

// enqueue renders and queues a lifecycle message (offer, withdrawal,
// reminder) to the family in the step tx.
func (r *Registrations) enqueue(ctx context.Context, tx registration.Outbox, a registration.Application, kind notify.Kind, now time.Time) error {
	msgs, err := r.svc.LifecycleMessages(a, kind, now)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, msgs...)
}

// change is the shape of a use case on one application: the id is checked,
// then, in one step, the application is read, the actor's access to op on
// it decided once (subject, when set, says what the decision needs of the
// stored application; registration.Subject otherwise), apply changes it
// with the aggregate's methods, and it is written back with the store's
// version check and audited. An unknown id is denied like a foreign one.
// With [IfVersion], the version read in the step must be the caller's
// (checked after access, so that a foreign application is still denied),
// and a write that lost a race to another change is ErrVersion too. With
// [IdempotencyKey], a key used before returns the application its first
// call changed, and a new key is stored in the step.
func (r *Registrations) change(ctx context.Context, actor access.Actor, id string, op access.Operation,
	subject func(registration.Application) (access.Subject, error),
	apply func(tx registration.Tx, a *registration.Application, now time.Time) error, opts ...Option) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	want := optionsOf(opts)
	key, err := want.keyOf(actor)
	if err != nil {
		return registration.Application{}, err
	}
	if subject == nil {
		subject = func(a registration.Application) (access.Subject, error) { return registration.Subject(a), nil }
	}
	var out registration.Application
	now := r.app.clock().UTC()
	replay := func(step Tx, prev string) (err error) {
		if out, err = step.Applications().Application(ctx, prev); errors.Is(err, registration.ErrNotFound) {
			return access.ErrDenied
		}
		return err
	}
	change := func(step Tx) error {
		tx := step.Applications()
		a, err := tx.Application(ctx, id)
		if errors.Is(err, registration.ErrNotFound) {
			return access.ErrDenied
		}
		if err != nil {
			return err
		}
		sub, err := subject(a)
		if err != nil {
			return err
		}
		if err := access.Can(actor, op, sub); err != nil {
			return err
		}
		if err := want.check(a.Version()); err != nil {
			return err
		}
		if err := apply(tx, &a, now); err != nil {
			return err
		}
		if err := tx.Update(ctx, a); err != nil {
			return want.lost(err)
		}
		if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: actor.String(), Action: registration.AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: a.LastReason()}); err != nil {
			return err
		}
		out = a.AtVersion(a.Version() + 1)
		return nil
	}
	err = r.app.keyedStep(ctx, key, replay, func(step Tx) (string, error) { return id, change(step) })
	if err != nil {
		return registration.Application{}, err
	}
	v, _ := registration.ViewFor(actor, out)
	return v, nil
}

// Offer lets a Kita's carrier (or the Jugendamt) offer a place to an
// application that chose the Kita (outside or after the allocation
// rounds, from the waiting list). In one step the Kita's places of the
// application's year are synced from the catalogue, the place is taken and
// the family told. registration.ErrNoPlace when none is left.
// With [IdempotencyKey], a repeated call returns the first offer.
func (r *Registrations) Offer(ctx context.Context, actor access.Actor, id, kitaID string, opts ...Option) (registration.Application, error) {
	if err := ids("id", id, "kita_id", kitaID); err != nil {
		return registration.Application{}, err
	}
	k, ok := r.app.Catalogue.cat.Get(kitaID)
	if !ok {
		return registration.Application{}, access.ErrDenied
	}
	subject := func(a registration.Application) (access.Subject, error) {
		if _, chosen := a.Choice(kitaID); !chosen {
			return access.Subject{}, access.ErrDenied
		}
		return access.Subject{Carriers: []string{k.Carrier.ID}}, nil
	}
	return r.change(ctx, actor, id, access.OfferPlace, subject, func(tx registration.Tx, a *registration.Application, now time.Time) error {
		// The Kita's places of the application's year come from the
		// catalogue, synced in this step (what is taken stays taken).
		if err := tx.SetPlaces(ctx, registration.PlacesOf(a.Year, []kita.Kita{k})...); err != nil {
			return err
		}
		if err := offerFitting(ctx, tx, a, k, now, actor.String(), r.svc.RespondBy(now)); err != nil {
			return err
		}
		return r.enqueue(ctx, tx, *a, notify.Offer, now)
	}, append(opts, request("offer", id, kitaID))...)
}

// Accept accepts the offer; every other open choice is released and an
// open Tagespflege referral closed. After the offer's RespondBy date it
// fails with registration.ErrOfferLapsed. It is AcceptWith without
// accept options.
func (r *Registrations) Accept(ctx context.Context, actor access.Actor, id string, opts ...Option) (registration.Application, error) {
	return r.AcceptWith(ctx, actor, id, registration.AcceptOptions{}, opts...)
}

// AcceptWith accepts the offer as ao says. With KeepWaiting the family
// keeps its place and waits for the choices ranked above it (an upgrade):
// later rounds may offer one of them, and accepting that offer gives the
// old place back in the same step, free for the next round; declining it
// (or letting it lapse) keeps the old place. Without a better choice still
// waiting, KeepWaiting is registration.ErrNothingAbove. An open
// Tagespflege referral is closed: the child has a place. It takes
// [IfVersion] like Accept.
func (r *Registrations) AcceptWith(ctx context.Context, actor access.Actor, id string, ao registration.AcceptOptions, opts ...Option) (registration.Application, error) {
	return r.change(ctx, actor, id, access.ChangeApplication, nil, func(tx registration.Tx, a *registration.Application, now time.Time) error {
		released, err := a.Accept(r.app.Profile.Registration.Today(now), now, actor.String(), ao)
		if err != nil {
			return err
		}
		if released != nil {
			if err := tx.ReleasePlace(ctx, *released); err != nil {
				return err
			}
		}
		return closeReferral(ctx, tx, *a, tagespflege.PlacedElsewhere, now, actor.String())
	}, opts...)
}

// Decline declines the offer: the place is given back, and the
// application waits for later rounds with its remaining choices. An
// upgrade offer declined leaves the family its accepted place.
// With [IfVersion], the change is made only on that version (ErrVersion).
func (r *Registrations) Decline(ctx context.Context, actor access.Actor, id string, opts ...Option) (registration.Application, error) {
	return r.change(ctx, actor, id, access.ChangeApplication, nil, func(tx registration.Tx, a *registration.Application, now time.Time) error {
		place, err := a.Decline(now, actor.String(), "offer_declined")
		if err != nil {
			return err
		}
		return tx.ReleasePlace(ctx, place)
	}, opts...)
}

// Contracted records the signed care contract: every other active
// application of the same child within the family (other Kita years) is
// withdrawn in the same step; another family's match is never acted on.
func (r *Registrations) Contracted(ctx context.Context, actor access.Actor, id string) (registration.Application, error) {
	return r.change(ctx, actor, id, access.RecordContract, r.contractSubject, func(tx registration.Tx, a *registration.Application, now time.Time) error {
		who := actor.String()
		if err := a.Contract(now, who); err != nil {
			return err
		}
		others, err := tx.Applications(ctx, registration.Query{ChildKey: a.ChildKey, FamilyID: a.FamilyID})
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.ID == a.ID || !o.Status().Open() && o.Status() != registration.Offered {
				continue
			}
			if err := r.endIn(ctx, tx, o, who, now, "contract_elsewhere"); err != nil {
				return err
			}
		}
		return nil
	})
}

// contractSubject is what the access rules need to decide on a contract:
// the family and the carrier of the offered Kita.
func (r *Registrations) contractSubject(a registration.Application) (access.Subject, error) {
	subject := access.Subject{FamilyID: a.FamilyID}
	if o := a.Offer(); o != nil {
		subject.Carriers = []string{r.app.carrierOf(o.KitaID)}
	}
	return subject, nil
}

// endIn withdraws o in the step tx because its child holds a place
// elsewhere (reason): its choices are released, a held place given back,
// its open referral closed, and the change audited.
func (r *Registrations) endIn(ctx context.Context, tx registration.Tx, o registration.Application, who string, now time.Time, reason string) error {
	if err := end(ctx, tx, &o, registration.Withdrawn, now, who, reason); err != nil {
		return err
	}
	if err := closeReferral(ctx, tx, o, tagespflege.PlacedElsewhere, now, who); err != nil {
		return err
	}
	if err := tx.Update(ctx, o); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditChange, ApplicationID: o.ID, FamilyID: o.FamilyID, Reason: reason})
}

// endForTagespflege withdraws, inside the caller's step tx, an application
// whose child was placed with a child-minder through its Tagespflege
// referral: every Kita choice is released and an offered place given
// back, so that the child holds one place only. An application already
// withdrawn or expired stays as it is; a child who accepted a Kita place
// keeps it (registration.ErrTransition). The caller decided access.
func (r *Registrations) endForTagespflege(ctx context.Context, tx registration.Tx, id, who string, now time.Time) error {
	a, err := tx.Application(ctx, id)
	if err != nil {
		return err
	}
	if a.Status() == registration.Withdrawn || a.Status() == registration.Expired {
		return nil
	}
	if err := end(ctx, tx, &a, registration.Withdrawn, now, who, "placed_in_tagespflege"); err != nil {
		return err
	}
	if err := tx.Update(ctx, a); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "placed_in_tagespflege"})
}

// notifyContractReady tells the family, once, that the care contract of
// its accepted place is ready (a notify.ContractReady message, audited);
// a repeated call queues none. registration.ErrTransition unless the
// application holds an accepted or contracted place. The family, the
// Kita's carrier and the Jugendamt may.
func (r *Registrations) notifyContractReady(ctx context.Context, actor access.Actor, id string) error {
	st := r.app.store.Registrations()
	prev, err := st.Application(ctx, id)
	if err != nil {
		return access.ErrDenied
	}
	subject, _ := r.contractSubject(prev)
	if err := access.Can(actor, access.RecordContract, subject); err != nil {
		return err
	}
	sent, err := st.FamilyMessages(ctx, prev.FamilyID)
	if err != nil {
		return err
	}
	for _, m := range sent {
		if m.Kind == notify.ContractReady && m.Subject == id {
			return nil
		}
	}
	now := r.app.clock().UTC()
	return r.app.store.Atomic(ctx, func(step Tx) error {
		tx := step.Applications()
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		msgs, err := r.svc.ContractReadyMessages(a, now)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: actor.String(), Action: registration.AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "contract_ready"})
	})
}

// Messages returns the messages the family received (or will receive:
// queued ones too), oldest first, as the family read them: subject and
// rendered body. A guardian reads their own family's, the Jugendamt any.
func (r *Registrations) Messages(ctx context.Context, actor access.Actor, familyID string) ([]Message, error) {
	if err := ids("family_id", familyID); err != nil {
		return nil, err
	}
	if err := access.Can(actor, access.ReadFamily, access.Subject{FamilyID: familyID}); err != nil {
		return nil, err
	}
	msgs, err := r.app.store.Registrations().FamilyMessages(ctx, familyID)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(msgs))
	for _, m := range msgs {
		if m.Kind == notify.Referral {
			continue // to the Fachberatung, not to the family
		}
		out = append(out, messageOf(m))
	}
	return out, nil
}

// Message is a message as its recipient reads it.
type Message struct {
	ID      string      `json:"id"`
	Kind    notify.Kind `json:"kind"`
	Lang    string      `json:"lang"`
	To      string      `json:"to"`
	Subject string      `json:"subject"`
	Body    string      `json:"body"`
	// Sent is true once the transport accepted the message.
	Sent bool `json:"sent"`
}

func messageOf(m notify.Message) Message {
	return Message{ID: m.ID, Kind: m.Kind, Lang: m.Lang, To: m.To, Subject: m.Title, Body: m.Body, Sent: m.Status == notify.Sent}
}

// AuditTrail returns the audit trail, for the Jugendamt only.
func (r *Registrations) AuditTrail(ctx context.Context, actor access.Actor, q registration.AuditQuery) ([]registration.AuditEntry, error) {
	if err := access.Can(actor, access.ReadAudit, access.Subject{}); err != nil {
		return nil, err
	}
	return r.app.store.Registrations().Audit(ctx, q)
}

// Messages are the German and English texts of the application layer's codes.
var Messages = problem.Catalog{
	"de": {
		CodeID:                "Diese Kennung ist ungültig (leer, zu lang oder mit unzulässigen Zeichen).",
		CodeYear:              "Unbekanntes Kindergartenjahr; bitte in der Form {example} angeben.",
		ErrNoPlaces.Code():    "Für dieses Kindergartenjahr sind keine Plätze im Kita-Verzeichnis.",
		ErrNotAccepted.Code(): "Für diese Anmeldung ist kein Platz angenommen; ein Vertrag ist nicht möglich.",
		"app.no_edits":        "Für diese Kita sind keine Änderungen gespeichert.",
		"app.edit_conflict":   "Die Angaben der Kita wurden inzwischen geändert. Bitte laden Sie sie neu.",
		CodeVersion:           "Die Anmeldung wurde inzwischen geändert. Bitte laden Sie sie neu und versuchen Sie es noch einmal.",
		CodeKeyReused:         "Diese Anfragekennung wurde schon für eine andere Anfrage verwendet.",
		ErrKeyExists.Code():   "Diese Anfragekennung ist schon gespeichert.",
		ErrNoKey.Code():       "Diese Anfragekennung ist nicht gespeichert.",
		ErrNoReferral.Code():  "Für diese Anmeldung wurde keine Kindertagespflege gewünscht.",
	},
	"en": {
		CodeID:                "This id is invalid (empty, too long or with characters not allowed).",
		CodeYear:              "Unknown Kita year; please write it as {example}.",
		ErrNoPlaces.Code():    "The Kita catalogue holds no places for this Kita year.",
		ErrNotAccepted.Code(): "No place is accepted for this application; a contract is not possible.",
		"app.no_edits":        "No changes are stored for this Kita.",
		"app.edit_conflict":   "The Kita's details changed meanwhile. Please reload them.",
		CodeVersion:           "The application changed meanwhile. Please reload it and try again.",
		CodeKeyReused:         "This request key was used before for another request.",
		ErrKeyExists.Code():   "This request key is stored already.",
		ErrNoKey.Code():       "This request key is not stored.",
		ErrNoReferral.Code():  "This application did not ask for Kindertagespflege.",
	},
}

// Reviews returns the matches the Jugendamt should review: applications
// whose child key equals an active application of another family for the
// same Kita year (registration.ReasonCrossFamilyMatch). Neither family is
// told; nothing is refused or withdrawn because of a match.
func (r *Registrations) Reviews(ctx context.Context, actor access.Actor) ([]registration.AuditEntry, error) {
	trail, err := r.AuditTrail(ctx, actor, registration.AuditQuery{})
	if err != nil {
		return nil, err
	}
	var out []registration.AuditEntry
	for _, e := range trail {
		if e.Action == registration.AuditReview {
			out = append(out, e)
		}
	}
	return out, nil
}
