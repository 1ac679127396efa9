// Package postgres is the PostgreSQL adapter for every store port of
// kitaportal: the application layer's unit of work (app.Store: one
// transaction over applications, place ledger, outbox, audit, referrals,
// minders and catalogue edits) and the ports registration.Store,
// tagespflege.Store and notify.Outbox, as views of one [Store] on one pgx
// connection pool. It passes the same conformance suite (store/storetest)
// as the in-memory reference adapter. The caller opens it and passes it to
// the portal, which links no database driver itself:
//
//	s, err := postgres.Open(ctx, "postgres://kitaportal@db:5432/kitaportal")
//	if err != nil { ... }
//	defer s.Close()
//	portal, err := kitaportal.Open(ctx, kitaportal.Config{Store: s, ...})
//
// # Error contract
//
// Methods return the sentinels of the domain package whose port they
// implement (registration.ErrNotFound, ErrExists, ErrDuplicate,
// ErrConflict, ErrNoPlace; tagespflege.ErrNotFound, ErrExists, ErrConflict;
// notify.ErrNotFound, ErrExists, ErrNotClaimed, ErrClaim), checked with
// errors.Is, and ctx.Err() when the context is done. Other failures are
// errors with a "postgres: " prefix that name the operation and, for a
// database error, its SQLSTATE; they never carry the server's message,
// which may quote stored values, and no pgx type is part of the API.
// Refused writes (a taken id, a duplicate, a stale version, no free place)
// leave the transaction usable, as in the in-memory adapter, with one
// exception: a submission's rows (registration.SubmissionWriter) travel
// with the step's next statement or its COMMIT, so their refusal
// (registration.ErrExists, ErrDuplicate, notify.ErrExists) is returned by
// that statement and by Atomic, and the step fails, as that port demands.
//
// # Transactions and concurrency
//
// Atomic runs its function in one READ COMMITTED transaction on a
// connection of the pool, and saves round trips and statements doing so:
// plain reads (a SELECT that locks no row) before the step's first write
// run on their own, as they would read the same inside the transaction;
// BEGIN travels with the first other statement (pgx.Batch.BeginTx); a
// submission's rows wait for the next statement or go with COMMIT, or,
// when they are all the step writes, alone in one batch (one implicit
// transaction); a step that runs no statement sends nothing; a batch of
// plain reads before the first write goes on its own too. A submission
// thus takes two round trips and six statements with [NumberBlock] (three
// and seven for the one submission in a block that reserves the next, or
// without blocks): the reference number, the idempotency key's lookup
// with the step's two reads in one batch
// (registration.SubmissionReader), and its three rows in one batch,
// which concurrent submissions share (group commit, below); a repeated
// key is found in the first batch and the step writes nothing. Every write
// that could race is a conditional statement, so the database decides:
// TakePlace is UPDATE ... SET taken = taken + 1 WHERE ... AND taken <
// capacity, version checks are UPDATE ... WHERE id = $1 AND version = $2,
// and unique indexes back the idempotency key and the rule of one active
// application per child, family and Kita year. A step that fails with a
// serialization failure (40001) or a deadlock (40P01) is run again, up to
// four times in all, so its function must have no other side effects.
// Sequences live in a counters table. Drawn inside a step (NextSequence,
// e.g. a round's marker) they are transactional: a failed step gives its
// numbers back, and concurrent steps drawing from the same counter wait
// for each other until commit. A submission's reference number is drawn
// before its step instead ([Store.DrawNumber], app.NumberDrawer: one
// statement of its own, or one per block of numbers with [NumberBlock];
// never given back, so a failed submission leaves a gap), and the submission sends its application, messages and audit
// entries in one batch (registration.SubmissionWriter), so submissions do
// not wait for each other. Submissions also commit together (group
// commit): a step whose only writes are its queued rows, ending while
// another such step's rows are on their way, waits for them and then goes
// with every step that waited, in one round trip and one transaction: one
// INSERT per table (applications, messages, audit) whose rows are given
// column by column as arrays; a step alone sends its rows one statement
// each, as before. Each step is told it committed only after the
// transaction ended, so a crash stores all of a group or none of it; when
// the server refuses a group (a refused row fails its table's whole
// INSERT), every step of it sends its rows again alone, so a refused
// submission gets its own error and the others commit; a group is sent
// without its leader's cancellation. With 16 clients a group carries
// about four submissions. Their reads go together the same way
// (readGroup): an idempotency key's lookup ([Store.Registrations]'
// ApplicationByKey) and a step's reads before its first write
// (SubmissionReads), made while another caller's reads are on their way,
// go in the next caller's batch as one statement per kind of read (the
// keys, the children's applications of their Kita years, the families'),
// each row naming its caller; each statement reads its own snapshot,
// taken after every caller of the group began to wait; when such a batch
// fails, every caller of the group reads again alone, with its own
// context. The statements of groups read their arrays through subqueries,
// (SELECT $1::text[]), so that the server keeps their generic plans
// instead of planning each call for its number of rows. Lookups (on the
// pool) and steps' reads (each on its step's connection) group apart, so
// a lookup waiting for a connection never holds up a step that holds one. An allocation round's publication takes its
// places, updates its applications and appends its audit entries in one
// call each (app.RoundWriter): the places in two statements (the places
// rows of the round locked in key order, FOR UPDATE, the places given in
// the engine's order as TakePlace would give them, the rows raised in one
// UPDATE), the applications and audit entries each in one statement over
// arrays, as Enqueue inserts many messages. RunRound publishes the draft
// its dry run holds: app.DraftChecker compares the stored draft's year,
// round, number and application ids with it instead of reading the
// document back. Outbox claims use FOR UPDATE
// SKIP LOCKED, so dispatchers take disjoint batches. A batch read of
// applications (an allocation round) locks the rows in id order until the
// step ends, so a concurrent withdrawal waits instead of failing the round.
// app.Tx.Atomic inside a step is a savepoint.
//
// # Schema
//
// The SQL migrations are embedded (migrations/*.sql) and applied by
// [Open] or [Store.Migrate] with goose (github.com/pressly/goose/v3),
// under a PostgreSQL advisory lock, each migration in a transaction; goose
// records them in goose_db_version. Tables, in the schema of the pool's
// search_path:
//
//   - applications: the registration.Application as a JSON document (json
//     since migration 7: no query looks inside, and jsonb cost a
//     conversion on every write and read), with
//     columns id, family_id, year, child_key, idempotency_key, status,
//     submitted_at (timestamptz), version and kita_ids (text[], GIN index);
//     indexes on (family_id, year, submitted_at, id) and (child_key, year,
//     submitted_at, id), the reads of every submission in their order
//     (migration 8: with (family_id, year) and (child_key, year) alone, a
//     table without statistics was read through the year's index and
//     filtered, a plan a connection then kept), and on (year, submitted_at,
//     id) for a round's and the Jugendamt's listings;
//     a unique index on (family_id, idempotency_key) for non-empty keys and
//     a partial unique index on (family_id, child_key, year) for non-empty
//     child keys of applications not withdrawn or expired (migration 3:
//     duplicates are a family's own; a match across families is reviewed).
//   - counters (name, value); places (kita_id, year, band, hours,
//     from_month, capacity, taken): one row per band, and per pool of a
//     Kita with pools (migration 6; hours 0 and an empty from_month for a band's
//     places).
//   - audit: append-only, seq bigserial.
//   - messages: the outbox, one column per field of notify.Message, with
//     status, next_attempt, claimed_until and claim_token.
//   - referrals, minders, tp_groups: JSONB documents with id, version and
//     the columns their listings sort and filter by.
//   - kita_edits: the carriers' edits of their Kitas (kita.Edits) as JSONB,
//     by kita_id with a version (migration 2).
//   - round_drafts: the allocation rounds' dry runs (app.Draft) as a JSON
//     document (json, lz4-compressed, since migration 7),
//     with id, year, round, number (unique per year and round) and
//     application_ids (text[], GIN index: erasure finds a family's
//     drafts), and the publication as a small JSONB document of its own
//     (NULL until published, so publishing does not rewrite the draft)
//     (migration 4). The instance and result inside are the engine's
//     interchange format.
//   - idempotency_keys: the keys of creating calls (app.KeyRecord), by
//     scope and key, written in the call's transaction (migration 5).
//
// The adapter owns its document schema. Each JSON document is an
// unexported document type of this package (applicationDoc, referralDoc,
// minderDoc, groupDoc, editsDoc, draftDoc) with its own JSON field names; the adapter
// converts domain values to documents field by field and back through the
// domain's rehydration constructors (registration.Rehydrate,
// tagespflege.RehydrateReferral, RehydrateMinder, RehydrateGroup,
// AtVersion), never through the domain types' own JSON. A minder's and a
// group's placements, timestamps and version and a referral's minder,
// start and close reason are the aggregates' unexported lifecycle; the
// documents keep them under the field names they always had, so documents
// written before the lifecycle was unexported read unchanged. Renaming a domain JSON tag therefore changes nothing in
// the database. The field names are those the first schema stored, so
// existing databases read unchanged; golden files in testdata pin each
// document, and a test fails when a domain type gains a field its document
// does not store.
//
// Application documents are written with encoding/json and read with
// github.com/go-json-experiment/json, which decodes a round's documents in
// about 60 % of encoding/json's time; its stricter reading (exact names,
// valid UTF-8, no name twice) holds for every document written here.
//
// Ids sort with the "C" collation, as Go compares strings. Instants are
// timestamptz, which keeps microseconds; calendar dates are ISO dates
// inside the documents. Zero instants of outbox messages are stored as
// 0001-01-01 UTC.
//
// # Tests
//
// The tests and benchmarks need a server; they are skipped without one
// (and fail when CI=true). Each test gets a fresh schema that is dropped
// afterwards:
//
//	export KITAPORTAL_POSTGRES_URL=$(.ci/postgres.sh)
//	go test -race ./store/...
//	go test -run '^$' -bench . -benchtime 4s ./store/postgres/
package postgres
