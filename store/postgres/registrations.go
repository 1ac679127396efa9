package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Registrations returns the view of s that implements registration.Store.
func (s *Store) Registrations() registration.Store { return regView{s} }

// regView is the registration port outside a transaction: every method is
// one statement, or one transaction of its own.
type regView struct{ s *Store }

var _ registration.Store = regView{}

// regTx is the registration port inside an atomic step.
type regTx struct{ tx txn }

var (
	_ registration.Tx               = regTx{}
	_ registration.SubmissionWriter = regTx{}
	_ registration.SubmissionReader = regTx{}
)

// Atomic runs fn in one transaction; see [Store] for the retry rule.
func (v regView) Atomic(ctx context.Context, fn func(tx registration.Tx) error) error {
	return v.s.atomic(ctx, func(tx txn) error { return fn(regTx{tx}) })
}

func (v regView) Application(ctx context.Context, id string) (registration.Application, error) {
	return getApplication(ctx, v.s.pool, id)
}

// ApplicationByKey reads alone, or together with the reads of other
// callers (readGroup).
func (v regView) ApplicationByKey(ctx context.Context, familyID, key string) (registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return registration.Application{}, err
	}
	if key == "" {
		return registration.Application{}, registration.ErrNotFound
	}
	it := &readItem{familyID: familyID, key: key}
	it.alone = func() error { return it.readKey(ctx, v.s.pool.QueryRow(ctx, byKeySQL, familyID, key)) }
	if err := v.s.keyReads.run(ctx, v.s.pool, it); err != nil {
		return registration.Application{}, err
	}
	if !it.found {
		return registration.Application{}, registration.ErrNotFound
	}
	return decodeApplication(it.version, it.doc)
}

// readKey reads the row of byKeySQL into the item's answers.
func (it *readItem) readKey(ctx context.Context, row pgx.Row) error {
	switch err := row.Scan(&it.version, &it.doc); {
	case errors.Is(err, pgx.ErrNoRows):
		it.found = false
	case err != nil:
		return wrap(ctx, "read application", err)
	default:
		it.found = true
	}
	return nil
}

func (v regView) Applications(ctx context.Context, q registration.Query) ([]registration.Application, error) {
	return listApplications(ctx, v.s.pool, q)
}

// SetPlaces sets the capacity of the places in one transaction and keeps
// what is taken.
func (v regView) SetPlaces(ctx context.Context, places ...registration.Places) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(places) == 0 {
		return nil
	}
	return v.s.atomic(ctx, func(tx txn) error { return setPlaces(ctx, tx, places) })
}

// setPlaces upserts the capacity of places in tx and keeps what is taken.
func setPlaces(ctx context.Context, tx txn, places []registration.Places) error {
	b := &pgx.Batch{}
	for _, p := range places {
		b.Queue(`INSERT INTO places (kita_id, year, band, hours, from_month, capacity, taken) VALUES ($1, $2, $3, $4, $5, $6, 0)
ON CONFLICT (kita_id, year, band, hours, from_month) DO UPDATE SET capacity = excluded.capacity`,
			p.KitaID, p.Year, int(p.Band), int(p.Hours), p.From, p.Capacity)
	}
	return wrap(ctx, "set places", tx.SendBatch(ctx, b).Close())
}

func (v regView) Places(ctx context.Context, year string) ([]registration.Places, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := v.s.pool.Query(ctx, `SELECT kita_id, year, band, hours, from_month, capacity, taken FROM places
WHERE year = $1 ORDER BY kita_id, band, hours, from_month`, year)
	if err != nil {
		return nil, wrap(ctx, "places", err)
	}
	var out []registration.Places
	for rows.Next() {
		var p registration.Places
		var band, hours int
		if err := rows.Scan(&p.KitaID, &p.Year, &band, &hours, &p.From, &p.Capacity, &p.Taken); err != nil {
			rows.Close()
			return nil, wrap(ctx, "places", err)
		}
		p.Band, p.Hours = kita.Band(band), kita.Hours(hours)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "places", err)
	}
	return out, nil
}

