package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/rickb777/date"
)

// tpBase is a fixed instant with microsecond precision, which every SQL
// database keeps.
var tpBase = time.Date(2026, 2, 3, 9, 30, 15, 123456000, time.UTC)

func tpReferral(id, district string, at time.Time) tagespflege.Referral {
	return tagespflege.NewReferral(id, "app-"+id, "fam-"+id, "KP-"+id, district, at)
}

func tpMinder(id, district string, capacity int) tagespflege.Minder {
	return tagespflege.RehydrateMinder(tagespflege.Minder{
		ID:       id,
		Name:     "Minder " + id,
		District: district,
		Contact:  tagespflege.Contact{Email: id + "@example.org"},
		Address:  geo.Address{Street: "Hauptstraße", HouseNumber: "1", PostalCode: "44787", City: "Bochum"},
		Licence: tagespflege.Licence{
			ValidFrom: date.New(2025, time.January, 1),
			ValidTo:   date.New(2029, time.December, 31),
		},
		Capacity:     capacity,
		MaxContracts: 8,
		Ages:         tagespflege.AgeRange{FromMonths: 0, ToMonths: 36},
		Hours:        []kita.Hours{25, 35},
	}, tagespflege.MinderState{CreatedAt: tpBase, UpdatedAt: tpBase, Version: 1})
}

// tpGroup is a Großtagespflege at version 1.
func tpGroup(id, district string, capacity int, minderIDs ...string) tagespflege.Group {
	return tagespflege.RehydrateGroup(tagespflege.Group{ID: id, District: district, MinderIDs: minderIDs, Capacity: capacity},
		tagespflege.GroupState{Version: 1})
}

// tpNorm makes values comparable across adapters: instants in UTC without
// monotonic reading, empty slices as nil.
func tpNorm(v any) any {
	switch x := v.(type) {
	case tagespflege.Referral:
		x.CreatedAt, x.UpdatedAt = x.CreatedAt.Round(0).UTC(), x.UpdatedAt.Round(0).UTC()
		l := x.State()
		if len(l.History) == 0 {
			l.History = nil
		}
		for i := range l.History {
			l.History[i].At = l.History[i].At.Round(0).UTC()
		}
		return tagespflege.RehydrateReferral(x, l)
	case tagespflege.Minder:
		l := x.State()
		l.CreatedAt, l.UpdatedAt = l.CreatedAt.Round(0).UTC(), l.UpdatedAt.Round(0).UTC()
		if len(x.Hours) == 0 {
			x.Hours = nil
		}
		if len(l.Placements) == 0 {
			l.Placements = nil
		}
		return tagespflege.RehydrateMinder(x, l)
	case tagespflege.Group:
		l := x.State()
		l.CreatedAt, l.UpdatedAt = l.CreatedAt.Round(0).UTC(), l.UpdatedAt.Round(0).UTC()
		if len(x.MinderIDs) == 0 {
			x.MinderIDs = nil
		}
		if len(l.Placements) == 0 {
			l.Placements = nil
		}
		return tagespflege.RehydrateGroup(x, l)
	}
	return v
}

func tpSame(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := tpNorm(got), tpNorm(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

func tpIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", what, err, want)
	}
}

func tpOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// RunTagespflege checks an adapter's [tagespflege.Store]: create, read,
// update and list of referrals, minders and groups; ErrNotFound, ErrExists
// and ErrConflict; ordering and paging; round trips of awkward values;
// copies in and out; all-or-nothing atomic steps; and the race for the last
// place of a minder, which exactly one of many concurrent placements wins.
func RunTagespflege(t *testing.T, newStores Factory) {
	t.Run("a created referral reads back as it was stored", func(t *testing.T) { testTPACreatedReferralReadsBackAsItWas(t, newStores) })
	t.Run("awkward values survive the round trip", func(t *testing.T) { testTPAwkwardValuesSurviveTheRoundTrip(t, newStores) })
	t.Run("a second record with the same id is ErrExists", func(t *testing.T) { testTPASecondRecordWithTheSameIdIs(t, newStores) })
	t.Run("unknown ids are ErrNotFound", func(t *testing.T) { testTPUnknownIdsAreErrNotFound(t, newStores) })
	t.Run("an update stores version+1 and a stale version is ErrConflict", func(t *testing.T) { testTPAnUpdateStoresVersion1AndAStale(t, newStores) })
	t.Run("values are copied in and out", func(t *testing.T) { testTPValuesAreCopiedInAndOut(t, newStores) })
	t.Run("referrals are listed oldest first, ties by id, per district, in pages", func(t *testing.T) { testTPReferralsAreListedOldestFirstTiesById(t, newStores) })
	t.Run("minders are listed by id, per district, in pages", func(t *testing.T) { testTPMindersAreListedByIdPerDistrictIn(t, newStores) })
	t.Run("a done context is reported before anything happens", func(t *testing.T) { testTPADoneContextIsReportedBeforeAnythingHappens(t, newStores) })
	t.Run("an atomic step that fails in the middle stores nothing", func(t *testing.T) { testTPAnAtomicStepThatFailsInTheMiddle(t, newStores) })
	t.Run("an atomic step that succeeds keeps all its writes", func(t *testing.T) { testTPAnAtomicStepThatSucceedsKeepsAllIts(t, newStores) })
	t.Run("of 50 offices placing with a minder with one free place exactly one wins (service)", func(t *testing.T) { testTPOf50OfficesPlacingWithAMinderWith(t, newStores) })
	t.Run("of 50 steps placing with stale reads of the minder exactly one wins (version check)", func(t *testing.T) { testTPOf50StepsPlacingWithStaleReadsOf(t, newStores) })
	t.Run("of offices placing with two minders of a Großtagespflege with one free place exactly one wins", func(t *testing.T) { testTPOfOfficesPlacingWithTwoMindersOfA(t, newStores) })
}

// testTPACreatedReferralReadsBackAsItWas checks that a created referral reads back as it was stored.
func testTPACreatedReferralReadsBackAsItWas(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	r := tpReferral("r1", "mitte", tpBase)
	r.Reference = "KP-2026-0001"
	tpOK(t, "create", s.CreateReferral(ctx, r))
	got, err := s.Referral(ctx, "r1")
	tpOK(t, "get", err)
	tpSame(t, "referral", got, r)
}

// testTPAwkwardValuesSurviveTheRoundTrip checks that awkward values survive the round trip.
func testTPAwkwardValuesSurviveTheRoundTrip(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	r := tpReferral("r-ö", "Süd", tpBase)
	tpOK(t, "contact", r.MarkContacted(tpBase.Add(time.Hour), "Jürgen Ößmann-Çelik", "Rückruf erbeten: „ab März“ 👶"))
	tpOK(t, "place", r.Place("m-ß", date.New(2028, time.February, 29), tpBase.Add(2*time.Hour), "fb-süd"))
	tpOK(t, "create referral", s.CreateReferral(ctx, r))
	got, err := s.Referral(ctx, r.ID)
	tpOK(t, "get referral", err)
	tpSame(t, "referral", got, r)

	m := tpMinder("m-ß", "Süd", 5)
	m.Name = "Jürgen Ößmann-Çelik"
	m.Address.Street = "Königsallee"
	m.Licence = tagespflege.Licence{ValidFrom: date.New(2024, time.February, 29), ValidTo: date.New(2028, time.February, 28)}
	m.Contact = tagespflege.Contact{Phone: "+49 234 910-0"}
	tpOK(t, "place with minder", m.Place(r.ID, date.New(2024, time.February, 29), tpBase.Add(2*time.Hour)))
	tpOK(t, "create minder", s.CreateMinder(ctx, m))
	gotM, err := s.Minder(ctx, m.ID)
	tpOK(t, "get minder", err)
	tpSame(t, "minder", gotM, m)

	empty := tagespflege.RehydrateMinder(tagespflege.Minder{ID: "m-empty", District: "Süd"}, tagespflege.MinderState{Version: 1})
	tpOK(t, "create empty minder", s.CreateMinder(ctx, empty))
	gotE, err := s.Minder(ctx, empty.ID)
	tpOK(t, "get empty minder", err)
	tpSame(t, "empty minder", gotE, empty)
	if gotE.GroupID != "" || len(gotE.Placements()) != 0 || !gotE.Licence.ValidFrom.IsZero() {
		t.Errorf("empty optionals came back set: %+v", gotE)
	}
}

