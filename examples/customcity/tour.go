package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rickb777/date"
	"github.com/shopspring/decimal"

	"github.com/kitaportal/kitaportal"
	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// The days of the tour. They are fixed so that the output is the same on
// every run; only their wall-clock fields count, read in the city's time
// zone (clock.at). The rules come from the city's files.
var (
	firstDay    = time.Date(2026, time.November, 10, 9, 0, 0, 0, time.UTC)
	lastDay     = time.Date(2027, time.February, 20, 18, 0, 0, 0, time.UTC)
	roundDay    = time.Date(2027, time.March, 15, 9, 0, 0, 0, time.UTC)
	answerDay   = time.Date(2027, time.March, 18, 10, 0, 0, 0, time.UTC)
	contractDay = time.Date(2027, time.April, 6, 10, 0, 0, 0, time.UTC)
	// wantedStart is the start the sample families ask for: 1 September 2027,
	// the first day of the Kita year that follows the tour's first day.
	wantedStart = date.New(2027, time.September, 1)
)

// clock is the tour's time, safe for concurrent use.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time) { c.ns.Store(t.UnixNano()) }
func (c *clock) at(t time.Time, loc *time.Location) {
	c.set(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc))
}

// tour walks through the city's year.
type tour struct {
	o         options
	c         city
	portal    *kitaportal.Portal
	transport *notify.MemoryTransport
	clock     *clock
	out       io.Writer
	jugendamt access.Actor
	r         *rand.Rand
}

func newTour(ctx context.Context, o options, c city, out io.Writer) (*tour, error) {
	clk := &clock{}
	clk.at(firstDay, c.profile.Location)
	var n atomic.Int64
	transport := notify.NewMemoryTransport()
	portal, err := kitaportal.Open(ctx, kitaportal.Config{
		Profile: c.profile, Catalogue: c.catalogue, Transport: transport, Clock: clk.now,
		NewID: func() string { return fmt.Sprintf("ms-%08d", n.Add(1)) },
	})
	if err != nil {
		return nil, fmt.Errorf("opening the portal:\n%s", explain(err))
	}
	return &tour{
		o: o, c: c, portal: portal, transport: transport, clock: clk, out: out,
		jugendamt: access.NewJugendamt("jugendamt-musterstadt"), r: rand.New(rand.NewPCG(o.seed, 1)),
	}, nil
}

func (t *tour) printf(format string, args ...any) { fmt.Fprintf(t.out, format, args...) }

func (t *tour) heading(s string) { t.printf("\n== %s ==\n", s) }

func day(d date.Date) string { return contract.FormatDate(d, contract.German) }

func (t *tour) today() date.Date { return date.NewAt(t.clock.now().In(t.c.profile.Location)) }

func (t *tour) run(ctx context.Context) error {
	t.showProfile()
	t.showCalendar()
	app, err := t.registerFamily(ctx)
	if err != nil {
		return err
	}
	if err := t.showRejections(ctx, app); err != nil {
		return err
	}
	if err := t.registerOthers(ctx); err != nil {
		return err
	}
	if err := t.allocate(ctx); err != nil {
		return err
	}
	return t.contract(ctx, app)
}

