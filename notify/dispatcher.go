package notify

import (
	"context"
	"errors"
	"hash/fnv"
	"io"
	"log/slog"
	"math"
	"strconv"
	"time"
)

// Stable codes a [Dispatcher] records in [Message.LastError].
const (
	// LastErrorUnavailable: the transport could not reach the server or the
	// server refused for now (wraps [ErrTransport]).
	LastErrorUnavailable = "transport.unavailable"
	// LastErrorPermanent: the transport rejected the message for good
	// (wraps [ErrPermanent]).
	LastErrorPermanent = "transport.permanent"
	// LastErrorTimeout: the send did not finish in time.
	LastErrorTimeout = "transport.timeout"
	// LastErrorUnknown: any other transport error.
	LastErrorUnknown = "transport.error"
	// LastErrorTemplate: the message's texts could not be rendered from its
	// [Content] (a city template beyond the render budget); an outbox that
	// renders when it hands a message out records it Failed with this code
	// instead of sending it.
	LastErrorTemplate = "template.render"
)

// ErrorCode maps a transport error to the stable code stored in
// [Message.LastError]; it never returns the error's text.
func ErrorCode(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrPermanent):
		return LastErrorPermanent
	case errors.Is(err, context.DeadlineExceeded):
		return LastErrorTimeout
	case errors.Is(err, ErrTransport):
		return LastErrorUnavailable
	}
	return LastErrorUnknown
}

// Backoff is an exponential retry policy: the n-th failed attempt waits
// Initial·2^(n-1), at most Max, shortened by up to Jitter (a fraction
// between 0 and 1) so that messages that failed together do not retry
// together. The jitter is derived from the message id, so a test sees the
// same delays every run.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	Jitter  float64
}

// DefaultBackoff retries after 1, 2, 4 ... minutes, at most every 6 hours,
// with up to 20 % jitter.
var DefaultBackoff = Backoff{Initial: time.Minute, Max: 6 * time.Hour, Jitter: 0.2}

// Delay returns how long the message id waits after its attempt-th failure
// (attempt counts from 1).
func (b Backoff) Delay(id string, attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := b.Max
	if exp := float64(b.Initial) * math.Pow(2, float64(attempt-1)); exp < float64(b.Max) {
		d = time.Duration(exp)
	}
	j := min(max(b.Jitter, 0), 1)
	if j == 0 || d <= 0 {
		return d
	}
	h := fnv.New64a()
	_, _ = io.WriteString(h, id)
	_, _ = io.WriteString(h, "#"+strconv.Itoa(attempt))
	frac := float64(h.Sum64()>>11) / (1 << 53) // in [0, 1)
	return d - time.Duration(float64(d)*j*frac)
}

// DispatcherOptions configure a [Dispatcher]. Zero or negative values take
// the documented defaults.
type DispatcherOptions struct {
	// Clock tells the time; default time.Now. Tests inject a fixed clock.
	Clock func() time.Time
	// Lease is how long a claim holds a message before another dispatcher
	// may take it over; default 5 minutes. It must exceed SendTimeout.
	Lease time.Duration
	// SendTimeout bounds one Transport.Send; default 1 minute.
	SendTimeout time.Duration
	// Batch is how many messages one RunOnce claims; default 50.
	Batch int
	// MaxAttempts is how often a message is tried before it is Failed;
	// default 10.
	MaxAttempts int
	// Backoff spaces the retries; default [DefaultBackoff].
	Backoff Backoff
	// Logger receives one line per outcome with the message id, kind,
	// attempt and error code, never an address, name or text; default
	// discards.
	Logger *slog.Logger
	// NewToken draws a claim token per run; default a UUIDv7.
	NewToken func() string
}

// Report counts the outcomes of one [Dispatcher.RunOnce].
type Report struct {
	// Sent messages were accepted by the transport.
	Sent int
	// Retried messages failed for now and wait for their next attempt.
	Retried int
	// Failed messages were rejected for good or ran out of attempts.
	Failed int
	// Lost messages were claimed but not completed: the lease ran short
	// before sending, the context ended, or another dispatcher took the
	// message over. They are retried once the lease ends.
	Lost int
}

// Dispatcher delivers the messages of an [Outbox] through a [Transport].
//
// Delivery is at least once: a message is claimed under a lease, sent, and
// completed. A message completed as Sent is never claimed again, and the
// dispatcher does not start a send when less than SendTimeout of its lease
// is left, so another dispatcher cannot take a message over while it is
// being sent. What remains is the window between the server accepting a
// message and Complete recording it: a crash there sends the message again
// once the lease ends. The dispatcher keeps that window to one store write
// (Complete runs even if ctx was cancelled meanwhile), and the transport
// sends the message id as the e-mail Message-ID, so receivers that
// deduplicate by Message-ID see the message once.
//
// A Dispatcher is safe for concurrent use; several dispatchers (in one
// process or many) may share an outbox.
type Dispatcher struct {
	outbox    Outbox
	transport Transport
	opts      DispatcherOptions
}

