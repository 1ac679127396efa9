package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/notify/internal/fakeoutbox"
	"github.com/kitaportal/kitaportal/problem"
)

var t0 = time.Date(2021, time.February, 1, 9, 0, 0, 0, time.UTC)

func message(id string) notify.Message {
	return notify.Message{
		ID: id, Kind: notify.Confirmation, Subject: "app-1", To: "anna.schaefer@example.org", ToName: "Anna Schäfer",
		Lang: "de", Title: "Eingangsbestätigung", Body: "Geheimer Text über Mia", Status: notify.Pending,
		CreatedAt: t0, NextAttempt: t0,
	}
}

func TestBackoff(t *testing.T) {
	b := notify.Backoff{Initial: time.Minute, Max: time.Hour, Jitter: 0.2}
	tests := []struct {
		attempt  int
		min, max time.Duration
	}{
		{1, 48 * time.Second, time.Minute},
		{2, 96 * time.Second, 2 * time.Minute},
		{6, 1536 * time.Second, 32 * time.Minute},
		{7, 48 * time.Minute, time.Hour},
		{500, 48 * time.Minute, time.Hour},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("attempt %d waits between %v and %v, the same every time", tc.attempt, tc.min, tc.max), func(t *testing.T) {
			d := b.Delay("msg-1", tc.attempt)
			assert.GreaterOrEqual(t, d, tc.min)
			assert.LessOrEqual(t, d, tc.max)
			assert.Equal(t, d, b.Delay("msg-1", tc.attempt))
		})
	}
	t.Run("messages that failed together retry apart", func(t *testing.T) {
		assert.NotEqual(t, b.Delay("msg-1", 3), b.Delay("msg-2", 3))
	})
	t.Run("without jitter the delay is exact", func(t *testing.T) {
		assert.Equal(t, 4*time.Minute, notify.Backoff{Initial: time.Minute, Max: time.Hour}.Delay("x", 3))
	})
}

func TestRunOnce(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		setup       func(*notify.MemoryTransport)
		attempts    int // attempts before this run
		wantStatus  notify.Status
		wantError   string
		wantReport  notify.Report
		wantDeliver int
	}{
		{"a working transport sends the message", nil, 0, notify.Sent, "", notify.Report{Sent: 1}, 1},
		{"an outage keeps the message pending for a retry", func(m *notify.MemoryTransport) { m.SetDown(true) }, 0, notify.Pending, notify.LastErrorUnavailable, notify.Report{Retried: 1}, 0},
		{"a rejected recipient fails the message for good", func(m *notify.MemoryTransport) { m.Reject("anna.schaefer@example.org") }, 0, notify.Failed, notify.LastErrorPermanent, notify.Report{Failed: 1}, 0},
		{"the last allowed attempt fails the message", func(m *notify.MemoryTransport) { m.SetDown(true) }, 2, notify.Failed, notify.LastErrorUnavailable, notify.Report{Failed: 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			outbox := fakeoutbox.New()
			m := message("m1")
			require.NoError(t, outbox.Enqueue(ctx, m))
			if tc.attempts > 0 {
				claimed, err := outbox.Claim(ctx, "setup", t0, time.Minute, 1)
				require.NoError(t, err)
				claimed[0].Attempts = tc.attempts
				require.NoError(t, outbox.Complete(ctx, "setup", claimed[0]))
			}
			transport := notify.NewMemoryTransport()
			if tc.setup != nil {
				tc.setup(transport)
			}
			d := notify.NewDispatcher(outbox, transport, notify.DispatcherOptions{
				Clock: func() time.Time { return t0 }, MaxAttempts: 3,
				Backoff: notify.Backoff{Initial: time.Minute, Max: time.Hour},
			})

			report, err := d.RunOnce(ctx)
			require.NoError(t, err)
			assert.Equal(t, tc.wantReport, report)
			got, err := outbox.Message(ctx, "m1")
			require.NoError(t, err)
			assert.Equal(t, tc.wantStatus, got.Status)
			assert.Equal(t, tc.attempts+1, got.Attempts)
			assert.Equal(t, tc.wantError, got.LastError)
			assert.Empty(t, got.ClaimToken, "the lease is released")
			assert.Len(t, transport.Sent(), tc.wantDeliver)
			if tc.wantStatus == notify.Pending {
				assert.Equal(t, t0.Add(time.Minute), got.NextAttempt)
			}
			if tc.wantStatus == notify.Sent {
				assert.Equal(t, t0, got.SentAt)
			}

			again, err := d.RunOnce(ctx)
			require.NoError(t, err)
			assert.Equal(t, notify.Report{}, again, "nothing is due again at once")
		})
	}
}

