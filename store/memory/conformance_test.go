package memory_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/store/storetest"
)

// TestConformance runs the whole storage conformance suite against the
// in-memory adapter, with the three ports as views of one store.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores { return stores(memory.New()) })
}

// TestConformanceSized runs the suite against a store sized for a few
// applications, which the suite's cases fill and go beyond.
func TestConformanceSized(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Stores {
		s, err := memory.NewSized(4)
		require.NoError(t, err)
		return stores(s)
	})
}

func stores(s *memory.Store) storetest.Stores {
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
}

func TestNewSizedRefusesASizeOutOfRange(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
	}{
		{"fewer than no applications", -1},
		{"more than a store is sized for", memory.MaxApplications + 1},
	} {
		t.Run("it refuses "+tc.name, func(t *testing.T) {
			s, err := memory.NewSized(tc.n)
			require.ErrorIs(t, err, memory.ErrSize)
			require.Nil(t, s)
		})
	}
}
