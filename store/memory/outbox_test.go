package memory_test

import (
	"context"
	"reflect"
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

// otherZones returns Europe/Berlin and a time parsed with a +05:30 offset
// (a location of its own), the zones besides UTC and Local that times
// kept as instants must read back in.
func otherZones(t *testing.T) (*time.Location, time.Time) {
	t.Helper()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	parsed, err := time.Parse(time.RFC3339Nano, "2026-11-25T10:00:00.123456789+05:30")
	require.NoError(t, err)
	return berlin, parsed
}

func TestMessagesReadBackAsEnqueuedInEitherForm(t *testing.T) {
	ctx := context.Background()
	berlin, parsed := otherZones(t)
	content, err := notify.DefaultTemplates().Content(notify.Confirmation, "de", notify.ConfirmationData{
		Reference: "BO-2027-000001", ChildName: "Jürgen Ößmann-Çelik",
		Kitas: []notify.KitaLine{{Rank: 1, Name: "Kita Sonnenschein", Address: "Hauptstraße 12, 44787 Bochum"}},
	})
	require.NoError(t, err)
	at := time.Date(2027, time.March, 1, 9, 0, 0, 5, berlin)
	msg := func(id string) notify.Message {
		return notify.Message{ID: id, Kind: notify.Confirmation, Subject: "app-" + id, FamilyID: "family-1",
			To: "eltern@example.org", ToName: "Ayşe Yılmaz", Lang: "de", Content: content,
			Status: notify.Pending, CreatedAt: at, NextAttempt: at.Add(time.Minute)}
	}
	tests := []struct {
		name    string
		change  func(m *notify.Message)
		compact bool
	}{
		{"a confirmation as it is enqueued is kept compact", func(*notify.Message) {}, true},
		{"times in UTC are kept compact", func(m *notify.Message) {
			m.CreatedAt, m.NextAttempt = at.UTC(), at.UTC()
		}, true},
		{"times in Local and a parsed offset are kept compact", func(m *notify.Message) {
			m.CreatedAt, m.NextAttempt = at.Local(), parsed
		}, true},
		{"times before 1678 and after 2262 are kept compact", func(m *notify.Message) {
			m.CreatedAt = time.Date(1600, time.January, 1, 0, 0, 0, 999, berlin)
			m.NextAttempt = time.Date(2500, time.December, 31, 23, 59, 59, 1, time.UTC)
		}, true},
		{"a zero next attempt and no family or name are kept compact", func(m *notify.Message) {
			m.NextAttempt, m.FamilyID, m.ToName = time.Time{}, "", ""
		}, true},
		{"a time with a monotonic clock reading is kept whole", func(m *notify.Message) {
			m.CreatedAt = time.Now()
		}, false},
		{"a message with its texts and no Content is kept whole", func(m *notify.Message) {
			m.Content, m.Title, m.Body = nil, "Eingangsbestätigung", "Guten Tag"
		}, false},
		{"a message leased at enqueue is kept whole", func(m *notify.Message) {
			m.ClaimedUntil = at.Add(time.Hour)
		}, false},
		{"a zero time in another location is kept whole", func(m *notify.Message) {
			m.SentAt = time.Time{}.In(berlin)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := memory.New()
			m := msg("m1")
			tt.change(&m)
			require.NoError(t, s.Outbox().Enqueue(ctx, m))
			want, err := m.Rendered()
			require.NoError(t, err)
			got, err := s.Outbox().Message(ctx, "m1")
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, tt.compact, memory.KeptCompact(s, "m1"), "the stored form")
			if m.FamilyID != "" {
				family, err := s.Registrations().FamilyMessages(ctx, m.FamilyID)
				require.NoError(t, err)
				assert.Equal(t, []notify.Message{want}, family)
			}
			about, err := s.Outbox().Messages(ctx, m.Subject)
			require.NoError(t, err)
			assert.Equal(t, []notify.Message{want}, about)

			// A claim and its completion change the stored message; the
			// store gives back what they wrote.
			now := time.Date(2600, time.January, 1, 0, 0, 0, 0, time.UTC)
			if m.ClaimedUntil.After(now) {
				return
			}
			claimed, err := s.Outbox().Claim(ctx, "tok", now, time.Minute, 10)
			require.NoError(t, err)
			require.Len(t, claimed, 1)
			want.ClaimToken, want.ClaimedUntil = "tok", now.Add(time.Minute)
			assert.Equal(t, want, claimed[0])
			got, err = s.Outbox().Message(ctx, "m1")
			require.NoError(t, err)
			assert.Equal(t, want, got)
			sent := want
			sent.Status, sent.Attempts, sent.SentAt = notify.Sent, 1, now.Add(time.Second)
			require.NoError(t, s.Outbox().Complete(ctx, "tok", sent))
			sent.ClaimToken, sent.ClaimedUntil = "", time.Time{}
			got, err = s.Outbox().Message(ctx, "m1")
			require.NoError(t, err)
			assert.Equal(t, sent, got)
		})
	}
}

func TestAStoredMessageFitsAMapSlot(t *testing.T) {
	// A map keeps a value of up to 128 bytes in its own slots; a larger
	// one in an object of its own per entry.
	assert.LessOrEqual(t, memory.StoredMessageSize, uintptr(128))
}

// TestTheCompactFormAccountsForEveryFieldOfAMessage fails when
// notify.Message gains a field: the compact form (message.go) keeps the
// fields it stores and checks that the others are empty before it takes a
// message, so a new field must be added to one of the two, or a message
// carrying it would read back without it.
func TestTheCompactFormAccountsForEveryFieldOfAMessage(t *testing.T) {
	accounted := []string{
		// the map's key
		"ID",
		// kept by the compact form
		"Kind", "Subject", "FamilyID", "To", "ToName", "Lang", "Content", "CreatedAt", "NextAttempt",
		// checked to be as the compact form gives them back (compact)
		"Title", "Body", "Status", "Attempts", "ClaimedUntil", "ClaimToken", "SentAt", "LastError",
	}
	var fields []string
	for f := range reflect.TypeFor[notify.Message]().Fields() {
		fields = append(fields, f.Name)
	}
	assert.ElementsMatch(t, accounted, fields)
}
