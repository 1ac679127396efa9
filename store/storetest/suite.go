// Package storetest is the conformance suite every store adapter of
// kitaportal must pass. It uses only the standard testing package, so an
// adapter author needs nothing else:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Stores {
//			s := memory.New()
//			return storetest.Stores{Registrations: s.Registrations(), ...}
//		})
//	}
//
// Each call of the factory must return empty stores that share one backend,
// so that atomic steps across ports can be observed.
package storetest

import (
	"testing"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Stores are the ports of one backend under test.
type Stores struct {
	Registrations registration.Store
	Tagespflege   tagespflege.Store
	Outbox        notify.Outbox
}

// Factory returns fresh, empty stores of the adapter under test.
type Factory func(t *testing.T) Stores

// Run runs the whole suite.
func Run(t *testing.T, newStores Factory) {
	t.Run("Registrations", func(t *testing.T) { RunRegistrations(t, newStores) })
	t.Run("Outbox", func(t *testing.T) { RunOutbox(t, newStores) })
	t.Run("Tagespflege", func(t *testing.T) { RunTagespflege(t, newStores) })
	t.Run("Privacy", func(t *testing.T) { RunPrivacy(t, newStores) })
}
