package postgres

import (
	"slices"
	"time"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
)

// draftDoc is the stored document of app.Draft in round_drafts.doc,
// pinned by testdata/draft.golden.json. The id, year, round and number
// are columns; the publication is the column publication
// (publicationDoc, NULL until published). The instance and the result
// are stored in the engine's interchange format (allocation/FORMAT.md),
// the care hours of each choice included.
type draftDoc struct {
	Mechanism   allocation.Mechanism `json:"mechanism"`
	IncludeLate bool                 `json:"include_late"`
	Seed        uint64               `json:"seed"`
	Instance    allocation.Instance  `json:"instance"`
	Result      allocation.Result    `json:"result"`
	Baseline    string               `json:"baseline"`
	Changes     []changeDoc          `json:"changes"`
	CreatedAt   time.Time            `json:"created_at"`
	CreatedBy   string               `json:"created_by"`
}

// changeDoc is a stored app.DraftChange.
type changeDoc struct {
	ApplicationID string                `json:"application_id"`
	FamilyID      string                `json:"family_id"`
	Before        string                `json:"before"`
	After         string                `json:"after"`
	Positions     []allocation.Position `json:"positions"`
}

// publicationDoc is a stored app.Publication.
type publicationDoc struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Offers  int       `json:"offers"`
	Skipped int       `json:"skipped"`
}

// toDraftDoc is the stored document of d.
func toDraftDoc(d app.Draft) draftDoc {
	d = d.Clone()
	doc := draftDoc{
		Mechanism: d.Mechanism, IncludeLate: d.IncludeLate, Seed: d.Seed, Instance: d.Instance, Result: d.Result,
		Baseline: d.Baseline, CreatedAt: utc(d.CreatedAt), CreatedBy: d.CreatedBy, Changes: []changeDoc{},
	}
	for _, c := range d.Changes {
		doc.Changes = append(doc.Changes, changeDoc(c))
	}
	return doc
}

// toPublicationDoc is the stored document of p.
func toPublicationDoc(p app.Publication) publicationDoc {
	return publicationDoc{At: utc(p.At), By: p.By, Offers: p.Offers, Skipped: p.Skipped}
}

// publication is the domain value of the document.
func (p publicationDoc) publication() *app.Publication {
	return &app.Publication{At: utc(p.At), By: p.By, Offers: p.Offers, Skipped: p.Skipped}
}

// draft is the domain value of the document with its columns (without
// the publication).
func (doc draftDoc) draft(id, year string, round, number int) app.Draft {
	d := app.Draft{
		ID: id, Year: year, Round: round, Number: number,
		Mechanism: doc.Mechanism, IncludeLate: doc.IncludeLate, Seed: doc.Seed, Instance: doc.Instance, Result: doc.Result,
		Baseline: doc.Baseline, CreatedAt: utc(doc.CreatedAt), CreatedBy: doc.CreatedBy,
	}
	for _, c := range doc.Changes {
		d.Changes = append(d.Changes, app.DraftChange(c))
	}
	return d
}

// draftApplications are every application id d holds, sorted, for the
// erasure's lookup.
func draftApplications(d app.Draft) []string {
	ids := make([]string, 0, len(d.Result.Placements)+len(d.Changes))
	for _, a := range d.Instance.Applicants {
		ids = append(ids, a.ID)
	}
	for id := range d.Result.Placements {
		ids = append(ids, id)
	}
	for _, c := range d.Changes {
		ids = append(ids, c.ApplicationID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
