package registration_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// now is the fixed instant of the tests: 25 November 2026, 10:00 in Bochum.
var berlin = mustLoc("Europe/Berlin")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, berlin)

func bochumRules() registration.Rules {
	return registration.Rules{
		CityCode:          "BO",
		Calendar:          kita.NRW,
		MaxChoices:        5,
		Hours:             kita.NRWHours,
		Tagespflege:       true,
		TagespflegeMaxAge: 3,
		YearsAhead:        2,
		Deadline:          kita.MonthDay{Month: time.January, Day: 15},
		NoticeMonths:      6,
		NoticeBasis:       "§ 5 KiBiz",
		AllowUnborn:       true,
		HardshipReasons:   []registration.HardshipReason{"medical", "social"},
		OfferDays:         14,
		Location:          berlin,
	}
}

func testKitas() []kita.Kita {
	var ks []kita.Kita
	for i := 1; i <= 7; i++ {
		ks = append(ks, kita.Kita{
			ID:           fmt.Sprintf("k%d", i),
			Name:         fmt.Sprintf("Kita Sonnenschein %d", i),
			Carrier:      kita.Carrier{ID: fmt.Sprintf("c%d", (i+1)/2), Name: "Träger", Kind: kita.Municipal},
			Address:      geo.Address{Street: "Hauptstraße", HouseNumber: fmt.Sprint(i), PostalCode: "44787", City: "Bochum"},
			District:     "I",
			MinAgeMonths: 4,
			Hours:        kita.HoursOptions{25, 35, 45},
			Capacity:     kita.Capacity{Under3: 10, From3: 40},
		})
	}
	ks[5].Hours = kita.HoursOptions{25} // k6: 25 hours only
	ks[6].MinAgeMonths = 36             // k7: from 3
	ks[6].Capacity = kita.Capacity{From3: 50}
	return ks
}

// fixture is the application layer over the in-memory store with
// Bochum's profile, the test rules, policy and Kitas: the registration
// rules are exercised through the use cases that apply them.
type fixture struct {
	svc   *app.Registrations
	store *memory.Store
	cat   *kita.Catalogue
	ctx   context.Context
	clock *time.Time
}

// newFixture opens the fixture; edit may change the test Kitas first.
func newFixture(t testing.TB, edit ...func(ks []kita.Kita)) *fixture {
	t.Helper()
	return newFixtureIn(t, memory.New(), edit...)
}

// newFixtureIn is newFixture on the store st.
func newFixtureIn(t testing.TB, st *memory.Store, edit ...func(ks []kita.Kita)) *fixture {
	t.Helper()
	ks := testKitas()
	for _, e := range edit {
		e(ks)
	}
	cat, err := kita.NewCatalogue(ks, kita.NRWHours)
	require.NoError(t, err)
	dirs, offs := testDistricts(t)
	profile, err := bochum.Profile()
	require.NoError(t, err)
	profile.Registration = bochumRules()
	profile.Districts, profile.Offices = dirs, offs
	profile.Templates = notify.DefaultTemplates()
	profile.Policy = bochumTestPolicy()
	fx := &fixture{store: st, cat: cat, ctx: context.Background()}
	clock := now
	fx.clock = &clock
	a, err := app.New(fx.ctx, app.Config{
		Profile: profile, Catalogue: cat, Store: st, Transport: notify.NewMemoryTransport(),
		Clock: func() time.Time { return *fx.clock },
	})
	require.NoError(t, err)
	fx.svc = a.Registrations
	return fx
}

// testDistricts are Bochum's districts with a Fachberatung office each.
func testDistricts(t testing.TB) (*district.Directory, *tagespflege.Offices) {
	t.Helper()
	f, err := os.Open("../municipality/bochum/districts.json")
	require.NoError(t, err)
	defer f.Close()
	dirs, err := district.Load(f)
	require.NoError(t, err)
	var offices []tagespflege.Office
	for _, d := range dirs.All() {
		offices = append(offices, tagespflege.Office{
			District: d.ID, Name: "Fachberatung Kindertagespflege " + d.Name,
			Email: "tagespflege-" + d.ID + "@bochum.example", Phone: "+492349100",
			Address: geo.Address{Street: "Rathausplatz", HouseNumber: "1", PostalCode: "44787", City: "Bochum"},
		})
	}
	offs, err := tagespflege.NewOffices(offices)
	require.NoError(t, err)
	return dirs, offs
}

// get reads an application as stored.
func (f *fixture) get(id string) (registration.Application, error) {
	return f.store.Registrations().Application(f.ctx, id)
}

func guardian(family string) access.Actor { return access.NewGuardian("g-"+family, family) }

var jugendamt = access.NewJugendamt("ja-1")

// validInput is a correct Voranmeldung for 1 August 2027.
func validInput() registration.Input {
	return registration.Input{
		Child: registration.ChildInput{GivenName: "Jürgen", FamilyName: "Ößmann-Çelik", BirthDate: date.New(2024, time.February, 29)},
		Guardians: []registration.GuardianInput{{
			GivenName: "Ayşe", FamilyName: "Ößmann-Çelik", Email: "ayse@example.org", Language: "de", Working: true,
		}},
		Address: geo.Address{Street: "Hauptstraße", HouseNumber: "12", PostalCode: "44787", City: "Bochum"},
		Start:   date.New(2027, time.August, 1),
		Hours:   35,
		Kitas:   []string{"k1", "k2", "k3"},
		Consent: true,
	}
}
