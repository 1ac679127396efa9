package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// errStop makes a step fail on purpose.
var errStop = errors.New("storetest: step fails on purpose")

// RunUnitOfWork checks an adapter's [app.Store]: one step spans every
// repository, all or nothing; nested steps ([app.Tx.Atomic]) are
// savepoints; catalogue edits are versioned and survive a reopened store.
// The factory must fill Unit (and Reopen, for the reopen test).
func RunUnitOfWork(t *testing.T, newStores Factory) {
	t.Run("a failing step keeps nothing of any repository", func(t *testing.T) { testUnitAllOrNothing(t, newStores) })
	t.Run("a nested step that fails undoes only its own writes", func(t *testing.T) { testUnitNestedFails(t, newStores) })
	t.Run("a nested step's writes go with a failing outer step", func(t *testing.T) { testUnitOuterFails(t, newStores) })
	t.Run("catalogue edits are versioned", func(t *testing.T) { testUnitEditsVersioned(t, newStores) })
	t.Run("a reopened store finds a catalogue change", func(t *testing.T) { testUnitEditsReopen(t, newStores) })
}

// unitWrite writes one record into each repository of tx.
func unitWrite(ctx context.Context, tx app.Tx, suffix string) error {
	if err := tx.Applications().Insert(ctx, regApp("u-app"+suffix, "u-fam"+suffix, "u-child"+suffix, 0, "k1")); err != nil {
		return err
	}
	if err := tx.Tagespflege().CreateReferral(ctx, tpReferral("u-ref"+suffix, "I", tpBase)); err != nil {
		return err
	}
	if err := tx.Tagespflege().CreateMinder(ctx, tpMinder("u-min"+suffix, "I", 3)); err != nil {
		return err
	}
	if err := tx.Catalogue().PutEdits(ctx, kita.Edits{KitaID: "u-kita" + suffix, Closed: true}); err != nil {
		return err
	}
	return tx.Applications().Enqueue(ctx, newMessage("u-msg"+suffix, "u-app"+suffix, 0))
}

// unitFound reports which of the records unitWrite made are stored.
func unitFound(t *testing.T, st Stores, suffix string) (found []string) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.Registrations.Application(ctx, "u-app"+suffix); err == nil {
		found = append(found, "application")
	} else if !errors.Is(err, registration.ErrNotFound) {
		t.Fatalf("Application: %v", err)
	}
	if _, err := st.Tagespflege.Referral(ctx, "u-ref"+suffix); err == nil {
		found = append(found, "referral")
	} else if !errors.Is(err, tagespflege.ErrNotFound) {
		t.Fatalf("Referral: %v", err)
	}
	if _, err := st.Tagespflege.Minder(ctx, "u-min"+suffix); err == nil {
		found = append(found, "minder")
	} else if !errors.Is(err, tagespflege.ErrNotFound) {
		t.Fatalf("Minder: %v", err)
	}
	err := st.Unit.Atomic(ctx, func(tx app.Tx) error {
		_, err := tx.Catalogue().Edits(ctx, "u-kita"+suffix)
		if err == nil {
			found = append(found, "kita edits")
			return nil
		}
		if errors.Is(err, app.ErrNoEdits) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatalf("Edits: %v", err)
	}
	if _, err := st.Outbox.Message(ctx, "u-msg"+suffix); err == nil {
		found = append(found, "message")
	}
	return found
}

