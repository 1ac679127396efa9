package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

var _ app.RoundWriter = regTx{}

// TakePlaces implements app.RoundWriter in two statements: the places
// rows of the keys are read and locked (FOR UPDATE, in key order, so two
// rounds cannot deadlock), the keys are given places in their order, as
// one TakePlace per key would give them (taken < capacity), and the rows
// are raised by what they gave in one UPDATE.
func (x regTx) TakePlaces(ctx context.Context, keys []registration.PlaceKey) ([]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	taken := make([]bool, len(keys))
	if len(keys) == 0 {
		return taken, nil
	}
	left := make(map[registration.PlaceKey]int)
	var distinct []registration.PlaceKey
	for _, k := range keys {
		if _, ok := left[k]; !ok {
			left[k] = 0
			distinct = append(distinct, k)
		}
	}
	rows, err := x.tx.Query(ctx, `SELECT p.kita_id, p.year, p.band, p.hours, p.from_month, p.capacity - p.taken
FROM places p JOIN unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::text[]) AS k(kita_id, year, band, hours, from_month)
	ON p.kita_id = k.kita_id AND p.year = k.year AND p.band = k.band AND p.hours = k.hours AND p.from_month = k.from_month
ORDER BY p.kita_id, p.year, p.band, p.hours, p.from_month
FOR UPDATE OF p`, placeArrays(distinct, nil)...)
	if err != nil {
		return nil, wrap(ctx, "take places", err)
	}
	for rows.Next() {
		var (
			k           registration.PlaceKey
			band, hours int
			free        int
		)
		if err := rows.Scan(&k.KitaID, &k.Year, &band, &hours, &k.From, &free); err != nil {
			rows.Close()
			return nil, wrap(ctx, "take places", err)
		}
		k.Band, k.Hours = kita.Band(band), kita.Hours(hours)
		left[k] = free
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "take places", err)
	}
	given := make(map[registration.PlaceKey]int)
	for i, k := range keys {
		if left[k] > 0 {
			taken[i] = true
			left[k]--
			given[k]++
		}
	}
	if len(given) == 0 {
		return taken, nil
	}
	raised := make([]registration.PlaceKey, 0, len(given))
	counts := make([]int32, 0, len(given))
	for _, k := range distinct {
		if n := given[k]; n > 0 {
			raised = append(raised, k)
			counts = append(counts, int32(n))
		}
	}
	tag, err := x.tx.Exec(ctx, `UPDATE places p SET taken = p.taken + k.n
FROM unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::text[], $6::integer[]) AS k(kita_id, year, band, hours, from_month, n)
WHERE p.kita_id = k.kita_id AND p.year = k.year AND p.band = k.band AND p.hours = k.hours AND p.from_month = k.from_month`,
		placeArrays(raised, counts)...)
	if err != nil {
		return nil, wrap(ctx, "take places", err)
	}
	if tag.RowsAffected() != int64(len(raised)) {
		return nil, fmt.Errorf("postgres: take places: %d of %d places rows raised", tag.RowsAffected(), len(raised))
	}
	return taken, nil
}

// placeArrays returns the keys column by column (kita, year, band, hours,
// from), and counts after them when it is not nil.
func placeArrays(keys []registration.PlaceKey, counts []int32) []any {
	kitas, years, froms := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
	bands, hours := make([]int32, len(keys)), make([]int32, len(keys))
	for i, k := range keys {
		kitas[i], years[i], froms[i] = k.KitaID, k.Year, k.From
		bands[i], hours[i] = int32(k.Band), int32(k.Hours)
	}
	args := []any{kitas, years, bands, hours, froms}
	if counts != nil {
		args = append(args, counts)
	}
	return args
}

// UpdateAll implements app.RoundWriter: every application in one
// statement, each with Update's conditions (the version read, no second
// active application of the child in the family). The first application
// the statement did not update is explained as Update explains it. The
// same application twice is written one by one, as Update would.
func (x regTx) UpdateAll(ctx context.Context, apps []registration.Application) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(apps) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(apps))
	for _, a := range apps {
		if seen[a.ID] || slices.ContainsFunc(a.Choices, func(c registration.Choice) bool { return strings.Contains(c.KitaID, kitaSep) }) {
			return x.updateEach(ctx, apps)
		}
		seen[a.ID] = true
	}
	args, err := updateArrays(apps)
	if err != nil {
		return err
	}
	rows, err := x.tx.Query(ctx, updateApplications, args...)
	if err != nil {
		return appError(ctx, "update applications", err)
	}
	updated := make([]bool, len(apps))
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return wrap(ctx, "update applications", err)
		}
		updated[n-1] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return appError(ctx, "update applications", err)
	}
	for i, ok := range updated {
		if !ok {
			return x.updateRefused(ctx, apps[i])
		}
	}
	return nil
}

// updateApplications is Update's statement for many applications given
// column by column (updateArrays); it returns the position (1, 2, ...) of
// each application it updated. Each application's Kitas are one text,
// joined by kitaSep.
const updateApplications = `UPDATE applications a SET family_id = u.family_id, year = u.year,
child_key = u.child_key, idempotency_key = u.idempotency_key, status = u.status, submitted_at = u.submitted_at,
kita_ids = string_to_array(u.kitas, E'\x1f'), version = a.version + 1, doc = u.doc
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
	$8::timestamptz[], $9::text[], $10::json[], $11::boolean[])
	WITH ORDINALITY AS u(id, read, family_id, year, child_key, idempotency_key, status, submitted_at, kitas, doc, active, n)
WHERE a.id = u.id AND a.version = u.read
AND NOT (u.active AND EXISTS (SELECT 1 FROM applications o WHERE o.family_id = u.family_id
	AND o.child_key = u.child_key AND o.year = u.year AND o.id <> u.id AND o.status NOT IN ('withdrawn', 'expired')))
RETURNING u.n`

// updateArrays returns the arguments of updateApplications.
func updateArrays(apps []registration.Application) ([]any, error) {
	n := len(apps)
	text := func() []string { return make([]string, 0, n) }
	id, family, year, child, key, status, docs := text(), text(), text(), text(), text(), text(), text()
	read := make([]int64, 0, n)
	submitted := make([]time.Time, 0, n)
	kitas := text()
	check := make([]bool, 0, n)
	for _, a := range apps {
		v := a.Version()
		next := a.AtVersion(v + 1)
		doc, err := json.Marshal(toApplicationDoc(next))
		if err != nil {
			return nil, fmt.Errorf("postgres: encode application: %w", err)
		}
		id, family, year, child = append(id, a.ID), append(family, a.FamilyID), append(year, a.Year), append(child, a.ChildKey)
		key, status, docs = append(key, a.IdempotencyKey), append(status, a.Status().String()), append(docs, string(doc))
		read, submitted = append(read, v), append(submitted, a.SubmittedAt)
		kitas = append(kitas, strings.Join(kitaIDs(a), kitaSep))
		check = append(check, a.ChildKey != "" && active(a.Status()))
	}
	return []any{id, read, family, year, child, key, status, submitted, kitas, docs, check}, nil
}

// kitaSep joins an application's Kitas in updateApplications; an id that
// holds it is written one by one instead.
const kitaSep = "\x1f"

// updateEach writes apps with Update's statement one after the other, in
// one batch.
func (x regTx) updateEach(ctx context.Context, apps []registration.Application) error {
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