func (v regView) AppendAudit(ctx context.Context, e registration.AuditEntry) error {
	return appendAudit(ctx, v.s.pool, e)
}

func (v regView) Audit(ctx context.Context, q registration.AuditQuery) ([]registration.AuditEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var f filter
	add := f.add
	if q.ApplicationID != "" {
		add("application_id = $%d", q.ApplicationID)
	}
	if q.FamilyID != "" {
		add("family_id = $%d", q.FamilyID)
	}
	if q.Actor != "" {
		add("actor = $%d", q.Actor)
	}
	sql := "SELECT seq, at, actor, action, application_id, family_id, reason FROM audit" +
		f.where() + " ORDER BY at, seq" + pageClause(q.Offset, q.Limit)
	rows, err := v.s.pool.Query(ctx, sql, f.args...)
	if err != nil {
		return nil, wrap(ctx, "audit", err)
	}
	var out []registration.AuditEntry
	for rows.Next() {
		var e registration.AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.ApplicationID, &e.FamilyID, &e.Reason); err != nil {
			rows.Close()
			return nil, wrap(ctx, "audit", err)
		}
		e.At = utc(e.At)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "audit", err)
	}
	return out, nil
}

func (v regView) FamilyMessages(ctx context.Context, familyID string) ([]notify.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if familyID == "" {
		return nil, nil
	}
	return queryMessages(ctx, v.s.pool, "family messages",
		"SELECT "+messageColumns+" FROM messages WHERE family_id = $1 ORDER BY created_at, id", familyID)
}

// Application reads an application inside a step and locks its row until
// the step ends: a step reads to change, so a concurrent step waits for it
// instead of failing with ErrConflict afterwards.
func (x regTx) Application(ctx context.Context, id string) (registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return registration.Application{}, err
	}
	return scanApplication(ctx, x.tx.QueryRow(ctx, `SELECT version, doc FROM applications WHERE id = $1 FOR UPDATE`, id))
}

func (x regTx) ApplicationByKey(ctx context.Context, familyID, key string) (registration.Application, error) {
	return applicationByKey(ctx, x.tx, familyID, key)
}

func (x regTx) Applications(ctx context.Context, q registration.Query) ([]registration.Application, error) {
	return listApplications(ctx, x.tx, q)
}

// Insert stores a with Version 1. A conflict on any unique index is
// resolved by ON CONFLICT DO NOTHING, so the transaction stays usable
// after ErrExists or ErrDuplicate, as in the in-memory adapter.
func (x regTx) Insert(ctx context.Context, a registration.Application) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sql, args, err := insertApplication(a)
	return x.writeOne(ctx, "insert application", sql, args, err, func() error { return x.conflict(ctx, a.ID) })
}

