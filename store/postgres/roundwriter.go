package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/registration"
)

var _ app.RoundWriter = regTx{}

// TakePlaces implements app.RoundWriter: TakePlace's statement for every
// key, sent in one batch and run by the server in order, so the places are
// taken exactly as one call per key would take them.
func (x regTx) TakePlaces(ctx context.Context, keys []registration.PlaceKey) ([]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var b pgx.Batch
	for _, k := range keys {
		b.Queue(takePlace, takePlaceArgs(k)...)
	}
	taken := make([]bool, len(keys))
	err := x.batch(ctx, "take places", &b, func(i int, rows int64) { taken[i] = rows == 1 })
	if err != nil {
		return nil, err
	}
	return taken, nil
}

// UpdateAll implements app.RoundWriter: Update's statement for every
// application in one batch. The first application the server did not
// update is explained as Update explains it.
func (x regTx) UpdateAll(ctx context.Context, apps []registration.Application) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var b pgx.Batch
	for _, a := range apps {
		sql, args, err := updateApplication(a)
		if err != nil {
			return err
		}
		b.Queue(sql, args...)
	}
	missed := -1
	err := x.batch(ctx, "update application", &b, func(i int, rows int64) {
		if rows != 1 && missed < 0 {
			missed = i
		}
	})
	if err != nil {
		return err
	}
	if missed >= 0 {
		return x.updateRefused(ctx, apps[missed])
	}
	return nil
}

// AppendAudits implements app.RoundWriter: the entries in one statement,
// numbered in their order.
func (x regTx) AppendAudits(ctx context.Context, entries []registration.AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	cols := auditColumns(entries)
	_, err := x.tx.Exec(ctx, `INSERT INTO audit (at, actor, action, application_id, family_id, reason)
SELECT at, actor, action, application_id, family_id, reason
FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
	WITH ORDINALITY AS e(at, actor, action, application_id, family_id, reason, n)
ORDER BY n`, cols...)
	return wrap(ctx, "append audit", err)
}

// auditColumns returns the entries' fields column by column.
func auditColumns(entries []registration.AuditEntry) []any {
	var (
		at                                   = make([]time.Time, 0, len(entries))
		actor, action, appID, family, reason []string
	)
	for _, e := range entries {
		at = append(at, e.At)
		actor = append(actor, e.Actor)
		action = append(action, e.Action)
		appID = append(appID, e.ApplicationID)
		family = append(family, e.FamilyID)
		reason = append(reason, e.Reason)
	}
	return []any{at, actor, action, appID, family, reason}
}

// batch sends b, hands each statement's row count to rows in order and
// returns the first error (a unique violation as registration.ErrDuplicate).
func (x regTx) batch(ctx context.Context, op string, b *pgx.Batch, rows func(i int, n int64)) error {
	n := b.Len()
	br := x.tx.SendBatch(ctx, b)
	var first error
	for i := range n {
		tag, err := br.Exec()
		if err != nil {
			if first == nil {
				first = appError(ctx, op, err)
			}
			continue
		}
		rows(i, tag.RowsAffected())
	}
	if err := br.Close(); err != nil && first == nil {
		first = wrap(ctx, op, err)
	}
	return first
}
