package kitaportal_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal"
	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
)

// bochumYear opens a portal with Bochum's profile and sample catalogue and
// registers n children with up to five Kitas each, as in a Bochum year.
func bochumYear(b *testing.B, cfg kitaportal.Config, n int) *kitaportal.Portal {
	b.Helper()
	ctx := context.Background()
	profile, err := bochum.Profile()
	if err != nil {
		b.Fatal(err)
	}
	cat, err := bochum.Catalogue()
	if err != nil {
		b.Fatal(err)
	}
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, berlin)
	cfg.Profile, cfg.Catalogue, cfg.Clock = profile, cat, func() time.Time { return clock }
	cfg.Transport = notify.NewMemoryTransport()
	p, err := kitaportal.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	start := date.New(2027, time.August, 1)
	kitas := cat.All()
	for i := range n {
		birth := start.AddDate(0, -(12 + r.IntN(40)), -r.IntN(28))
		var choices []string
		want := 1 + r.IntN(5)
		for _, j := range r.Perm(len(kitas)) {
			k := kitas[j]
			if k.Takes(kita.AgeOn(birth, start).InMonths()) && k.TakesBand(kita.BandOn(birth, start)) && k.Hours.Allows(35) {
				choices = append(choices, k.ID)
			}
			if len(choices) == want {
				break
			}
		}
		family := fmt.Sprintf("F%05d", i)
		_, err := p.Registrations.Submit(ctx, access.NewGuardian("g", family), registration.Input{
			Child:     registration.ChildInput{GivenName: fmt.Sprintf("Kind %d", i), FamilyName: "Beispiel", BirthDate: birth},
			Guardians: []registration.GuardianInput{{GivenName: "Eva", FamilyName: "Beispiel", Email: "eva@beispiel.example", Language: "de", Working: true}},
			Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
			Start:     start, Hours: 35, Kitas: choices, Consent: true,
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// BenchmarkRoundBochum runs the main allocation round of a Bochum year
// (8,861 applications, 190 Kitas, 11,435 places) through the service: a
// dry run (read the applications and places, allocate under Bochum's
// policy, explain the changes, store the draft), then its publication
// (an offer, place taken and message queued, on every placed application). With
// KITAPORTAL_POSTGRES_URL set it runs against PostgreSQL too. A round is
// published once: run it with -benchtime 1x (further iterations are later
// rounds over what is left open).
func BenchmarkRoundBochum(b *testing.B) {
	run := func(b *testing.B, cfg kitaportal.Config) {
		p := bochumYear(b, cfg, 8861)
		ctx := context.Background()
		b.ReportAllocs()
		var offers, round int
		for b.Loop() {
			// A round is published once: later iterations are later rounds
			// (with what is left open), so use -benchtime 1x for the main one.
			round++
			rep, err := p.Registrations.RunRound(ctx, access.SystemActor, "2027/2028",
				app.RoundOptions{Round: round})
			if err != nil {
				b.Fatal(err)
			}
			if round == 1 {
				offers = rep.Offers
			}
		}
		b.ReportMetric(float64(offers), "offers")
	}
	onBackends(b, run)
}

// onBackends runs a benchmark in memory and, with KITAPORTAL_POSTGRES_URL
// set, on PostgreSQL in a schema of its own.
func onBackends(b *testing.B, run func(b *testing.B, cfg kitaportal.Config)) {
	b.Run("memory", func(b *testing.B) { run(b, kitaportal.Config{}) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv("KITAPORTAL_POSTGRES_URL")
		if base == "" {
			b.Skip("set KITAPORTAL_POSTGRES_URL to run against PostgreSQL")
		}
		schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			b.Fatal(err)
		}
		// The schema is dropped after the store is closed (cleanups run
		// last registered first), on the connection that made it.
		b.Cleanup(func() {
			_, _ = conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			_ = conn.Close(context.Background())
		})
		if _, err := conn.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
			b.Fatal(err)
		}
		u, err := url.Parse(base)
		if err != nil {
			b.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		pg, err := postgres.Open(context.Background(), u.String())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(pg.Close)
		run(b, kitaportal.Config{Store: pg})
	})
}

// BenchmarkDryRunBochum runs the main round of a Bochum year (8,861
// applications) as a dry run through the service: read, allocate, compare
// with the previous dry run, explain every changed child's positions
// (allocation.PositionsOf) and store the draft. The first iteration has no
// earlier dry run, so every placed child is a change and is explained: run
// it with -benchtime 1x for that case; later iterations are repeated dry
// runs with nothing changed.
func BenchmarkDryRunBochum(b *testing.B) {
	onBackends(b, func(b *testing.B, cfg kitaportal.Config) {
		p := bochumYear(b, cfg, 8861)
		ctx := context.Background()
		b.ReportAllocs()
		changes := 0
		for b.Loop() {
			d, err := p.Registrations.DryRun(ctx, access.SystemActor, "2027/2028", app.RoundOptions{})
			if err != nil {
				b.Fatal(err)
			}
			changes = max(changes, len(d.Changes))
		}
		b.ReportMetric(float64(changes), "changes")
	})
}
