package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
)

// benchT0 is the benchmarks' fixed instant.
var benchT0 = time.Date(2026, time.November, 25, 9, 0, 0, 0, time.UTC)

// bochumYear is how many applications Bochum receives for one Kita year,
// and bochumKitas how many Kitas they choose from.
const (
	bochumYear  = 8861
	bochumKitas = 180
)

// benchApp returns a realistic application (about 2 KB of JSON): two
// guardians, five choices, criteria, flags and a history of two events.
func benchApp(n int) registration.Application {
	id := fmt.Sprintf("0194f3a2-7c1e-7b3d-9a2f-%012d", n)
	a := registration.Application{
		ID:        id,
		Reference: fmt.Sprintf("BO-2027-%06d", n),
		FamilyID:  fmt.Sprintf("0194f3a2-0000-7000-8000-%012d", n),
		Year:      "2027/2028",
		Child:     registration.Child{GivenName: "Marie-Sophie", FamilyName: "Kowalczyk-Schneider", BirthDate: date.New(2024, time.February, 29)},
		Guardians: []registration.Guardian{
			{GivenName: "Anna-Katharina", FamilyName: "Kowalczyk-Schneider", Email: "anna.kowalczyk-schneider@example.org", Phone: "+49 234 5678901", Language: "de", Working: true},
			{GivenName: "Jürgen", FamilyName: "Schneider", Email: "juergen.schneider@example.org", Phone: "+49 170 1234567", Language: "de", Working: true},
		},
		Address:   geo.Address{Street: "Königsallee", HouseNumber: "112a", PostalCode: "44789", City: "Bochum"},
		District:  "bochum-sued",
		Start:     date.New(2027, time.August, 1),
		Hours:     45,
		Criteria:  registration.Criteria{SiblingKitaIDs: []string{benchKita(n)}, SingleParent: false, Hardship: n%50 == 0, HardshipReason: "medical"},
		ConsentAt: benchT0,
		Flags:     []registration.Flag{registration.FlagShortNotice},
		ChildKey:  fmt.Sprintf("%064x", n),
		// The idempotency key a browser sends with the form.
		IdempotencyKey: fmt.Sprintf("form-%d-0194f3a2-7c1e-7b3d", n),
		SubmittedAt:    benchT0.Add(time.Duration(n) * time.Millisecond),
		UpdatedAt:      benchT0.Add(time.Duration(n) * time.Millisecond),
	}
	a = registration.Rehydrate(a, registration.Lifecycle{Status: registration.Confirmed, History: []registration.Event{
		{At: benchT0, Actor: "family:" + id, To: registration.Submitted},
		{At: benchT0, Actor: "family:" + id, From: registration.Submitted, To: registration.Confirmed, Reason: "confirmation_issued"},
	}})
	for r := range 5 {
		a.Choices = append(a.Choices, registration.Choice{Rank: r + 1, KitaID: benchKita(n + 37*r), Status: registration.Waiting, Carrier: fmt.Sprintf("carrier-%02d", (n+r)%12)})
	}
	return a
}

func benchKita(n int) string { return fmt.Sprintf("kita-%03d", n%bochumKitas) }

func benchMessage(a registration.Application) notify.Message {
	return notify.Message{
		ID: "msg-" + a.ID, Kind: notify.Confirmation, Subject: a.ID, FamilyID: a.FamilyID,
		To: a.Guardians[0].Email, ToName: a.Guardians[0].GivenName + " " + a.Guardians[0].FamilyName, Lang: "de",
		Title:  "Eingangsbestätigung Ihrer Voranmeldung " + a.Reference,
		Body:   "Guten Tag,\n\nwir haben Ihre Voranmeldung für einen Platz in der Kindertagesbetreuung erhalten.\n",
		Status: notify.Pending, CreatedAt: benchT0, NextAttempt: benchT0,
	}
}

// BenchmarkSubmit measures submissions per second with 8 concurrent
// clients, each submission as app.Registrations.Submit stores it: the
// reference number drawn outside the step (DrawNumber), and one atomic
// step that looks the family's idempotency key up and reads the child's
// applications of the Kita year (the review across families) and the
// family's in one batch (registration.SubmissionReader), then writes
// the application, its confirmation and its audit entry
// (registration.SubmissionWriter; concurrent steps commit together). The reference numbers are
// drawn one statement each, and from blocks of 16 (postgres.NumberBlock).
func BenchmarkSubmit(b *testing.B) {
	for _, tc := range []struct {
		name  string
		block int
	}{{"one_number_per_draw", 1}, {"numbers_in_blocks_of_16", 16}} {
		b.Run(tc.name, func(b *testing.B) { benchmarkSubmit(b, tc.block) })
	}
}

