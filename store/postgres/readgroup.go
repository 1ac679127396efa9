package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/registration"
)

// readGroup sends the plain reads of concurrent callers together: a
// submission's idempotency-key lookup and its step's two reads, which run
// outside any transaction. One caller at a time sends (the leader); the
// callers that read meanwhile wait, and the next leader sends all their
// reads in one batch on its own connection, in one round trip: one
// statement for every key lookup, one for every child's applications and
// one for every family's (groupKeysSQL, groupListSQL). Each statement
// reads its own snapshot (READ COMMITTED), taken after every caller of
// the group began to wait, so a read in a group sees what it would see
// alone. A caller alone reads as it would without the group. When a group
// fails (the leader's context ends, a statement fails, a document cannot
// be read), every caller of the group reads again alone, with its own
// context: reads change nothing, so reading again is safe, and each gets
// its own answer or error. The store keeps one group for the lookups that
// run on the pool and one for the reads of steps, each on its step's
// connection: a leader taking a connection from the pool must not wait
// for steps that hold the pool's connections and wait for it.
type readGroup struct{ turns turns[*readItem] }

// readItem is one caller's reads and, once read, their answers.
type readItem struct {
	// familyID's idempotency key to look up; none when key is empty.
	familyID, key string
	// The child's and the family's applications of year; none when
	// childKey is empty.
	childKey, year string

	// The answers: the stored version and document of the key's
	// application (found), the lists in the order of listSQL.
	version       int64
	doc           []byte
	found         bool
	child, family []registration.Application

	// alone reads on the caller's own connection and sets the answers;
	// its error is the caller's.
	alone func() error
	read1 bool // read by a group
}

// run reads it alone or in a group, sending the group on q.
func (g *readGroup) run(ctx context.Context, q querier, it *readItem) error {
	group := g.turns.take(it)
	if group == nil {
		return it.outcome()
	}
	var err error
	if len(group) == 1 {
		err = it.alone()
		it.read1 = true
	} else {
		sendReads(ctx, q, items(group))
	}
	g.turns.done(group)
	if len(group) == 1 {
		return err
	}
	return it.outcome()
}

// outcome is nil for an item a group read; an item the group did not
// read reads alone.
func (it *readItem) outcome() error {
	if it.read1 {
		return nil
	}
	return it.alone()
}

// groupKeysSQL looks up the idempotency keys of families, given as two
// arrays; each row names its pair by n, counted from 1. The partial
// unique index of the keys serves it (a key looked up is never empty),
// once per pair: LIMIT 1 (one application per key) keeps the subquery
// apart, so that the planner never joins the pairs with the whole table,
// which it would do on a table without statistics.
const groupKeysSQL = `SELECT r.n, a.version, a.doc
FROM unnest((SELECT $1::text[]), (SELECT $2::text[])) WITH ORDINALITY AS r(family_id, key, n)
CROSS JOIN LATERAL (SELECT version, doc FROM applications
	WHERE family_id = r.family_id AND idempotency_key = r.key AND idempotency_key <> '' LIMIT 1) AS a`

// groupListSQL reads the applications of children (column child_key) or
// families (family_id) of Kita years, given as two arrays; each row
// names its pair by n, counted from 1, in the order of listSQL.
func groupListSQL(column string) string {
	return `SELECT r.n, a.version, a.doc
FROM unnest((SELECT $1::text[]), (SELECT $2::text[])) WITH ORDINALITY AS r(` + column + `, year, n)
CROSS JOIN LATERAL (SELECT version, doc, submitted_at, id FROM applications
	WHERE ` + column + ` = r.` + column + ` AND year = r.year ORDER BY submitted_at, id) AS a
ORDER BY r.n, a.submitted_at, a.id`
}

var (
	groupChildSQL  = groupListSQL("child_key")
	groupFamilySQL = groupListSQL("family_id")
)

// sendReads sends the reads of group in one batch, one statement per
// kind, and sets every item's answers. When anything fails, no item is
// read: each reads alone.
func sendReads(ctx context.Context, q querier, group []*readItem) {
	var keyed, listed []*readItem
	for _, it := range group {
		if it.key != "" {
			keyed = append(keyed, it)
		}
		if it.childKey != "" {
			listed = append(listed, it)
		}
	}
	b := &pgx.Batch{}
	if len(keyed) > 0 {
		families, keys := make([]string, len(keyed)), make([]string, len(keyed))
		for i, it := range keyed {
			families[i], keys[i] = it.familyID, it.key
		}
		b.Queue(groupKeysSQL, families, keys)
	}
	if len(listed) > 0 {
		children, families, years := make([]string, len(listed)), make([]string, len(listed)), make([]string, len(listed))
		for i, it := range listed {
			children[i], families[i], years[i] = it.childKey, it.familyID, it.year
		}
		b.Queue(groupChildSQL, children, years)
		b.Queue(groupFamilySQL, families, years)
	}
	br := q.SendBatch(ctx, b)
	err := readGroupResults(br, keyed, listed)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return
	}
	for _, it := range group {
		it.read1 = true
	}
}

// readGroupResults reads sendReads' results into the items.
func readGroupResults(br pgx.BatchResults, keyed, listed []*readItem) error {
	if len(keyed) > 0 {
		if err := readRowsOf(br, keyed, func(it *readItem, version int64, doc []byte) error {
			it.version, it.doc, it.found = version, doc, true
			return nil
		}); err != nil {
			return err
		}
	}
	if len(listed) == 0 {
		return nil
	}
	for _, list := range []func(it *readItem) *[]registration.Application{
		func(it *readItem) *[]registration.Application { return &it.child },
		func(it *readItem) *[]registration.Application { return &it.family },
	} {
		if err := readRowsOf(br, listed, func(it *readItem, version int64, doc []byte) error {
			a, err := decodeApplication(version, doc)
			if err != nil {
				return err
			}
			*list(it) = append(*list(it), a)
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// errGroupRow is a row of a group's statement that names no item.
var errGroupRow = errors.New("postgres: read group: a row of no caller")

// readRowsOf reads the rows (n, version, doc) of the batch's next
// statement and gives each to its item, items[n-1].
func readRowsOf(br pgx.BatchResults, items []*readItem, row func(it *readItem, version int64, doc []byte) error) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			n       int64
			version int64
			doc     []byte
		)
		if err := rows.Scan(&n, &version, &doc); err != nil {
			return err
		}
		if n < 1 || n > int64(len(items)) {
			return errGroupRow
		}
		if err := row(items[n-1], version, doc); err != nil {
			return err
		}
	}
	return rows.Err()
}
