package registration

import (
	"encoding/json"
	"github.com/kitaportal/kitaportal/problem"

	"errors"
	"slices"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/internal/enum"
	"github.com/kitaportal/kitaportal/kita"
)

// Sentinel errors of the registration package. Each domain rule of
// validation has its own sentinel too (see rules.go).
var (
	// ErrNotFound: no application with that id (or the actor may not know it).
	ErrNotFound = problem.NewSentinel(problem.NotFound, "registration.not_found", "registration: application not found")
	// ErrDuplicate: the same child already has an application for that Kita year.
	ErrDuplicate = problem.NewSentinel(problem.Exists, "registration.duplicate", "registration: duplicate application")
	// ErrConflict: the application changed since it was read (stale version).
	ErrConflict = problem.NewSentinel(problem.Conflict, "registration.conflict", "registration: version conflict")
	// ErrTransition: the application's state does not allow that step.
	ErrTransition = problem.NewSentinel(problem.WrongState, "registration.transition", "registration: transition not allowed")
	// ErrDeadline: the city's allocation deadline for that Kita year has passed.
	ErrDeadline = problem.NewSentinel(problem.WrongState, "registration.deadline", "registration: allocation deadline passed")
	// ErrOfferLapsed: the offer was not accepted by its RespondBy date.
	ErrOfferLapsed = problem.NewSentinel(problem.WrongState, "registration.offer_lapsed", "registration: offer lapsed")
	// ErrNoPlace: the Kita has no free place left in that band and year.
	ErrNoPlace = problem.NewSentinel(problem.WrongState, "registration.no_place", "registration: no free place")
	// ErrExists: a record with that id exists already.
	ErrExists = problem.NewSentinel(problem.Exists, "registration.exists", "registration: already exists")
	// ErrNothingAbove: the family asked to keep waiting for better choices
	// while accepting its first choice still waiting; no choice ranks above.
	ErrNothingAbove = problem.NewSentinel(problem.WrongState, "registration.nothing_above", "registration: no better choice to wait for")
)

// Status is where an application stands in its lifecycle.
type Status int

// The lifecycle of a Voranmeldung.
const (
	// Submitted: received, not yet confirmed.
	Submitted Status = iota + 1
	// Confirmed: receipt confirmed to the family (Eingangsbestätigung).
	Confirmed
	// Offered: a Kita has offered a place (for an upgrade: a better place
	// while the accepted one is held, see [Application.Held]).
	Offered
	// Accepted: the family accepted the offer; the other choices are
	// released, or, for an upgrade, those ranked above keep waiting.
	Accepted
	// Declined: the family declined the offer; the application waits for
	// later rounds with its remaining choices.
	Declined
	// Contracted: the care contract (Betreuungsvertrag) is signed.
	Contracted
	// Withdrawn: the family withdrew, or a contract elsewhere withdrew it.
	Withdrawn
	// Expired: the Kita year passed without a place.
	Expired
)

var statusNames = [...]string{"", "submitted", "confirmed", "offered", "accepted", "declined", "contracted", "withdrawn", "expired"}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s >= Submitted && s <= Expired }

// String returns the stable name.
func (s Status) String() string {
	return enum.Name(statusNames[:], s)
}

// ParseStatus reads a stable name.
func ParseStatus(s string) (Status, bool) {
	return enum.Parse[Status](statusNames[:], s)
}

// MarshalText encodes the stable name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes the stable name.
func (s *Status) UnmarshalText(p []byte) error {
	v, ok := ParseStatus(string(p))
	if !ok {
		return errors.New("registration: unknown status")
	}
	*s = v
	return nil
}

// transitions is the lifecycle, explicit: from → allowed targets.
var transitions = map[Status][]Status{
	Submitted:  {Confirmed, Withdrawn},
	Confirmed:  {Offered, Withdrawn, Expired, Contracted},
	Offered:    {Accepted, Declined, Withdrawn, Expired},
	Declined:   {Offered, Withdrawn, Expired, Contracted},
	Accepted:   {Contracted, Withdrawn, Offered},
	Contracted: {},
	Withdrawn:  {},
	Expired:    {},
}