// showProfile prints the rules as read from the files.
func (t *tour) showProfile() {
	p := t.c.profile
	r := p.Registration
	t.printf("%s, profile from %s\n", p.Name, t.c.source)
	t.printf("city code: %s\n", r.CityCode)
	t.printf("Kita year from: %s\n", r.Calendar.YearStart)
	t.printf("school entry: children who turn %d by %s start school on %s\n", r.Calendar.SchoolAge, r.Calendar.SchoolCutoff, r.Calendar.SchoolStart)
	t.printf("weekly hours: %s\n", r.Hours)
	t.printf("Kitas per application: at most %d\n", r.MaxChoices)
	if r.Tagespflege {
		t.printf("Kindertagespflege: for children under %d\n", r.TagespflegeMaxAge)
	} else {
		t.printf("Kindertagespflege: not offered\n")
	}
	t.printf("allocation deadline: %s before the Kita year\n", r.Deadline)
	var names []string
	for _, d := range p.Districts.All() {
		names = append(names, fmt.Sprintf("%s (%s)", d.Name, d.ID))
	}
	t.printf("districts: %s\n", strings.Join(names, ", "))
	for _, a := range []geo.Address{
		{Street: "Lindenallee", HouseNumber: "12", PostalCode: "99901", City: p.Name},
		{Street: "Lindenallee", HouseNumber: "60", PostalCode: "99901", City: p.Name},
		{Street: "Bahnhofstraße", HouseNumber: "1", PostalCode: "99901", City: p.Name},
	} {
		d, err := p.Districts.Resolve(a)
		switch {
		case err == nil:
			t.printf("  %s %s, %s -> %s\n", a.Street, a.HouseNumber, a.PostalCode, d.Name)
		default:
			t.printf("  %s %s, %s -> undecided (%v), never guessed\n", a.Street, a.HouseNumber, a.PostalCode, err)
		}
	}
	f := p.Contract.Fees
	t.printf("fees: %s\n", f.Name)
	t.printf("  age split %d years, %d fee-free year(s) before school, siblings: %s %s %%\n",
		f.AgeSplit, f.FeeFreeYearsBeforeSchool, f.Siblings, f.SiblingPercent)
	t.printf("policy: %s; mechanism %s\n", describePolicy(p.Policy), p.Mechanism)
	u3, o3 := 0, 0
	for _, k := range t.c.catalogue.All() {
		u3 += k.Capacity.Under3
		o3 += k.Capacity.From3
	}
	t.printf("catalogue: %d Kitas, %d places under 3 and %d from 3 (%s, separator %q, %s coordinates)\n",
		t.c.catalogue.Len(), u3, o3, t.c.layout.File, t.c.layout.Separator, t.c.layout.Coordinates)
	for _, k := range t.c.catalogue.All() {
		d, _ := p.Districts.Get(k.District)
		t.printf("  %s %-26s %-11s %-18s hours %-14s u3 %d, o3 %d\n", k.ID, k.Name, d.Name, k.Carrier.Kind, k.Hours, k.Capacity.Under3, k.Capacity.From3)
	}
}

// describePolicy writes a policy as one line.
func describePolicy(p allocation.Policy) string {
	var parts []string
	for _, c := range p.Criteria {
		if c.Mode == allocation.ModeTier {
			parts = append(parts, c.Kind.String()+" tier")
		} else {
			parts = append(parts, fmt.Sprintf("%s %+d", c.Kind, c.Points))
		}
	}
	return fmt.Sprintf("%s; lottery %s, seed %d", strings.Join(parts, ", "), p.Lottery, p.Seed)
}

// showCalendar computes the Kita year and school entry under the city's calendar.
func (t *tour) showCalendar() {
	cal := t.c.profile.Registration.Calendar
	t.heading("calendar")
	today := t.today()
	t.printf("today: %s, in Kita year %s\n", day(today), cal.YearOf(today).Label())
	y := cal.YearOf(wantedStart)
	t.printf("Kita year of a start on %s: %s, from %s to %s\n", day(wantedStart), y.Label(), day(y.First()), day(y.Last()))
	t.printf("registration for %s closes for the main round after %s\n", y.Label(), day(t.c.profile.Registration.DeadlineOf(y)))
	for _, birth := range []date.Date{date.New(2022, time.June, 30), date.New(2022, time.July, 1)} {
		t.printf("born %s: school entry %s, last Kita day %s\n", day(birth), day(cal.SchoolEntry(birth)), day(cal.KitaEnd(birth)))
	}
}

// family is the family the tour follows.
func family() registration.Input {
	return registration.Input{
		IdempotencyKey: "portal-beispiel-1",
		Child:          registration.ChildInput{GivenName: "Lotta", FamilyName: "Beispiel", BirthDate: date.New(2025, time.May, 14)},
		Guardians: []registration.GuardianInput{
			{GivenName: "Sara", FamilyName: "Beispiel", Email: "sara.beispiel@familie.example", Language: "de", Working: true},
			{GivenName: "Jonas", FamilyName: "Beispiel", Email: "jonas.beispiel@familie.example", Language: "de", Working: true},
		},
		Address:  geo.Address{Street: "Lindenallee", HouseNumber: "12", PostalCode: "99901", City: "Musterstadt"},
		Start:    wantedStart,
		Hours:    30,
		Kitas:    []string{"MS-02", "MS-01", "MS-05"},
		Criteria: registration.CriteriaInput{SiblingKitaIDs: []string{"MS-02"}},
		Consent:  true,
	}
}

