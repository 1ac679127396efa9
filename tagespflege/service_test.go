package tagespflege_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	ctx      = context.Background()
	augFirst = date.New(2026, time.August, 1)
)

type fixture struct {
	store *fakeStore
	svc   *tagespflege.Service
}

func newFixture(t *testing.T, opts ...tagespflege.Option) fixture {
	t.Helper()
	n := 0
	opts = append([]tagespflege.Option{tagespflege.WithIDs(func() string { n++; return fmt.Sprintf("id-%d", n) })}, opts...)
	st := newFakeStore()
	return fixture{store: st, svc: tagespflege.NewService(st, testOffices(t, "mitte", "nord"), func() time.Time { return t0 }, opts...)}
}

// referral stores an open referral in district.
func (f fixture) referral(t *testing.T, id, district string) {
	t.Helper()
	require.NoError(t, f.store.CreateReferral(ctx, tagespflege.NewReferral(id, "a-"+id, "f-"+id, "KP-"+id, district, t0)))
}

// minder registers a minder in mitte with capacity places.
func (f fixture) minder(t *testing.T, id string, capacity int, change ...func(*tagespflege.Minder)) tagespflege.Minder {
	t.Helper()
	m := validMinder(id)
	m.Capacity = capacity
	for _, c := range change {
		c(&m)
	}
	m, err := f.svc.AddMinder(ctx, m)
	require.NoError(t, err)
	return m
}

func TestServicePlace(t *testing.T) {
	t.Run("placing a contacted referral updates the referral and takes a place", func(t *testing.T) {
		f := newFixture(t)
		f.referral(t, "r1", "mitte")
		f.minder(t, "m1", 2)
		_, err := f.svc.MarkContacted(ctx, "r1", "fb-1", "called")
		require.NoError(t, err)

		r, err := f.svc.Place(ctx, "r1", "m1", augFirst, "fb-1")
		require.NoError(t, err)
		assert.Equal(t, tagespflege.Placed, r.Status())
		assert.Equal(t, int64(3), r.Version())
		stored, err := f.svc.Referral(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, r, stored, "the returned referral is the stored one")

		m, err := f.store.Minder(ctx, "m1")
		require.NoError(t, err)
		assert.Equal(t, []tagespflege.Placement{{ReferralID: "r1", Start: augFirst}}, m.Placements())
		assert.Equal(t, int64(2), m.Version())
		free, err := f.svc.FreePlaces(ctx, "mitte")
		require.NoError(t, err)
		assert.Equal(t, 1, free)
	})

	tests := []struct {
		name    string
		setup   func(t *testing.T, f fixture)
		id      string
		minder  string
		start   date.Date
		wantErr error
		opts    []tagespflege.Option
	}{
		{"an unknown referral is not found", func(t *testing.T, f fixture) { f.minder(t, "m1", 5) }, "nope", "m1", augFirst, tagespflege.ErrNotFound, nil},
		{"an unknown minder is not found", func(t *testing.T, f fixture) { f.referral(t, "r1", "mitte") }, "r1", "nope", augFirst, tagespflege.ErrNotFound, nil},
		{"a minder of another district is refused", func(t *testing.T, f fixture) {
			f.referral(t, "r1", "nord")
			f.minder(t, "m1", 5)
		}, "r1", "m1", augFirst, tagespflege.ErrDistrict, nil},
		{"a start after the licence ends is refused", func(t *testing.T, f fixture) {
			f.referral(t, "r1", "mitte")
			f.minder(t, "m1", 5)
		}, "r1", "m1", date.New(2030, time.January, 1), tagespflege.ErrLicence, nil},
		{"a start before the licence begins is refused", func(t *testing.T, f fixture) {
			f.referral(t, "r1", "mitte")
			f.minder(t, "m1", 5)
		}, "r1", "m1", date.New(2024, time.December, 31), tagespflege.ErrLicence, nil},
		{"a full minder is refused", func(t *testing.T, f fixture) {
			f.referral(t, "r1", "mitte")
			f.referral(t, "r2", "mitte")
			f.minder(t, "m1", 1)
			_, err := f.svc.Place(ctx, "r1", "m1", augFirst, "fb")
			require.NoError(t, err)
		}, "r2", "m1", augFirst, tagespflege.ErrMinderFull, nil},
		{"a full Großtagespflege is refused although its minder has room", func(t *testing.T, f fixture) {
			_, err := f.svc.AddGroup(ctx, tagespflege.Group{ID: "g1", District: "mitte", Capacity: 1})
			require.NoError(t, err)
			inGroup := func(m *tagespflege.Minder) { m.GroupID = "g1" }
			f.minder(t, "m1", 5, inGroup)
			f.minder(t, "m2", 5, inGroup)
			f.referral(t, "r1", "mitte")
			f.referral(t, "r2", "mitte")
			_, err = f.svc.Place(ctx, "r1", "m1", augFirst, "fb")
			require.NoError(t, err)
		}, "r2", "m2", augFirst, tagespflege.ErrMinderFull, nil},
		{"a placed referral cannot be placed again", func(t *testing.T, f fixture) {
			f.referral(t, "r1", "mitte")
			f.minder(t, "m1", 5)
			_, err := f.svc.Place(ctx, "r1", "m1", augFirst, "fb")
			require.NoError(t, err)
		}, "r1", "m1", augFirst, tagespflege.ErrTransition, nil},
		{"a closed referral cannot be placed", func(t *testing.T, f fixture) {
			f.referral(t, "r1", "mitte")
			f.minder(t, "m1", 5)
			_, err := f.svc.Close(ctx, "r1", "fb", tagespflege.NoNeed)
			require.NoError(t, err)
		}, "r1", "m1", augFirst, tagespflege.ErrTransition, nil},
		{"a missing start is a problem", func(t *testing.T, f fixture) {}, "r1", "m1", date.Date{}, tagespflege.ErrMissing, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.opts...)
			tc.setup(t, f)
			before, _ := f.store.Minders(ctx, "", 0, 0)
			_, err := f.svc.Place(ctx, tc.id, tc.minder, tc.start, "fb-1")
			assert.ErrorIs(t, err, tc.wantErr)
			after, _ := f.store.Minders(ctx, "", 0, 0)
			assert.Equal(t, before, after, "a refused placement changes no minder")
		})
	}

	t.Run("with cross-district placing a minder of another district is allowed", func(t *testing.T) {
		f := newFixture(t, tagespflege.WithCrossDistrict())
		f.referral(t, "r1", "nord")
		f.minder(t, "m1", 5)
		_, err := f.svc.Place(ctx, "r1", "m1", augFirst, "fb")
		assert.NoError(t, err)
	})

	t.Run("a placement without actor lists every missing argument", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.svc.Place(ctx, "r1", "", date.Date{}, "")
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.Equal(t, []problem.Code{tagespflege.CodeActorMissing, tagespflege.CodeIDMissing, tagespflege.CodeStartMissing}, list.Codes())
	})
}

