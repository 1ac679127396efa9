package registration

import (
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// The audit actions.
const (
	AuditRead     = "read"
	AuditSubmit   = "submit"
	AuditChange   = "change"
	AuditErase    = "erase"
	AuditExport   = "export"
	AuditRetained = "retention"
	// AuditReview marks an entry for the Jugendamt to review.
	AuditReview = "review"
)

// ReasonCrossFamilyMatch is the reason of an [AuditReview] entry: another
// family has an active application with the same child key for the same
// Kita year (the same child registered twice, or a mistake).
const ReasonCrossFamilyMatch = "cross_family_match"

// Anonymize erases the personal data of an application and keeps what
// statistics need: Kita year, district, choices, status, dates of the
// lifecycle. Names, contact data, street address, birth day, idempotency key
// and child key are removed; the birth date is reduced to the first of its
// month, so that age bands stay countable.
func (a *Application) Anonymize(at time.Time) {
	a.Child = Child{BirthDate: firstOfMonth(a.Child.BirthDate), Unborn: a.Child.Unborn}
	for i := range a.Guardians {
		a.Guardians[i] = Guardian{Language: a.Guardians[i].Language, Working: a.Guardians[i].Working}
	}
	a.Address = geo.Address{PostalCode: a.Address.PostalCode}
	a.Criteria.HardshipReason = ""
	a.IdempotencyKey = ""
	a.ChildKey = ""
	for i := range a.history {
		a.history[i].Actor = ""
	}
	a.Anonymized = true
	a.UpdatedAt = at
}

func firstOfMonth(d date.Date) date.Date {
	y, m, _ := d.Date()
	return date.New(y, m, 1)
}

// Export is everything stored about a family (DSGVO Art. 15 and 20): its
// applications, the messages sent to it and the audit trail about it.
type Export struct {
	FamilyID     string        `json:"family_id"`
	ExportedAt   time.Time     `json:"exported_at"`
	Applications []Application `json:"applications"`
	// Referrals are the Tagespflege referrals of the applications.
	Referrals []tagespflege.Referral `json:"referrals"`
	// Messages are every message about the family: to the family and to
	// the Fachberatung about its referrals.
	Messages []notify.Message `json:"messages"`
	Audit    []AuditEntry     `json:"audit"`
}

// Retention is when personal data is anonymized (the profile's Löschfristen).
type Retention struct {
	// AnonymizeAfterMonths applies to applications that never led to a
	// contract, counted from the end of their Kita year.
	AnonymizeAfterMonths int
	// ContractedAfterMonths applies to contracted applications, counted
	// from the end of the child's Kita time (the day before school entry).
	ContractedAfterMonths int
}

// RetentionDue reports whether the retention period r of a has passed at
// now: an application that never led to a contract is due AnonymizeAfterMonths
// after the end of its Kita year, a contracted one ContractedAfterMonths
// after the end of the child's Kita time. One still in the running (waiting,
// offered, accepted) or already anonymized is never due.
func (rs Rules) RetentionDue(a Application, r Retention, now time.Time) bool {
	if a.Anonymized {
		return false
	}
	y, err := rs.Calendar.ParseYear(a.Year)
	if err != nil {
		return false
	}
	due := y.Last().AddDate(0, r.AnonymizeAfterMonths, 0)
	switch {
	case a.status == Contracted:
		due = rs.Calendar.KitaEnd(a.Child.BirthDate).AddDate(0, r.ContractedAfterMonths, 0)
	case a.status.Open() || a.status == Offered || a.status == Accepted:
		return false // still in the running: expired or withdrawn first
	}
	return rs.Today(now).After(due)
}

// Active reports whether the application still waits, holds an offer or
// an accepted place.
func (a Application) Active() bool {
	return a.status.Open() || a.status == Offered || a.status == Accepted
}
