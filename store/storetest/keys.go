package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/kitaportal/kitaportal/app"
)

// RunKeys tests the idempotency keys of the unit of work (app.KeyTx):
// stored with the step or not at all, once per scope and key, seen by a
// reopened store.
func RunKeys(t *testing.T, newStores Factory) {
	t.Run("a key is kept with its step and read back", func(t *testing.T) { testKeysKept(t, newStores) })
	t.Run("a failing step keeps no key", func(t *testing.T) { testKeysUndone(t, newStores) })
	t.Run("of two steps storing one key exactly one succeeds", func(t *testing.T) { testKeysRace(t, newStores) })
}

func keysOf(t *testing.T, tx app.Tx) app.Keys {
	t.Helper()
	kt, ok := tx.(app.KeyTx)
	if !ok {
		t.Fatal("the adapter's app.Tx does not keep idempotency keys (app.KeyTx)")
	}
	return kt.Keys()
}

var keyRec = app.KeyRecord{Scope: "fachberatung:fb1", Key: "k-1", Operation: "add_minder", Fingerprint: "ab12", ResultID: "m-1", At: regT0}

func testKeysKept(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	err := st.Unit.Atomic(ctx, func(tx app.Tx) error {
		if _, err := keysOf(t, tx).Key(ctx, keyRec.Scope, keyRec.Key); !errors.Is(err, app.ErrNoKey) {
			t.Errorf("Key of an unused key: got %v, want app.ErrNoKey", err)
		}
		return keysOf(t, tx).PutKey(ctx, keyRec)
	})
	if err != nil {
		t.Fatalf("PutKey: %v", err)
	}
	other := keyRec
	other.Scope = "fachberatung:fb2" // another actor may use the same key
	err = st.Unit.Atomic(ctx, func(tx app.Tx) error {
		if err := keysOf(t, tx).PutKey(ctx, keyRec); !errors.Is(err, app.ErrKeyExists) {
			t.Errorf("PutKey again: got %v, want app.ErrKeyExists", err)
		}
		return keysOf(t, tx).PutKey(ctx, other)
	})
	if err != nil {
		t.Fatalf("PutKey of another scope: %v", err)
	}
	if st.Reopen == nil {
		t.Fatal("the factory must set Reopen")
	}
	var got app.KeyRecord
	err = st.Reopen(t).Atomic(ctx, func(tx app.Tx) (err error) {
		got, err = keysOf(t, tx).Key(ctx, keyRec.Scope, keyRec.Key)
		return err
	})
	if err != nil || got.Operation != keyRec.Operation || got.Fingerprint != keyRec.Fingerprint || got.ResultID != keyRec.ResultID || !got.At.Equal(keyRec.At) {
		t.Errorf("Key from a reopened store: got %+v, %v; want %+v", got, err, keyRec)
	}
}

func testKeysUndone(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	boom := errors.New("boom")
	err := st.Unit.Atomic(ctx, func(tx app.Tx) error {
		if err := keysOf(t, tx).PutKey(ctx, keyRec); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Atomic: got %v, want the step's error", err)
	}
	err = st.Unit.Atomic(ctx, func(tx app.Tx) error {
		_, err := keysOf(t, tx).Key(ctx, keyRec.Scope, keyRec.Key)
		return err
	})
	if !errors.Is(err, app.ErrNoKey) {
		t.Errorf("the key of a failed step: got %v, want app.ErrNoKey", err)
	}
}

func testKeysRace(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = st.Unit.Atomic(ctx, func(tx app.Tx) error { return keysOf(t, tx).PutKey(ctx, keyRec) })
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, app.ErrKeyExists):
			t.Errorf("a losing PutKey: got %v, want app.ErrKeyExists", err)
		}
	}
	if won != 1 {
		t.Errorf("%d steps stored the key, want exactly 1", won)
	}
}
