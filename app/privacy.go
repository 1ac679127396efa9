package app

import (
	"context"
	"errors"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Export returns everything stored about a family (DSGVO Art. 15, 20): its
// applications, their Tagespflege referrals, every message about it and
// the audit trail about it, to the family itself or the Jugendamt. An
// empty family id is invalid input, never "every family". The export is
// audited.
func (r *Registrations) Export(ctx context.Context, actor access.Actor, familyID string) (registration.Export, error) {
	if err := ids("family_id", familyID); err != nil {
		return registration.Export{}, err
	}
	if err := access.Can(actor, access.ReadFamily, access.Subject{FamilyID: familyID}); err != nil {
		return registration.Export{}, err
	}
	var (
		apps []registration.Application
		refs = []tagespflege.Referral{}
	)
	err := r.app.store.Atomic(ctx, func(tx Tx) error {
		var err error
		refs = refs[:0]
		if apps, err = tx.Applications().Applications(ctx, registration.Query{FamilyID: familyID}); err != nil {
			return err
		}
		for _, a := range apps {
			if a.TP == nil || a.TP.ReferralID == "" {
				continue
			}
			ref, err := tx.Applications().Referral(ctx, a.TP.ReferralID)
			if errors.Is(err, tagespflege.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			refs = append(refs, ref)
		}
		return nil
	})
	if err != nil {
		return registration.Export{}, err
	}
	st := r.app.store.Registrations()
	msgs, err := st.FamilyMessages(ctx, familyID)
	if err != nil {
		return registration.Export{}, err
	}
	trail, err := st.Audit(ctx, registration.AuditQuery{FamilyID: familyID})
	if err != nil {
		return registration.Export{}, err
	}
	entry := r.app.auditEntry(actor, registration.AuditExport, registration.Application{FamilyID: familyID}, "data_subject_request")
	if err := st.AppendAudit(ctx, entry); err != nil {
		return registration.Export{}, err
	}
	if apps == nil {
		apps = []registration.Application{}
	}
	if msgs == nil {
		msgs = []notify.Message{}
	}
	return registration.Export{FamilyID: familyID, ExportedAt: entry.At, Applications: apps, Referrals: refs, Messages: msgs, Audit: trail}, nil
}

// Erase erases a family's personal data on request (DSGVO Art. 17), in one
// step: every application is anonymized (statistics survive), open ones
// are withdrawn first and their places given back, their referrals closed
// and the Fachberatung's notes erased, and the family's messages deleted.
// The audit trail keeps the fact of the erasure, by ids. An empty family id
// is invalid input, never "every family". It returns how many applications
// were anonymized.
func (r *Registrations) Erase(ctx context.Context, actor access.Actor, familyID string) (int, error) {
	if err := ids("family_id", familyID); err != nil {
		return 0, err
	}
	if err := access.Can(actor, access.EraseFamily, access.Subject{FamilyID: familyID}); err != nil {
		return 0, err
	}
	now := r.app.clock().UTC()
	who := actor.String()
	n := 0
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		n = 0
		tx := step.Applications()
		apps, err := tx.Applications(ctx, registration.Query{FamilyID: familyID})
		if err != nil {
			return err
		}
		for _, a := range apps {
			if a.Active() {
				if err := end(ctx, tx, &a, registration.Withdrawn, now, who, "erased_on_request"); err != nil {
					return err
				}
				if err := closeReferral(ctx, tx, a, tagespflege.Withdrawn, now, who); err != nil {
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
			if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: who, Action: registration.AuditErase, ApplicationID: a.ID, FamilyID: familyID, Reason: "data_subject_request"}); err != nil {
				return err
			}
			n++
		}
		_, err = tx.EraseFamilyMessages(ctx, familyID)
		return err
	})
	return n, err
}

// ApplyRetention anonymizes, in one step, every application whose
// retention period (the profile's Löschfristen) has passed, erases the
// Fachberatung's notes of its referral and the messages about both;
// statistics survive. Run it daily, as the Jugendamt or the system. It
// returns how many applications were anonymized.
func (r *Registrations) ApplyRetention(ctx context.Context, actor access.Actor) (int, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return 0, err
	}
	ret := registration.Retention{
		AnonymizeAfterMonths:  r.app.Profile.Retention.AnonymizeAfterMonths,
		ContractedAfterMonths: r.app.Profile.Retention.ContractedAfterMonths,
	}
	rules := r.app.Profile.Registration
	now := r.app.clock().UTC()
	n := 0
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		n = 0
		tx := step.Applications()
		apps, err := tx.Applications(ctx, registration.Query{})
		if err != nil {
			return err
		}
		for _, a := range apps {
			if !rules.RetentionDue(a, ret, now) {
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
			if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: actor.String(), Action: registration.AuditRetained, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "retention_period"}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
