package app

import (
	"context"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// Registrations are the use cases of the Voranmeldung: submit, read,
// change, withdraw, offers and their answers, allocation rounds, export,
// erasure and retention. Every method validates its ids first, then asks
// [access.Can] once and runs one atomic step.
type Registrations struct {
	app *App
	svc *registration.Service
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
	if len(v) > maxID || !utf8.ValidString(v) || slices.ContainsFunc([]rune(v), func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		c.Add(field, CodeID, ErrID)
	}
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
// stores nothing.
func (r *Registrations) Submit(ctx context.Context, actor access.Actor, in registration.Input) (registration.Receipt, error) {
	return r.SubmitAtCounter(ctx, actor, actor.FamilyID, in)
}

// SubmitAtCounter submits a Voranmeldung on behalf of the named family:
// the Jugendamt registering a family at its counter (a guardian may name
// only their own family).
func (r *Registrations) SubmitAtCounter(ctx context.Context, actor access.Actor, familyID string, in registration.Input) (registration.Receipt, error) {
	var c problem.Collector
	checkID(&c, "family_id", familyID, true)
	checkID(&c, "idempotency_key", in.IdempotencyKey, false)
	if err := c.Err(); err != nil {
		return registration.Receipt{}, err
	}
	return r.svc.Submit(ctx, actor, familyID, in)
}

// Get returns an application as the actor may see it (audited).
func (r *Registrations) Get(ctx context.Context, actor access.Actor, id string) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	return r.svc.Get(ctx, actor, id)
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
	return r.svc.List(ctx, actor, q)
}

// ChangeChoices replaces the ranked Kitas until the allocation deadline.
func (r *Registrations) ChangeChoices(ctx context.Context, actor access.Actor, id string, kitas []string) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	return r.svc.ChangeChoices(ctx, actor, id, kitas)
}

// Withdraw withdraws an application at the family's request.
func (r *Registrations) Withdraw(ctx context.Context, actor access.Actor, id string) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	return r.svc.Withdraw(ctx, actor, id)
}

// Offer lets a Kita's carrier (or the Jugendamt) offer a place to an
// application that chose the Kita; ErrNoPlace when none is left.
func (r *Registrations) Offer(ctx context.Context, actor access.Actor, id, kitaID string) (registration.Application, error) {
	if err := ids("id", id, "kita_id", kitaID); err != nil {
		return registration.Application{}, err
	}
	// The Kita's places of the application's year come from the catalogue
	// (what is taken stays taken); the offer's step decides access.
	if k, ok := r.app.Catalogue.cat.Get(kitaID); ok {
		if a, err := r.app.store.Registrations().Application(ctx, id); err == nil {
			if err := r.svc.SyncPlaces(ctx, access.SystemActor, a.Year, []kita.Kita{k}); err != nil {
				return registration.Application{}, err
			}
		}
	}
	return r.svc.Offer(ctx, actor, id, kitaID)
}

// Accept accepts the offer; every other open choice is released. After the
// offer's RespondBy date it fails with registration.ErrOfferLapsed.
func (r *Registrations) Accept(ctx context.Context, actor access.Actor, id string) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	return r.svc.Accept(ctx, actor, id)
}

// Decline declines the offer; the application waits for later rounds.
func (r *Registrations) Decline(ctx context.Context, actor access.Actor, id string) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	return r.svc.Decline(ctx, actor, id)
}

// Contracted records the signed care contract: every other active
// application of the same child within the family is withdrawn.
func (r *Registrations) Contracted(ctx context.Context, actor access.Actor, id string) (registration.Application, error) {
	if err := ids("id", id); err != nil {
		return registration.Application{}, err
	}
	return r.svc.Contracted(ctx, actor, id)
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
	if err := r.svc.SyncPlaces(ctx, actor, year, kitas); err != nil {
		return registration.RoundReport{}, err
	}
	o := registration.RoundOptions{Round: opts.Round, Mechanism: opts.Mechanism, IncludeLate: opts.IncludeLate}
	o.Policy = r.app.Profile.Policy
	if opts.Policy != nil {
		o.Policy = *opts.Policy
	}
	if o.Mechanism == 0 {
		o.Mechanism = r.app.Profile.Mechanism
	}
	return r.svc.RunRound(ctx, actor, year, o)
}

// ErrYear: the Kita year label is not one of the profile's calendar.
var ErrYear = problem.NewSentinel(problem.Invalid, CodeYear, "app: unknown Kita year label")

// ExpireYear ends every application of a Kita year still waiting or holding
// an unanswered offer (audited).
func (r *Registrations) ExpireYear(ctx context.Context, actor access.Actor, year string) (int, error) {
	return r.svc.ExpireYear(ctx, actor, year)
}

// Export returns everything stored about a family (DSGVO Art. 15, 20). An
// empty family id is invalid input, never "every family".
func (r *Registrations) Export(ctx context.Context, actor access.Actor, familyID string) (registration.Export, error) {
	if err := ids("family_id", familyID); err != nil {
		return registration.Export{}, err
	}
	return r.svc.Export(ctx, actor, familyID)
}

// Erase erases a family's personal data (DSGVO Art. 17). An empty family
// id is invalid input, never "every family".
func (r *Registrations) Erase(ctx context.Context, actor access.Actor, familyID string) (int, error) {
	if err := ids("family_id", familyID); err != nil {
		return 0, err
	}
	return r.svc.Erase(ctx, actor, familyID)
}

// ApplyRetention anonymizes what the profile's retention periods
// (Löschfristen) say is due. Run it daily, as the Jugendamt or the system.
func (r *Registrations) ApplyRetention(ctx context.Context, actor access.Actor) (int, error) {
	return r.svc.ApplyRetention(ctx, actor, registration.Retention{
		AnonymizeAfterMonths:  r.app.Profile.Retention.AnonymizeAfterMonths,
		ContractedAfterMonths: r.app.Profile.Retention.ContractedAfterMonths,
	})
}

// AuditTrail returns the audit trail, for the Jugendamt only.
func (r *Registrations) AuditTrail(ctx context.Context, actor access.Actor, q registration.AuditQuery) ([]registration.AuditEntry, error) {
	return r.svc.AuditTrail(ctx, actor, q)
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
	},
	"en": {
		CodeID:                "This id is invalid (empty, too long or with characters not allowed).",
		CodeYear:              "Unknown Kita year; please write it as {example}.",
		ErrNoPlaces.Code():    "The Kita catalogue holds no places for this Kita year.",
		ErrNotAccepted.Code(): "No place is accepted for this application; a contract is not possible.",
		"app.no_edits":        "No changes are stored for this Kita.",
		"app.edit_conflict":   "The Kita's details changed meanwhile. Please reload them.",
	},
}

// Reviews returns the matches the Jugendamt should review: applications
// whose child key equals an active application of another family for the
// same Kita year (registration.ReasonCrossFamilyMatch). Neither family is
// told; nothing is refused or withdrawn because of a match.
func (r *Registrations) Reviews(ctx context.Context, actor access.Actor) ([]registration.AuditEntry, error) {
	trail, err := r.svc.AuditTrail(ctx, actor, registration.AuditQuery{})
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

// LapseOffers is the daily scheduled use case of offers (run it once a day,
// as the system): offers not accepted by their RespondBy date lapse (the
// place goes back; the application waits with its remaining choices), and
// families whose offer lapses within the profile's ReminderDays are
// reminded once. Every change is audited.
func (r *Registrations) LapseOffers(ctx context.Context, actor access.Actor) (registration.LapseReport, error) {
	return r.svc.LapseOffers(ctx, actor)
}
