// Package fakeoutbox is a minimal in-memory notify.Outbox for the tests of
// notify and notify/smtp, which must not depend on the store adapters. The
// reference implementation is store/memory; this one follows the same
// contract in fewer lines.
package fakeoutbox

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/kitaportal/kitaportal/notify"
)

// Outbox is a notify.Outbox in memory, safe for concurrent use.
type Outbox struct {
	mu   sync.Mutex
	msgs map[string]notify.Message
}

// New returns an empty outbox.
func New() *Outbox { return &Outbox{msgs: map[string]notify.Message{}} }

// Enqueue stores copies of msgs, rendered, all or nothing.
func (o *Outbox) Enqueue(ctx context.Context, msgs ...notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	seen := map[string]bool{}
	for _, m := range msgs {
		if err := m.ValidateNew(); err != nil {
			return err
		}
		if _, ok := o.msgs[m.ID]; ok || seen[m.ID] {
			return notify.ErrExists
		}
		seen[m.ID] = true
	}
	msgs, err := notify.RenderAll(msgs) // the texts are kept, as a database does
	if err != nil {
		return err
	}
	for _, m := range msgs {
		o.msgs[m.ID] = m
	}
	return nil
}

// Claim leases up to limit due messages, oldest first.
func (o *Outbox) Claim(ctx context.Context, token string, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if token == "" || lease <= 0 {
		return nil, notify.ErrClaim
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var due []notify.Message
	for _, m := range o.msgs {
		if m.Status == notify.Pending && !m.NextAttempt.After(now) && !m.ClaimedUntil.After(now) {
			due = append(due, m)
		}
	}
	slices.SortFunc(due, func(a, b notify.Message) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	due = due[:min(len(due), max(limit, 0))]
	for i := range due {
		due[i].ClaimedUntil, due[i].ClaimToken = now.Add(lease), token
		o.msgs[due[i].ID] = due[i]
	}
	return due, nil
}

// Complete records the outcome of a claimed message.
func (o *Outbox) Complete(ctx context.Context, token string, m notify.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	cur, ok := o.msgs[m.ID]
	if !ok {
		return notify.ErrNotFound
	}
	if token == "" || cur.ClaimToken != token || cur.Status != notify.Pending {
		return notify.ErrNotClaimed
	}
	cur.Status, cur.Attempts, cur.NextAttempt, cur.SentAt, cur.LastError = m.Status, m.Attempts, m.NextAttempt, m.SentAt, m.LastError
	cur.ClaimedUntil, cur.ClaimToken = time.Time{}, ""
	o.msgs[m.ID] = cur
	return nil
}

// Message returns a copy of one message.
func (o *Outbox) Message(ctx context.Context, id string) (notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return notify.Message{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	m, ok := o.msgs[id]
	if !ok {
		return notify.Message{}, notify.ErrNotFound
	}
	return m, nil
}

// Messages lists the messages about subjectID, oldest first.
func (o *Outbox) Messages(ctx context.Context, subjectID string) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []notify.Message
	for _, m := range o.msgs {
		if m.Subject == subjectID {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b notify.Message) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}
