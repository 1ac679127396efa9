package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

// roundWriter returns the step's app.RoundWriter.
func roundWriter(t *testing.T, tx registration.Tx) app.RoundWriter {
	t.Helper()
	rw, ok := tx.(app.RoundWriter)
	require.True(t, ok, "the step offers app.RoundWriter")
	return rw
}

// TestRoundWriterTakesPlacesInOrder checks that TakePlaces takes places
// as one TakePlace per key in the given order would: the last place goes
// to the first key that asks, a Kita without places takes none, nor does
// one whose places were taken before, and a pool of hours is a place of
// its own.
func TestRoundWriterTakesPlacesInOrder(t *testing.T) {
	ctx := context.Background()
	s := newTestDB(t).store(t, 2).Registrations()
	a := registration.PlaceKey{KitaID: "kita-a", Year: "2027/2028", Band: kita.From3}
	b := registration.PlaceKey{KitaID: "kita-b", Year: "2027/2028", Band: kita.Under3}
	pool := registration.PlaceKey{KitaID: "kita-b", Year: "2027/2028", Band: kita.Under3, Hours: 35, From: "2027-08"}
	full := registration.PlaceKey{KitaID: "kita-d", Year: "2027/2028", Band: kita.From3}
	unknown := registration.PlaceKey{KitaID: "kita-c", Year: "2027/2028", Band: kita.From3}
	require.NoError(t, s.SetPlaces(ctx, registration.Places{PlaceKey: a, Capacity: 2}, registration.Places{PlaceKey: b, Capacity: 1},
		registration.Places{PlaceKey: pool, Capacity: 1}, registration.Places{PlaceKey: full, Capacity: 1}))
	require.NoError(t, s.Atomic(ctx, func(tx registration.Tx) error { return tx.TakePlace(ctx, full) }))

	var taken []bool
	require.NoError(t, s.Atomic(ctx, func(tx registration.Tx) (err error) {
		taken, err = roundWriter(t, tx).TakePlaces(ctx, []registration.PlaceKey{a, b, full, a, pool, a, b, unknown, pool})
		return err
	}))
	assert.Equal(t, []bool{true, true, false, true, true, false, false, false, false}, taken)
	places, err := s.Places(ctx, "2027/2028")
	require.NoError(t, err)
	got := map[registration.PlaceKey]int{}
	for _, p := range places {
		got[p.PlaceKey] = p.Taken
	}
	assert.Equal(t, map[registration.PlaceKey]int{a: 2, b: 1, pool: 1, full: 1}, got)
}

// TestRoundWriterUpdatesAndAudits checks UpdateAll and AppendAudits: every
// application stored with its version raised, the entries in their order;
// a stale or unknown application refused as Update refuses it, and the
// failed step changes nothing.
func TestRoundWriterUpdatesAndAudits(t *testing.T) {
	ctx := context.Background()
	s := newTestDB(t).store(t, 2).Registrations()
	var apps []registration.Application
	for n := 1; n <= 3; n++ {
		a := benchApp(n)
		require.NoError(t, s.Atomic(ctx, func(tx registration.Tx) error { return tx.Insert(ctx, a) }))
		stored, err := s.Application(ctx, a.ID)
		require.NoError(t, err)
		apps = append(apps, stored)
	}
	changed := make([]registration.Application, len(apps))
	var audit []registration.AuditEntry
	for i, a := range apps {
		a.District = "bochum-mitte"
		changed[i] = a
		audit = append(audit, registration.AuditEntry{At: benchT0, Actor: "system", Action: registration.AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "offer_round"})
	}
	require.NoError(t, s.Atomic(ctx, func(tx registration.Tx) error {
		rw := roundWriter(t, tx)
		if err := rw.UpdateAll(ctx, changed); err != nil {
			return err
		}
		return rw.AppendAudits(ctx, audit)
	}))
	for _, a := range apps {
		got, err := s.Application(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Version()+1, got.Version())
		assert.Equal(t, "bochum-mitte", got.District)
	}
	for _, a := range apps {
		last := a.Choices[len(a.Choices)-1].KitaID
		found, err := s.Applications(ctx, registration.Query{KitaIDs: []string{last}})
		require.NoError(t, err)
		assert.True(t, slices.ContainsFunc(found, func(f registration.Application) bool { return f.ID == a.ID }),
			"the application is found by its last Kita after the update")
	}
	trail, err := s.Audit(ctx, registration.AuditQuery{Actor: "system"})
	require.NoError(t, err)
	require.Len(t, trail, 3)
	for i, e := range trail {
		assert.Equal(t, apps[i].ID, e.ApplicationID, "entry %d in the order given", i)
	}

	unknown := benchApp(9)
	cases := []struct {
		name string
		apps []registration.Application
		want error
	}{
		{"a stale version is ErrConflict", []registration.Application{apps[0].AtVersion(2), apps[1]}, registration.ErrConflict},
		{"an unknown application is ErrNotFound", []registration.Application{unknown.AtVersion(1)}, registration.ErrNotFound},
		{"the same application twice is ErrConflict, as two Updates would be", []registration.Application{apps[0].AtVersion(2), apps[0].AtVersion(2)}, registration.ErrConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Atomic(ctx, func(tx registration.Tx) error { return roundWriter(t, tx).UpdateAll(ctx, tc.apps) })
			require.ErrorIs(t, err, tc.want)
			got, err := s.Application(ctx, apps[0].ID)
			require.NoError(t, err)
			assert.Equal(t, apps[0].Version()+1, got.Version(), "the failed step changed the application")
		})
	}
}
