package kitaportal_test

import (
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

func TestTagespflegePlacement(t *testing.T) {
	fb := access.NewFachberatung("fb1", "I")
	start := date.New(2027, time.August, 1)
	addMinder := func(t *testing.T, w *world) string {
		t.Helper()
		m := bochum.Minders(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))[0]
		m.District = "I"
		m, err := w.p.Referrals.AddMinder(w.ctx, fb, m)
		require.NoError(t, err)
		return m.ID
	}

	t.Run("placing the child with a minder withdraws its Kita choices", func(t *testing.T) {
		w := newWorld(t)
		w.offer(t) // a Kita offer is pending as well
		ref, err := w.p.Referrals.Place(w.ctx, fb, w.referID, addMinder(t, w), start)
		require.NoError(t, err)
		assert.Equal(t, tagespflege.Placed, ref.Status)
		a, err := w.p.Registrations.Get(w.ctx, access.NewJugendamt("ja"), w.app.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Withdrawn, a.Status)
		assert.Equal(t, "placed_in_tagespflege", a.History[len(a.History)-1].Reason)
		assert.Empty(t, a.OpenChoices())
		assert.Nil(t, a.Offer, "the offered Kita place is given back")
		places, err := w.p.Store().Registrations().Places(w.ctx, "2027/2028")
		require.NoError(t, err)
		for _, p := range places {
			assert.Zero(t, p.Taken, "place %v", p.PlaceKey)
		}
	})

	t.Run("a child who accepted a Kita place keeps it", func(t *testing.T) {
		w := newWorld(t)
		w.accept(t)
		_, err := w.p.Referrals.Place(w.ctx, fb, w.referID, addMinder(t, w), start)
		// Accepting the Kita place closed the referral: nothing to place.
		assert.ErrorIs(t, err, tagespflege.ErrTransition)
		a, err := w.p.Registrations.Get(w.ctx, access.NewJugendamt("ja"), w.app.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Accepted, a.Status)
	})

	t.Run("reconciliation finishes a placement whose second step did not happen", func(t *testing.T) {
		w := newWorld(t)
		minder := addMinder(t, w)
		// Only the first step: the placement in the Tagespflege store.
		direct := tagespflege.NewService(w.p.Store().Tagespflege(), w.p.Profile.Offices, time.Now)
		_, err := direct.Place(w.ctx, w.referID, minder, start, "fb1")
		require.NoError(t, err)
		a, _ := w.p.Registrations.Get(w.ctx, access.NewJugendamt("ja"), w.app.ID)
		require.Equal(t, registration.Confirmed, a.Status)

		_, err = w.p.Referrals.Reconcile(w.ctx, fb, []string{"I"})
		assert.ErrorIs(t, err, access.ErrDenied)
		n, err := w.p.Referrals.Reconcile(w.ctx, access.NewJugendamt("ja"), []string{"I", "II"})
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		a, _ = w.p.Registrations.Get(w.ctx, access.NewJugendamt("ja"), w.app.ID)
		assert.Equal(t, registration.Withdrawn, a.Status)
		n, err = w.p.Referrals.Reconcile(w.ctx, access.NewJugendamt("ja"), []string{"I"})
		require.NoError(t, err)
		assert.Zero(t, n, "reconciliation is idempotent")
	})

	t.Run("only the district's Fachberatung, the Jugendamt and the system may release", func(t *testing.T) {
		w := newWorld(t)
		_, err := w.p.Registrations.ReleaseForTagespflege(w.ctx, access.NewFachberatung("fb2", "II"), w.app.ID)
		assert.ErrorIs(t, err, access.ErrDenied)
		_, err = w.p.Registrations.ReleaseForTagespflege(w.ctx, access.NewGuardian("ga", "A"), w.app.ID)
		assert.ErrorIs(t, err, access.ErrDenied)
		_, err = w.p.Registrations.ReleaseForTagespflege(w.ctx, fb, w.app.ID)
		assert.NoError(t, err)
	})
}
