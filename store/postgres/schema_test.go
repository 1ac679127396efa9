package postgres_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// rows reads and writes the rows of one test schema directly, as an
// existing database holds them.
type rows struct {
	db     *testDB
	schema string
}

func (r rows) insert(t *testing.T, table string, cols []string, args ...any) {
	t.Helper()
	marks := make([]string, len(cols))
	for i := range cols {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	sql := "INSERT INTO " + pgx.Identifier{r.schema, table}.Sanitize() +
		" (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
	_, err := r.db.admin.Exec(context.Background(), sql, args...)
	require.NoError(t, err)
}

func (r rows) doc(t *testing.T, table, key, id string) []byte {
	t.Helper()
	var doc []byte
	sql := "SELECT doc FROM " + pgx.Identifier{r.schema, table}.Sanitize() + " WHERE " + key + " = $1"
	require.NoError(t, r.db.admin.QueryRow(context.Background(), sql, id).Scan(&doc))
	return doc
}

// formerRow is a row whose doc is the domain value's own JSON, as the
// adapter wrote it before it had its own document types.
type formerRow[T any] struct {
	value T
	table string
	// cols and args are the row's columns besides doc, which comes last.
	cols []string
	args []any
	id   string
	read func(context.Context, string) (T, error)
	// write stores the value read; written is what the store then holds.
	write   func(context.Context, T) error
	written T
}

// check inserts the row, reads it through the store, writes it back
// through the store, and reads the stored document the former way.
func (c formerRow[T]) check(t *testing.T, r rows) {
	ctx := context.Background()
	former, err := json.Marshal(c.value)
	require.NoError(t, err)
	r.insert(t, c.table, append(c.cols, "doc"), append(c.args, former)...)
	got, err := c.read(ctx, c.id)
	require.NoError(t, err)
	assert.Equal(t, c.value, got)

	require.NoError(t, c.write(ctx, got))
	var back T
	require.NoError(t, json.Unmarshal(r.doc(t, c.table, "id", c.id), &back))
	assert.Equal(t, c.written, back)
}

// TestDocumentsOfTheFormerSchemaReadUnchanged stores rows as databases
// written before the adapter had its own document types hold them, reads
// them through the store's ports, writes them back through the store, and
// reads the new documents the former way. Like the document tests it
// holds while the domain's JSON still matches the stored schema; the
// golden files pin the schema itself.
func TestDocumentsOfTheFormerSchemaReadUnchanged(t *testing.T) {
	db := newTestDB(t)
	s := db.store(t, 0)
	r := rows{db: db, schema: db.schemas[s]}
	tp := s.Tagespflege()

	t.Run("an application is read and written back in the same form", func(t *testing.T) {
		a := postgres.StoredApplication()
		formerRow[registration.Application]{
			value: a, table: "applications", id: a.ID,
			cols: []string{"id", "family_id", "year", "child_key", "idempotency_key", "status", "submitted_at", "kita_ids", "version"},
			args: []any{a.ID, a.FamilyID, a.Year, a.ChildKey, a.IdempotencyKey, a.Status().String(), a.SubmittedAt, []string{"kita-0815", "kita-0042"}, a.Version()},
			read: s.Registrations().Application,
			write: func(ctx context.Context, a registration.Application) error {
				return s.Atomic(ctx, func(tx app.Tx) error { return tx.Applications().Update(ctx, a) })
			},
			written: a.AtVersion(a.Version() + 1),
		}.check(t, r)
	})
	t.Run("a referral is read and written back in the same form", func(t *testing.T) {
		ref := postgres.StoredReferral()
		formerRow[tagespflege.Referral]{
			value: ref, table: "referrals", id: ref.ID,
			cols: []string{"id", "district", "created_at", "version"}, args: []any{ref.ID, ref.District, ref.CreatedAt, ref.Version()},
			read: tp.Referral, write: tp.UpdateReferral, written: ref.AtVersion(ref.Version() + 1),
		}.check(t, r)
	})
	t.Run("a minder is read and written back in the same form", func(t *testing.T) {
		m := postgres.StoredMinder()
		formerRow[tagespflege.Minder]{
			value: m, table: "minders", id: m.ID,
			cols: []string{"id", "district", "version"}, args: []any{m.ID, m.District, m.Version()},
			read: tp.Minder, write: tp.UpdateMinder, written: m.AtVersion(m.Version() + 1),
		}.check(t, r)
	})
	t.Run("a group is read and written back in the same form", func(t *testing.T) {
		g := postgres.StoredGroup()
		formerRow[tagespflege.Group]{
			value: g, table: "tp_groups", id: g.ID,
			cols: []string{"id", "version"}, args: []any{g.ID, g.Version()},
			read: tp.Group, write: tp.UpdateGroup, written: g.AtVersion(g.Version() + 1),
		}.check(t, r)
	})
	t.Run("a Kita's edits are read and written back in the same form", func(t *testing.T) {
		// The former edits document was not the domain's JSON; the golden
		// file is that form (see TestEditsDocument).
		ctx := context.Background()
		e := postgres.StoredEdits()
		golden, err := os.ReadFile(filepath.Join("testdata", "edits.golden.json"))
		require.NoError(t, err)
		r.insert(t, "kita_edits", []string{"kita_id", "version", "doc"}, e.KitaID, e.Version, golden)
		var got kita.Edits
		require.NoError(t, s.Atomic(ctx, func(tx app.Tx) error {
			got, err = tx.Catalogue().Edits(ctx, e.KitaID)
			if err != nil {
				return err
			}
			return tx.Catalogue().PutEdits(ctx, got)
		}))
		assert.Equal(t, e, got)
		assert.JSONEq(t, string(golden), string(r.doc(t, "kita_edits", "kita_id", e.KitaID)))
	})
}
