package app_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// families submits one child for each of n further families, all choosing
// the world's Kitas, and returns their applications.
func (w *world) families(t *testing.T, n int) []registration.Application {
	t.Helper()
	out := make([]registration.Application, n)
	for i := range out {
		out[i] = w.submit(t, access.NewGuardian(fmt.Sprint("g", i), fmt.Sprint("F", i)), fmt.Sprint("Kind", i), nil)
	}
	return out
}

// roundState checks the invariants after a round and returns how many
// applications hold an offer.
func (w *world) roundState(t *testing.T) (offered int) {
	t.Helper()
	apps, err := w.store.Registrations().Applications(w.ctx, registration.Query{Year: "2027/2028"})
	require.NoError(t, err)
	for _, a := range apps {
		switch a.Status() {
		case registration.Offered:
			offered++
			require.NotNil(t, a.Offer())
		case registration.Withdrawn:
			assert.Nil(t, a.Offer(), "a withdrawn application holds an offer")
		}
	}
	places, err := w.store.Registrations().Places(w.ctx, "2027/2028")
	require.NoError(t, err)
	taken := 0
	for _, p := range places {
		taken += p.Taken
	}
	assert.Equal(t, offered, taken, "places taken and offers disagree")
	return offered
}

func TestRoundPublishing(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("a round is published once; running it again changes nothing", func(t *testing.T) {
			w.families(t, 5)
			rep, err := w.app.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			require.Positive(t, rep.Offers)
			_, err = w.app.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.ErrorIs(t, err, registration.ErrRoundPublished)
			assert.Equal(t, rep.Offers, w.roundState(t))
			trail, err := w.app.Registrations.AuditTrail(w.ctx, jugendamt, registration.AuditQuery{})
			require.NoError(t, err)
			rounds, offers := 0, 0
			for _, e := range trail {
				rounds += map[bool]int{true: 1}[e.Action == registration.AuditRound]
				offers += map[bool]int{true: 1}[e.Reason == "offer_round"]
			}
			assert.Equal(t, 1, rounds)
			assert.Equal(t, rep.Offers, offers, "every offer of the round is audited")
		})
	})
}

func TestRoundWithConcurrentWithdrawals(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("withdrawals during a round neither abort it nor leave a withdrawn child with a place", func(t *testing.T) {
			fams := w.families(t, 24)
			var wg sync.WaitGroup
			var rep registration.RoundReport
			var roundErr error
			wg.Go(func() {
				rep, roundErr = w.app.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			})
			for i, a := range fams[:12] {
				wg.Go(func() {
					_, err := w.app.Registrations.Withdraw(w.ctx, access.NewGuardian(fmt.Sprint("g", i), fmt.Sprint("F", i)), a.ID)
					assert.NoError(t, err)
				})
			}
			wg.Wait()
			require.NoError(t, roundErr)
			placed := 0
			for _, k := range rep.Result.Placements {
				placed += map[bool]int{true: 1}[k != ""]
			}
			assert.Equal(t, placed, rep.Offers+rep.Skipped)
			// Withdrawals after the round may end offers; the ledger agrees.
			assert.LessOrEqual(t, w.roundState(t), rep.Offers)
		})
	})
}

// faultStore fails the n-th application update of any step, like a crash
// in the middle of writing a round.
type faultStore struct {
	app.Store
	n       int32
	updates atomic.Int32
}

var errCrash = errors.New("crash in the middle of the step")

func (f *faultStore) Registrations() registration.Store {
	return faultReg{Store: f.Store.Registrations(), f: f}
}

type faultReg struct {
	registration.Store
	f *faultStore
}

func (r faultReg) Atomic(ctx context.Context, fn func(tx registration.Tx) error) error {
	return r.Store.Atomic(ctx, func(tx registration.Tx) error { return fn(faultTx{Tx: tx, f: r.f}) })
}

type faultTx struct {
	registration.Tx
	f *faultStore
}

func (t faultTx) Update(ctx context.Context, a registration.Application) error {
	if t.f.updates.Add(1) == t.f.n {
		return errCrash
	}
	return t.Tx.Update(ctx, a)
}

func TestRoundCrash(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("a crash while publishing leaves the round unwritten, and it can run again", func(t *testing.T) {
			w.families(t, 8)
			faulty := w.open(t, &faultStore{Store: w.store, n: 3})
			_, err := faulty.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.ErrorIs(t, err, errCrash)
			assert.Zero(t, w.roundState(t), "offers of a failed round were kept")
			_, err = w.app.Dispatcher.RunOnce(w.ctx)
			require.NoError(t, err)
			msgs, err := w.app.Registrations.Messages(w.ctx, jugendamt, "F0")
			require.NoError(t, err)
			for _, m := range msgs {
				assert.NotEqual(t, notify.Offer, m.Kind, "an offer message of a failed round went out")
			}
			rep, err := w.app.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			assert.Positive(t, rep.Offers)
			assert.Equal(t, rep.Offers, w.roundState(t))
		})
	})
}

func TestLapseOffers(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		a, err := w.app.Registrations.Offer(w.ctx, jugendamt, w.appA.ID, w.kitas[0])
		require.NoError(t, err)
		at := func(d date.Date) {
			y, m, day := d.Date()
			*w.now = time.Date(y, m, day, 6, 0, 0, 0, berlin)
		}
		days := w.app.Profile.Registration.ReminderDays
		require.Positive(t, days, "Bochum's profile names a reminder")
		t.Run("nothing happens before the reminder day", func(t *testing.T) {
			at(a.Offer().RespondBy.AddDate(0, 0, -days-1))
			rep, err := w.app.Registrations.LapseOffers(w.ctx, access.SystemActor)
			require.NoError(t, err)
			assert.Zero(t, rep)
		})
		t.Run("the family is reminded once, ReminderDays before RespondBy", func(t *testing.T) {
			at(a.Offer().RespondBy.AddDate(0, 0, -days))
			rep, err := w.app.Registrations.LapseOffers(w.ctx, access.SystemActor)
			require.NoError(t, err)
			assert.Equal(t, registration.LapseReport{Reminded: 1}, rep)
			rep, err = w.app.Registrations.LapseOffers(w.ctx, access.SystemActor)
			require.NoError(t, err)
			assert.Zero(t, rep, "a second run the same day")
			msgs, err := w.app.Registrations.Messages(w.ctx, guardianA, "A")
			require.NoError(t, err)
			kinds := map[notify.Kind]int{}
			for _, m := range msgs {
				kinds[m.Kind]++
			}
			assert.Equal(t, 1, kinds[notify.OfferReminder])
		})
		t.Run("the offer lapses the day after RespondBy and its place goes back", func(t *testing.T) {
			at(a.Offer().RespondBy)
			rep, err := w.app.Registrations.LapseOffers(w.ctx, access.SystemActor)
			require.NoError(t, err)
			assert.Zero(t, rep.Lapsed, "RespondBy is the last day to accept")
			at(a.Offer().RespondBy.AddDate(0, 0, 1))
			rep, err = w.app.Registrations.LapseOffers(w.ctx, access.SystemActor)
			require.NoError(t, err)
			assert.Equal(t, 1, rep.Lapsed)
			got, err := w.app.Registrations.Get(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, registration.Declined, got.Status())
			assert.Nil(t, got.Offer())
			assert.Zero(t, w.roundState(t))
			_, err = w.app.Registrations.LapseOffers(w.ctx, guardianA)
			require.ErrorIs(t, err, access.ErrDenied)
		})
	})
}
