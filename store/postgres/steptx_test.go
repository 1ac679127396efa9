package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// roundTrips records what a pool sends to the server: each query and each
// batch is one round trip, recorded with the text of its statements.
type roundTrips struct {
	mu   sync.Mutex
	sent [][]string
}

func (r *roundTrips) add(sqls ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, sqls)
}

// takeTrips returns the round trips since the last take, each with the
// first word of every statement, in lower case.
func (r *roundTrips) takeTrips() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([][]string, len(r.sent))
	for i, trip := range r.sent {
		for _, sql := range trip {
			out[i] = append(out[i], strings.ToLower(strings.Fields(sql)[0]))
		}
	}
	r.sent = nil
	return out
}

// take returns the first word of each round trip's first statement.
func (r *roundTrips) take() []string {
	var out []string
	for _, trip := range r.takeTrips() {
		out = append(out, trip[0])
	}
	return out
}

// takeStatements returns the text of every statement sent.
func (r *roundTrips) takeStatements() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, trip := range r.sent {
		out = append(out, trip...)
	}
	r.sent = nil
	return out
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.add(d.SQL)
	return ctx
}

func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	sqls := make([]string, len(d.Batch.QueuedQueries))
	for i, q := range d.Batch.QueuedQueries {
		sqls[i] = q.SQL
	}
	r.add(sqls...)
	return ctx
}

