package app_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// stored counts what a family has stored: applications, messages to the
// family, submissions in the audit trail and referrals (district I).
type stored struct{ apps, msgs, audit, referrals int }

func (w *world) stored(t *testing.T, familyID string) stored {
	t.Helper()
	apps, err := w.app.Registrations.List(w.ctx, jugendamt, registration.Query{FamilyID: familyID})
	require.NoError(t, err)
	msgs, err := w.app.Registrations.Messages(w.ctx, jugendamt, familyID)
	require.NoError(t, err)
	trail, err := w.app.Registrations.AuditTrail(w.ctx, jugendamt, registration.AuditQuery{FamilyID: familyID})
	require.NoError(t, err)
	refs, err := w.app.Referrals.List(w.ctx, fbI, "I", 0, 100)
	require.NoError(t, err)
	// The reads above are audited too: only submissions count.
	return stored{apps: len(apps), msgs: len(msgs),
		audit:     count(trail, func(e registration.AuditEntry) bool { return e.Action == registration.AuditSubmit }),
		referrals: count(refs, func(r tagespflege.Referral) bool { return r.FamilyID == familyID })}
}

// count returns how many of xs keep says.
func count[T any](xs []T, keep func(T) bool) int {
	n := 0
	for _, x := range xs {
		if keep(x) {
			n++
		}
	}
	return n
}

// TestSubmissionReplay checks what a submission with an idempotency key
// the family used before returns, whatever its body: the first receipt,
// marked Replayed, and nothing stored a second time.
func TestSubmissionReplay(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		// The family's children are kept together (registration.CheckTogether).
		keyed := func(child, key string) registration.Input {
			in := w.input(child, w.kitas)
			in.IdempotencyKey = key
			in.Together = true
			return in
		}
		first, err := w.app.Registrations.Submit(w.ctx, guardianB, keyed("Mia", "form-b-1"))
		require.NoError(t, err)
		require.False(t, first.Replayed)
		assert.True(t, app.SubmitStepLeftClear(), "a submission leaves nothing of itself in the pool of steps")
		before := w.stored(t, "B")
		require.Equal(t, 1, before.apps)
		require.NotZero(t, before.msgs)
		require.NotZero(t, before.audit)
		require.NotZero(t, before.referrals, "Tagespflege was chosen")
		replays := func(t *testing.T, in registration.Input) {
			t.Helper()
			again, err := w.app.Registrations.Submit(w.ctx, guardianB, in)
			require.NoError(t, err)
			assert.True(t, again.Replayed)
			assert.Equal(t, first.Application.ID, again.Application.ID)
			assert.Equal(t, first.Application.Reference, again.Application.Reference)
			assert.Equal(t, first.Application.Version(), again.Application.Version())
			assert.Equal(t, first.Application.Child, again.Application.Child)
			assert.Equal(t, before, w.stored(t, "B"), "nothing stored a second time")
			assert.True(t, app.SubmitStepLeftClear(), "a replay leaves nothing of itself in the pool of steps")
		}

		t.Run("the same body again returns the first receipt and stores nothing", func(t *testing.T) {
			replays(t, keyed("Mia", "form-b-1"))
		})
		t.Run("another valid body with the key returns the first receipt and stores nothing", func(t *testing.T) {
			replays(t, keyed("Emil", "form-b-1"))
		})
		t.Run("a valid body that the step would refuse returns the first receipt", func(t *testing.T) {
			in := keyed("Emil", "form-b-1")
			in.Kitas = []string{w.kitas[1], w.kitas[0]} // kept together, in another order
			replays(t, in)
			in.IdempotencyKey = "form-b-4"
			_, err := w.app.Registrations.Submit(w.ctx, guardianB, in)
			require.ErrorIs(t, err, registration.ErrTogetherChoices, "with a new key the step refuses it")
			assert.True(t, app.SubmitStepLeftClear(), "a refused step leaves nothing of itself in the pool of steps")
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has("kitas", registration.CodeTogetherChoices))
		})
		t.Run("a body with problems returns the first receipt", func(t *testing.T) {
			in := keyed("Mia", "form-b-1")
			in.Consent = false
			in.Hours = 7
			replays(t, in)
			in.IdempotencyKey = "form-b-2"
			_, err := w.app.Registrations.Submit(w.ctx, guardianB, in)
			require.Error(t, err, "with a new key the body is refused")
			assert.Equal(t, problem.Invalid, problem.KindOf(err))
		})
		t.Run("another family's key is its own", func(t *testing.T) {
			rc, err := w.app.Registrations.Submit(w.ctx, guardianA, keyed("Emil", "form-b-1"))
			require.NoError(t, err)
			assert.False(t, rc.Replayed)
			assert.NotEqual(t, first.Application.ID, rc.Application.ID)
			assert.Equal(t, before, w.stored(t, "B"))
		})
		t.Run("after the deadline the body is late, and the key still returns the first receipt", func(t *testing.T) {
			*w.now = time.Date(2027, time.March, 20, 10, 0, 0, 0, berlin)
			late, err := w.app.Registrations.Submit(w.ctx, guardianB, keyed("Hanna", "form-b-late"))
			require.NoError(t, err, "a late submission is taken, flagged late")
			require.Contains(t, late.Application.Flags, registration.FlagLate)
			before = w.stored(t, "B")
			replays(t, keyed("Mia", "form-b-1"))
		})
		t.Run("after a chosen Kita closed the key still returns the first receipt", func(t *testing.T) {
			require.NoError(t, w.app.Catalogue.SetClosed(w.ctx, staffT01, w.kitas[1], true))
			replays(t, keyed("Mia", "form-b-1"))
			_, err := w.app.Registrations.Submit(w.ctx, guardianB, keyed("Mia", "form-b-3"))
			require.Error(t, err, "with a new key the closed Kita is refused")
			assert.Equal(t, problem.Invalid, problem.KindOf(err))
		})
		t.Run("after the start the key still returns the first receipt", func(t *testing.T) {
			*w.now = time.Date(2027, time.September, 1, 10, 0, 0, 0, berlin)
			replays(t, keyed("Mia", "form-b-1"))
		})
	})
}

// TestConcurrentSubmissionsWithOneKey checks that submissions sent at once
// with one key store one application, and every one returns it.
func TestConcurrentSubmissionsWithOneKey(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		const n = 8
		guardianC := access.NewGuardian("gc", "C")
		receipts := make([]registration.Receipt, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				in := w.input("Ida", w.kitas)
				in.IdempotencyKey = "form-c-1"
				receipts[i], errs[i] = w.app.Registrations.Submit(w.ctx, guardianC, in)
			})
		}
		wg.Wait()
		fresh := 0
		for i := range n {
			require.NoError(t, errs[i])
			assert.Equal(t, receipts[0].Application.ID, receipts[i].Application.ID)
			assert.Equal(t, receipts[0].Application.Reference, receipts[i].Application.Reference)
			if !receipts[i].Replayed {
				fresh++
			}
		}
		assert.Equal(t, 1, fresh, "one stored it, the others replayed it")
		got := w.stored(t, "C")
		assert.Equal(t, 1, got.apps)
		assert.Equal(t, 1, got.msgs)
		assert.Equal(t, 1, got.audit)
	})
}
