package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/problem"
)

// KeyRecord is what a store keeps of a creating call made with an
// idempotency key: who used the key (Scope, the actor's principal), the
// operation, a fingerprint of the request (a SHA-256 digest: no input
// value is kept) and the id of what the call created.
type KeyRecord struct {
	Scope       string
	Key         string
	Operation   string
	Fingerprint string
	ResultID    string
	At          time.Time
}

// Keys is the port that keeps idempotency keys inside a step, so that the
// key and what its call created are stored together or not at all, on
// every instance.
type Keys interface {
	// Key returns the record of scope's key; ErrNoKey when none.
	Key(ctx context.Context, scope, key string) (KeyRecord, error)
	// PutKey stores r; ErrKeyExists when scope's key is stored already.
	PutKey(ctx context.Context, r KeyRecord) error
}

// KeyTx is a [Tx] that keeps idempotency keys (an optional interface:
// store/memory and store/postgres implement it). A keyed call on a store
// whose steps do not fails with ErrNoKeys.
type KeyTx interface {
	Keys() Keys
}

// Errors of idempotency keys.
var (
	// ErrNoKey: the key was not used before (the Keys port).
	ErrNoKey = problem.NewSentinel(problem.NotFound, "app.key_unknown", "app: idempotency key not stored")
	// ErrKeyExists: the key is stored already (the Keys port).
	ErrKeyExists = problem.NewSentinel(problem.Exists, "app.key_exists", "app: idempotency key stored already")
	// ErrKeyReused: the key was used before for another request (another
	// operation or other input); nothing is done.
	ErrKeyReused = problem.NewSentinel(problem.Invalid, CodeKeyReused, "app: idempotency key used for another request")
	// ErrNoKeys: the store keeps no idempotency keys, so a keyed call
	// cannot be made.
	ErrNoKeys = errors.New("app: the store keeps no idempotency keys")
)

// CodeKeyReused is the code of [ErrKeyReused].
const CodeKeyReused problem.Code = "app.idempotency_key_reused"

// IdempotencyKey makes a creating call (Registrations.Offer,
// Referrals.AddMinder, Referrals.Place, Contracts.Generate) at most once
// per key and actor:
// the same key with the same request returns the first call's result and
// sets *replayed (when not nil); the same key with another request fails
// with [ErrKeyReused]. The key is stored in the call's atomic step, with
// what it created. An empty key is no key.
func IdempotencyKey(key string, replayed *bool) Option {
	return func(o *options) { o.key, o.replayed = key, replayed }
}

// request names the operation and request a keyed call fingerprints.
func request(op string, parts ...any) Option {
	return func(o *options) { o.op, o.parts = op, parts }
}

// keyed is the key of one call, ready to look up and store.
type keyed struct {
	rec      KeyRecord
	replayed *bool
}

// keyOf returns the call's key (nil without one), its id checked.
func (o options) keyOf(actor access.Actor) (*keyed, error) {
	if o.key == "" {
		return nil, nil
	}
	var c problem.Collector
	checkID(&c, "idempotency_key", o.key, false)
	if err := c.Err(); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(append([]any{o.op}, o.parts...))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	return &keyed{rec: KeyRecord{Scope: actor.String(), Key: o.key, Operation: o.op, Fingerprint: hex.EncodeToString(sum[:])}, replayed: o.replayed}, nil
}

// lookup returns the id the key's first call created (ok), ErrKeyReused
// when the key named another request, or nothing when it is new.
func (k *keyed) lookup(ctx context.Context, step Tx) (id string, ok bool, err error) {
	prev, ok, err := k.record(ctx, step)
	return prev.ResultID, ok, err
}

// record returns the key's stored record (ok), ErrKeyReused when the key
// named another request, or nothing when it is new.
func (k *keyed) record(ctx context.Context, step Tx) (KeyRecord, bool, error) {
	if k == nil {
		return KeyRecord{}, false, nil
	}
	keys, err := keysOf(step)
	if err != nil {
		return KeyRecord{}, false, err
	}
	prev, err := keys.Key(ctx, k.rec.Scope, k.rec.Key)
	switch {
	case errors.Is(err, ErrNoKey):
		return KeyRecord{}, false, nil
	case err != nil:
		return KeyRecord{}, false, err
	case prev.Operation != k.rec.Operation || prev.Fingerprint != k.rec.Fingerprint:
		return KeyRecord{}, false, ErrKeyReused
	}
	return prev, true, nil
}

// keep stores the key with the id its call created, in the call's step.
func (k *keyed) keep(ctx context.Context, step Tx, resultID string, now time.Time) error {
	if k == nil {
		return nil
	}
	keys, err := keysOf(step)
	if err != nil {
		return err
	}
	rec := k.rec
	rec.ResultID, rec.At = resultID, now
	return keys.PutKey(ctx, rec)
}

// mark tells the caller that the result was replayed.
func (k *keyed) mark() {
	if k != nil && k.replayed != nil {
		*k.replayed = true
	}
}

// keysOf returns the step's Keys, or ErrNoKeys.
func keysOf(step Tx) (Keys, error) {
	kt, ok := step.(KeyTx)
	if !ok {
		return nil, ErrNoKeys
	}
	return kt.Keys(), nil
}

// keyedStep runs fn as one step with the call's key (nil: none): when the
// key was used before, replay reads the first call's result by the id it
// created instead (and the caller hears it was replayed); otherwise fn
// runs and the id it returns is stored with the key in the same step.
func (a *App) keyedStep(ctx context.Context, key *keyed, replay func(tx Tx, id string) error, fn func(tx Tx) (string, error)) error {
	var replayed bool
	err := a.atomicKeyed(ctx, key, func(tx Tx) error {
		prev, ok, err := key.lookup(ctx, tx)
		if replayed = ok; err != nil {
			return err
		}
		if ok {
			return replay(tx, prev)
		}
		id, err := fn(tx)
		if err != nil {
			return err
		}
		return key.keep(ctx, tx, id, a.clock().UTC())
	})
	if err == nil && replayed {
		key.mark()
	}
	return err
}

// atomicKeyed runs a keyed step. When a concurrent call with the same key
// got there first, the step fails on what that call stored: the key itself
// (ErrKeyExists) or what the call created (an id that exists, a version
// that moved). The step then runs once more and, the other call being
// committed by then, finds the key and replays its result; a real
// conflict fails the same way again and is returned.
func (a *App) atomicKeyed(ctx context.Context, k *keyed, fn func(step Tx) error) error {
	err := a.store.Atomic(ctx, fn)
	if k != nil && err != nil {
		if kind := problem.KindOf(err); errors.Is(err, ErrKeyExists) || kind == problem.Exists || kind == problem.Conflict {
			err = a.store.Atomic(ctx, fn)
		}
	}
	return err
}