func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TestStepRoundTrips checks the step's transaction: plain reads before the
// first write run on their own, BEGIN travels with the first other
// statement and a submission's rows with COMMIT (or, when they are all the
// step writes, alone in one batch), so a submission's step (two reads and
// the write) takes three round trips; the rows' errors fail the step and
// leave nothing behind; a savepoint sees them.
func TestStepRoundTrips(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	schema := db.schemas[db.store(t, 1)]
	trips := &roundTrips{}
	s := db.openWith(t, schema, 2, trips)
	reg := s.Registrations()
	audit := func(a registration.Application) []registration.AuditEntry {
		return []registration.AuditEntry{{At: a.SubmittedAt, Actor: "guardian:g1", Action: registration.AuditSubmit, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "voranmeldung"}}
	}
	submit := func(tx registration.Tx, a registration.Application) error {
		if _, err := tx.Applications(ctx, registration.Query{ChildKey: a.ChildKey, Year: a.Year}); err != nil {
			return err
		}
		if _, err := tx.Applications(ctx, registration.Query{FamilyID: a.FamilyID, Year: a.Year}); err != nil {
			return err
		}
		return tx.(registration.SubmissionWriter).InsertSubmission(ctx, a, []notify.Message{benchMessage(a)}, audit(a))
	}
	first := benchApp(1)
	// Each connection prepares a statement the first time it runs it.
	require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error { return submit(tx, benchApp(100)) }))
	trips.take()

	t.Run("a submission's step takes three round trips", func(t *testing.T) {
		trips.take()
		require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error { return submit(tx, first) }))
		assert.Equal(t, []string{"select", "select", "insert"}, trips.take(),
			"the first of each round trip: the two reads on their own, the rows in one batch")
		got, err := reg.Application(ctx, first.ID)
		require.NoError(t, err)
		assert.Equal(t, first.Reference, got.Reference)
		msgs, err := reg.FamilyMessages(ctx, first.FamilyID)
		require.NoError(t, err)
		assert.Len(t, msgs, 1)
	})

	t.Run("a submission's two reads go in one round trip and read what Applications reads", func(t *testing.T) {
		// The child of first in another family, and first's sibling.
		other, sibling := benchApp(6), benchApp(7)
		other.ChildKey = first.ChildKey
		sibling.FamilyID = first.FamilyID
		for _, a := range []registration.Application{other, sibling} {
			require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error { return submit(tx, a) }))
		}
		trips.take()
		var child, family, wantChild, wantFamily []registration.Application
		require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
			var err error
			_, _, child, family, err = tx.(registration.SubmissionReader).SubmissionReads(ctx, first.FamilyID, "", first.ChildKey, first.Year)
			return err
		}))
		assert.Equal(t, []string{"select"}, trips.take(), "both reads in one batch, on their own")
		require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
			var err error
			if wantChild, err = tx.Applications(ctx, registration.Query{ChildKey: first.ChildKey, Year: first.Year}); err != nil {
				return err
			}
			wantFamily, err = tx.Applications(ctx, registration.Query{FamilyID: first.FamilyID, Year: first.Year})
			return err
		}))
		require.Len(t, wantChild, 2, "first and the other family's")
		require.Len(t, wantFamily, 2, "first and its sibling")
		assert.Equal(t, wantChild, child)
		assert.Equal(t, wantFamily, family)

		err := reg.Atomic(ctx, func(tx registration.Tx) error {
			_, _, _, _, err := tx.(registration.SubmissionReader).SubmissionReads(ctx, first.FamilyID, "", "", first.Year)
			return err
		})
		assert.Error(t, err, "an empty child key is refused, not read as every child")
	})

	t.Run("the key's lookup goes with the two reads and reads what ApplicationByKey reads", func(t *testing.T) {
		keyed := func(familyID, key string) (earlier registration.Application, found bool, child, family []registration.Application) {
			t.Helper()
			trips.take()
			require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
				var err error
				earlier, found, child, family, err = tx.(registration.SubmissionReader).SubmissionReads(ctx, familyID, key, first.ChildKey, first.Year)
				return err
			}))
			return earlier, found, child, family
		}
		earlier, found, child, family := keyed(first.FamilyID, first.IdempotencyKey)
		assert.Equal(t, [][]string{{"select", "select", "select"}}, trips.takeTrips(), "three statements in one batch, on their own")
		require.True(t, found)
		want, err := reg.ApplicationByKey(ctx, first.FamilyID, first.IdempotencyKey)
		require.NoError(t, err)
		assert.Equal(t, want, earlier)
		assert.Equal(t, first.ID, earlier.ID)
		var wantChild, wantFamily []registration.Application
		require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
			var err error
			_, _, wantChild, wantFamily, err = tx.(registration.SubmissionReader).SubmissionReads(ctx, first.FamilyID, "", first.ChildKey, first.Year)
			return err
		}))
		assert.Equal(t, wantChild, child)
		assert.Equal(t, wantFamily, family)

		earlier, found, child, family = keyed(first.FamilyID, "another-key")
		assert.Equal(t, [][]string{{"select", "select", "select"}}, trips.takeTrips())
		assert.False(t, found, "a key the family did not use")
		assert.Zero(t, earlier)
		assert.Equal(t, wantChild, child)
		assert.Equal(t, wantFamily, family)

		_, found, _, _ = keyed(benchApp(6).FamilyID, first.IdempotencyKey)
		trips.take()
		assert.False(t, found, "another family's key is its own")

		_, found, child, _ = keyed(first.FamilyID, "")
		assert.Equal(t, [][]string{{"select", "select"}}, trips.takeTrips(), "no key, no lookup")
		assert.False(t, found)
		assert.Equal(t, wantChild, child)

		err = reg.Atomic(ctx, func(tx registration.Tx) error {
			_, _, _, _, err := tx.(registration.SubmissionReader).SubmissionReads(ctx, first.FamilyID, first.IdempotencyKey, "", first.Year)
			return err
		})
		assert.Error(t, err, "an empty child key is refused, not read as every child")
	})

	t.Run("a step without statements sends nothing", func(t *testing.T) {
		trips.take()
		require.NoError(t, reg.Atomic(ctx, func(registration.Tx) error { return nil }))
		assert.Empty(t, trips.take())
	})

	t.Run("a step that only reads sends neither BEGIN nor COMMIT", func(t *testing.T) {
		trips.take()
		require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
			_, err := tx.Applications(ctx, registration.Query{FamilyID: first.FamilyID})
			return err
		}))
		assert.Equal(t, []string{"select"}, trips.take())
	})

	t.Run("a read that locks its row begins the transaction", func(t *testing.T) {
		trips.take()
		require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
			_, err := tx.Application(ctx, first.ID)
			return err
		}))
		assert.Equal(t, []string{"begin", "commit"}, trips.take(), "BEGIN with the locking read, then COMMIT")
	})

	t.Run("rows queued after a write go with COMMIT", func(t *testing.T) {
		fifth := benchApp(5)
		trips.take()
		require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
			if err := tx.AppendAudit(ctx, audit(fifth)[0]); err != nil {
				return err
			}
			return tx.(registration.SubmissionWriter).InsertSubmission(ctx, fifth, []notify.Message{benchMessage(fifth)}, audit(fifth))
		}))
		assert.Equal(t, []string{"begin", "insert"}, trips.take(), "BEGIN with the audit entry, then the rows with COMMIT")
		_, err := reg.Application(ctx, fifth.ID)
		require.NoError(t, err)
	})

	t.Run("a refused row fails the step at its next statement and stores nothing", func(t *testing.T) {
		again := benchApp(2)
		again.FamilyID, again.ChildKey = first.FamilyID, first.ChildKey // the child's second active application
		var next error
		err := reg.Atomic(ctx, func(tx registration.Tx) error {
			require.NoError(t, tx.(registration.SubmissionWriter).InsertSubmission(ctx, again, []notify.Message{benchMessage(again)}, audit(again)),
				"the rows wait for the next round trip")
			_, next = tx.Applications(ctx, registration.Query{FamilyID: again.FamilyID})
			return nil // even when the step ignores the error, it fails with it
		})
		require.ErrorIs(t, next, registration.ErrDuplicate)
		require.ErrorIs(t, err, registration.ErrDuplicate)
		_, err = reg.Application(ctx, again.ID)
		require.ErrorIs(t, err, registration.ErrNotFound)
		entries, err := reg.Audit(ctx, registration.AuditQuery{ApplicationID: again.ID})
		require.NoError(t, err)
		assert.Empty(t, entries)
	})

	t.Run("a step that fails after queueing rows stores nothing", func(t *testing.T) {
		third := benchApp(3)
		boom := errors.New("the step's own error")
		err := reg.Atomic(ctx, func(tx registration.Tx) error {
			require.NoError(t, submit(tx, third))
			return boom
		})
		require.ErrorIs(t, err, boom)
		_, err = reg.Application(ctx, third.ID)
		require.ErrorIs(t, err, registration.ErrNotFound)
		msgs, err := reg.FamilyMessages(ctx, third.FamilyID)
		require.NoError(t, err)
		assert.Empty(t, msgs)
	})

	t.Run("a savepoint after queued rows sees them", func(t *testing.T) {
		fourth := benchApp(4)
		err := s.Atomic(ctx, func(step app.Tx) error {
			if err := submit(step.Applications(), fourth); err != nil {
				return err
			}
			return step.Atomic(ctx, func(sp app.Tx) error {
				got, err := sp.Applications().Application(ctx, fourth.ID)
				if err != nil {
					return err
				}
				assert.Equal(t, fourth.Reference, got.Reference)
				return nil
			})
		})
		require.NoError(t, err)
		_, err = reg.Application(ctx, fourth.ID)
		require.NoError(t, err)
	})
}
