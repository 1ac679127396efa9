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
	t.Run("Lifecycle", func(t *testing.T) { RunLifecycle(t, newStores) })
}
