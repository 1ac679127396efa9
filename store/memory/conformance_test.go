package memory_test

import (
	"testing"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/store/storetest"
)

// TestConformance runs the whole storage conformance suite against the
// in-memory adapter, with the three ports as views of one store.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		s := memory.New()
		return storetest.Stores{
			Registrations: s.Registrations(),
			Tagespflege:   s.Tagespflege(),
			Outbox:        s.Outbox(),
			Unit:          s,
			// The in-memory store lives as long as the process: a second
			// instance in the process shares it.
			Reopen: func(*testing.T) app.Store { return s },
			Dump:   func(t *testing.T) string { return memory.Dump(t, s) },
		}
	})
}
