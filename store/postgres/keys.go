package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/app"
)

var _ app.KeyTx = unitTx{}

// Keys keeps idempotency keys in the transaction (app.KeyTx), in the
// table idempotency_keys.
func (u unitTx) Keys() app.Keys { return keysTx{u.tx} }

type keysTx struct{ q querier }

func (k keysTx) Key(ctx context.Context, scope, key string) (app.KeyRecord, error) {
	if err := ctx.Err(); err != nil {
		return app.KeyRecord{}, err
	}
	r := app.KeyRecord{Scope: scope, Key: key}
	err := k.q.QueryRow(ctx, `SELECT operation, fingerprint, result_id, at FROM idempotency_keys WHERE scope = $1 AND key = $2`,
		scope, key).Scan(&r.Operation, &r.Fingerprint, &r.ResultID, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return app.KeyRecord{}, app.ErrNoKey
	}
	if err != nil {
		return app.KeyRecord{}, wrap(ctx, "read idempotency key", err)
	}
	r.At = r.At.UTC()
	return r, nil
}

func (k keysTx) PutKey(ctx context.Context, r app.KeyRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tag, err := k.q.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, operation, fingerprint, result_id, at)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING`, r.Scope, r.Key, r.Operation, r.Fingerprint, r.ResultID, r.At)
	if err != nil {
		return wrap(ctx, "write idempotency key", err)
	}
	if tag.RowsAffected() != 1 {
		return app.ErrKeyExists
	}
	return nil
}
