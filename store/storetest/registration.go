package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// regT0 is the suite's fixed instant, in UTC at microsecond precision,
// which every SQL database stores exactly.
var regT0 = time.Date(2021, time.March, 1, 9, 30, 0, 123456000, time.UTC)

const regYear = "2021/2022"

// regApp returns a complete, submitted application of a family for a Kita
// year, submitted at regT0+age and choosing kitas in rank order.
func regApp(id, family, childKey string, age time.Duration, kitas ...string) registration.Application {
	at := regT0.Add(age)
	a := registration.Application{
		ID:        id,
		Reference: "BO-2021-" + id,
		FamilyID:  family,
		Year:      regYear,
		Child: registration.Child{
			GivenName: "Mia", FamilyName: "Muster", BirthDate: date.New(2019, time.May, 4),
		},
		Guardians: []registration.Guardian{{
			GivenName: "Eva", FamilyName: "Muster", Email: "eva@example.org", Language: "de", Working: true,
		}},
		Address:     geo.Address{Street: "Hauptstraße", HouseNumber: "1a", PostalCode: "44787", City: "Bochum"},
		District:    "mitte",
		Start:       date.New(2021, time.August, 1),
		Hours:       35,
		ConsentAt:   at,
		ChildKey:    childKey,
		SubmittedAt: at,
		UpdatedAt:   at,
	}
	a = registration.Rehydrate(a, registration.Lifecycle{Status: registration.Confirmed, History: []registration.Event{
		{At: at, Actor: "family:" + family, To: registration.Submitted},
		{At: at, Actor: "family:" + family, From: registration.Submitted, To: registration.Confirmed, Reason: "confirmation_issued"},
	}})
	for i, k := range kitas {
		a.Choices = append(a.Choices, registration.Choice{Rank: i + 1, KitaID: k, Status: registration.Waiting, Carrier: "c1"})
	}
	return a
}

// regNorm makes applications comparable across adapters: instants in UTC
// without monotonic reading, empty slices as nil.
func regNorm(a registration.Application) registration.Application {
	a = a.Clone()
	tm := func(t time.Time) time.Time { return t.Round(0).UTC() }
	a.ConsentAt, a.SubmittedAt, a.UpdatedAt = tm(a.ConsentAt), tm(a.SubmittedAt), tm(a.UpdatedAt)
	if a.Offer() != nil {
		a.Offer().At = tm(a.Offer().At)
	}
	for i := range a.History() {
		a.History()[i].At = tm(a.History()[i].At)
	}
	if len(a.Guardians) == 0 {
		a.Guardians = nil
	}
	if len(a.Choices) == 0 {
		a.Choices = nil
	}
	if len(a.Flags) == 0 {
		a.Flags = nil
	}
	if len(a.History()) == 0 {
		a = regWith(a, func(l *registration.Lifecycle) { l.History = nil })
	}
	if len(a.Criteria.SiblingKitaIDs) == 0 {
		a.Criteria.SiblingKitaIDs = nil
	}
	return a
}

func regSame(t *testing.T, what string, got, want registration.Application) {
	t.Helper()
	if g, w := regNorm(got), regNorm(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

func regOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func regIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", what, err, want)
	}
}

// regInsert stores applications, each in an atomic step of its own.
func regInsert(t *testing.T, s registration.Store, apps ...registration.Application) {
	t.Helper()
	for _, a := range apps {
		regOK(t, "insert "+a.ID, s.Atomic(context.Background(), func(tx registration.Tx) error {
			return tx.Insert(context.Background(), a)
		}))
	}
}

// regStored inserts a in a step of its own and returns it as the store
// reads it back.
func regStored(t *testing.T, s registration.Store, a registration.Application) registration.Application {
	t.Helper()
	regInsert(t, s, a)
	got, err := s.Application(context.Background(), a.ID)
	regOK(t, "Application", err)
	return got
}

// regUpdate stores a in an atomic step of its own and returns the error.
func regUpdate(s registration.Store, a registration.Application) error {
	return s.Atomic(context.Background(), func(tx registration.Tx) error {
		return tx.Update(context.Background(), a)
	})
}

func regIDs(apps []registration.Application) string {
	s := make([]string, len(apps))
	for i, a := range apps {
		s[i] = a.ID
	}
	return strings.Join(s, ",")
}

