package app_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/tagespflege"
)

func TestReferralProgress(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		require.NotNil(t, w.appA.TP)
		t.Run("the family follows its referral from received to placed with a start", func(t *testing.T) {
			p, err := w.app.Referrals.Progress(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, tagespflege.Open, p.Status)
			assert.Equal(t, w.appA.Reference, p.Reference)
			assert.Equal(t, "I", p.District)
			assert.False(t, p.Received.IsZero())
			assert.True(t, p.Contacted.IsZero())

			_, err = w.app.Referrals.MarkContacted(w.ctx, fbI, w.appA.TP.ReferralID, "Rückruf am Dienstag")
			require.NoError(t, err)
			p, err = w.app.Referrals.Progress(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, tagespflege.Contacted, p.Status)
			assert.False(t, p.Contacted.IsZero())

			m := w.minder(t, w.start.AddDate(-1, 0, 0))
			_, err = w.app.Referrals.Place(w.ctx, fbI, w.appA.TP.ReferralID, m, w.start)
			require.NoError(t, err)
			p, err = w.app.Referrals.Progress(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, tagespflege.Placed, p.Status)
			assert.Equal(t, w.start, p.Start)
			assert.False(t, p.Placed.IsZero())
		})
		t.Run("another family reads nothing, as if the application were not there", func(t *testing.T) {
			_, err := w.app.Referrals.Progress(w.ctx, guardianB, w.appA.ID)
			require.ErrorIs(t, err, access.ErrDenied)
			_, err = w.app.Referrals.Progress(w.ctx, guardianB, "no-such-application")
			require.ErrorIs(t, err, access.ErrDenied)
		})
		t.Run("an application without Tagespflege has no referral to follow", func(t *testing.T) {
			in := w.input("Ben", w.kitas)
			in.Tagespflege = nil
			rc, err := w.app.Registrations.Submit(w.ctx, guardianA, in)
			require.NoError(t, err)
			_, err = w.app.Referrals.Progress(w.ctx, guardianA, rc.Application.ID)
			require.ErrorIs(t, err, app.ErrNoReferral)
		})
		t.Run("a closed referral says why it ended", func(t *testing.T) {
			b := w.submit(t, guardianB, "Mia", nil)
			_, err := w.app.Referrals.Close(w.ctx, fbI, b.TP.ReferralID, tagespflege.NoNeed)
			require.NoError(t, err)
			p, err := w.app.Referrals.Progress(w.ctx, guardianB, b.ID)
			require.NoError(t, err)
			assert.Equal(t, tagespflege.Closed, p.Status)
			assert.Equal(t, tagespflege.NoNeed, p.CloseReason)
			assert.False(t, p.Closed.IsZero())
		})
	})
}
