package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// RunLifecycle runs steps of the registration lifecycle that touch several
// aggregates in one atomic step through the application layer over the
// adapter.
func RunLifecycle(t *testing.T, newStores Factory) {
	t.Run("taking a Kita place closes the open Tagespflege referral in the same step", func(t *testing.T) { testLifecycleTakingAKitaPlaceClosesTheOpenTagespflege(t, newStores) })
	t.Run("withdrawing closes the referral", func(t *testing.T) { testLifecycleWithdrawingClosesTheReferral(t, newStores) })
	t.Run("referral updates inside an application's step check the version and roll back with the step", func(t *testing.T) { testLifecycleReferralUpdatesInsideAnApplicationStepCheck(t, newStores) })
}

// testLifecycleTakingAKitaPlaceClosesTheOpenTagespflege checks that taking a Kita place closes the open Tagespflege referral in the same step.
func testLifecycleTakingAKitaPlaceClosesTheOpenTagespflege(t *testing.T, newStores Factory) {
	st := newStores(t)
	w := newServiceWorld(t, st)
	a := w.submitWith(t, "fa", "Lena", lifeWithTagespflege)
	if got := lifeReferralOf(t, st, a).Status(); got != tagespflege.Open {
		t.Fatalf("referral %v after submission, want open", got)
	}
	if _, err := w.app.Registrations.Offer(w.ctx, access.NewCarrierStaff("s1", "c1"), a.ID, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.Registrations.Accept(w.ctx, access.NewGuardian("g-fa", "fa"), a.ID); err != nil {
		t.Fatal(err)
	}
	r := lifeReferralOf(t, st, a)
	if r.Status() != tagespflege.Closed || r.CloseReason() != tagespflege.PlacedElsewhere {
		t.Fatalf("referral %v (%v) after acceptance, want closed as placed elsewhere", r.Status(), r.CloseReason())
	}
}

// testLifecycleWithdrawingClosesTheReferral checks that withdrawing closes the referral.
func testLifecycleWithdrawingClosesTheReferral(t *testing.T, newStores Factory) {
	st := newStores(t)
	w := newServiceWorld(t, st)
	a := w.submitWith(t, "fa", "Lena", lifeWithTagespflege)
	if _, err := w.app.Registrations.Withdraw(w.ctx, access.NewGuardian("g-fa", "fa"), a.ID); err != nil {
		t.Fatal(err)
	}
	if r := lifeReferralOf(t, st, a); r.Status() != tagespflege.Closed || r.CloseReason() != tagespflege.Withdrawn {
		t.Fatalf("referral %v (%v) after withdrawal, want closed as withdrawn", r.Status(), r.CloseReason())
	}
}

// testLifecycleReferralUpdatesInsideAnApplicationStepCheck checks that referral updates inside an application's step check the version and roll back with the step.
func testLifecycleReferralUpdatesInsideAnApplicationStepCheck(t *testing.T, newStores Factory) {
	st := newStores(t)
	w := newServiceWorld(t, st)
	a := w.submitWith(t, "fa", "Lena", lifeWithTagespflege)
	if _, err := w.app.Registrations.Offer(w.ctx, access.NewCarrierStaff("s1", "c1"), a.ID, "a"); err != nil {
		t.Fatal(err)
	}
	// A second write with the version read before the first is stale;
	// failing the step afterwards must undo the first write too.
	err := st.Registrations.Atomic(w.ctx, func(tx registration.Tx) error {
		r, err := tx.Referral(w.ctx, a.TP.ReferralID)
		if err != nil {
			return err
		}
		if err := r.Close(tagespflege.PlacedElsewhere, time.Now(), "test"); err != nil {
			return err
		}
		if err := tx.UpdateReferral(w.ctx, r); err != nil {
			return err
		}
		stale := r // still carries the version it was read with
		if err := tx.UpdateReferral(w.ctx, stale); err == nil {
			t.Fatal("a stale referral version was accepted")
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("step: %v", err)
	}
	if r := lifeReferralOf(t, st, a); r.Status() != tagespflege.Open {
		t.Fatalf("referral %v after a failed step, want open", r.Status())
	}
}

// errRollback fails an atomic step on purpose.
var errRollback = errors.New("storetest: roll back")

// lifeWithTagespflege makes a submission ask for Kindertagespflege in
// district N for a child under three.
func lifeWithTagespflege(in *registration.Input) {
	in.Child.BirthDate = date.New(2025, time.June, 1)
	in.Tagespflege = &registration.TagespflegeWish{District: "N"}
}

// lifeReferralOf reads the referral of an application.
func lifeReferralOf(t *testing.T, st Stores, a registration.Application) tagespflege.Referral {
	t.Helper()
	r, err := st.Tagespflege.Referral(t.Context(), a.TP.ReferralID)
	if err != nil {
		t.Fatalf("referral: %v", err)
	}
	return r
}