// RunRegistrations checks an adapter's [registration.Store]: insert, read,
// update and list of applications; ErrNotFound, ErrExists, ErrDuplicate
// (idempotency key per family, one active application per child, family
// and Kita year) and ErrConflict; ordering, paging and every query filter; round
// trips of awkward values; sequences; all-or-nothing atomic steps across
// the application, the referral and the outbox; the race for the last place
// of a Kita, which exactly one of fifty steps wins; places; the audit
// trail; and a family's messages and their erasure.
//
// The factory must fill Registrations, Tagespflege and Outbox with views of
// one backend.
func RunRegistrations(t *testing.T, newStores Factory) {
	t.Run("an inserted application reads back as stored with version 1", func(t *testing.T) { testRegAnInsertedApplicationReadsBackAsStoredWith(t, newStores) })
	t.Run("awkward values survive the round trip", func(t *testing.T) { testRegAwkwardValuesSurviveTheRoundTrip(t, newStores) })
	t.Run("unknown ids and keys are ErrNotFound", func(t *testing.T) { testRegUnknownIdsAndKeysAreErrNotFound(t, newStores) })
	t.Run("a taken id is ErrExists", func(t *testing.T) { testRegATakenIdIsErrExists(t, newStores) })
	t.Run("a family uses an idempotency key once", func(t *testing.T) { testRegAFamilyUsesAnIdempotencyKeyOnce(t, newStores) })
	t.Run("a child has one active application per family and Kita year", func(t *testing.T) { testRegAChildHasOneActiveApplicationPerFamily(t, newStores) })
	t.Run("an update stores version+1 and a stale version is ErrConflict", func(t *testing.T) { testRegAnUpdateStoresVersion1AndAStale(t, newStores) })
	t.Run("a refused write leaves the step usable", func(t *testing.T) { testRegARefusedWriteLeavesTheStepUsable(t, newStores) })
	t.Run("applications are listed by submission time, then id, in pages", func(t *testing.T) { testRegApplicationsAreListedBySubmissionTimeThenId(t, newStores) })
	t.Run("every query filter selects", func(t *testing.T) { testRegEveryQueryFilterSelects(t, newStores) })
	t.Run("returned applications are copies", func(t *testing.T) { testRegReturnedApplicationsAreCopies(t, newStores) })
	t.Run("sequences count per name and a failed step gives its number back", func(t *testing.T) { testRegSequencesCountPerNameAndAFailedStep(t, newStores) })
	t.Run("a step that fails after writing application, referral and message stores none of them", func(t *testing.T) { testRegAStepThatFailsAfterWritingApplicationReferral(t, newStores) })
	t.Run("an update in a failing step leaves the application as it was", func(t *testing.T) { testRegAnUpdateInAFailingStepLeavesTheApplication(t, newStores) })
	t.Run("a step that panics stores nothing and the store stays usable", func(t *testing.T) { testRegAStepThatPanicsStoresNothingAndThe(t, newStores) })
	t.Run("a step that succeeds stores application, referral and message", func(t *testing.T) { testRegAStepThatSucceedsStoresApplicationReferralAnd(t, newStores) })
	t.Run("of fifty steps taking the last place of a Kita exactly one wins", func(t *testing.T) { testRegOfFiftyStepsTakingTheLastPlaceOf(t, newStores) })
	t.Run("places are taken up to capacity and released down to zero", func(t *testing.T) { testRegPlacesAreTakenUpToCapacityAndReleased(t, newStores) })
	t.Run("places are listed by Kita and band and SetPlaces keeps what is taken", func(t *testing.T) { testRegPlacesAreListedByKitaAndBandAnd(t, newStores) })
	t.Run("places set inside a step are taken in it, kept with it and undone with it", func(t *testing.T) { testRegPlacesSetInsideAStep(t, newStores) })
	t.Run("audit entries are listed by instant then sequence, with filters and pages", func(t *testing.T) { testRegAuditEntriesAreListedByInstantThenSequence(t, newStores) })
	t.Run("a family's messages are listed oldest first", func(t *testing.T) { testRegAFamilyMessagesAreListedOldestFirst(t, newStores) })
	t.Run("erasing a family's messages removes exactly those, sent or not", func(t *testing.T) { testRegErasingAFamilyMessagesRemovesExactlyThose(t, newStores) })
	t.Run("a done context is refused", func(t *testing.T) { testRegADoneContextIsRefused(t, newStores) })
	t.Run("an upgrade offer with its held place and the together wish read back as stored", func(t *testing.T) { testRegAnUpgradeOfferWithItsHeldPlace(t, newStores) })
}

// testRegAnUpgradeOfferWithItsHeldPlace checks that an application kept
// together with a sibling, holding its accepted place while an upgrade
// offer is open, reads back as stored, and again after an update.
func testRegAnUpgradeOfferWithItsHeldPlace(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	want := regApp("a1", "f1", "child-1", 0, "k1", "k2")
	want.Together = true
	want.Choices[0].Status = registration.ChoiceOffered
	want.Choices[1].Status = registration.ChoiceAccepted
	want = regWith(want, func(l *registration.Lifecycle) {
		l.Status = registration.Offered
		l.Offer = &registration.Offer{KitaID: "k1", Band: kita.Under3, Round: 2, At: regT0.Add(48 * time.Hour), RespondBy: date.New(2021, time.March, 17)}
		l.Held = &registration.Offer{KitaID: "k2", Band: kita.Under3, Round: 1, At: regT0.Add(24 * time.Hour), RespondBy: date.New(2021, time.March, 16)}
		l.Version = 1
	})
	regInsert(t, s, want)
	got, err := s.Application(ctx, "a1")
	regOK(t, "Application", err)
	regSame(t, "Application", got, want)
	if h := got.Held(); h == nil || h.KitaID != "k2" || !h.At.Equal(regT0.Add(24*time.Hour)) {
		t.Errorf("Held: got %+v, want the accepted place at k2", h)
	}
	regOK(t, "Update", s.Atomic(ctx, func(tx registration.Tx) error { return tx.Update(ctx, got) }))
	got, err = s.Application(ctx, "a1")
	regOK(t, "Application after Update", err)
	regSame(t, "Application after Update", got, regWith(want, func(l *registration.Lifecycle) { l.Version = 2 }))
}

// testRegAnInsertedApplicationReadsBackAsStoredWith checks that an inserted application reads back as stored with version 1.
func testRegAnInsertedApplicationReadsBackAsStoredWith(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	want := regApp("a1", "f1", "child-1", 0, "k1", "k2")
	want.IdempotencyKey = "key-1"
	want = regWith(want, func(l *registration.Lifecycle) { l.Version = 7 }) // the store sets 1
	regInsert(t, s, want)
	want = regWith(want, func(l *registration.Lifecycle) { l.Version = 1 })
	got, err := s.Application(ctx, "a1")
	regOK(t, "Application", err)
	regSame(t, "Application", got, want)
	got, err = s.ApplicationByKey(ctx, "f1", "key-1")
	regOK(t, "ApplicationByKey", err)
	regSame(t, "ApplicationByKey", got, want)
	regOK(t, "read in a step", s.Atomic(ctx, func(tx registration.Tx) error {
		got, err := tx.Application(ctx, "a1")
		if err != nil {
			return err
		}
		regSame(t, "tx.Application", got, want)
		got, err = tx.ApplicationByKey(ctx, "f1", "key-1")
		if err != nil {
			return err
		}
		regSame(t, "tx.ApplicationByKey", got, want)
		list, err := tx.Applications(ctx, registration.Query{})
		if err != nil {
			return err
		}
		if regIDs(list) != "a1" {
			t.Errorf("tx.Applications: got %s, want a1", regIDs(list))
		}
		return nil
	}))
}