func TestServiceClose(t *testing.T) {
	t.Run("closing a placed referral frees the minder's and the group's place", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.svc.AddGroup(ctx, tagespflege.Group{ID: "g1", District: "mitte", Capacity: 2})
		require.NoError(t, err)
		f.minder(t, "m1", 1, func(m *tagespflege.Minder) { m.GroupID = "g1" })
		f.referral(t, "r1", "mitte")
		_, err = f.svc.Place(ctx, "r1", "m1", augFirst, "fb")
		require.NoError(t, err)
		free, err := f.svc.FreePlaces(ctx, "mitte")
		require.NoError(t, err)
		require.Equal(t, 0, free)

		r, err := f.svc.Close(ctx, "r1", "fb-2", tagespflege.CareEnded)
		require.NoError(t, err)
		assert.Equal(t, tagespflege.Closed, r.Status())
		assert.Equal(t, tagespflege.CareEnded, r.CloseReason())
		m, err := f.store.Minder(ctx, "m1")
		require.NoError(t, err)
		assert.Empty(t, m.Placements())
		g, err := f.store.Group(ctx, "g1")
		require.NoError(t, err)
		assert.Empty(t, g.Placements())
		free, err = f.svc.FreePlaces(ctx, "mitte")
		require.NoError(t, err)
		assert.Equal(t, 1, free)
	})

	t.Run("closing twice is a refused transition", func(t *testing.T) {
		f := newFixture(t)
		f.referral(t, "r1", "mitte")
		_, err := f.svc.Close(ctx, "r1", "fb", tagespflege.Withdrawn)
		require.NoError(t, err)
		_, err = f.svc.Close(ctx, "r1", "fb", tagespflege.Withdrawn)
		assert.ErrorIs(t, err, tagespflege.ErrTransition)
	})

	t.Run("an unknown reason is a problem", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.svc.Close(ctx, "r1", "fb", 0)
		assert.ErrorIs(t, err, tagespflege.ErrRange)
	})
}

func TestServiceMarkContacted(t *testing.T) {
	f := newFixture(t)
	f.referral(t, "r1", "mitte")
	r, err := f.svc.MarkContacted(ctx, "r1", "fb-1", "Rückruf")
	require.NoError(t, err)
	assert.Equal(t, tagespflege.Contacted, r.Status())
	assert.Equal(t, tagespflege.Event{At: t0, Actor: "fb-1", Status: tagespflege.Contacted, Note: "Rückruf"}, r.History()[1])
	_, err = f.svc.MarkContacted(ctx, "r1", "fb-1", "")
	assert.ErrorIs(t, err, tagespflege.ErrTransition)
	_, err = f.svc.MarkContacted(ctx, "r1", "", "")
	assert.ErrorIs(t, err, tagespflege.ErrMissing)
}

