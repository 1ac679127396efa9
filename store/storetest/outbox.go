package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
)

// outboxT0 is the suite's fixed "now", at microsecond precision so that
// every SQL adapter can store it exactly.
var outboxT0 = time.Date(2021, time.March, 1, 9, 30, 0, 123456000, time.UTC)

// newMessage returns a valid, pending message created at t0+age.
func newMessage(id, subject string, age time.Duration) notify.Message {
	created := outboxT0.Add(age)
	return notify.Message{
		ID:          id,
		Kind:        notify.Confirmation,
		Subject:     subject,
		FamilyID:    "family-1",
		To:          "eltern@example.org",
		ToName:      "Familie Muster",
		Lang:        "de",
		Title:       "Eingangsbestätigung Ihrer Voranmeldung BO-2021-000123",
		Body:        "Guten Tag,\n\nvielen Dank.\n",
		Status:      notify.Pending,
		CreatedAt:   created,
		NextAttempt: created,
	}
}

// sameMessage reports the first field in which a and b differ, or "".
// Times compare with Equal, so an adapter may change their location.
func sameMessage(a, b notify.Message) string {
	times := []struct {
		name string
		a, b time.Time
	}{
		{"CreatedAt", a.CreatedAt, b.CreatedAt},
		{"NextAttempt", a.NextAttempt, b.NextAttempt},
		{"ClaimedUntil", a.ClaimedUntil, b.ClaimedUntil},
		{"SentAt", a.SentAt, b.SentAt},
	}
	for _, tc := range times {
		if !tc.a.Equal(tc.b) {
			return fmt.Sprintf("%s: got %v, want %v", tc.name, tc.a, tc.b)
		}
	}
	a.CreatedAt, a.NextAttempt, a.ClaimedUntil, a.SentAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	b.CreatedAt, b.NextAttempt, b.ClaimedUntil, b.SentAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if a != b {
		return fmt.Sprintf("got %+v, want %+v", a, b)
	}
	return ""
}

func ids(msgs []notify.Message) string {
	s := make([]string, len(msgs))
	for i, m := range msgs {
		s[i] = m.ID
	}
	return strings.Join(s, ",")
}

// RunOutbox checks an adapter's notify.Outbox.
func RunOutbox(t *testing.T, newStores Factory) {
	t.Run("an enqueued message reads back equal", func(t *testing.T) { testOutboxAnEnqueuedMessageReadsBackEqual(t, newStores) })
	t.Run("a message with content reads back with its texts", func(t *testing.T) { testOutboxAMessageWithContentReadsBackWithItsTexts(t, newStores) })
	t.Run("an unknown id is ErrNotFound", func(t *testing.T) { testOutboxAnUnknownIdIsErrNotFound(t, newStores) })
	t.Run("messages about a subject are listed oldest first", func(t *testing.T) { testOutboxMessagesAboutASubjectAreListedOldestFirst(t, newStores) })
	t.Run("a duplicate id fails the whole batch with ErrExists", func(t *testing.T) { testOutboxADuplicateIdFailsTheWholeBatchWith(t, newStores) })
	t.Run("a failed batch leaves nothing to claim or list", func(t *testing.T) { testOutboxAFailedBatchLeavesNothingToClaimOrList(t, newStores) })
	t.Run("an invalid or finished message is refused", func(t *testing.T) { testOutboxAnInvalidOrFinishedMessageIsRefused(t, newStores) })
	t.Run("awkward values survive the round trip", func(t *testing.T) { testOutboxAwkwardValuesSurviveTheRoundTrip(t, newStores) })
	t.Run("returned messages are copies", func(t *testing.T) { testOutboxReturnedMessagesAreCopies(t, newStores) })
	t.Run("claim takes due messages oldest first up to the limit", func(t *testing.T) { testOutboxClaimTakesDueMessagesOldestFirstUpTo(t, newStores) })
	t.Run("a claim needs a token and a lease", func(t *testing.T) { testOutboxAClaimNeedsATokenAndALease(t, newStores) })
	t.Run("an expired lease can be reclaimed and the stale token loses", func(t *testing.T) { testOutboxAnExpiredLeaseCanBeReclaimedAndThe(t, newStores) })
	t.Run("complete records the outcome and only the outcome", func(t *testing.T) { testOutboxCompleteRecordsTheOutcomeAndOnlyTheOutcome(t, newStores) })
	t.Run("a done context is refused", func(t *testing.T) { testOutboxADoneContextIsRefused(t, newStores) })
	t.Run("two dispatchers claiming at once deliver each message exactly once", func(t *testing.T) { testOutboxTwoDispatchersClaimingAtOnceDeliverEachMessage(t, newStores) })
}

