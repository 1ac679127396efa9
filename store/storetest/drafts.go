package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
)

// RunDrafts checks an adapter's [app.Drafts] (through [app.Tx.Drafts]): a
// draft is stored and read back unchanged, the newest draft of a round or
// a year is found, a failing step keeps none, a reopened store finds them,
// and erasing applications removes them from every draft. The factory
// must fill Unit (and Reopen, for the reopen test).
func RunDrafts(t *testing.T, newStores Factory) {
	t.Run("a saved draft reads back unchanged, with its publication, and is replaced under its id", func(t *testing.T) { testDraftSave(t, newStores) })
	t.Run("the newest draft of a round or of a year is found", func(t *testing.T) { testDraftNewest(t, newStores) })
	t.Run("a draft of a failing step is not kept", func(t *testing.T) { testDraftAllOrNothing(t, newStores) })
	t.Run("a reopened store finds the drafts", func(t *testing.T) { testDraftReopen(t, newStores) })
	t.Run("erased applications leave every draft", func(t *testing.T) { testDraftErase(t, newStores) })
}

// sampleDraft is a draft of a small round: three children at two Kitas,
// with a change, cut-offs and every field the adapter stores.
func sampleDraft(id, year string, round, number int) app.Draft {
	at := time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)
	inst := allocation.Instance{
		Applicants: []allocation.Applicant{
			{ID: "d-a1", Choices: []string{"k1", "k2"}, Band: allocation.BandU3, BirthDate: "2025-03-02", RegisteredAt: at, District: "I", Resident: true, ChoiceHours: [][]int{{35}, {45}}},
			{ID: "d-a2", Choices: []string{"k1"}, Band: allocation.BandO3, BirthDate: "2023-01-09", RegisteredAt: at, Siblings: []string{"k1"}},
			{ID: "d-a3", Choices: []string{"k2", "k1"}, Band: allocation.BandU3, BirthDate: "2025-06-30", RegisteredAt: at, Hardship: true},
		},
		Facilities: []allocation.Facility{
			{ID: "k1", District: "I", Capacity: 1, CapacityByBand: map[allocation.Band]int{allocation.BandU3: 0, allocation.BandO3: 1}},
			{ID: "k2", District: "II", Capacity: 1, CapacityByBand: map[allocation.Band]int{allocation.BandU3: 1, allocation.BandO3: 0}},
		},
		Policy:   allocation.Policy{Seed: 42},
		Families: []allocation.Family{{ID: "fam-d", Children: []string{"d-a1", "d-a3"}}},
	}
	res := allocation.Result{
		Mechanism: allocation.DeferredAcceptance, Seed: 42,
		Placements: map[string]string{"d-a1": "", "d-a2": "k1", "d-a3": "k2"},
		Priorities: map[string][]string{"k1": {"d-a2", "d-a1", "d-a3"}, "k2": {"d-a3", "d-a1"}},
		Cutoffs:    map[string][]allocation.Cutoff{"k1": {{Capacity: 1, Admitted: 1, Rank: 1, Applicant: "d-a2"}}, "k2": {{Capacity: 1, Admitted: 1, Rank: 1, Applicant: "d-a3"}}},
		Statistics: allocation.Statistics{Applicants: 3, Placed: 2, Unplaced: 1, FirstChoice: 2, ByChoice: []int{2}},
	}
	return app.Draft{
		ID: id, Year: year, Round: round, Number: number, Mechanism: allocation.DeferredAcceptance, IncludeLate: true,
		Seed: 42, Instance: inst, Result: res, Baseline: "d-before",
		Changes: []app.DraftChange{{ApplicationID: "d-a1", FamilyID: "F1", Before: "k2", After: "",
			Positions: []allocation.Position{{Applicant: "d-a1", Facility: "k1", Choice: 1, Rank: 2, LastAdmitted: 1}}}},
		CreatedAt: at, CreatedBy: "jugendamt:ja",
	}
}

