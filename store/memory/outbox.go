package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/kitaportal/kitaportal/notify"
)

// outboxData is the outbox part of the store: every message by id.
// notify.Message holds only values, so a struct copy is a deep copy.
type outboxData struct {
	msgs map[string]notify.Message
}

func newOutboxData() outboxData {
	return outboxData{msgs: map[string]notify.Message{}}
}

// enqueue stores copies of msgs within the atomic step t. Each message must
// pass notify.Message.ValidateNew (valid, Pending, untried) and have an id that is neither
// stored already nor repeated in msgs (notify.ErrExists). The first problem
// fails the whole step, so the caller's other writes are undone too.
func (t *tx) enqueue(msgs ...notify.Message) error {
	for _, m := range msgs {
		if err := m.ValidateNew(); err != nil {
			return err
		}
		if _, ok := t.d.outbox.msgs[m.ID]; ok {
			return notify.ErrExists
		}
		setKey(t, t.d.outbox.msgs, m.ID, m)
	}
	return nil
}

// Outbox returns the view of s that implements notify.Outbox.
func (s *Store) Outbox() notify.Outbox { return outbox{s} }

type outbox struct{ s *Store }

var _ notify.Outbox = outbox{}

// Enqueue stores msgs in one atomic step of their own; services enqueue
// inside their own atomic step instead, through tx.enqueue.
func (o outbox) Enqueue(ctx context.Context, msgs ...notify.Message) error {
	return o.s.write(ctx, func(t *tx) error { return t.enqueue(msgs...) })
}

// Claim leases up to limit due messages to token, oldest first (by
// CreatedAt, then ID).
func (o outbox) Claim(ctx context.Context, token string, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	if token == "" || lease <= 0 {
		return nil, notify.ErrClaim
	}
	var out []notify.Message
	err := o.s.write(ctx, func(t *tx) error {
		if limit <= 0 {
			return nil
		}
		var due []notify.Message
		for _, m := range t.d.outbox.msgs {
			if m.Status == notify.Pending && !m.NextAttempt.After(now) && !m.ClaimedUntil.After(now) {
				due = append(due, m)
			}
		}
		slices.SortFunc(due, byAge)
		if len(due) > limit {
			due = due[:limit]
		}
		for _, m := range due {
			m.ClaimedUntil = now.Add(lease)
			m.ClaimToken = token
			setKey(t, t.d.outbox.msgs, m.ID, m)
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Complete records the outcome fields of m (Status, Attempts, NextAttempt,
// SentAt, LastError) and ends the lease; the other fields of the stored
// message stay as they were.
func (o outbox) Complete(ctx context.Context, token string, m notify.Message) error {
	return o.s.write(ctx, func(t *tx) error {
		cur, ok := t.d.outbox.msgs[m.ID]
		if !ok {
			return notify.ErrNotFound
		}
		if token == "" || cur.ClaimToken != token || cur.Status != notify.Pending {
			return notify.ErrNotClaimed
		}
		if !m.Status.Valid() {
			return notify.ErrMessage
		}
		cur.Status = m.Status
		cur.Attempts = m.Attempts
		cur.NextAttempt = m.NextAttempt
		cur.SentAt = m.SentAt
		cur.LastError = m.LastError
		cur.ClaimedUntil = time.Time{}
		cur.ClaimToken = ""
		setKey(t, t.d.outbox.msgs, cur.ID, cur)
		return nil
	})
}

// Message returns a copy of the message id.
func (o outbox) Message(ctx context.Context, id string) (notify.Message, error) {
	var out notify.Message
	err := o.s.read(ctx, func(d *data) error {
		m, ok := d.outbox.msgs[id]
		if !ok {
			return notify.ErrNotFound
		}
		out = m
		return nil
	})
	return out, err
}

// Messages returns copies of the messages about subjectID, oldest first.
func (o outbox) Messages(ctx context.Context, subjectID string) ([]notify.Message, error) {
	var out []notify.Message
	err := o.s.read(ctx, func(d *data) error {
		for _, m := range d.outbox.msgs {
			if m.Subject == subjectID {
				out = append(out, m)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, byAge)
	return out, nil
}

func byAge(a, b notify.Message) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