func TestDispatcherRecoversFromOutage(t *testing.T) {
	ctx := context.Background()
	outbox := fakeoutbox.New()
	for i := range 20 {
		require.NoError(t, outbox.Enqueue(ctx, message(fmt.Sprintf("m%02d", i))))
	}
	now := t0
	transport := notify.NewMemoryTransport()
	transport.SetDown(true)
	d := notify.NewDispatcher(outbox, transport, notify.DispatcherOptions{Clock: func() time.Time { return now }, Batch: 7})

	for range 3 {
		_, err := d.RunOnce(ctx)
		require.NoError(t, err)
	}
	assert.Empty(t, transport.Sent(), "nothing goes out during the outage")

	transport.SetDown(false)
	now = now.Add(time.Hour)
	total := notify.Report{}
	for {
		r, err := d.RunOnce(ctx)
		require.NoError(t, err)
		if r == (notify.Report{}) {
			break
		}
		total.Sent += r.Sent
	}
	assert.Equal(t, 20, total.Sent)
	for id, n := range transport.Deliveries() {
		assert.Equal(t, 1, n, "%s delivered once", id)
	}
	assert.Len(t, transport.Deliveries(), 20)
}

func TestTwoDispatchersDeliverEachMessageOnce(t *testing.T) {
	ctx := context.Background()
	outbox := fakeoutbox.New()
	const n = 300
	for i := range n {
		require.NoError(t, outbox.Enqueue(ctx, message(fmt.Sprintf("m%03d", i))))
	}
	transport := notify.NewMemoryTransport()
	var wg sync.WaitGroup
	for range 2 {
		d := notify.NewDispatcher(outbox, transport, notify.DispatcherOptions{Clock: func() time.Time { return t0 }, Batch: 9})
		wg.Go(func() {
			for {
				r, err := d.RunOnce(ctx)
				assert.NoError(t, err)
				if err != nil || r == (notify.Report{}) {
					return
				}
			}
		})
	}
	wg.Wait()
	deliveries := transport.Deliveries()
	assert.Len(t, deliveries, n)
	for id, c := range deliveries {
		assert.Equal(t, 1, c, "%s delivered once", id)
	}
}

func TestDispatcherLogsNoPersonalData(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	outbox := fakeoutbox.New()
	require.NoError(t, outbox.Enqueue(ctx, message("m1"), message("m2")))
	transport := notify.NewMemoryTransport()
	transport.Reject("anna.schaefer@example.org")
	d := notify.NewDispatcher(outbox, transport, notify.DispatcherOptions{Clock: func() time.Time { return t0 }, Logger: logger})

	_, err := d.RunOnce(ctx)
	require.NoError(t, err)
	require.Contains(t, buf.String(), `"id":"m1"`)
	for _, secret := range []string{"anna", "Schäfer", "Mia", "Eingangsbestätigung"} {
		assert.NotContains(t, buf.String(), secret)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	outbox := fakeoutbox.New()
	require.NoError(t, outbox.Enqueue(ctx, message("m1")))
	transport := notify.NewMemoryTransport()
	d := notify.NewDispatcher(outbox, transport, notify.DispatcherOptions{Clock: func() time.Time { return t0 }})
	done := make(chan error)
	go func() { done <- d.Run(ctx, time.Millisecond) }()
	require.Eventually(t, func() bool { return len(transport.Sent()) == 1 }, 5*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

func TestMessageValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*notify.Message)
		want   []problem.Code
	}{
		{"a complete message is valid", func(*notify.Message) {}, nil},
		{"a display name in the address is refused", func(m *notify.Message) { m.To = "Anna <a@example.org>" }, []problem.Code{notify.CodeRecipientInvalid}},
		{"every missing field is listed", func(m *notify.Message) { *m = notify.Message{} },
			[]problem.Code{notify.CodeIDRequired, notify.CodeKindInvalid, notify.CodeStatusInvalid, notify.CodeRecipientRequired,
				notify.CodeLangInvalid, notify.CodeTitleRequired, notify.CodeBodyRequired, notify.CodeCreatedRequired}},
		{"a sent message is not new", func(m *notify.Message) { m.Status = notify.Sent }, []problem.Code{notify.CodeNotNew}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := message("m1")
			tc.change(&m)
			err := m.ValidateNew()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, notify.ErrMessage)
			assert.Equal(t, tc.want, codes(t, err))
			assert.NotContains(t, err.Error(), "example.org")
		})
	}
}

func TestCompose(t *testing.T) {
	t.Run("a draft becomes a pending message due now", func(t *testing.T) {
		m, err := notify.DefaultTemplates().Compose(notify.Draft{
			Kind: notify.Confirmation, Subject: "app-1", To: "a@example.org", Lang: "de", Data: confirmation(),
		}, t0)
		require.NoError(t, err)
		assert.NotEmpty(t, m.ID)
		assert.Equal(t, notify.Pending, m.Status)
		assert.Equal(t, t0, m.NextAttempt)
		assert.Equal(t, "Eingangsbestätigung Ihrer Voranmeldung BO-2021-000123", m.Title)
		require.NoError(t, m.ValidateNew())
	})
	t.Run("a draft without recipient is refused", func(t *testing.T) {
		_, err := notify.DefaultTemplates().Compose(notify.Draft{Kind: notify.Confirmation, Lang: "de", Data: confirmation()}, t0)
		require.ErrorIs(t, err, notify.ErrMessage)
	})
}
