package postgres

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
)

// submissionRows are the rows of one submission a step queued
// (InsertSubmission): the arguments of insertApplicationRow, of
// insertMessageRow for each message and of insertAudit for each entry.
type submissionRows struct {
	app   []any
	msgs  [][]any
	audit [][]any
}

// statements is the number of statements the rows take when sent alone.
func (r *submissionRows) statements() int { return 1 + len(r.msgs) + len(r.audit) }

// queue queues the rows one statement each, as a step alone sends them.
func (r *submissionRows) queue(b *pgx.Batch) {
	b.Queue(insertApplicationRow, r.app...)
	for _, m := range r.msgs {
		b.Queue(insertMessageRow, m...)
	}
	for _, e := range r.audit {
		b.Queue(insertAudit, e...)
	}
}

// rowsInsert builds an INSERT of many rows into one table in one
// statement: the columns of head, one VALUES tuple per row. A unique
// violation of any row fails the whole statement.
type rowsInsert struct {
	head  string // "INSERT INTO t (c1, c2, ...) VALUES "
	tuple []string
	sql   sync.Map // number of rows → statement
}

// newRowsInsert returns the INSERT into table of the columns cols, one
// "$" in tuple standing for each row's next argument, other text kept
// as it is (a constant).
func newRowsInsert(table, cols string, tuple ...string) *rowsInsert {
	return &rowsInsert{head: "INSERT INTO " + table + " (" + cols + ") VALUES ", tuple: tuple}
}

// args is the number of arguments of one row.
func (ri *rowsInsert) args() int {
	n := 0
	for _, c := range ri.tuple {
		if c == "$" {
			n++
		}
	}
	return n
}

// statement returns the INSERT of n rows.
func (ri *rowsInsert) statement(n int) string {
	if s, ok := ri.sql.Load(n); ok {
		return s.(string)
	}
	var sb strings.Builder
	sb.WriteString(ri.head)
	p := 0
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for j, c := range ri.tuple {
			if j > 0 {
				sb.WriteString(", ")
			}
			if c != "$" {
				sb.WriteString(c)
				continue
			}
			p++
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(p))
		}
		sb.WriteByte(')')
	}
	s, _ := ri.sql.LoadOrStore(n, sb.String())
	return s.(string)
}

// queue queues the INSERT of rows, if any.
func (ri *rowsInsert) queue(b *pgx.Batch, rows [][]any) {
	if len(rows) == 0 {
		return
	}
	args := make([]any, 0, len(rows)*ri.args())
	for _, r := range rows {
		args = append(args, r...)
	}
	b.Queue(ri.statement(len(rows)), args...)
}

// The inserts of a group's rows, one statement per table; the columns and
// constants are those of insertApplicationRow, insertMessageRow and
// insertAudit.
var (
	applicationRows = newRowsInsert("applications",
		"id, family_id, year, child_key, idempotency_key, status, submitted_at, kita_ids, version, doc",
		"$", "$", "$", "$", "$", "$", "$", "$", "1", "$")
	messageRows = newRowsInsert("messages", messageColumns,
		"$", "$", "$", "$", "$", "$", "$", "$", "$", "$", "$", "$", "$", "$", "$", "$", "$")
	auditRows = newRowsInsert("audit", "at, actor, action, application_id, family_id, reason",
		"$", "$", "$", "$", "$", "$")
)

// queueGroupRows queues the rows of every submission of group in one
// INSERT per table, in the order of group, and returns the number of
// statements queued. One statement for all is one implicit transaction
// with the others of its batch: a refused row fails them all.
func queueGroupRows(b *pgx.Batch, group []*member) int {
	var apps, msgs, audit [][]any
	for _, m := range group {
		for _, r := range m.rows {
			apps = append(apps, r.app)
			msgs = append(msgs, r.msgs...)
			audit = append(audit, r.audit...)
		}
	}
	n := len(b.QueuedQueries)
	applicationRows.queue(b, apps)
	messageRows.queue(b, msgs)
	auditRows.queue(b, audit)
	return len(b.QueuedQueries) - n
}

// readRows reads the results of a submission's rows sent one statement
// each: the first refusal (refusedRow).
func (r *submissionRows) readRows(ctx context.Context, br pgx.BatchResults) error {
	var first error
	for range r.statements() {
		if _, err := br.Exec(); err != nil && first == nil {
			first = refusedRow(ctx, err)
		}
	}
	return first
}
