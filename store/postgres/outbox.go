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
	return o.s.atomic(ctx, func(tx pgx.Tx) error { return enqueue(ctx, tx, msgs) })
}

// enqueue validates every message, refuses an id repeated in msgs and
// inserts them; an id stored already is notify.ErrExists. Within the
// caller's step the failure undoes the step's other writes too.
func enqueue(ctx context.Context, q querier, msgs []notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkNew(msgs); err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	// All inserts go to the server in one round trip.
	var b pgx.Batch
	queueMessages(&b, msgs)
	br := q.SendBatch(ctx, &b)
	first := readMessages(ctx, br, len(msgs))
	if err := br.Close(); err != nil && first == nil {
		first = wrap(ctx, "enqueue", err)
	}
	return first
}

// checkNew validates every message and refuses an id repeated in msgs.
func checkNew(msgs []notify.Message) error {
	seen := make(map[string]bool, len(msgs))
	for _, m := range msgs {
		if err := m.ValidateNew(); err != nil {
			return err
		}
		if seen[m.ID] {
			return notify.ErrExists
		}
		seen[m.ID] = true
	}
	return nil
}

// queueMessages queues the inserts of msgs; an id stored already inserts
// nothing, which readMessages reports.
func queueMessages(b *pgx.Batch, msgs []notify.Message) {
	for _, m := range msgs {
		b.Queue(`INSERT INTO messages (`+messageColumns+`)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
ON CONFLICT (id) DO NOTHING`,
			m.ID, m.Kind.String(), m.Subject, m.FamilyID, m.To, m.ToName, m.Lang, m.Title, m.Body,
			m.Status.String(), m.Attempts, m.CreatedAt, m.NextAttempt, m.ClaimedUntil, m.ClaimToken,
			m.SentAt, m.LastError)
	}
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
