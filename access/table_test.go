package access_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/problem"
)

func TestTable(t *testing.T) {
	t.Run("every operation and rule has a stable name and the zero values are invalid", func(t *testing.T) {
		seen := map[string]bool{}
		for _, op := range access.Operations() {
			require.True(t, op.Valid())
			assert.False(t, seen[op.String()], op.String())
			seen[op.String()] = true
		}
		assert.False(t, access.Operation(0).Valid())
		assert.Len(t, access.Roles(), 5)
		assert.Equal(t, "own", access.Own.String())
	})
	t.Run("a guardian acts on its own family only", func(t *testing.T) {
		g := access.NewGuardian("g", "A")
		assert.NoError(t, access.Can(g, access.ChangeApplication, access.Subject{FamilyID: "A"}))
		assert.ErrorIs(t, access.Can(g, access.ChangeApplication, access.Subject{FamilyID: "B"}), access.ErrDenied)
		assert.ErrorIs(t, access.Can(g, access.ChangeApplication, access.Subject{}), access.ErrDenied, "no family is nobody's")
	})
	t.Run("an invalid actor may do nothing, not even what the table allows every role", func(t *testing.T) {
		for _, op := range access.Operations() {
			assert.ErrorIs(t, access.Can(access.Actor{Role: access.Jugendamt}, op, access.Subject{}), access.ErrDenied, op.String())
			assert.Equal(t, access.Never, access.Scope(access.Actor{}, op))
		}
	})
	t.Run("a carrier's list filter keeps its own Kitas only; other roles keep all", func(t *testing.T) {
		carrierOf := map[string]string{"k1": "T01", "k2": "T05"}
		of := func(id string) string { return carrierOf[id] }
		assert.Equal(t, []string{"k1"}, access.NarrowKitas(access.NewCarrierStaff("s", "T01"), []string{"k1", "k2"}, of))
		assert.Empty(t, access.NarrowKitas(access.NewCarrierStaff("s", "T01"), []string{"k2"}, of))
		assert.Equal(t, []string{"k1", "k2"}, access.NarrowKitas(access.NewJugendamt("j"), []string{"k1", "k2"}, of))
	})
	t.Run("a denial reads like a record that is not there", func(t *testing.T) {
		assert.Equal(t, problem.NotFound, problem.KindOf(access.ErrDenied))
		tr := problem.NewTranslator(access.Messages)
		assert.Equal(t, "This record was not found.", tr.Error(access.ErrDenied, "en"))
	})
}