// CanTransition reports whether the lifecycle allows from → to.
func CanTransition(from, to Status) bool { return slices.Contains(transitions[from], to) }

// Open reports whether the application still waits for a place.
func (s Status) Open() bool { return s == Submitted || s == Confirmed || s == Declined }

// ChoiceStatus is where one ranked Kita choice stands.
type ChoiceStatus int

// The states of a choice.
const (
	// Waiting: no decision yet.
	Waiting ChoiceStatus = iota + 1
	// ChoiceOffered: this Kita offered a place.
	ChoiceOffered
	// ChoiceAccepted: the family accepted this Kita's offer.
	ChoiceAccepted
	// ChoiceDeclined: the family declined this Kita's offer.
	ChoiceDeclined
	// Released: released because the child took a place elsewhere or withdrew.
	Released
)

var choiceNames = [...]string{"", "waiting", "offered", "accepted", "declined", "released"}

// Valid reports whether s is known.
func (s ChoiceStatus) Valid() bool { return s >= Waiting && s <= Released }

// String returns the stable name.
func (s ChoiceStatus) String() string {
	return enum.Name(choiceNames[:], s)
}

// MarshalText encodes the stable name.
func (s ChoiceStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes the stable name.
func (s *ChoiceStatus) UnmarshalText(p []byte) error {
	v, ok := enum.Parse[ChoiceStatus](choiceNames[:], string(p))
	if !ok {
		return errors.New("registration: unknown choice status")
	}
	*s = v
	return nil
}

// Child is the child an application is for.
type Child struct {
	GivenName  string    `json:"given_name"`
	FamilyName string    `json:"family_name"`
	BirthDate  date.Date `json:"birth_date"`
	// Unborn marks BirthDate as the expected date of birth.
	Unborn bool `json:"unborn,omitempty"`
}

// Guardian is a parent or other Erziehungsberechtigte/r.
type Guardian struct {
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Email      string `json:"email"`
	Phone      string `json:"phone,omitempty"`
	// Language is the preferred language of messages ("de", "en").
	Language string `json:"language"`
	// Working: employed, self-employed, seeking work, or in training or study.
	Working bool `json:"working"`
}

// Choice is one Kita in the family's rank order (rank 1 is the first wish).
type Choice struct {
	Rank   int          `json:"rank"`
	KitaID string       `json:"kita_id"`
	Status ChoiceStatus `json:"status"`
	// Carrier is the carrier of the Kita when chosen (for access decisions).
	Carrier string `json:"carrier"`
}

// Tagespflege is the request for Kindertagespflege in a district.
type Tagespflege struct {
	District   string `json:"district"`
	ReferralID string `json:"referral_id"`
}

// HardshipReason is a stable code for a Härtefall; the city defines the
// codes it accepts. The free-text explanation is never stored.
type HardshipReason string

// Criteria are the facts the city's allocation policy scores.
type Criteria struct {
	// SiblingKitaIDs are chosen Kitas a sibling attends.
	SiblingKitaIDs []string `json:"sibling_kita_ids,omitempty"`
	// SingleParent: one guardian raises the child alone (Alleinerziehend).
	SingleParent bool `json:"single_parent,omitempty"`
	// Hardship: a Härtefall, with a reason code.
	Hardship       bool           `json:"hardship,omitempty"`
	HardshipReason HardshipReason `json:"hardship_reason,omitempty"`
}

// Flag marks something the Jugendamt should look at without rejecting the application.
type Flag string

// The flags.
const (
	// FlagShortNotice: the start is less than six months after submission
	// (KiBiz § 5 (1): need should be reported six months ahead).
	FlagShortNotice Flag = "short_notice"
	// FlagLate: submitted after the allocation deadline of its Kita year; it
	// joins the waiting list for later rounds.
	FlagLate Flag = "late"
	// FlagNonResident: the address lies outside the city (its districts
	// say so, district.ErrOutside); the family is not resident, which a
	// policy's resident criterion weighs. An address whose district is
	// merely undecided is resident, with no district.
	FlagNonResident Flag = "non_resident"
)

// Offer is a place offered at one of the chosen Kitas.
type Offer struct {
	KitaID string    `json:"kita_id"`
	Band   kita.Band `json:"band"`
	// Hours and From name the Kita's pool of places the offer is of
	// (kita.Pool): the weekly care hours offered and the month from which
	// the place is free. Zero at a Kita without pools.
	Hours kita.Hours `json:"hours,omitempty"`
	From  string     `json:"from,omitempty"`
	Round int        `json:"round"`
	At    time.Time  `json:"at"`
	// RespondBy is the last day to accept; the offer lapses after it.
	RespondBy date.Date `json:"respond_by"`
	// Reminded is set once the family was reminded of the offer.
	Reminded bool `json:"reminded,omitempty"`
}

// Event is one step of an application's history.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	From   Status    `json:"from,omitempty"`
	To     Status    `json:"to"`
	Reason string    `json:"reason,omitempty"`
}

