package storetest

import (
	"testing"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Stores are the ports of one backend under test.
type Stores struct {
	Registrations registration.Store
	Tagespflege   tagespflege.Store
	Outbox        notify.Outbox
	// Unit is the whole backend as the application layer's unit of work.
	Unit app.Store
	// Reopen returns a second handle on the same backend, as a restarted
	// or second instance of the portal would open it.
	Reopen func(t *testing.T) app.Store
	// Dump returns the text of everything the backend stores (every table
	// or structure), for the erasure test to search.
	Dump func(t *testing.T) string
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
	t.Run("UnitOfWork", func(t *testing.T) { RunUnitOfWork(t, newStores) })
	t.Run("Keys", func(t *testing.T) { RunKeys(t, newStores) })
	t.Run("Erasure", func(t *testing.T) { RunErasure(t, newStores) })
	t.Run("Drafts", func(t *testing.T) { RunDrafts(t, newStores) })
	t.Run("Pools", func(t *testing.T) { RunPools(t, newStores) })
}
