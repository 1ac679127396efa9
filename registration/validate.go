package registration

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// The rules of a Voranmeldung, each with its sentinel. Problems of an
// input unwrap to these, so errors.Is(err, registration.ErrTooManyChoices)
// tells which rule was broken.
var (
	ErrNoChoice         = errors.New("registration: neither a Kita nor Tagespflege chosen")
	ErrTooManyChoices   = errors.New("registration: too many Kitas chosen")
	ErrDuplicateChoice  = errors.New("registration: Kita chosen twice")
	ErrUnknownKita      = errors.New("registration: unknown Kita")
	ErrKitaClosed       = errors.New("registration: Kita takes no registrations")
	ErrKitaAge          = errors.New("registration: Kita does not take the child's age")
	ErrKitaHours        = errors.New("registration: Kita does not offer the care hours")
	ErrHoursNotOffered  = errors.New("registration: care hours not offered by the city")
	ErrYearNotAccepted  = errors.New("registration: Kita year not open for registration")
	ErrStartInPast      = errors.New("registration: start date in the past")
	ErrSchoolAge        = errors.New("registration: child of school age at the start")
	ErrTagespflegeOff   = errors.New("registration: Kindertagespflege cannot be chosen here")
	ErrTagespflegeAge   = errors.New("registration: Kindertagespflege not available for the child's age")
	ErrUnknownDistrict  = errors.New("registration: unknown district")
	ErrUnbornNotAllowed = errors.New("registration: applications for unborn children not accepted")
	ErrBirthDate        = errors.New("registration: impossible birth date")
	ErrConsent          = errors.New("registration: consent to data processing missing")
	ErrSiblingNotChosen = errors.New("registration: sibling Kita not among the choices")
	ErrHardshipReason   = errors.New("registration: hardship reason missing or unknown")
	ErrStartBeforeBirth = errors.New("registration: start before the child is born")
	ErrName             = errors.New("registration: name or address not made of letters")
)

// Catalogue is the port to the Kita catalogue the rules check choices against.
type Catalogue interface {
	Get(id string) (kita.Kita, bool)
}

// peeker is a catalogue that also looks a Kita up without copying its
// lists ([kita.Catalogue.Peek]); validation, which only reads them, uses
// it where offered.
type peeker interface {
	Peek(id string) (kita.Kita, bool)
}

// peek looks a Kita up for reading only: without copying where the
// catalogue offers it.
func (s *Checker) peek(id string) (kita.Kita, bool) {
	if p, ok := s.catalogue.(peeker); ok {
		return p.Peek(id)
	}
	return s.catalogue.Get(id)
}

// Districts resolves an address to its Stadtbezirk and knows the districts.
type Districts interface {
	Resolve(a geo.Address) (district.District, error)
	Get(id string) (district.District, bool)
}

// Offices finds the Fachberatung of a district.
type Offices interface {
	ForDistrict(id string) (tagespflege.Office, bool)
}

// checked is the outcome of validation: what a draft is built from.
type checked struct {
	year     kita.Year
	district string
	flags    []Flag
	choices  []Choice
	lines    []notify.KitaLine // the chosen Kitas as a confirmation lists them, aligned with choices
	// guardians and history are the empty lists of the application, with
	// room for its guardians and two events (roomFor).
	guardians []Guardian
	history   []Event
}

// dayBounds are what check derives from the day of a submission alone;
// the checker keeps those of the latest day (Checker.days), as every
// submission of a day has the same.
type dayBounds struct {
	today date.Date
	// unbornUntil is the latest birth date of an unborn child (a year
	// ahead), bornFrom the earliest of a born one (school age and two
	// years back).
	unbornUntil, bornFrom date.Date
	// lastYear is the last Kita year a submission may ask for.
	lastYear kita.Year
	// notice is the first start without short notice.
	notice date.Date
}

