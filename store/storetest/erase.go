package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// RunErasure checks that erasing a family (DSGVO Art. 17) through the
// application layer leaves none of its personal data anywhere in the
// adapter: the factory's Dump returns the text of every table or structure,
// and the suite searches it for the child's name and birth date and the
// guardians' names, e-mail addresses and phone numbers, also in the
// allocation round's stored dry run (app.Draft), which held the child's
// birth date.
func RunErasure(t *testing.T, newStores Factory) {
	t.Run("an erased family's personal data is nowhere in the store", func(t *testing.T) { testErasureEverywhere(t, newStores) })
}

// bochumApp opens an App over the adapter with Bochum's profile and sample
// catalogue at a fixed November morning.
func bochumApp(t *testing.T, st Stores) (*app.App, *kita.Catalogue) {
	t.Helper()
	profile, err := bochum.Profile()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := bochum.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	a, err := app.New(context.Background(), app.Config{
		Profile: profile, Catalogue: cat, Store: st.Unit, Transport: notify.NewMemoryTransport(),
		Clock: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, cat
}

func testErasureEverywhere(t *testing.T, newStores Factory) {
	ctx := context.Background()
	st := newStores(t)
	if st.Dump == nil {
		t.Fatal("the factory must set Dump")
	}
	portal, cat := bochumApp(t, st)
	birth := date.New(2025, time.March, 17)
	start := date.New(2027, time.August, 1)
	var kitas []string
	for _, k := range cat.All() {
		if k.Takes(kita.AgeOn(birth, start).InMonths()) && k.Capacity.Under3 > 0 && k.Hours.Allows(35) && len(kitas) < 2 {
			kitas = append(kitas, k.ID)
		}
	}
	family := access.NewGuardian("g-erase", "F-ERASE")
	rc, err := portal.Registrations.Submit(ctx, family, registration.Input{
		Child: registration.ChildInput{GivenName: "Wiebke", FamilyName: "Quastenberg", BirthDate: birth},
		Guardians: []registration.GuardianInput{
			{GivenName: "Ottilie", FamilyName: "Quastenberg", Email: "ottilie.quastenberg@example.org", Phone: "+492349876543", Language: "de", Working: true},
			{GivenName: "Bartholomäus", FamilyName: "Zwiebelkorn", Email: "b.zwiebelkorn@example.org", Phone: "01761234987", Language: "en", Working: true},
		},
		Address: geo.Address{Street: "Quittenweg", HouseNumber: "17b", PostalCode: "44787", City: "Bochum"},
		Start:   start, Hours: 35, Kitas: kitas, Consent: true, IdempotencyKey: "erase-key-1",
		Criteria:    registration.CriteriaInput{Hardship: true, HardshipReason: "medical"},
		Tagespflege: &registration.TagespflegeWish{District: "I"},
	})
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	a := rc.Application
	jugendamt := access.NewJugendamt("ja")
	// A dry run stores the child's birth date in the round's draft.
	if _, err := portal.Registrations.DryRun(ctx, jugendamt, "2027/2028", app.RoundOptions{}); err != nil {
		t.Fatalf("DryRun: %v", err)
	}
	if _, err := portal.Registrations.Offer(ctx, jugendamt, a.ID, kitas[0]); err != nil {
		t.Fatalf("Offer: %v", err)
	}
	if _, err := portal.Referrals.MarkContacted(ctx, access.NewFachberatung("fb", "I"), a.TP.ReferralID, "Rückruf bei Ottilie Quastenberg, 0234 9876543"); err != nil {
		t.Fatalf("MarkContacted: %v", err)
	}
	if _, err := portal.Registrations.Withdraw(ctx, family, a.ID); err != nil {
		t.Fatalf("Withdraw: %v", err)
	}
	if _, err := portal.Dispatcher.RunOnce(ctx); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	personal := []string{"Wiebke", "Quastenberg", "Ottilie", "Bartholomäus", "Zwiebelkorn", "ottilie.quastenberg", "zwiebelkorn@",
		"9876543", "1234987", "2025-03-17", "17.03.2025", "Quittenweg", "erase-key-1", registration.ChildKey("Wiebke", "Quastenberg", birth)}
	before := st.Dump(t)
	for _, p := range personal[:4] {
		if !strings.Contains(before, p) {
			t.Fatalf("before the erasure the dump lacks %q: Dump does not see the data", p)
		}
	}
	if _, err := portal.Registrations.Erase(ctx, family, "F-ERASE"); err != nil {
		t.Fatalf("Erase: %v", err)
	}
	after := st.Dump(t)
	for _, p := range personal {
		if strings.Contains(after, p) {
			i := strings.Index(after, p)
			t.Errorf("after the erasure the store still holds %q (…%s…)", p, after[max(0, i-80):min(len(after), i+80)])
		}
	}
}