// testOutboxAnEnqueuedMessageReadsBackEqual checks that an enqueued message reads back equal.
func testOutboxAnEnqueuedMessageReadsBackEqual(t *testing.T, newStores Factory) {
	ctx := context.Background()
	o := newStores(t).Outbox
	want := newMessage("m1", "app-1", 0)
	if err := o.Enqueue(ctx, want); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	got, err := o.Message(ctx, "m1")
	if err != nil {
		t.Fatalf("Message: %v", err)
	}
	if d := sameMessage(got, want); d != "" {
		t.Error(d)
	}
}

// testOutboxAMessageWithContentReadsBackWithItsTexts checks that a
// message enqueued with the Content its texts are rendered from reads
// back (Message, Messages, Claim, after Complete) with the texts
// notify.Templates.Render gives and without the content.
func testOutboxAMessageWithContentReadsBackWithItsTexts(t *testing.T, newStores Factory) {
	ctx := context.Background()
	o := newStores(t).Outbox
	data := notify.ConfirmationData{
		Reference: "BO-2021-000123", ChildName: "Jürgen Ößmann-Çelik", StartDate: notify.DateOf(2021, time.August, 1), Hours: 35,
		Kitas: []notify.KitaLine{{Rank: 1, Name: "Kita Sonnenschein", Address: "Hauptstraße 12, 44787 Bochum"}, {Rank: 2, Name: "Kita Regenbogen", Address: "Am Bach 3"}},
	}
	title, body, err := notify.DefaultTemplates().Render(notify.Confirmation, "tr", data)
	require.NoError(t, err)
	content, err := notify.DefaultTemplates().Content(notify.Confirmation, "tr", data)
	require.NoError(t, err)
	m := newMessage("m1", "app-1", 0)
	m.Lang, m.Title, m.Body, m.Content = "tr", "", "", content
	require.NoError(t, o.Enqueue(ctx, m))
	want := m
	want.Title, want.Body, want.Content = title, body, nil

	got, err := o.Message(ctx, "m1")
	require.NoError(t, err)
	assert.Empty(t, sameMessage(got, want), "Message")
	list, err := o.Messages(ctx, "app-1")
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Empty(t, sameMessage(list[0], want), "Messages")
	claimed, err := o.Claim(ctx, "tok", outboxT0.Add(time.Minute), time.Minute, 10)
	require.NoError(t, err)
	require.Len(t, claimed, 1)
	assert.Equal(t, title, claimed[0].Title, "Claim")
	assert.Equal(t, body, claimed[0].Body, "Claim")
	assert.Nil(t, claimed[0].Content, "Claim")
	done := claimed[0]
	done.Status, done.Attempts, done.SentAt = notify.Sent, 1, outboxT0.Add(time.Minute)
	require.NoError(t, o.Complete(ctx, "tok", done))
	got, err = o.Message(ctx, "m1")
	require.NoError(t, err)
	assert.Equal(t, notify.Sent, got.Status)
	assert.Equal(t, body, got.Body, "after Complete")
	assert.Nil(t, got.Content, "after Complete")
}

