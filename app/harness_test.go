package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/store/postgres"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

// backend opens stores of one adapter: open returns a fresh, empty store
// and a function that opens a second handle on the same data (a
// restarted or second instance).
type backend struct {
	name string
	open func(t *testing.T) (app.Store, func(t *testing.T) app.Store)
}

// backends are the adapters every application test runs against:
// memory always, PostgreSQL with KITAPORTAL_POSTGRES_URL (required in CI).
func backends(t *testing.T) []backend {
	t.Helper()
	out := []backend{{name: "memory", open: func(*testing.T) (app.Store, func(*testing.T) app.Store) {
		s := memory.New()
		return s, func(*testing.T) app.Store { return s }
	}}}
	base := os.Getenv("KITAPORTAL_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KITAPORTAL_POSTGRES_URL is not set in CI; the PostgreSQL tests must run there")
		}
		return out
	}
	return append(out, backend{name: "postgres", open: func(t *testing.T) (app.Store, func(*testing.T) app.Store) {
		u := schemaURL(t, base)
		open := func(t *testing.T) app.Store {
			s, err := postgres.Open(context.Background(), u)
			require.NoError(t, err)
			t.Cleanup(s.Close)
			return s
		}
		return open(t), open
	}})
}

// schemaURL creates a schema of its own on the server at base, drops it
// when the test ends, and returns the URL that uses it.
func schemaURL(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "app_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// world is an App on Bochum's profile and sample catalogue over one store,
// with a clock the test moves, and family A's application: a child born on
// 3 March 2025, two Kitas of carrier T01, Tagespflege in district I.
type world struct {
	ctx    context.Context
	app    *app.App
	store  app.Store
	reopen func(t *testing.T) app.Store
	now    *time.Time
	appA   registration.Application
	kitas  []string // chosen, carrier T01
	kitaX  string   // carrier T05, not chosen
	draft  string   // a dry run's id, once a test made one
	birth  date.Date
	start  date.Date
}

var (
	guardianA = access.NewGuardian("ga", "A")
	guardianB = access.NewGuardian("gb", "B")
	jugendamt = access.NewJugendamt("ja")
	staffT01  = access.NewCarrierStaff("s1", "T01")
	staffT05  = access.NewCarrierStaff("s5", "T05")
	fbI       = access.NewFachberatung("fb1", "I")
)

// forEach runs f as a subtest on every backend.
func forEach(t *testing.T, f func(t *testing.T, w *world)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			store, reopen := b.open(t)
			f(t, newWorld(t, store, reopen))
		})
	}
}

func newWorld(t *testing.T, store app.Store, reopen func(*testing.T) app.Store) *world {
	t.Helper()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, berlin)
	w := &world{ctx: context.Background(), store: store, reopen: reopen, now: &now,
		birth: date.New(2025, time.March, 3), start: date.New(2027, time.August, 1)}
	w.app = w.open(t, store)
	for _, k := range w.app.Catalogue.All() {
		takes := k.Takes(kita.AgeOn(w.birth, w.start).InMonths()) && k.Capacity.Under3 > 0 && k.Hours.Allows(35)
		switch {
		case takes && k.Carrier.ID == "T01" && len(w.kitas) < 2:
			w.kitas = append(w.kitas, k.ID)
		case takes && k.Carrier.ID == "T05" && w.kitaX == "":
			w.kitaX = k.ID
		}
	}
	require.Len(t, w.kitas, 2)
	require.NotEmpty(t, w.kitaX)
	w.appA = w.submit(t, guardianA, "Lotte", nil)
	return w
}

// sample is Bochum's profile and sample Kitas, parsed once for all tests
// (the profile is only read; every App gets a catalogue of its own).
var sample = sync.OnceValues(func() (sampleData, error) {
	profile, err := bochum.Profile()
	if err != nil {
		return sampleData{}, err
	}
	cat, err := bochum.Catalogue()
	if err != nil {
		return sampleData{}, err
	}
	return sampleData{profile: profile, kitas: cat.All()}, nil
})

type sampleData struct {
	profile municipality.Profile
	kitas   []kita.Kita
}

// open opens an App over store with a fresh copy of the sample catalogue.
func (w *world) open(t *testing.T, store app.Store) *app.App {
	t.Helper()
	data, err := sample()
	require.NoError(t, err)
	profile := data.profile
	cat, err := kita.NewCatalogue(data.kitas, kita.NRWHours)
	require.NoError(t, err)
	a, err := app.New(w.ctx, app.Config{Profile: profile, Catalogue: cat, Store: store,
		Transport: notify.NewMemoryTransport(), Clock: func() time.Time { return *w.now }})
	require.NoError(t, err)
	return a
}

// input is a complete Voranmeldung for a child of the Beispiel family.
func (w *world) input(child string, kitas []string) registration.Input {
	return registration.Input{
		Child:     registration.ChildInput{GivenName: child, FamilyName: "Beispiel", BirthDate: w.birth},
		Guardians: []registration.GuardianInput{{GivenName: "Eva", FamilyName: "Beispiel", Email: "eva@beispiel.example", Phone: "+492345550123", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
		Start:     w.start, Hours: 35, Kitas: kitas, Consent: true,
		Criteria:    registration.CriteriaInput{Hardship: true, HardshipReason: "medical"},
		Tagespflege: &registration.TagespflegeWish{District: "I"},
	}
}

// submit submits a child of the guardian's family choosing w.kitas (or
// kitas, when given).
func (w *world) submit(t *testing.T, g access.Actor, child string, kitas []string) registration.Application {
	t.Helper()
	if kitas == nil {
		kitas = w.kitas
	}
	rc, err := w.app.Registrations.Submit(w.ctx, g, w.input(child, kitas))
	require.NoError(t, err)
	return rc.Application
}

// minder registers a minder in district I whose licence starts on from.
func (w *world) minder(t *testing.T, from date.Date) string {
	t.Helper()
	m := bochum.Minders(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))[0]
	m.District = "I"
	m.Licence.ValidFrom = from
	m.Licence.ValidTo = from.AddDate(4, 0, 0)
	m, err := w.app.Referrals.AddMinder(w.ctx, fbI, m)
	require.NoError(t, err)
	return m.ID
}
