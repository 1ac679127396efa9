package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// readGroup sends the plain reads of concurrent callers together: a
// submission's idempotency-key lookup and its step's two reads, which run
// outside any transaction. One caller at a time sends (the leader); the
// callers that read meanwhile wait, and the next leader sends all their
// statements in one batch on its own connection, in one round trip. Each
// statement reads its own snapshot (READ COMMITTED), so a read in a group
// sees what it would see alone. A caller alone reads as it would without
// the group. When a group fails (the leader's context ends, a statement
// fails), the callers whose reads did not complete read again alone, with
// their own context: reads change nothing, so reading again is safe.
// The store keeps one group for the lookups that run on the pool and one
// for the reads of steps, each on its step's connection: a leader taking
// a connection from the pool must not wait for steps that hold the
// pool's connections and wait for it.
type readGroup struct{ turns turns[*readItem] }

// readItem is one caller's reads.
type readItem struct {
	queries []*pgx.QueuedQuery
	// read reads the results of queries from a batch; an error means the
	// batch failed (the item reads again alone), not an answer.
	read func(br pgx.BatchResults) error
	// alone reads on the caller's own connection; its error is the answer.
	alone func() error
	read1 bool // read by a group
}

// run reads it alone or in a group, sending the group on q.
func (g *readGroup) run(ctx context.Context, q querier, it *readItem) error {
	group := g.turns.take(it)
	if group == nil {
		return it.outcome()
	}
	var err error
	if len(group) == 1 {
		err = it.alone()
		it.read1 = true
	} else {
		sendReads(ctx, q, items(group))
	}
	g.turns.done(group)
	if len(group) == 1 {
		return err
	}
	return it.outcome()
}

// outcome is nil for an item a group read; an item the group did not
// read reads alone.
func (it *readItem) outcome() error {
	if it.read1 {
		return nil
	}
	return it.alone()
}

// sendReads sends the statements of group in one batch and lets each item
// read its results, until the first that fails: it and the items after it
// read alone.
func sendReads(ctx context.Context, q querier, group []*readItem) {
	b := &pgx.Batch{}
	for _, it := range group {
		// Copies: pgx keeps a statement's description on its queued
		// query, valid on one connection only.
		for _, qq := range it.queries {
			b.Queue(qq.SQL, qq.Arguments...)
		}
	}
	br := q.SendBatch(ctx, b)
	defer func() { _ = br.Close() }()
	for _, it := range group {
		if it.read(br) != nil {
			return
		}
		it.read1 = true
	}
}
