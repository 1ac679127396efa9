package postgres

import "sync"

// maxGroup is the most callers one group (of commits or reads) carries.
const maxGroup = 64

// turns lets one caller at a time send for a group (the leader): the
// callers that come while a leader sends wait, and when it is done the
// next of them leads and sends for all that waited, up to maxGroup. The
// committer and the readGroup take their turns here.
type turns[T any] struct {
	mu      sync.Mutex
	waiting []*waiter[T]
	leading bool
}

type waiter[T any] struct {
	item T
	done chan struct{} // closed when sent by a leader, or when this one leads
	lead bool
}

// take returns the group that x leads, x first, or nil once a leader sent
// x with its group. A caller that leads calls done when it has sent.
func (g *turns[T]) take(x T) []*waiter[T] {
	w := &waiter[T]{item: x, done: make(chan struct{})}
	g.mu.Lock()
	if g.leading {
		g.waiting = append(g.waiting, w)
		g.mu.Unlock()
		<-w.done
		if !w.lead {
			return nil
		}
		g.mu.Lock()
	}
	g.leading = true
	n := min(len(g.waiting), maxGroup-1)
	group := append([]*waiter[T]{w}, g.waiting[:n]...)
	g.waiting = g.waiting[n:]
	g.mu.Unlock()
	return group
}

// done hands the turn to the next waiting caller and releases the others
// of group, whose outcomes the leader has set.
func (g *turns[T]) done(group []*waiter[T]) {
	g.mu.Lock()
	if len(g.waiting) > 0 {
		next := g.waiting[0]
		g.waiting = g.waiting[1:]
		next.lead = true
		close(next.done)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	for _, o := range group[1:] {
		close(o.done)
	}
}

// items returns the items of group.
func items[T any](group []*waiter[T]) []T {
	out := make([]T, len(group))
	for i, w := range group {
		out[i] = w.item
	}
	return out
}
