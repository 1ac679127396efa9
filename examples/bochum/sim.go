package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/rickb777/date"
	"github.com/shopspring/decimal"

	"github.com/kitaportal/kitaportal"
	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// The simulated Kita year and its calendar of events.
var (
	berlin       = mustLoc("Europe/Berlin")
	kitaYear     = "2027/2028"
	yearStart    = date.New(2027, time.August, 1)
	registerFrom = time.Date(2026, time.August, 3, 8, 0, 0, 0, berlin)
	registerTo   = time.Date(2027, time.February, 26, 18, 0, 0, 0, berlin)
	mainRound    = time.Date(2027, time.March, 1, 9, 0, 0, 0, berlin)
	answersDue   = time.Date(2027, time.March, 12, 9, 0, 0, 0, berlin)
	secondRound  = time.Date(2027, time.March, 22, 9, 0, 0, 0, berlin)
	thirdRound   = time.Date(2027, time.April, 5, 9, 0, 0, 0, berlin)
	contractDay  = time.Date(2027, time.April, 15, 9, 0, 0, 0, berlin)
)

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// simClock is the simulated time, safe for concurrent use.
type simClock struct{ ns atomic.Int64 }

func (c *simClock) Now() time.Time      { return time.Unix(0, c.ns.Load()).In(berlin) }
func (c *simClock) Set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *simClock) Add(d time.Duration) { c.ns.Add(int64(d)) }

type simulation struct {
	o         options
	portal    *kitaportal.Portal
	profile   municipality.Profile
	catalogue *kita.Catalogue
	clock     *simClock
	transport *notify.MemoryTransport
	r         *rand.Rand
	// hoursR draws the families' further hours wishes, apart from r so
	// that the rest of the year is drawn as without them.
	hoursR    *rand.Rand
	progress  io.Writer
	jugendamt access.Actor
	storeName string
	// closeStore releases the PostgreSQL pool (a no-op in memory).
	closeStore func()
}

func newSimulation(ctx context.Context, o options, stderr io.Writer) (*simulation, error) {
	profile, err := bochum.Profile()
	if err != nil {
		return nil, err
	}
	profile.Policy.Seed = o.seed
	cat, err := bochum.Catalogue()
	if err != nil {
		return nil, err
	}
	clock := &simClock{}
	clock.Set(registerFrom)
	idRand := rand.New(rand.NewPCG(o.seed, 7))
	var idMu sync.Mutex
	newID := func() string {
		idMu.Lock()
		defer idMu.Unlock()
		var u uuid.UUID
		for i := range u {
			u[i] = byte(idRand.UintN(256))
		}
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		return u.String()
	}
	transport := notify.NewMemoryTransport()
	pgURL := o.postgres
	if pgURL != "" {
		// Every run gets a schema of its own, so that runs never mix.
		if pgURL, err = freshSchema(ctx, pgURL, fmt.Sprintf("bochum_%d", time.Now().Unix())); err != nil {
			return nil, err
		}
	}
	cfg := kitaportal.Config{Profile: profile, Catalogue: cat, Transport: transport, Clock: clock.Now, NewID: newID}
	closeStore := func() {}
	if pgURL != "" {
		// The PostgreSQL adapter is opened here and passed in: the portal
		// itself links no database driver.
		pg, err := postgres.Open(ctx, pgURL)
		if err != nil {
			return nil, err
		}
		cfg.Store, closeStore = pg, pg.Close
	}
	portal, err := kitaportal.Open(ctx, cfg)
	if err != nil {
		closeStore()
		return nil, err
	}
	progress := stderr
	if o.quiet {
		progress = io.Discard
	}
	return &simulation{
		o: o, portal: portal, profile: profile, catalogue: cat, clock: clock, transport: transport,
		r: rand.New(rand.NewPCG(o.seed, 1)), hoursR: rand.New(rand.NewPCG(o.seed, 13)), progress: progress, jugendamt: access.NewJugendamt("jugendamt-bochum"),
		storeName: storeName(pgURL), closeStore: closeStore,
	}, nil
}

