package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
)

// TestSubmissionReadsUseTheirIndexes checks the plans of the reads every
// submission makes, as the store sends them: the idempotency key's lookup,
// the child's applications of the Kita year and the family's. A pool keeps
// a statement's generic plan for the life of its connection, and a new
// database has no statistics until autovacuum analyzes it; a plan that
// reads the whole year through applications_year_order and filters it
// makes every submission slower the more the year holds. So the generic
// plans (the ones a connection keeps) must use the key's, the family's or
// the child's index without a filter, for one caller and for a read
// group's callers (one statement per kind), on an empty table without
// statistics and on an analyzed year.
func TestSubmissionReadsUseTheirIndexes(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	schema := db.schemas[db.store(t, 1)]
	sent := &roundTrips{}
	reg := db.openWith(t, schema, 1, sent).Registrations()
	a := benchApp(1)
	_, err := reg.ApplicationByKey(ctx, a.FamilyID, a.IdempotencyKey)
	require.ErrorIs(t, err, registration.ErrNotFound)
	require.NoError(t, reg.Atomic(ctx, func(tx registration.Tx) error {
		_, _, _, _, err := tx.(registration.SubmissionReader).SubmissionReads(ctx, a.FamilyID, "", a.ChildKey, a.Year)
		return err
	}))
	reads := sent.takeStatements()
	require.Len(t, reads, 3, "the key's lookup and the step's two reads")
	// The same reads of concurrent callers, one statement each.
	reads = append(reads, postgres.GroupReads...)
	want := []struct{ name, index string }{
		{"the idempotency key's lookup", "applications_idempotency"},
		{"the child's applications of the year", "applications_child"},
		{"the family's applications of the year", "applications_family"},
		{"a group's idempotency keys' lookup", "applications_idempotency"},
		{"a group's children's applications of their years", "applications_child"},
		{"a group's families' applications of their years", "applications_family"},
	}

	conn, err := db.admin.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET search_path = "+pgx.Identifier{schema}.Sanitize())
	require.NoError(t, err)
	defer func() {
		_, _ = conn.Exec(context.Background(), "RESET search_path; RESET plan_cache_mode; DEALLOCATE ALL")
	}()
	_, err = conn.Exec(ctx, "SET plan_cache_mode = force_generic_plan")
	require.NoError(t, err)
	plan := func(t *testing.T, i int) string {
		t.Helper()
		sql := reads[i]
		n := strings.Count(sql, "$")
		types, args := make([]string, n), make([]string, n)
		for j := range n {
			types[j], args[j] = "text", "'x'"
			if strings.Contains(sql, fmt.Sprintf("$%d::text[]", j+1)) {
				types[j], args[j] = "text[]", "'{x,y}'"
			}
		}
		name := "read_" + string(rune('a'+i))
		_, err := conn.Exec(ctx, "PREPARE "+name+" ("+strings.Join(types, ", ")+") AS "+sql)
		require.NoError(t, err)
		defer func() { _, _ = conn.Exec(ctx, "DEALLOCATE "+name) }()
		rows, err := conn.Query(ctx, "EXPLAIN EXECUTE "+name+" ("+strings.Join(args, ", ")+")")
		require.NoError(t, err)
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		return strings.Join(lines, "\n")
	}
	check := func(t *testing.T) {
		for i, w := range want {
			t.Run(w.name+" reads through "+w.index, func(t *testing.T) {
				p := plan(t, i)
				assert.Contains(t, p, "Index Scan using "+w.index+" on applications", p)
				assert.NotContains(t, p, "Filter", "the index matches the whole condition:\n"+p)
			})
		}
	}

	t.Run("on an empty table without statistics", check)

	// A year of 3,000 applications of other families, analyzed.
	_, err = conn.Exec(ctx, `INSERT INTO applications
(id, family_id, year, child_key, idempotency_key, status, submitted_at, kita_ids, version, doc)
SELECT 'A' || i, 'F' || i, $1, 'C' || i, 'K' || i, 'confirmed', now(), '{BO-001}', 1, '{}'
FROM generate_series(1, 3000) AS i`, a.Year)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "ANALYZE applications")
	require.NoError(t, err)
	t.Run("on an analyzed year", check)
}

// TestGroupStatementsKeepTheirGenericPlans checks that the statements of
// read groups and group commits, which take their rows as arrays, are
// planned for their first calls on a connection only: a plan for each
// call costs the server more than the statement's work. A planner that
// counts a call's array elements finds each call cheaper planned alone
// than the generic plan, and never keeps it.
func TestGroupStatementsKeepTheirGenericPlans(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	schema := db.schemas[db.store(t, 1)]
	conn, err := db.admin.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "SET search_path = "+pgx.Identifier{schema}.Sanitize())
	require.NoError(t, err)
	defer func() { _, _ = conn.Exec(context.Background(), "RESET search_path; DEALLOCATE ALL") }()

	const calls = 10
	n := 0
	var statements []string
	for size := range calls {
		var (
			apps  []registration.Application
			msgs  []notify.Message
			audit []registration.AuditEntry
		)
		for range 1 + size%4 {
			n++
			a := benchApp(n)
			apps, msgs = append(apps, a), append(msgs, benchMessage(a))
			audit = append(audit, registration.AuditEntry{At: a.SubmittedAt, Actor: "guardian:g1", Action: registration.AuditSubmit, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "voranmeldung"})
		}
		inserts, err := postgres.GroupInserts(apps, msgs, audit)
		require.NoError(t, err)
		require.Len(t, inserts, 3)
		statements = nil
		for _, q := range inserts {
			tag, err := conn.Exec(ctx, q.SQL, q.Arguments...)
			require.NoError(t, err)
			assert.Equal(t, int64(len(apps)), tag.RowsAffected())
			statements = append(statements, q.SQL)
		}
		pairs := []any{ids(apps), ids(apps)}
		for _, sql := range postgres.GroupReads {
			rows, err := conn.Query(ctx, sql, pairs...)
			require.NoError(t, err)
			rows.Close()
			require.NoError(t, rows.Err())
		}
	}
	statements = append(statements, postgres.GroupReads...)
	for _, sql := range statements {
		var generic, custom int64
		require.NoError(t, conn.QueryRow(ctx, `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1`, sql).Scan(&generic, &custom))
		assert.Equal(t, int64(calls), generic+custom, sql)
		assert.LessOrEqual(t, custom, int64(5), "planned for the first five calls at most:\n"+sql)
	}
}