// testRegAwkwardValuesSurviveTheRoundTrip checks that awkward values survive the round trip.
func testRegAwkwardValuesSurviveTheRoundTrip(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	plain := regApp("a-ö", "f-ß", "child-ä", 0, "k-ü")
	plain.Child = registration.Child{GivenName: "Jürgen", FamilyName: "Ößmann-Çelik", BirthDate: date.New(2020, time.February, 29)}
	plain.Guardians[0].GivenName, plain.Guardians[0].FamilyName = "Zoë 'Zo' \"Z\"", "Ößmann-Çelik\\Łukasz 👶"
	plain.Address.Street = "Straße des 17. Juni – Hinterhaus"
	plain.TP = nil
	plain = regWith(plain, func(l *registration.Lifecycle) { l.Offer = nil })
	plain.Flags = []registration.Flag{registration.FlagShortNotice, registration.FlagLate}
	plain.Criteria = registration.Criteria{SiblingKitaIDs: []string{"k-ü"}, SingleParent: true, Hardship: true, HardshipReason: "medical"}

	full := regApp("a-2", "f-2", "child-2", time.Microsecond, "k1", "k2", "k3")
	full.Child.BirthDate = date.New(2024, time.February, 29)
	full.Child.Unborn = true
	full.TP = &registration.Tagespflege{District: "süd", ReferralID: "r-1"}
	full = regWith(full, func(l *registration.Lifecycle) { l.Status = registration.Offered })
	full.Choices[1].Status = registration.ChoiceOffered
	full = regWith(full, func(l *registration.Lifecycle) {
		l.Offer = &registration.Offer{KitaID: "k2", Band: kita.From3, Round: 2, At: regT0.Add(36 * time.Hour), RespondBy: date.New(2024, time.February, 29)}
	})

	empty := registration.Rehydrate(registration.Application{ID: "a-empty", FamilyID: "f-3", Year: regYear}, registration.Lifecycle{Status: registration.Submitted})

	regInsert(t, s, plain, full, empty)
	for _, want := range []registration.Application{plain, full, empty} {
		want = regWith(want, func(l *registration.Lifecycle) { l.Version = 1 })
		got, err := s.Application(ctx, want.ID)
		regOK(t, "Application "+want.ID, err)
		regSame(t, want.ID, got, want)
		if want.TP == nil && got.TP != nil || want.Offer() == nil && got.Offer() != nil {
			t.Errorf("%s: empty optionals came back set: TP %v, Offer %v", want.ID, got.TP, got.Offer())
		}
		if !got.SubmittedAt.Equal(want.SubmittedAt) {
			t.Errorf("%s: SubmittedAt %v, want %v", want.ID, got.SubmittedAt, want.SubmittedAt)
		}
	}
}

// testRegUnknownIdsAndKeysAreErrNotFound checks that unknown ids and keys are ErrNotFound.
func testRegUnknownIdsAndKeysAreErrNotFound(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	regInsert(t, s, regApp("a1", "f1", "child-1", 0, "k1"))
	_, err := s.Application(ctx, "nope")
	regIs(t, "Application", err, registration.ErrNotFound)
	_, err = s.ApplicationByKey(ctx, "f1", "nope")
	regIs(t, "ApplicationByKey", err, registration.ErrNotFound)
	_, err = s.ApplicationByKey(ctx, "f1", "")
	regIs(t, "ApplicationByKey with an empty key", err, registration.ErrNotFound)
	regIs(t, "Update", regUpdate(s, regApp("nope", "f1", "", 0)), registration.ErrNotFound)
}

// testRegATakenIdIsErrExists checks that a taken id is ErrExists.
func testRegATakenIdIsErrExists(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	regInsert(t, s, regApp("a1", "f1", "child-1", 0, "k1"))
	err := s.Atomic(ctx, func(tx registration.Tx) error {
		return tx.Insert(ctx, regApp("a1", "f2", "child-2", 0, "k2"))
	})
	regIs(t, "Insert", err, registration.ErrExists)
	got, _ := s.Application(ctx, "a1")
	if got.FamilyID != "f1" {
		t.Errorf("the first application was replaced: family %q", got.FamilyID)
	}
}

// testRegAFamilyUsesAnIdempotencyKeyOnce checks that a family uses an idempotency key once.
func testRegAFamilyUsesAnIdempotencyKeyOnce(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	a := regApp("a1", "f1", "child-1", 0, "k1")
	a.IdempotencyKey = "key"
	regInsert(t, s, a)
	b := regApp("a2", "f1", "child-2", 0, "k1")
	b.IdempotencyKey = "key"
	regIs(t, "same family, same key", s.Atomic(ctx, func(tx registration.Tx) error { return tx.Insert(ctx, b) }), registration.ErrDuplicate)
	c := regApp("a3", "f2", "child-3", 0, "k1")
	c.IdempotencyKey = "key"
	d := regApp("a4", "f1", "child-4", 0, "k1")
	e := regApp("a5", "f1", "child-5", 0, "k1")
	regInsert(t, s, c, d, e) // another family; no key twice
	got, err := s.ApplicationByKey(ctx, "f2", "key")
	regOK(t, "ApplicationByKey", err)
	if got.ID != "a3" {
		t.Errorf("ApplicationByKey(f2): got %s, want a3", got.ID)
	}
}

// testRegAChildHasOneActiveApplicationPerFamily checks that a child has one active application per family and Kita year.
func testRegAChildHasOneActiveApplicationPerFamily(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	first := regApp("a1", "f1", "child-1", 0, "k1")
	regInsert(t, s, first)
	insert := func(a registration.Application) error {
		return s.Atomic(ctx, func(tx registration.Tx) error { return tx.Insert(ctx, a) })
	}
	regIs(t, "second active", insert(regApp("a2", "f1", "child-1", 0, "k2")), registration.ErrDuplicate)
	// Another family's child with the same key is not this family's
	// business: the store keeps both (the Jugendamt reviews the match).
	regOK(t, "the same key in another family", insert(regApp("a2b", "f2", "child-1", 0, "k2")))
	next := regApp("a3", "f1", "child-1", 0, "k1")
	next.Year = "2022/2023"
	regOK(t, "another Kita year", insert(next))
	withdrawn := regApp("a4", "f1", "child-1", 0, "k1")
	withdrawn = regWith(withdrawn, func(l *registration.Lifecycle) { l.Status = registration.Withdrawn })
	regOK(t, "a withdrawn one beside the active one", insert(withdrawn))
	regOK(t, "no child key twice", insert(regApp("a5", "f1", "", 0, "k1")))
	regOK(t, "no child key twice", insert(regApp("a6", "f1", "", 0, "k1")))

	first = regWith(first, func(l *registration.Lifecycle) { l.Version = 1 })
	first = regWith(first, func(l *registration.Lifecycle) { l.Status = registration.Withdrawn })
	regOK(t, "withdraw the first", regUpdate(s, first))
	again := regApp("a7", "f1", "child-1", 0, "k3")
	regOK(t, "insert after the withdrawal", insert(again))

	back, err := s.Application(ctx, "a1")
	regOK(t, "Application", err)
	back = regWith(back, func(l *registration.Lifecycle) { l.Status = registration.Confirmed })
	regIs(t, "reactivating the withdrawn one", regUpdate(s, back), registration.ErrDuplicate)
	got, _ := s.Application(ctx, "a1")
	if got.Status() != registration.Withdrawn || got.Version() != 2 {
		t.Errorf("after the refused update: %v version %d, want withdrawn version 2", got.Status(), got.Version())
	}
}