// day returns the bounds of today: those kept when today is their day,
// else new ones, then kept.
func (s *Checker) day(today date.Date) *dayBounds {
	if d := s.days.Load(); d != nil && d.today == today {
		return d
	}
	r := s.rules
	d := &dayBounds{
		today:       today,
		unbornUntil: today.AddDate(1, 0, 0),
		bornFrom:    today.AddDate(-r.Calendar.SchoolAge-2, 0, 0),
		lastYear:    r.Calendar.YearOf(today),
		notice:      today.AddDate(0, r.NoticeMonths, 0),
	}
	for range r.YearsAhead {
		d.lastYear = d.lastYear.Next()
	}
	s.days.Store(d)
	return d
}

// check validates a normalized input against the rules, the catalogue and
// the clock, collecting every problem.
func (s *Checker) check(in Input, now time.Time) (checked, error) {
	var c problem.Collector
	checkFields(&c, &in) // the tags of Input and its address, without reflection
	checkTexts(&c, in)
	r := s.rules
	day := s.day(r.Today(now))
	today := day.today
	var out checked

	// The child.
	birth := in.Child.BirthDate
	birthOK := false
	switch {
	case birth.IsZero():
		c.Add("child.birth_date", "required", ErrBirthDate)
	case in.Child.Unborn && !r.AllowUnborn:
		c.Add("child.unborn", "registration.unborn_not_allowed", ErrUnbornNotAllowed)
	case in.Child.Unborn && (birth.Before(today) || birth.After(day.unbornUntil)):
		c.Add("child.birth_date", "registration.birth_date", ErrBirthDate)
	case !in.Child.Unborn && (birth.After(today) || birth.Before(day.bornFrom)):
		c.Add("child.birth_date", "registration.birth_date", ErrBirthDate)
	default:
		birthOK = true
	}

	// The start and its Kita year.
	startOK := false
	switch {
	case in.Start.IsZero():
		c.Add("start", "required", ErrYearNotAccepted)
	case in.Start.Before(today):
		c.Add("start", "registration.start_in_past", ErrStartInPast)
	default:
		out.year = r.Calendar.YearOf(in.Start)
		last := day.lastYear
		if last.Before(out.year) {
			c.Add("start", "registration.year_not_accepted", ErrYearNotAccepted, "last", last.Label())
		} else {
			startOK = true
		}
		if birthOK && in.Start.Before(birth) {
			c.Add("start", "registration.start_before_birth", ErrStartBeforeBirth)
			startOK = false
		}
		if birthOK && r.Calendar.SchoolAgeOn(birth, in.Start) {
			c.Add("start", "registration.school_age", ErrSchoolAge)
			startOK = false
		}
		if r.NoticeMonths > 0 && in.Start.Before(day.notice) {
			out.flags = append(out.flags, FlagShortNotice)
		}
		if startOK && today.After(r.DeadlineOf(out.year)) {
			out.flags = append(out.flags, FlagLate)
		}
	}

	// Hours.
	hours := kita.Hours(in.Hours)
	hoursOK := r.Hours.Allows(hours)
	if in.Hours != 0 && !hoursOK {
		c.Add("hours", "registration.hours_not_offered", ErrHoursNotOffered, "allowed", r.Hours.String())
	}
	checkHoursAlternatives(&c, r.Hours, in.Hours, in.HoursAlternatives)
	ranked := rankedHours(hours, toHours(in.HoursAlternatives))

	// At least one Kita or Tagespflege, at most MaxChoices Kitas.
	if len(in.Kitas) == 0 && in.Tagespflege == nil {
		c.Add("kitas", "registration.no_choice", ErrNoChoice)
	}
	if len(in.Kitas) > r.MaxChoices {
		c.Add("kitas", "registration.too_many_choices", ErrTooManyChoices, "max", strconv.Itoa(r.MaxChoices))
	}
	seen := make(map[string]bool, len(in.Kitas))
	// The application's lists share one allocation where they fit.
	out.guardians, out.choices, out.history = roomFor(len(in.Guardians), len(in.Kitas))
	if cap(out.guardians) < len(in.Guardians) {
		out.guardians = make([]Guardian, 0, len(in.Guardians))
	}
	if cap(out.choices) < len(in.Kitas) {
		out.choices = make([]Choice, 0, len(in.Kitas))
	}
	out.lines = make([]notify.KitaLine, 0, len(in.Kitas))
	// The child's band and age at the start, the same for every choice;
	// the band stays unset while birth or start are in doubt.
	var band kita.Band
	var age int
	if birthOK && startOK {
		band = kita.BandOn(birth, in.Start)
		age = kita.AgeOn(birth, in.Start).InMonths()
	}
	for i, id := range in.Kitas {
		field := path{list: "kitas", i: i}
		if id == "" {
			continue // reported by the struct check
		}
		if seen[id] {
			c.Add(field.String(), "registration.duplicate_choice", ErrDuplicateChoice)
			continue
		}
		seen[id] = true
		k, ok := s.peek(id)
		if !ok {
			c.Add(field.String(), "registration.unknown_kita", ErrUnknownKita)
			continue
		}
		if k.Closed {
			c.Add(field.String(), "registration.kita_closed", ErrKitaClosed)
		}
		if birthOK && startOK && (!k.Takes(age) || !k.TakesBand(band)) {
			c.Add(field.String(), "registration.kita_age", ErrKitaAge)
		}
		if hoursOK && !kitaOffersAny(k, band, ranked) {
			c.Add(field.String(), "registration.kita_hours", ErrKitaHours, "offered", offeredHours(k, band).String())
		}
		out.choices = append(out.choices, Choice{Rank: len(out.choices) + 1, KitaID: id, Status: Waiting, Carrier: k.Carrier.ID})
		out.lines = append(out.lines, s.line(len(out.choices), k))
	}

	// Kindertagespflege.
	if tp := in.Tagespflege; tp != nil {
		switch {
		case !r.Tagespflege:
			c.Add("tagespflege", "registration.tagespflege_disabled", ErrTagespflegeOff)
		case tp.District == "":
			// reported by the struct check
		default:
			if _, ok := s.districts.Get(tp.District); !ok {
				c.Add("tagespflege.district", "registration.unknown_district", ErrUnknownDistrict)
			} else if _, ok := s.offices.ForDistrict(tp.District); !ok {
				c.Add("tagespflege.district", "registration.unknown_district", ErrUnknownDistrict)
			}
			if birthOK && startOK && !tagespflege.EligibleAgeUntil(birth, in.Start, r.TagespflegeMaxAge) {
				c.Add("tagespflege", "registration.tagespflege_age", ErrTagespflegeAge, "max_age", strconv.Itoa(r.TagespflegeMaxAge))
			}
		}
	}

	// Criteria.
	for i, id := range in.Criteria.SiblingKitaIDs {
		if id != "" && !seen[id] {
			c.Add("criteria.sibling_kita_ids["+strconv.Itoa(i)+"]", "registration.sibling_not_chosen", ErrSiblingNotChosen)
		}
	}
	if in.Criteria.Hardship {
		if in.Criteria.HardshipReason == "" || !containsReason(r.HardshipReasons, in.Criteria.HardshipReason) {
			c.Add("criteria.hardship_reason", "registration.hardship_reason", ErrHardshipReason)
		}
	} else if in.Criteria.HardshipReason != "" {
		c.Add("criteria.hardship_reason", "registration.hardship_reason", ErrHardshipReason)
	}
	if !in.Consent {
		c.Add("consent", "registration.consent_missing", ErrConsent)
	}

	// The address decides the district; an undecidable address is kept
	// without a district, never guessed; an address outside the city is
	// flagged as not resident.
	if !hasField(c, "address") {
		d, err := s.districts.Resolve(in.Address)
		switch {
		case err == nil:
			out.district = d.ID
		case errors.Is(err, district.ErrOutside):
			out.flags = append(out.flags, FlagNonResident)
		}
	}
	if err := c.Err(); err != nil {
		return checked{}, err
	}
	return out, nil
}

func hasField(c problem.Collector, prefix string) bool {
	if c.Len() == 0 {
		return false
	}
	err := c.Err()
	var l problem.List
	if !errors.As(err, &l) {
		return false
	}
	for _, p := range l {
		if strings.HasPrefix(p.Field, prefix) {
			return true
		}
	}
	return false
}

func containsReason(rs []HardshipReason, r HardshipReason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
