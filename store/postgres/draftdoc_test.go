package postgres

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
)

// storedDraft is a published draft of a second round with every field set.
func storedDraft() app.Draft {
	at := time.Date(2027, 5, 3, 8, 15, 0, 0, time.UTC)
	return app.Draft{
		ID: "draft-7", Year: "2027/2028", Round: 2, Number: 3, Mechanism: allocation.DeferredAcceptance, IncludeLate: true, Seed: 2027,
		Instance: allocation.Instance{
			Applicants: []allocation.Applicant{
				{ID: "app-1", Choices: []string{"kita-0815", "kita-0042"}, Band: allocation.BandU3, WorkingParents: true,
					BirthDate: "2025-03-02", RegisteredAt: at.AddDate(0, -4, 0), District: "Bochum-Mitte", Resident: true,
					ChoiceHours: [][]int{{45, 35}, {35}}},
				{ID: "app-2", Choices: []string{"kita-0815"}, Band: allocation.BandO3, Hardship: true, BirthDate: "2023-11-20"},
			},
			Facilities: []allocation.Facility{
				{ID: "kita-0815", District: "Bochum-Mitte", Capacity: 1, CapacityByBand: map[allocation.Band]int{allocation.BandU3: 1, allocation.BandO3: 0}},
				{ID: "kita-0042", District: "Bochum-Ost", Capacity: 1},
			},
			Policy:   allocation.Policy{Seed: 2027},
			Families: []allocation.Family{{ID: "fam-17", Children: []string{"app-1"}, Together: true}},
		},
		Result: allocation.Result{
			Mechanism: allocation.DeferredAcceptance, Seed: 2027,
			Placements: map[string]string{"app-1": "kita-0815", "app-2": ""},
			Priorities: map[string][]string{"kita-0815": {"app-1", "app-2"}, "kita-0042": {"app-1"}},
			Cutoffs:    map[string][]allocation.Cutoff{"kita-0815": {{Band: allocation.BandU3, Capacity: 1, Admitted: 1, Rank: 1, Applicant: "app-1"}}},
			Statistics: allocation.Statistics{Applicants: 2, Placed: 1, Unplaced: 1, FirstChoice: 1, ByChoice: []int{1}},
		},
		Baseline: "draft-6",
		Changes: []app.DraftChange{{ApplicationID: "app-2", FamilyID: "fam-18", Before: "kita-0815", After: "",
			Positions: []allocation.Position{{Applicant: "app-2", Facility: "kita-0815", Choice: 1, Rank: 2, LastAdmitted: 1}}}},
		CreatedAt: at, CreatedBy: "jugendamt:ja-3",
		Published: &app.Publication{At: at.Add(30 * time.Minute), By: "jugendamt:ja-3", Offers: 1, Skipped: 0},
	}
}

func TestDraftDocument(t *testing.T) {
	d := storedDraft()
	requireEveryField(t, d)
	stored, err := json.MarshalIndent(toDraftDoc(d), "", "\t")
	require.NoError(t, err)
	t.Run("the document matches its golden file", func(t *testing.T) {
		golden(t, "draft.golden.json", stored)
	})
	t.Run("the golden document reads back equal, care hours of each choice included", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join("testdata", "draft.golden.json"))
		require.NoError(t, err)
		var doc draftDoc
		require.NoError(t, json.Unmarshal(b, &doc))
		want := d
		want.Published = nil // a column of its own
		assert.Equal(t, want, doc.draft(d.ID, d.Year, d.Round, d.Number))
	})
	t.Run("the publication reads back equal", func(t *testing.T) {
		b, err := json.Marshal(toPublicationDoc(*d.Published))
		require.NoError(t, err)
		assert.JSONEq(t, `{"at": "2027-05-03T08:45:00Z", "by": "jugendamt:ja-3", "offers": 1, "skipped": 0}`, string(b))
		var p publicationDoc
		require.NoError(t, json.Unmarshal(b, &p))
		assert.Equal(t, d.Published, p.publication())
	})
	t.Run("every application id of the draft is in its lookup column", func(t *testing.T) {
		assert.Equal(t, []string{"app-1", "app-2"}, draftApplications(d))
	})
}
