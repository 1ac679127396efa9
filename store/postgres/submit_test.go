package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
)

// TestSubmitRoundTrips counts the round trips of submissions as
// app.Registrations.Submit makes them on Bochum's profile, with numbers
// drawn from blocks (postgres.NumberBlock): a submission with an
// idempotency key takes two, the key's lookup going with the step's two
// reads; a repeated key takes one and writes nothing, whatever the body.
func TestSubmitRoundTrips(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	schema := db.schemas[db.store(t, 1)]
	trips := &roundTrips{}
	// One connection: every statement of a submission is on it, prepared
	// once by the first submission.
	s := db.openWith(t, schema, 1, trips, postgres.NumberBlock(16))
	profile, err := bochum.Profile()
	require.NoError(t, err)
	cat, err := bochum.Catalogue()
	require.NoError(t, err)
	now := time.Date(2026, time.November, 25, 10, 0, 0, 0, time.UTC)
	a, err := app.New(ctx, app.Config{Profile: profile, Catalogue: cat, Store: s,
		Transport: notify.NewMemoryTransport(), Clock: func() time.Time { return now }})
	require.NoError(t, err)
	birth, start := date.New(2025, time.March, 3), date.New(2027, time.August, 1)
	var kitas []string
	for _, k := range cat.All() {
		if k.Takes(kita.AgeOn(birth, start).InMonths()) && k.Capacity.Under3 > 0 && k.Hours.Allows(35) && len(kitas) < 2 {
			kitas = append(kitas, k.ID)
		}
	}
	require.Len(t, kitas, 2)
	input := func(child, key string) registration.Input {
		return registration.Input{
			Child:     registration.ChildInput{GivenName: child, FamilyName: "Yılmaz", BirthDate: birth},
			Guardians: []registration.GuardianInput{{GivenName: "Ayşe", FamilyName: "Yılmaz", Email: "ayse.yilmaz@example.org", Phone: "+49 234 5550123", Language: "de", Working: true}},
			Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
			Start:     start, Hours: 35, Kitas: kitas, Consent: true, IdempotencyKey: key,
		}
	}
	submit := func(family, child, key string) (registration.Receipt, error) {
		return a.Registrations.Submit(ctx, access.NewGuardian("g"+family, family), input(child, key))
	}
	// The first submission prepares the statements and reserves a block.
	_, err = submit("F0", "Lotte", "form-0")
	require.NoError(t, err)
	trips.take()

	first, err := submit("F1", "Mia", "form-1")
	require.NoError(t, err)
	require.False(t, first.Replayed)
	t.Run("a submission with a key takes two round trips", func(t *testing.T) {
		assert.Equal(t, [][]string{{"select", "select", "select"}, {"insert", "insert", "insert"}}, trips.takeTrips(),
			"the key's lookup with the two reads, then the application, its confirmation and its audit entry")
	})

	t.Run("a repeated key takes one round trip and writes nothing", func(t *testing.T) {
		trips.take()
		again, err := submit("F1", "Mia", "form-1")
		require.NoError(t, err)
		assert.True(t, again.Replayed)
		assert.Equal(t, first.Application.ID, again.Application.ID)
		assert.Equal(t, first.Application.Reference, again.Application.Reference)
		assert.Equal(t, [][]string{{"select", "select", "select"}}, trips.takeTrips())
	})

	t.Run("a repeated key with a body no longer valid takes one round trip", func(t *testing.T) {
		trips.take()
		in := input("Mia", "form-1")
		in.Consent = false
		again, err := a.Registrations.Submit(ctx, access.NewGuardian("gF1", "F1"), in)
		require.NoError(t, err)
		assert.True(t, again.Replayed)
		assert.Equal(t, first.Application.ID, again.Application.ID)
		assert.Equal(t, [][]string{{"select"}}, trips.takeTrips(), "the key's lookup alone")
	})

	t.Run("a body with problems and a new key is refused after one round trip", func(t *testing.T) {
		trips.take()
		in := input("Mia", "form-2")
		in.Consent = false
		_, err := a.Registrations.Submit(ctx, access.NewGuardian("gF1", "F1"), in)
		require.Error(t, err)
		assert.Equal(t, problem.Invalid, problem.KindOf(err))
		assert.Equal(t, [][]string{{"select"}}, trips.takeTrips())
	})

	t.Run("the stored application is the first submission's, once", func(t *testing.T) {
		apps, err := s.Registrations().Applications(ctx, registration.Query{FamilyID: "F1"})
		require.NoError(t, err)
		require.Len(t, apps, 1)
		assert.Equal(t, first.Application.ID, apps[0].ID)
		msgs, err := s.Registrations().FamilyMessages(ctx, "F1")
		require.NoError(t, err)
		assert.Len(t, msgs, 1)
		trail, err := s.Registrations().Audit(ctx, registration.AuditQuery{FamilyID: "F1"})
		require.NoError(t, err)
		assert.Len(t, trail, 1)
	})
}