// NewDispatcher returns a dispatcher from outbox to transport.
func NewDispatcher(outbox Outbox, transport Transport, opts DispatcherOptions) *Dispatcher {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.SendTimeout <= 0 {
		opts.SendTimeout = time.Minute
	}
	if opts.Lease <= opts.SendTimeout {
		opts.Lease = max(5*time.Minute, 2*opts.SendTimeout)
	}
	if opts.Batch <= 0 {
		opts.Batch = 50
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	if opts.Backoff.Initial <= 0 || opts.Backoff.Max <= 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.NewToken == nil {
		opts.NewToken = NewID
	}
	return &Dispatcher{outbox: outbox, transport: transport, opts: opts}
}

// completeTimeout bounds the Complete that follows a send.
const completeTimeout = 10 * time.Second

// RunOnce claims the due messages (at most Batch), sends each and records
// the outcome: Sent; Pending with the next attempt after the backoff; or
// Failed when the transport rejected the message for good or it ran out of
// attempts. It returns an error only when the outbox fails or ctx ends;
// transport errors are outcomes, counted in the report.
func (d *Dispatcher) RunOnce(ctx context.Context) (Report, error) {
	var r Report
	token := d.opts.NewToken()
	msgs, err := d.outbox.Claim(ctx, token, d.opts.Clock().UTC(), d.opts.Lease, d.opts.Batch)
	if err != nil {
		return r, err
	}
	log := d.opts.Logger
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			r.Lost += len(msgs) - i
			return r, err
		}
		if m.Status != Pending {
			// An outbox must not hand out a finished message; never send it.
			r.Lost++
			continue
		}
		if !d.opts.Clock().Add(d.opts.SendTimeout).Before(m.ClaimedUntil) {
			r.Lost++
			log.WarnContext(ctx, "notify: lease too short to send", "id", m.ID, "kind", m.Kind.String())
			continue
		}
		sendCtx, cancel := context.WithTimeout(ctx, d.opts.SendTimeout)
		sendErr := d.transport.Send(sendCtx, m)
		cancel()

		now := d.opts.Clock().UTC()
		m.Attempts++
		m.LastError = ErrorCode(sendErr)
		switch {
		case sendErr == nil:
			m.Status, m.SentAt = Sent, now
		case errors.Is(sendErr, ErrPermanent) || m.Attempts >= d.opts.MaxAttempts:
			m.Status = Failed
		case ctx.Err() != nil:
			// Cancelled mid-send: not the message's fault. Leave it claimed;
			// it is tried again when the lease ends.
			r.Lost += len(msgs) - i
			return r, ctx.Err()
		default:
			m.Status, m.NextAttempt = Pending, now.Add(d.opts.Backoff.Delay(m.ID, m.Attempts))
		}

		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), completeTimeout)
		err := d.outbox.Complete(cctx, token, m)
		cancel()
		attrs := []any{"id", m.ID, "kind", m.Kind.String(), "attempt", m.Attempts, "status", m.Status.String()}
		if m.LastError != "" {
			attrs = append(attrs, "error", m.LastError)
		}
		switch {
		case errors.Is(err, ErrNotClaimed):
			r.Lost++
			log.WarnContext(ctx, "notify: lease lost before completion", attrs...)
			continue
		case err != nil:
			r.Lost += len(msgs) - i
			return r, err
		}
		switch m.Status {
		case Sent:
			r.Sent++
			log.InfoContext(ctx, "notify: message sent", attrs...)
		case Failed:
			r.Failed++
			log.ErrorContext(ctx, "notify: message failed", attrs...)
		default:
			r.Retried++
			log.WarnContext(ctx, "notify: message will be retried", append(attrs, "next_attempt", m.NextAttempt)...)
		}
	}
	return r, nil
}

// Run calls RunOnce every interval until ctx is done, and at once again
// while batches come back full. Errors of a run are logged (without
// personal data) and the next run tries again. It returns ctx's error.
func (d *Dispatcher) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		r, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.opts.Logger.ErrorContext(ctx, "notify: dispatcher run failed", "error", err.Error())
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil && r.Sent+r.Retried+r.Failed+r.Lost >= d.opts.Batch {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