func (s *simulation) step(format string, args ...any) {
	fmt.Fprintf(s.progress, "[%s] %s\n", s.clock.Now().Format("02.01.2006"), fmt.Sprintf(format, args...))
}

// summary are the figures the run prints.
type summary struct {
	submitted, duplicates, rejects, reviews                   int
	applications, children, choices, confirmations, referrals int
	tagespflegeOnly, withKita, withdrawn, expired             int
	referralsPlaced, late, shortNotice, offers1, declined     int
	offers2, placed, unplaced, firstChoice, contracts         int
	messages                                                  int
	// Families: twins kept together, siblings, and how the twins fared;
	// starts during the year; places accepted while waiting for a better
	// one, and the upgrades that followed.
	twinFamilies, keptTogether, togetherWaiting, split int
	siblingFamilies, midYear, keptWaiting, upgrades    int
	offers3                                            int
	// Pools: Kitas whose places are split by care hours and month, the
	// places free only from a later month; children placed there, with
	// their first or a later hours wish, and from a later month.
	pooledKitas, laterPlaces, rankedHours, poolPlaced int
	hoursFirst, hoursLater, laterPlaced               int
	pdfBytes                                          int64
	store                                             string
	seconds                                           float64
	report                                            app.YearReport
	out                                               string
	profile                                           municipality.Profile
}

func (s *simulation) year(ctx context.Context) (*summary, error) {
	sum := &summary{profile: s.profile, store: s.storeName}
	s.step("Bochum: %d Kitas, %d places (sample data), %d districts", s.catalogue.Len(), bochum.SamplePlaces, len(s.profile.Districts.All()))
	// Each carrier's staff publishes its Kitas' profiles, with the
	// Kita-Leitung who will sign the care contracts.
	for _, k := range s.catalogue.All() {
		staff := access.NewCarrierStaff("staff-"+k.Carrier.ID, k.Carrier.ID)
		head := s.pick(givenNames) + " " + s.pick(familyNames)
		if err := s.portal.Catalogue.UpdateProfile(ctx, staff, k.ID, kita.PublicProfile{Head: head, Languages: []string{"de"}}); err != nil {
			return nil, err
		}
	}
	pooled, later, err := s.setPools(ctx)
	if err != nil {
		return nil, err
	}
	sum.pooledKitas, sum.laterPlaces = pooled, later
	s.step("%d Kitas split their places by care hours and month, %d places free only later in the year", pooled, later)
	for _, m := range bochum.Minders(s.o.seed, registerFrom.UTC()) {
		if _, err := s.portal.Referrals.AddMinder(ctx, s.jugendamt, m); err != nil {
			return nil, err
		}
	}
	s.step("%d child-minders registered with their district's Fachberatung", bochum.SampleMinders)

	if err := s.register(ctx, sum); err != nil {
		return nil, err
	}
	if err := s.fachberatung(ctx, sum); err != nil {
		return nil, err
	}
	if err := s.rounds(ctx, sum); err != nil {
		return nil, err
	}
	if s.o.contracts {
		if err := s.contracts(ctx, sum); err != nil {
			return nil, err
		}
	}
	if err := s.dispatch(ctx); err != nil {
		return nil, err
	}
	confirmed := map[string]bool{}
	for _, m := range s.transport.Sent() {
		switch m.Kind {
		case notify.Confirmation:
			confirmed[m.Subject] = true // one per application, whatever the number of guardians
		case notify.Referral:
			sum.referrals++
		}
	}
	sum.confirmations = len(confirmed)
	sum.messages = len(s.transport.Sent())
	rep, err := s.portal.Reports.Year(ctx, s.jugendamt, kitaYear)
	if err != nil {
		return nil, err
	}
	sum.report = rep
	sum.firstChoice = rep.FirstChoice
	apps, err := s.portal.Registrations.List(ctx, s.jugendamt, registration.Query{Year: kitaYear})
	if err != nil {
		return nil, err
	}
	// Every application counts once: Tagespflege only, or with a Kita
	// choice and then placed, waiting, withdrawn or expired.
	twins := map[string][]registration.Application{}
	for _, a := range apps {
		if a.Together {
			twins[a.FamilyID] = append(twins[a.FamilyID], a)
		}
		if len(a.Choices) == 0 {
			sum.tagespflegeOnly++
			continue
		}
		sum.withKita++
		if len(a.HoursAlternatives) > 0 {
			sum.rankedHours++
		}
		countHours(sum, a)
		switch a.Status() {
		case registration.Offered, registration.Accepted, registration.Contracted:
			sum.placed++
		case registration.Withdrawn:
			sum.withdrawn++
		case registration.Expired:
			sum.expired++
		default:
			sum.unplaced++
		}
	}
	for _, kids := range twins {
		sum.twinFamilies++
		at := map[string]bool{}
		for _, a := range kids {
			k := ""
			if o := a.Offer(); o != nil {
				k = o.KitaID
			}
			at[k] = true
		}
		switch {
		case len(at) > 1:
			sum.split++
		case at[""]:
			sum.togetherWaiting++
		default:
			sum.keptTogether++
		}
	}
	reviews, err := s.portal.Registrations.Reviews(ctx, s.jugendamt)
	if err != nil {
		return nil, err
	}
	sum.reviews = len(reviews)
	return sum, nil
}

