package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/tagespflege"
)

// Tagespflege returns the view of s that implements [tagespflege.Store].
// Each method is one statement of its own; Atomic groups several in a
// transaction.
func (s *Store) Tagespflege() tagespflege.Store { return tpView{s: s} }

// tpView is the tagespflege port outside a transaction (q is the pool), or
// inside one (tx is set and q is the transaction).
type tpView struct {
	s  *Store
	q  querier
	tx txn
}

var _ tagespflege.Store = tpView{}

func (v tpView) querier() querier {
	if v.q != nil {
		return v.q
	}
	return v.s.pool
}

// Atomic runs fn in a transaction; called on the view an atomic step hands
// to fn, it joins that step as a savepoint, whose writes are undone at once
// when fn fails.
func (v tpView) Atomic(ctx context.Context, fn func(tx tagespflege.Store) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if v.tx == nil {
		return v.s.atomic(ctx, func(tx txn) error { return fn(tpView{s: v.s, q: tx, tx: tx}) })
	}
	return savepoint(ctx, v.tx, func(sp txn) error { return fn(tpView{s: v.s, q: sp, tx: sp}) })
}

func (v tpView) CreateReferral(ctx context.Context, r tagespflege.Referral) error {
	return createReferral(ctx, v.querier(), r)
}

func (v tpView) Referral(ctx context.Context, id string) (tagespflege.Referral, error) {
	return getDoc(ctx, v.querier(), "referral", `SELECT version, doc FROM referrals WHERE id = $1`, id, referralDoc.referral)
}

func (v tpView) UpdateReferral(ctx context.Context, r tagespflege.Referral) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	read := r.Version()
	r = r.AtVersion(read + 1)
	doc, err := json.Marshal(toReferralDoc(r))
	if err != nil {
		return fmt.Errorf("postgres: encode referral: %w", err)
	}
	return versioned(ctx, v.querier(), "referral", "referrals", r.ID, read,
		`UPDATE referrals SET district = $3, created_at = $4, version = version + 1, doc = $5
WHERE id = $1 AND version = $2`, r.ID, read, r.District, r.CreatedAt, doc)
}

func (v tpView) Referrals(ctx context.Context, district string, offset, limit int) ([]tagespflege.Referral, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sql := `SELECT version, doc FROM referrals WHERE ($1 = '' OR district = $1) ORDER BY created_at, id` + pageClause(offset, limit)
	return listDocs(ctx, v.querier(), "referrals", sql, district, referralDoc.referral)
}

func (v tpView) CreateMinder(ctx context.Context, m tagespflege.Minder) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc, err := json.Marshal(toMinderDoc(m))
	if err != nil {
		return fmt.Errorf("postgres: encode minder: %w", err)
	}
	return created(ctx, v.querier(), "minder", `INSERT INTO minders (id, district, version, doc)
VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`, m.ID, m.District, m.Version(), doc)
}

func (v tpView) Minder(ctx context.Context, id string) (tagespflege.Minder, error) {
	return getDoc(ctx, v.querier(), "minder", `SELECT version, doc FROM minders WHERE id = $1`, id, minderDoc.minder)
}

func (v tpView) UpdateMinder(ctx context.Context, m tagespflege.Minder) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	read := m.Version()
	m = m.AtVersion(read + 1)
	doc, err := json.Marshal(toMinderDoc(m))
	if err != nil {
		return fmt.Errorf("postgres: encode minder: %w", err)
	}
	return versioned(ctx, v.querier(), "minder", "minders", m.ID, read,
		`UPDATE minders SET district = $3, version = version + 1, doc = $4
WHERE id = $1 AND version = $2`, m.ID, read, m.District, doc)
}

func (v tpView) Minders(ctx context.Context, district string, offset, limit int) ([]tagespflege.Minder, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sql := `SELECT version, doc FROM minders WHERE ($1 = '' OR district = $1) ORDER BY id` + pageClause(offset, limit)
	return listDocs(ctx, v.querier(), "minders", sql, district, minderDoc.minder)
}

