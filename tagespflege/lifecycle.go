package tagespflege

import (
	"slices"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/internal/enum"
	"github.com/kitaportal/kitaportal/problem"
)

// transitions is the referral lifecycle, the single place that says which
// step may follow which:
//
//	Open      → Contacted, Placed, Closed
//	Contacted → Placed, Closed
//	Placed    → Closed   (the minder's place is freed)
//	Closed    → (final)
var transitions = [...][Closed + 1]bool{
	Open:      {Contacted: true, Placed: true, Closed: true},
	Contacted: {Placed: true, Closed: true},
	Placed:    {Closed: true},
	Closed:    {},
}

// CanTransition reports whether a referral in state from may move to state
// to. Unknown states never transition.
func CanTransition(from, to ReferralStatus) bool {
	if !from.Valid() || !to.Valid() {
		return false
	}
	return transitions[from][to]
}

// CloseReason says why a referral was closed.
type CloseReason int

// The reasons for closing a referral.
const (
	// Withdrawn: the family withdrew the request.
	Withdrawn CloseReason = iota + 1
	// NoNeed: the need for care no longer exists.
	NoNeed
	// PlacedElsewhere: the child got a Kita place or care elsewhere.
	PlacedElsewhere
	// NoMinderFound: the Fachberatung found no suitable minder.
	NoMinderFound
	// Unreachable: the family could not be reached.
	Unreachable
	// CareEnded: a placed child's care with the minder ended.
	CareEnded
)

var closeReasonNames = [...]string{"", "withdrawn", "no_need", "placed_elsewhere", "no_minder_found", "unreachable", "care_ended"}

// Valid reports whether c is a known reason.
func (c CloseReason) Valid() bool { return c >= Withdrawn && c <= CareEnded }

// String returns the stable name.
func (c CloseReason) String() string {
	return enum.Name(closeReasonNames[:], c)
}

// ParseCloseReason reads a stable name.
func ParseCloseReason(s string) (CloseReason, bool) {
	return enum.Parse[CloseReason](closeReasonNames[:], s)
}

// NewReferral returns the referral the registration service stores in the
// application's atomic step: status Open, version 1, created at at (in UTC),
// with the creation event as its history. The creation event names no
// actor: the portal creates the referral on the family's behalf.
func NewReferral(id, applicationID, familyID, reference, district string, at time.Time) Referral {
	at = at.UTC()
	return Referral{
		ID:            id,
		ApplicationID: applicationID,
		FamilyID:      familyID,
		Reference:     reference,
		District:      district,
		status:        Open,
		CreatedAt:     at,
		UpdatedAt:     at,
		version:       1,
		history:       []Event{{At: at, Status: Open}},
	}
}

// Validate checks that the referral names its ids and district and has a
// known status, and returns every problem as a [problem.List].
func (r Referral) Validate() error {
	var c problem.Collector
	for _, f := range [...]struct{ field, value string }{
		{"id", r.ID}, {"application_id", r.ApplicationID}, {"family_id", r.FamilyID}, {"district", r.District},
	} {
		if f.value == "" {
			c.Add(f.field, CodeIDMissing, ErrMissing)
		}
	}
	if !r.status.Valid() {
		c.Add("status", CodeStatusInvalid, ErrRange)
	}
	return c.Err()
}

// MarkContacted records that the Fachberatung contacted the family.
// ErrTransition unless the referral is Open.
func (r *Referral) MarkContacted(at time.Time, actor, note string) error {
	return r.step(Event{At: at, Actor: actor, Status: Contacted, Note: note})
}

// Place records that the child is placed with the minder from start on.
// ErrTransition unless the referral is Open or Contacted. Capacity, licence
// and district are the [Service]'s checks; Place changes the referral only.
func (r *Referral) Place(minderID string, start date.Date, at time.Time, actor string) error {
	if err := r.step(Event{At: at, Actor: actor, Status: Placed, MinderID: minderID}); err != nil {
		return err
	}
	r.minderID = minderID
	r.start = start
	return nil
}

// Close ends the referral for reason. A placed referral gives up its
// minder: MinderID and Start are cleared (the history keeps them), and the
// caller frees the minder's place in the same atomic step. ErrTransition
// when the referral is closed already.
func (r *Referral) Close(reason CloseReason, at time.Time, actor string) error {
	ev := Event{At: at, Actor: actor, Status: Closed, Reason: reason, MinderID: r.minderID}
	if err := r.step(ev); err != nil {
		return err
	}
	r.closeReason = reason
	r.minderID = ""
	r.start = date.Date{}
	return nil
}

// Anonymize erases what a referral holds about the family beyond ids and
// statistics: the Fachberatung's notes. It is part of a family's erasure
// and of retention; the lifecycle (dates, statuses, minder ids) stays.
func (r *Referral) Anonymize(at time.Time) {
	for i := range r.history {
		r.history[i].Note = ""
	}
	r.UpdatedAt = at.UTC()
}

// step moves the referral to ev.Status and appends ev to its history.
func (r *Referral) step(ev Event) error {
	if !CanTransition(r.status, ev.Status) {
		return ErrTransition
	}
	ev.At = ev.At.UTC()
	r.status = ev.Status
	r.UpdatedAt = ev.At
	// Clip so that appending never writes into an array a copy shares.
	r.history = append(slices.Clip(r.history), ev)
	return nil
}
