package app

import (
	"context"
	"errors"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// ErrNoReferral: the application asked for no Kindertagespflege, so it has
// no referral to follow.
var ErrNoReferral = problem.NewSentinel(problem.NotFound, "app.no_referral", "app: the application has no Tagespflege referral")

// ReferralProgress is how far the Fachberatung got with a family's
// Kindertagespflege request, as the family may read it: the steps and
// their days, the start of care and why a closed referral ended. It holds
// no notes of the Fachberatung and no minder's data.
type ReferralProgress struct {
	// Reference is the application's number.
	Reference string `json:"reference"`
	// District is the Stadtbezirk whose Fachberatung handles the request.
	District string                     `json:"district"`
	Status   tagespflege.ReferralStatus `json:"status"`
	// Received is when the request reached the Fachberatung.
	Received time.Time `json:"received"`
	// Contacted is when the Fachberatung first contacted the family (zero
	// before).
	Contacted time.Time `json:"contacted,omitzero"`
	// Placed is when the child was placed with a minder (zero before), and
	// Start the first day of care there.
	Placed time.Time `json:"placed,omitzero"`
	Start  date.Date `json:"start,omitzero"`
	// Closed is when the referral ended (zero while it runs), and
	// CloseReason why.
	Closed      time.Time               `json:"closed,omitzero"`
	CloseReason tagespflege.CloseReason `json:"close_reason,omitempty"`
}

// Progress returns the progress of the Kindertagespflege referral of an
// application, for the family (access.ReadFamily: a guardian reads only
// their own family's, the Jugendamt any). An unknown or foreign
// application is access.ErrDenied; one without Tagespflege ErrNoReferral.
func (r *Referrals) Progress(ctx context.Context, actor access.Actor, applicationID string) (ReferralProgress, error) {
	if err := ids("application_id", applicationID); err != nil {
		return ReferralProgress{}, err
	}
	a, err := r.app.store.Registrations().Application(ctx, applicationID)
	if errors.Is(err, registration.ErrNotFound) {
		return ReferralProgress{}, access.ErrDenied
	}
	if err != nil {
		return ReferralProgress{}, err
	}
	if err := access.Can(actor, access.ReadFamily, access.Subject{FamilyID: a.FamilyID}); err != nil {
		return ReferralProgress{}, err
	}
	if a.TP == nil || a.TP.ReferralID == "" {
		return ReferralProgress{}, ErrNoReferral
	}
	ref, err := r.app.store.Tagespflege().Referral(ctx, a.TP.ReferralID)
	if errors.Is(err, tagespflege.ErrNotFound) {
		return ReferralProgress{}, ErrNoReferral
	}
	if err != nil {
		return ReferralProgress{}, err
	}
	return progressOf(ref), nil
}

// progressOf is the family's view of a referral: its steps from the
// history, the start and the close reason.
func progressOf(ref tagespflege.Referral) ReferralProgress {
	p := ReferralProgress{Reference: ref.Reference, District: ref.District, Status: ref.Status(), Received: ref.CreatedAt,
		Start: ref.Start(), CloseReason: ref.CloseReason()}
	for _, e := range ref.History() {
		switch {
		case e.Status == tagespflege.Contacted && p.Contacted.IsZero():
			p.Contacted = e.At
		case e.Status == tagespflege.Placed:
			p.Placed = e.At
		case e.Status == tagespflege.Closed:
			p.Closed, p.CloseReason = e.At, e.Reason
		}
	}
	if p.Status != tagespflege.Placed && p.Placed.IsZero() {
		p.Start = date.Date{}
	}
	return p
}
