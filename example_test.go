package kitaportal_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rickb777/date"
	"github.com/shopspring/decimal"

	"github.com/kitaportal/kitaportal"
	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// Open wires Bochum's profile, the sample catalogue, the in-memory store and
// a transport into a portal; a family registers, the dispatcher delivers
// the confirmation, and a sixth Kita is refused with a message in German
// and English.
func ExampleOpen() {
	ctx := context.Background()
	profile, _ := bochum.Profile()
	catalogue, _ := bochum.Catalogue() // sample data
	mail := notify.NewMemoryTransport()
	portal, err := kitaportal.Open(ctx, kitaportal.Config{
		Profile: profile, Catalogue: catalogue, Transport: mail,
		Clock: func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	parent := access.NewGuardian("user-4711", "family-4711")
	in := registration.Input{
		Child:     registration.ChildInput{GivenName: "Lotte", FamilyName: "Weiß", BirthDate: date.New(2024, time.May, 14)},
		Guardians: []registration.GuardianInput{{GivenName: "Eva", FamilyName: "Weiß", Email: "eva@example.org", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
		Start:     date.New(2027, time.August, 1),
		Hours:     35,
		Kitas:     []string{"BO-002", "BO-009", "BO-014"},
		Consent:   true,
	}
	receipt, err := portal.Registrations.Submit(ctx, parent, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(receipt.Application.Reference, receipt.Application.Status())
	if _, err := portal.Dispatcher.RunOnce(ctx); err != nil {
		fmt.Println(err)
	}
	for _, m := range mail.Sent() {
		fmt.Println("sent:", m.Title)
	}

	in.Kitas = []string{"BO-001", "BO-002", "BO-003", "BO-004", "BO-005", "BO-006"}
	in.Child.GivenName = "Paul"
	_, err = portal.Registrations.Submit(ctx, parent, in)
	var problems problem.List
	if errors.As(err, &problems) {
		for _, p := range problems {
			if p.Code == "registration.too_many_choices" {
				fmt.Println(p.Field, p.Code)
				fmt.Println("de:", portal.Translator.Message(p, "de"))
				fmt.Println("en:", portal.Translator.Message(p, "en"))
			}
		}
	}
	// Output:
	// BO-2027-000001 confirmed
	// sent: Eingangsbestätigung Ihrer Voranmeldung BO-2027-000001
	// kitas registration.too_many_choices
	// de: Sie können höchstens 5 Kitas wählen.
	// en: You can choose at most 5 Kitas.
}

// A Kita year's flow through the portal: a family registers, the
// Jugendamt runs the allocation round (the places come from the catalogue),
// the family accepts the offer, the contract is generated and the family
// reads the messages it received.
func Example_flow() {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	portal, parent, id, err := lotteRegistered(ctx, &now)
	if err != nil {
		fmt.Println(err)
		return
	}

	now = time.Date(2027, time.February, 1, 9, 0, 0, 0, time.UTC)
	round, err := portal.Registrations.RunRound(ctx, access.NewJugendamt("ja-1"), "2027/2028", app.RoundOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("offers:", round.Offers)
	a, err := portal.Registrations.Accept(ctx, parent, id)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Status(), a.Offer().KitaID)
	ct, err := portal.Contracts.Generate(ctx, parent, app.ContractRequest{ApplicationID: id, Income: decimal.NewFromInt(42000)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("contract:", ct.Number())
	if _, err := portal.Dispatcher.RunOnce(ctx); err != nil {
		fmt.Println(err)
	}
	msgs, err := portal.Registrations.Messages(ctx, parent, "family-4711")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range msgs {
		fmt.Println(m.Kind, m.Sent, m.Subject)
	}
	// Output:
	// offers: 1
	// accepted BO-002
	// contract: BO-2027-000001-V
	// confirmation true Eingangsbestätigung Ihrer Voranmeldung BO-2027-000001
	// offer true Platzangebot für Lotte Weiß (BO-2027-000001)
	// contract_ready true Ihr Betreuungsvertrag für Lotte Weiß liegt bereit (BO-2027-000001)
}
