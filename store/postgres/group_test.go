package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// heldBatches records the round trips of a pool and holds the first
// batch that begins with an INSERT until release is closed, so that other
// steps end while it is on its way.
type heldBatches struct {
	roundTrips
	held    chan struct{} // closed when the first INSERT batch is held
	release chan struct{}
	once    sync.Once
	reads   atomic.Int64 // queries done (each outside a batch)
	// inserts are the batches that insert, each statement as its table
	// and number of rows ("applications 4").
	inserts [][]string
}

func newHeldBatches() *heldBatches {
	return &heldBatches{held: make(chan struct{}), release: make(chan struct{})}
}

func (h *heldBatches) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {
	h.reads.Add(1)
}

func (h *heldBatches) TraceBatchStart(ctx context.Context, c *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	ctx = h.roundTrips.TraceBatchStart(ctx, c, d)
	if strings.HasPrefix(d.Batch.QueuedQueries[0].SQL, "INSERT") {
		var trip []string
		for _, q := range d.Batch.QueuedQueries {
			rows := 1 // a row's fields, or the rows' columns (arrays)
			if v := reflect.ValueOf(q.Arguments[0]); v.Kind() == reflect.Slice {
				rows = v.Len()
			}
			trip = append(trip, fmt.Sprintf("%s %d", strings.Fields(q.SQL)[2], rows))
		}
		h.mu.Lock()
		h.inserts = append(h.inserts, trip)
		h.mu.Unlock()
		first := false
		h.once.Do(func() { first = true })
		if first {
			close(h.held)
			<-h.release
		}
	}
	return ctx
}