// testRegAnUpdateStoresVersion1AndAStale checks that an update stores version+1 and a stale version is ErrConflict.
func testRegAnUpdateStoresVersion1AndAStale(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	a := regStored(t, s, regApp("a1", "f1", "child-1", 0, "k1"))
	stale := a
	a = regWith(a, func(l *registration.Lifecycle) { l.Status = registration.Offered })
	a = regWith(a, func(l *registration.Lifecycle) {
		l.Offer = &registration.Offer{KitaID: "k1", Band: kita.Under3, Round: 1, At: regT0.Add(time.Hour), RespondBy: date.New(2021, time.March, 15)}
	})
	a.UpdatedAt = regT0.Add(time.Hour)
	regOK(t, "Update", regUpdate(s, a))
	got, err := s.Application(ctx, "a1")
	regOK(t, "Application", err)
	want := a
	want = regWith(want, func(l *registration.Lifecycle) { l.Version = 2 })
	regSame(t, "after Update", got, want)
	stale.District = "süd"
	regIs(t, "stale Update", regUpdate(s, stale), registration.ErrConflict)
	regOK(t, "Update with the new version", regUpdate(s, got))
	got, _ = s.Application(ctx, "a1")
	if got.Version() != 3 || got.District != "mitte" {
		t.Errorf("got version %d district %q, want 3 mitte", got.Version(), got.District)
	}
}

// testRegARefusedWriteLeavesTheStepUsable checks that a refused write leaves the step usable.
func testRegARefusedWriteLeavesTheStepUsable(t *testing.T, newStores Factory) {
	ctx := context.Background()
	stores := newStores(t)
	s := stores.Registrations
	regInsert(t, s, regApp("a1", "f1", "child-1", 0, "k1"))
	regOK(t, "SetPlaces", s.SetPlaces(ctx, registration.Places{PlaceKey: registration.PlaceKey{KitaID: "k1", Year: regYear, Band: kita.From3}, Capacity: 0}))
	err := s.Atomic(ctx, func(tx registration.Tx) error {
		regIs(t, "ErrExists", tx.Insert(ctx, regApp("a1", "f1", "child-9", 0, "k1")), registration.ErrExists)
		regIs(t, "ErrDuplicate", tx.Insert(ctx, regApp("a2", "f1", "child-1", 0, "k1")), registration.ErrDuplicate)
		regIs(t, "ErrConflict", tx.Update(ctx, regApp("a1", "f1", "child-1", 0, "k1")), registration.ErrConflict)
		regIs(t, "ErrNotFound", tx.Update(ctx, regApp("a9", "f1", "child-9", 0, "k1")), registration.ErrNotFound)
		regIs(t, "ErrNoPlace", tx.TakePlace(ctx, registration.PlaceKey{KitaID: "k1", Year: regYear, Band: kita.From3}), registration.ErrNoPlace)
		return tx.Insert(ctx, regApp("a3", "f1", "child-3", 0, "k1"))
	})
	regOK(t, "step after refused writes", err)
	if _, err := s.Application(ctx, "a3"); err != nil {
		t.Errorf("the step's write was lost: %v", err)
	}
}

// testRegApplicationsAreListedBySubmissionTimeThenId checks that applications are listed by submission time, then id, in pages.
func testRegApplicationsAreListedBySubmissionTimeThenId(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	regInsert(t, s,
		regApp("c", "f1", "child-c", 2*time.Second, "k1"),
		regApp("b", "f1", "child-b", time.Second, "k1"),
		regApp("a", "f1", "child-a", 2*time.Second, "k1"),
		regApp("d", "f1", "child-d", time.Microsecond, "k1"),
		regApp("e", "f1", "child-e", 0, "k1"),
	)
	cases := []struct {
		name          string
		offset, limit int
		want          string
	}{
		{"all", 0, 0, "e,d,b,a,c"},
		{"the first page", 0, 2, "e,d"},
		{"the second page", 2, 2, "b,a"},
		{"the last, short page", 4, 2, "c"},
		{"past the end", 5, 2, ""},
		{"from an offset to the end", 3, 0, "a,c"},
		{"a negative offset counts as none", -1, 1, "e"},
	}
	for _, tc := range cases {
		got, err := s.Applications(ctx, registration.Query{Offset: tc.offset, Limit: tc.limit})
		regOK(t, tc.name, err)
		if regIDs(got) != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, regIDs(got), tc.want)
		}
	}
}

// testRegEveryQueryFilterSelects checks that every query filter selects.
func testRegEveryQueryFilterSelects(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	a1 := regApp("a1", "f1", "child-1", 1*time.Second, "k1", "k2")
	a2 := regApp("a2", "f1", "child-2", 2*time.Second, "k3")
	a2 = regWith(a2, func(l *registration.Lifecycle) { l.Status = registration.Offered })
	a3 := regApp("a3", "f2", "child-3", 3*time.Second, "k2", "k4")
	a3.Year = "2022/2023"
	a4 := regApp("a4", "f3", "child-1", 4*time.Second, "k5")
	a4.Year = "2022/2023"
	a4 = regWith(a4, func(l *registration.Lifecycle) { l.Status = registration.Declined })
	a5 := regApp("a5", "f3", "child-5", 5*time.Second)
	a5 = regWith(a5, func(l *registration.Lifecycle) { l.Status = registration.Withdrawn })
	regInsert(t, s, a1, a2, a3, a4, a5)
	cases := []struct {
		name string
		q    registration.Query
		want string
	}{
		{"by family", registration.Query{FamilyID: "f1"}, "a1,a2"},
		{"by Kita year", registration.Query{Year: "2022/2023"}, "a3,a4"},
		{"by one Kita, any rank", registration.Query{KitaIDs: []string{"k2"}}, "a1,a3"},
		{"by any of several Kitas", registration.Query{KitaIDs: []string{"k3", "k5", "k9"}}, "a2,a4"},
		{"by an unknown Kita", registration.Query{KitaIDs: []string{"k9"}}, ""},
		{"by one status", registration.Query{Statuses: []registration.Status{registration.Confirmed}}, "a1,a3"},
		{"by several statuses", registration.Query{Statuses: []registration.Status{registration.Offered, registration.Declined, registration.Withdrawn}}, "a2,a4,a5"},
		{"by child", registration.Query{ChildKey: "child-1"}, "a1,a4"},
		{"by all at once", registration.Query{FamilyID: "f3", Year: "2022/2023", KitaIDs: []string{"k5"}, Statuses: []registration.Status{registration.Declined}, ChildKey: "child-1"}, "a4"},
		{"by all, one not matching", registration.Query{FamilyID: "f3", Year: regYear, ChildKey: "child-1"}, ""},
		{"by filter and page", registration.Query{Year: "2022/2023", Offset: 1, Limit: 1}, "a4"},
		{"an unknown family", registration.Query{FamilyID: "f9"}, ""},
	}
	for _, tc := range cases {
		got, err := s.Applications(ctx, tc.q)
		regOK(t, tc.name, err)
		if regIDs(got) != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, regIDs(got), tc.want)
		}
	}
}