// dispatch delivers every due message of the outbox.
func (s *simulation) dispatch(ctx context.Context) error {
	for {
		rep, err := s.portal.Dispatcher.RunOnce(ctx)
		if err != nil {
			return err
		}
		if rep.Sent+rep.Retried+rep.Failed == 0 {
			return nil
		}
	}
}

var (
	givenNames  = []string{"Mia", "Emma", "Sofia", "Hannah", "Emilia", "Lina", "Mila", "Ella", "Lea", "Clara", "Noah", "Leon", "Paul", "Ben", "Finn", "Elias", "Luca", "Emil", "Jonas", "Mats", "Ayşe", "Elif", "Yusuf", "Mehmet", "Zoë", "Jürgen", "Björn", "Maëlle", "Małgorzata", "Luka"}
	familyNames = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Yılmaz", "Kaya", "Demir", "Nowak", "Kowalski", "Öztürk", "Çelik", "Krüger", "Weiß", "Groß"}
	districtIDs = []string{"I", "II", "III", "IV", "V", "VI"}
	districtPop = []int{30, 19, 10, 14, 13, 14}
	homePostal  = map[string]string{"I": "44787", "II": "44866", "III": "44805", "IV": "44892", "V": "44801", "VI": "44879"}
	centres     = map[string]geo.Point{"I": {Lat: 51.482, Lon: 7.216}, "II": {Lat: 51.480, Lon: 7.130}, "III": {Lat: 51.522, Lon: 7.240}, "IV": {Lat: 51.490, Lon: 7.300}, "V": {Lat: 51.430, Lon: 7.250}, "VI": {Lat: 51.445, Lon: 7.170}}
)

func (s *simulation) pick(xs []string) string { return xs[s.r.IntN(len(xs))] }