func testUnitAllOrNothing(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	err := st.Unit.Atomic(ctx, func(tx app.Tx) error {
		if err := unitWrite(ctx, tx, "1"); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Atomic: got %v, want the step's own error", err)
	}
	if f := unitFound(t, st, "1"); len(f) != 0 {
		t.Errorf("after a failing step found %v, want nothing", f)
	}
	if err := st.Unit.Atomic(ctx, func(tx app.Tx) error { return unitWrite(ctx, tx, "1") }); err != nil {
		t.Fatalf("Atomic: %v", err)
	}
	if f := unitFound(t, st, "1"); len(f) != 5 {
		t.Errorf("after a step found %v, want all five records", f)
	}
}

func testUnitNestedFails(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	err := st.Unit.Atomic(ctx, func(tx app.Tx) error {
		if err := unitWrite(ctx, tx, "outer"); err != nil {
			return err
		}
		err := tx.Atomic(ctx, func(tx app.Tx) error {
			if err := unitWrite(ctx, tx, "inner"); err != nil {
				return err
			}
			return errStop
		})
		if !errors.Is(err, errStop) {
			t.Errorf("nested Atomic: got %v, want the nested step's error", err)
		}
		return nil // the outer step goes on
	})
	if err != nil {
		t.Fatalf("Atomic: %v", err)
	}
	if f := unitFound(t, st, "outer"); len(f) != 5 {
		t.Errorf("the outer step's records: found %v, want all five", f)
	}
	if f := unitFound(t, st, "inner"); len(f) != 0 {
		t.Errorf("the failed nested step's records: found %v, want none", f)
	}
}

func testUnitOuterFails(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	err := st.Unit.Atomic(ctx, func(tx app.Tx) error {
		if err := tx.Atomic(ctx, func(tx app.Tx) error { return unitWrite(ctx, tx, "inner") }); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Atomic: got %v, want the step's own error", err)
	}
	if f := unitFound(t, st, "inner"); len(f) != 0 {
		t.Errorf("found %v, want none", f)
	}
}

func testUnitEditsVersioned(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	put := func(e kita.Edits) error {
		return st.Unit.Atomic(ctx, func(tx app.Tx) error { return tx.Catalogue().PutEdits(ctx, e) })
	}
	read := func(id string) (e kita.Edits, err error) {
		err = st.Unit.Atomic(ctx, func(tx app.Tx) error {
			e, err = tx.Catalogue().Edits(ctx, id)
			return err
		})
		return e, err
	}
	if _, err := read("k1"); !errors.Is(err, app.ErrNoEdits) {
		t.Fatalf("Edits of an unedited Kita: got %v, want app.ErrNoEdits", err)
	}
	pools := []kita.Pool{{Band: kita.Under3, Hours: 35, From: "2027-08", Capacity: 4}, {Band: kita.Under3, Hours: 45, From: "2028-01", Capacity: 2}}
	e := kita.Edits{KitaID: "k1", Profile: kita.PublicProfile{Head: "Zoë Öztürk", Languages: []string{"de", "tr"}}, FreePlaces: kita.Capacity{Under3: 2}, FreePlacesAt: regT0, Pools: pools}
	if err := put(e); err != nil {
		t.Fatalf("PutEdits: %v", err)
	}
	if err := put(e); !errors.Is(err, app.ErrEditConflict) {
		t.Fatalf("PutEdits of version 0 again: got %v, want app.ErrEditConflict", err)
	}
	got, err := read("k1")
	if err != nil {
		t.Fatalf("Edits: %v", err)
	}
	if got.Version != 1 || got.Profile.Head != "Zoë Öztürk" || len(got.Profile.Languages) != 2 || got.FreePlaces.Under3 != 2 || !got.FreePlacesAt.Equal(regT0) {
		t.Errorf("Edits: got %+v", got)
	}
	if !slices.Equal(got.Pools, pools) {
		t.Errorf("Edits: pools %+v, want %+v", got.Pools, pools)
	}
	got.Closed = true
	if err := put(got); err != nil {
		t.Fatalf("PutEdits version 1: %v", err)
	}
	if err := put(got); !errors.Is(err, app.ErrEditConflict) {
		t.Fatalf("PutEdits of a stale version: got %v, want app.ErrEditConflict", err)
	}
	if err := put(kita.Edits{KitaID: "k0", Pools: []kita.Pool{}}); err != nil {
		t.Fatalf("PutEdits k0: %v", err)
	}
	var all []kita.Edits
	err = st.Unit.Atomic(ctx, func(tx app.Tx) error {
		all, err = tx.Catalogue().AllEdits(ctx)
		return err
	})
	if err != nil || len(all) != 2 || all[0].KitaID != "k0" || all[1].KitaID != "k1" || !all[1].Closed || all[1].Version != 2 {
		t.Fatalf("AllEdits: got %+v, %v", all, err)
	}
	if all[0].Pools == nil || len(all[0].Pools) != 0 {
		t.Errorf("AllEdits: k0's pools %#v, want an empty list (removing the pools), not nil (keeping them)", all[0].Pools)
	}
}

func testUnitEditsReopen(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	if st.Reopen == nil {
		t.Fatal("the factory must set Reopen")
	}
	err := st.Unit.Atomic(ctx, func(tx app.Tx) error {
		return tx.Catalogue().PutEdits(ctx, kita.Edits{KitaID: "k1", Closed: true})
	})
	if err != nil {
		t.Fatalf("PutEdits: %v", err)
	}
	again := st.Reopen(t)
	var got kita.Edits
	err = again.Atomic(ctx, func(tx app.Tx) error {
		got, err = tx.Catalogue().Edits(ctx, "k1")
		return err
	})
	if err != nil || !got.Closed {
		t.Errorf("the reopened store: got %+v, %v; want the Kita closed", got, err)
	}
}