// Application is a Voranmeldung: the pre-registration of one child's need
// for a place in one Kita year, with up to N Kitas in rank order and
// optionally Kindertagespflege. It is created by [Checker.Draft] and
// changed only through its methods; values handed out are copies.
type Application struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	FamilyID  string `json:"family_id"`
	// Year is the Kita year's label ("2021/2022"), from the start date.
	Year string `json:"year"`

	Child     Child       `json:"child"`
	Guardians []Guardian  `json:"guardians"`
	Address   geo.Address `json:"address"`
	// District is the Stadtbezirk the address resolved to ("" when undecided).
	District string     `json:"district"`
	Start    date.Date  `json:"start"`
	Hours    kita.Hours `json:"hours"`
	// HoursAlternatives are the further care hours the family accepts,
	// in its order after Hours ([Application.RankedHours]).
	HoursAlternatives []kita.Hours `json:"hours_alternatives,omitempty"`
	Choices           []Choice     `json:"choices"`
	TP                *Tagespflege `json:"tagespflege,omitempty"`
	Criteria          Criteria     `json:"criteria"`
	// Together asks to place this child at the same Kita as the family's
	// other children of the same Kita year who ask so too (twins), or not
	// at all in a round; their Kitas are the same, in the same order.
	Together bool `json:"together,omitempty"`
	// ConsentAt is when the family consented to the processing of its data.
	ConsentAt time.Time `json:"consent_at"`

	Flags []Flag `json:"flags,omitempty"`

	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// ChildKey identifies the child across applications: a hash of the
	// normalized name and birth date, never the name itself.
	ChildKey string `json:"child_key"`

	SubmittedAt time.Time `json:"submitted_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Anonymized marks an application whose personal data was erased; its
	// statistics (year, district, choices, status) remain.
	Anonymized bool `json:"anonymized,omitempty"`

	// The lifecycle: changed only by the aggregate's methods (transition,
	// offers), read through Status, Offer, History and Version, and set
	// by adapters through [Rehydrate].
	status  Status
	offer   *Offer
	held    *Offer
	history []Event
	version int64
}

// Status returns where the application stands in its lifecycle.
func (a Application) Status() Status { return a.status }

// Offer returns a copy of the open or accepted offer, or nil.
func (a Application) Offer() *Offer {
	if a.offer == nil {
		return nil
	}
	o := *a.offer
	return &o
}

// Held returns a copy of the accepted place the application holds while an
// upgrade offer for a better choice is open (status Offered), or nil.
func (a Application) Held() *Offer {
	if a.held == nil {
		return nil
	}
	o := *a.held
	return &o
}

// Waiting reports whether the application holds an accepted place and
// still waits for choices ranked above it (an upgrade; see
// [AcceptOptions]).
func (a Application) Waiting() bool {
	return a.status == Accepted && len(a.OpenChoices()) > 0
}

// History returns a copy of the lifecycle's events, oldest first.
func (a Application) History() []Event { return slices.Clone(a.history) }

// Version returns the stored version the application was read with
// (0: not stored yet); every write must name it.
func (a Application) Version() int64 { return a.version }

// Lifecycle is the lifecycle state of an application as a store keeps it.
type Lifecycle struct {
	Status Status `json:"status"`
	Offer  *Offer `json:"offer,omitempty"`
	// Held is the accepted place kept while an upgrade offer is open.
	Held    *Offer  `json:"held,omitempty"`
	History []Event `json:"history"`
	Version int64   `json:"version"`
}

// Lifecycle returns a copy of a's lifecycle, for adapters storing it.
func (a Application) Lifecycle() Lifecycle {
	return Lifecycle{Status: a.status, Offer: a.Offer(), Held: a.Held(), History: a.History(), Version: a.version}
}

// Rehydrate returns a with the lifecycle l, as an adapter read it from
// storage (or a test builds a stored application). It checks nothing: the
// lifecycle was written by the aggregate's methods.
func Rehydrate(a Application, l Lifecycle) Application {
	a.status, a.version = l.Status, l.Version
	a.history = slices.Clone(l.History)
	a.offer, a.held = nil, nil
	if l.Offer != nil {
		o := *l.Offer
		a.offer = &o
	}
	if l.Held != nil {
		o := *l.Held
		a.held = &o
	}
	return a
}

// AtVersion returns a with the stored version v: for adapters, which set
// the version they store.
func (a Application) AtVersion(v int64) Application {
	a.version = v
	return a
}

// applicationFields are an application's exported fields (no methods, so
// that encoding/json does not call Application's own).
type applicationFields Application

// applicationJSON is the JSON form of an application: its fields and its
// lifecycle side by side.
type applicationJSON struct {
	applicationFields
	Status  Status  `json:"status"`
	Offer   *Offer  `json:"offer,omitempty"`
	Held    *Offer  `json:"held,omitempty"`
	Version int64   `json:"version"`
	History []Event `json:"history"`
}

// MarshalJSON encodes the application with its lifecycle (for exports and
// document stores).
func (a Application) MarshalJSON() ([]byte, error) {
	return json.Marshal(applicationJSON{applicationFields(a), a.status, a.offer, a.held, a.version, a.history})
}

// UnmarshalJSON decodes what MarshalJSON encoded.
func (a *Application) UnmarshalJSON(b []byte) error {
	var j applicationJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Rehydrate(Application(j.applicationFields), Lifecycle{Status: j.Status, Offer: j.Offer, Held: j.Held, History: j.History, Version: j.Version})
	return nil
}

// Clone returns a deep copy. The guardians, choices and history of an
// application of usual size (up to two guardians, five Kitas and two
// events) are copied into one allocation, not three.
func (a Application) Clone() Application {
	b := a
	b.cloneLists(a)
	b.HoursAlternatives = slices.Clone(a.HoursAlternatives)
	b.Criteria.SiblingKitaIDs = slices.Clone(a.Criteria.SiblingKitaIDs)
	b.Flags = slices.Clone(a.Flags)
	if a.TP != nil {
		tp := *a.TP
		b.TP = &tp
	}
	b.offer = a.Offer()
	b.held = a.Held()
	return b
}

// The list rooms hold an application's guardians, choices and history in
// one allocation (a new application's, [Application.Clone]'s copies), in
// four sizes, so that the usual application (one guardian, three Kitas)
// takes no more room than three lists of their own: one or two guardians,
// up to three or up to five (Bochum's maximum) Kitas, two events. Each
// list has an array of its own, so that appending to one never writes
// into another.
type (
	listRoom13 struct {
		guardians [1]Guardian
		choices   [3]Choice
		history   [roomEvents]Event
	}
	listRoom15 struct {
		guardians [1]Guardian
		choices   [5]Choice
		history   [roomEvents]Event
	}
	listRoom23 struct {
		guardians [2]Guardian
		choices   [3]Choice
		history   [roomEvents]Event
	}
	listRoom25 struct {
		guardians [2]Guardian
		choices   [5]Choice
		history   [roomEvents]Event
	}
)

// roomEvents are the events a list room holds: a submission's and the
// next one.
const roomEvents = 2

// cloneLists sets b's guardians, choices and history to copies of a's, in
// one list room where they fit (a list that does not fit is copied on its
// own). A nil list stays nil, an empty one empty.
func (b *Application) cloneLists(a Application) {
	var g []Guardian
	var c []Choice
	var h []Event
	if len(a.Guardians) > 0 || len(a.Choices) > 0 || len(a.history) > 0 {
		g, c, h = roomFor(len(a.Guardians), len(a.Choices))
	}
	b.Guardians = cloneInto(g, a.Guardians)
	b.Choices = cloneInto(c, a.Choices)
	b.history = cloneInto(h, a.history)
}

// roomFor returns the empty lists of a new list room for an application
// of g guardians and c choices: the smallest room that holds them, or
// the largest (the lists that do not fit it get lists of their own).
func roomFor(g, c int) ([]Guardian, []Choice, []Event) {
	switch {
	case g <= 1 && c <= 3:
		r := new(listRoom13)
		return r.guardians[:0], r.choices[:0], r.history[:0]
	case g <= 1:
		r := new(listRoom15)
		return r.guardians[:0], r.choices[:0], r.history[:0]
	case c <= 3:
		r := new(listRoom23)
		return r.guardians[:0], r.choices[:0], r.history[:0]
	}
	r := new(listRoom25)
	return r.guardians[:0], r.choices[:0], r.history[:0]
}

// cloneInto copies src into room when it fits there, else (or without a
// room) into a list of its own, as slices.Clone does; a nil src gives nil.
func cloneInto[T any](room, src []T) []T {
	if len(src) > cap(room) || room == nil || src == nil {
		return slices.Clone(src)
	}
	return append(room, src...)
}

// HasFlag reports whether f is set.
func (a Application) HasFlag(f Flag) bool { return slices.Contains(a.Flags, f) }

// Choice returns the choice of a Kita, if chosen.
func (a Application) Choice(kitaID string) (Choice, bool) {
	for _, c := range a.Choices {
		if c.KitaID == kitaID {
			return c, true
		}
	}
	return Choice{}, false
}

// transition moves the application to status to and records the event.
func (a *Application) transition(to Status, at time.Time, actor, reason string) error {
	if !CanTransition(a.status, to) {
		return ErrTransition
	}
	a.history = append(a.history, Event{At: at, Actor: actor, From: a.status, To: to, Reason: reason})
	a.status = to
	a.UpdatedAt = at
	return nil
}

// setChoices sets the status of every choice for which pick returns true.
func (a *Application) setChoices(to ChoiceStatus, pick func(Choice) bool) {
	for i := range a.Choices {
		if pick(a.Choices[i]) {
			a.Choices[i].Status = to
		}
	}
}

// releaseOthers releases every choice still waiting or offered except kitaID.
func (a *Application) releaseOthers(kitaID string) {
	a.setChoices(Released, func(c Choice) bool {
		return c.KitaID != kitaID && (c.Status == Waiting || c.Status == ChoiceOffered)
	})
}

// OpenChoices returns the Kita ids still waiting, in rank order.
func (a Application) OpenChoices() []string {
	var ids []string
	for _, c := range a.Choices {
		if c.Status == Waiting {
			ids = append(ids, c.KitaID)
		}
	}
	return ids
}

// End ends an application that still waits or holds an offer or place:
// every open choice is released and the lifecycle moved to (withdrawn or
// expired), with the reason in the history. It returns the places the
// application held (an offered or accepted place, and the accepted place
// held during an upgrade offer), to be given back in the same step;
// ErrTransition when the application cannot end so.
//
// Expiry of the Kita year never takes an accepted place: an application
// with an open upgrade offer goes back to its accepted place (the
// upgrade's place is returned), and its waiting choices are released.
func (a *Application) End(to Status, at time.Time, actor, reason string) ([]PlaceKey, error) {
	if to == Expired && a.held != nil && a.status == Offered {
		place := a.placeOf(a.offer)
		if err := a.transition(Accepted, at, actor, reason); err != nil {
			return nil, err
		}
		a.offer, a.held = a.held, nil
		a.releaseOthers(a.offer.KitaID)
		return []PlaceKey{place}, nil
	}
	var places []PlaceKey
	if a.offer != nil && (a.status == Offered || a.status == Accepted) {
		places = append(places, a.placeOf(a.offer))
	}
	if a.held != nil {
		places = append(places, a.placeOf(a.held))
	}
	if err := a.transition(to, at, actor, reason); err != nil {
		return nil, err
	}
	a.releaseOthers("")
	a.offer, a.held = nil, nil
	return places, nil
}

// placeOf is the place an offer of a takes.
func (a *Application) placeOf(o *Offer) PlaceKey {
	return PlaceKey{KitaID: o.KitaID, Year: a.Year, Band: o.Band, Hours: o.Hours, From: o.From}
}

// MakeOffer records an offer of a place at kitaID, to be answered by
// respondBy: ErrTransition unless the choice of kitaID still waits and the
// application may be offered a place. It returns the place the offer
// takes, to be taken in the same step. An application that accepted a
// place and keeps waiting for better choices ([AcceptOptions]) may be
// offered one of those: its accepted place is held ([Application.Held])
// until the family answers.
func (a *Application) MakeOffer(kitaID string, round int, at time.Time, actor string, respondBy date.Date) (PlaceKey, error) {
	return a.MakePoolOffer(kitaID, kita.Pool{}, round, at, actor, respondBy)
}

// MakePoolOffer is [Application.MakeOffer] of a place of one of the
// Kita's pools (kita.Pool; its band is the child's): the offer carries the
// pool's care hours and month, and the place it returns is the pool's.
// A zero pool is a place of a Kita without pools; a pool of another age
// band than the child's is ErrTransition.
func (a *Application) MakePoolOffer(kitaID string, pool kita.Pool, round int, at time.Time, actor string, respondBy date.Date) (PlaceKey, error) {
	c, ok := a.Choice(kitaID)
	if !ok || c.Status != Waiting || !CanTransition(a.status, Offered) {
		return PlaceKey{}, ErrTransition
	}
	band := kita.BandOn(a.Child.BirthDate, a.Start)
	if pool != (kita.Pool{}) && pool.Band != band {
		return PlaceKey{}, ErrTransition // a pool of another age band
	}
	if err := a.transition(Offered, at, actor, "offer:"+kitaID); err != nil {
		return PlaceKey{}, err
	}
	a.setChoices(ChoiceOffered, func(c Choice) bool { return c.KitaID == kitaID })
	if a.offer != nil {
		a.held = a.offer // an upgrade: the accepted place stays the family's
	}
	a.offer = &Offer{KitaID: kitaID, Band: band, Hours: pool.Hours, From: pool.From, Round: round, At: at, RespondBy: respondBy}
	return a.placeOf(a.offer), nil
}

// CanKeepWaiting reports whether the open offer may be accepted with
// [AcceptOptions] KeepWaiting: a choice ranked above the offered Kita
// still waits. Without an open offer it is false.
func (a Application) CanKeepWaiting() bool {
	if a.offer == nil || a.status != Offered {
		return false
	}
	offered, _ := a.Choice(a.offer.KitaID)
	return slices.ContainsFunc(a.Choices, func(c Choice) bool { return c.Status == Waiting && c.Rank < offered.Rank })
}

// AcceptOptions say how a family accepts an offer.
type AcceptOptions struct {
	// KeepWaiting keeps the choices ranked above the accepted one waiting
	// for later rounds (an upgrade); those ranked below are released. A
	// better offer the family accepts later releases this place in the
	// same step; declining it keeps this place.
	KeepWaiting bool
}

// Accept accepts the offer on today: every other open choice is released,
// or, with opts.KeepWaiting, only those ranked below it. Accepting an
// upgrade offer releases the place held so far and returns it, to be
// given back in the same step (nil otherwise). ErrTransition without an
// open offer, ErrOfferLapsed after its RespondBy date, ErrNothingAbove
// when KeepWaiting finds no better choice still waiting.
func (a *Application) Accept(today date.Date, at time.Time, actor string, opts AcceptOptions) (*PlaceKey, error) {
	if a.offer == nil || a.status != Offered {
		return nil, ErrTransition
	}
	if today.After(a.offer.RespondBy) {
		return nil, ErrOfferLapsed
	}
	accepted, _ := a.Choice(a.offer.KitaID)
	if opts.KeepWaiting && !a.CanKeepWaiting() {
		return nil, ErrNothingAbove
	}
	reason := "offer_accepted"
	if a.held != nil {
		reason = "upgrade_accepted"
	}
	if opts.KeepWaiting {
		reason += "_waiting"
	}
	if err := a.transition(Accepted, at, actor, reason); err != nil {
		return nil, err
	}
	var released *PlaceKey
	if a.held != nil {
		p := a.placeOf(a.held)
		released = &p
		a.setChoices(Released, func(c Choice) bool { return c.KitaID == a.held.KitaID })
		a.held = nil
	}
	a.setChoices(ChoiceAccepted, func(c Choice) bool { return c.KitaID == a.offer.KitaID })
	if opts.KeepWaiting {
		a.setChoices(Released, func(c Choice) bool { return c.Status == Waiting && c.Rank > accepted.Rank })
	} else {
		a.releaseOthers(a.offer.KitaID)
	}
	return released, nil
}

// Decline ends the open offer, declined by the family or lapsed (reason):
// the choice counts as declined and the application waits with its other
// choices. An upgrade offer declined or lapsed leaves the accepted place
// with the family (status Accepted again; better choices still waiting
// keep waiting). It returns the place to give back in the same step;
// ErrTransition without an open offer.
func (a *Application) Decline(at time.Time, actor, reason string) (PlaceKey, error) {
	if a.offer == nil || a.status != Offered {
		return PlaceKey{}, ErrTransition
	}
	place := a.placeOf(a.offer)
	to := Declined
	if a.held != nil {
		to = Accepted
	}
	if err := a.transition(to, at, actor, reason); err != nil {
		return PlaceKey{}, err
	}
	a.setChoices(ChoiceDeclined, func(c Choice) bool { return c.KitaID == place.KitaID })
	a.offer, a.held = a.held, nil
	return place, nil
}

// Contract records the signed care contract of the accepted place;
// ErrTransition unless the place is accepted (and no upgrade offer is
// open). Choices still waiting for an upgrade are released: the contract
// ends the wait.
func (a *Application) Contract(at time.Time, actor string) error {
	if a.status != Accepted {
		return ErrTransition
	}
	if err := a.transition(Contracted, at, actor, "contract_signed"); err != nil {
		return err
	}
	a.setChoices(Released, func(c Choice) bool { return c.Status == Waiting })
	return nil
}

// StopWaiting ends an upgrade's wait: an accepted place whose better
// choices still wait (see [AcceptOptions]) keeps its place, and those
// choices are released, as at the end of the Kita year. It reports
// whether anything changed (false for any other application).
func (a *Application) StopWaiting(at time.Time) bool {
	if !a.Waiting() {
		return false
	}
	a.setChoices(Released, func(c Choice) bool { return c.Status == Waiting })
	a.UpdatedAt = at
	return true
}

// Remind marks the open offer as reminded (the reminder is queued by the
// caller's step).
func (a *Application) Remind(at time.Time) {
	if a.offer != nil {
		a.offer.Reminded = true
		a.UpdatedAt = at
	}
}
