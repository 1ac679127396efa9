package app

import (
	"context"
	"errors"
	"time"

	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// end ends an application in the step tx (see [registration.Application.End]) and gives
// back the places it held.
func end(ctx context.Context, tx registration.Ledger, a *registration.Application, to registration.Status, now time.Time, actor, reason string) error {
	places, err := a.End(to, now, actor, reason)
	if err != nil {
		return err
	}
	for _, p := range places {
		if err := tx.ReleasePlace(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// closeReferral closes the application's Tagespflege referral, if it is
// still open, in the same atomic step: the Fachberatung stops looking for a
// minder once the child took a Kita place or the family withdrew.
func closeReferral(ctx context.Context, tx registration.Referrals, a registration.Application, reason tagespflege.CloseReason, now time.Time, actor string) error {
	return changeReferral(ctx, tx, a, func(r *tagespflege.Referral) (bool, error) {
		if r.Status() != tagespflege.Open && r.Status() != tagespflege.Contacted {
			return false, nil // placed with a minder or closed already: the Fachberatung decides
		}
		return true, r.Close(reason, now, actor)
	})
}

// changeReferral lets change update the application's referral, if it has
// one, in the step tx; change reports whether it changed anything.
func changeReferral(ctx context.Context, tx registration.Referrals, a registration.Application, change func(r *tagespflege.Referral) (bool, error)) error {
	if a.TP == nil || a.TP.ReferralID == "" {
		return nil
	}
	r, err := tx.Referral(ctx, a.TP.ReferralID)
	if errors.Is(err, tagespflege.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	changed, err := change(&r)
	if err != nil || !changed {
		return err
	}
	return tx.UpdateReferral(ctx, r)
}

// anonymizeReferral erases the Fachberatung's notes of the application's
// referral, if it has one, in the step tx.
func anonymizeReferral(ctx context.Context, tx registration.Referrals, a registration.Application, now time.Time) error {
	return changeReferral(ctx, tx, a, func(r *tagespflege.Referral) (bool, error) {
		r.Anonymize(now)
		return true, nil
	})
}

// readBatch reads the applications of ids in the step tx, in one call
// where the store offers [registration.BatchReader]; those gone are left out.
func readBatch(ctx context.Context, tx registration.Applications, ids []string) (map[string]registration.Application, error) {
	out := make(map[string]registration.Application, len(ids))
	if br, ok := tx.(registration.BatchReader); ok {
		apps, err := br.ApplicationsByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			out[a.ID] = a
		}
		return out, nil
	}
	for _, id := range ids {
		a, err := tx.Application(ctx, id)
		if errors.Is(err, registration.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, nil
}
