package memory

import (
	"context"

	"github.com/kitaportal/kitaportal/app"
)

var _ app.KeyTx = unitTx{}

// keyData are the idempotency keys, by scope and key.
type keyData map[[2]string]app.KeyRecord

// Keys keeps idempotency keys in the step (app.KeyTx).
func (u unitTx) Keys() app.Keys { return keysTx(u) }

type keysTx struct{ t *tx }

func (k keysTx) Key(ctx context.Context, scope, key string) (app.KeyRecord, error) {
	if err := ctx.Err(); err != nil {
		return app.KeyRecord{}, err
	}
	r, ok := k.t.d.keys[[2]string{scope, key}]
	if !ok {
		return app.KeyRecord{}, app.ErrNoKey
	}
	return r, nil
}

func (k keysTx) PutKey(ctx context.Context, r app.KeyRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id := [2]string{r.Scope, r.Key}
	if _, ok := k.t.d.keys[id]; ok {
		return app.ErrKeyExists
	}
	setKey(k.t, k.t.d.keys, id, r)
	return nil
}
