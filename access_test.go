package kitaportal_test

import (
	"context"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal"
	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

// world is a portal with one application of family A, which chose two Kitas
// of carrier "T01" and Tagespflege in district I.
type world struct {
	ctx     context.Context
	p       *kitaportal.Portal
	app     registration.Application
	kitaA   string // chosen, carrier T01
	kitaX   string // not chosen, another carrier
	referID string
	now     *time.Time
	store   *memory.Store
	chosen  []string
	birth   date.Date
	start   date.Date
}

// submitSibling submits another child for a family, with the same Kitas
// and Tagespflege in district I.
func (w *world) submitSibling(t *testing.T, family string) registration.Application {
	t.Helper()
	rc, err := w.p.Registrations.Submit(w.ctx, access.NewGuardian("g"+family, family), registration.Input{
		Child:     registration.ChildInput{GivenName: "Mia", FamilyName: "Muster", BirthDate: w.birth},
		Guardians: []registration.GuardianInput{{GivenName: "Jan", FamilyName: "Muster", Email: "jan@muster.example", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "7", PostalCode: "44787", City: "Bochum"},
		Start:     w.start, Hours: 35, Kitas: w.chosen, Consent: true,
		Tagespflege: &registration.TagespflegeWish{District: "I"},
	})
	require.NoError(t, err)
	return rc.Application
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	profile, err := bochum.Profile()
	require.NoError(t, err)
	cat, err := bochum.Catalogue()
	require.NoError(t, err)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, berlin)
	store := memory.New()
	p, err := kitaportal.Open(ctx, kitaportal.Config{Profile: profile, Catalogue: cat, Store: store,
		Transport: notify.NewMemoryTransport(), Clock: func() time.Time { return now }})
	require.NoError(t, err)
	w := &world{ctx: ctx, p: p, now: &now, store: store}

	birth := date.New(2025, time.March, 3)
	start := date.New(2027, time.August, 1)
	var chosen []string
	for _, k := range cat.All() {
		takes := k.Takes(kita.AgeOn(birth, start).InMonths()) && k.Capacity.Under3 > 0 && k.Hours.Allows(35)
		switch {
		case takes && k.Carrier.ID == "T01" && len(chosen) < 2:
			chosen = append(chosen, k.ID)
		case k.Carrier.ID == "T05" && w.kitaX == "":
			w.kitaX = k.ID
		}
	}
	require.Len(t, chosen, 2)
	w.kitaA = chosen[0]
	w.chosen, w.birth, w.start = chosen, birth, start
	rc, err := p.Registrations.Submit(ctx, access.NewGuardian("ga", "A"), registration.Input{
		Child:     registration.ChildInput{GivenName: "Lotte", FamilyName: "Beispiel", BirthDate: birth},
		Guardians: []registration.GuardianInput{{GivenName: "Eva", FamilyName: "Beispiel", Email: "eva@beispiel.example", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
		Start:     start, Hours: 35, Kitas: chosen, Consent: true,
		Criteria:    registration.CriteriaInput{Hardship: true, HardshipReason: "medical"},
		Tagespflege: &registration.TagespflegeWish{District: "I"},
	})
	require.NoError(t, err)
	w.app = rc.Application
	w.referID = rc.Application.TP.ReferralID
	return w
}

func (w *world) offer(t *testing.T) {
	t.Helper()
	_, err := w.p.Registrations.Offer(w.ctx, access.NewJugendamt("ja"), w.app.ID, w.kitaA)
	require.NoError(t, err)
}

func (w *world) accept(t *testing.T) {
	t.Helper()
	w.offer(t)
	_, err := w.p.Registrations.Accept(w.ctx, access.NewGuardian("ga", "A"), w.app.ID)
	require.NoError(t, err)
}

var actors = map[string]access.Actor{
	"own family":          access.NewGuardian("ga", "A"),
	"other family":        access.NewGuardian("gb", "B"),
	"chosen carrier":      access.NewCarrierStaff("s1", "T01"),
	"other carrier":       access.NewCarrierStaff("s5", "T05"),
	"own Fachberatung":    access.NewFachberatung("fb1", "I"),
	"other Fachberatung":  access.NewFachberatung("fb2", "II"),
	"Jugendamt":           access.NewJugendamt("ja"),
	"system":              access.SystemActor,
	"anonymous (invalid)": {},
}

// TestListsNeverLeak checks that list operations return no other party's records.
func TestListsNeverLeak(t *testing.T) {
	w := newWorld(t)
	for _, name := range []string{"other family", "other carrier"} {
		list, err := w.p.Registrations.List(w.ctx, actors[name], registration.Query{})
		require.NoError(t, err)
		assert.Empty(t, list, name)
	}
	list, err := w.p.Registrations.List(w.ctx, actors["other family"], registration.Query{FamilyID: "A"})
	require.NoError(t, err)
	assert.Empty(t, list, "a guardian cannot widen the query to another family")
	refs, err := w.p.Referrals.List(w.ctx, actors["own Fachberatung"], "I", 0, 0)
	require.NoError(t, err)
	assert.Len(t, refs, 1)
	for _, r := range refs {
		assert.Equal(t, "I", r.District)
	}
}

func TestRetentionFromProfile(t *testing.T) {
	t.Run("the profile's retention periods anonymize a withdrawn application once due", func(t *testing.T) {
		w := newWorld(t)
		_, err := w.p.Registrations.Withdraw(w.ctx, access.NewGuardian("ga", "A"), w.app.ID)
		require.NoError(t, err)
		n, err := w.p.Registrations.ApplyRetention(w.ctx, access.SystemActor)
		require.NoError(t, err)
		assert.Zero(t, n, "Bochum keeps data 12 months after the Kita year 2027/2028 ends")
		*w.now = time.Date(2029, 8, 2, 9, 0, 0, 0, berlin)
		n, err = w.p.Registrations.ApplyRetention(w.ctx, access.SystemActor)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		a, err := w.store.Registrations().Application(w.ctx, w.app.ID)
		require.NoError(t, err)
		assert.True(t, a.Anonymized)
		assert.Empty(t, a.Child.GivenName)
		_, err = w.p.Registrations.ApplyRetention(w.ctx, access.NewGuardian("ga", "A"))
		assert.ErrorIs(t, err, access.ErrDenied)
	})
}

func TestContractRepresentative(t *testing.T) {
	t.Run("the contract names the Kita-Leitung the carrier published, or N. N.", func(t *testing.T) {
		w := newWorld(t)
		w.accept(t)
		ct, err := w.p.Contracts.Generate(w.ctx, access.NewJugendamt("ja"), app.ContractRequest{ApplicationID: w.app.ID, Income: decimal.NewFromInt(50000)})
		require.NoError(t, err)
		assert.Equal(t, "N. N.", ct.Provider().Representative)
		require.NoError(t, w.p.Catalogue.UpdateProfile(w.ctx, access.NewCarrierStaff("s1", "T01"), w.kitaA, kita.PublicProfile{Head: "Gülşen Straßburger"}))
		ct, err = w.p.Contracts.Generate(w.ctx, access.NewJugendamt("ja"), app.ContractRequest{ApplicationID: w.app.ID, Income: decimal.NewFromInt(50000)})
		require.NoError(t, err)
		assert.Equal(t, "Gülşen Straßburger", ct.Provider().Representative)
	})
}