func (v tpView) CreateGroup(ctx context.Context, g tagespflege.Group) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc, err := json.Marshal(toGroupDoc(g))
	if err != nil {
		return fmt.Errorf("postgres: encode group: %w", err)
	}
	return created(ctx, v.querier(), "group", `INSERT INTO tp_groups (id, version, doc)
VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`, g.ID, g.Version(), doc)
}

func (v tpView) Group(ctx context.Context, id string) (tagespflege.Group, error) {
	return getDoc(ctx, v.querier(), "group", `SELECT version, doc FROM tp_groups WHERE id = $1`, id, groupDoc.group)
}

func (v tpView) UpdateGroup(ctx context.Context, g tagespflege.Group) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	read := g.Version()
	g = g.AtVersion(read + 1)
	doc, err := json.Marshal(toGroupDoc(g))
	if err != nil {
		return fmt.Errorf("postgres: encode group: %w", err)
	}
	return versioned(ctx, v.querier(), "group", "tp_groups", g.ID, read,
		`UPDATE tp_groups SET version = version + 1, doc = $3 WHERE id = $1 AND version = $2`, g.ID, read, doc)
}

// createReferral stores a new referral; the registration adapter calls it
// inside the application's atomic step. ErrExists on a taken id.
func createReferral(ctx context.Context, q querier, r tagespflege.Referral) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc, err := json.Marshal(toReferralDoc(r))
	if err != nil {
		return fmt.Errorf("postgres: encode referral: %w", err)
	}
	return created(ctx, q, "referral", `INSERT INTO referrals (id, district, created_at, version, doc)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, r.ID, r.District, r.CreatedAt, r.Version(), doc)
}

// created runs an INSERT ... ON CONFLICT DO NOTHING: no row means the id
// was taken (tagespflege.ErrExists), and the transaction stays usable.
func created(ctx context.Context, q querier, what, sql string, args ...any) error {
	tag, err := q.Exec(ctx, sql, args...)
	if err != nil {
		return wrap(ctx, "create "+what, err)
	}
	if tag.RowsAffected() == 0 {
		return tagespflege.ErrExists
	}
	return nil
}

// versioned runs a conditional UPDATE ... WHERE id = $1 AND version = $2;
// no row means ErrNotFound when the record is missing, else ErrConflict.
func versioned(ctx context.Context, q querier, what, table, id string, read int64, sql string, args ...any) error {
	tag, err := q.Exec(ctx, sql, args...)
	if err != nil {
		return wrap(ctx, "update "+what, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var exists bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE id = $1)`, id).Scan(&exists); err != nil {
		return wrap(ctx, "update "+what, err)
	}
	if !exists {
		return tagespflege.ErrNotFound
	}
	return tagespflege.ErrConflict
}

// getDoc reads one (version, doc) row as a document D and turns it into
// the domain value at that version.
func getDoc[D, T any](ctx context.Context, q querier, what, sql, id string, value func(D, int64) T) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	var (
		v   int64
		doc []byte
	)
	if err := q.QueryRow(ctx, sql, id).Scan(&v, &doc); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return zero, tagespflege.ErrNotFound
		}
		return zero, wrap(ctx, "read "+what, err)
	}
	return decodeDoc(what, doc, v, value)
}

// decodeDoc decodes a stored document D and turns it into the domain value
// at the stored version v, read as docOptions says, so a damaged row is an
// error, never a panic, a day moved or a member dropped.
func decodeDoc[D, T any](what string, doc []byte, v int64, value func(D, int64) T) (T, error) {
	var d D
	if err := jsonv2.Unmarshal(doc, &d, docOptions); err != nil {
		var zero T
		return zero, errors.New("postgres: decode " + what + ": invalid document")
	}
	return value(d, v), nil
}

// listDocs reads (version, doc) rows as documents D and turns them into
// domain values.
func listDocs[D, T any](ctx context.Context, q querier, what, sql string, arg any, value func(D, int64) T) ([]T, error) {
	rows, err := q.Query(ctx, sql, arg)
	if err != nil {
		return nil, wrap(ctx, what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var (
			v   int64
			doc []byte
		)
		if err := rows.Scan(&v, &doc); err != nil {
			return nil, wrap(ctx, what, err)
		}
		x, err := decodeDoc(what, doc, v, value)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, what, err)
	}
	return out, nil
}
