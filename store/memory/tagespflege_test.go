package memory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/store/storetest"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTagespflegeConformance(t *testing.T) {
	storetest.RunTagespflege(t, func(t *testing.T) storetest.Stores {
		return storetest.Stores{Tagespflege: New().Tagespflege()}
	})
}

func TestCreateReferralInTx(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	r := tagespflege.NewReferral("r1", "a1", "f1", "KP-1", "mitte", at)

	t.Run("a referral created in a step is visible through the view", func(t *testing.T) {
		s := New()
		require.NoError(t, s.write(ctx, func(t *tx) error { return t.createReferral(r) }))
		got, err := s.Tagespflege().Referral(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, r, got)
	})

	t.Run("a duplicate id is ErrExists and fails the whole step", func(t *testing.T) {
		s := New()
		require.NoError(t, s.Tagespflege().CreateReferral(ctx, r))
		err := s.write(ctx, func(t *tx) error {
			if err := t.createReferral(tagespflege.NewReferral("r2", "a2", "f2", "KP-2", "mitte", at)); err != nil {
				return err
			}
			return t.createReferral(r)
		})
		assert.ErrorIs(t, err, tagespflege.ErrExists)
		_, err = s.Tagespflege().Referral(ctx, "r2")
		assert.ErrorIs(t, err, tagespflege.ErrNotFound)
	})

	t.Run("a failing nested step is undone while the outer step keeps its writes", func(t *testing.T) {
		s := New()
		boom := errors.New("boom")
		err := s.Tagespflege().Atomic(ctx, func(tx tagespflege.Store) error {
			if err := tx.CreateReferral(ctx, r); err != nil {
				return err
			}
			inner := tx.Atomic(ctx, func(tx tagespflege.Store) error {
				if err := tx.CreateReferral(ctx, tagespflege.NewReferral("r2", "a2", "f2", "KP-2", "mitte", at)); err != nil {
					return err
				}
				return boom
			})
			assert.ErrorIs(t, inner, boom)
			return nil
		})
		require.NoError(t, err)
		_, err = s.Tagespflege().Referral(ctx, "r1")
		assert.NoError(t, err)
		_, err = s.Tagespflege().Referral(ctx, "r2")
		assert.ErrorIs(t, err, tagespflege.ErrNotFound)
	})

	t.Run("a panicking step stores nothing and the store stays usable", func(t *testing.T) {
		s := New()
		assert.Panics(t, func() {
			_ = s.Tagespflege().Atomic(ctx, func(tx tagespflege.Store) error {
				_ = tx.CreateReferral(ctx, r)
				panic("boom")
			})
		})
		_, err := s.Tagespflege().Referral(ctx, "r1")
		assert.ErrorIs(t, err, tagespflege.ErrNotFound)
	})
}