// testOutboxAnUnknownIdIsErrNotFound checks that an unknown id is ErrNotFound.
func testOutboxAnUnknownIdIsErrNotFound(t *testing.T, newStores Factory) {
	ctx := context.Background()
	o := newStores(t).Outbox
	if _, err := o.Message(ctx, "nope"); !errors.Is(err, notify.ErrNotFound) {
		t.Errorf("Message: got %v, want ErrNotFound", err)
	}
	if err := o.Complete(ctx, "tok", newMessage("nope", "app", 0)); !errors.Is(err, notify.ErrNotFound) {
		t.Errorf("Complete: got %v, want ErrNotFound", err)
	}
}

// testOutboxMessagesAboutASubjectAreListedOldestFirst checks that messages about a subject are listed oldest first.
func testOutboxMessagesAboutASubjectAreListedOldestFirst(t *testing.T, newStores Factory) {
	ctx := context.Background()
	o := newStores(t).Outbox
	err := o.Enqueue(ctx,
		newMessage("c", "app-1", time.Minute),
		newMessage("b", "app-1", 0),
		newMessage("a", "app-1", 0),
		newMessage("x", "app-2", 0),
	)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	got, err := o.Messages(ctx, "app-1")
	if err != nil {
		t.Fatalf("Messages: %v", err)
	}
	if ids(got) != "a,b,c" {
		t.Errorf("Messages: got %s, want a,b,c", ids(got))
	}
	none, err := o.Messages(ctx, "app-3")
	if err != nil || len(none) != 0 {
		t.Errorf("Messages of an unknown subject: got %d, %v; want none", len(none), err)
	}
}

// testOutboxADuplicateIdFailsTheWholeBatchWith checks that a duplicate id fails the whole batch with ErrExists.
func testOutboxADuplicateIdFailsTheWholeBatchWith(t *testing.T, newStores Factory) {
	ctx := context.Background()
	o := newStores(t).Outbox
	if err := o.Enqueue(ctx, newMessage("m1", "app-1", 0)); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	cases := map[string][]notify.Message{
		"stored before":  {newMessage("m2", "app-1", 0), newMessage("m1", "app-1", 0)},
		"twice in batch": {newMessage("m3", "app-1", 0), newMessage("m3", "app-1", 0)},
	}
	for name, batch := range cases {
		if err := o.Enqueue(ctx, batch...); !errors.Is(err, notify.ErrExists) {
			t.Errorf("%s: got %v, want ErrExists", name, err)
		}
	}
	got, _ := o.Messages(ctx, "app-1")
	if ids(got) != "m1" {
		t.Errorf("after failed batches: got %s, want m1 only", ids(got))
	}
}

// testOutboxAFailedBatchLeavesNothingToClaimOrList checks that the
// messages of a refused batch are in no listing afterwards: not among a
// subject's or a family's messages, not claimable; and that a sent
// message is not claimed again.
func testOutboxAFailedBatchLeavesNothingToClaimOrList(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	o := st.Outbox
	require.NoError(t, o.Enqueue(ctx, newMessage("m1", "app-1", 0)))
	err := o.Enqueue(ctx, newMessage("m2", "app-2", 0), newMessage("m1", "app-1", 0))
	require.ErrorIs(t, err, notify.ErrExists)
	subject, err := o.Messages(ctx, "app-2")
	require.NoError(t, err)
	assert.Empty(t, subject, "messages of the refused batch's subject")
	family, err := st.Registrations.FamilyMessages(ctx, "family-1")
	require.NoError(t, err)
	assert.Equal(t, "m1", ids(family), "the family's messages")
	now := outboxT0.Add(time.Minute)
	claimed, err := o.Claim(ctx, "tok-a", now, time.Minute, 10)
	require.NoError(t, err)
	require.Equal(t, "m1", ids(claimed), "claimable after the refused batch")
	sent := claimed[0]
	sent.Status, sent.Attempts, sent.SentAt = notify.Sent, 1, now
	require.NoError(t, o.Complete(ctx, "tok-a", sent))
	again, err := o.Claim(ctx, "tok-b", now.Add(time.Hour), time.Minute, 10)
	require.NoError(t, err)
	assert.Empty(t, again, "a sent message is not claimed again")
	family, err = st.Registrations.FamilyMessages(ctx, "family-1")
	require.NoError(t, err)
	require.Len(t, family, 1)
	assert.Equal(t, notify.Sent, family[0].Status, "the family's message after sending")
}

