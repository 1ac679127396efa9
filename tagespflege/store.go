package tagespflege

import "context"

// Store is the store port of the tagespflege [Service]: referrals, minders
// and Großtagespflege groups, and an atomic step over all of them.
//
// Every Update checks the Version of the record it is given against the
// stored one and stores the record with Version+1; a stale version yields
// ErrConflict, an unknown id ErrNotFound. Create yields ErrExists on a
// taken id. Values are copied in and out: a caller never shares slices with
// the store. Methods return ctx.Err() when the context is done.
type Store interface {
	ReferralStore

	// CreateMinder stores a new minder; ErrExists when the id is taken.
	CreateMinder(ctx context.Context, m Minder) error
	// Minder returns a copy of the minder; ErrNotFound when unknown.
	Minder(ctx context.Context, id string) (Minder, error)
	// UpdateMinder replaces the minder whose stored Version equals
	// m.Version and stores it with Version+1.
	UpdateMinder(ctx context.Context, m Minder) error
	// Minders lists a district's minders ("" for all) by id, with paging
	// (limit 0: all).
	Minders(ctx context.Context, district string, offset, limit int) ([]Minder, error)

	// CreateGroup stores a new Großtagespflege; ErrExists when the id is taken.
	CreateGroup(ctx context.Context, g Group) error
	// Group returns a copy of the group; ErrNotFound when unknown.
	Group(ctx context.Context, id string) (Group, error)
	// UpdateGroup replaces the group whose stored Version equals g.Version
	// and stores it with Version+1.
	UpdateGroup(ctx context.Context, g Group) error

	// Atomic runs fn with a Store bound to one transaction: all of fn's
	// writes are kept when it returns nil, none when it returns an error or
	// panics. Version checks inside fn still apply, so two steps that read
	// the same record cannot both update it. Atomic called on the tx
	// joins the running step.
	Atomic(ctx context.Context, fn func(tx Store) error) error
}
