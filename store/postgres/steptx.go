package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// txn is a transaction as the adapter's statements use it: the statements
// of a querier, and Begin for a savepoint. A pgx.Tx is one; so is the
// step's own transaction, stepTx.
type txn interface {
	querier
	Begin(ctx context.Context) (pgx.Tx, error)
}

// stepTx is the transaction of one atomic step on a connection of the pool.
// It saves round trips and statements without changing what the step
// does:
//
//   - plain reads (a SELECT that locks no row) before the step's first
//     write run on their own: under READ COMMITTED every statement reads
//     its own snapshot, inside a transaction or not, and before a write
//     there is nothing of the step's own to see;
//   - BEGIN goes to the server together with the step's first other
//     statement (pgx.Batch.BeginTx), not in a round trip of its own; a
//     step that runs no statement sends nothing at all;
//   - writes queued with later (a submission's rows) go with the step's
//     next statement, or together with COMMIT when the step ends; when
//     they are all the step writes, they go alone, in the implicit
//     transaction of one batch, which keeps all of them or none.
//
// An error of a queued write is returned by the call that sent it (the
// next statement, or Commit) and by every later Commit: the step fails
// with it. Savepoints (Begin) are pgx's own, after the queued writes.
type stepTx struct {
	conn *pgxpool.Conn
	tx   pgx.Tx // nil until a statement began the transaction
	// queued are the writes waiting for the next round trip; reads reads
	// their results in the order they were queued.
	queued pgx.Batch
	reads  []func(br pgx.BatchResults) error
	// rows are the submissions whose rows are queued (laterRows).
	rows   []*submissionRows
	failed error // the first error of a queued write
	ended  bool  // committed, or the commit was sent
	// group commits the queued writes of a step that began no
	// transaction, alone or with other steps' (nil: alone).
	group *committer
	// readers sends plain reads before the first write together with
	// other callers' (nil: alone).
	readers *readGroup
}

var _ txn = (*stepTx)(nil)

// queuedError carries the error of a queued write through the statement
// that sent it; wrap unpacks it, so the caller sees the write's own error
// (registration.ErrDuplicate, notify.ErrExists, ...).
type queuedError struct{ err error }

func (e *queuedError) Error() string { return e.err.Error() }
func (e *queuedError) Unwrap() error { return e.err }

// later queues the statements q adds to b; read reads their results (in
// the same order) once they were sent, and returns the first error.
func (t *stepTx) later(q func(b *pgx.Batch), read func(br pgx.BatchResults) error) {
	q(&t.queued)
	t.reads = append(t.reads, read)
}

// laterRows queues the rows of a submission (later), one statement each;
// a group commit sends them with other steps' in one INSERT per table.
func (t *stepTx) laterRows(ctx context.Context, r *submissionRows) {
	t.later(r.queue, func(br pgx.BatchResults) error { return r.readRows(ctx, br) })
	t.rows = append(t.rows, r)
}

// onlyRows reports whether every queued write is a submission's row.
func (t *stepTx) onlyRows() bool {
	n := 0
	for _, r := range t.rows {
		n += r.statements()
	}
	return len(t.rows) > 0 && n == len(t.queued.QueuedQueries)
}

// pending reports whether the next statement has to travel with BEGIN or
// with queued writes.
func (t *stepTx) pending() bool {
	return t.tx == nil || len(t.queued.QueuedQueries) > 0
}

// alone reports whether a statement can run on its own, outside the
// transaction: a plain read before the step's first write.
func (t *stepTx) alone(sql string) bool {
	return t.readsAlone() && plainRead(sql)
}

// readsAlone reports whether a plain read can run on its own, outside the
// transaction: the step has written nothing yet.
func (t *stepTx) readsAlone() bool {
	return t.tx == nil && len(t.queued.QueuedQueries) == 0 && t.failed == nil
}

// allAlone reports whether every statement of b can run on its own (see
// alone): a batch of plain reads before the step's first write, in one
// round trip and one implicit transaction, where each statement reads
// its own snapshot as under READ COMMITTED.
func (t *stepTx) allAlone(b *pgx.Batch) bool {
	if len(b.QueuedQueries) == 0 {
		return false
	}
	for _, q := range b.QueuedQueries {
		if !t.alone(q.SQL) {
			return false
		}
	}
	return true
}

// plainRead reports whether sql is a SELECT that locks no row (no FOR
// UPDATE, FOR SHARE, ...) and draws no sequence number: the adapter's
// statements are written in upper case.
func plainRead(sql string) bool {
	return strings.HasPrefix(sql, "SELECT ") && !strings.Contains(sql, "FOR ") && !strings.Contains(sql, "nextval")
}