// testRegReturnedApplicationsAreCopies checks that returned applications are copies.
func testRegReturnedApplicationsAreCopies(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	a := regApp("a1", "f1", "child-1", 0, "k1", "k2")
	regInsert(t, s, a)
	a.Choices[0].KitaID = "changed" // the caller's value after Insert
	got, _ := s.Application(ctx, "a1")
	got.Choices[1].KitaID = "changed"
	got.History()[0].Actor = "changed"
	list, _ := s.Applications(ctx, registration.Query{})
	list[0].Guardians[0].Email = "changed"
	again, _ := s.Application(ctx, "a1")
	if again.Choices[0].KitaID != "k1" || again.Choices[1].KitaID != "k2" || again.History()[0].Actor != "family:f1" || again.Guardians[0].Email != "eva@example.org" {
		t.Errorf("a caller's change reached the store: %+v", again)
	}
}

// testRegSequencesCountPerNameAndAFailedStep checks that sequences count per name and a failed step gives its number back.
func testRegSequencesCountPerNameAndAFailedStep(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	next := func(name string) int64 {
		t.Helper()
		var n int64
		regOK(t, "NextSequence", s.Atomic(ctx, func(tx registration.Tx) (err error) {
			n, err = tx.NextSequence(ctx, name)
			return err
		}))
		return n
	}
	for i, want := range []int64{1, 2, 3} {
		if got := next("BO-2021"); got != want {
			t.Errorf("call %d: got %d, want %d", i+1, got, want)
		}
	}
	if got := next("BO-2022"); got != 1 {
		t.Errorf("another name: got %d, want 1", got)
	}
	boom := errors.New("boom")
	err := s.Atomic(ctx, func(tx registration.Tx) error {
		for range 2 {
			if _, err := tx.NextSequence(ctx, "BO-2021"); err != nil {
				return err
			}
		}
		return boom
	})
	regIs(t, "failed step", err, boom)
	if got := next("BO-2021"); got != 4 {
		t.Errorf("after a failed step: got %d, want 4", got)
	}
	var twice []int64
	regOK(t, "two in one step", s.Atomic(ctx, func(tx registration.Tx) error {
		twice = twice[:0]
		for range 2 {
			n, err := tx.NextSequence(ctx, "BO-2022")
			if err != nil {
				return err
			}
			twice = append(twice, n)
		}
		return nil
	}))
	if !slices.Equal(twice, []int64{2, 3}) {
		t.Errorf("two in one step: got %v, want [2 3]", twice)
	}
}

// testRegAStepThatFailsAfterWritingApplicationReferral checks that a step that fails after writing application, referral and message stores none of them.
func testRegAStepThatFailsAfterWritingApplicationReferral(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	boom := errors.New("boom")
	err := st.Registrations.Atomic(ctx, func(tx registration.Tx) error {
		if err := regSubmitTx(ctx, tx, 1); err != nil {
			t.Errorf("writes: %v", err)
		}
		return boom
	})
	regIs(t, "Atomic", err, boom)
	_, err = st.Registrations.Application(ctx, "a1")
	regIs(t, "application", err, registration.ErrNotFound)
	_, err = st.Tagespflege.Referral(ctx, "ra1")
	regIs(t, "referral", err, tagespflege.ErrNotFound)
	_, err = st.Outbox.Message(ctx, "ma1")
	regIs(t, "message", err, notify.ErrNotFound)
	if msgs, err := st.Registrations.FamilyMessages(ctx, "f1"); err != nil || len(msgs) != 0 {
		t.Errorf("FamilyMessages: got %d, %v; want none", len(msgs), err)
	}
}

// testRegAnUpdateInAFailingStepLeavesTheApplication checks that an
// update undone with its step leaves the stored application, its version
// and its family's list as they were.
func testRegAnUpdateInAFailingStepLeavesTheApplication(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	want := regStored(t, s, regApp("a1", "f1", "child-1", 0, "k1"))
	boom := errors.New("boom")
	err := s.Atomic(ctx, func(tx registration.Tx) error {
		changed := want
		changed.Reference = "BO-2021-changed"
		if err := tx.Update(ctx, changed); err != nil {
			t.Errorf("Update: %v", err)
		}
		return boom
	})
	regIs(t, "failed step", err, boom)
	got, err := s.Application(ctx, "a1")
	regOK(t, "Application after the failed step", err)
	regSame(t, "Application after the failed step", got, want)
	list, err := s.Applications(ctx, registration.Query{FamilyID: "f1"})
	regOK(t, "Applications", err)
	if len(list) != 1 || list[0].ID != "a1" {
		t.Errorf("the family's list: got %d applications, want a1 alone", len(list))
	}
}

// testRegAStepThatPanicsStoresNothingAndThe checks that a step that panics stores nothing and the store stays usable.
func testRegAStepThatPanicsStoresNothingAndThe(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was swallowed")
			}
		}()
		_ = st.Registrations.Atomic(ctx, func(tx registration.Tx) error {
			_ = regSubmitTx(ctx, tx, 1)
			panic("boom")
		})
	}()
	_, err := st.Registrations.Application(ctx, "a1")
	regIs(t, "application", err, registration.ErrNotFound)
	regOK(t, "next step", st.Registrations.Atomic(ctx, func(tx registration.Tx) error { return regSubmitTx(ctx, tx, 2) }))
}