// testOutboxAnInvalidOrFinishedMessageIsRefused checks that an invalid or finished message is refused.
func testOutboxAnInvalidOrFinishedMessageIsRefused(t *testing.T, newStores Factory) {
	ctx := context.Background()
	o := newStores(t).Outbox
	bad := newMessage("", "app-1", 0)
	bad.To = ""
	sent := newMessage("s", "app-1", 0)
	sent.Status = notify.Sent
	for name, m := range map[string]notify.Message{"invalid": bad, "already sent": sent} {
		err := o.Enqueue(ctx, m)
		var list problem.List
		if !errors.Is(err, notify.ErrMessage) || !errors.As(err, &list) {
			t.Errorf("%s: got %v, want a problem.List of ErrMessage", name, err)
		}
	}
}

// testOutboxAwkwardValuesSurviveTheRoundTrip checks that awkward values survive the round trip.
func testOutboxAwkwardValuesSurviveTheRoundTrip(t *testing.T, newStores Factory) {
	ctx := context.Background()
	lease := 5 * time.Minute
	o := newStores(t).Outbox
	m := newMessage("m-awkward", "app-ä", 0)
	m.ToName = "Jürgen Öztürk-Weiß"
	m.Title = "Eingangsbestätigung – Größe € 100 👶"
	m.Body = strings.Repeat("Äöü ß € \"quotes\" 'single' \\ backslash\r\n\t", 4000)
	m.FamilyID = ""
	m.NextAttempt = time.Time{} // zero: due at once
	if err := o.Enqueue(ctx, m); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	got, err := o.Message(ctx, m.ID)
	if err != nil {
		t.Fatalf("Message: %v", err)
	}
	if d := sameMessage(got, m); d != "" {
		t.Error(d)
	}
	claimed, err := o.Claim(ctx, "tok", outboxT0, lease, 10)
	if err != nil || ids(claimed) != m.ID {
		t.Fatalf("Claim with zero NextAttempt: got %q, %v; want %q", ids(claimed), err, m.ID)
	}
}

// testOutboxReturnedMessagesAreCopies checks that returned messages are copies.
func testOutboxReturnedMessagesAreCopies(t *testing.T, newStores Factory) {
	ctx := context.Background()
	o := newStores(t).Outbox
	m := newMessage("m1", "app-1", 0)
	if err := o.Enqueue(ctx, m); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	got, _ := o.Message(ctx, "m1")
	got.Body = "changed"
	again, _ := o.Message(ctx, "m1")
	if again.Body != m.Body {
		t.Error("changing a returned message changed the store")
	}
}

// testOutboxClaimTakesDueMessagesOldestFirstUpTo checks that claim takes due messages oldest first up to the limit.
func testOutboxClaimTakesDueMessagesOldestFirstUpTo(t *testing.T, newStores Factory) {
	ctx := context.Background()
	lease := 5 * time.Minute
	o := newStores(t).Outbox
	later := newMessage("later", "app-1", 0)
	later.NextAttempt = outboxT0.Add(2 * time.Minute)
	err := o.Enqueue(ctx, newMessage("m3", "app-1", 2*time.Second), newMessage("m1", "app-1", 0), newMessage("m2", "app-1", time.Second), later)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	now := outboxT0.Add(time.Minute)
	got, err := o.Claim(ctx, "tok-a", now, lease, 2)
	if err != nil {
		t.Fatalf("Claim: %v", err)
	}
	if ids(got) != "m1,m2" {
		t.Fatalf("Claim: got %s, want m1,m2", ids(got))
	}
	for _, m := range got {
		if m.ClaimToken != "tok-a" || !m.ClaimedUntil.Equal(now.Add(lease)) {
			t.Errorf("%s: lease %q until %v, want tok-a until %v", m.ID, m.ClaimToken, m.ClaimedUntil, now.Add(lease))
		}
	}
	rest, _ := o.Claim(ctx, "tok-b", now, lease, 10)
	if ids(rest) != "m3" {
		t.Errorf("second claim: got %s, want m3 (later is not due, m1/m2 are leased)", ids(rest))
	}
	due, _ := o.Claim(ctx, "tok-c", outboxT0.Add(2*time.Minute), lease, 10)
	if ids(due) != "later" {
		t.Errorf("claim at its NextAttempt: got %s, want later", ids(due))
	}
}

