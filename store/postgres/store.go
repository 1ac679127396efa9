package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// maxAttempts is how often Atomic runs a step that failed with a
// serialization failure or a deadlock before it gives up.
const maxAttempts = 4

// Store is the PostgreSQL adapter for every store port of kitaportal. It is
// safe for concurrent use; every method takes a context and runs on a
// connection of the pool.
//
// The ports are reached through views: [Store.Registrations],
// [Store.Tagespflege] and [Store.Outbox], each implementing the interface
// its domain package declares. They share the pool, so an atomic step of
// one port may write the tables of the others.
type Store struct {
	pool    *pgxpool.Pool
	owned   bool
	numbers numbers
	group   committer
	// keyReads groups the lookups of idempotency keys, which run on the
	// pool; stepReads the reads of steps, which run on the steps' own
	// connections. Kept apart, so that a leader that must take a
	// connection from the pool never waits for steps that wait for it.
	keyReads, stepReads readGroup
	// invalid is the error of an option that cannot be applied; Open and
	// DrawNumber return it.
	invalid error
}

// Option configures a [Store] at [Open] or [New].
type Option func(*Store)

// NumberBlock makes [Store.DrawNumber] reserve n numbers of a counter at
// once and give them out one by one from memory, so that only one draw in
// n costs a statement. Numbers stay unique, also across several stores on
// one database; but the numbers of a block left when the process ends
// are gaps, and two processes give out numbers from different blocks, so
// that across them a number tells nothing about the order of the
// submissions. Without the option (or with n = 1) every draw is one
// statement and numbers follow the order of the draws. n below 1 is an
// error, returned by Open and by every DrawNumber.
func NumberBlock(n int) Option {
	return func(s *Store) {
		if n < 1 {
			s.invalid = fmt.Errorf("postgres: number block of %d: want 1 or more", n)
			return
		}
		s.numbers.block = int64(n)
	}
}

// Open connects to the database at url (a PostgreSQL connection string,
// "postgres://user@host:5432/db?sslmode=..."), applies the migrations and
// returns the store. Close releases the pool.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, wrap(ctx, "open", err)
	}
	s := New(pool, opts...)
	s.owned = true
	if s.invalid != nil {
		pool.Close()
		return nil, s.invalid
	}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// New returns a store on a pool the caller made and keeps; it applies no
// migrations (see [Store.Migrate]) and Close leaves the pool open.
func New(pool *pgxpool.Pool, opts ...Option) *Store {
	s := &Store{pool: pool, numbers: numbers{block: 1}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Migrate brings the schema of the pool's search_path up to date with the
// migrations embedded in the package. It holds a PostgreSQL advisory lock
// meanwhile, so several instances starting at once migrate one at a time;
// each migration runs in a transaction of its own.
func (s *Store) Migrate(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("postgres: migrate: %v", err)
	}
	return nil
}

// Close releases the pool if [Open] made it; a pool given to [New] stays open.
func (s *Store) Close() {
	if s.owned {
		s.pool.Close()
	}
}

// querier is what a pool and a transaction have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// atomic runs fn in a read-committed transaction and commits it when fn
// returns nil. A serialization failure or deadlock, of fn's statements or
// of the commit, runs the whole step again, up to maxAttempts times. A
// panic of fn rolls back and is passed on.
func (s *Store) atomic(ctx context.Context, fn func(tx txn) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err = s.attempt(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
		// Back off a little, more on every attempt, before running again.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Millisecond):
		}
	}
	return err
}

func (s *Store) attempt(ctx context.Context, fn func(tx txn) error) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return wrap(ctx, "begin", err)
	}
	defer conn.Release()
	tx := &stepTx{conn: conn, group: &s.group, readers: &s.stepReads}
	committed := false
	defer func() {
		// Also on a panic of fn; with a context of its own, as ctx may be done.
		if !committed {
			tx.rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := tx.commit(ctx); err != nil {
		return wrap(ctx, "commit", err)
	}
	committed = true
	return nil
}

// dbError is a database error with its SQLSTATE and the operation that
// failed, but without the server's message, which may quote values.
type dbError struct {
	op   string
	code string
}

func (e *dbError) Error() string {
	return "postgres: " + e.op + ": database error (SQLSTATE " + e.code + ")"
}

// The SQLSTATE codes the adapter acts upon.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

// wrap turns an error of pgx into one of the adapter: ctx.Err() when the
// context is done, a dbError for a database error, and otherwise a plain
// error whose text names the operation. No pgx type leaks.
func wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if errors.Is(err, context.Canceled) {
			return context.Canceled
		}
		return context.DeadlineExceeded
	}
	var qe *queuedError
	if errors.As(err, &qe) {
		return qe.err
	}
	var de *dbError
	if errors.As(err, &de) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return &dbError{op: op, code: pe.Code}
	}
	return fmt.Errorf("postgres: %s: %v", op, err)
}

// sqlState returns the SQLSTATE of a database error, or "".
func sqlState(err error) string {
	var de *dbError
	if errors.As(err, &de) {
		return de.code
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func retryable(err error) bool {
	c := sqlState(err)
	return c == codeSerializationFailure || c == codeDeadlockDetected
}

// utc returns t in UTC, keeping a zero time zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// numbers are the blocks of numbers a store reserved ([NumberBlock]).
type numbers struct {
	block int64
	mu    sync.Mutex
	left  map[string][2]int64 // per counter: the next number and the end of its block
}

// DrawNumber draws the next number of the counter name in a transaction
// of its own (app.NumberDrawer): the counter's row is locked for that one
// statement, not for the step that uses the number. A number is never
// given back; a step that fails after drawing leaves a gap. With
// [NumberBlock] most draws take a number reserved before and send nothing.
func (s *Store) DrawNumber(ctx context.Context, name string) (int64, error) {
	if s.invalid != nil {
		return 0, s.invalid
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if s.numbers.block == 1 {
		return s.reserve(ctx, name, 1)
	}
	s.numbers.mu.Lock()
	defer s.numbers.mu.Unlock()
	if r := s.numbers.left[name]; r[0] < r[1] {
		s.numbers.left[name] = [2]int64{r[0] + 1, r[1]}
		return r[0], nil
	}
	last, err := s.reserve(ctx, name, s.numbers.block)
	if err != nil {
		return 0, err
	}
	if s.numbers.left == nil {
		s.numbers.left = map[string][2]int64{}
	}
	first := last - s.numbers.block + 1
	s.numbers.left[name] = [2]int64{first + 1, last + 1}
	return first, nil
}

// reserve raises the counter name by n in a transaction of its own and
// returns its new value, the last number reserved.
func (s *Store) reserve(ctx context.Context, name string, n int64) (int64, error) {
	var last int64
	err := s.pool.QueryRow(ctx, `INSERT INTO counters (name, value) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET value = counters.value + $2 RETURNING value`, name, n).Scan(&last)
	if err != nil {
		return 0, wrap(ctx, "draw number", err)
	}
	return last, nil
}
