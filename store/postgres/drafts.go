package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/app"
)

// draftTx is the [app.Drafts] port of one transaction.
type draftTx struct{ q querier }

var _ app.DraftChecker = draftTx{}

func (u unitTx) Drafts() app.Drafts { return draftTx{u.tx} }

func (d draftTx) PutDraft(ctx context.Context, v app.Draft) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc, err := json.Marshal(toDraftDoc(v))
	if err != nil {
		return errors.New("postgres: encode round draft")
	}
	var pub []byte // NULL until published
	if v.Published != nil {
		if pub, err = json.Marshal(toPublicationDoc(*v.Published)); err != nil {
			return errors.New("postgres: encode round draft publication")
		}
	}
	_, err = d.q.Exec(ctx, `INSERT INTO round_drafts (id, year, round, number, application_ids, doc, publication)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (id) DO UPDATE SET year = $2, round = $3, number = $4, application_ids = $5, doc = $6, publication = $7`,
		v.ID, v.Year, v.Round, v.Number, draftApplications(v), doc, pub)
	return wrap(ctx, "write round draft", err)
}

func (d draftTx) PublishDraft(ctx context.Context, id string, p app.Publication) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pub, err := json.Marshal(toPublicationDoc(p))
	if err != nil {
		return errors.New("postgres: encode round draft publication")
	}
	tag, err := d.q.Exec(ctx, `UPDATE round_drafts SET publication = $2 WHERE id = $1`, id, pub)
	if err != nil {
		return wrap(ctx, "publish round draft", err)
	}
	if tag.RowsAffected() != 1 {
		return app.ErrNoDraft
	}
	return nil
}

const draftColumns = `id, year, round, number, doc, publication`

func (d draftTx) Draft(ctx context.Context, id string) (app.Draft, error) {
	if err := ctx.Err(); err != nil {
		return app.Draft{}, err
	}
	return scanDraft(ctx, d.q.QueryRow(ctx, `SELECT `+draftColumns+` FROM round_drafts WHERE id = $1`, id))
}

// newestDraft selects the columns of the newest draft q selects.
const newestDraft = ` FROM round_drafts WHERE year = $1 AND ($2 <= 0 OR round = $2) AND (NOT $3 OR publication IS NOT NULL)
	ORDER BY round DESC, number DESC LIMIT 1`

func (d draftTx) NewestDraft(ctx context.Context, q app.DraftQuery) (app.Draft, error) {
	if err := ctx.Err(); err != nil {
		return app.Draft{}, err
	}
	return scanDraft(ctx, d.q.QueryRow(ctx, `SELECT `+draftColumns+newestDraft, q.Year, q.Round, q.Published))
}

func (d draftTx) NewestDraftID(ctx context.Context, q app.DraftQuery) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var id string
	err := d.q.QueryRow(ctx, `SELECT id`+newestDraft, q.Year, q.Round, q.Published).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", app.ErrNoDraft
	}
	return id, wrap(ctx, "read round draft", err)
}

func scanDraft(ctx context.Context, row pgx.Row) (app.Draft, error) {
	var (
		id, year      string
		round, number int
		doc, pub      []byte
	)
	err := row.Scan(&id, &year, &round, &number, &doc, &pub)
	if errors.Is(err, pgx.ErrNoRows) {
		return app.Draft{}, app.ErrNoDraft
	}
	if err != nil {
		return app.Draft{}, wrap(ctx, "read round draft", err)
	}
	var dd draftDoc
	if err := json.Unmarshal(doc, &dd); err != nil {
		return app.Draft{}, errors.New("postgres: decode round draft: invalid document")
	}
	v := dd.draft(id, year, round, number)
	v.Published, err = decodePublication(pub)
	return v, err
}

// decodePublication decodes the publication column: nil for NULL.
func decodePublication(pub []byte) (*app.Publication, error) {
	if pub == nil {
		return nil, nil
	}
	var pd publicationDoc
	if err := json.Unmarshal(pub, &pd); err != nil {
		return nil, errors.New("postgres: decode round draft publication: invalid document")
	}
	return pd.publication(), nil
}

// StillDraft implements app.DraftChecker: the stored draft is v while its
// year, round, number and application ids are v's; only those columns
// and the publication are read, not the document.
func (d draftTx) StillDraft(ctx context.Context, v app.Draft) (bool, *app.Publication, error) {
	if err := ctx.Err(); err != nil {
		return false, nil, err
	}
	var (
		same bool
		pub  []byte
	)
	err := d.q.QueryRow(ctx, `SELECT year = $2 AND round = $3 AND number = $4 AND application_ids = $5, publication
FROM round_drafts WHERE id = $1`, v.ID, v.Year, v.Round, v.Number, draftApplications(v)).Scan(&same, &pub)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil, app.ErrNoDraft
	}
	if err != nil {
		return false, nil, wrap(ctx, "check round draft", err)
	}
	p, err := decodePublication(pub)
	return same, p, err
}

func (d draftTx) EraseFromDrafts(ctx context.Context, applicationIDs ...string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if len(applicationIDs) == 0 {
		return 0, nil
	}
	rows, err := d.q.Query(ctx, `SELECT `+draftColumns+` FROM round_drafts WHERE application_ids && $1 ORDER BY id`, applicationIDs)
	if err != nil {
		return 0, wrap(ctx, "find round drafts", err)
	}
	var found []app.Draft
	for rows.Next() {
		v, err := scanDraft(ctx, rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		found = append(found, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, wrap(ctx, "find round drafts", err)
	}
	gone := make(map[string]bool, len(applicationIDs))
	for _, id := range applicationIDs {
		gone[id] = true
	}
	n := 0
	for _, v := range found {
		w, changed := v.Without(gone)
		if !changed {
			continue
		}
		if err := d.PutDraft(ctx, w); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
