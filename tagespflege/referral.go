package tagespflege

import (
	"github.com/kitaportal/kitaportal/problem"

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
	District string         `json:"district"`
	Status   ReferralStatus `json:"status"`
	// MinderID is set once the child is placed, and cleared again when a
	// placed referral is closed (the history keeps it).
	MinderID string `json:"minder_id,omitempty"`
	// Start is the first day of care with the minder, set with MinderID.
	Start date.Date `json:"start,omitempty"`
	// CloseReason says why a closed referral ended; zero otherwise.
	CloseReason CloseReason `json:"close_reason,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	// Version counts writes; every update must name the version it read.
	Version int64   `json:"version"`
	History []Event `json:"history"`
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
// application's atomic step; Update checks r.Version against the stored
// version and stores r with Version+1 (ErrConflict when stale).
type ReferralStore interface {
	// CreateReferral stores a new referral as given (version 1 by
	// [NewReferral]); ErrExists when the id is taken.
	CreateReferral(ctx context.Context, r Referral) error
	// Referral returns a copy of the referral; ErrNotFound when unknown.
	Referral(ctx context.Context, id string) (Referral, error)
	// UpdateReferral replaces the referral whose stored Version equals
	// r.Version and stores it with Version+1; ErrConflict when stale,
	// ErrNotFound when unknown.
	UpdateReferral(ctx context.Context, r Referral) error
	// Referrals lists a district's referrals ("" for all), oldest first,
	// with paging (limit 0: all).
	Referrals(ctx context.Context, district string, offset, limit int) ([]Referral, error)
}
