package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// submissionRows are the rows of one submission a step queued
// (InsertSubmission): the application at Version 1 and its document, its
// messages (rendered) and its audit entries.
type submissionRows struct {
	app   registration.Application
	doc   []byte
	msgs  []notify.Message
	audit []registration.AuditEntry
}

// statements is the number of statements the rows take when sent alone.
func (r *submissionRows) statements() int { return 1 + len(r.msgs) + len(r.audit) }

// queue queues the rows one statement each, as a step alone sends them.
func (r *submissionRows) queue(b *pgx.Batch) {
	b.Queue(insertApplicationRow, applicationArgs(r.app, r.doc)...)
	for _, m := range r.msgs {
		b.Queue(insertMessageRow, messageArgs(m)...)
	}
	for _, e := range r.audit {
		b.Queue(insertAudit, auditArgs(e)...)
	}
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

// The inserts of a group's rows: one statement per table, the rows given
// column by column as arrays, without ON CONFLICT, so that a refused row
// fails the statement. The applications and messages are unnested in the
// select list, which walks the arrays in step without copying the rows
// (2 KB documents, message texts) into a function scan's store first.
// Each array is read through a subquery, (SELECT $1::text[]): the planner
// then cannot count a call's rows, estimates every call alike and keeps
// the statement's generic plan, where it would plan every call anew for
// the rows it counts.
const (
	insertApplicationRows = `INSERT INTO applications
(id, family_id, year, child_key, idempotency_key, status, submitted_at, kita_ids, doc, version)
SELECT unnest((SELECT $1::text[])), unnest((SELECT $2::text[])), unnest((SELECT $3::text[])),
	unnest((SELECT $4::text[])), unnest((SELECT $5::text[])), unnest((SELECT $6::text[])),
	unnest((SELECT $7::timestamptz[])), unnest((SELECT $8::text[]))::text[], unnest((SELECT $9::text[]))::json, 1`

	insertMessageRows = `INSERT INTO messages (` + messageColumns + `)
SELECT unnest((SELECT $1::text[])), unnest((SELECT $2::text[])), unnest((SELECT $3::text[])),
	unnest((SELECT $4::text[])), unnest((SELECT $5::text[])), unnest((SELECT $6::text[])),
	unnest((SELECT $7::text[])), unnest((SELECT $8::text[])), unnest((SELECT $9::text[])),
	unnest((SELECT $10::text[])), unnest((SELECT $11::integer[])), unnest((SELECT $12::timestamptz[])),
	unnest((SELECT $13::timestamptz[])), unnest((SELECT $14::timestamptz[])), unnest((SELECT $15::text[])),
	unnest((SELECT $16::timestamptz[])), unnest((SELECT $17::text[]))`

	// The entries are numbered (seq) in the order of the group.
	insertAuditRows = `INSERT INTO audit (at, actor, action, application_id, family_id, reason)
SELECT at, actor, action, application_id, family_id, reason
FROM unnest((SELECT $1::timestamptz[]), (SELECT $2::text[]), (SELECT $3::text[]), (SELECT $4::text[]),
	(SELECT $5::text[]), (SELECT $6::text[])) WITH ORDINALITY AS e(at, actor, action, application_id, family_id, reason, n)
ORDER BY n`
)

// queueGroupRows queues the rows of every submission of group in one
// INSERT per table and returns the number of statements queued. In one
// batch they are one implicit transaction: a refused row fails them all.
func queueGroupRows(b *pgx.Batch, group []*member) int {
	var (
		apps  []*submissionRows
		msgs  []notify.Message
		audit []registration.AuditEntry
	)
	for _, m := range group {
		for _, r := range m.rows {
			apps = append(apps, r)
			msgs = append(msgs, r.msgs...)
			audit = append(audit, r.audit...)
		}
	}
	n := len(b.QueuedQueries)
	if len(apps) > 0 {
		b.Queue(insertApplicationRows, applicationArrays(apps)...)
	}
	if len(msgs) > 0 {
		b.Queue(insertMessageRows, messageArrays(msgs)...)
	}
	if len(audit) > 0 {
		b.Queue(insertAuditRows, auditArrays(audit)...)
	}
	return len(b.QueuedQueries) - n
}

// applicationArrays returns the arguments of insertApplicationRows.
func applicationArrays(rows []*submissionRows) []any {
	n := len(rows)
	text := func() []string { return make([]string, 0, n) }
	id, family, year, child, key, status, kitas := text(), text(), text(), text(), text(), text(), text()
	submitted := make([]time.Time, 0, n)
	docs := make([][]byte, 0, n)
	for _, r := range rows {
		a := r.app
		id, family, year, child = append(id, a.ID), append(family, a.FamilyID), append(year, a.Year), append(child, a.ChildKey)
		key, status = append(key, a.IdempotencyKey), append(status, a.Status().String())
		submitted, kitas, docs = append(submitted, a.SubmittedAt), append(kitas, arrayLiteral(kitaIDs(a))), append(docs, r.doc)
	}
	return []any{id, family, year, child, key, status, submitted, kitas, docs}
}

// arrayLiteral writes ids as the text of a PostgreSQL array, every
// element quoted.
func arrayLiteral(ids []string) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('"')
		for _, c := range []byte(id) {
			if c == '"' || c == '\\' {
				sb.WriteByte('\\')
			}
			sb.WriteByte(c)
		}
		sb.WriteByte('"')
	}
	sb.WriteByte('}')
	return sb.String()
}

// auditArrays returns the fields of entries column by column, in the
// order of insertAudit.
func auditArrays(entries []registration.AuditEntry) []any {
	n := len(entries)
	text := func() []string { return make([]string, 0, n) }
	actor, action, app, family, reason := text(), text(), text(), text(), text()
	at := make([]time.Time, 0, n)
	for _, e := range entries {
		at, actor, action = append(at, e.At), append(actor, e.Actor), append(action, e.Action)
		app, family, reason = append(app, e.ApplicationID), append(family, e.FamilyID), append(reason, e.Reason)
	}
	return []any{at, actor, action, app, family, reason}
}
