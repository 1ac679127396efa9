package notify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/notify/internal/fakeoutbox"
)

func ExampleTemplates_Render() {
	subject, body, err := notify.DefaultTemplates().Render(notify.Confirmation, "de", notify.ConfirmationData{
		Reference: "BO-2021-000123",
		ChildName: "Mia Schäfer",
		StartDate: notify.DateOf(2021, time.August, 1),
		Hours:     35,
		Kitas: []notify.KitaLine{
			{Rank: 1, Name: "Kita Sonnenblume", Address: "Hustadtring 12, 44801 Bochum"},
			{Rank: 2, Name: "Ev. Kita Regenbogen", Address: "Wittener Straße 40, 44789 Bochum"},
		},
		Tagespflege: &notify.ReferralLine{
			District: "Süd",
			Office: notify.Contact{
				Name:  "Fachberatung Kindertagespflege Bochum-Süd",
				Email: "tagespflege-sued@bochum.example",
				Phone: "0234 910-0000",
			},
		},
		ShortNotice:  true,
		NoticeMonths: 6,
		NoticeBasis:  "§ 5 KiBiz",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(subject)
	fmt.Println()
	fmt.Print(body)
	// Output:
	// Eingangsbestätigung Ihrer Voranmeldung BO-2021-000123
	//
	// Guten Tag,
	//
	// vielen Dank für Ihre Voranmeldung für Mia Schäfer. Sie ist bei uns
	// eingegangen und hat die Nummer BO-2021-000123. Bitte geben Sie diese Nummer
	// bei allen Rückfragen an.
	//
	// Gewünschter Betreuungsbeginn: 01.08.2021
	// Betreuungsumfang: 35 Stunden pro Woche
	//
	// Sie haben folgende Kitas in dieser Reihenfolge gewählt:
	//   1. Kita Sonnenblume, Hustadtring 12, 44801 Bochum
	//   2. Ev. Kita Regenbogen, Wittener Straße 40, 44789 Bochum
	//
	// Außerdem wünschen Sie einen Platz in der Kindertagespflege im Stadtbezirk
	// Süd. Wir haben Ihre Anfrage an die Fachberatung Kindertagespflege
	// weitergeleitet; sie meldet sich bei Ihnen. So erreichen Sie sie:
	//
	//   Fachberatung Kindertagespflege Bochum-Süd
	//   E-Mail: tagespflege-sued@bochum.example
	//   Telefon: 0234 910-0000
	//
	// Bitte beachten Sie: Bis zum gewünschten Beginn sind es weniger als 6
	// Monate. Eltern sollen ihren Bedarf mindestens 6 Monate vorher
	// anmelden (§ 5 KiBiz). Wir bemühen uns trotzdem um einen Platz,
	// können ihn aber nicht zusagen.
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

func ExampleDispatcher() {
	ctx := context.Background()
	now := time.Date(2021, time.February, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	// Any notify.Outbox: memory.New().Outbox() or the PostgreSQL adapter.
	outbox := fakeoutbox.New()
	msg, err := notify.DefaultTemplates().Compose(notify.Draft{
		ID:      "0190f1a0-0000-7000-8000-000000000001",
		Kind:    notify.Withdrawal,
		Subject: "app-1",
		To:      "eltern@example.org",
		Lang:    "en",
		Data: notify.WithdrawalData{
			Reference:   "BO-2021-000123",
			ChildName:   "Mia",
			WithdrawnOn: notify.DateOf(2021, time.February, 1),
		},
	}, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := outbox.Enqueue(ctx, msg); err != nil {
		fmt.Println(err)
		return
	}

	transport := notify.NewMemoryTransport()
	transport.SetDown(true) // the mail server is down
	d := notify.NewDispatcher(outbox, transport, notify.DispatcherOptions{Clock: clock})
	report, _ := d.RunOnce(ctx)
	fmt.Printf("outage: %+v\n", report)

	stored, _ := outbox.Message(ctx, msg.ID)
	fmt.Println(stored.Status, stored.Attempts, stored.LastError, stored.NextAttempt.Sub(now).Round(time.Second))

	transport.SetDown(false) // back up; an hour later the retry is due
	now = now.Add(time.Hour)
	report, _ = d.RunOnce(ctx)
	fmt.Printf("retry: %+v\n", report)
	for _, m := range transport.Sent() {
		fmt.Println(m.Title)
	}
	// Output:
	// outage: {Sent:0 Retried:1 Failed:0 Lost:0}
	// pending 1 transport.unavailable 58s
	// retry: {Sent:1 Retried:0 Failed:0 Lost:0}
	// Your pre-registration BO-2021-000123 has been withdrawn
}
