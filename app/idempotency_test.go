package app_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

func TestIdempotencyKeys(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		minder := func(i int) tagespflege.Minder {
			m := sampleMinders[i]
			m.District = "I"
			m.Licence.ValidFrom = w.start.AddDate(-1, 0, 0)
			m.Licence.ValidTo = w.start.AddDate(3, 0, 0)
			return m
		}
		t.Run("a minder added twice with one key is registered once", func(t *testing.T) {
			var first, second bool
			a, err := w.app.Referrals.AddMinder(w.ctx, fbI, minder(0), app.IdempotencyKey("minder-1", &first))
			require.NoError(t, err)
			b, err := w.app.Referrals.AddMinder(w.ctx, fbI, minder(0), app.IdempotencyKey("minder-1", &second))
			require.NoError(t, err)
			assert.False(t, first)
			assert.True(t, second)
			assert.Equal(t, a.ID, b.ID)
			all, err := w.app.Referrals.Minders(w.ctx, fbI, "I")
			require.NoError(t, err)
			assert.Len(t, all, 1)
		})
		t.Run("the key with another minder is refused and registers nothing", func(t *testing.T) {
			_, err := w.app.Referrals.AddMinder(w.ctx, fbI, minder(1), app.IdempotencyKey("minder-1", nil))
			require.ErrorIs(t, err, app.ErrKeyReused)
			assert.Equal(t, problem.Invalid, problem.KindOf(err))
			assert.Equal(t, app.CodeKeyReused, problem.CodeOf(err))
			all, err := w.app.Referrals.Minders(w.ctx, fbI, "I")
			require.NoError(t, err)
			assert.Len(t, all, 1)
		})
		t.Run("another actor's key is its own", func(t *testing.T) {
			var replayed bool
			_, err := w.app.Referrals.AddMinder(w.ctx, jugendamt, minder(1), app.IdempotencyKey("minder-1", &replayed))
			require.NoError(t, err)
			assert.False(t, replayed)
		})
		t.Run("concurrent calls with one key create one minder", func(t *testing.T) {
			const n = 6
			ids := make([]string, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					m, err := w.app.Referrals.AddMinder(w.ctx, fbI, minder(2), app.IdempotencyKey("minder-race", nil))
					ids[i], errs[i] = m.ID, err
				})
			}
			wg.Wait()
			for i := range n {
				require.NoError(t, errs[i])
				assert.Equal(t, ids[0], ids[i])
			}
			all, err := w.app.Referrals.Minders(w.ctx, fbI, "I")
			require.NoError(t, err)
			assert.Len(t, all, 3)
		})
		t.Run("an offer made twice with one key is made once", func(t *testing.T) {
			var replayed bool
			a, err := w.app.Registrations.Offer(w.ctx, staffT01, w.appA.ID, w.kitas[0], app.IdempotencyKey("offer-1", nil))
			require.NoError(t, err)
			require.Equal(t, registration.Offered, a.Status())
			b, err := w.app.Registrations.Offer(w.ctx, staffT01, w.appA.ID, w.kitas[0], app.IdempotencyKey("offer-1", &replayed))
			require.NoError(t, err)
			assert.True(t, replayed)
			assert.Equal(t, a.Version(), b.Version())
			_, err = w.app.Registrations.Offer(w.ctx, staffT01, w.appA.ID, w.kitas[1], app.IdempotencyKey("offer-1", nil))
			require.ErrorIs(t, err, app.ErrKeyReused)
		})
		t.Run("a placement made twice with one key is made once", func(t *testing.T) {
			b := w.submit(t, guardianB, "Mia", nil)
			require.NotNil(t, b.TP)
			m, err := w.app.Referrals.AddMinder(w.ctx, fbI, minder(3))
			require.NoError(t, err)
			var replayed bool
			r1, err := w.app.Referrals.Place(w.ctx, fbI, b.TP.ReferralID, m.ID, w.start, app.IdempotencyKey("place-1", nil))
			require.NoError(t, err)
			r2, err := w.app.Referrals.Place(w.ctx, fbI, b.TP.ReferralID, m.ID, w.start, app.IdempotencyKey("place-1", &replayed))
			require.NoError(t, err)
			assert.True(t, replayed)
			assert.Equal(t, r1.Version(), r2.Version())
		})
		t.Run("a malformed key is refused before anything is done", func(t *testing.T) {
			_, err := w.app.Referrals.AddMinder(w.ctx, fbI, minder(4), app.IdempotencyKey("bad\x00key", nil))
			require.ErrorIs(t, err, app.ErrID)
		})
	})
}

// sampleMinders are Bochum's sample child-minders (invented names).
var sampleMinders = bochum.Minders(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))

func TestIdempotentContract(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		_, err := w.app.Registrations.Offer(w.ctx, jugendamt, w.appA.ID, w.kitas[0])
		require.NoError(t, err)
		_, err = w.app.Registrations.Accept(w.ctx, guardianA, w.appA.ID)
		require.NoError(t, err)
		req := app.ContractRequest{ApplicationID: w.appA.ID, Income: decimal.RequireFromString("48000"), MealPlan: true}
		render := func(ct contract.Contract) []byte {
			var buf bytes.Buffer
			require.NoError(t, w.app.Contracts.Render(&buf, ct))
			return buf.Bytes()
		}
		t.Run("the same key makes the same contract again, a day later", func(t *testing.T) {
			var first, again bool
			a, err := w.app.Contracts.Generate(w.ctx, guardianA, req, app.IdempotencyKey("contract-1", &first))
			require.NoError(t, err)
			*w.now = w.now.Add(25 * time.Hour)
			b, err := w.app.Contracts.Generate(w.ctx, guardianA, req, app.IdempotencyKey("contract-1", &again))
			require.NoError(t, err)
			assert.False(t, first)
			assert.True(t, again)
			assert.True(t, a.CreatedAt().Equal(b.CreatedAt()))
			assert.Equal(t, render(a), render(b), "byte for byte")
			c, err := w.app.Contracts.Generate(w.ctx, guardianA, req)
			require.NoError(t, err)
			assert.False(t, a.CreatedAt().Equal(c.CreatedAt()), "without the key, a contract of today")
		})
		t.Run("the key with another income is refused", func(t *testing.T) {
			other := req
			other.Income = decimal.RequireFromString("52000")
			_, err := w.app.Contracts.Generate(w.ctx, guardianA, other, app.IdempotencyKey("contract-1", nil))
			require.ErrorIs(t, err, app.ErrKeyReused)
		})
	})
}
