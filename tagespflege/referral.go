package tagespflege

import (
	"encoding/json"
	"github.com/kitaportal/kitaportal/problem"
	"slices"

	"context"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/internal/enum"
)

// Sentinel errors of the tagespflege package.
var (
	// ErrNotFound: no referral, minder or office with that id.
	ErrNotFound = problem.NewSentinel(problem.NotFound, "tagespflege.not_found", "tagespflege: not found")
	// ErrExists: a record with that id exists already.
	ErrExists = problem.NewSentinel(problem.Exists, "tagespflege.exists", "tagespflege: already exists")
	// ErrConflict: the record changed since it was read (stale version).
	ErrConflict = problem.NewSentinel(problem.Conflict, "tagespflege.conflict", "tagespflege: version conflict")
	// ErrTransition: the referral's state does not allow that step.
	ErrTransition = problem.NewSentinel(problem.WrongState, "tagespflege.transition", "tagespflege: transition not allowed")
	// ErrMinderFull: the minder has no free place (§ 43 (3) SGB VIII: at
	// most 5 children at once; Großtagespflege at most 9 children).
	ErrMinderFull = problem.NewSentinel(problem.WrongState, "tagespflege.minder_full", "tagespflege: minder has no free place")
	// ErrLicence: the minder's licence (Pflegeerlaubnis) does not cover the start date.
	ErrLicence = problem.NewSentinel(problem.WrongState, "tagespflege.licence", "tagespflege: licence not valid at start")
	// ErrDistrict: the minder works in another district than the referral's.
	ErrDistrict = problem.NewSentinel(problem.Invalid, "tagespflege.district", "tagespflege: minder in another district")
	// ErrNotPlaced: the referral holds no place with that minder or
	// Großtagespflege, so there is no placement to end.
	ErrNotPlaced = problem.NewSentinel(problem.WrongState, "tagespflege.not_placed", "tagespflege: no such placement")
)

// ReferralStatus is where a referral to the Fachberatung stands.
type ReferralStatus int

// The referral states.
const (
	// Open: created with the application, not yet handled.
	Open ReferralStatus = iota + 1
	// Contacted: the Fachberatung has contacted the family.
	Contacted
	// Placed: the child was placed with a minder.
	Placed
	// Closed: ended without a placement (withdrawn, no need, placed elsewhere).
	Closed
)

var referralStatusNames = [...]string{"", "open", "contacted", "placed", "closed"}

// Valid reports whether s is a known status.
func (s ReferralStatus) Valid() bool { return s >= Open && s <= Closed }

// String returns the stable name.
func (s ReferralStatus) String() string {
	return enum.Name(referralStatusNames[:], s)
}

// ParseReferralStatus reads a stable name.
func ParseReferralStatus(s string) (ReferralStatus, bool) {
	return enum.Parse[ReferralStatus](referralStatusNames[:], s)
}

// Referral is a request for Kindertagespflege handed to the Fachberatung
// of a district. It is created in the same atomic step as the application
// that asked for it.
type Referral struct {
	ID            string `json:"id"`
	ApplicationID string `json:"application_id"`
	FamilyID      string `json:"family_id"`
	// Reference is the application's human-readable number.
	Reference string `json:"reference"`
	// District is the Stadtbezirk whose Fachberatung handles the request.
	District  string    `json:"district"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// The lifecycle: changed only by the referral's methods (MarkContacted,
	// Place, Close, Anonymize), read through Status, MinderID, Start,
	// CloseReason, History and Version, set by adapters through
	// [RehydrateReferral].
	status      ReferralStatus
	minderID    string
	start       date.Date
	closeReason CloseReason
	version     int64
	history     []Event
}

// MinderID returns the minder the child is placed with: set by
// [Referral.Place], cleared again when a placed referral is closed (the
// history keeps it).
func (r Referral) MinderID() string { return r.minderID }

// Start returns the first day of care with the minder, set with MinderID.
func (r Referral) Start() date.Date { return r.start }

// CloseReason returns why a closed referral ended; zero otherwise.
func (r Referral) CloseReason() CloseReason { return r.closeReason }

// Status returns where the referral stands.
func (r Referral) Status() ReferralStatus { return r.status }

// Version returns the stored version the referral was read with; every
// update must name it.
func (r Referral) Version() int64 { return r.version }

// History returns a copy of the referral's events, oldest first.
func (r Referral) History() []Event { return slices.Clone(r.history) }

// ReferralState is a referral's lifecycle as a store keeps it.
type ReferralState struct {
	Status      ReferralStatus `json:"status"`
	MinderID    string         `json:"minder_id,omitempty"`
	Start       date.Date      `json:"start,omitempty"`
	CloseReason CloseReason    `json:"close_reason,omitempty"`
	Version     int64          `json:"version"`
	History     []Event        `json:"history"`
}

// State returns a copy of the referral's lifecycle, for adapters.
func (r Referral) State() ReferralState {
	return ReferralState{Status: r.status, MinderID: r.minderID, Start: r.start, CloseReason: r.closeReason,
		Version: r.version, History: slices.Clone(r.history)}
}

// RehydrateReferral returns r with the lifecycle s, as an adapter read it
// from storage. It checks nothing: the lifecycle was written by the
// referral's methods.
func RehydrateReferral(r Referral, s ReferralState) Referral {
	r.status, r.version, r.history = s.Status, s.Version, slices.Clone(s.History)
	r.minderID, r.start, r.closeReason = s.MinderID, s.Start, s.CloseReason
	return r
}

// AtVersion returns r with the stored version v, for adapters.
func (r Referral) AtVersion(v int64) Referral {
	r.version = v
	return r
}

// referralFields are a referral's exported fields, without methods.
type referralFields Referral

type referralJSON struct {
	referralFields
	ReferralState
}

// MarshalJSON encodes the referral with its lifecycle.
func (r Referral) MarshalJSON() ([]byte, error) {
	return json.Marshal(referralJSON{referralFields(r), r.State()})
}

// UnmarshalJSON decodes what MarshalJSON encoded.
func (r *Referral) UnmarshalJSON(b []byte) error {
	var j referralJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = RehydrateReferral(Referral(j.referralFields), j.ReferralState)
	return nil
}

// Event is one step in a referral's history.
type Event struct {
	At     time.Time      `json:"at"`
	Actor  string         `json:"actor"`
	Status ReferralStatus `json:"status"`
	Note   string         `json:"note,omitempty"`
	// MinderID names the minder of a placement event.
	MinderID string `json:"minder_id,omitempty"`
	// Reason is the reason of a closing event.
	Reason CloseReason `json:"reason,omitempty"`
}

// ReferralStore is the store port for referrals. Create runs inside the
// application's atomic step; Update checks r.version against the stored
// version and stores r with Version+1 (ErrConflict when stale).
type ReferralStore interface {
	// CreateReferral stores a new referral as given (version 1 by
	// [NewReferral]); ErrExists when the id is taken.
	CreateReferral(ctx context.Context, r Referral) error
	// Referral returns a copy of the referral; ErrNotFound when unknown.
	Referral(ctx context.Context, id string) (Referral, error)
	// UpdateReferral replaces the referral whose stored Version equals
	// r.version and stores it with Version+1; ErrConflict when stale,
	// ErrNotFound when unknown.
	UpdateReferral(ctx context.Context, r Referral) error
	// Referrals lists a district's referrals ("" for all), oldest first,
	// with paging (limit 0: all).
	Referrals(ctx context.Context, district string, offset, limit int) ([]Referral, error)
}
