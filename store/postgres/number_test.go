package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
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
		drawAtOnce(t, d, "reference-2027")
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

// drawAtOnce draws 200 numbers of the counter name with 8 drawers at once
// and checks that they are 1 to 200, each once.
func drawAtOnce(t *testing.T, d app.NumberDrawer, name string) {
	t.Helper()
	const workers, each = 8, 25
	got := make([][]int64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				n, err := d.DrawNumber(context.Background(), name)
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
}

// TestDrawNumberInBlocks checks postgres.NumberBlock: a store gives out
// the numbers of a block in order, however many draw at the same time; a
// second store on the same database draws from a block of its own, so
// no number is given twice; a block below 1 is refused.
func TestDrawNumberInBlocks(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	schema := db.schemas[db.store(t, 1)]
	a := db.openWith(t, schema, 8, nil, postgres.NumberBlock(16))
	b := db.openWith(t, schema, 8, nil, postgres.NumberBlock(16))
	draw := func(s *postgres.Store, n int) []int64 {
		var got []int64
		for range n {
			v, err := s.DrawNumber(ctx, "reference-2027")
			require.NoError(t, err)
			got = append(got, v)
		}
		return got
	}

	t.Run("two stores draw from blocks of their own", func(t *testing.T) {
		assert.Equal(t, []int64{1, 2, 3}, draw(a, 3))
		assert.Equal(t, []int64{17, 18}, draw(b, 2), "the second store's block follows the first's")
		assert.Equal(t, []int64{4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 33}, draw(a, 14), "the first store's block, then a new one")
	})

	t.Run("numbers drawn at the same time are all different and follow each other", func(t *testing.T) {
		drawAtOnce(t, a, "reference-2028")
	})

	t.Run("a block below 1 is refused", func(t *testing.T) {
		_, err := postgres.Open(ctx, db.url, postgres.NumberBlock(0))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "number block of 0")
		bad := db.openWith(t, schema, 1, nil, postgres.NumberBlock(-1))
		_, err = bad.DrawNumber(ctx, "reference-2027")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "number block of -1")
	})
}
