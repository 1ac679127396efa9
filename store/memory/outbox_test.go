package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/store/memory"
)

// TestAMessageBeyondTheRenderBudgetIsNotHandedOut checks that a message
// whose Content a city's template cannot render within the budget is
// recorded Failed by the claim instead of blocking it, that the claim
// hands out the other due messages, and that reading it returns the
// template's problems.
func TestAMessageBeyondTheRenderBudgetIsNotHandedOut(t *testing.T) {
	ctx := context.Background()
	tpl, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{"de": {notify.Confirmation: {
		Subject: "Voranmeldung {{.Reference}}",
		Body:    "{{range .Kitas}}{{.Rank}}. {{.Name}}, {{.Address}}\n{{end}}",
	}}})
	require.NoError(t, err)
	data := notify.ConfirmationData{Reference: "BO-2027-000001", ChildName: "Jürgen Ößmann-Çelik"}
	for i := range 20000 {
		data.Kitas = append(data.Kitas, notify.KitaLine{Rank: i + 1, Name: "Kita Sonnenschein", Address: "Hauptstraße 12, 44787 Bochum"})
	}
	content, err := tpl.Content(notify.Confirmation, "de", data)
	require.NoError(t, err)
	t0 := time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC)
	msg := func(id string, at time.Time) notify.Message {
		return notify.Message{ID: id, Kind: notify.Confirmation, Subject: "app-" + id, FamilyID: "family-1", To: "eltern@example.org",
			Lang: "de", Status: notify.Pending, CreatedAt: at, NextAttempt: at}
	}
	bad := msg("bad", t0)
	bad.Content = content
	good := msg("good", t0.Add(time.Second))
	good.Title, good.Body = "Eingangsbestätigung", "Guten Tag"

	s := memory.New()
	require.NoError(t, s.Outbox().Enqueue(ctx, bad, good))
	claimed, err := s.Outbox().Claim(ctx, "tok", t0.Add(time.Minute), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	assert.Equal(t, "good", claimed[0].ID)
	assert.Equal(t, "tok", claimed[0].ClaimToken)

	_, err = s.Outbox().Message(ctx, "bad")
	require.ErrorIs(t, err, notify.ErrTemplate)
	_, err = s.Registrations().FamilyMessages(ctx, "family-1")
	require.ErrorIs(t, err, notify.ErrTemplate)
	status, lastError := memory.StatusOf(s, "bad")
	assert.Equal(t, notify.Failed, status)
	assert.Equal(t, notify.LastErrorTemplate, lastError)
	// The good message is still leased, the bad one not due.
	again, err := s.Outbox().Claim(ctx, "tok2", t0.Add(90*time.Second), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, again)
	assert.Contains(t, memory.Dump(t, s), "Ößmann-Çelik", "the dump shows what the message holds")
}