// testTPASecondRecordWithTheSameIdIs checks that a second record with the same id is ErrExists.
func testTPASecondRecordWithTheSameIdIs(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	tpOK(t, "create referral", s.CreateReferral(ctx, tpReferral("r1", "mitte", tpBase)))
	tpIs(t, "referral again", s.CreateReferral(ctx, tpReferral("r1", "nord", tpBase)), tagespflege.ErrExists)
	tpOK(t, "create minder", s.CreateMinder(ctx, tpMinder("m1", "mitte", 5)))
	tpIs(t, "minder again", s.CreateMinder(ctx, tpMinder("m1", "nord", 3)), tagespflege.ErrExists)
	g := tpGroup("g1", "mitte", 9)
	tpOK(t, "create group", s.CreateGroup(ctx, g))
	tpIs(t, "group again", s.CreateGroup(ctx, g), tagespflege.ErrExists)
	got, err := s.Referral(ctx, "r1")
	tpOK(t, "get", err)
	if got.District != "mitte" {
		t.Errorf("the rejected create changed the referral")
	}
}

// testTPUnknownIdsAreErrNotFound checks that unknown ids are ErrNotFound.
func testTPUnknownIdsAreErrNotFound(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	_, err := s.Referral(ctx, "nope")
	tpIs(t, "get referral", err, tagespflege.ErrNotFound)
	tpIs(t, "update referral", s.UpdateReferral(ctx, tpReferral("nope", "mitte", tpBase)), tagespflege.ErrNotFound)
	_, err = s.Minder(ctx, "nope")
	tpIs(t, "get minder", err, tagespflege.ErrNotFound)
	tpIs(t, "update minder", s.UpdateMinder(ctx, tpMinder("nope", "mitte", 5)), tagespflege.ErrNotFound)
	_, err = s.Group(ctx, "nope")
	tpIs(t, "get group", err, tagespflege.ErrNotFound)
	tpIs(t, "update group", s.UpdateGroup(ctx, tpGroup("nope", "mitte", 9)), tagespflege.ErrNotFound)
}

// testTPAnUpdateStoresVersion1AndAStale checks that an update stores version+1 and a stale version is ErrConflict.
func testTPAnUpdateStoresVersion1AndAStale(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	tpOK(t, "create referral", s.CreateReferral(ctx, tpReferral("r1", "mitte", tpBase)))
	r, err := s.Referral(ctx, "r1")
	tpOK(t, "get", err)
	stale := r
	tpOK(t, "contact", r.MarkContacted(tpBase.Add(time.Minute), "fb-1", ""))
	tpOK(t, "update", s.UpdateReferral(ctx, r))
	got, err := s.Referral(ctx, "r1")
	tpOK(t, "get", err)
	if got.Version() != r.Version()+1 || got.Status() != tagespflege.Contacted || len(got.History()) != 2 {
		t.Errorf("after update: version %d status %v history %d, want version %d contacted 2", got.Version(), got.Status(), len(got.History()), r.Version()+1)
	}
	tpIs(t, "stale referral", s.UpdateReferral(ctx, stale), tagespflege.ErrConflict)
	tpIs(t, "same version twice", s.UpdateReferral(ctx, r), tagespflege.ErrConflict)

	tpOK(t, "create minder", s.CreateMinder(ctx, tpMinder("m1", "mitte", 5)))
	m, err := s.Minder(ctx, "m1")
	tpOK(t, "get minder", err)
	m.Capacity = 4
	tpOK(t, "update minder", s.UpdateMinder(ctx, m))
	tpIs(t, "stale minder", s.UpdateMinder(ctx, m), tagespflege.ErrConflict)
	gotM, err := s.Minder(ctx, "m1")
	tpOK(t, "get minder", err)
	if gotM.Version() != 2 || gotM.Capacity != 4 {
		t.Errorf("minder after update: version %d capacity %d, want 2 and 4", gotM.Version(), gotM.Capacity)
	}

	g := tpGroup("g1", "mitte", 9)
	tpOK(t, "create group", s.CreateGroup(ctx, g))
	g.MinderIDs = []string{"m1"}
	tpOK(t, "place with group", g.Place("r1", tpBase.Add(time.Hour)))
	tpOK(t, "update group", s.UpdateGroup(ctx, g))
	tpIs(t, "stale group", s.UpdateGroup(ctx, g), tagespflege.ErrConflict)
	gotG, err := s.Group(ctx, "g1")
	tpOK(t, "get group", err)
	g = g.AtVersion(2)
	tpSame(t, "group", gotG, g)
}

