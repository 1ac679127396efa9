package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/notify"
)

// Outbox returns the view of s that implements notify.Outbox.
func (s *Store) Outbox() notify.Outbox { return outbox{s} }

type outbox struct{ s *Store }

var _ notify.Outbox = outbox{}

// messageColumns are the columns of a message, in the order scanMessage reads them.
const messageColumns = `id, kind, subject_id, family_id, to_addr, to_name, lang, title, body,
status, attempts, created_at, next_attempt, claimed_until, claim_token, sent_at, last_error`

// Enqueue stores msgs in one transaction of their own; services enqueue
// inside their own atomic step instead (registration.Tx.Enqueue).
func (o outbox) Enqueue(ctx context.Context, msgs ...notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return o.s.atomic(ctx, func(tx txn) error { return enqueue(ctx, tx, msgs) })
}

// enqueue validates every message, refuses an id repeated in msgs and
// inserts them; an id stored already is notify.ErrExists. Within the
// caller's step the failure undoes the step's other writes too.
func enqueue(ctx context.Context, q querier, msgs []notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msgs, err := checkNew(msgs)
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	if len(msgs) == 1 {
		// A single message takes the plain insert, which sends no arrays.
		var b pgx.Batch
		queueMessages(&b, msgs)
		br := q.SendBatch(ctx, &b)
		first := readMessages(ctx, br, 1)
		if err := br.Close(); err != nil && first == nil {
			first = wrap(ctx, "enqueue", err)
		}
		return first
	}
	// One statement inserts them all: a round's thousands of offers
	// queue their messages at once.
	tag, err := q.Exec(ctx, insertMessages, messageArrays(msgs)...)
	if err != nil {
		return wrap(ctx, "enqueue", err)
	}
	if tag.RowsAffected() != int64(len(msgs)) {
		return notify.ErrExists
	}
	return nil
}

// insertMessages inserts messages given column by column (messageArrays),
// in their order; an id stored already inserts nothing.
const insertMessages = `INSERT INTO messages (` + messageColumns + `)
SELECT ` + messageColumns + ` FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
	$7::text[], $8::text[], $9::text[], $10::text[], $11::integer[], $12::timestamptz[], $13::timestamptz[],
	$14::timestamptz[], $15::text[], $16::timestamptz[], $17::text[])
	WITH ORDINALITY AS m(` + messageColumns + `, n)
ORDER BY n
ON CONFLICT (id) DO NOTHING`

// messageArrays returns the fields of msgs column by column, in the order
// of messageColumns.
func messageArrays(msgs []notify.Message) []any {
	n := len(msgs)
	text := func() []string { return make([]string, 0, n) }
	times := func() []time.Time { return make([]time.Time, 0, n) }
	id, kind, subject, family, to, toName, lang, title, body := text(), text(), text(), text(), text(), text(), text(), text(), text()
	status, token, lastErr := text(), text(), text()
	attempts := make([]int32, 0, n)
	created, next, claimed, sent := times(), times(), times(), times()
	for _, m := range msgs {
		id, kind, subject, family = append(id, m.ID), append(kind, m.Kind.String()), append(subject, m.Subject), append(family, m.FamilyID)
		to, toName, lang = append(to, m.To), append(toName, m.ToName), append(lang, m.Lang)
		title, body, status = append(title, m.Title), append(body, m.Body), append(status, m.Status.String())
		attempts = append(attempts, int32(m.Attempts))
		created, next, claimed = append(created, m.CreatedAt), append(next, m.NextAttempt), append(claimed, m.ClaimedUntil)
		token, sent, lastErr = append(token, m.ClaimToken), append(sent, m.SentAt), append(lastErr, m.LastError)
	}
	return []any{id, kind, subject, family, to, toName, lang, title, body, status, attempts, created, next, claimed, token, sent, lastErr}
}

// checkNew validates every message, refuses an id repeated in msgs and
// returns them rendered (notify.RenderAll): the table keeps texts.
func checkNew(msgs []notify.Message) ([]notify.Message, error) {
	seen := make(map[string]bool, len(msgs))
	for _, m := range msgs {
		if err := m.ValidateNew(); err != nil {
			return nil, err
		}
		if seen[m.ID] {
			return nil, notify.ErrExists
		}
		seen[m.ID] = true
	}
	return notify.RenderAll(msgs)
}

// queueMessages queues the inserts of msgs; an id stored already inserts
// nothing, which readMessages reports.
func queueMessages(b *pgx.Batch, msgs []notify.Message) {
	for _, m := range msgs {
		b.Queue(insertMessage, messageArgs(m)...)
	}
}

// insertMessage inserts one message (messageArgs); an id stored already
// inserts nothing.
const insertMessage = insertMessageRow + `
ON CONFLICT (id) DO NOTHING`