// putDraft stores d in a step of its own.
func putDraft(t *testing.T, s app.Store, d app.Draft) {
	t.Helper()
	if err := s.Atomic(context.Background(), func(tx app.Tx) error { return tx.Drafts().PutDraft(context.Background(), d) }); err != nil {
		t.Fatalf("PutDraft: %v", err)
	}
}

// readDraft reads a draft in a step of its own: by id, or the newest q
// selects when id is "".
func readDraft(t *testing.T, s app.Store, id string, q app.DraftQuery) (app.Draft, error) {
	t.Helper()
	var d app.Draft
	err := s.Atomic(context.Background(), func(tx app.Tx) error {
		var err error
		if id != "" {
			d, err = tx.Drafts().Draft(context.Background(), id)
		} else {
			d, err = tx.Drafts().NewestDraft(context.Background(), q)
		}
		return err
	})
	return d, err
}

func testDraftSave(t *testing.T, newStores Factory) {
	st := newStores(t)
	d := sampleDraft("d1", "2027/2028", 1, 1)
	putDraft(t, st.Unit, d)
	got, err := readDraft(t, st.Unit, "d1", app.DraftQuery{})
	if err != nil {
		t.Fatalf("Draft: %v", err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, d)
	}
	d.Published = &app.Publication{At: d.CreatedAt.Add(time.Hour), By: "jugendamt:ja", Offers: 2, Skipped: 1}
	if err := st.Unit.Atomic(context.Background(), func(tx app.Tx) error {
		return tx.Drafts().PublishDraft(context.Background(), "d1", *d.Published)
	}); err != nil {
		t.Fatalf("PublishDraft: %v", err)
	}
	got, err = readDraft(t, st.Unit, "d1", app.DraftQuery{})
	if err != nil {
		t.Fatalf("Draft: %v", err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Errorf("after publication read back\n%+v\nwant\n%+v", got.Published, d.Published)
	}
	if _, err := readDraft(t, st.Unit, "nope", app.DraftQuery{}); !errors.Is(err, app.ErrNoDraft) {
		t.Errorf("unknown id: %v, want app.ErrNoDraft", err)
	}
	err = st.Unit.Atomic(context.Background(), func(tx app.Tx) error {
		return tx.Drafts().PublishDraft(context.Background(), "nope", *d.Published)
	})
	if !errors.Is(err, app.ErrNoDraft) {
		t.Errorf("publishing an unknown id: %v, want app.ErrNoDraft", err)
	}
	d.Changes = nil // a draft put whole keeps its publication
	putDraft(t, st.Unit, d)
	if got, err = readDraft(t, st.Unit, "d1", app.DraftQuery{}); err != nil || !reflect.DeepEqual(got, d) {
		t.Errorf("put again with its publication: %v\n%+v\nwant\n%+v", err, got, d)
	}
}

func testDraftNewest(t *testing.T, newStores Factory) {
	st := newStores(t)
	published := sampleDraft("r1n2", "2027/2028", 1, 2)
	published.Published = &app.Publication{At: published.CreatedAt, By: "system:system", Offers: 2} // put whole
	for _, d := range []app.Draft{
		sampleDraft("r1n1", "2027/2028", 1, 1), published, sampleDraft("r2n1", "2027/2028", 2, 1),
		sampleDraft("r2n3", "2027/2028", 2, 3), sampleDraft("r2n2", "2027/2028", 2, 2), sampleDraft("other", "2026/2027", 5, 9),
	} {
		putDraft(t, st.Unit, d)
	}
	for _, c := range []struct {
		q    app.DraftQuery
		want string
	}{
		{app.DraftQuery{Year: "2027/2028", Round: 1}, "r1n2"},
		{app.DraftQuery{Year: "2027/2028", Round: 2}, "r2n3"},
		{app.DraftQuery{Year: "2027/2028"}, "r2n3"},
		{app.DraftQuery{Year: "2027/2028", Published: true}, "r1n2"},
		{app.DraftQuery{Year: "2026/2027"}, "other"},
	} {
		got, err := readDraft(t, st.Unit, "", c.q)
		if err != nil || got.ID != c.want {
			t.Errorf("NewestDraft(%+v) = %q, %v; want %q", c.q, got.ID, err, c.want)
		}
		var id string
		err = st.Unit.Atomic(context.Background(), func(tx app.Tx) error {
			id, err = tx.Drafts().NewestDraftID(context.Background(), c.q)
			return err
		})
		if err != nil || id != c.want {
			t.Errorf("NewestDraftID(%+v) = %q, %v; want %q", c.q, id, err, c.want)
		}
	}
	for _, q := range []app.DraftQuery{{Year: "2027/2028", Round: 3}, {Year: "2026/2027", Published: true}, {Year: "2028/2029"}} {
		if _, err := readDraft(t, st.Unit, "", q); !errors.Is(err, app.ErrNoDraft) {
			t.Errorf("NewestDraft(%+v): %v, want app.ErrNoDraft", q, err)
		}
		err := st.Unit.Atomic(context.Background(), func(tx app.Tx) error {
			_, err := tx.Drafts().NewestDraftID(context.Background(), q)
			return err
		})
		if !errors.Is(err, app.ErrNoDraft) {
			t.Errorf("NewestDraftID(%+v): %v, want app.ErrNoDraft", q, err)
		}
	}
}

func testDraftAllOrNothing(t *testing.T, newStores Factory) {
	st := newStores(t)
	err := st.Unit.Atomic(context.Background(), func(tx app.Tx) error {
		if err := tx.Drafts().PutDraft(context.Background(), sampleDraft("d1", "2027/2028", 1, 1)); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Atomic: %v", err)
	}
	if _, err := readDraft(t, st.Unit, "d1", app.DraftQuery{}); !errors.Is(err, app.ErrNoDraft) {
		t.Errorf("a failed step's draft: %v, want app.ErrNoDraft", err)
	}
}

func testDraftReopen(t *testing.T, newStores Factory) {
	st := newStores(t)
	if st.Reopen == nil {
		t.Fatal("the factory must set Reopen")
	}
	d := sampleDraft("d1", "2027/2028", 1, 1)
	putDraft(t, st.Unit, d)
	got, err := readDraft(t, st.Reopen(t), "", app.DraftQuery{Year: "2027/2028", Round: 1})
	if err != nil {
		t.Fatalf("NewestDraft after reopening: %v", err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Errorf("after reopening read back\n%+v\nwant\n%+v", got, d)
	}
}

func testDraftErase(t *testing.T, newStores Factory) {
	st := newStores(t)
	putDraft(t, st.Unit, sampleDraft("d1", "2027/2028", 1, 1))
	putDraft(t, st.Unit, sampleDraft("d2", "2027/2028", 1, 2))
	var n int
	err := st.Unit.Atomic(context.Background(), func(tx app.Tx) error {
		var err error
		n, err = tx.Drafts().EraseFromDrafts(context.Background(), "d-a1", "unknown")
		return err
	})
	if err != nil || n != 2 {
		t.Fatalf("EraseFromDrafts = %d, %v; want 2 drafts changed", n, err)
	}
	for _, id := range []string{"d1", "d2"} {
		got, err := readDraft(t, st.Unit, id, app.DraftQuery{})
		if err != nil {
			t.Fatalf("Draft: %v", err)
		}
		want, _ := sampleDraft(id, "2027/2028", 1, 1).Without(map[string]bool{"d-a1": true})
		want.Number = got.Number
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s after erasure\n%+v\nwant\n%+v", id, got, want)
		}
		if len(got.Instance.Applicants) != 2 || len(got.Changes) != 0 || got.Result.Placements["d-a1"] != "" || len(got.Instance.Families[0].Children) != 1 {
			t.Errorf("%s still holds the erased child: %+v", id, got)
		}
	}
	err = st.Unit.Atomic(context.Background(), func(tx app.Tx) error {
		var err error
		n, err = tx.Drafts().EraseFromDrafts(context.Background(), "d-a1")
		return err
	})
	if err != nil || n != 0 {
		t.Errorf("erasing again = %d, %v; want no draft changed", n, err)
	}
}