// register lets every family submit its Voranmeldung, spread over the year.
func (s *simulation) register(ctx context.Context, sum *summary) error {
	n := s.o.children
	gap := registerTo.Sub(registerFrom) / time.Duration(n)
	s.clock.Set(registerFrom)
	for i := 0; i < n; {
		if i > 0 && i%2000 < 2 {
			s.step("%d of %d children registered", i, n)
		}
		s.clock.Add(gap)
		family := fmt.Sprintf("F%05d", i+1)
		in := s.input(i)
		kids := []registration.Input{in}
		if n-i >= 2 {
			if second, ok := s.second(&kids[0]); ok {
				kids = append(kids, second)
			}
		}
		guardian := access.NewGuardian("G"+family, family)
		stored := 0
		for _, k := range kids {
			sum.submitted++
			if _, err := s.portal.Registrations.Submit(ctx, guardian, k); err != nil {
				sum.rejects++
				continue
			}
			stored++
			if k.Start != yearStart {
				sum.midYear++
			}
		}
		i += len(kids)
		in = kids[0]
		// Some families send the same child again from another device: a
		// new request (another idempotency key), refused as a duplicate.
		if stored == len(kids) && s.r.IntN(200) == 0 {
			in.IdempotencyKey += "-again"
			_, err := s.portal.Registrations.Submit(ctx, guardian, in)
			if !errors.Is(err, registration.ErrDuplicate) {
				return fmt.Errorf("a family's second submission of the same child: got %v, want a duplicate", err)
			}
			sum.submitted++
			sum.duplicates++
		}
		if i%500 < 2 {
			if err := s.dispatch(ctx); err != nil {
				return err
			}
		}
	}
	if err := s.dispatch(ctx); err != nil {
		return err
	}
	apps, err := s.portal.Registrations.List(ctx, s.jugendamt, registration.Query{Year: kitaYear})
	if err != nil {
		return err
	}
	kids := map[string]bool{}
	for _, a := range apps {
		sum.applications++
		sum.choices += len(a.Choices)
		kids[a.ChildKey] = true
		if a.HasFlag(registration.FlagLate) {
			sum.late++
		}
		if a.HasFlag(registration.FlagShortNotice) {
			sum.shortNotice++
		}
	}
	sum.children = len(kids)
	s.step("%d applications with %d Kita choices for %d children, each confirmed at once", sum.applications, sum.choices, sum.children)
	return nil
}

// input makes one family's Voranmeldung.
func (s *simulation) input(i int) registration.Input {
	r := s.r
	x, d := r.IntN(100), 0
	for ; x >= districtPop[d]; d++ {
		x -= districtPop[d]
	}
	district := districtIDs[d]
	// Age at the start: 45 % under three, 55 % three or older (most of them three).
	var birth date.Date
	if r.IntN(100) < 45 {
		birth = yearStart.AddDate(0, -(10 + r.IntN(25)), -r.IntN(28)) // 10 to 35 months
	} else {
		birth = yearStart.AddDate(0, -(36 + r.IntN(18)), -r.IntN(28)) // 3 to 4½ years
	}
	start := yearStart
	if r.IntN(100) >= 85 {
		start = yearStart.AddDate(0, 1+r.IntN(5), 0)
	}
	hours := kita.Hours([]int{25, 35, 35, 45, 45}[r.IntN(5)])
	family := s.pick(familyNames)
	in := registration.Input{
		IdempotencyKey: fmt.Sprintf("portal-%d", i),
		Child:          registration.ChildInput{GivenName: s.pick(givenNames), FamilyName: family, BirthDate: birth, Unborn: birth.After(date.NewAt(s.clock.Now()))},
		Address:        geo.Address{Street: "Beispielstraße", HouseNumber: fmt.Sprint(1 + r.IntN(200)), PostalCode: homePostal[district], City: "Bochum"},
		Start:          start,
		Hours:          int(hours),
		Consent:        true,
	}
	in.HoursAlternatives = s.alternatives(hours)
	lang := "de"
	if r.IntN(100) < 6 {
		lang = "en"
	}
	single := r.IntN(100) < 15
	in.Guardians = append(in.Guardians, registration.GuardianInput{
		GivenName: s.pick(givenNames), FamilyName: family, Email: fmt.Sprintf("eltern%05d@familie.example", i+1),
		Language: lang, Working: r.IntN(100) < 78,
	})
	if !single {
		in.Guardians = append(in.Guardians, registration.GuardianInput{
			GivenName: s.pick(givenNames), FamilyName: family, Email: fmt.Sprintf("eltern%05d-2@familie.example", i+1),
			Language: lang, Working: r.IntN(100) < 70,
		})
	}
	in.Criteria.SingleParent = single

	// Up to five Kitas near home that take the child at the start and offer the hours.
	c := centres[district]
	home := geo.Point{Lat: c.Lat + (r.Float64()-0.5)*0.03, Lon: c.Lon + (r.Float64()-0.5)*0.05}
	page := s.catalogue.Search(kita.Query{Near: &home, Child: &kita.ChildAt{Birth: birth, On: start}, Hours: hours, Limit: 12})
	want := []int{1, 2, 3, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5}[r.IntN(14)]
	cands := page.Items
	for len(in.Kitas) < want && len(cands) > 0 {
		j := min(r.IntN(3), len(cands)-1) // mostly the nearest, sometimes a bit further
		in.Kitas = append(in.Kitas, cands[j].Kita.ID)
		cands = append(cands[:j:j], cands[j+1:]...)
	}
	if len(in.Kitas) > 0 && r.IntN(100) < 10 {
		in.Criteria.SiblingKitaIDs = []string{in.Kitas[0]}
	}
	if r.IntN(100) < 2 {
		in.Criteria.Hardship, in.Criteria.HardshipReason = true, registration.HardshipReason(s.pick([]string{"medical", "social"}))
	}
	// Families with a child under three may ask for Kindertagespflege too.
	if kita.BandOn(birth, start) == kita.Under3 && r.IntN(100) < 14 {
		in.Tagespflege = &registration.TagespflegeWish{District: district}
		if r.IntN(4) == 0 {
			in.Kitas, in.Criteria.SiblingKitaIDs = nil, nil // Tagespflege only
		}
	}
	if len(in.Kitas) == 0 && in.Tagespflege == nil {
		in.Tagespflege = &registration.TagespflegeWish{District: district}
	}
	return in
}