// registerFamily registers the Beispiel family and prints its confirmation.
func (t *tour) registerFamily(ctx context.Context) (registration.Application, error) {
	t.heading("a family registers")
	in := family()
	guardian := access.NewGuardian("g-beispiel", "F-BEISPIEL")
	rec, err := t.portal.Registrations.Submit(ctx, guardian, in)
	if err != nil {
		return registration.Application{}, fmt.Errorf("the family's registration:\n%s", explain(err))
	}
	a := rec.Application
	d, _ := t.c.profile.Districts.Get(a.District)
	t.printf("registered: %s, Kita year %s, status %s, district %s\n", a.Reference, a.Year, a.Status(), d.Name)
	if err := t.dispatch(ctx); err != nil {
		return registration.Application{}, err
	}
	// What the family received, as the portal shows it to the family.
	msgs, err := t.portal.Registrations.Messages(ctx, guardian, "F-BEISPIEL")
	if err != nil {
		return registration.Application{}, err
	}
	for _, m := range msgs {
		if m.Kind != notify.Confirmation {
			continue
		}
		t.printf("confirmation to %s: %s\n", m.To, m.Subject)
		lines := strings.Split(strings.TrimSpace(m.Body), "\n")
		for _, l := range lines[:min(len(lines), 13)] {
			t.printf("  | %s\n", l)
		}
		break
	}
	return a, nil
}

// showRejections submits what the city's rules forbid and prints why, in
// German and English.
func (t *tour) showRejections(ctx context.Context, a registration.Application) error {
	t.heading("what the city's rules reject")
	guardian := access.NewGuardian("g-nachbar", "F-NACHBAR")
	base := family()
	base.IdempotencyKey = ""
	base.Child.GivenName, base.Child.FamilyName = "Ben", "Nachbar"
	base.Criteria = registration.CriteriaInput{}

	four := base
	four.Kitas = []string{"MS-02", "MS-01", "MS-05", "MS-08"}
	t.reject(ctx, guardian, "a fourth Kita", four, registration.ErrTooManyChoices)

	hours := base
	hours.Hours = 45
	t.reject(ctx, guardian, "45 hours a week", hours, registration.ErrHoursNotOffered)

	late := base
	late.Start = wantedStart.AddDate(1, 0, 0)
	t.reject(ctx, guardian, "a start two Kita years ahead", late, registration.ErrYearNotAccepted)

	apps, err := t.portal.Registrations.List(ctx, t.jugendamt, registration.Query{Year: a.Year})
	if err != nil {
		return err
	}
	t.printf("stored applications after the rejections: %d\n", len(apps))
	return nil
}

func (t *tour) reject(ctx context.Context, actor access.Actor, what string, in registration.Input, rule error) {
	_, err := t.portal.Registrations.Submit(ctx, actor, in)
	var list problem.List
	if !errors.As(err, &list) {
		t.printf("%s: NOT rejected (%v)\n", what, err)
		return
	}
	t.printf("%s: rejected (%s, rule matched: %t)\n", what, list.Error(), errors.Is(err, rule))
	for _, lang := range []string{"de", "en"} {
		for _, m := range t.portal.Translator.Messages(list, lang) {
			t.printf("  %s: %s\n", lang, m)
		}
	}
}

// home is where the sample families of a district live.
type home struct {
	street, postal string
	at             geo.Point
}