func benchmarkSubmit(b *testing.B, block int) {
	db := newTestDB(b)
	const clients = 8
	schema := db.schemas[db.store(b, 1)]
	st := db.openWith(b, schema, clients, nil, postgres.NumberBlock(block))
	s := st.Registrations()
	if doc, _ := json.Marshal(benchApp(1)); len(doc) < 1500 {
		b.Fatalf("document of %d bytes, want about 2 KB", len(doc))
	}
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism((clients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			a := benchApp(int(next.Add(1)))
			seq, err := st.DrawNumber(ctx, "BO-2027")
			if err != nil {
				b.Error(err)
				return
			}
			a.Reference = fmt.Sprintf("BO-2027-%06d", seq)
			err = s.Atomic(ctx, func(tx registration.Tx) error {
				_, found, _, _, err := tx.(registration.SubmissionReader).SubmissionReads(ctx, a.FamilyID, a.IdempotencyKey, a.ChildKey, a.Year)
				if err != nil {
					return err
				}
				if found {
					return errors.New("the key is stored already")
				}
				audit := []registration.AuditEntry{{At: a.SubmittedAt, Actor: "guardian:g1", Action: registration.AuditSubmit, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "voranmeldung"}}
				return tx.(registration.SubmissionWriter).InsertSubmission(ctx, a, []notify.Message{benchMessage(a)}, audit)
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "submissions/s")
}

// BenchmarkRoundOffers measures the writing of an allocation round's offers
// for a Bochum year: 8,861 applications, in steps of 500 as
// app.Registrations.RunRound writes them; each offer reads the
// application, takes a place and updates the application.
func BenchmarkRoundOffers(b *testing.B) {
	db := newTestDB(b)
	st := db.store(b, 4)
	s := st.Registrations()
	ctx := context.Background()
	var places []registration.Places
	for k := range bochumKitas {
		for _, band := range []kita.Band{kita.Under3, kita.From3} {
			places = append(places, registration.Places{PlaceKey: registration.PlaceKey{KitaID: benchKita(k), Year: "2027/2028", Band: band}, Capacity: 1 << 30})
		}
	}
	if err := s.SetPlaces(ctx, places...); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, bochumYear)
	for start := 0; start < bochumYear; start += 500 {
		err := s.Atomic(ctx, func(tx registration.Tx) error {
			for n := start; n < min(start+500, bochumYear); n++ {
				a := benchApp(n)
				ids[n] = a.ID
				if err := tx.Insert(ctx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	const batch = 500
	// prefetcher is the optional capability of the adapter's Tx that reads
	// a batch of applications in one round trip.
	type prefetcher interface {
		ApplicationsByID(ctx context.Context, ids []string) ([]registration.Application, error)
	}
	round := 0
	offer := func(tx registration.Tx, a registration.Application) error {
		at := benchT0.Add(time.Duration(round) * time.Hour)
		k := a.Choices[round%len(a.Choices)].KitaID
		band := kita.From3
		if round%2 == 0 {
			band = kita.Under3
		}
		if err := tx.TakePlace(ctx, registration.PlaceKey{KitaID: k, Year: a.Year, Band: band}); err != nil {
			return err
		}
		l := a.Lifecycle()
		l.Status = registration.Offered
		l.Offer = &registration.Offer{KitaID: k, Band: band, Round: round, At: at, RespondBy: date.New(2027, time.March, 1)}
		l.History = append(l.History, registration.Event{At: at, Actor: "system:round", From: registration.Confirmed, To: registration.Offered, Reason: "allocation"})
		a = registration.Rehydrate(a, l)
		a.UpdatedAt = at
		return tx.Update(ctx, a)
	}
	for _, prefetch := range []bool{false, true} {
		name := "one_by_one"
		if prefetch {
			name = "prefetched"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				round++
				for start := 0; start < len(ids); start += batch {
					chunk := ids[start:min(start+batch, len(ids))]
					err := s.Atomic(ctx, func(tx registration.Tx) error {
						if p, ok := tx.(prefetcher); ok && prefetch {
							apps, err := p.ApplicationsByID(ctx, chunk)
							if err != nil {
								return err
							}
							for _, a := range apps {
								if err := offer(tx, a); err != nil {
									return err
								}
							}
							return nil
						}
						for _, id := range chunk {
							a, err := tx.Application(ctx, id)
							if err != nil {
								return err
							}
							if err := offer(tx, a); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/round")
			b.ReportMetric(float64(bochumYear*b.N)/b.Elapsed().Seconds(), "offers/s")
		})
	}
}
