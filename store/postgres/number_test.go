package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/registration"
)

// TestDrawNumber checks the store's numbers drawn outside a step: every
// number is drawn once however many draw at the same time, a failed step
// does not give its number back, and a draw does not wait for a step that
// is still open.
func TestDrawNumber(t *testing.T) {
	ctx := context.Background()
	s := newTestDB(t).store(t, 8)
	var d app.NumberDrawer = s // the capability app.Registrations.Submit uses
	t.Run("numbers drawn at the same time are all different", func(t *testing.T) {
		const workers, each = 8, 25
		got := make([][]int64, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for range each {
					n, err := d.DrawNumber(ctx, "reference-2027")
					if !assert.NoError(t, err) {
						return
					}
					got[w] = append(got[w], n)
				}
			})
		}
		wg.Wait()
		seen := map[int64]bool{}
		for _, ns := range got {
			for _, n := range ns {
				assert.False(t, seen[n], "number %d drawn twice", n)
				seen[n] = true
			}
		}
		assert.Len(t, seen, workers*each)
		for n := int64(1); n <= workers*each; n++ {
			assert.True(t, seen[n], "number %d missing", n)
		}
	})
	t.Run("a step that fails keeps no number back, and an open step does not hold the counter", func(t *testing.T) {
		before, err := d.DrawNumber(ctx, "reference-2028")
		require.NoError(t, err)
		errFail := registration.ErrConflict
		err = s.Atomic(ctx, func(tx app.Tx) error {
			// While this step is open, another draw goes through.
			n, err := d.DrawNumber(ctx, "reference-2028")
			require.NoError(t, err)
			assert.Equal(t, before+1, n)
			return errFail
		})
		require.ErrorIs(t, err, errFail)
		after, err := d.DrawNumber(ctx, "reference-2028")
		require.NoError(t, err)
		assert.Equal(t, before+2, after, "the failed step's number leaves a gap")
	})
}
