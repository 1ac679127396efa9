package notify

import (
	"context"
	"errors"
	"time"

	"github.com/kitaportal/kitaportal/internal/enum"
)

// Sentinel errors of the notify package.
var (
	// ErrNotFound: no message with that id.
	ErrNotFound = errors.New("notify: message not found")
	// ErrNotClaimed: the message is not (or no longer) claimed by this
	// dispatcher; another one took it over after the lease ran out.
	ErrNotClaimed = errors.New("notify: message not claimed")
	// ErrTransport: the transport refused or could not reach the server; the
	// message stays in the outbox and is retried.
	ErrTransport = errors.New("notify: transport failed")
	// ErrPermanent: the transport rejected the message for good (for example
	// an invalid recipient); it is not retried.
	ErrPermanent = errors.New("notify: permanent delivery failure")
)

// Kind says what a message is about.
type Kind int

// The kinds of message.
const (
	// Confirmation (Eingangsbestätigung) confirms a Voranmeldung to the family.
	Confirmation Kind = iota + 1
	// Referral (Vermittlungsanfrage) hands a Kindertagespflege request to the
	// district's Fachberatung.
	Referral
	// Offer tells a family it has been offered a place.
	Offer
	// Withdrawal confirms that an application was withdrawn.
	Withdrawal
	// ContractReady tells a family that its care contract is ready.
	ContractReady
	// OfferReminder reminds a family of an unanswered offer a few days
	// before it lapses (Erinnerung).
	OfferReminder
)

var kindNames = [...]string{"", "confirmation", "referral", "offer", "withdrawal", "contract_ready", "offer_reminder"}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k >= Confirmation && k <= OfferReminder }

// String returns the kind's stable name.
func (k Kind) String() string {
	return enum.Name(kindNames[:], k)
}

// ParseKind reads a stable name.
func ParseKind(s string) (Kind, bool) {
	return enum.Parse[Kind](kindNames[:], s)
}

// Status is where a message stands in the outbox.
type Status int

// The outbox states.
const (
	// Pending: waiting for (another) delivery attempt.
	Pending Status = iota + 1
	// Sent: the transport accepted the message.
	Sent
	// Failed: the transport rejected it permanently, or it ran out of attempts.
	Failed
)

var statusNames = [...]string{"", "pending", "sent", "failed"}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s >= Pending && s <= Failed }

// String returns the status's stable name.
func (s Status) String() string {
	return enum.Name(statusNames[:], s)
}

// ParseStatus reads a stable name.
func ParseStatus(s string) (Status, bool) {
	return enum.Parse[Status](statusNames[:], s)
}

// Message is one e-mail in the outbox. It is written in the same atomic step
// as the change it reports, and delivered later by a [Dispatcher].
type Message struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Subject is the application or referral the message is about (its id),
	// for tracing and for erasure on request.
	Subject string `json:"subject_id"`
	// FamilyID is the family the message belongs to ("" for messages to offices).
	FamilyID string `json:"family_id,omitempty"`
	To       string `json:"to"`
	ToName   string `json:"to_name,omitempty"`
	Lang     string `json:"lang"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	// Content, when set, is what Title and Body are rendered from when
	// the message is read; both are empty until then (see [Content],
	// [Message.Rendered]). Stores hand out rendered messages only.
	Content *Content `json:"-"`

	Status      Status    `json:"status"`
	Attempts    int       `json:"attempts"`
	CreatedAt   time.Time `json:"created_at"`
	NextAttempt time.Time `json:"next_attempt"`
	// ClaimedUntil is when the current dispatcher's lease on the message ends.
	ClaimedUntil time.Time `json:"claimed_until"`
	// ClaimToken identifies the dispatcher run that holds the lease.
	ClaimToken string    `json:"claim_token,omitempty"`
	SentAt     time.Time `json:"sent_at"`
	// LastError is a stable code of the last failure (never a server's text,
	// which may quote the address).
	LastError string `json:"last_error,omitempty"`
}

// Outbox is the store port of the dispatcher: a persistent queue of
// messages. Enqueue runs inside the writer's transaction (see the store
// adapters' Atomic); the other methods run on their own.
//
// Claim must hand each due message to one claimant at a time: a message is
// due when it is Pending, its NextAttempt has come and no live lease holds
// it. The lease (ClaimedUntil) lets another dispatcher take over a message
// whose dispatcher crashed.
//
// The contract every adapter passes (store/storetest.RunOutbox):
//   - Enqueue stores copies, all or nothing; each message must pass
//     [Message.ValidateNew] (else a problem.List), and an id already
//     stored or repeated fails with [ErrExists].
//   - Claim hands out due messages oldest first (CreatedAt, then ID), sets
//     ClaimedUntil = now+lease and ClaimToken = token, and returns copies;
//     an empty token or a non-positive lease fails with [ErrClaim].
//   - Complete stores only the outcome (Status, Attempts, NextAttempt,
//     SentAt, LastError) and clears the lease; [ErrNotClaimed] when another
//     token took the message over or it is no longer Pending, [ErrNotFound]
//     for an unknown id.
//   - Message and Messages return copies; [ErrNotFound] for an unknown id;
//     Messages lists oldest first.
//   - Every method returns ctx.Err() when ctx is done.
type Outbox interface {
	Enqueue(ctx context.Context, msgs ...Message) error
	Claim(ctx context.Context, token string, now time.Time, lease time.Duration, limit int) ([]Message, error)
	// Complete records the outcome of a claimed message (Sent, or Pending
	// with a new NextAttempt, or Failed); ErrNotClaimed when the token no
	// longer holds the lease.
	Complete(ctx context.Context, token string, m Message) error
	// Message returns one message by id.
	Message(ctx context.Context, id string) (Message, error)
	// Messages lists messages about a subject (an application or referral).
	Messages(ctx context.Context, subjectID string) ([]Message, error)
}

// Transport delivers one message (SMTP, or in memory for tests). An error
// that wraps [ErrPermanent] is not retried; every other error is.
type Transport interface {
	Send(ctx context.Context, m Message) error
}
