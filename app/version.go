package app

import (
	"errors"

	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// CodeVersion is the code of [ErrVersion].
const CodeVersion problem.Code = "app.version_mismatch"

// ErrVersion: a change named the version it was made on ([IfVersion]) and
// the application is at another one (a conflict: it changed since the
// caller read it). Over HTTP it is the answer to a stale If-Match (412).
var ErrVersion = problem.NewSentinel(problem.Conflict, CodeVersion, "app: application changed since the version named")

// Option qualifies a call of the application layer: [IfVersion] a change
// of an application ([Registrations.ChangeChoices], Withdraw, Accept,
// Decline, Offer), [IdempotencyKey] a creating call.
type Option func(*options)

// IfVersion makes the change only on version v of the application, the
// version the caller read (an HTTP ETag): the version is compared inside
// the change's atomic step, so that of two changes made on the same
// version exactly one wins and the other fails with [ErrVersion]. A
// version below 1 can match no application and fails the same way.
func IfVersion(v int64) Option {
	return func(o *options) { o.version, o.set = v, true }
}

// options are the options of one call.
type options struct {
	version  int64
	set      bool
	key      string
	replayed *bool
	op       string
	parts    []any
}

func optionsOf(opts []Option) options {
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// check compares the version read in the step with the one named.
func (o options) check(read int64) error {
	if o.set && read != o.version {
		return ErrVersion
	}
	return nil
}

// lost turns a write that lost the race to a concurrent change
// (registration.ErrConflict) into ErrVersion when a version was named:
// the caller's version is no longer the application's.
func (o options) lost(err error) error {
	if o.set && errors.Is(err, registration.ErrConflict) {
		return errors.Join(ErrVersion, err)
	}
	return err
}