// testOutboxAClaimNeedsATokenAndALease checks that a claim needs a token and a lease.
func testOutboxAClaimNeedsATokenAndALease(t *testing.T, newStores Factory) {
	ctx := context.Background()
	lease := 5 * time.Minute
	o := newStores(t).Outbox
	if _, err := o.Claim(ctx, "", outboxT0, lease, 1); !errors.Is(err, notify.ErrClaim) {
		t.Errorf("empty token: got %v, want ErrClaim", err)
	}
	if _, err := o.Claim(ctx, "tok", outboxT0, 0, 1); !errors.Is(err, notify.ErrClaim) {
		t.Errorf("zero lease: got %v, want ErrClaim", err)
	}
}

// testOutboxAnExpiredLeaseCanBeReclaimedAndThe checks that an expired lease can be reclaimed and the stale token loses.
func testOutboxAnExpiredLeaseCanBeReclaimedAndThe(t *testing.T, newStores Factory) {
	ctx := context.Background()
	lease := 5 * time.Minute
	o := newStores(t).Outbox
	if err := o.Enqueue(ctx, newMessage("m1", "app-1", 0)); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	first, _ := o.Claim(ctx, "tok-a", outboxT0, lease, 1)
	if len(first) != 1 {
		t.Fatalf("first claim: got %d messages, want 1", len(first))
	}
	if during, _ := o.Claim(ctx, "tok-b", outboxT0.Add(lease-time.Second), lease, 1); len(during) != 0 {
		t.Fatalf("claim during the lease: got %s, want none", ids(during))
	}
	second, _ := o.Claim(ctx, "tok-b", outboxT0.Add(lease), lease, 1)
	if ids(second) != "m1" {
		t.Fatalf("claim after the lease: got %s, want m1", ids(second))
	}
	stale := first[0]
	stale.Status, stale.Attempts, stale.SentAt = notify.Sent, 1, outboxT0
	if err := o.Complete(ctx, "tok-a", stale); !errors.Is(err, notify.ErrNotClaimed) {
		t.Errorf("Complete with the stale token: got %v, want ErrNotClaimed", err)
	}
	m := second[0]
	m.Status, m.Attempts, m.SentAt = notify.Sent, 1, outboxT0.Add(lease)
	if err := o.Complete(ctx, "tok-b", m); err != nil {
		t.Fatalf("Complete with the live token: %v", err)
	}
	if err := o.Complete(ctx, "tok-b", m); !errors.Is(err, notify.ErrNotClaimed) {
		t.Errorf("second Complete: got %v, want ErrNotClaimed", err)
	}
	got, _ := o.Message(ctx, "m1")
	if got.Status != notify.Sent || got.Attempts != 1 || !got.SentAt.Equal(m.SentAt) || got.ClaimToken != "" || !got.ClaimedUntil.IsZero() {
		t.Errorf("after Complete: %+v", got)
	}
}

