package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/registration"
)

// heldRead records the round trips of a pool, holds the first query until
// release is closed, and runs onBatch with the context of the first
// batch.
type heldRead struct {
	roundTrips
	held, release chan struct{}
	once, bonce   sync.Once
	onBatch       func(ctx context.Context)
	// holdBatch holds the first batch instead of the first query.
	holdBatch bool
}

func (h *heldRead) hold() {
	h.once.Do(func() {
		close(h.held)
		<-h.release
	})
}

func (h *heldRead) TraceQueryStart(ctx context.Context, c *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	ctx = h.roundTrips.TraceQueryStart(ctx, c, d)
	if !h.holdBatch {
		h.hold()
	}
	return ctx
}

func (h *heldRead) TraceBatchStart(ctx context.Context, c *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	ctx = h.roundTrips.TraceBatchStart(ctx, c, d)
	if h.holdBatch {
		h.hold()
	}
	h.bonce.Do(func() {
		if h.onBatch != nil {
			h.onBatch(ctx)
		}
	})
	return ctx
}

type callerKey struct{}

// TestReadGroup checks that idempotency-key lookups made while another is
// on its way go to the server in one batch and answer each caller as
// alone, and that when the group's batch fails (its leader gives up),
// every other caller reads again alone and gets its own answer.
func TestReadGroup(t *testing.T) {
	ctx := context.Background()
	const callers = 5
	// lookups runs the lookups of the keys of benchApp(1..callers) (the
	// odd ones stored) while a first lookup is held; with fail, the
	// leader of the group's batch gives up as it sends it. It returns the
	// answers, the round trips and the leader (-1: none gave up).
	lookups := func(t *testing.T, fail bool) ([]registration.Application, []error, [][]string, int) {
		db := newTestDB(t)
		schema := db.schemas[db.store(t, 1)]
		stored := db.open(t, schema, 1).Registrations()
		for n := 1; n <= callers; n += 2 {
			a := benchApp(n)
			require.NoError(t, stored.Atomic(ctx, func(tx registration.Tx) error { return tx.Insert(ctx, a) }))
		}
		cancels := make([]context.CancelFunc, callers)
		leader := -1
		h := &heldRead{held: make(chan struct{}), release: make(chan struct{})}
		if fail {
			h.onBatch = func(ctx context.Context) {
				leader = ctx.Value(callerKey{}).(int)
				cancels[leader]()
			}
		}
		reg := db.openWith(t, schema, callers+2, h).Registrations()
		var wg sync.WaitGroup
		wg.Go(func() { _, _ = reg.ApplicationByKey(ctx, "nobody", "held") })
		<-h.held
		got := make([]registration.Application, callers)
		errs := make([]error, callers)
		for i := range callers {
			cctx, cancel := context.WithCancel(context.WithValue(ctx, callerKey{}, i))
			cancels[i] = cancel
			a := benchApp(i + 1)
			wg.Go(func() { got[i], errs[i] = reg.ApplicationByKey(cctx, a.FamilyID, a.IdempotencyKey) })
		}
		time.Sleep(200 * time.Millisecond) // the callers wait for the held lookup
		close(h.release)
		wg.Wait()
		for _, c := range cancels {
			c()
		}
		return got, errs, h.takeTrips(), leader
	}
	answered := func(t *testing.T, got []registration.Application, errs []error, skip int) {
		t.Helper()
		for i := range callers {
			switch {
			case i == skip:
			case i%2 == 0:
				require.NoError(t, errs[i], "key %d", i+1)
				assert.Equal(t, benchApp(i+1).ID, got[i].ID)
			default:
				assert.ErrorIs(t, errs[i], registration.ErrNotFound, "key %d", i+1)
			}
		}
	}

	t.Run("lookups made meanwhile go in one batch and answer as alone", func(t *testing.T) {
		got, errs, trips, _ := lookups(t, false)
		require.Len(t, trips, 2, "the held lookup, then one batch")
		assert.Len(t, trips[1], 1, "one statement for the five lookups")
		answered(t, got, errs, -1)
	})

	t.Run("when the group's batch fails, the others read alone", func(t *testing.T) {
		got, errs, trips, leader := lookups(t, true)
		require.GreaterOrEqual(t, leader, 0, "a batch was sent")
		assert.ErrorIs(t, errs[leader], context.Canceled, "the leader gave up")
		answered(t, got, errs, leader)
		require.Len(t, trips, 2+callers-1, fmt.Sprintf("the held lookup, the failed batch, each other lookup alone: %v", trips))
		assert.Len(t, trips[1], 1)
		for _, trip := range trips[2:] {
			assert.Len(t, trip, 1)
		}
	})

	t.Run("steps' reads made meanwhile go in one batch and read what Applications reads", func(t *testing.T) {
		db := newTestDB(t)
		schema := db.schemas[db.store(t, 1)]
		stored := db.open(t, schema, 1).Registrations()
		apps := []registration.Application{benchApp(1), benchApp(2), benchApp(3), benchApp(4)}
		// The first step's family has a sibling, read alone; in the
		// group, the second's family has two siblings, and the third's
		// child applied in two other families too.
		siblings := []registration.Application{benchApp(5), benchApp(6), benchApp(7)}
		siblings[0].FamilyID = apps[0].FamilyID
		siblings[1].FamilyID, siblings[2].FamilyID = apps[1].FamilyID, apps[1].FamilyID
		others := []registration.Application{benchApp(8), benchApp(9)}
		others[0].ChildKey, others[1].ChildKey = apps[2].ChildKey, apps[2].ChildKey
		for _, a := range slices.Concat(apps, siblings, others) {
			require.NoError(t, stored.Atomic(ctx, func(tx registration.Tx) error { return tx.Insert(ctx, a) }))
		}
		h := &heldRead{held: make(chan struct{}), release: make(chan struct{}), holdBatch: true}
		reg := db.openWith(t, schema, 6, h).Registrations()
		type lists struct {
			child, family []registration.Application
			earlier       registration.Application
			found         bool
		}
		got := make([]lists, len(apps))
		errs := make([]error, len(apps))
		// The second and third look their keys up too
		// (SubmissionReads): the second's is stored, the third's not.
		keys := []string{"", apps[1].IdempotencyKey, "a key not used", ""}
		var wg sync.WaitGroup
		for i, a := range apps {
			if i == 1 {
				<-h.held // the first step's reads are on their way
			}
			wg.Go(func() {
				errs[i] = reg.Atomic(ctx, func(tx registration.Tx) error {
					var err error
					if keys[i] == "" {
						_, _, got[i].child, got[i].family, err = tx.(registration.SubmissionReader).SubmissionReads(ctx, a.FamilyID, "", a.ChildKey, a.Year)
						return err
					}
					got[i].earlier, got[i].found, got[i].child, got[i].family, err = tx.(registration.SubmissionReader).SubmissionReads(ctx, a.FamilyID, keys[i], a.ChildKey, a.Year)
					return err
				})
			})
		}
		time.Sleep(200 * time.Millisecond)
		close(h.release)
		wg.Wait()
		trips := h.takeTrips()
		require.Len(t, trips, 2, "the first step's reads, then the others' in one batch")
		assert.Len(t, trips[0], 2)
		assert.Len(t, trips[1], 3, "one statement for the keys, one for the children, one for the families")
		assert.True(t, got[1].found)
		assert.Equal(t, apps[1].ID, got[1].earlier.ID)
		assert.False(t, got[2].found)
		for i, a := range apps {
			require.NoError(t, errs[i])
			require.NoError(t, stored.Atomic(ctx, func(tx registration.Tx) error {
				child, err := tx.Applications(ctx, registration.Query{ChildKey: a.ChildKey, Year: a.Year})
				if err != nil {
					return err
				}
				family, err := tx.Applications(ctx, registration.Query{FamilyID: a.FamilyID, Year: a.Year})
				assert.Equal(t, child, got[i].child)
				assert.Equal(t, family, got[i].family)
				return err
			}))
		}
		assert.Len(t, got[0].family, 2, "the first and its sibling")
		assert.Len(t, got[1].family, 3, "the second and its two siblings")
		assert.Len(t, got[2].child, 3, "the third's child in three families")
		assert.Len(t, got[3].family, 1)
	})

	t.Run("a lookup waiting for the pool's connection never holds up a step's reads", func(t *testing.T) {
		db := newTestDB(t)
		schema := db.schemas[db.store(t, 1)]
		reg := db.openWith(t, schema, 1, nil).Registrations() // one connection
		a := benchApp(1)
		inStep, lookupStarted := make(chan struct{}), make(chan struct{})
		var stepErr, lookupErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			stepErr = reg.Atomic(ctx, func(tx registration.Tx) error {
				close(inStep) // the step holds the pool's only connection
				<-lookupStarted
				_, _, _, _, err := tx.(registration.SubmissionReader).SubmissionReads(ctx, a.FamilyID, "", a.ChildKey, a.Year)
				return err
			})
		})
		<-inStep
		wg.Go(func() {
			// It waits for the step's connection; in one group with the
			// step's reads, the step would wait for it until its deadline.
			lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_, lookupErr = reg.ApplicationByKey(lctx, a.FamilyID, a.IdempotencyKey)
		})
		time.Sleep(200 * time.Millisecond)
		close(lookupStarted)
		wg.Wait()
		require.NoError(t, stepErr)
		assert.ErrorIs(t, lookupErr, registration.ErrNotFound)
	})
}
