package app_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/registration"
)

func TestReads(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		id := w.appA.ID
		t.Run("a guardian of another family can neither read nor list the application", func(t *testing.T) {
			_, err := w.app.Registrations.Get(w.ctx, guardianB, id)
			require.ErrorIs(t, err, access.ErrDenied)
			list, err := w.app.Registrations.List(w.ctx, guardianB, registration.Query{})
			require.NoError(t, err)
			assert.Empty(t, list)
		})
		t.Run("an unknown id is denied the same way as another family's", func(t *testing.T) {
			_, err := w.app.Registrations.Get(w.ctx, guardianB, "no-such-id")
			require.ErrorIs(t, err, access.ErrDenied)
		})
		t.Run("a carrier's staff sees only its own Kitas' choices, no rank, no hardship reason, no history", func(t *testing.T) {
			v, err := w.app.Registrations.Get(w.ctx, staffT01, id)
			require.NoError(t, err)
			require.Len(t, v.Choices, 2)
			for _, c := range v.Choices {
				assert.Zero(t, c.Rank)
			}
			assert.Empty(t, string(v.Criteria.HardshipReason))
			assert.True(t, v.Criteria.Hardship)
			assert.Nil(t, v.History())
			assert.Nil(t, v.TP)
		})
		t.Run("a carrier whose Kitas were not chosen sees nothing", func(t *testing.T) {
			_, err := w.app.Registrations.Get(w.ctx, staffT05, id)
			require.ErrorIs(t, err, access.ErrDenied)
			list, err := w.app.Registrations.List(w.ctx, staffT05, registration.Query{})
			require.NoError(t, err)
			assert.Empty(t, list)
		})
		t.Run("a Fachberatung cannot list applications", func(t *testing.T) {
			_, err := w.app.Registrations.List(w.ctx, fbI, registration.Query{})
			require.ErrorIs(t, err, access.ErrDenied)
		})
		t.Run("the Jugendamt sees everything", func(t *testing.T) {
			v, err := w.app.Registrations.Get(w.ctx, jugendamt, id)
			require.NoError(t, err)
			assert.Equal(t, registration.HardshipReason("medical"), v.Criteria.HardshipReason)
		})
		t.Run("every read is in the audit trail, with who read", func(t *testing.T) {
			trail, err := w.app.Registrations.AuditTrail(w.ctx, jugendamt, registration.AuditQuery{ApplicationID: id})
			require.NoError(t, err)
			var readers []string
			for _, e := range trail {
				if e.Action == registration.AuditRead {
					readers = append(readers, e.Actor)
				}
			}
			assert.Contains(t, readers, staffT01.String())
			assert.Contains(t, readers, jugendamt.String())
			assert.NotContains(t, readers, staffT05.String(), "a denied read is not a read")
		})
	})
}