// second is, for some families, a second child in the same Kita year:
// twins (3 in 100 families), both asking to be kept together (first is
// changed so) with the same Kitas and without Tagespflege, or a sibling a
// year or so apart (4 in 100; older than a child under three, younger than
// an older one, so that both are of Kita age) with those of the first
// child's Kitas that take it. ok is false for the other families.
func (s *simulation) second(first *registration.Input) (in registration.Input, ok bool) {
	x := s.r.IntN(100)
	if x >= 7 || len(first.Kitas) == 0 {
		return registration.Input{}, false
	}
	in = *first
	in.IdempotencyKey += "-2"
	for in.Child.GivenName == first.Child.GivenName {
		in.Child.GivenName = s.pick(givenNames)
	}
	in.Criteria.SiblingKitaIDs, in.Tagespflege = nil, nil
	if x < 3 {
		first.Together, first.Tagespflege = true, nil
		in.Together = true
		in.Kitas = slices.Clone(first.Kitas)
		return in, true
	}
	apart := []int{12, 16, 20}[s.r.IntN(3)] // months: an older sibling of a child under three, else a younger one
	if kita.BandOn(first.Child.BirthDate, first.Start) == kita.Under3 {
		apart = -apart
	}
	in.Child.BirthDate = first.Child.BirthDate.AddDate(0, apart, 0)
	in.Child.Unborn = in.Child.BirthDate.After(date.NewAt(s.clock.Now()))
	in.Kitas = nil
	age := kita.AgeOn(in.Child.BirthDate, in.Start).InMonths()
	for _, id := range first.Kitas {
		if k, found := s.catalogue.Get(id); found && k.Takes(age) && k.Hours.Allows(kita.Hours(in.Hours)) {
			in.Kitas = append(in.Kitas, id)
		}
	}
	return in, len(in.Kitas) > 0
}

