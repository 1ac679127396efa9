package registration_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// exampleService wires a service for the examples: Bochum's rules and
// districts, two Kitas, the six Fachberatung offices, a fixed clock.
func exampleService() (*registration.Service, *memory.Store) {
	f, _ := os.Open("../municipality/bochum/districts.json")
	defer f.Close()
	dirs, _ := district.Load(f)
	cat, _ := kita.NewCatalogue([]kita.Kita{
		{ID: "BO-001", Name: "Kita Regenbogen", Carrier: kita.Carrier{ID: "T01", Name: "Stadt Bochum", Kind: kita.Municipal},
			Address:  geo.Address{Street: "Hattinger Straße", HouseNumber: "12", PostalCode: "44789", City: "Bochum"},
			District: "I", MinAgeMonths: 4, Hours: kita.NRWHours, Capacity: kita.Capacity{Under3: 10, From3: 40}},
		{ID: "BO-002", Name: "Ev. Kita Arche Noah", Carrier: kita.Carrier{ID: "T03", Name: "Ev. Kirchenkreis", Kind: kita.Protestant},
			Address:  geo.Address{Street: "Kirchstraße", HouseNumber: "3", PostalCode: "44787", City: "Bochum"},
			District: "I", MinAgeMonths: 12, Hours: kita.NRWHours, Capacity: kita.Capacity{Under3: 6, From3: 44}},
	}, kita.NRWHours)
	var offices []tagespflege.Office
	for _, d := range dirs.All() {
		offices = append(offices, tagespflege.Office{District: d.ID, Name: "Fachberatung Kindertagespflege " + d.Name,
			Email: "tagespflege-" + d.ID + "@bochum.example", Phone: "0234 910-0",
			Address: geo.Address{Street: "Willy-Brandt-Platz", HouseNumber: "2", PostalCode: "44787", City: "Bochum"}})
	}
	offs, _ := tagespflege.NewOffices(offices)
	st := memory.New()
	n := 0
	svc, err := registration.NewService(registration.Config{
		Rules: bochumRules(), Store: st.Registrations(), Catalogue: cat, Districts: dirs, Offices: offs,
		Templates: notify.DefaultTemplates(),
		Clock:     func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, berlin) },
		NewID:     func() string { n++; return fmt.Sprintf("id-%d", n) },
	})
	if err != nil {
		panic(err)
	}
	return svc, st
}

// A family pre-registers its daughter at two Kitas and gets the
// confirmation at once.
func ExampleService_Submit() {
	svc, st := exampleService()
	ctx := context.Background()
	rc, err := svc.Submit(ctx, access.NewGuardian("u-17", "family-17"), "family-17", registration.Input{
		Child:     registration.ChildInput{GivenName: "Lotte", FamilyName: "Weiß", BirthDate: date.New(2025, time.May, 14)},
		Guardians: []registration.GuardianInput{{GivenName: "Eva", FamilyName: "Weiß", Email: "eva.weiss@example.org", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
		Start:     date.New(2027, time.August, 1),
		Hours:     35,
		Kitas:     []string{"BO-002", "BO-001"},
		Consent:   true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := rc.Application
	fmt.Println(a.Reference, a.Status(), a.Year, "district", a.District)
	msgs, _ := st.Outbox().Messages(ctx, a.ID)
	fmt.Println("To:", msgs[0].To)
	fmt.Println("Subject:", msgs[0].Title)
	fmt.Println(msgs[0].Body)
	// Output:
	// BO-2027-000001 confirmed 2027/2028 district I
	// To: eva.weiss@example.org
	// Subject: Eingangsbestätigung Ihrer Voranmeldung BO-2027-000001
	// Guten Tag,
	//
	// vielen Dank für Ihre Voranmeldung für Lotte Weiß. Sie ist bei uns
	// eingegangen und hat die Nummer BO-2027-000001. Bitte geben Sie diese Nummer
	// bei allen Rückfragen an.
	//
	// Gewünschter Betreuungsbeginn: 01.08.2027
	// Betreuungsumfang: 35 Stunden pro Woche
	//
	// Sie haben folgende Kitas in dieser Reihenfolge gewählt:
	//   1. Ev. Kita Arche Noah, Kirchstraße 3, 44787 Bochum
	//   2. Kita Regenbogen, Hattinger Straße 12, 44789 Bochum
	//
	// Eine Voranmeldung ist noch keine Platzzusage. Wenn eine Kita Ihnen einen
	// Platz anbieten kann, meldet sie sich bei Ihnen, in der Regel acht Wochen,
	// spätestens sechs Wochen vor dem gewünschten Beginn. Sobald Sie einen
	// Betreuungsvertrag unterschrieben haben, ziehen wir Ihre übrigen
	// Voranmeldungen automatisch zurück.
	//
	// Mit freundlichen Grüßen
	// Ihr Jugendamt
}

// A family asks for Kindertagespflege in Wattenscheid beside a Kita: the
// request goes at once to that district's Fachberatung.
func ExampleService_Submit_tagespflege() {
	svc, st := exampleService()
	ctx := context.Background()
	rc, err := svc.Submit(ctx, access.NewGuardian("u-18", "family-18"), "family-18", registration.Input{
		Child:       registration.ChildInput{GivenName: "Emil", FamilyName: "Yılmaz", BirthDate: date.New(2025, time.September, 2)},
		Guardians:   []registration.GuardianInput{{GivenName: "Deniz", FamilyName: "Yılmaz", Email: "deniz@example.org", Phone: "+49234555123", Language: "de", Working: true}},
		Address:     geo.Address{Street: "Hochstraße", HouseNumber: "9", PostalCode: "44866", City: "Bochum"},
		Start:       date.New(2027, time.August, 1),
		Hours:       45,
		Kitas:       []string{"BO-001"},
		Tagespflege: &registration.TagespflegeWish{District: "II"},
		Consent:     true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	refs, _ := st.Tagespflege().Referrals(ctx, "II", 0, 0)
	fmt.Println("referrals in Wattenscheid:", len(refs), "for", refs[0].Reference, refs[0].Status())
	msgs, _ := st.Outbox().Messages(ctx, refs[0].ID)
	fmt.Println("To:", msgs[0].To)
	fmt.Println("Subject:", msgs[0].Title)
	fmt.Println("family confirmed:", rc.Application.Status())
	// Output:
	// referrals in Wattenscheid: 1 for BO-2027-000001 open
	// To: tagespflege-II@bochum.example
	// Subject: Vermittlungsanfrage Kindertagespflege BO-2027-000001 (Stadtbezirk Wattenscheid)
	// family confirmed: confirmed
}
