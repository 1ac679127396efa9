package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// failingOutbox fails every Enqueue of a step, after the step has taken
// its place.
type failingOutbox struct{ app.Store }

var errOutboxDown = errors.New("outbox down")

func (f failingOutbox) Atomic(ctx context.Context, fn func(tx app.Tx) error) error {
	return f.Store.Atomic(ctx, func(tx app.Tx) error { return fn(failingEnqueueStep{tx}) })
}

type failingEnqueueStep struct{ app.Tx }

func (s failingEnqueueStep) Applications() registration.Tx {
	return failingEnqueueTx{s.Tx.Applications()}
}

type failingEnqueueTx struct{ registration.Tx }

func (failingEnqueueTx) Enqueue(context.Context, ...notify.Message) error { return errOutboxDown }

func TestOfferSyncsPlacesInsideItsStep(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		kitaID := w.kitas[0]
		placesOf := func(t *testing.T) []registration.Places {
			t.Helper()
			all, err := w.store.Registrations().Places(w.ctx, w.appA.Year)
			require.NoError(t, err)
			var out []registration.Places
			for _, p := range all {
				if p.KitaID == kitaID {
					out = append(out, p)
				}
			}
			return out
		}
		require.Empty(t, placesOf(t), "no round ran: the ledger knows no places of the Kita yet")

		t.Run("an offer refused by access writes no places", func(t *testing.T) {
			for _, actor := range []access.Actor{staffT05, guardianA, fbI} {
				_, err := w.app.Registrations.Offer(w.ctx, actor, w.appA.ID, kitaID)
				require.ErrorIs(t, err, access.ErrDenied, actor.String())
			}
			assert.Empty(t, placesOf(t))
		})
		t.Run("an offer whose step fails after taking the place keeps neither place nor capacity", func(t *testing.T) {
			broken := w.open(t, failingOutbox{w.store})
			_, err := broken.Registrations.Offer(w.ctx, staffT01, w.appA.ID, kitaID)
			require.ErrorIs(t, err, errOutboxDown)
			assert.Empty(t, placesOf(t))
			a, err := w.app.Registrations.Get(w.ctx, jugendamt, w.appA.ID)
			require.NoError(t, err)
			assert.Nil(t, a.Offer())
		})
		t.Run("an offer syncs the Kita's places from the catalogue and takes one in the same step", func(t *testing.T) {
			a, err := w.app.Registrations.Offer(w.ctx, staffT01, w.appA.ID, kitaID)
			require.NoError(t, err)
			require.NotNil(t, a.Offer())
			k, ok := w.app.Catalogue.Get(kitaID)
			require.True(t, ok)
			want := registration.PlacesOf(w.appA.Year, []kita.Kita{k})
			got := placesOf(t)
			require.Len(t, got, len(want))
			taken := 0
			for i, p := range got {
				assert.Equal(t, want[i].PlaceKey, p.PlaceKey)
				assert.Equal(t, want[i].Capacity, p.Capacity, "the capacity is the catalogue's")
				taken += p.Taken
				if p.Band == a.Offer().Band {
					assert.Equal(t, 1, p.Taken, "the offer took one place of its band")
				}
			}
			assert.Equal(t, 1, taken)
		})
	})
}