// TestGroupCommit checks that the rows of submissions whose steps end
// while another step's rows are on their way go to the server together,
// in one transaction, and that each step's outcome stays its own: a
// refused submission fails alone and the others of its group are stored.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	auditOf := func(a registration.Application) []registration.AuditEntry {
		return []registration.AuditEntry{{At: a.SubmittedAt, Actor: "guardian:g1", Action: registration.AuditSubmit, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "voranmeldung"}}
	}
	submit := func(reg registration.Store, a registration.Application) error {
		return reg.Atomic(ctx, func(tx registration.Tx) error {
			if _, err := tx.Applications(ctx, registration.Query{FamilyID: a.FamilyID, Year: a.Year}); err != nil {
				return err
			}
			return tx.(registration.SubmissionWriter).InsertSubmission(ctx, a, []notify.Message{benchMessage(a)}, auditOf(a))
		})
	}
	// run submits a first application, holds its rows on the way until
	// the others submitted, and returns every submission's outcome (the
	// first's, then the others'), the batches and the store.
	run := func(t *testing.T, stored registration.Application, others []registration.Application) ([]error, [][]string, registration.Store) {
		db := newTestDB(t)
		schema := db.schemas[db.store(t, 1)]
		if stored.ID != "" {
			require.NoError(t, submit(db.open(t, schema, 1).Registrations(), stored))
		}
		h := newHeldBatches()
		reg := db.openWith(t, schema, int32(len(others)+2), h).Registrations()
		errs := make([]error, 1+len(others))
		var wg sync.WaitGroup
		wg.Go(func() { errs[0] = submit(reg, benchApp(1)) })
		<-h.held
		before := h.reads.Load()
		for i, a := range others {
			wg.Go(func() { errs[1+i] = submit(reg, a) })
		}
		// The others read, queue their rows and wait for the first
		// step's rows.
		deadline := time.Now().Add(10 * time.Second)
		for h.reads.Load() < before+int64(len(others)) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		close(h.release)
		wg.Wait()
		h.mu.Lock()
		defer h.mu.Unlock()
		return errs, h.inserts, reg
	}
	alone := []string{"applications 1", "messages 1", "audit 1"}

	t.Run("steps that end together are committed in one transaction", func(t *testing.T) {
		others := []registration.Application{benchApp(2), benchApp(3), benchApp(4), benchApp(5)}
		// Kita ids are written as array text in a group: characters
		// that array text quotes or escapes are kept.
		others[1].Choices[0].KitaID = `kita "a,b" {c} \d`
		others[2].Choices = nil
		errs, got, reg := run(t, registration.Application{}, others)
		for _, err := range errs {
			require.NoError(t, err)
		}
		require.Len(t, got, 2, "the first step's rows alone, then the four others' together")
		assert.Equal(t, alone, got[0], "a step alone sends its rows one statement each")
		assert.Equal(t, []string{"applications 4", "messages 4", "audit 4"}, got[1], "one INSERT per table for the four steps' rows")
		for _, a := range others {
			stored, err := reg.Application(ctx, a.ID)
			require.NoError(t, err)
			assert.Equal(t, a.AtVersion(1), stored)
			for _, c := range a.Choices {
				byKita, err := reg.Applications(ctx, registration.Query{Year: a.Year, KitaIDs: []string{c.KitaID}})
				require.NoError(t, err)
				assert.Contains(t, ids(byKita), a.ID, "found by its Kita %q", c.KitaID)
			}
			msgs, err := reg.FamilyMessages(ctx, a.FamilyID)
			require.NoError(t, err)
			require.Len(t, msgs, 1)
			assert.Equal(t, benchMessage(a).Title, msgs[0].Title)
			audit, err := reg.Audit(ctx, registration.AuditQuery{ApplicationID: a.ID})
			require.NoError(t, err)
			require.Len(t, audit, 1)
			assert.Equal(t, auditOf(a)[0].Reason, audit[0].Reason)
		}
	})

	t.Run("of two steps of a group with one idempotency key, one is stored and the other refused", func(t *testing.T) {
		first := benchApp(2)
		twin := benchApp(3) // another child, the same family and key
		twin.FamilyID, twin.IdempotencyKey = first.FamilyID, first.IdempotencyKey
		others := []registration.Application{first, twin, benchApp(4)}
		errs, got, reg := run(t, registration.Application{}, others)
		require.NoError(t, errs[0])
		require.NoError(t, errs[3])
		require.Len(t, got, 2+len(others), "the first alone, the refused group, then each of its steps alone")
		assert.Equal(t, []string{"applications 3", "messages 3", "audit 3"}, got[1])
		stored, refused := 1, 2
		if errs[1] != nil {
			stored, refused = 2, 1
		}
		require.NoError(t, errs[stored])
		assert.ErrorIs(t, errs[refused], registration.ErrDuplicate)
		byKey, err := reg.ApplicationByKey(ctx, first.FamilyID, first.IdempotencyKey)
		require.NoError(t, err)
		assert.Equal(t, others[stored-1].ID, byKey.ID)
		_, err = reg.Application(ctx, others[refused-1].ID)
		assert.ErrorIs(t, err, registration.ErrNotFound)
		audit, err := reg.Audit(ctx, registration.AuditQuery{ApplicationID: others[refused-1].ID})
		require.NoError(t, err)
		assert.Empty(t, audit, "the refused step stored none of its rows")
		_, err = reg.Application(ctx, benchApp(4).ID)
		assert.NoError(t, err)
	})

	t.Run("a refused step of a group fails alone and the others are stored", func(t *testing.T) {
		taken := benchApp(3)
		dup := benchApp(30)
		dup.ID = taken.ID // an id stored already
		others := []registration.Application{benchApp(2), dup, benchApp(4), benchApp(5)}
		errs, got, reg := run(t, taken, others)
		require.NoError(t, errs[0], "the first, alone")
		assert.NoError(t, errs[1])
		assert.ErrorIs(t, errs[2], registration.ErrExists)
		assert.NoError(t, errs[3])
		assert.NoError(t, errs[4])
		for _, a := range []registration.Application{benchApp(1), others[0], others[2], others[3]} {
			got, err := reg.Application(ctx, a.ID)
			require.NoError(t, err)
			assert.Equal(t, a.Reference, got.Reference)
		}
		kept, err := reg.Application(ctx, taken.ID)
		require.NoError(t, err)
		assert.Equal(t, taken.FamilyID, kept.FamilyID, "the stored application is unchanged")
		msgs, err := reg.FamilyMessages(ctx, dup.FamilyID)
		require.NoError(t, err)
		assert.Empty(t, msgs, "the refused step stored none of its rows")
		require.Len(t, got, 2+len(others), "the first alone, the refused group, then each of its steps alone")
		assert.Equal(t, []string{"applications 4", "messages 4", "audit 4"}, got[1])
		for _, trip := range got[2:] {
			assert.Equal(t, alone, trip)
		}
	})
}

// ids returns the ids of apps.
func ids(apps []registration.Application) []string {
	out := make([]string, len(apps))
	for i, a := range apps {
		out[i] = a.ID
	}
	return out
}