// testTPValuesAreCopiedInAndOut checks that values are copied in and out.
func testTPValuesAreCopiedInAndOut(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	r := tpReferral("r1", "mitte", tpBase)
	tpOK(t, "create", s.CreateReferral(ctx, r))
	r.History()[0].Note = "changed by the caller"
	got, err := s.Referral(ctx, "r1")
	tpOK(t, "get", err)
	got.History()[0].Note = "changed after reading"
	again, err := s.Referral(ctx, "r1")
	tpOK(t, "get again", err)
	if again.History()[0].Note != "" {
		t.Errorf("the store shares its history slice with callers")
	}
	m := tpMinder("m1", "mitte", 5)
	tpOK(t, "create minder", s.CreateMinder(ctx, m))
	m.Hours[0] = 45
	gotM, err := s.Minder(ctx, "m1")
	tpOK(t, "get minder", err)
	gotM.Hours[1] = 45
	againM, err := s.Minder(ctx, "m1")
	tpOK(t, "get minder again", err)
	if againM.Hours[0] != 25 || againM.Hours[1] != 35 {
		t.Errorf("the store shares its hours slice with callers")
	}
}

// testTPReferralsAreListedOldestFirstTiesById checks that referrals are listed oldest first, ties by id, per district, in pages.
func testTPReferralsAreListedOldestFirstTiesById(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	for _, r := range []tagespflege.Referral{
		tpReferral("c", "mitte", tpBase.Add(2*time.Hour)),
		tpReferral("b", "mitte", tpBase),
		tpReferral("a", "mitte", tpBase),
		tpReferral("x", "nord", tpBase.Add(time.Hour)),
		tpReferral("d", "mitte", tpBase.Add(-time.Hour)),
	} {
		tpOK(t, "create "+r.ID, s.CreateReferral(ctx, r))
	}
	for _, tc := range []struct {
		name          string
		district      string
		offset, limit int
		want          []string
	}{
		{"all of one district", "mitte", 0, 0, []string{"d", "a", "b", "c"}},
		{"every district", "", 0, 0, []string{"d", "a", "b", "x", "c"}},
		{"first page", "mitte", 0, 2, []string{"d", "a"}},
		{"second page", "mitte", 2, 2, []string{"b", "c"}},
		{"past the end", "mitte", 4, 2, nil},
		{"an unknown district", "ost", 0, 0, nil},
	} {
		got, err := s.Referrals(ctx, tc.district, tc.offset, tc.limit)
		tpOK(t, tc.name, err)
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, ids, tc.want)
		}
	}
}

// testTPMindersAreListedByIdPerDistrictIn checks that minders are listed by id, per district, in pages.
func testTPMindersAreListedByIdPerDistrictIn(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	for _, m := range []tagespflege.Minder{
		tpMinder("m3", "mitte", 5), tpMinder("m1", "mitte", 5), tpMinder("m9", "nord", 5), tpMinder("m2", "mitte", 5),
	} {
		tpOK(t, "create "+m.ID, s.CreateMinder(ctx, m))
	}
	for _, tc := range []struct {
		name          string
		district      string
		offset, limit int
		want          []string
	}{
		{"all of one district", "mitte", 0, 0, []string{"m1", "m2", "m3"}},
		{"every district", "", 0, 0, []string{"m1", "m2", "m3", "m9"}},
		{"a page", "mitte", 1, 1, []string{"m2"}},
		{"past the end", "nord", 1, 0, nil},
	} {
		got, err := s.Minders(ctx, tc.district, tc.offset, tc.limit)
		tpOK(t, tc.name, err)
		var ids []string
		for _, m := range got {
			ids = append(ids, m.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, ids, tc.want)
		}
	}
}

// testTPADoneContextIsReportedBeforeAnythingHappens checks that a done context is reported before anything happens.
func testTPADoneContextIsReportedBeforeAnythingHappens(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	done, cancel := context.WithCancel(ctx)
	cancel()
	tpIs(t, "create", s.CreateReferral(done, tpReferral("r1", "mitte", tpBase)), context.Canceled)
	_, err := s.Referral(ctx, "r1")
	tpIs(t, "nothing stored", err, tagespflege.ErrNotFound)
	_, err = s.Referrals(done, "", 0, 0)
	tpIs(t, "list", err, context.Canceled)
}

