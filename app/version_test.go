package app_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

func TestIfVersion(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("two changes made on the same version: exactly one wins", func(t *testing.T) {
			read := w.appA.Version()
			orders := [][]string{{w.kitas[1], w.kitas[0]}, {w.kitas[0]}}
			const n = 8
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					_, errs[i] = w.app.Registrations.ChangeChoices(w.ctx, guardianA, w.appA.ID, orders[i%2], app.IfVersion(read))
				})
			}
			wg.Wait()
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
					continue
				}
				assert.ErrorIs(t, err, app.ErrVersion)
				assert.Equal(t, problem.Conflict, problem.KindOf(err))
				assert.Equal(t, app.CodeVersion, problem.CodeOf(err))
			}
			assert.Equal(t, 1, won)
			got, err := w.app.Registrations.Get(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, read+1, got.Version(), "one change only")
		})
		t.Run("a stale version changes nothing", func(t *testing.T) {
			before, err := w.app.Registrations.Get(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			for _, do := range []func(...app.Option) (registration.Application, error){
				func(o ...app.Option) (registration.Application, error) {
					return w.app.Registrations.Withdraw(w.ctx, guardianA, w.appA.ID, o...)
				},
				func(o ...app.Option) (registration.Application, error) {
					return w.app.Registrations.Accept(w.ctx, guardianA, w.appA.ID, o...)
				},
				func(o ...app.Option) (registration.Application, error) {
					return w.app.Registrations.Decline(w.ctx, guardianA, w.appA.ID, o...)
				},
				func(o ...app.Option) (registration.Application, error) {
					return w.app.Registrations.ChangeChoices(w.ctx, guardianA, w.appA.ID, w.kitas, o...)
				},
			} {
				_, err := do(app.IfVersion(before.Version() - 1))
				require.ErrorIs(t, err, app.ErrVersion)
				_, err = do(app.IfVersion(0))
				require.ErrorIs(t, err, app.ErrVersion)
			}
			after, err := w.app.Registrations.Get(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, before.Version(), after.Version())
			assert.Equal(t, before.Status(), after.Status())
		})
		t.Run("another family's application is denied before its version is compared", func(t *testing.T) {
			_, err := w.app.Registrations.Withdraw(w.ctx, guardianB, w.appA.ID, app.IfVersion(1))
			require.ErrorIs(t, err, access.ErrDenied)
			_, err = w.app.Registrations.Withdraw(w.ctx, guardianB, "no-such-id", app.IfVersion(1))
			require.ErrorIs(t, err, access.ErrDenied)
		})
		t.Run("the current version changes", func(t *testing.T) {
			cur, err := w.app.Registrations.Get(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			got, err := w.app.Registrations.Withdraw(w.ctx, guardianA, w.appA.ID, app.IfVersion(cur.Version()))
			require.NoError(t, err)
			assert.Equal(t, registration.Withdrawn, got.Status())
		})
	})
}