// fachberatung lets each district's Fachberatung work through its referrals.
func (s *simulation) fachberatung(ctx context.Context, sum *summary) error {
	for _, d := range s.profile.Districts.All() {
		fb := access.NewFachberatung("fb-"+d.ID, d.ID)
		refs, err := s.portal.Referrals.List(ctx, fb, d.ID, 0, 0)
		if err != nil {
			return err
		}
		minders, err := s.portal.Referrals.Minders(ctx, fb, d.ID)
		if err != nil {
			return err
		}
		mi := 0
		for _, ref := range refs {
			if _, err := s.portal.Referrals.MarkContacted(ctx, fb, ref.ID, ""); err != nil {
				return err
			}
			if s.r.IntN(100) >= 70 {
				continue // the family still looks, or takes a Kita place
			}
			a, err := s.portal.Registrations.Get(ctx, s.jugendamt, ref.ApplicationID)
			if err != nil {
				return err
			}
			for ; mi < len(minders); mi++ {
				_, err := s.portal.Referrals.Place(ctx, fb, ref.ID, minders[mi].ID, a.Start)
				if err == nil {
					sum.referralsPlaced++
					break
				}
				if !errors.Is(err, tagespflege.ErrMinderFull) && !errors.Is(err, tagespflege.ErrLicence) {
					return err
				}
			}
		}
	}
	s.step("Fachberatung: %d children placed with child-minders", sum.referralsPlaced)
	return nil
}

// rounds runs the main allocation round, the families' answers, a second
// round for the places freed by declines, and a third for the places freed
// by families who moved up to a Kita they ranked higher.
func (s *simulation) rounds(ctx context.Context, sum *summary) error {
	s.clock.Set(mainRound)
	opts := app.RoundOptions{Round: 1}
	began := time.Now()
	rep, err := s.portal.Registrations.RunRound(ctx, access.SystemActor, kitaYear, opts)
	if err != nil {
		return err
	}
	sum.offers1 = rep.Offers
	s.step("main round (%s): %d offers, %d children without a place, %d first choices, %.2f s", s.profile.Mechanism, rep.Offers, rep.Result.Statistics.Unplaced, rep.Result.Statistics.FirstChoice, time.Since(began).Seconds())
	if err := s.dispatch(ctx); err != nil {
		return err
	}

	s.step("main round: %d families of twins, %d of them placed together, none split", rep.Result.Statistics.Families, rep.Result.Statistics.Together)
	for _, f := range rep.Instance.Families {
		if !f.Together {
			sum.siblingFamilies++
		}
	}

	s.clock.Set(answersDue)
	if err := s.answer(ctx, sum, 12, 25); err != nil {
		return err
	}
	s.step("families answered: %d declined, %d accepted and wait for a Kita ranked higher", sum.declined, sum.keptWaiting)

	s.clock.Set(secondRound)
	opts.Round, opts.IncludeLate = 2, true
	rep, err = s.portal.Registrations.RunRound(ctx, access.SystemActor, kitaYear, opts)
	if err != nil {
		return err
	}
	sum.offers2 = rep.Offers
	s.step("second round for freed places and late applications: %d offers", rep.Offers)
	if err := s.answer(ctx, sum, 0, 0); err != nil {
		return err
	}

	s.clock.Set(thirdRound)
	opts.Round = 3
	rep, err = s.portal.Registrations.RunRound(ctx, access.SystemActor, kitaYear, opts)
	if err != nil {
		return err
	}
	sum.offers3 = rep.Offers
	s.step("third round for the places the upgrades freed: %d offers", rep.Offers)
	return s.answer(ctx, sum, 0, 0)
}

// answer lets every family with an offer accept it, or decline with the
// given percentage; of the families offered a Kita they did not rank
// first, waitPercent accept and keep waiting for a better one. Twins kept
// together answer alike.
func (s *simulation) answer(ctx context.Context, sum *summary, declinePercent, waitPercent int) error {
	apps, err := s.portal.Registrations.List(ctx, s.jugendamt, registration.Query{Year: kitaYear, Statuses: []registration.Status{registration.Offered}})
	if err != nil {
		return err
	}
	type answer struct{ decline, wait bool }
	twins := map[string]answer{}
	for _, a := range apps {
		g := access.NewGuardian("G"+a.FamilyID, a.FamilyID)
		ans, ok := twins[a.FamilyID]
		if !ok || !a.Together {
			c, _ := a.Choice(a.Offer().KitaID)
			ans = answer{decline: s.r.IntN(100) < declinePercent, wait: c.Rank > 1 && s.r.IntN(100) < waitPercent}
		}
		if a.Together {
			twins[a.FamilyID] = ans
		}
		if ans.decline {
			if _, err := s.portal.Registrations.Decline(ctx, g, a.ID); err != nil {
				return err
			}
			sum.declined++
			continue
		}
		acc, err := s.portal.Registrations.AcceptWith(ctx, g, a.ID, registration.AcceptOptions{KeepWaiting: ans.wait})
		if errors.Is(err, registration.ErrNothingAbove) {
			acc, err = s.portal.Registrations.Accept(ctx, g, a.ID) // every better choice was declined meanwhile
		}
		if err != nil {
			return err
		}
		if a.Held() != nil {
			sum.upgrades++
		}
		if acc.Waiting() {
			sum.keptWaiting++
		}
	}
	return s.dispatch(ctx)
}