// testTPAnAtomicStepThatFailsInTheMiddle checks that an atomic step that fails in the middle stores nothing.
func testTPAnAtomicStepThatFailsInTheMiddle(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	tpOK(t, "create minder", s.CreateMinder(ctx, tpMinder("m1", "mitte", 5)))
	tpOK(t, "create referral", s.CreateReferral(ctx, tpReferral("r1", "mitte", tpBase)))
	boom := errors.New("boom")
	err := s.Atomic(ctx, func(tx tagespflege.Store) error {
		r, err := tx.Referral(ctx, "r1")
		if err != nil {
			return err
		}
		if err := r.Close(tagespflege.Withdrawn, tpBase, "fb"); err != nil {
			return err
		}
		if err := tx.UpdateReferral(ctx, r); err != nil {
			return err
		}
		if err := tx.CreateReferral(ctx, tpReferral("r2", "mitte", tpBase)); err != nil {
			return err
		}
		m, err := tx.Minder(ctx, "m1")
		if err != nil {
			return err
		}
		m.Capacity = 1
		if err := tx.UpdateMinder(ctx, m); err != nil {
			return err
		}
		if err := tx.CreateGroup(ctx, tpGroup("g1", "mitte", 9)); err != nil {
			return err
		}
		return boom
	})
	tpIs(t, "atomic", err, boom)
	r, err := s.Referral(ctx, "r1")
	tpOK(t, "get r1", err)
	if r.Status() != tagespflege.Open || r.Version() != 1 {
		t.Errorf("the failed step changed the referral: %v version %d", r.Status(), r.Version())
	}
	_, err = s.Referral(ctx, "r2")
	tpIs(t, "r2", err, tagespflege.ErrNotFound)
	m, err := s.Minder(ctx, "m1")
	tpOK(t, "get m1", err)
	if m.Capacity != 5 || m.Version() != 1 {
		t.Errorf("the failed step changed the minder: capacity %d version %d", m.Capacity, m.Version())
	}
	_, err = s.Group(ctx, "g1")
	tpIs(t, "g1", err, tagespflege.ErrNotFound)
}

// testTPAnAtomicStepThatSucceedsKeepsAllIts checks that an atomic step that succeeds keeps all its writes.
func testTPAnAtomicStepThatSucceedsKeepsAllIts(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	err := s.Atomic(ctx, func(tx tagespflege.Store) error {
		if err := tx.CreateReferral(ctx, tpReferral("r1", "mitte", tpBase)); err != nil {
			return err
		}
		if err := tx.CreateMinder(ctx, tpMinder("m1", "mitte", 5)); err != nil {
			return err
		}
		r, err := tx.Referral(ctx, "r1") // the step sees its own writes
		if err != nil {
			return err
		}
		if err := r.MarkContacted(tpBase, "fb", ""); err != nil {
			return err
		}
		return tx.UpdateReferral(ctx, r)
	})
	tpOK(t, "atomic", err)
	r, err := s.Referral(ctx, "r1")
	tpOK(t, "get", err)
	if r.Status() != tagespflege.Contacted || r.Version() != 2 {
		t.Errorf("got %v version %d, want contacted version 2", r.Status(), r.Version())
	}
	_, err = s.Minder(ctx, "m1")
	tpOK(t, "get minder", err)
}

// testTPOf50OfficesPlacingWithAMinderWith checks that of 50 offices placing with a minder with one free place exactly one wins (service).
func testTPOf50OfficesPlacingWithAMinderWith(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	svc := tpService(t, s)
	tpOK(t, "create minder", s.CreateMinder(ctx, tpMinder("m1", "mitte", 1)))
	ids := tpReferrals(t, s, 50)
	errs := tpRace(ids, func(id string) error {
		_, err := svc.Place(ctx, id, "m1", date.New(2026, time.August, 1), "fb-"+id)
		return err
	})
	tpOneWinner(t, s, errs, ids, "m1")
}

// testTPOf50StepsPlacingWithStaleReadsOf checks that of 50 steps placing with stale reads of the minder exactly one wins (version check).
func testTPOf50StepsPlacingWithStaleReadsOf(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	tpOK(t, "create minder", s.CreateMinder(ctx, tpMinder("m1", "mitte", 1)))
	ids := tpReferrals(t, s, 50)
	// Every goroutine reads the minder before its step, so every one
	// sees the free place: only the version check can stop the losers.
	var ready sync.WaitGroup
	ready.Add(len(ids))
	errs := tpRace(ids, func(id string) error {
		m, err := s.Minder(ctx, "m1")
		ready.Done()
		if err != nil {
			return err
		}
		ready.Wait()
		if len(m.Placements()) >= m.Capacity {
			return tagespflege.ErrMinderFull
		}
		return s.Atomic(ctx, func(tx tagespflege.Store) error {
			r, err := tx.Referral(ctx, id)
			if err != nil {
				return err
			}
			start := date.New(2026, time.August, 1)
			if err := r.Place("m1", start, tpBase, "fb"); err != nil {
				return err
			}
			if err := tx.UpdateReferral(ctx, r); err != nil {
				return err
			}
			if err := m.Place(id, start, tpBase); err != nil {
				return err
			}
			return tx.UpdateMinder(ctx, m)
		})
	})
	tpOneWinner(t, s, errs, ids, "m1")
}

