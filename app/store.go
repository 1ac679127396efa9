package app

import (
	"context"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Store is the storage an [App] runs on: one unit of work over every
// repository a use case needs. store/memory and store/postgres implement
// it and pass store/storetest.
// NumberDrawer is an optional capability of a [Store]: it draws the next
// number of a named counter in a transaction of its own, before the step
// that uses it. A number drawn is never given back: a step that fails
// after drawing leaves a gap, and no lock is held while the step runs, so
// steps that each need a number run side by side. Submit draws reference
// numbers this way where the store offers it (store/postgres does);
// without it, the number comes from the step's own counter
// (registration.Applications.NextSequence), gapless but one step at a time.
type NumberDrawer interface {
	DrawNumber(ctx context.Context, name string) (int64, error)
}

type Store interface {
	// Atomic runs fn as one transaction: every write fn makes through tx
	// is kept when fn returns nil, none when it returns an error or
	// panics. fn may be run again after a serialization failure, so it
	// must have no other side effects. fn must use only tx, never the
	// Store: calling Store.Atomic inside fn is not supported (use
	// [Tx.Atomic] for a nested step).
	Atomic(ctx context.Context, fn func(tx Tx) error) error
	// Registrations is the read side of applications, place ledger and
	// audit trail outside a step (and the registration service's port).
	Registrations() registration.Store
	// Tagespflege is the read side of referrals and minders outside a step.
	Tagespflege() tagespflege.Store
	// Outbox is the outbox the dispatcher delivers.
	Outbox() notify.Outbox
}

// Tx hands out the repositories of one atomic step; all of them write into
// the same transaction.
type Tx interface {
	// Applications are the applications, the place ledger, the referrals,
	// the outbox and the audit trail of the Voranmeldung, every port of
	// [registration.Tx] at once.
	Applications() registration.Tx
	// Ledger is the place ledger alone, for a step that only syncs, takes
	// or gives back places (the same transaction as Applications).
	Ledger() registration.Ledger
	// Outbox is the outbox alone (Enqueue and the erase calls), for a step
	// that only queues or erases messages.
	Outbox() registration.Outbox
	// Audit is the audit trail alone, for a step that only records what it
	// did.
	Audit() registration.AuditTrail
	// Tagespflege are the referrals, minders and Großtagespflege groups.
	Tagespflege() tagespflege.Store
	// Catalogue holds the carriers' edits of their Kitas.
	Catalogue() CatalogueEdits
	// Drafts are the allocation rounds' dry runs.
	Drafts() Drafts
	// Atomic runs fn as a nested step inside this one (a savepoint): when
	// fn fails, only its own writes are undone and the outer step goes on;
	// when fn succeeds, its writes are kept or undone with the outer step.
	Atomic(ctx context.Context, fn func(tx Tx) error) error
}

// CatalogueEdits persists [kita.Edits], one record per Kita.
type CatalogueEdits interface {
	// Edits returns the stored edits of a Kita; ErrNoEdits when none.
	Edits(ctx context.Context, kitaID string) (kita.Edits, error)
	// PutEdits stores e when the stored version equals e.Version (0: none
	// stored yet); the stored version becomes e.Version+1. ErrEditConflict
	// when stale.
	PutEdits(ctx context.Context, e kita.Edits) error
	// AllEdits lists every stored record, ordered by Kita id.
	AllEdits(ctx context.Context) ([]kita.Edits, error)
}

// Errors of the [CatalogueEdits] port.
var (
	// ErrNoEdits: no edits are stored for that Kita.
	ErrNoEdits = problem.NewSentinel(problem.NotFound, "app.no_edits", "app: no catalogue edits stored")
	// ErrEditConflict: the Kita's edits changed since they were read.
	ErrEditConflict = problem.NewSentinel(problem.Conflict, "app.edit_conflict", "app: catalogue edits changed meanwhile")
)