// registerOthers lets further sample families register between the first
// day and the deadline, choosing Kitas near home that take their child.
func (t *tour) registerOthers(ctx context.Context) error {
	t.heading("more families register")
	homes := map[string]home{}
	for _, k := range t.c.catalogue.All() {
		if _, ok := homes[k.District]; !ok {
			homes[k.District] = home{street: k.Address.Street, postal: k.Address.PostalCode, at: k.Location}
		}
	}
	districts := t.c.profile.Districts.All()
	hours := t.c.profile.Registration.Hours
	r := t.r
	n := t.o.families
	gap := lastDay.Sub(firstDay) / time.Duration(max(n, 1))
	t.clock.at(firstDay, t.c.profile.Location)
	for i := range n {
		t.clock.set(t.clock.now().Add(gap))
		d := districts[r.IntN(len(districts))]
		h := homes[d.ID]
		var birth date.Date
		if r.IntN(100) < 50 {
			birth = wantedStart.AddDate(0, -(12 + r.IntN(22)), -r.IntN(28)) // one to almost three years old
		} else {
			birth = wantedStart.AddDate(0, -(37 + r.IntN(20)), -r.IntN(28)) // three to four and a half
		}
		want := hours[r.IntN(len(hours))]
		near := geo.Point{Lat: h.at.Lat + (r.Float64()-0.5)*0.01, Lon: h.at.Lon + (r.Float64()-0.5)*0.01}
		page := t.c.catalogue.Search(kita.Query{Near: &near, Child: &kita.ChildAt{Birth: birth, On: wantedStart}, Hours: want, Limit: 5})
		var kitas []string
		for _, hit := range page.Items {
			if len(kitas) < t.c.profile.Registration.MaxChoices && (len(kitas) == 0 || r.IntN(4) > 0) {
				kitas = append(kitas, hit.Kita.ID)
			}
		}
		if len(kitas) == 0 {
			continue // no Kita offers these hours at this age; the family asks elsewhere
		}
		fam := fmt.Sprintf("F%04d", i+1)
		in := registration.Input{
			IdempotencyKey: "portal-" + fam,
			Child:          registration.ChildInput{GivenName: "Kind", FamilyName: fam, BirthDate: birth},
			Guardians: []registration.GuardianInput{{GivenName: "Elternteil", FamilyName: fam,
				Email: strings.ToLower(fam) + "@familie.example", Language: "de", Working: r.IntN(100) < 75}},
			Address: geo.Address{Street: h.street, HouseNumber: fmt.Sprint(100 + r.IntN(50)), PostalCode: h.postal, City: t.c.profile.Name},
			Start:   wantedStart,
			Hours:   int(want),
			Kitas:   kitas,
			Consent: true,
		}
		if r.IntN(100) < 10 {
			in.Criteria.SiblingKitaIDs = []string{kitas[0]}
		}
		if _, err := t.portal.Registrations.Submit(ctx, access.NewGuardian("g-"+fam, fam), in); err != nil {
			return fmt.Errorf("sample family %d:\n%s", i+1, explain(err))
		}
	}
	if err := t.dispatch(ctx); err != nil {
		return err
	}
	apps, err := t.portal.Registrations.List(ctx, t.jugendamt, registration.Query{Year: t.yearLabel()})
	if err != nil {
		return err
	}
	confirmed := map[string]bool{}
	for _, m := range t.transport.Sent() {
		if m.Kind == notify.Confirmation {
			confirmed[m.Subject] = true
		}
	}
	t.printf("applications for %s: %d, each confirmed at once (%d confirmations)\n", t.yearLabel(), len(apps), len(confirmed))
	return nil
}

func (t *tour) yearLabel() string {
	return t.c.profile.Registration.Calendar.YearOf(wantedStart).Label()
}

