package postgres_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
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

// TestDocumentsOfTheFormerSchemaReadUnchanged stores rows as databases
// written before the adapter had its own document types hold them (the
// domain value's own JSON in doc), reads them through the store's ports,
// writes them back through the store, and reads the new documents the
// former way. Like the document tests it holds while the domain's JSON
// still matches the stored schema; the golden files pin the schema itself.
func TestDocumentsOfTheFormerSchemaReadUnchanged(t *testing.T) {
	db := newTestDB(t)
	s := db.store(t, 0)
	schema := db.schemas[s]
	ctx := context.Background()
	insert := func(t *testing.T, table string, cols []string, args ...any) {
		t.Helper()
		sql := "INSERT INTO " + pgx.Identifier{schema, table}.Sanitize() + " ("
		vals := ""
		for i, c := range cols {
			if i > 0 {
				sql, vals = sql+", ", vals+", "
			}
			sql += c
			vals += "$" + strconv.Itoa(i+1)
		}
		_, err := db.admin.Exec(ctx, sql+") VALUES ("+vals+")", args...)
		require.NoError(t, err)
	}
	storedDoc := func(t *testing.T, table, key, id string) []byte {
		t.Helper()
		var doc []byte
		err := db.admin.QueryRow(ctx, "SELECT doc FROM "+pgx.Identifier{schema, table}.Sanitize()+" WHERE "+key+" = $1", id).Scan(&doc)
		require.NoError(t, err)
		return doc
	}
	former := func(t *testing.T, v any) []byte {
		t.Helper()
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return b
	}

	t.Run("an application is read and written back in the same form", func(t *testing.T) {
		a := postgres.StoredApplication()
		insert(t, "applications", []string{"id", "family_id", "year", "child_key", "idempotency_key", "status", "submitted_at", "kita_ids", "version", "doc"},
			a.ID, a.FamilyID, a.Year, a.ChildKey, a.IdempotencyKey, a.Status().String(), a.SubmittedAt, []string{"kita-0815", "kita-0042"}, a.Version(), former(t, a))
		got, err := s.Registrations().Application(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a, got)

		require.NoError(t, s.Atomic(ctx, func(tx app.Tx) error { return tx.Applications().Update(ctx, got) }))
		var back registration.Application
		require.NoError(t, json.Unmarshal(storedDoc(t, "applications", "id", a.ID), &back))
		assert.Equal(t, a.AtVersion(a.Version()+1), back)
	})
	t.Run("a referral is read and written back in the same form", func(t *testing.T) {
		r := postgres.StoredReferral()
		insert(t, "referrals", []string{"id", "district", "created_at", "version", "doc"}, r.ID, r.District, r.CreatedAt, r.Version(), former(t, r))
		got, err := s.Tagespflege().Referral(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, r, got)

		require.NoError(t, s.Tagespflege().UpdateReferral(ctx, got))
		var back tagespflege.Referral
		require.NoError(t, json.Unmarshal(storedDoc(t, "referrals", "id", r.ID), &back))
		assert.Equal(t, r.AtVersion(r.Version()+1), back)
	})
	t.Run("a minder is read and written back in the same form", func(t *testing.T) {
		m := postgres.StoredMinder()
		insert(t, "minders", []string{"id", "district", "version", "doc"}, m.ID, m.District, m.Version, former(t, m))
		got, err := s.Tagespflege().Minder(ctx, m.ID)
		require.NoError(t, err)
		assert.Equal(t, m, got)

		require.NoError(t, s.Tagespflege().UpdateMinder(ctx, got))
		var back tagespflege.Minder
		require.NoError(t, json.Unmarshal(storedDoc(t, "minders", "id", m.ID), &back))
		m.Version++
		assert.Equal(t, m, back)
	})
	t.Run("a group is read and written back in the same form", func(t *testing.T) {
		g := postgres.StoredGroup()
		insert(t, "tp_groups", []string{"id", "version", "doc"}, g.ID, g.Version, former(t, g))
		got, err := s.Tagespflege().Group(ctx, g.ID)
		require.NoError(t, err)
		assert.Equal(t, g, got)

		require.NoError(t, s.Tagespflege().UpdateGroup(ctx, got))
		var back tagespflege.Group
		require.NoError(t, json.Unmarshal(storedDoc(t, "tp_groups", "id", g.ID), &back))
		g.Version++
		assert.Equal(t, g, back)
	})
	t.Run("a Kita's edits are read and written back in the same form", func(t *testing.T) {
		e := postgres.StoredEdits()
		golden, err := os.ReadFile(filepath.Join("testdata", "edits.golden.json"))
		require.NoError(t, err)
		insert(t, "kita_edits", []string{"kita_id", "version", "doc"}, e.KitaID, e.Version, golden)
		var got kita.Edits
		require.NoError(t, s.Atomic(ctx, func(tx app.Tx) error {
			got, err = tx.Catalogue().Edits(ctx, e.KitaID)
			if err != nil {
				return err
			}
			return tx.Catalogue().PutEdits(ctx, got)
		}))
		assert.Equal(t, e, got)
		assert.JSONEq(t, string(golden), string(storedDoc(t, "kita_edits", "kita_id", e.KitaID)))
	})
}