// contracts generates and renders a care contract for every accepted place,
// on every core, and records it as signed.
func (s *simulation) contracts(ctx context.Context, sum *summary) error {
	s.clock.Set(contractDay)
	// Without -out the PDFs are rendered (and timed) but not kept: a whole
	// year is about a quarter of a gigabyte, which nobody wants left in a
	// temporary folder unasked.
	out := s.o.out
	if out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
	}
	sum.out = out
	apps, err := s.portal.Registrations.List(ctx, s.jugendamt, registration.Query{Year: kitaYear, Statuses: []registration.Status{registration.Accepted}})
	if err != nil {
		return err
	}
	sort.Slice(apps, func(i, j int) bool { return apps[i].Reference < apps[j].Reference })
	incomes := make([]decimal.Decimal, len(apps))
	for i := range apps {
		incomes[i] = decimal.NewFromInt(int64(18000 + s.r.IntN(140000)))
	}
	s.step("rendering %d care contracts", len(apps))
	var (
		wg       sync.WaitGroup
		next     atomic.Int64
		done     atomic.Int64
		mu       sync.Mutex
		ferr     error
		pdfBytes atomic.Int64
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(apps) {
					return
				}
				a := apps[i]
				ct, err := s.portal.Contracts.Generate(ctx, s.jugendamt, app.ContractRequest{ApplicationID: a.ID, Income: incomes[i], MealPlan: true})
				if err == nil {
					err = s.writePDF(out, a.Reference, ct, &pdfBytes)
				}
				if err == nil {
					_, err = s.portal.Registrations.Contracted(ctx, s.jugendamt, a.ID)
				}
				if err != nil {
					mu.Lock()
					if ferr == nil {
						ferr = fmt.Errorf("contract %d: %w", i, err)
					}
					mu.Unlock()
					return
				}
				if n := done.Add(1); n%2000 == 0 {
					s.step("%d contracts written", n)
				}
			}
		})
	}
	wg.Wait()
	sum.contracts = int(done.Load())
	sum.pdfBytes = pdfBytes.Load()
	return ferr
}

// writePDF renders a contract: into out (when set) as <reference>.pdf, or
// nowhere; it adds the PDF's size to size.
func (s *simulation) writePDF(out, reference string, ct contract.Contract, size *atomic.Int64) error {
	var buf bytes.Buffer
	if err := s.portal.Contracts.Render(&buf, ct); err != nil {
		return err
	}
	size.Add(int64(buf.Len()))
	if out == "" {
		return nil
	}
	return os.WriteFile(filepath.Join(out, reference+".pdf"), buf.Bytes(), 0o644)
}

// freshSchema creates a schema in the database at base and returns the URL
// that uses it.
func freshSchema(ctx context.Context, base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("-postgres: not a URL")
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", fmt.Errorf("-postgres: cannot connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return "", fmt.Errorf("-postgres: cannot create schema %s: %w", schema, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// storeName describes where the year is stored.
func storeName(pgURL string) string {
	if pgURL == "" {
		return "Arbeitsspeicher"
	}
	u, err := url.Parse(pgURL)
	if err != nil {
		return "PostgreSQL"
	}
	return "PostgreSQL (Schema " + u.Query().Get("search_path") + ")"
}