// allocate runs the spring round under the city's policy and verifies it.
func (t *tour) allocate(ctx context.Context) error {
	t.heading("allocation round")
	t.clock.at(roundDay, t.c.profile.Location)
	year := t.yearLabel()
	opts := app.RoundOptions{Round: 1}
	rep, err := t.portal.Registrations.RunRound(ctx, access.SystemActor, year, opts)
	if err != nil {
		return fmt.Errorf("allocation round:\n%s", explain(err))
	}
	st := rep.Result.Statistics
	t.printf("round %d on %s (%s): %d applicants, %d offers, %d first choices, %d without a place\n",
		rep.Round, day(t.today()), rep.Result.Mechanism, st.Applicants, rep.Offers, st.FirstChoice, st.Unplaced)
	violations, err := allocation.Verify(rep.Instance, rep.Result)
	if err != nil {
		return err
	}
	t.printf("verified: %d violations (no justified envy, no wasted seat: %t)\n", len(violations), len(violations) == 0)
	ids := make([]string, 0, len(rep.Result.Cutoffs))
	for id := range rep.Result.Cutoffs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		k, _ := t.c.catalogue.Get(id)
		var pools []string
		for _, c := range rep.Result.Cutoffs[id] {
			switch {
			case c.Capacity == 0:
			case c.Admitted == 0:
				pools = append(pools, fmt.Sprintf("%s 0/%d", c.Band, c.Capacity))
			default:
				pools = append(pools, fmt.Sprintf("%s %d/%d (last admitted: rank %d)", c.Band, c.Admitted, c.Capacity, c.Rank))
			}
		}
		t.printf("  %s %-26s %2d applicants  %s\n", id, k.Name, len(rep.Result.Priorities[id]), strings.Join(pools, ", "))
	}
	return t.dispatch(ctx)
}

// contract lets the family accept and prints its contract's fee statement.
func (t *tour) contract(ctx context.Context, a registration.Application) error {
	t.heading("offer, acceptance and care contract")
	t.clock.at(answerDay, t.c.profile.Location)
	guardian := access.NewGuardian("g-beispiel", "F-BEISPIEL")
	a, err := t.portal.Registrations.Get(ctx, guardian, a.ID)
	if err != nil {
		return err
	}
	if a.Offer() == nil {
		t.printf("%s: no offer in this round (status %s); the application waits for later rounds\n", a.Reference, a.Status())
		return nil
	}
	k, _ := t.c.catalogue.Get(a.Offer().KitaID)
	t.printf("offer for %s: %s (%s), answer by %s\n", a.Reference, k.Name, a.Offer().Band, day(a.Offer().RespondBy))
	if a, err = t.portal.Registrations.Accept(ctx, guardian, a.ID); err != nil {
		return err
	}
	t.printf("accepted on %s: status %s\n", day(t.today()), a.Status())

	t.clock.at(contractDay, t.c.profile.Location)
	income := decimal.NewFromInt(52000)
	sibling := contract.Sibling{BirthDate: date.New(2023, time.October, 2), Hours: 50}
	ct, err := t.portal.Contracts.Generate(ctx, guardian, app.ContractRequest{
		ApplicationID: a.ID, Income: income, Siblings: []contract.Sibling{sibling}, MealPlan: true,
	})
	if err != nil {
		return fmt.Errorf("contract:\n%s", explain(err))
	}
	t.printf("contract %s: %s, %s to %s, %d hours a week, settling in %d weeks\n",
		ct.Number(), ct.Provider().Name, day(ct.Start()), day(ct.End()), ct.Hours(), ct.SettlingInWeeks())
	t.printf("fee statement (income %s a year, a sibling born %s in care for %d hours, meal plan):\n",
		contract.FormatEuro(income, contract.German), day(sibling.BirthDate), sibling.Hours)
	for _, b := range ct.Fees().Bands {
		t.printf("  %s – %s  %2d months  fee %10s  meals %8s  %s\n", day(b.From), day(b.To), b.Months(),
			contract.FormatEuro(b.Fee, contract.German), contract.FormatEuro(b.MealFee, contract.German), b.Explain(contract.English))
	}
	t.printf("total over the contract: %s\n", contract.FormatEuro(ct.Fees().Sum(), contract.German))
	if t.o.out != "" {
		if err := os.MkdirAll(t.o.out, 0o755); err != nil {
			return err
		}
		path := filepath.Join(t.o.out, ct.Number()+".pdf")
		if err := t.portal.Contracts.WriteFile(path, ct); err != nil {
			return err
		}
		t.printf("contract PDF: %s\n", path)
	}
	return nil
}

// dispatch delivers every due message of the outbox.
func (t *tour) dispatch(ctx context.Context) error {
	for {
		rep, err := t.portal.Dispatcher.RunOnce(ctx)
		if err != nil {
			return err
		}
		if rep.Sent+rep.Retried+rep.Failed == 0 {
			return nil
		}
	}
}