// send sends b after what is pending (BEGIN, the queued writes) in one
// round trip and returns the results positioned at b's first statement.
// When a pending statement fails, every result of b reports its error.
func (t *stepTx) send(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.sendWith(ctx, b, true)
}

// sendWith is send; begin false sends no BEGIN (the queued writes at the
// end of a step that began no transaction).
func (t *stepTx) sendWith(ctx context.Context, b *pgx.Batch, begin bool) pgx.BatchResults {
	if t.failed != nil {
		return pgx.FailedBatchResults(b, &queuedError{t.failed})
	}
	all := &pgx.Batch{}
	began := t.tx == nil && begin
	if began {
		all.BeginTx(pgx.TxOptions{})
	}
	all.QueuedQueries = append(all.QueuedQueries, t.queued.QueuedQueries...)
	all.QueuedQueries = append(all.QueuedQueries, b.QueuedQueries...)
	reads := t.reads
	t.queued, t.reads, t.rows = pgx.Batch{}, nil, nil
	br := t.conn.SendBatch(ctx, all)
	var err error
	if began {
		t.tx = br.Tx()
		_, err = br.Exec()
	}
	for _, read := range reads {
		if rerr := read(br); rerr != nil && err == nil {
			err = rerr
		}
	}
	if err != nil {
		_ = br.Close()
		if len(reads) > 0 {
			t.failed = err
			err = &queuedError{err}
		}
		return pgx.FailedBatchResults(b, err)
	}
	return br
}

// flush sends what is pending on its own (before a savepoint).
func (t *stepTx) flush(ctx context.Context) error {
	if !t.pending() {
		return nil
	}
	return t.send(ctx, &pgx.Batch{}).Close()
}

func (t *stepTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if !t.pending() {
		return t.tx.Exec(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := t.send(ctx, b)
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *stepTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if t.alone(sql) {
		return t.conn.Query(ctx, sql, args...)
	}
	if !t.pending() {
		return t.tx.Query(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := t.send(ctx, b)
	rows, err := br.Query()
	return &batchRows{Rows: rows, br: br}, err
}

func (t *stepTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if t.alone(sql) {
		return t.conn.QueryRow(ctx, sql, args...)
	}
	if !t.pending() {
		return t.tx.QueryRow(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	return batchRow{t.send(ctx, b)}
}

func (t *stepTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if t.allAlone(b) {
		return t.conn.SendBatch(ctx, b)
	}
	if !t.pending() {
		return t.tx.SendBatch(ctx, b)
	}
	return t.send(ctx, b)
}

// Begin starts a savepoint once the queued writes are sent.
func (t *stepTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.tx.Begin(ctx)
}

// commit ends the step: COMMIT goes with the queued writes. A step that
// sent nothing commits nothing and costs no round trip.
func (t *stepTx) commit(ctx context.Context) error {
	if t.failed != nil {
		return &queuedError{t.failed}
	}
	if t.tx == nil && len(t.queued.QueuedQueries) == 0 {
		t.ended = true
		return nil
	}
	if len(t.queued.QueuedQueries) == 0 {
		t.ended = true
		return t.tx.Commit(ctx)
	}
	b := &pgx.Batch{}
	var err error
	switch {
	case t.tx == nil && t.group != nil && t.onlyRows():
		// The queued writes are all the step writes, rows of
		// submissions: with those of other steps ending now, in one
		// transaction (committer).
		err = t.group.commit(ctx, t)
	case t.tx == nil:
		// The queued writes are all the step writes: one batch, one
		// implicit transaction.
		err = t.sendWith(ctx, b, false).Close()
	default:
		b.Queue("commit")
		br := t.send(ctx, b)
		_, err = br.Exec()
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	}
	if t.failed != nil {
		return &queuedError{t.failed}
	}
	if err == nil && t.conn.Conn().PgConn().TxStatus() != 'I' {
		err = errors.New("postgres: commit: the transaction did not end")
	}
	t.ended = err == nil
	return err
}

// rollback undoes the step unless it ended; queued writes are dropped.
func (t *stepTx) rollback(ctx context.Context) {
	t.queued, t.reads, t.rows = pgx.Batch{}, nil, nil
	if t.ended || t.tx == nil || t.conn.Conn().PgConn().TxStatus() == 'I' {
		return
	}
	_ = t.tx.Rollback(ctx)
}

// batchRows are the rows of a statement sent in a batch; closing them
// closes the batch.
type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r *batchRows) Close() {
	r.Rows.Close()
	_ = r.br.Close()
}

// batchRow is the row of a statement sent in a batch; Scan closes the
// batch.
type batchRow struct{ br pgx.BatchResults }

func (r batchRow) Scan(dest ...any) error {
	err := r.br.QueryRow().Scan(dest...)
	if cerr := r.br.Close(); err == nil && cerr != nil {
		return cerr
	}
	return err
}
