package tagespflege_test

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/rickb777/date"
)

// A Voranmeldung with Kindertagespflege creates a referral; the Fachberatung
// contacts the family and places the child.
func Example() {
	created := time.Date(2026, time.February, 2, 10, 15, 0, 0, time.UTC)
	r := tagespflege.NewReferral("ref-1", "app-1", "fam-1", "KP-2026-00042", "mitte", created)

	_ = r.MarkContacted(created.Add(48*time.Hour), "fb-mitte-1", "Termin vereinbart")
	_ = r.Place("minder-7", date.New(2026, time.August, 1), created.Add(14*24*time.Hour), "fb-mitte-1")

	fmt.Println(r.Reference, r.Status(), r.MinderID(), r.Start(), "version", r.Version())
	for _, e := range r.History() {
		fmt.Println(e.At.Format(time.DateOnly), e.Status, cmp.Or(e.Actor, "(portal)"))
	}
	// Output:
	// KP-2026-00042 placed minder-7 2026-08-01 version 1
	// 2026-02-02 open (portal)
	// 2026-02-04 contacted fb-mitte-1
	// 2026-02-16 placed fb-mitte-1
}

// The Fachberatung places a child with a minder who has one free place;
// a second placement with her is refused.
func ExampleService_Place() {
	ctx := context.Background()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	clock := func() time.Time { return time.Date(2026, time.March, 2, 9, 0, 0, 0, berlin) }
	offices, _ := tagespflege.NewOffices([]tagespflege.Office{{
		District: "mitte", Name: "Fachberatung Mitte", Email: "fb-mitte@example.org",
		Address: geo.Address{Street: "Willy-Brandt-Platz", HouseNumber: "2", PostalCode: "44787", City: "Bochum"},
	}})
	store := newFakeStore()
	svc := tagespflege.NewService(store, offices, clock)

	_, err := svc.AddMinder(ctx, tagespflege.Minder{
		ID: "minder-7", Name: "Tagesmutter", District: "mitte",
		Contact:  tagespflege.Contact{Phone: "0234 000000"},
		Address:  geo.Address{Street: "Kortumstraße", HouseNumber: "1", PostalCode: "44787", City: "Bochum"},
		Licence:  tagespflege.Licence{ValidFrom: date.New(2025, time.May, 1), ValidTo: date.New(2030, time.April, 30)},
		Capacity: 1, MaxContracts: 1,
		Ages:  tagespflege.AgeRange{FromMonths: 0, ToMonths: 36},
		Hours: []kita.Hours{35},
	})
	fmt.Println("minder added:", err)
	for _, id := range []string{"ref-1", "ref-2"} {
		_ = store.CreateReferral(ctx, tagespflege.NewReferral(id, "app-"+id, "fam-"+id, "KP-"+id, "mitte", clock()))
	}

	r, err := svc.Place(ctx, "ref-1", "minder-7", date.New(2026, time.August, 1), "fb-mitte-1")
	fmt.Println(r.Status(), r.MinderID(), r.Version(), err)
	free, _ := svc.FreePlaces(ctx, "mitte")
	fmt.Println("free places:", free)

	_, err = svc.Place(ctx, "ref-2", "minder-7", date.New(2026, time.August, 1), "fb-mitte-2")
	fmt.Println(err)

	r, _ = svc.Close(ctx, "ref-1", "fb-mitte-1", tagespflege.PlacedElsewhere)
	free, _ = svc.FreePlaces(ctx, "mitte")
	fmt.Println(r.Status(), r.CloseReason(), "free places:", free)
	// Output:
	// minder added: <nil>
	// placed minder-7 2 <nil>
	// free places: 0
	// tagespflege: minder has no free place
	// closed placed_elsewhere free places: 1
}
