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
		assert.Equal(t, tagespflege.Placed, ref.Status())
		a, err := w.p.Registrations.Get(w.ctx, access.NewJugendamt("ja"), w.app.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Withdrawn, a.Status())
		assert.Equal(t, "placed_in_tagespflege", a.History()[len(a.History())-1].Reason)
		assert.Empty(t, a.OpenChoices())
		assert.Nil(t, a.Offer(), "the offered Kita place is given back")
		places, err := w.store.Registrations().Places(w.ctx, "2027/2028")
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
		assert.Equal(t, registration.Accepted, a.Status())
	})

	t.Run("a minder without a free place leaves the Kita choices untouched", func(t *testing.T) {
		w := newWorld(t)
		m := bochum.Minders(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))[0]
		m.District, m.Capacity = "I", 1
		m, err := w.p.Referrals.AddMinder(w.ctx, fb, m)
		require.NoError(t, err)
		other := w.submitSibling(t, "B")
		_, err = w.p.Referrals.Place(w.ctx, fb, other.TP.ReferralID, m.ID, start)
		require.NoError(t, err)
		_, err = w.p.Referrals.Place(w.ctx, fb, w.referID, m.ID, start)
		assert.ErrorIs(t, err, tagespflege.ErrMinderFull)
		a, err := w.p.Registrations.Get(w.ctx, access.NewJugendamt("ja"), w.app.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Confirmed, a.Status(), "placement and release are one step")
	})

	t.Run("a Fachberatung never receives the application, on a first or a repeated placement", func(t *testing.T) {
		w := newWorld(t)
		minder := addMinder(t, w)
		_, err := w.p.Referrals.Place(w.ctx, access.NewFachberatung("fb2", "II"), w.referID, minder, start)
		assert.ErrorIs(t, err, access.ErrDenied, "another district's office")
		ref, err := w.p.Referrals.Place(w.ctx, fb, w.referID, minder, start)
		require.NoError(t, err)
		assert.Equal(t, tagespflege.Placed, ref.Status())
		_, err = w.p.Referrals.Place(w.ctx, fb, w.referID, minder, start)
		assert.ErrorIs(t, err, tagespflege.ErrTransition, "a repeat changes nothing and reveals nothing")
		_, err = w.p.Registrations.Get(w.ctx, fb, w.app.ID)
		assert.ErrorIs(t, err, access.ErrDenied)
	})
}