func TestServiceReferrals(t *testing.T) {
	f := newFixture(t)
	f.referral(t, "r1", "mitte")
	f.referral(t, "r2", "nord")
	got, err := f.svc.Referrals(ctx, "mitte", 0, 0)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "r1", got[0].ID)
	all, err := f.svc.Referrals(ctx, "", 0, 0)
	require.NoError(t, err)
	assert.Len(t, all, 2)
	_, err = f.svc.Referrals(ctx, "ost", 0, 0)
	assert.ErrorIs(t, err, tagespflege.ErrUnknownDistrict)
}

func TestServiceRegistry(t *testing.T) {
	t.Run("an added minder gets an id, version 1 and the clock's time", func(t *testing.T) {
		f := newFixture(t)
		m := validMinder("")
		got, err := f.svc.AddMinder(ctx, m)
		require.NoError(t, err)
		assert.Equal(t, "id-1", got.ID)
		assert.Equal(t, int64(1), got.Version())
		assert.Equal(t, t0, got.CreatedAt())
		stored, err := f.store.Minder(ctx, "id-1")
		require.NoError(t, err)
		assert.Equal(t, got, stored)
		list, err := f.svc.Minders(ctx, "mitte")
		require.NoError(t, err)
		assert.Equal(t, []tagespflege.Minder{got}, list)
	})

	t.Run("an invalid minder in an unknown district lists every problem and stores nothing", func(t *testing.T) {
		f := newFixture(t)
		m := validMinder("m1")
		m.District, m.Capacity = "ost", 6
		m = tagespflege.RehydrateMinder(m, tagespflege.MinderState{Placements: []tagespflege.Placement{{ReferralID: "r1"}}})
		_, err := f.svc.AddMinder(ctx, m)
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.ElementsMatch(t, []problem.Code{tagespflege.CodeCapacityExceedsLicence, tagespflege.CodeDistrictUnknown, tagespflege.CodePlacementsNotAllowed}, list.Codes())
		_, err = f.store.Minder(ctx, "m1")
		assert.ErrorIs(t, err, tagespflege.ErrNotFound)
	})

	t.Run("a Großtagespflege takes three minders and refuses a fourth", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.svc.AddGroup(ctx, tagespflege.Group{ID: "g1", District: "mitte", Capacity: 9})
		require.NoError(t, err)
		inGroup := func(m *tagespflege.Minder) { m.GroupID = "g1" }
		for _, id := range []string{"m1", "m2", "m3"} {
			f.minder(t, id, 5, inGroup)
		}
		m := validMinder("m4")
		inGroup(&m)
		_, err = f.svc.AddMinder(ctx, m)
		assert.ErrorIs(t, err, tagespflege.ErrLicenceLimit)
		_, err = f.store.Minder(ctx, "m4")
		assert.ErrorIs(t, err, tagespflege.ErrNotFound, "the refused minder is not stored")
		g, err := f.store.Group(ctx, "g1")
		require.NoError(t, err)
		assert.Equal(t, []string{"m1", "m2", "m3"}, g.MinderIDs)

		free, err := f.svc.FreePlaces(ctx, "mitte")
		require.NoError(t, err)
		assert.Equal(t, 9, free, "three minders with five places each share the group's nine")
	})

	t.Run("a minder cannot join a group of another district or an unknown group", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.svc.AddGroup(ctx, tagespflege.Group{ID: "g1", District: "nord", Capacity: 9})
		require.NoError(t, err)
		m := validMinder("m1")
		m.GroupID = "g1"
		_, err = f.svc.AddMinder(ctx, m)
		assert.ErrorIs(t, err, tagespflege.ErrDistrict)
		m.GroupID = "nope"
		_, err = f.svc.AddMinder(ctx, m)
		assert.ErrorIs(t, err, tagespflege.ErrNotFound)
	})

	t.Run("a new group must be empty", func(t *testing.T) {
		f := newFixture(t)
		_, err := f.svc.AddGroup(ctx, tagespflege.Group{District: "mitte", Capacity: 9, MinderIDs: []string{"m1"}})
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("", tagespflege.CodeGroupNotEmpty))
	})

	t.Run("free places count only minders licensed today", func(t *testing.T) {
		f := newFixture(t)
		f.minder(t, "m1", 3)
		f.minder(t, "m2", 4, func(m *tagespflege.Minder) {
			m.Licence = tagespflege.Licence{ValidFrom: date.New(2021, time.January, 1), ValidTo: date.New(2025, time.December, 31)}
		})
		f.minder(t, "m3", 2, func(m *tagespflege.Minder) { m.District = "nord" })
		free, err := f.svc.FreePlaces(ctx, "mitte")
		require.NoError(t, err)
		assert.Equal(t, 3, free)
		free, err = f.svc.FreePlaces(ctx, "")
		require.NoError(t, err)
		assert.Equal(t, 5, free)
	})
}
