package registration

import (
	"context"
	"errors"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
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

// audit appends an audit entry in its own step; reads are audited too.
func (s *Service) audit(ctx context.Context, actor access.Actor, action string, a Application, reason string) error {
	return s.store.AppendAudit(ctx, AuditEntry{
		At: s.clock().UTC(), Actor: actor.String(), Action: action,
		ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: reason,
	})
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

// Export returns everything stored about a family, to the family itself or
// the Jugendamt. The export is audited.
func (s *Service) Export(ctx context.Context, actor access.Actor, familyID string) (Export, error) {
	if err := checkFamilyID(familyID); err != nil {
		return Export{}, err
	}
	if err := access.Can(actor, access.ReadFamily, access.Subject{FamilyID: familyID}); err != nil {
		return Export{}, err
	}
	var (
		apps []Application
		refs = []tagespflege.Referral{}
	)
	err := s.store.Atomic(ctx, func(tx Tx) error {
		var err error
		refs = refs[:0]
		if apps, err = tx.Applications(ctx, Query{FamilyID: familyID}); err != nil {
			return err
		}
		for _, a := range apps {
			if a.TP == nil || a.TP.ReferralID == "" {
				continue
			}
			r, err := tx.Referral(ctx, a.TP.ReferralID)
			if errors.Is(err, tagespflege.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			refs = append(refs, r)
		}
		return nil
	})
	if err != nil {
		return Export{}, err
	}
	msgs, err := s.store.FamilyMessages(ctx, familyID)
	if err != nil {
		return Export{}, err
	}
	trail, err := s.store.Audit(ctx, AuditQuery{FamilyID: familyID})
	if err != nil {
		return Export{}, err
	}
	if err := s.audit(ctx, actor, AuditExport, Application{FamilyID: familyID}, "data_subject_request"); err != nil {
		return Export{}, err
	}
	if apps == nil {
		apps = []Application{}
	}
	if msgs == nil {
		msgs = []notify.Message{}
	}
	return Export{FamilyID: familyID, ExportedAt: s.clock().UTC(), Applications: apps, Referrals: refs, Messages: msgs, Audit: trail}, nil
}

// Erase erases a family's personal data on request (DSGVO Art. 17): every
// application is anonymized (statistics survive), open ones are withdrawn
// first and their places given back, and the family's messages are deleted
// from the outbox. The audit trail keeps the fact of the erasure, by ids.
func (s *Service) Erase(ctx context.Context, actor access.Actor, familyID string) (int, error) {
	if err := checkFamilyID(familyID); err != nil {
		return 0, err
	}
	if err := access.Can(actor, access.EraseFamily, access.Subject{FamilyID: familyID}); err != nil {
		return 0, err
	}
	now := s.clock().UTC()
	n := 0
	err := s.store.Atomic(ctx, func(tx Tx) error {
		n = 0
		apps, err := tx.Applications(ctx, Query{FamilyID: familyID})
		if err != nil {
			return err
		}
		for _, a := range apps {
			if a.status.Open() || a.status == Offered || a.status == Accepted {
				if err := s.end(ctx, tx, &a, Withdrawn, now, actor.String(), "erased_on_request"); err != nil {
					return err
				}
				if err := closeReferral(ctx, tx, a, tagespflege.Withdrawn, now, actor.String()); err != nil {
					return err
				}
			}
			if err := anonymizeReferral(ctx, tx, a, now); err != nil {
				return err
			}
			if a.Anonymized {
				continue
			}
			a.Anonymize(now)
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: actor.String(), Action: AuditErase, ApplicationID: a.ID, FamilyID: familyID, Reason: "data_subject_request"}); err != nil {
				return err
			}
			n++
		}
		_, err = tx.EraseFamilyMessages(ctx, familyID)
		return err
	})
	return n, err
}

// anonymizeReferral erases the Fachberatung's notes of the application's
// referral, if it has one, in the step tx.
func anonymizeReferral(ctx context.Context, tx Tx, a Application, now time.Time) error {
	return changeReferral(ctx, tx, a, func(r *tagespflege.Referral) (bool, error) {
		r.Anonymize(now)
		return true, nil
	})
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

// ApplyRetention anonymizes every application whose retention period has
// passed; statistics survive. It returns how many were anonymized.
func (s *Service) ApplyRetention(ctx context.Context, actor access.Actor, r Retention) (int, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return 0, err
	}
	now := s.clock().UTC()
	today := s.rules.today(now)
	n := 0
	err := s.store.Atomic(ctx, func(tx Tx) error {
		n = 0
		apps, err := tx.Applications(ctx, Query{})
		if err != nil {
			return err
		}
		for _, a := range apps {
			if a.Anonymized {
				continue
			}
			y, err := s.rules.Calendar.ParseYear(a.Year)
			if err != nil {
				continue
			}
			due := y.Last().AddDate(0, r.AnonymizeAfterMonths, 0)
			switch {
			case a.status == Contracted:
				due = s.rules.Calendar.KitaEnd(a.Child.BirthDate).AddDate(0, r.ContractedAfterMonths, 0)
			case a.status.Open() || a.status == Offered || a.status == Accepted:
				continue // still in the running: expired or withdrawn first
			}
			if !today.After(due) {
				continue
			}
			a.Anonymize(now)
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := anonymizeReferral(ctx, tx, a, now); err != nil {
				return err
			}
			subjects := []string{a.ID}
			if a.TP != nil && a.TP.ReferralID != "" {
				subjects = append(subjects, a.TP.ReferralID)
			}
			if _, err := tx.EraseSubjectMessages(ctx, subjects...); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: actor.String(), Action: AuditRetained, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "retention_period"}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// AuditTrail returns the audit trail, for the Jugendamt only.
func (s *Service) AuditTrail(ctx context.Context, actor access.Actor, q AuditQuery) ([]AuditEntry, error) {
	if err := access.Can(actor, access.ReadAudit, access.Subject{}); err != nil {
		return nil, err
	}
	return s.store.Audit(ctx, q)
}

// checkFamilyID rejects an empty or over-long family id as invalid input:
// an empty id must never select every family.
func checkFamilyID(familyID string) error {
	if familyID == "" || len(familyID) > 128 {
		var c problem.Collector
		c.Add("family_id", "registration.family_id", ErrFamilyID)
		return c.Err()
	}
	return nil
}