// insertMessageRow inserts one message (messageArgs); an id stored already
// fails the statement.
const insertMessageRow = `INSERT INTO messages (` + messageColumns + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`

// messageArgs returns the fields of m in the order of messageColumns.
func messageArgs(m notify.Message) []any {
	return []any{m.ID, m.Kind.String(), m.Subject, m.FamilyID, m.To, m.ToName, m.Lang, m.Title, m.Body,
		m.Status.String(), m.Attempts, m.CreatedAt, m.NextAttempt, m.ClaimedUntil, m.ClaimToken,
		m.SentAt, m.LastError}
}

// readMessages reads the results of n queued message inserts: the first
// error, notify.ErrExists for an id stored already.
func readMessages(ctx context.Context, br pgx.BatchResults, n int) error {
	var first error
	for range n {
		tag, err := br.Exec()
		switch {
		case err != nil && first == nil:
			first = wrap(ctx, "enqueue", err)
		case err == nil && tag.RowsAffected() == 0 && first == nil:
			first = notify.ErrExists
		}
	}
	return first
}

// Claim leases up to limit due messages to token, oldest first (by
// CreatedAt, then ID). FOR UPDATE SKIP LOCKED lets concurrent dispatchers
// take disjoint batches without waiting for each other.
func (o outbox) Claim(ctx context.Context, token string, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if token == "" || lease <= 0 {
		return nil, notify.ErrClaim
	}
	if limit <= 0 {
		return nil, nil
	}
	out, err := queryMessages(ctx, o.s.pool, "claim", `UPDATE messages SET claimed_until = $2, claim_token = $3
WHERE id IN (
	SELECT id FROM messages
	WHERE status = 'pending' AND next_attempt <= $1 AND claimed_until <= $1
	ORDER BY created_at, id LIMIT $4
	FOR UPDATE SKIP LOCKED)
RETURNING `+messageColumns, now, now.Add(lease), token, limit)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b notify.Message) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Complete records the outcome fields of m (Status, Attempts, NextAttempt,
// SentAt, LastError) and ends the lease, if token still holds the message
// and it is pending; the other columns stay as they were.
func (o outbox) Complete(ctx context.Context, token string, m notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if token != "" && m.Status.Valid() {
		tag, err := o.s.pool.Exec(ctx, `UPDATE messages SET status = $3, attempts = $4, next_attempt = $5,
sent_at = $6, last_error = $7, claimed_until = $8, claim_token = ''
WHERE id = $1 AND claim_token = $2 AND status = 'pending'`,
			m.ID, token, m.Status.String(), m.Attempts, m.NextAttempt, m.SentAt, m.LastError, time.Time{})
		if err != nil {
			return wrap(ctx, "complete", err)
		}
		if tag.RowsAffected() == 1 {
			return nil
		}
	}
	// Nothing changed: find out why, in the order of the in-memory adapter.
	var (
		claimToken, status string
	)
	err := o.s.pool.QueryRow(ctx, `SELECT claim_token, status FROM messages WHERE id = $1`, m.ID).Scan(&claimToken, &status)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return notify.ErrNotFound
	case err != nil:
		return wrap(ctx, "complete", err)
	case token == "" || claimToken != token || status != notify.Pending.String():
		return notify.ErrNotClaimed
	case !m.Status.Valid():
		return notify.ErrMessage
	}
	// Claimed by token and pending, yet not updated: changed meanwhile.
	return notify.ErrNotClaimed
}

// Message returns the message id.
func (o outbox) Message(ctx context.Context, id string) (notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return notify.Message{}, err
	}
	out, err := queryMessages(ctx, o.s.pool, "message", `SELECT `+messageColumns+` FROM messages WHERE id = $1`, id)
	if err != nil {
		return notify.Message{}, err
	}
	if len(out) == 0 {
		return notify.Message{}, notify.ErrNotFound
	}
	return out[0], nil
}

// Messages lists the messages about subjectID, oldest first.
func (o outbox) Messages(ctx context.Context, subjectID string) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return queryMessages(ctx, o.s.pool, "messages",
		`SELECT `+messageColumns+` FROM messages WHERE subject_id = $1 ORDER BY created_at, id`, subjectID)
}

// queryMessages runs a query returning messageColumns.
func queryMessages(ctx context.Context, q querier, op, sql string, args ...any) ([]notify.Message, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, wrap(ctx, op, err)
	}
	defer rows.Close()
	var out []notify.Message
	for rows.Next() {
		var (
			m            notify.Message
			kind, status string
		)
		err := rows.Scan(&m.ID, &kind, &m.Subject, &m.FamilyID, &m.To, &m.ToName, &m.Lang, &m.Title, &m.Body,
			&status, &m.Attempts, &m.CreatedAt, &m.NextAttempt, &m.ClaimedUntil, &m.ClaimToken, &m.SentAt, &m.LastError)
		if err != nil {
			return nil, wrap(ctx, op, err)
		}
		m.Kind, _ = notify.ParseKind(kind)
		m.Status, _ = notify.ParseStatus(status)
		m.CreatedAt, m.NextAttempt = utc(m.CreatedAt), utc(m.NextAttempt)
		m.ClaimedUntil, m.SentAt = utc(m.ClaimedUntil), utc(m.SentAt)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, op, err)
	}
	return out, nil
}
