package app

import (
	"context"
	"errors"
	"time"

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
	who := actor.String()
	erase := func(tx registration.Tx, a *registration.Application, now time.Time) (bool, error) {
		if a.Active() {
			if err := end(ctx, tx, a, registration.Withdrawn, now, who, "erased_on_request"); err != nil {
				return false, err
			}
			if err := closeReferral(ctx, tx, *a, tagespflege.Withdrawn, now, who); err != nil {
				return false, err
			}
		}
		if err := anonymizeReferral(ctx, tx, *a, now); err != nil || a.Anonymized {
			return false, err
		}
		a.Anonymize(now)
		return true, nil
	}
	// The family's messages go, and its children leave every stored
	// round draft (whose instance holds their birth dates).
	finish := func(step Tx) error {
		tx := step.Applications()
		if _, err := tx.EraseFamilyMessages(ctx, familyID); err != nil {
			return err
		}
		apps, err := tx.Applications(ctx, registration.Query{FamilyID: familyID})
		if err != nil {
			return err
		}
		appIDs := make([]string, len(apps))
		for i, a := range apps {
			appIDs[i] = a.ID
		}
		_, err = step.Drafts().EraseFromDrafts(ctx, appIDs...)
		return err
	}
	return r.sweep(ctx, actor, registration.Query{FamilyID: familyID}, registration.AuditErase, "data_subject_request", erase, finish)
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
	var retained []string
	retain := func(tx registration.Tx, a *registration.Application, now time.Time) (bool, error) {
		if !rules.RetentionDue(*a, ret, now) {
			return false, nil
		}
		a.Anonymize(now)
		if err := anonymizeReferral(ctx, tx, *a, now); err != nil {
			return false, err
		}
		subjects := []string{a.ID}
		if a.TP != nil && a.TP.ReferralID != "" {
			subjects = append(subjects, a.TP.ReferralID)
		}
		_, err := tx.EraseSubjectMessages(ctx, subjects...)
		retained = append(retained, a.ID)
		return err == nil, err
	}
	// The anonymized children leave every stored round draft.
	finish := func(step Tx) error {
		_, err := step.Drafts().EraseFromDrafts(ctx, retained...)
		retained = nil
		return err
	}
	return r.sweep(ctx, actor, registration.Query{}, registration.AuditRetained, "retention_period", retain, finish)
}

// sweep runs one step over the applications q selects: visit changes each
// with the aggregate's methods and reports whether it did; every changed
// application is written back and audited (action, reason), and finish,
// when set, ends the step. It returns how many changed. The caller decided
// access.
func (r *Registrations) sweep(ctx context.Context, actor access.Actor, q registration.Query, action, reason string,
	visit func(tx registration.Tx, a *registration.Application, now time.Time) (bool, error), finish func(step Tx) error) (int, error) {
	now := r.app.clock().UTC()
	n := 0
	err := r.app.store.Atomic(ctx, func(step Tx) error {
		n = 0
		tx := step.Applications()
		apps, err := tx.Applications(ctx, q)
		if err != nil {
			return err
		}
		for _, a := range apps {
			changed, err := visit(tx, &a, now)
			if err != nil {
				return err
			}
			if !changed {
				continue
			}
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, registration.AuditEntry{At: now, Actor: actor.String(), Action: action, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: reason}); err != nil {
				return err
			}
			n++
		}
		if finish != nil {
			return finish(step)
		}
		return nil
	})
	return n, err
}