// testRegAStepThatSucceedsStoresApplicationReferralAnd checks that a step that succeeds stores application, referral and message.
func testRegAStepThatSucceedsStoresApplicationReferralAnd(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	regOK(t, "Atomic", st.Registrations.Atomic(ctx, func(tx registration.Tx) error { return regSubmitTx(ctx, tx, 1) }))
	_, err := st.Registrations.Application(ctx, "a1")
	regOK(t, "application", err)
	r, err := st.Tagespflege.Referral(ctx, "ra1")
	regOK(t, "referral", err)
	if r.ApplicationID != "a1" || r.Status() != tagespflege.Open {
		t.Errorf("referral: %+v", r)
	}
	m, err := st.Outbox.Message(ctx, "ma1")
	regOK(t, "message", err)
	if m.Subject != "a1" || m.Status != notify.Pending {
		t.Errorf("message: %+v", m)
	}
	err = st.Registrations.Atomic(ctx, func(tx registration.Tx) error {
		return tx.CreateReferral(ctx, tagespflege.NewReferral("ra1", "a1", "f1", "x", "mitte", regT0))
	})
	regIs(t, "a taken referral id", err, tagespflege.ErrExists)
	err = st.Registrations.Atomic(ctx, func(tx registration.Tx) error { return tx.Enqueue(ctx, newMessage("ma1", "a1", 0)) })
	regIs(t, "a taken message id", err, notify.ErrExists)
}

// testRegOfFiftyStepsTakingTheLastPlaceOf checks that of fifty steps taking the last place of a Kita exactly one wins.
func testRegOfFiftyStepsTakingTheLastPlaceOf(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	k := regKey("k1", kita.From3)
	regOK(t, "SetPlaces", s.SetPlaces(ctx, registration.Places{PlaceKey: k, Capacity: 1}))
	const n = 50
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = regTake(ctx, s, k)
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, registration.ErrNoPlace):
		default:
			t.Errorf("step %d: got %v, want ErrNoPlace", i, err)
		}
	}
	if wins != 1 {
		t.Errorf("%d steps took the last place, want exactly 1", wins)
	}
	places, err := s.Places(ctx, regYear)
	regOK(t, "Places", err)
	if len(places) != 1 || places[0].Taken != 1 || places[0].Free() != 0 {
		t.Errorf("Places: got %+v, want one with 1 of 1 taken", places)
	}
}

// testRegPlacesAreTakenUpToCapacityAndReleased checks that places are taken up to capacity and released down to zero.
func testRegPlacesAreTakenUpToCapacityAndReleased(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	k := regKey("k1", kita.Under3)
	regIs(t, "unknown places", regTake(ctx, s, k), registration.ErrNoPlace)
	regOK(t, "SetPlaces", s.SetPlaces(ctx, registration.Places{PlaceKey: k, Capacity: 2}))
	regOK(t, "take 1", regTake(ctx, s, k))
	regOK(t, "take 2", regTake(ctx, s, k))
	regIs(t, "take 3", regTake(ctx, s, k), registration.ErrNoPlace)
	regOK(t, "release", regRelease(ctx, s, k))
	regOK(t, "take again", regTake(ctx, s, k))
	regOK(t, "release 1", regRelease(ctx, s, k))
	regOK(t, "release 2", regRelease(ctx, s, k))
	regOK(t, "release below zero", regRelease(ctx, s, k))
	regOK(t, "release unknown places", regRelease(ctx, s, regKey("k9", kita.Under3)))
	places, err := s.Places(ctx, regYear)
	regOK(t, "Places", err)
	if len(places) != 1 || places[0].Taken != 0 || places[0].Capacity != 2 {
		t.Errorf("Places: got %+v, want 0 of 2 taken", places)
	}
	boom := errors.New("boom")
	err = s.Atomic(ctx, func(tx registration.Tx) error {
		if err := tx.TakePlace(ctx, k); err != nil {
			return err
		}
		return boom
	})
	regIs(t, "failed step", err, boom)
	places, _ = s.Places(ctx, regYear)
	if len(places) != 1 || places[0].Taken != 0 {
		t.Errorf("after a failed step: got %+v, want 0 taken", places)
	}
}

