package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// serviceWorld is a registration service over the adapter's stores with a
// tiny city: one district, two Kitas, one Fachberatung.
type serviceWorld struct {
	ctx   context.Context
	svc   *registration.Service
	now   *time.Time
	store registration.Store
}

func newServiceWorld(t *testing.T, st Stores) *serviceWorld {
	t.Helper()
	addr := geo.Address{Street: "Marktplatz", HouseNumber: "1", PostalCode: "12345", City: "Musterstadt"}
	cat, err := kita.NewCatalogue([]kita.Kita{
		{ID: "a", Name: "Kita Apfelbaum", Carrier: kita.Carrier{ID: "c1", Name: "Stadt", Kind: kita.Municipal}, Address: addr, District: "N",
			Hours: kita.HoursOptions{25, 35, 45}, Capacity: kita.Capacity{Under3: 2, From3: 10}},
		{ID: "b", Name: "Kita Birnbaum", Carrier: kita.Carrier{ID: "c2", Name: "Verein", Kind: kita.ParentsInitiative}, Address: addr, District: "N",
			Hours: kita.HoursOptions{25, 35, 45}, Capacity: kita.Capacity{Under3: 2, From3: 10}},
	}, kita.NRWHours)
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := district.New([]district.District{{ID: "N", Number: 1, Name: "Nord"}}, []district.PostalRule{{PostalCode: "12345", Districts: []string{"N"}}})
	if err != nil {
		t.Fatal(err)
	}
	offices, err := tagespflege.NewOffices([]tagespflege.Office{{District: "N", Name: "Fachberatung Nord", Email: "fb@musterstadt.example", Address: addr}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	w := &serviceWorld{ctx: context.Background(), now: &now, store: st.Registrations}
	w.svc, err = registration.NewService(registration.Config{
		Rules: registration.Rules{
			CityCode: "MS", Calendar: kita.NRW, MaxChoices: 5, Hours: kita.NRWHours, Tagespflege: true, TagespflegeMaxAge: 3,
			YearsAhead: 2, Deadline: kita.MonthDay{Month: time.January, Day: 15}, NoticeMonths: 6, OfferDays: 14,
		},
		Store: st.Registrations, Catalogue: cat, Districts: dirs, Offices: offices, Templates: notify.DefaultTemplates(),
		Clock: func() time.Time { return *w.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SyncPlaces(w.ctx, access.SystemActor, "2027/2028", cat.All()); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *serviceWorld) submit(t *testing.T, family, child string) registration.Application {
	t.Helper()
	return w.submitWith(t, family, child, nil)
}

// submitWith submits a Voranmeldung for a child born on 29 February 2024;
// edit may change the input.
func (w *serviceWorld) submitWith(t *testing.T, family, child string, edit func(*registration.Input)) registration.Application {
	t.Helper()
	in := registration.Input{
		Child:     registration.ChildInput{GivenName: child, FamilyName: "Ößmann-Çelik", BirthDate: date.New(2024, time.February, 29)},
		Guardians: []registration.GuardianInput{{GivenName: "Jürgen", FamilyName: "Ößmann-Çelik", Email: family + "@familie.example", Language: "de"}},
		Address:   geo.Address{Street: "Lindenweg", HouseNumber: "7", PostalCode: "12345", City: "Musterstadt"},
		Start:     date.New(2027, time.August, 1), Hours: 35, Kitas: []string{"a", "b"}, Consent: true,
	}
	if edit != nil {
		edit(&in)
	}
	rc, err := w.svc.Submit(w.ctx, access.NewGuardian("g-"+family, family), family, in)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return rc.Application
}

// RunPrivacy runs the data-protection scenarios through the registration
// service over the adapter: export (DSGVO Art. 15, 20), erasure on request
// (Art. 17), retention, and the audit trail.
func RunPrivacy(t *testing.T, newStores Factory) {
	t.Run("an export holds the family's applications, messages and audit trail, and nothing of others", func(t *testing.T) { testPrivacyAnExportHoldsTheFamilyApplicationsMessages(t, newStores) })
	t.Run("erasure anonymizes the family's applications, deletes its messages and keeps the statistics", func(t *testing.T) { testPrivacyErasureAnonymizesTheFamilyApplicationsDeletesIts(t, newStores) })
	t.Run("retention anonymizes applications that never led to a contract once the period has passed", func(t *testing.T) { testPrivacyRetentionAnonymizesApplicationsThatNeverLedToA(t, newStores) })
	t.Run("the audit trail records who read and changed an application, when and why", func(t *testing.T) { testPrivacyTheAuditTrailRecordsWhoReadAndChanged(t, newStores) })
}

// testPrivacyAnExportHoldsTheFamilyApplicationsMessages checks that an export holds the family's applications, messages and audit trail, and nothing of others.
func testPrivacyAnExportHoldsTheFamilyApplicationsMessages(t *testing.T, newStores Factory) {
	w := newServiceWorld(t, newStores(t))
	a := w.submit(t, "fa", "Lena")
	w.submit(t, "fb", "Mats")
	ex, err := w.svc.Export(w.ctx, access.NewGuardian("g-fa", "fa"), "fa")
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Applications) != 1 || ex.Applications[0].ID != a.ID {
		t.Fatalf("export has %d applications, want the family's one", len(ex.Applications))
	}
	if len(ex.Messages) != 1 || ex.Messages[0].FamilyID != "fa" {
		t.Fatalf("export has %d messages, want the confirmation", len(ex.Messages))
	}
	if len(ex.Audit) == 0 {
		t.Fatal("export has no audit trail")
	}
	for _, e := range ex.Audit {
		if e.FamilyID != "fa" {
			t.Fatalf("export leaks another family's audit entry")
		}
	}
	if _, err := w.svc.Export(w.ctx, access.NewGuardian("g-fb", "fb"), "fa"); !errors.Is(err, access.ErrDenied) {
		t.Fatalf("another family's export: got %v, want access.ErrDenied", err)
	}
}

// testPrivacyErasureAnonymizesTheFamilyApplicationsDeletesIts checks that erasure anonymizes the family's applications, deletes its messages and keeps the statistics.
func testPrivacyErasureAnonymizesTheFamilyApplicationsDeletesIts(t *testing.T, newStores Factory) {
	w := newServiceWorld(t, newStores(t))
	a := w.submit(t, "fa", "Lena")
	other := w.submit(t, "fb", "Mats")
	n, err := w.svc.Erase(w.ctx, access.NewGuardian("g-fa", "fa"), "fa")
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("erased %d applications, want 1", n)
	}
	got, err := w.store.Application(w.ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Anonymized || got.Child.GivenName != "" || got.Child.FamilyName != "" || got.Guardians[0].Email != "" || got.Address.Street != "" || got.ChildKey != "" {
		t.Fatalf("personal data left after erasure")
	}
	if got.Year != "2027/2028" || got.District != "N" || len(got.Choices) != 2 || got.Status() != registration.Withdrawn {
		t.Fatalf("statistics lost: year %q district %q choices %d status %v", got.Year, got.District, len(got.Choices), got.Status())
	}
	if got.Child.BirthDate != date.New(2024, time.February, 1) {
		t.Fatalf("birth date should be kept to the month for age statistics")
	}
	msgs, err := w.store.FamilyMessages(w.ctx, "fa")
	if err != nil || len(msgs) != 0 {
		t.Fatalf("messages left after erasure: %d (%v)", len(msgs), err)
	}
	kept, err := w.store.Application(w.ctx, other.ID)
	if err != nil || kept.Anonymized || kept.Child.GivenName != "Mats" {
		t.Fatalf("another family's data was touched")
	}
	trail, err := w.store.Audit(w.ctx, registration.AuditQuery{ApplicationID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	erased := false
	for _, e := range trail {
		erased = erased || e.Action == registration.AuditErase
		if strings.Contains(e.Actor+e.Reason, "Lena") {
			t.Fatal("the audit trail holds a name")
		}
	}
	if !erased {
		t.Fatal("the erasure is not in the audit trail")
	}
	// The same child may register again after erasure.
	w.submit(t, "fa", "Lena")
}

// testPrivacyRetentionAnonymizesApplicationsThatNeverLedToA checks that retention anonymizes applications that never led to a contract once the period has passed.
func testPrivacyRetentionAnonymizesApplicationsThatNeverLedToA(t *testing.T, newStores Factory) {
	w := newServiceWorld(t, newStores(t))
	withdrawn := w.submit(t, "fa", "Lena")
	open := w.submit(t, "fb", "Mats")
	if _, err := w.svc.Withdraw(w.ctx, access.NewGuardian("g-fa", "fa"), withdrawn.ID); err != nil {
		t.Fatal(err)
	}
	r := registration.Retention{AnonymizeAfterMonths: 12, ContractedAfterMonths: 36}
	*w.now = time.Date(2029, 7, 31, 9, 0, 0, 0, time.UTC) // 12 months after the Kita year's end: not yet
	if n, err := w.svc.ApplyRetention(w.ctx, access.SystemActor, r); err != nil || n != 0 {
		t.Fatalf("retention before the period: %d, %v", n, err)
	}
	*w.now = time.Date(2029, 8, 2, 9, 0, 0, 0, time.UTC)
	n, err := w.svc.ApplyRetention(w.ctx, access.SystemActor, r)
	if err != nil || n != 1 {
		t.Fatalf("retention after the period: %d, %v; want 1", n, err)
	}
	got, _ := w.store.Application(w.ctx, withdrawn.ID)
	if !got.Anonymized {
		t.Fatal("the withdrawn application was not anonymized")
	}
	kept, _ := w.store.Application(w.ctx, open.ID)
	if kept.Anonymized {
		t.Fatal("an application still waiting was anonymized")
	}
	if _, err := w.svc.ApplyRetention(w.ctx, access.NewGuardian("g-fa", "fa"), r); !errors.Is(err, access.ErrDenied) {
		t.Fatal("a family may not run retention")
	}
}

// testPrivacyTheAuditTrailRecordsWhoReadAndChanged checks that the audit trail records who read and changed an application, when and why.
func testPrivacyTheAuditTrailRecordsWhoReadAndChanged(t *testing.T, newStores Factory) {
	w := newServiceWorld(t, newStores(t))
	a := w.submit(t, "fa", "Lena")
	staff := access.NewCarrierStaff("s1", "c1")
	if _, err := w.svc.Get(w.ctx, staff, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Offer(w.ctx, staff, a.ID, "a"); err != nil {
		t.Fatal(err)
	}
	trail, err := w.svc.AuditTrail(w.ctx, access.NewJugendamt("ja"), registration.AuditQuery{ApplicationID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range trail {
		got = append(got, e.Action+" by "+e.Actor)
		if e.At.IsZero() {
			t.Fatal("an audit entry without time")
		}
	}
	want := []string{"submit by guardian:g-fa", "read by carrier_staff:s1", "change by carrier_staff:s1"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("audit trail %v, want %v", got, want)
	}
	if _, err := w.svc.AuditTrail(w.ctx, staff, registration.AuditQuery{}); !errors.Is(err, access.ErrDenied) {
		t.Fatal("only the Jugendamt reads the audit trail")
	}
}