// testTPOfOfficesPlacingWithTwoMindersOfA checks that of offices placing with two minders of a Großtagespflege with one free place exactly one wins.
func testTPOfOfficesPlacingWithTwoMindersOfA(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Tagespflege
	svc := tpService(t, s)
	tpOK(t, "create group", s.CreateGroup(ctx, tpGroup("g1", "mitte", 1, "m1", "m2")))
	for _, id := range []string{"m1", "m2"} {
		m := tpMinder(id, "mitte", 5)
		m.GroupID = "g1"
		tpOK(t, "create "+id, s.CreateMinder(ctx, m))
	}
	ids := tpReferrals(t, s, 20)
	errs := tpRace(ids, func(id string) error {
		minder := "m1"
		if id[len(id)-1]%2 == 0 {
			minder = "m2"
		}
		_, err := svc.Place(ctx, id, minder, date.New(2026, time.August, 1), "fb")
		return err
	})
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, tagespflege.ErrMinderFull), errors.Is(err, tagespflege.ErrConflict):
		default:
			t.Errorf("%s: unexpected error %v", ids[i], err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d placements won, want exactly 1", wins)
	}
	g, err := s.Group(ctx, "g1")
	tpOK(t, "get group", err)
	if len(g.Placements()) != 1 {
		t.Errorf("group has %d placements, want 1", len(g.Placements()))
	}
}

func tpService(t *testing.T, s tagespflege.Store) *tagespflege.Service {
	t.Helper()
	offices, err := tagespflege.NewOffices([]tagespflege.Office{{
		District: "mitte", Name: "Fachberatung Mitte", Email: "fb-mitte@example.org",
		Address: geo.Address{Street: "Willy-Brandt-Platz", HouseNumber: "2", PostalCode: "44787", City: "Bochum"},
	}})
	tpOK(t, "offices", err)
	return tagespflege.NewService(s, offices, func() time.Time { return tpBase })
}

func tpReferrals(t *testing.T, s tagespflege.Store, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("r%02d", i)
		tpOK(t, "create referral", s.CreateReferral(context.Background(), tpReferral(ids[i], "mitte", tpBase)))
	}
	return ids
}

// tpRace runs place for every id at once, released together, and returns
// the errors in the order of ids.
func tpRace(ids []string, place func(id string) error) []error {
	errs := make([]error, len(ids))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			<-start
			errs[i] = place(id)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// tpOneWinner checks that exactly one placement won and left its trace, and
// that every loser failed with ErrMinderFull or ErrConflict and left none.
func tpOneWinner(t *testing.T, s tagespflege.Store, errs []error, ids []string, minderID string) {
	t.Helper()
	ctx := context.Background()
	winner := ""
	for i, err := range errs {
		switch {
		case err == nil:
			if winner != "" {
				t.Errorf("%s and %s both won the last place", winner, ids[i])
			}
			winner = ids[i]
		case errors.Is(err, tagespflege.ErrMinderFull), errors.Is(err, tagespflege.ErrConflict):
		default:
			t.Errorf("%s: got %v, want ErrMinderFull or ErrConflict", ids[i], err)
		}
	}
	if winner == "" {
		t.Fatal("no placement won")
	}
	m, err := s.Minder(ctx, minderID)
	tpOK(t, "get minder", err)
	if p := m.Placements(); len(p) != 1 || p[0].ReferralID != winner {
		t.Errorf("minder placements %+v, want only %s", p, winner)
	}
	for _, id := range ids {
		r, err := s.Referral(ctx, id)
		tpOK(t, "get "+id, err)
		want := tagespflege.Open
		if id == winner {
			want = tagespflege.Placed
		}
		if r.Status() != want {
			t.Errorf("%s is %v, want %v", id, r.Status(), want)
		}
	}
}
