package registration_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// BenchmarkRoundInstanceBochum builds the engine's input of a Bochum main
// round from the stored applications and allocates it: 8,861 applications
// for 190 Kitas with 11,435 places, 5 % of the children twins kept
// together and 5 % siblings of the same Kita year. The store's reads and
// the offers' writes are not included (see BenchmarkRoundBochum).
func BenchmarkRoundInstanceBochum(b *testing.B) {
	cat, err := bochum.Catalogue()
	if err != nil {
		b.Fatal(err)
	}
	const year = "2027/2028"
	res := benchRoundInstance(b, cat, bochumRoundApps(cat.All(), year, 8861), year)
	b.ReportMetric(float64(res.Statistics.Together), "families_together")
}

// benchRoundInstance measures building the engine's input of a round of
// apps over the catalogue's places with Bochum's profile, and allocating
// it; it returns the last result.
func benchRoundInstance(b *testing.B, cat *kita.Catalogue, apps []registration.Application, year string) allocation.Result {
	profile, err := bochum.Profile()
	if err != nil {
		b.Fatal(err)
	}
	chk, err := registration.NewChecker(registration.Config{Rules: profile.Registration, Catalogue: cat,
		Districts: profile.Districts, Offices: profile.Offices, Templates: notify.DefaultTemplates()})
	if err != nil {
		b.Fatal(err)
	}
	ledger := registration.PlacesOf(year, cat.All())
	opts := registration.RoundOptions{Round: 1, Policy: profile.Policy, Mechanism: profile.Mechanism}
	b.ReportAllocs()
	var res allocation.Result
	for b.Loop() {
		inst := chk.Instance(apps, ledger, opts)
		if res, err = registration.Allocate(inst, opts.Mechanism); err != nil {
			b.Fatal(err)
		}
	}
	return res
}

// bochumRoundApps are n confirmed applications of families choosing up to
// five Kitas that take their child; every twentieth family has twins kept
// together, every twentieth another a sibling of the same Kita year.
func bochumRoundApps(kitas []kita.Kita, year string, n int) []registration.Application {
	r := rand.New(rand.NewPCG(13, 2027))
	start := date.New(2027, time.August, 1)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	apps := make([]registration.Application, 0, n)
	add := func(family string, birth date.Date, together bool, choices []string) {
		a := registration.Application{ID: fmt.Sprintf("a%05d", len(apps)), FamilyID: family, Year: year,
			Child: registration.Child{BirthDate: birth}, Start: start, Hours: 35, Together: together,
			Guardians: []registration.Guardian{{Working: r.IntN(100) < 75}}, SubmittedAt: at.Add(time.Duration(len(apps)) * time.Minute)}
		for i, k := range choices {
			a.Choices = append(a.Choices, registration.Choice{Rank: i + 1, KitaID: k, Status: registration.Waiting})
		}
		apps = append(apps, registration.Rehydrate(a, registration.Lifecycle{Status: registration.Confirmed}))
	}
	pick := func(birth date.Date) []string {
		var out []string
		want := 1 + r.IntN(5)
		for _, j := range r.Perm(len(kitas)) {
			k := kitas[j]
			if k.Takes(kita.AgeOn(birth, start).InMonths()) && k.TakesBand(kita.BandOn(birth, start)) && k.Hours.Allows(35) {
				out = append(out, k.ID)
			}
			if len(out) == want {
				break
			}
		}
		return out
	}
	for f := 0; len(apps) < n; f++ {
		family := fmt.Sprintf("F%05d", f)
		birth := start.AddDate(0, -(12 + r.IntN(40)), -r.IntN(28))
		choices := pick(birth)
		switch x := r.IntN(40); {
		case x < 1 && n-len(apps) >= 2: // twins: 2 children in 40 families of about 42 children
			add(family, birth, true, choices)
			add(family, birth, true, choices)
		case x < 2 && n-len(apps) >= 2:
			add(family, birth, false, choices)
			sib := birth.AddDate(0, 14, 0)
			add(family, sib, false, pick(sib))
		default:
			add(family, birth, false, choices)
		}
	}
	return apps
}