// testRegPlacesSetInsideAStep checks the ledger's SetPlaces inside an
// atomic step: the step can take a place it has just set, what is taken
// stays taken, and a failed step leaves the places as they were.
func testRegPlacesSetInsideAStep(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	k, k2 := regKey("k1", kita.Under3), regKey("k2", kita.From3)
	regOK(t, "set and take in one step", s.Atomic(ctx, func(tx registration.Tx) error {
		if err := tx.SetPlaces(ctx, registration.Places{PlaceKey: k, Capacity: 1}); err != nil {
			return err
		}
		return tx.TakePlace(ctx, k)
	}))
	regOK(t, "set again in a step", s.Atomic(ctx, func(tx registration.Tx) error {
		if err := tx.SetPlaces(ctx, registration.Places{PlaceKey: k, Capacity: 3, Taken: 0}); err != nil {
			return err
		}
		return tx.TakePlace(ctx, k)
	}))
	boom := errors.New("boom")
	err := s.Atomic(ctx, func(tx registration.Tx) error {
		if err := tx.SetPlaces(ctx, registration.Places{PlaceKey: k, Capacity: 9}, registration.Places{PlaceKey: k2, Capacity: 2}); err != nil {
			return err
		}
		if err := tx.TakePlace(ctx, k2); err != nil {
			return err
		}
		return boom
	})
	regIs(t, "failed step", err, boom)
	got, err := s.Places(ctx, regYear)
	regOK(t, "Places", err)
	want := []registration.Places{{PlaceKey: k, Capacity: 3, Taken: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Places:\n got %+v\nwant %+v", got, want)
	}
	done, cancel := context.WithCancel(ctx)
	regOK(t, "a step", s.Atomic(ctx, func(tx registration.Tx) error {
		cancel()
		if err := tx.SetPlaces(done, registration.Places{PlaceKey: k2, Capacity: 1}); !errors.Is(err, context.Canceled) {
			t.Errorf("SetPlaces with a done context: got %v, want context.Canceled", err)
		}
		return nil
	}))
}

// testRegPlacesAreListedByKitaAndBandAnd checks that places are listed by Kita and band and SetPlaces keeps what is taken.
func testRegPlacesAreListedByKitaAndBandAnd(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	other := registration.Places{PlaceKey: registration.PlaceKey{KitaID: "a", Year: "2022/2023", Band: kita.Under3}, Capacity: 3}
	regOK(t, "SetPlaces", s.SetPlaces(ctx,
		registration.Places{PlaceKey: regKey("k2", kita.Under3), Capacity: 4},
		registration.Places{PlaceKey: regKey("k1", kita.From3), Capacity: 20, Taken: 9},
		registration.Places{PlaceKey: regKey("k1", kita.Under3), Capacity: 6},
		registration.Places{PlaceKey: regKey("K3", kita.From3), Capacity: 1},
		other,
	))
	regOK(t, "take", regTake(ctx, s, regKey("k1", kita.From3)))
	regOK(t, "SetPlaces again", s.SetPlaces(ctx, registration.Places{PlaceKey: regKey("k1", kita.From3), Capacity: 15, Taken: 0}))
	got, err := s.Places(ctx, regYear)
	regOK(t, "Places", err)
	want := []registration.Places{
		{PlaceKey: regKey("K3", kita.From3), Capacity: 1},
		{PlaceKey: regKey("k1", kita.Under3), Capacity: 6},
		{PlaceKey: regKey("k1", kita.From3), Capacity: 15, Taken: 1},
		{PlaceKey: regKey("k2", kita.Under3), Capacity: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Places:\n got %+v\nwant %+v", got, want)
	}
	if none, err := s.Places(ctx, "1999/2000"); err != nil || len(none) != 0 {
		t.Errorf("Places of an unknown year: got %+v, %v", none, err)
	}
}

// testRegAuditEntriesAreListedByInstantThenSequence checks that audit entries are listed by instant then sequence, with filters and pages.
func testRegAuditEntriesAreListedByInstantThenSequence(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	entries := []registration.AuditEntry{
		{At: regT0.Add(2 * time.Second), Actor: "staff:1", Action: "read", ApplicationID: "a1", FamilyID: "f1", Reason: "allocation"},
		{At: regT0.Add(time.Second), Actor: "family:f1", Action: "submit", ApplicationID: "a1", FamilyID: "f1"},
		{At: regT0.Add(time.Second), Actor: "staff:1", Action: "read", ApplicationID: "a2", FamilyID: "f2"},
		{At: regT0.Add(3 * time.Second), Actor: "jugendamt:1", Action: "erase", FamilyID: "f1", Reason: "retention"},
	}
	for i, e := range entries {
		e.Seq = 99 // the store assigns it
		regOK(t, fmt.Sprintf("AppendAudit %d", i), s.AppendAudit(ctx, e))
	}
	regOK(t, "AppendAudit in a step", s.Atomic(ctx, func(tx registration.Tx) error {
		return tx.AppendAudit(ctx, registration.AuditEntry{At: regT0, Actor: "system", Action: "round", Reason: "allocation"})
	}))
	boom := errors.New("boom")
	regIs(t, "failed step", s.Atomic(ctx, func(tx registration.Tx) error {
		if err := tx.AppendAudit(ctx, registration.AuditEntry{At: regT0, Actor: "ghost", Action: "read"}); err != nil {
			return err
		}
		return boom
	}), boom)

	all, err := s.Audit(ctx, registration.AuditQuery{})
	regOK(t, "Audit", err)
	var actions []string
	for _, e := range all {
		actions = append(actions, e.Actor+"/"+e.Action)
	}
	if got, want := strings.Join(actions, ","), "system/round,family:f1/submit,staff:1/read,staff:1/read,jugendamt:1/erase"; got != want {
		t.Fatalf("Audit: got %s, want %s", got, want)
	}
	seq := map[string]int64{}
	for _, e := range all {
		seq[e.ApplicationID+e.Action] = e.Seq
	}
	if !(seq["a1read"] < seq["a1submit"] && seq["a1submit"] < seq["a2read"] && seq["a2read"] < seq["erase"] && seq["erase"] < seq["round"]) {
		t.Errorf("Seq does not follow the order of appending: %v", seq)
	}
	if all[1].Seq >= all[2].Seq {
		t.Errorf("entries of the same instant are not ordered by Seq: %d, %d", all[1].Seq, all[2].Seq)
	}
	want := entries[1]
	want.Seq = all[1].Seq
	if got := all[1]; !got.At.Equal(want.At) || got.At.Location() != time.UTC {
		t.Errorf("At: got %v, want %v in UTC", got.At, want.At)
	} else if got.At = want.At; got != want {
		t.Errorf("entry: got %+v, want %+v", got, want)
	}

	cases := []struct {
		name string
		q    registration.AuditQuery
		want string
	}{
		{"by application", registration.AuditQuery{ApplicationID: "a1"}, "submit,read"},
		{"by family", registration.AuditQuery{FamilyID: "f1"}, "submit,read,erase"},
		{"by actor", registration.AuditQuery{Actor: "staff:1"}, "read,read"},
		{"by all at once", registration.AuditQuery{ApplicationID: "a2", FamilyID: "f2", Actor: "staff:1"}, "read"},
		{"in pages", registration.AuditQuery{Offset: 1, Limit: 2}, "submit,read"},
		{"past the end", registration.AuditQuery{Offset: 5}, ""},
		{"nobody", registration.AuditQuery{Actor: "nobody"}, ""},
	}
	for _, tc := range cases {
		got, err := s.Audit(ctx, tc.q)
		regOK(t, tc.name, err)
		var acts []string
		for _, e := range got {
			acts = append(acts, e.Action)
		}
		if strings.Join(acts, ",") != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, strings.Join(acts, ","), tc.want)
		}
	}
}

// testRegAFamilyMessagesAreListedOldestFirst checks that a family's messages are listed oldest first.
func testRegAFamilyMessagesAreListedOldestFirst(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	regOK(t, "Enqueue", st.Outbox.Enqueue(ctx,
		regFamilyMessage("m3", "f1", 2*time.Second), regFamilyMessage("m2", "f1", 0), regFamilyMessage("m1", "f1", 0),
		regFamilyMessage("x1", "f2", 0), regFamilyMessage("o1", "", 0),
	))
	got, err := st.Registrations.FamilyMessages(ctx, "f1")
	regOK(t, "FamilyMessages", err)
	if ids(got) != "m1,m2,m3" {
		t.Errorf("FamilyMessages: got %s, want m1,m2,m3", ids(got))
	}
	if d := sameMessage(got[0], regFamilyMessage("m1", "f1", 0)); d != "" {
		t.Errorf("message: %s", d)
	}
	for _, f := range []string{"", "f9"} {
		if none, err := st.Registrations.FamilyMessages(ctx, f); err != nil || len(none) != 0 {
			t.Errorf("FamilyMessages(%q): got %s, %v; want none", f, ids(none), err)
		}
	}
}

