package memory_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAuditEntriesReadBackAsAppended appends entries of every shape the
// trail meets (times in other zones and the zero time, empty strings, a
// text beyond a text chunk, more entries than a record chunk) and some in
// failing steps, and reads back exactly the entries kept, with their
// times' instants and locations.
func TestAuditEntriesReadBackAsAppended(t *testing.T) {
	ctx := context.Background()
	berlin, parsed := otherZones(t)
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, berlin)
	shapes := []registration.AuditEntry{
		{At: base, Actor: "guardian:family-1", Action: registration.AuditSubmit, ApplicationID: "0192f0a4-7b1c-7e2d-8f00-000000000001", FamilyID: "family-1", Reason: "voranmeldung"},
		{At: base.UTC(), Actor: "system:registration", Action: registration.AuditReview, ApplicationID: "0192f0a4-7b1c-7e2d-8f00-000000000001", Reason: registration.ReasonCrossFamilyMatch},
		{},
		{At: parsed, Actor: "staff:amt-51", Action: registration.AuditRead},
		{At: time.Date(1600, 1, 1, 0, 0, 0, 1, time.UTC), Actor: "ä", Action: "x"},
		{At: time.Date(2500, 1, 1, 0, 0, 0, 999_999_999, time.FixedZone("", -11*3600)), Actor: strings.Repeat("s", 70_000), FamilyID: "family-2"},
		{At: base.Local(), ApplicationID: "a", FamilyID: "f", Reason: "retention"},
	}
	st := memory.New()
	regs := st.Registrations()
	var want []registration.AuditEntry
	refused := errors.New("refused")
	for i := range 2_100 { // beyond two record chunks
		e := shapes[i%len(shapes)]
		e.At = e.At.Add(time.Duration(i))
		if i%5 == 3 {
			err := regs.Atomic(ctx, func(tx registration.Tx) error {
				require.NoError(t, tx.AppendAudit(ctx, e))
				return refused
			})
			require.ErrorIs(t, err, refused)
		}
		require.NoError(t, regs.AppendAudit(ctx, e))
		e.Seq = int64(len(want)) + 1
		want = append(want, e)
	}
	got, err := regs.Audit(ctx, registration.AuditQuery{})
	require.NoError(t, err)
	require.Len(t, got, len(want))
	bySeq := make(map[int64]registration.AuditEntry, len(got))
	for _, e := range got {
		bySeq[e.Seq] = e
	}
	for _, w := range want {
		g := bySeq[w.Seq]
		assert.True(t, w.At.Equal(g.At), "entry %d: time %v, want %v", w.Seq, g.At, w.At)
		assert.Equal(t, w.At.Location(), g.At.Location(), "entry %d: location", w.Seq)
		assert.Equal(t, w.At.String(), g.At.String(), "entry %d", w.Seq)
		g.At, w.At = time.Time{}, time.Time{}
		assert.Equal(t, w, g)
	}

	t.Run("a query selects by the stored strings", func(t *testing.T) {
		for _, q := range []registration.AuditQuery{
			{FamilyID: "family-2"},
			{ApplicationID: "0192f0a4-7b1c-7e2d-8f00-000000000001", Actor: "system:registration"},
			{Actor: "ä"},
			{FamilyID: "family"},
		} {
			got, err := regs.Audit(ctx, q)
			require.NoError(t, err)
			n := 0
			for _, w := range want {
				if (q.ApplicationID == "" || w.ApplicationID == q.ApplicationID) && (q.FamilyID == "" || w.FamilyID == q.FamilyID) && (q.Actor == "" || w.Actor == q.Actor) {
					n++
				}
			}
			assert.Len(t, got, n, "%+v", q)
			for _, g := range got {
				assert.True(t, q.FamilyID == "" || g.FamilyID == q.FamilyID, "%+v", g)
				assert.True(t, q.Actor == "" || g.Actor == q.Actor, "%+v", g)
			}
		}
	})
}
