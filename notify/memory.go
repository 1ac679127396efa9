package notify

import (
	"context"
	"fmt"
	"sync"
)

// MemoryTransport is a [Transport] that keeps every delivered message in
// memory, for tests, examples and demos. It can simulate an outage
// (every Send fails with [ErrTransport]) and reject addresses for good
// ([ErrPermanent]). The zero value is ready to use and it is safe for
// concurrent use.
type MemoryTransport struct {
	mu       sync.Mutex
	sent     []Message
	down     bool
	rejected map[string]bool
}

// NewMemoryTransport returns an empty, working transport.
func NewMemoryTransport() *MemoryTransport { return &MemoryTransport{} }

// Send records a copy of m, or fails while the transport is down or the
// address is rejected.
func (t *MemoryTransport) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.down {
		return fmt.Errorf("%w: memory transport is down", ErrTransport)
	}
	if t.rejected[m.To] {
		return fmt.Errorf("%w: memory transport rejects the recipient", ErrPermanent)
	}
	t.sent = append(t.sent, m)
	return nil
}

// SetDown switches the simulated outage on (every Send fails with
// ErrTransport) or off.
func (t *MemoryTransport) SetDown(down bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.down = down
}

// Reject makes every later Send to address fail with ErrPermanent.
func (t *MemoryTransport) Reject(address string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.rejected == nil {
		t.rejected = map[string]bool{}
	}
	t.rejected[address] = true
}

// Sent returns copies of the delivered messages in delivery order.
func (t *MemoryTransport) Sent() []Message {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Message, len(t.sent))
	copy(out, t.sent)
	return out
}

// Deliveries returns how often each message id was delivered.
func (t *MemoryTransport) Deliveries() map[string]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]int, len(t.sent))
	for _, m := range t.sent {
		out[m.ID]++
	}
	return out
}