// testOutboxCompleteRecordsTheOutcomeAndOnlyTheOutcome checks that complete records the outcome and only the outcome.
func testOutboxCompleteRecordsTheOutcomeAndOnlyTheOutcome(t *testing.T, newStores Factory) {
	ctx := context.Background()
	lease := 5 * time.Minute
	cases := []struct {
		name        string
		status      notify.Status
		next        time.Duration
		claimableAt time.Duration // -1: never again
	}{
		{"a sent message is never claimed again", notify.Sent, 0, -1},
		{"a failed message is never claimed again", notify.Failed, 0, -1},
		{"a retried message is claimed at its next attempt", notify.Pending, time.Hour, time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := newStores(t).Outbox
			orig := newMessage("m1", "app-1", 0)
			if err := o.Enqueue(ctx, orig); err != nil {
				t.Fatalf("Enqueue: %v", err)
			}
			got, _ := o.Claim(ctx, "tok", outboxT0, lease, 1)
			if len(got) != 1 {
				t.Fatalf("Claim: got %d, want 1", len(got))
			}
			m := got[0]
			m.Status, m.Attempts, m.LastError = tc.status, 1, "transport.unavailable"
			m.NextAttempt = outboxT0.Add(tc.next)
			m.Body = "tampered"
			if err := o.Complete(ctx, "tok", m); err != nil {
				t.Fatalf("Complete: %v", err)
			}
			stored, _ := o.Message(ctx, "m1")
			if stored.Status != tc.status || stored.Attempts != 1 || stored.LastError != "transport.unavailable" {
				t.Errorf("stored outcome: %v/%d/%q", stored.Status, stored.Attempts, stored.LastError)
			}
			if stored.Body != orig.Body {
				t.Error("Complete changed the body")
			}
			for _, at := range []time.Duration{lease, 2 * time.Hour, 48 * time.Hour} {
				again, err := o.Claim(ctx, "tok2", outboxT0.Add(at), lease, 1)
				if err != nil {
					t.Fatalf("Claim: %v", err)
				}
				want := tc.claimableAt >= 0 && at >= tc.claimableAt
				if (len(again) == 1) != want {
					t.Errorf("claim at +%v: got %d messages, want claimable=%v", at, len(again), want)
				}
				if len(again) == 1 {
					break
				}
			}
		})
	}
}

// testOutboxADoneContextIsRefused checks that a done context is refused.
func testOutboxADoneContextIsRefused(t *testing.T, newStores Factory) {
	ctx := context.Background()
	lease := 5 * time.Minute
	o := newStores(t).Outbox
	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := o.Enqueue(done, newMessage("m1", "app-1", 0)); !errors.Is(err, context.Canceled) {
		t.Errorf("Enqueue: got %v, want context.Canceled", err)
	}
	if _, err := o.Claim(done, "tok", outboxT0, lease, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Claim: got %v, want context.Canceled", err)
	}
	if _, err := o.Message(done, "m1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Message: got %v, want context.Canceled", err)
	}
	if _, err := o.Messages(done, "app-1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Messages: got %v, want context.Canceled", err)
	}
	if _, err := o.Message(ctx, "m1"); !errors.Is(err, notify.ErrNotFound) {
		t.Errorf("after a cancelled Enqueue: got %v, want ErrNotFound", err)
	}
}

// testOutboxTwoDispatchersClaimingAtOnceDeliverEachMessage checks that two dispatchers claiming at once deliver each message exactly once.
func testOutboxTwoDispatchersClaimingAtOnceDeliverEachMessage(t *testing.T, newStores Factory) {
	ctx := context.Background()
	lease := 5 * time.Minute
	o := newStores(t).Outbox
	const n = 200
	msgs := make([]notify.Message, n)
	for i := range msgs {
		msgs[i] = newMessage(fmt.Sprintf("m%03d", i), "app-1", time.Duration(i%7)*time.Millisecond)
	}
	if err := o.Enqueue(ctx, msgs...); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	var mu sync.Mutex
	delivered := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, token := range []string{"dispatcher-a", "dispatcher-b"} {
		wg.Go(func() {
			now := outboxT0.Add(time.Second)
			for {
				batch, err := o.Claim(ctx, token, now, lease, 7)
				if err != nil {
					errs <- err
					return
				}
				if len(batch) == 0 {
					return
				}
				for _, m := range batch {
					mu.Lock()
					delivered[m.ID]++
					mu.Unlock()
					m.Status, m.Attempts, m.SentAt = notify.Sent, 1, now
					if err := o.Complete(ctx, token, m); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("dispatcher: %v", err)
	}
	for _, m := range msgs {
		if delivered[m.ID] != 1 {
			t.Errorf("%s delivered %d times, want once", m.ID, delivered[m.ID])
		}
	}
}
