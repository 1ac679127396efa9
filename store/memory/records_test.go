package memory_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
)

// An application's record lists the messages about it; messages about an
// id enqueued before the application is stored are listed in the
// outbox's index by subject until then. These tests check that the two
// lists read as one, through a failing step too.

var errStop = errors.New("the step stops here")

func subjectMessage(id string, at time.Time) notify.Message {
	return notify.Message{ID: id, Kind: notify.Confirmation, Subject: "app-1", FamilyID: "family-1", To: "eltern@example.org",
		Lang: "de", Title: "Eingangsbestätigung", Body: "Guten Tag", Status: notify.Pending, CreatedAt: at, NextAttempt: at}
}

func messageIDs(t *testing.T, s *memory.Store, subject string) []string {
	t.Helper()
	msgs, err := s.Outbox().Messages(context.Background(), subject)
	require.NoError(t, err)
	return idsOf(msgs, func(m notify.Message) string { return m.ID })
}

// idsOf returns the ids of items in their order (none: an empty list).
func idsOf[T any](items []T, id func(T) string) []string {
	out := []string{}
	for _, x := range items {
		out = append(out, id(x))
	}
	return out
}

func TestMessagesEnqueuedBeforeTheirApplicationStayListed(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)
	app := registration.Application{ID: "app-1", FamilyID: "family-1", Year: "2027/2028", ChildKey: "child-1"}
	s := memory.New()
	require.NoError(t, s.Outbox().Enqueue(ctx, subjectMessage("m1", t0)))

	err := s.Registrations().Atomic(ctx, func(tx registration.Tx) error {
		require.NoError(t, tx.Insert(ctx, app))
		require.NoError(t, tx.Enqueue(ctx, subjectMessage("m2", t0.Add(time.Second))))
		return errStop
	})
	require.ErrorIs(t, err, errStop)
	assert.Equal(t, []string{"m1"}, messageIDs(t, s, "app-1"), "a failing step leaves the earlier message listed alone")
	_, err = s.Registrations().Application(ctx, "app-1")
	require.ErrorIs(t, err, registration.ErrNotFound)

	require.NoError(t, s.Registrations().Atomic(ctx, func(tx registration.Tx) error {
		if err := tx.Insert(ctx, app); err != nil {
			return err
		}
		return tx.Enqueue(ctx, subjectMessage("m2", t0.Add(time.Second)))
	}))
	assert.Equal(t, []string{"m1", "m2"}, messageIDs(t, s, "app-1"), "the message from before and the one after")
	require.NoError(t, s.Outbox().Enqueue(ctx, subjectMessage("m3", t0.Add(2*time.Second))))
	assert.Equal(t, []string{"m1", "m2", "m3"}, messageIDs(t, s, "app-1"))

	err = s.Registrations().Atomic(ctx, func(tx registration.Tx) error {
		n, err := tx.EraseSubjectMessages(ctx, "app-1")
		require.NoError(t, err)
		assert.Equal(t, 3, n)
		return errStop
	})
	require.ErrorIs(t, err, errStop)
	assert.Equal(t, []string{"m1", "m2", "m3"}, messageIDs(t, s, "app-1"), "a failing erasure erases nothing")

	require.NoError(t, s.Registrations().Atomic(ctx, func(tx registration.Tx) error {
		_, err := tx.EraseSubjectMessages(ctx, "app-1")
		return err
	}))
	assert.Empty(t, messageIDs(t, s, "app-1"))
	_, err = s.Outbox().Message(ctx, "m2")
	require.ErrorIs(t, err, notify.ErrNotFound)
}

func childApplications(t *testing.T, s *memory.Store, childKey string) []string {
	t.Helper()
	apps, err := s.Registrations().Applications(context.Background(), registration.Query{ChildKey: childKey, Year: "2027/2028"})
	require.NoError(t, err)
	return idsOf(apps, func(a registration.Application) string { return a.ID })
}

// A child's applications of a Kita year in several families are listed
// in one index entry, the first in the entry itself: these checks add to
// it, undo an addition and move applications out of it and back.
func TestAChildsApplicationsStayListedThroughChanges(t *testing.T) {
	ctx := context.Background()
	s := memory.New()
	regs := s.Registrations()
	at := time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)
	app := func(i int) registration.Application {
		return registration.Application{ID: fmt.Sprint("app-", i), FamilyID: fmt.Sprint("family-", i), Year: "2027/2028", ChildKey: "child-1", SubmittedAt: at.Add(time.Duration(i) * time.Second)}
	}
	for i := 1; i <= 3; i++ {
		require.NoError(t, regs.Atomic(ctx, func(tx registration.Tx) error { return tx.Insert(ctx, app(i)) }))
	}
	err := regs.Atomic(ctx, func(tx registration.Tx) error {
		require.NoError(t, tx.Insert(ctx, app(4)))
		return errStop
	})
	require.ErrorIs(t, err, errStop)
	assert.Equal(t, []string{"app-1", "app-2", "app-3"}, childApplications(t, s, "child-1"), "a failing step leaves the list as it was")

	moved := func(id, childKey string) {
		a, err := regs.Application(ctx, id)
		require.NoError(t, err)
		a.ChildKey = childKey
		require.NoError(t, regs.Atomic(ctx, func(tx registration.Tx) error { return tx.Update(ctx, a) }))
	}
	moved("app-2", "child-2")
	assert.Equal(t, []string{"app-1", "app-3"}, childApplications(t, s, "child-1"))
	assert.Equal(t, []string{"app-2"}, childApplications(t, s, "child-2"))
	moved("app-1", "child-2")
	assert.Equal(t, []string{"app-3"}, childApplications(t, s, "child-1"))
	assert.Equal(t, []string{"app-1", "app-2"}, childApplications(t, s, "child-2"), "listed by submission")
	moved("app-3", "child-2")
	assert.Empty(t, childApplications(t, s, "child-1"))
	assert.Equal(t, []string{"app-1", "app-2", "app-3"}, childApplications(t, s, "child-2"))
	require.NoError(t, regs.Atomic(ctx, func(tx registration.Tx) error { return tx.Insert(ctx, app(4)) }))
	assert.Equal(t, []string{"app-4"}, childApplications(t, s, "child-1"))
}
