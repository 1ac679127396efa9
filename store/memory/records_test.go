package memory_test

import (
	"context"
	"errors"
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
	out := []string{}
	for _, m := range msgs {
		out = append(out, m.ID)
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
