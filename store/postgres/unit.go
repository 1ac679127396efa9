package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

var _ app.Store = (*Store)(nil)

// Atomic runs fn in one transaction over every table; see [Store] for the
// retry rule. Calling Store.Atomic inside fn opens an unrelated second
// transaction; use [app.Tx.Atomic] for a nested step.
func (s *Store) Atomic(ctx context.Context, fn func(tx app.Tx) error) error {
	return s.atomic(ctx, func(tx txn) error { return fn(unitTx{s: s, tx: tx}) })
}

// unitTx is the unit of work of one transaction.
type unitTx struct {
	s  *Store
	tx txn
}

func (u unitTx) Applications() registration.Tx  { return regTx{u.tx} }
func (u unitTx) Ledger() registration.Ledger    { return regTx{u.tx} }
func (u unitTx) Outbox() registration.Outbox    { return regTx{u.tx} }
func (u unitTx) Audit() registration.AuditTrail { return regTx{u.tx} }
func (u unitTx) Tagespflege() tagespflege.Store { return tpView{s: u.s, q: u.tx, tx: u.tx} }
func (u unitTx) Catalogue() app.CatalogueEdits  { return catTx{u.tx} }

// Atomic runs fn in a savepoint of the transaction: when fn fails, its own
// writes are undone at once.
func (u unitTx) Atomic(ctx context.Context, fn func(tx app.Tx) error) error {
	return savepoint(ctx, u.tx, func(sp txn) error { return fn(unitTx{s: u.s, tx: sp}) })
}

// savepoint runs fn in a savepoint of tx: when fn fails (or panics), its
// writes are undone at once and tx stays usable.
func savepoint(ctx context.Context, tx txn, fn func(sp txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return wrap(ctx, "savepoint", err)
	}
	done := false
	defer func() {
		if !done {
			_ = sp.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(sp); err != nil {
		return err
	}
	if err := sp.Commit(ctx); err != nil {
		return wrap(ctx, "release savepoint", err)
	}
	done = true
	return nil
}

type catTx struct{ q querier }

func (c catTx) Edits(ctx context.Context, kitaID string) (kita.Edits, error) {
	if err := ctx.Err(); err != nil {
		return kita.Edits{}, err
	}
	var (
		v   int64
		doc []byte
	)
	err := c.q.QueryRow(ctx, `SELECT version, doc FROM kita_edits WHERE kita_id = $1`, kitaID).Scan(&v, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return kita.Edits{}, app.ErrNoEdits
	}
	if err != nil {
		return kita.Edits{}, wrap(ctx, "read kita edits", err)
	}
	return decodeEdits(kitaID, v, doc)
}

func decodeEdits(id string, v int64, doc []byte) (kita.Edits, error) {
	var d editsDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return kita.Edits{}, errors.New("postgres: decode kita edits: invalid document")
	}
	return d.edits(id, v), nil
}

func (c catTx) PutEdits(ctx context.Context, e kita.Edits) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc, err := json.Marshal(toEditsDoc(e))
	if err != nil {
		return errors.New("postgres: encode kita edits")
	}
	var tag interface{ RowsAffected() int64 }
	if e.Version == 0 {
		tag, err = c.q.Exec(ctx, `INSERT INTO kita_edits (kita_id, version, doc) VALUES ($1, 1, $2) ON CONFLICT (kita_id) DO NOTHING`, e.KitaID, doc)
	} else {
		tag, err = c.q.Exec(ctx, `UPDATE kita_edits SET version = version + 1, doc = $3 WHERE kita_id = $1 AND version = $2`, e.KitaID, e.Version, doc)
	}
	if err != nil {
		return wrap(ctx, "write kita edits", err)
	}
	if tag.RowsAffected() != 1 {
		return app.ErrEditConflict
	}
	return nil
}

func (c catTx) AllEdits(ctx context.Context) ([]kita.Edits, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := c.q.Query(ctx, `SELECT kita_id, version, doc FROM kita_edits ORDER BY kita_id`)
	if err != nil {
		return nil, wrap(ctx, "list kita edits", err)
	}
	defer rows.Close()
	out := []kita.Edits{}
	for rows.Next() {
		var (
			id  string
			v   int64
			doc []byte
		)
		if err := rows.Scan(&id, &v, &doc); err != nil {
			return nil, wrap(ctx, "list kita edits", err)
		}
		e, err := decodeEdits(id, v, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, wrap(ctx, "list kita edits", rows.Err())
}