// writeOne runs a statement that writes one application (or fails to
// make it: err); when it writes no row, refused tells why.
func (x regTx) writeOne(ctx context.Context, op, sql string, args []any, err error, refused func() error) error {
	if err != nil {
		return err
	}
	tag, err := x.tx.Exec(ctx, sql, args...)
	if err != nil {
		return appError(ctx, op, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return refused()
}

// InsertSubmission implements registration.SubmissionWriter: the
// application, its messages and the audit entries go to the server in
// one batch, so that a submission holds its reference number's counter
// row for one round trip fewer per statement.
func (x regTx) InsertSubmission(ctx context.Context, a registration.Application, msgs []notify.Message, audit []registration.AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msgs, err := checkNew(msgs)
	if err != nil {
		return err
	}
	if st, ok := x.tx.(*stepTx); ok {
		// Sent with the step's COMMIT: without ON CONFLICT, so that a
		// refused row fails the whole step on the server.
		a, doc, err := newApplicationDoc(a)
		if err != nil {
			return err
		}
		st.laterRows(ctx, &submissionRows{app: a, doc: doc, msgs: msgs, audit: audit})
		return nil
	}
	sql, args, err := insertApplication(a)
	if err != nil {
		return err
	}
	var b pgx.Batch
	b.Queue(sql, args...)
	queueMessages(&b, msgs)
	for _, e := range audit {
		b.Queue(insertAudit, auditArgs(e)...)
	}
	br := x.tx.SendBatch(ctx, &b)
	tag, err := br.Exec()
	inserted := err == nil && tag.RowsAffected() == 1
	if err != nil {
		err = appError(ctx, "insert application", err)
	}
	if merr := readMessages(ctx, br, len(msgs)); err == nil {
		err = merr
	}
	for range audit {
		if _, aerr := br.Exec(); aerr != nil && err == nil {
			err = wrap(ctx, "append audit", aerr)
		}
	}
	if cerr := br.Close(); cerr != nil && err == nil {
		err = wrap(ctx, "insert submission", cerr)
	}
	if err != nil {
		return err
	}
	if !inserted {
		return x.conflict(ctx, a.ID)
	}
	return nil
}

// insertApplication is the statement that stores a with Version 1, or
// nothing on a conflict with any unique index.
func insertApplication(a registration.Application) (string, []any, error) {
	a, doc, err := newApplicationDoc(a)
	if err != nil {
		return "", nil, err
	}
	return insertApplicationRow + ` ON CONFLICT DO NOTHING`, applicationArgs(a, doc), nil
}

// newApplicationDoc returns a at Version 1 and its document.
func newApplicationDoc(a registration.Application) (registration.Application, []byte, error) {
	a = a.AtVersion(1)
	doc, err := json.Marshal(toApplicationDoc(a))
	if err != nil {
		return registration.Application{}, nil, fmt.Errorf("postgres: encode application: %w", err)
	}
	return a, doc, nil
}

// applicationArgs are the arguments of insertApplicationRow.
func applicationArgs(a registration.Application, doc []byte) []any {
	return []any{a.ID, a.FamilyID, a.Year, a.ChildKey, a.IdempotencyKey, a.Status().String(), a.SubmittedAt, kitaIDs(a), doc}
}

// insertApplicationRow stores a new application (insertApplication's
// arguments); a conflict with a unique index fails the statement.
const insertApplicationRow = `INSERT INTO applications
(id, family_id, year, child_key, idempotency_key, status, submitted_at, kita_ids, version, doc)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)`

// refusedRow tells why a row of a submission was refused: ErrExists for an
// application id stored already, ErrDuplicate for another unique index of
// applications (the idempotency key, the child's active application of
// the Kita year), notify.ErrExists for a message id stored already.
func refusedRow(ctx context.Context, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == codeUniqueViolation {
		switch {
		case pe.ConstraintName == "applications_pkey":
			return registration.ErrExists
		case pe.TableName == "applications":
			return registration.ErrDuplicate
		case pe.ConstraintName == "messages_pkey":
			return notify.ErrExists
		}
	}
	return wrap(ctx, "insert submission", err)
}

// conflict tells why an application with id was not inserted: ErrExists
// when the id is taken, else ErrDuplicate (the idempotency key, or the
// child's active application of the Kita year).
func (x regTx) conflict(ctx context.Context, id string) error {
	var exists bool
	if err := x.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1)`, id).Scan(&exists); err != nil {
		return wrap(ctx, "insert application", err)
	}
	if exists {
		return registration.ErrExists
	}
	return registration.ErrDuplicate
}

// Update stores a with Version+1 when the stored version is a.Version. The
// statement itself refuses a second active application of the same child
// in the same family,
// so that the transaction stays usable after ErrDuplicate; the unique index
// still decides between concurrent writers.
func (x regTx) Update(ctx context.Context, a registration.Application) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sql, args, err := updateApplication(a)
	return x.writeOne(ctx, "update application", sql, args, err, func() error { return x.updateRefused(ctx, a) })
}

// updateApplication is the statement that stores a with Version+1 when
// the stored version is a.Version (see Update).
func updateApplication(a registration.Application) (string, []any, error) {
	read := a.Version()
	a = a.AtVersion(read + 1)
	doc, err := json.Marshal(toApplicationDoc(a))
	if err != nil {
		return "", nil, fmt.Errorf("postgres: encode application: %w", err)
	}
	return `UPDATE applications SET family_id = $3, year = $4, child_key = $5,
idempotency_key = $6, status = $7, submitted_at = $8, kita_ids = $9, version = version + 1, doc = $10
WHERE id = $1 AND version = $2
AND NOT ($11 AND EXISTS (SELECT 1 FROM applications o WHERE o.family_id = $3 AND o.child_key = $5 AND o.year = $4
	AND o.id <> $1 AND o.status NOT IN ('withdrawn', 'expired')))`,
		[]any{a.ID, read, a.FamilyID, a.Year, a.ChildKey, a.IdempotencyKey, a.Status().String(), a.SubmittedAt,
			kitaIDs(a), doc, a.ChildKey != "" && active(a.Status())}, nil
}

// updateRefused tells why an update of a changed no row: ErrNotFound,
// ErrConflict (another version is stored) or ErrDuplicate.
func (x regTx) updateRefused(ctx context.Context, a registration.Application) error {
	var stored int64
	err := x.tx.QueryRow(ctx, `SELECT version FROM applications WHERE id = $1`, a.ID).Scan(&stored)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return registration.ErrNotFound
	case err != nil:
		return wrap(ctx, "update application", err)
	case stored != a.Version():
		return registration.ErrConflict
	}
	return registration.ErrDuplicate
}

func (x regTx) NextSequence(ctx context.Context, name string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int64
	err := x.tx.QueryRow(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)
ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&n)
	if err != nil {
		return 0, wrap(ctx, "next sequence", err)
	}
	return n, nil
}

// SetPlaces sets the capacity of places within the step and keeps what is
// taken; the rows stay locked until the step ends.
func (x regTx) SetPlaces(ctx context.Context, places ...registration.Places) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(places) == 0 {
		return nil
	}
	return setPlaces(ctx, x.tx, places)
}

// TakePlace lets the database decide: the row lock of the conditional
// update serializes concurrent writers, and the loser sees the row with the
// place taken.
func (x regTx) TakePlace(ctx context.Context, k registration.PlaceKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tag, err := x.tx.Exec(ctx, takePlace, takePlaceArgs(k)...)
	if err != nil {
		return wrap(ctx, "take place", err)
	}
	if tag.RowsAffected() == 0 {
		return registration.ErrNoPlace
	}
	return nil
}

// takePlace is TakePlace's statement; it changes no row when no place is
// left.
const takePlace = `UPDATE places SET taken = taken + 1
WHERE kita_id = $1 AND year = $2 AND band = $3 AND hours = $4 AND from_month = $5 AND taken < capacity`

func takePlaceArgs(k registration.PlaceKey) []any {
	return []any{k.KitaID, k.Year, int(k.Band), int(k.Hours), k.From}
}

func (x regTx) ReleasePlace(ctx context.Context, k registration.PlaceKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := x.tx.Exec(ctx, `UPDATE places SET taken = taken - 1
WHERE kita_id = $1 AND year = $2 AND band = $3 AND hours = $4 AND from_month = $5 AND taken > 0`,
		k.KitaID, k.Year, int(k.Band), int(k.Hours), k.From)
	return wrap(ctx, "release place", err)
}

func (x regTx) CreateReferral(ctx context.Context, r tagespflege.Referral) error {
	return createReferral(ctx, x.tx, r)
}

func (x regTx) Referral(ctx context.Context, id string) (tagespflege.Referral, error) {
	return tpView{q: x.tx, tx: x.tx}.Referral(ctx, id)
}

func (x regTx) UpdateReferral(ctx context.Context, r tagespflege.Referral) error {
	return tpView{q: x.tx, tx: x.tx}.UpdateReferral(ctx, r)
}

func (x regTx) Enqueue(ctx context.Context, msgs ...notify.Message) error {
	return enqueue(ctx, x.tx, msgs)
}

func (x regTx) AppendAudit(ctx context.Context, e registration.AuditEntry) error {
	return appendAudit(ctx, x.tx, e)
}

func (x regTx) EraseFamilyMessages(ctx context.Context, familyID string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if familyID == "" {
		return 0, nil
	}
	tag, err := x.tx.Exec(ctx, `DELETE FROM messages WHERE family_id = $1`, familyID)
	if err != nil {
		return 0, wrap(ctx, "erase family messages", err)
	}
	return int(tag.RowsAffected()), nil
}

func (x regTx) EraseSubjectMessages(ctx context.Context, subjectIDs ...string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if len(subjectIDs) == 0 {
		return 0, nil
	}
	tag, err := x.tx.Exec(ctx, `DELETE FROM messages WHERE subject_id = ANY($1) AND subject_id <> ''`, subjectIDs)
	if err != nil {
		return 0, wrap(ctx, "erase subject messages", err)
	}
	return int(tag.RowsAffected()), nil
}

// active reports whether an application in status s counts for the rule of
// one active application per child and Kita year.
func active(s registration.Status) bool {
	return s != registration.Withdrawn && s != registration.Expired
}

// kitaIDs returns the chosen Kitas of a, never nil (the column is NOT NULL).
func kitaIDs(a registration.Application) []string {
	ids := make([]string, 0, len(a.Choices))
	for _, c := range a.Choices {
		ids = append(ids, c.KitaID)
	}
	return ids
}

// appError translates a unique violation to registration.ErrDuplicate.
func appError(ctx context.Context, op string, err error) error {
	err = wrap(ctx, op, err)
	if sqlState(err) == codeUniqueViolation {
		return registration.ErrDuplicate
	}
	return err
}

func getApplication(ctx context.Context, q querier, id string) (registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return registration.Application{}, err
	}
	return scanApplication(ctx, q.QueryRow(ctx, `SELECT version, doc FROM applications WHERE id = $1`, id))
}

func applicationByKey(ctx context.Context, q querier, familyID, key string) (registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return registration.Application{}, err
	}
	if key == "" {
		return registration.Application{}, registration.ErrNotFound
	}
	return scanApplication(ctx, q.QueryRow(ctx, byKeySQL, familyID, key))
}

// byKeySQL reads the application of a family's idempotency key, never
// empty: the condition on the empty key lets the generic plan use the
// keys' partial unique index.
const byKeySQL = `SELECT version, doc FROM applications
WHERE family_id = $1 AND idempotency_key = $2 AND idempotency_key <> ''`

func scanApplication(ctx context.Context, row pgx.Row) (registration.Application, error) {
	var (
		version int64
		doc     []byte
	)
	if err := row.Scan(&version, &doc); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return registration.Application{}, registration.ErrNotFound
		}
		return registration.Application{}, wrap(ctx, "read application", err)
	}
	return decodeApplication(version, doc)
}

// decodeApplication decodes a stored document. It reads with
// github.com/go-json-experiment/json, the JSON library the allocation
// codec already uses: about 40 % less CPU and half the allocations of
// encoding/json for a round's 8,861 documents (BenchmarkDecodeApplications).
// Its stricter reading (docOptions: exact member names, no unknown member,
// valid UTF-8, no member twice) holds for every document the adapter
// writes with encoding/json, and for the former jsonb documents
// (TestDocumentsOfTheFormerSchemaReadUnchanged).
func decodeApplication(version int64, doc []byte) (registration.Application, error) {
	var d applicationDoc
	if err := jsonv2.Unmarshal(doc, &d, docOptions); err != nil {
		return registration.Application{}, errors.New("postgres: decode application: invalid document")
	}
	return d.application().AtVersion(version), nil
}

// docOptions is how a stored document is read.
//
// A member the document type does not know is an error, and names match
// exactly. Such a member, or one spelled in another case ("Start" for
// "start"), comes from a damaged row or from another version of the
// adapter. Ignoring it would return a value without it, and writing that
// value back would drop the member for good; encoding/json would even
// read a mis-cased member into the field.
//
// Calendar dates are read with kita.ParseDate: date.Date's own decoder
// panics on some malformed text ("00000-00" in github.com/rickb777/date
// v1.22.0), and a damaged row must be an error, not a crash.
var docOptions = jsonv2.JoinOptions(jsonv2.RejectUnknownMembers(true), docDates)

var docDates = jsonv2.WithUnmarshalers(jsonv2.UnmarshalFunc(func(b []byte, d *date.Date) error {
	var s string
	if err := jsonv2.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := kita.ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}))

func listApplications(ctx context.Context, q querier, query registration.Query) ([]registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sql, args := listSQL(query)
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, wrap(ctx, "list applications", err)
	}
	return collectApplications(ctx, rows)
}

// SubmissionReads implements registration.SubmissionReader: the lookup
// of the family's idempotency key (none when key is empty) and the
// child's and the family's applications of the Kita year, three
// statements in one round trip (a batch of plain reads, which a step
// sends on its own before its first write, or with the reads of other
// steps: readGroup).
func (x regTx) SubmissionReads(ctx context.Context, familyID, key, childKey, year string) (earlier registration.Application, found bool, child, family []registration.Application, err error) {
	if err := ctx.Err(); err != nil {
		return registration.Application{}, false, nil, nil, err
	}
	if childKey == "" {
		return registration.Application{}, false, nil, nil, errors.New("postgres: submission reads: empty child key")
	}
	it := &readItem{familyID: familyID, key: key, childKey: childKey, year: year}
	it.alone = func() error {
		b := &pgx.Batch{}
		if key != "" {
			b.Queue(byKeySQL, familyID, key)
		}
		for _, q := range []registration.Query{{ChildKey: childKey, Year: year}, {FamilyID: familyID, Year: year}} {
			sql, args := listSQL(q)
			b.Queue(sql, args...)
		}
		br := x.tx.SendBatch(ctx, b)
		err := it.readAlone(ctx, br)
		if cerr := br.Close(); cerr != nil && err == nil {
			err = wrap(ctx, "list applications", cerr)
		}
		return err
	}
	if st, ok := x.tx.(*stepTx); ok && st.readers != nil && st.readsAlone() {
		err = st.readers.run(ctx, st.conn, it)
	} else {
		err = it.alone()
	}
	if err != nil {
		return registration.Application{}, false, nil, nil, err
	}
	if it.found {
		// A damaged stored document of the key is the answer.
		if earlier, err = decodeApplication(it.version, it.doc); err != nil {
			return registration.Application{}, false, nil, nil, err
		}
	}
	return earlier, it.found, it.child, it.family, nil
}

// readAlone reads the results of SubmissionReads' own batch into the item's
// answers.
func (it *readItem) readAlone(ctx context.Context, br pgx.BatchResults) error {
	if it.key != "" {
		if err := it.readKey(ctx, br.QueryRow()); err != nil {
			return err
		}
	}
	var err error
	it.child, it.family, err = readTwoLists(ctx, br)
	return err
}

// readTwoLists reads the results of two listSQL statements of a batch.
func readTwoLists(ctx context.Context, br pgx.BatchResults) (first, second []registration.Application, err error) {
	for _, out := range []*[]registration.Application{&first, &second} {
		rows, err := br.Query()
		if err != nil {
			return nil, nil, wrap(ctx, "list applications", err)
		}
		if *out, err = collectApplications(ctx, rows); err != nil {
			return nil, nil, err
		}
	}
	return first, second, nil
}

// listSQL is the statement and arguments of listApplications.
func listSQL(query registration.Query) (string, []any) {
	var f filter
	add := f.add
	if query.FamilyID != "" {
		add("family_id = $%d", query.FamilyID)
	}
	if query.Year != "" {
		add("year = $%d", query.Year)
	}
	if query.ChildKey != "" {
		add("child_key = $%d", query.ChildKey)
	}
	if len(query.Statuses) > 0 {
		names := make([]string, len(query.Statuses))
		for i, s := range query.Statuses {
			names[i] = s.String()
		}
		add("status = ANY($%d::text[])", names)
	}
	if len(query.KitaIDs) > 0 {
		add("kita_ids && $%d::text[]", query.KitaIDs)
	}
	return "SELECT version, doc FROM applications" + f.where() +
		" ORDER BY submitted_at, id" + pageClause(query.Offset, query.Limit), f.args
}

// collectApplications reads the rows of listSQL's statement and closes
// them.
func collectApplications(ctx context.Context, rows pgx.Rows) ([]registration.Application, error) {
	defer rows.Close()
	var out []registration.Application
	for rows.Next() {
		var (
			version int64
			doc     []byte
		)
		if err := rows.Scan(&version, &doc); err != nil {
			return nil, wrap(ctx, "list applications", err)
		}
		a, err := decodeApplication(version, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "list applications", err)
	}
	return out, nil
}

func appendAudit(ctx context.Context, q querier, e registration.AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := q.Exec(ctx, insertAudit, auditArgs(e)...)
	return wrap(ctx, "append audit", err)
}

// insertAudit is the statement that appends an audit entry.
const insertAudit = `INSERT INTO audit (at, actor, action, application_id, family_id, reason)
VALUES ($1, $2, $3, $4, $5, $6)`

func auditArgs(e registration.AuditEntry) []any {
	return []any{e.At, e.Actor, e.Action, e.ApplicationID, e.FamilyID, e.Reason}
}

// filter builds a WHERE clause with numbered parameters.
type filter struct {
	conds []string
	args  []any
}

// add appends a condition whose %d becomes the parameter's number.
func (f *filter) add(cond string, arg any) {
	f.args = append(f.args, arg)
	f.conds = append(f.conds, fmt.Sprintf(cond, len(f.args)))
}

// where returns " WHERE a AND b", or "" without conditions.
func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}

// pageClause returns OFFSET and LIMIT as in the in-memory adapter: a
// negative offset counts as 0, a limit of 0 or less means all.
func pageClause(offset, limit int) string {
	s := ""
	if offset > 0 {
		s += fmt.Sprintf(" OFFSET %d", offset)
	}
	if limit > 0 {
		s += fmt.Sprintf(" LIMIT %d", limit)
	}
	return s
}

// ApplicationsByID reads the applications with the given ids in one round
// trip, in the order of ids; unknown ids are left out. It is an optional
// capability beyond registration.Tx: an allocation round may read each
// batch of offers at once before it writes them (see BenchmarkRoundOffers).
func (x regTx) ApplicationsByID(ctx context.Context, ids []string) ([]registration.Application, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The rows stay locked until the step ends (in id order, so that two
	// steps lock alike): a concurrent change waits instead of failing the step.
	rows, err := x.tx.Query(ctx, `SELECT version, doc FROM applications WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, ids)
	if err != nil {
		return nil, wrap(ctx, "read applications", err)
	}
	defer rows.Close()
	byID := make(map[string]registration.Application, len(ids))
	for rows.Next() {
		var (
			version int64
			doc     []byte
		)
		if err := rows.Scan(&version, &doc); err != nil {
			return nil, wrap(ctx, "read applications", err)
		}
		a, err := decodeApplication(version, doc)
		if err != nil {
			return nil, err
		}
		byID[a.ID] = a
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "read applications", err)
	}
	out := make([]registration.Application, 0, len(byID))
	for _, id := range ids {
		if a, ok := byID[id]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}
