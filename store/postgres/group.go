package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// groupTimeout bounds the sending of a group, which its steps cannot
// cancel: when it passes, the connection is closed and every step of the
// group gets the error, not knowing whether it committed (as a step alone
// whose context ends during its commit).
const groupTimeout = 30 * time.Second

// committer commits the rows of concurrent steps together (group commit).
// It takes only steps whose writes are all queued rows (a submission's
// application, messages and audit entries: the step began no transaction,
// its reads ran on their own). Such a step's commit is one batch in one
// implicit transaction, and the batches of several such steps can go in
// one transaction just as well. One step at a time sends (the leader);
// the steps that end meanwhile wait, and the next leader sends all of them
// in one round trip and one implicit transaction: one INSERT per table
// for every step's rows (queueGroupRows), so the server parses, plans and
// runs three statements for the group, not three per step. A step that
// finds nobody sending, or nobody waiting with it, sends its rows alone,
// one statement each, as it would without the committer.
//
// Each step's outcome stays its own:
//
//   - a step is told it committed only once the batch's transaction
//     ended; a group is one transaction, so after a crash either all its
//     steps are stored or none is, and none was told it committed when it
//     did not;
//   - when the server refuses the group (a taken id, a duplicate, a
//     deadlock, ...: one refused row fails its table's INSERT), its
//     transaction is rolled back and nothing of it is stored; every
//     step of the group then sends its rows again alone, on its own
//     connection and with its own context, so that the refused
//     step gets its own error (registration.ErrExists, ...) and the
//     others commit;
//   - when the connection fails while the group is sent, whether it
//     committed is unknown, as for a step alone: every step of the group
//     gets the error.
//
// A group is sent with the leader's context without its cancellation (a
// step that gave up must not decide the outcome of the others), for at
// most groupTimeout.
type committer struct{ turns turns[*member] }

// member is a step waiting for its rows to be committed.
type member struct {
	t       *stepTx
	queries []*pgx.QueuedQuery
	reads   []func(br pgx.BatchResults) error
	rows    []*submissionRows // what queries insert, for the group's INSERTs
	alone   bool              // the group was refused: the step sends its rows alone
	err     error
}

// commit commits the queued rows of t, a step that began no transaction,
// alone or in a group with other steps.
func (c *committer) commit(ctx context.Context, t *stepTx) error {
	m := &member{t: t, queries: t.queued.QueuedQueries, reads: t.reads, rows: t.rows}
	t.queued, t.reads, t.rows = pgx.Batch{}, nil, nil
	group := c.turns.take(m)
	if group == nil {
		return m.outcome(ctx)
	}
	if len(group) == 1 {
		m.err = m.sendAlone(ctx)
	} else {
		gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
		sendGroup(gctx, t.conn, items(group))
		cancel()
	}
	c.turns.done(group)
	return m.outcome(ctx)
}

// outcome returns the step's outcome; the step of a refused group sends
// its rows again, alone.
func (m *member) outcome(ctx context.Context) error {
	if m.alone {
		return m.sendAlone(ctx)
	}
	return m.err
}

// sendAlone sends the step's rows on its own connection in one batch, one
// implicit transaction.
func (m *member) sendAlone(ctx context.Context) error {
	t := m.t
	t.queued.QueuedQueries, t.reads = m.queries, m.reads
	return t.sendWith(ctx, &pgx.Batch{}, false).Close()
}

// sendGroup sends the rows of group on conn in one round trip and one
// transaction, one INSERT per table (queueGroupRows), and sets every
// member's outcome: committed (err nil), refused (alone), or the
// connection's error.
func sendGroup(ctx context.Context, conn *pgxpool.Conn, group []*member) {
	b := &pgx.Batch{}
	n := queueGroupRows(b, group)
	br := conn.SendBatch(ctx, b)
	var err error
	for range n {
		if _, eerr := br.Exec(); eerr != nil && err == nil {
			err = eerr
		}
	}
	if cerr := br.Close(); cerr != nil && err == nil {
		err = cerr
	}
	pc := conn.Conn().PgConn()
	if err == nil && pc.TxStatus() == 'I' {
		return // committed
	}
	if pc.IsClosed() {
		// The connection failed: whether COMMIT was done is unknown.
		for _, m := range group {
			m.err = err
		}
		return
	}
	// The server answered with an error: the batch's implicit transaction
	// is rolled back and stored nothing.
	if pc.TxStatus() != 'I' {
		_, _ = conn.Exec(ctx, "rollback")
	}
	for _, m := range group {
		m.alone = true
	}
}
