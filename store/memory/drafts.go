package memory

import (
	"cmp"
	"context"

	"github.com/kitaportal/kitaportal/app"
)

// draftData are the allocation rounds' dry runs, by id.
type draftData struct {
	byID map[string]app.Draft
}

func newDraftData() draftData { return draftData{byID: map[string]app.Draft{}} }

// draftTx is the [app.Drafts] port of one step.
type draftTx struct{ t *tx }

func (u unitTx) Drafts() app.Drafts { return draftTx(u) }

func (d draftTx) PutDraft(ctx context.Context, v app.Draft) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	setKey(d.t, d.t.d.drafts.byID, v.ID, v.Clone())
	return nil
}

func (d draftTx) PublishDraft(ctx context.Context, id string, p app.Publication) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v, ok := d.t.d.drafts.byID[id]
	if !ok {
		return app.ErrNoDraft
	}
	v.Published = &p // the stored value is never changed in place: a new one
	setKey(d.t, d.t.d.drafts.byID, id, v)
	return nil
}

func (d draftTx) Draft(ctx context.Context, id string) (app.Draft, error) {
	if err := ctx.Err(); err != nil {
		return app.Draft{}, err
	}
	v, ok := d.t.d.drafts.byID[id]
	if !ok {
		return app.Draft{}, app.ErrNoDraft
	}
	return v.Clone(), nil
}

func (d draftTx) NewestDraft(ctx context.Context, q app.DraftQuery) (app.Draft, error) {
	best, err := d.newest(ctx, q)
	if err != nil {
		return app.Draft{}, err
	}
	return best.Clone(), nil
}

func (d draftTx) NewestDraftID(ctx context.Context, q app.DraftQuery) (string, error) {
	best, err := d.newest(ctx, q)
	return best.ID, err
}

// newest returns the stored draft NewestDraft answers with, not a copy.
func (d draftTx) newest(ctx context.Context, q app.DraftQuery) (*app.Draft, error) {
	if err := ctx.Err(); err != nil {
		return &app.Draft{}, err
	}
	var best *app.Draft
	for id := range d.t.d.drafts.byID {
		v := d.t.d.drafts.byID[id]
		if v.Year != q.Year || q.Round > 0 && v.Round != q.Round || q.Published && v.Published == nil {
			continue
		}
		if best == nil || cmp.Or(cmp.Compare(v.Round, best.Round), cmp.Compare(v.Number, best.Number)) > 0 {
			best = &v
		}
	}
	if best == nil {
		return &app.Draft{}, app.ErrNoDraft
	}
	return best, nil
}

func (d draftTx) EraseFromDrafts(ctx context.Context, applicationIDs ...string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	gone := make(map[string]bool, len(applicationIDs))
	for _, id := range applicationIDs {
		gone[id] = true
	}
	n := 0
	for id, v := range d.t.d.drafts.byID {
		if w, changed := v.Without(gone); changed {
			setKey(d.t, d.t.d.drafts.byID, id, w)
			n++
		}
	}
	return n, nil
}
