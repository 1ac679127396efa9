package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/store/postgres"
	"github.com/kitaportal/kitaportal/store/storetest"
)

// envURL names the variable with the URL of the PostgreSQL server the tests
// and benchmarks run against.
const envURL = "KITAPORTAL_POSTGRES_URL"

// serverURL returns the test server's URL. Without one the test is
// skipped, except in CI (CI=true), where it fails: CI must not pass
// because the PostgreSQL tests did not run.
func serverURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv(envURL)
	if url == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal(envURL + " is not set in CI; the PostgreSQL tests must run there (see .ci/postgres.sh)")
		}
		tb.Skip("set " + envURL + "=postgres://... to run the PostgreSQL tests; see README")
	}
	return url
}

// testDB gives each caller an empty, migrated schema of its own on the
// server at url and drops it when the test ends.
type testDB struct {
	url     string
	admin   *pgxpool.Pool
	schemas map[*postgres.Store]string
}

func newTestDB(tb testing.TB) *testDB {
	tb.Helper()
	url := serverURL(tb)
	admin, err := pgxpool.New(context.Background(), url)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(admin.Close)
	return &testDB{url: url, admin: admin, schemas: map[*postgres.Store]string{}}
}

// store returns a store on a fresh schema, whose pool has at most maxConns
// connections (0: pgx's default).
func (d *testDB) store(tb testing.TB, maxConns int32) *postgres.Store {
	tb.Helper()
	ctx := context.Background()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := d.admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := d.admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	s := d.open(tb, schema, maxConns)
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	d.schemas[s] = schema
	return s
}

// open returns a store on a pool of its own over an existing schema; the
// pool is closed before the schema is dropped.
func (d *testDB) open(tb testing.TB, schema string, maxConns int32) *postgres.Store {
	tb.Helper()
	return d.openWith(tb, schema, maxConns, nil)
}

// openWith is open with a tracer of the pool's statements (nil: none).
func (d *testDB) openWith(tb testing.TB, schema string, maxConns int32, tracer pgx.QueryTracer, opts ...postgres.Option) *postgres.Store {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(d.url)
	if err != nil {
		tb.Fatalf("parse url: %v", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.Tracer = tracer
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(pool.Close)
	return postgres.New(pool, opts...)
}

func TestConformance(t *testing.T) {
	db := newTestDB(t)
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		s := db.store(t, 0)
		return storetest.Stores{
			Registrations: s.Registrations(),
			Tagespflege:   s.Tagespflege(),
			Outbox:        s.Outbox(),
			Unit:          s,
			Reopen: func(t *testing.T) app.Store {
				return db.open(t, db.schemas[s], 0)
			},
			Dump: func(t *testing.T) string { return db.dump(t, db.schemas[s]) },
		}
	})
}

func TestOpenMigratesOnceAndAgain(t *testing.T) {
	db := newTestDB(t)
	s := db.store(t, 0)
	// The schema is up to date: migrating again changes nothing.
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	s.Close() // a pool given to New stays open
	if _, err := s.Registrations().Places(context.Background(), "2021/2022"); err != nil {
		t.Errorf("after Close of a store made with New: %v", err)
	}
}

// dump returns every row of every table of the schema as text.
func (d *testDB) dump(tb testing.TB, schema string) string {
	tb.Helper()
	ctx := context.Background()
	rows, err := d.admin.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, schema)
	if err != nil {
		tb.Fatalf("list tables: %v", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		tb.Fatalf("list tables: %v", err)
	}
	if len(tables) == 0 {
		tb.Fatalf("schema %s has no tables", schema)
	}
	var b strings.Builder
	for _, table := range tables {
		var text *string
		q := `SELECT string_agg(t::text, E'\n') FROM ` + pgx.Identifier{schema, table}.Sanitize() + ` t`
		if err := d.admin.QueryRow(ctx, q).Scan(&text); err != nil {
			tb.Fatalf("dump %s: %v", table, err)
		}
		b.WriteString(table + ":\n")
		if text != nil {
			b.WriteString(*text + "\n")
		}
	}
	return b.String()
}
