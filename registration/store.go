package registration

import (
	"context"
	"time"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Store is the storage port of the Voranmeldung. Adapters in
// store/memory and store/postgres implement it and pass store/storetest.
//
// Atomic runs fn as one transaction: either every write of fn is stored or
// none. fn must use only tx, never the Store itself, and may be run again
// by an adapter after a serialization failure, so it must not have other
// side effects.
type Store interface {
	Atomic(ctx context.Context, fn func(tx Tx) error) error
	// Application returns one application (ErrNotFound).
	Application(ctx context.Context, id string) (Application, error)
	// ApplicationByKey finds a family's application by idempotency key (ErrNotFound).
	ApplicationByKey(ctx context.Context, familyID, key string) (Application, error)
	// Applications lists applications matching q, ordered by SubmittedAt, then ID.
	Applications(ctx context.Context, q Query) ([]Application, error)
	// SetPlaces sets the capacity of places (keeps what is taken).
	SetPlaces(ctx context.Context, places ...Places) error
	// Places lists the places of a Kita year, ordered by Kita id, band,
	// hours and month.
	Places(ctx context.Context, year string) ([]Places, error)
	// AppendAudit appends to the audit trail (append-only).
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit lists audit entries matching q, oldest first (At, then Seq).
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	// FamilyMessages lists the outbox messages of a family, oldest first.
	FamilyMessages(ctx context.Context, familyID string) ([]notify.Message, error)
}

// Query selects applications. Empty fields select all.
type Query struct {
	FamilyID string
	Year     string
	// KitaIDs selects applications that chose any of these Kitas.
	KitaIDs  []string
	Statuses []Status
	// ChildKey selects the applications of one child.
	ChildKey string
	Offset   int
	Limit    int
}

// Tx is the write side of one atomic step: every repository a step of
// the Voranmeldung writes, all in the same transaction. It is the sum of
// the small ports below, one per concern; a step (or a helper of one) that
// needs a single concern asks for that port only, and an adapter
// implements every port once, on one transaction type.
type Tx interface {
	Applications
	Ledger
	Referrals
	Outbox
	AuditTrail
}

// Applications is the applications port of a step: read, insert and
// update applications, and number them.
type Applications interface {
	// Application reads one application (ErrNotFound).
	Application(ctx context.Context, id string) (Application, error)
	// ApplicationByKey finds a family's application by idempotency key
	// (ErrNotFound).
	ApplicationByKey(ctx context.Context, familyID, key string) (Application, error)
	// Applications lists applications matching q, ordered by SubmittedAt,
	// then ID.
	Applications(ctx context.Context, q Query) ([]Application, error)
	// Insert stores a new application with Version 1. ErrExists for a taken
	// id; ErrDuplicate when the family already used the idempotency key or
	// an active (not withdrawn or expired) application of the same child
	// (ChildKey) for the same Kita year exists.
	Insert(ctx context.Context, a Application) error
	// Update stores a, which must carry the version it was read with; the
	// stored version becomes a.Version+1. ErrConflict when stale.
	Update(ctx context.Context, a Application) error
	// NextSequence returns the next number of a named counter (1, 2, ...),
	// the source of the applications' references.
	NextSequence(ctx context.Context, name string) (int64, error)
}

// Ledger is the place ledger of a step: how many places each Kita has per
// Kita year and age band, and how many of them offers and accepted places
// take.
type Ledger interface {
	// SetPlaces sets the capacity of places within the step, creating
	// those not yet known; what is taken stays taken. An offer syncs its
	// Kita's places from the catalogue this way in the step that takes
	// one, so that no step can take a place the catalogue no longer has.
	SetPlaces(ctx context.Context, places ...Places) error
	// TakePlace takes one place of a Kita, year and band; ErrNoPlace when
	// all are taken. The database decides, so two writers cannot both take
	// the last place.
	TakePlace(ctx context.Context, k PlaceKey) error
	// ReleasePlace gives a taken place back.
	ReleasePlace(ctx context.Context, k PlaceKey) error
}

// Referrals is the Kindertagespflege referrals port of a step: the
// referral an application asks for is created, and closed or anonymized,
// in the application's own step.
type Referrals interface {
	// CreateReferral stores a Kindertagespflege referral
	// (tagespflege.ErrExists for a taken id).
	CreateReferral(ctx context.Context, r tagespflege.Referral) error
	// Referral reads a referral (tagespflege.ErrNotFound).
	Referral(ctx context.Context, id string) (tagespflege.Referral, error)
	// UpdateReferral stores r, which must carry the version it was read
	// with (tagespflege.ErrConflict when stale).
	UpdateReferral(ctx context.Context, r tagespflege.Referral) error
}

// Outbox is the outbox port of a step: messages are queued in the step
// that causes them, and erased with the family they are about.
type Outbox interface {
	// Enqueue puts messages into the outbox. It must not keep the slice
	// msgs after the step ends: the caller may reuse it.
	Enqueue(ctx context.Context, msgs ...notify.Message) error
	// EraseFamilyMessages deletes every outbox message of a family (sent or
	// not) and returns how many.
	EraseFamilyMessages(ctx context.Context, familyID string) (int, error)
	// EraseSubjectMessages deletes every outbox message about the given
	// applications or referrals (sent or not) and returns how many.
	EraseSubjectMessages(ctx context.Context, subjectIDs ...string) (int, error)
}

// AuditTrail is the audit port of a step: every change appends its entry
// in the step that makes it.
type AuditTrail interface {
	// AppendAudit appends to the audit trail within the step
	// (append-only).
	AppendAudit(ctx context.Context, e AuditEntry) error
}

// AuditEntry is one line of the audit trail: who read or changed which
// application, when and why. It holds ids and codes only, never names.
type AuditEntry struct {
	// Seq orders entries with the same instant; the store assigns it.
	Seq           int64     `json:"seq"`
	At            time.Time `json:"at"`
	Actor         string    `json:"actor"`
	Action        string    `json:"action"`
	ApplicationID string    `json:"application_id,omitempty"`
	FamilyID      string    `json:"family_id,omitempty"`
	// Reason is a stable code ("family_request", "allocation", "retention").
	Reason string `json:"reason,omitempty"`
}

// AuditQuery selects audit entries; empty fields select all.
type AuditQuery struct {
	ApplicationID string
	FamilyID      string
	Actor         string
	Offset        int
	Limit         int
}

// PlaceKey names the places of one Kita, Kita year and age band, and, at
// a Kita whose places are split into pools (kita.Pool), of one pool: its
// weekly care hours and the month "YYYY-MM" from which they are free.
// Hours 0 and From "" are the band's places of a Kita without pools.
type PlaceKey struct {
	KitaID string     `json:"kita_id"`
	Year   string     `json:"year"`
	Band   kita.Band  `json:"band"`
	Hours  kita.Hours `json:"hours,omitempty"`
	From   string     `json:"from,omitempty"`
}

// Places are the places of one Kita, year and band, and how many are taken
// by offers and accepted places.
type Places struct {
	PlaceKey
	Capacity int `json:"capacity"`
	Taken    int `json:"taken"`
}

// Free returns the places not taken.
func (p Places) Free() int { return max(0, p.Capacity-p.Taken) }

// BatchReader is an optional capability of a [Tx]: reading many
// applications in one call, in the order of ids, leaving out unknown ids.
// A database adapter locks the rows it read until the step ends.
// Allocation rounds use it to read a batch of offers at once; a Tx without
// it is read one application at a time.
type BatchReader interface {
	ApplicationsByID(ctx context.Context, ids []string) ([]Application, error)
}
