package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// TestInsertSubmission checks the one-batch write of a submission: the
// application, its message and its audit entry are stored together; a
// taken id, a second active application of the child and a message id
// stored already are refused as Insert and Enqueue refuse them, and the
// failed step stores nothing.
func TestInsertSubmission(t *testing.T) {
	ctx := context.Background()
	s := newTestDB(t).store(t, 2).Registrations()
	write := func(a registration.Application, msgs ...notify.Message) error {
		return s.Atomic(ctx, func(tx registration.Tx) error {
			sw, ok := tx.(registration.SubmissionWriter)
			require.True(t, ok, "the step offers registration.SubmissionWriter")
			return sw.InsertSubmission(ctx, a, msgs, []registration.AuditEntry{{At: a.SubmittedAt, Actor: "guardian:g1", Action: registration.AuditSubmit, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "voranmeldung"}})
		})
	}
	first := benchApp(1)
	first.ChildKey = "child-1"
	require.NoError(t, write(first, benchMessage(first)))

	got, err := s.Application(ctx, first.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Version())
	assert.Equal(t, first.Reference, got.Reference)
	msgs, err := s.FamilyMessages(ctx, first.FamilyID)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, "msg-"+first.ID, msgs[0].ID)
	audit, err := s.Audit(ctx, registration.AuditQuery{ApplicationID: first.ID})
	require.NoError(t, err)
	require.Len(t, audit, 1)
	assert.Equal(t, registration.AuditSubmit, audit[0].Action)

	sameID := benchApp(2)
	sameID.ID = first.ID
	sameChild := benchApp(3)
	sameChild.FamilyID, sameChild.ChildKey = first.FamilyID, first.ChildKey
	sameMessage := benchApp(4)
	cases := []struct {
		name string
		a    registration.Application
		msg  notify.Message
		want error
	}{
		{"a taken id is ErrExists", sameID, benchMessage(benchApp(12)), registration.ErrExists},
		{"the child's second active application is ErrDuplicate", sameChild, benchMessage(benchApp(13)), registration.ErrDuplicate},
		{"a message id stored already is notify.ErrExists", sameMessage, benchMessage(first), notify.ErrExists},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, write(tc.a, tc.msg), tc.want)
			if tc.a.ID != first.ID {
				_, err := s.Application(ctx, tc.a.ID)
				require.ErrorIs(t, err, registration.ErrNotFound, "the failed step stored the application")
			}
			audit, err := s.Audit(ctx, registration.AuditQuery{FamilyID: tc.a.FamilyID})
			require.NoError(t, err)
			want := 0
			if tc.a.FamilyID == first.FamilyID {
				want = 1
			}
			assert.Len(t, audit, want, "audit entries of the family after the failed step")
		})
	}
}