// testRegErasingAFamilyMessagesRemovesExactlyThose checks that erasing a family's messages removes exactly those, sent or not.
func testRegErasingAFamilyMessagesRemovesExactlyThose(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	regOK(t, "Enqueue", st.Outbox.Enqueue(ctx,
		regFamilyMessage("m1", "f1", 0), regFamilyMessage("m2", "f1", time.Second),
		regFamilyMessage("x1", "f2", 0), regFamilyMessage("o1", "", 0),
	))
	claimed, err := st.Outbox.Claim(ctx, "tok", regT0.Add(time.Hour), time.Minute, 1)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("Claim: %d, %v", len(claimed), err)
	}
	m := claimed[0]
	m.Status, m.Attempts, m.SentAt = notify.Sent, 1, regT0.Add(time.Hour)
	regOK(t, "Complete", st.Outbox.Complete(ctx, "tok", m))

	erase := func(familyID string) (n int, err error) {
		err = st.Registrations.Atomic(ctx, func(tx registration.Tx) (err error) {
			n, err = tx.EraseFamilyMessages(ctx, familyID)
			return err
		})
		return n, err
	}
	boom := errors.New("boom")
	err = st.Registrations.Atomic(ctx, func(tx registration.Tx) error {
		if _, err := tx.EraseFamilyMessages(ctx, "f1"); err != nil {
			return err
		}
		return boom
	})
	regIs(t, "failed step", err, boom)
	if got, _ := st.Registrations.FamilyMessages(ctx, "f1"); len(got) != 2 {
		t.Errorf("after a failed step: %d messages, want 2", len(got))
	}
	n, err := erase("f1")
	regOK(t, "EraseFamilyMessages", err)
	if n != 2 {
		t.Errorf("EraseFamilyMessages: got %d, want 2", n)
	}
	if got, _ := st.Registrations.FamilyMessages(ctx, "f1"); len(got) != 0 {
		t.Errorf("FamilyMessages after erasure: got %s", ids(got))
	}
	for _, id := range []string{"m1", "m2"} {
		_, err := st.Outbox.Message(ctx, id)
		regIs(t, id, err, notify.ErrNotFound)
	}
	for _, id := range []string{"x1", "o1"} {
		_, err := st.Outbox.Message(ctx, id)
		regOK(t, "other message "+id, err)
	}
	for _, f := range []string{"f1", "", "f9"} {
		if n, err := erase(f); err != nil || n != 0 {
			t.Errorf("EraseFamilyMessages(%q): got %d, %v; want 0", f, n, err)
		}
	}
}

// testRegADoneContextIsRefused checks that a done context is refused.
func testRegADoneContextIsRefused(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	done, cancel := context.WithCancel(ctx)
	cancel()
	canceled := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", what, err)
		}
	}
	canceled("Atomic", s.Atomic(done, func(tx registration.Tx) error {
		return tx.Insert(done, regApp("a1", "f1", "child-1", 0, "k1"))
	}))
	_, err := s.Application(done, "a1")
	canceled("Application", err)
	_, err = s.ApplicationByKey(done, "f1", "k")
	canceled("ApplicationByKey", err)
	_, err = s.Applications(done, registration.Query{})
	canceled("Applications", err)
	canceled("SetPlaces", s.SetPlaces(done, registration.Places{PlaceKey: regKey("k1", kita.From3), Capacity: 1}))
	_, err = s.Places(done, regYear)
	canceled("Places", err)
	canceled("AppendAudit", s.AppendAudit(done, registration.AuditEntry{At: regT0, Actor: "x", Action: "read"}))
	_, err = s.Audit(done, registration.AuditQuery{})
	canceled("Audit", err)
	_, err = s.FamilyMessages(done, "f1")
	canceled("FamilyMessages", err)
	if _, err := s.Application(ctx, "a1"); !errors.Is(err, registration.ErrNotFound) {
		t.Errorf("after a cancelled step: got %v, want ErrNotFound", err)
	}
	if places, _ := s.Places(ctx, regYear); len(places) != 0 {
		t.Errorf("after a cancelled SetPlaces: %+v", places)
	}
}

// regSubmitTx writes what a submission with Kindertagespflege writes: the
// application, its referral and its message.
func regSubmitTx(ctx context.Context, tx registration.Tx, n int) error {
	id := fmt.Sprintf("a%d", n)
	a := regApp(id, "f1", "child-"+id, 0, "k1")
	a.TP = &registration.Tagespflege{District: "mitte", ReferralID: "r" + id}
	if err := tx.Insert(ctx, a); err != nil {
		return err
	}
	if err := tx.CreateReferral(ctx, tagespflege.NewReferral("r"+id, id, "f1", a.Reference, "mitte", regT0)); err != nil {
		return err
	}
	m := newMessage("m"+id, id, 0)
	m.FamilyID = "f1"
	return tx.Enqueue(ctx, m)
}

// regKey names the places of a Kita and band in the suite's Kita year.
func regKey(kitaID string, band kita.Band) registration.PlaceKey {
	return registration.PlaceKey{KitaID: kitaID, Year: regYear, Band: band}
}

// regTake takes a place in a step of its own.
func regTake(ctx context.Context, s registration.Store, k registration.PlaceKey) error {
	return s.Atomic(ctx, func(tx registration.Tx) error { return tx.TakePlace(ctx, k) })
}

// regRelease gives a place back in a step of its own.
func regRelease(ctx context.Context, s registration.Store, k registration.PlaceKey) error {
	return s.Atomic(ctx, func(tx registration.Tx) error { return tx.ReleasePlace(ctx, k) })
}

// regFamilyMessage is a message of a family.
func regFamilyMessage(id, familyID string, age time.Duration) notify.Message {
	m := newMessage(id, "app-"+id, age)
	m.FamilyID = familyID
	return m
}

// regWith returns a with its lifecycle changed by set, as a store would
// hold it.
func regWith(a registration.Application, set func(l *registration.Lifecycle)) registration.Application {
	l := a.Lifecycle()
	set(&l)
	return registration.Rehydrate(a, l)
}
