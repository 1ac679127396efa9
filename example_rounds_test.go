package kitaportal_test

import (
	"context"
	"fmt"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal"
	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// Example_checkBeforePublishing runs a round as a dry run, looks at the
// families whose outcome changed, publishes exactly that dry run and
// shows a family its position on each of its Kitas' lists.
func Example_checkBeforePublishing() {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	portal, parent, id, err := lotteRegistered(ctx, &now)
	if err != nil {
		fmt.Println(err)
		return
	}

	now = time.Date(2027, time.February, 1, 9, 0, 0, 0, time.UTC)
	jugendamt := access.NewJugendamt("ja-1")
	draft, err := portal.Registrations.DryRun(ctx, jugendamt, "2027/2028", app.RoundOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("placed:", draft.Result.Statistics.Placed, "changed families:", len(draft.Changes))
	for _, c := range draft.Changes {
		fmt.Printf("%s: %q -> %s\n", c.FamilyID, c.Before, c.After)
	}
	report, err := portal.Registrations.Publish(ctx, jugendamt, draft.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, _ := portal.Registrations.Publish(ctx, jugendamt, draft.ID)
	fmt.Println("offers:", report.Offers, "again:", again.Offers)

	pos, err := portal.Registrations.Positions(ctx, parent, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pos.Positions {
		fmt.Printf("%s: rank %d, last admitted rank %d, placed %v\n", p.Facility, p.Rank, p.LastAdmitted, p.Placed)
	}
	// Output:
	// placed: 1 changed families: 1
	// family-4711: "" -> BO-002
	// offers: 1 again: 1
	// BO-002: rank 1, last admitted rank 1, placed true
	// BO-009: rank 1, last admitted rank 0, placed false
}

// lotteRegistered opens a portal on Bochum's profile and sample data
// whose clock reads *now, and registers Lotte (born 14 May 2024) for
// BO-002 and BO-009 from August 2027. It returns the portal, her guardian
// and her application's id.
func lotteRegistered(ctx context.Context, now *time.Time) (*kitaportal.Portal, access.Actor, string, error) {
	profile, _ := bochum.Profile()
	catalogue, _ := bochum.Catalogue() // sample data
	portal, err := kitaportal.Open(ctx, kitaportal.Config{
		Profile: profile, Catalogue: catalogue, Transport: notify.NewMemoryTransport(),
		Clock: func() time.Time { return *now },
	})
	if err != nil {
		return nil, access.Actor{}, "", err
	}
	parent := access.NewGuardian("user-4711", "family-4711")
	receipt, err := portal.Registrations.Submit(ctx, parent, registration.Input{
		Child:     registration.ChildInput{GivenName: "Lotte", FamilyName: "Weiß", BirthDate: date.New(2024, time.May, 14)},
		Guardians: []registration.GuardianInput{{GivenName: "Eva", FamilyName: "Weiß", Email: "eva@example.org", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
		Start:     date.New(2027, time.August, 1), Hours: 35, Kitas: []string{"BO-002", "BO-009"}, Consent: true,
	})
	if err != nil {
		return nil, access.Actor{}, "", err
	}
	return portal, parent, receipt.Application.ID, nil
}
