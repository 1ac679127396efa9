package kita

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// ErrFacility: a Kita's data breaks a rule. Every facility rule sentinel
// below wraps it, so errors.Is(err, ErrFacility) holds for any problem list
// about Kita data except unknown care hours, which use [ErrHours].
var ErrFacility = errors.New("kita: invalid facility")

// Rule sentinels of the facility data; each wraps [ErrFacility].
var (
	// ErrMissing: a required value (id, name, care hours, places) is missing.
	ErrMissing = fmt.Errorf("%w: required value missing", ErrFacility)
	// ErrMalformed: a value has the wrong form (an id with spaces, a name too
	// long, an unknown carrier kind, a bad opening time).
	ErrMalformed = fmt.Errorf("%w: malformed value", ErrFacility)
	// ErrDuplicate: an id or an hours option occurs twice.
	ErrDuplicate = fmt.Errorf("%w: duplicate", ErrFacility)
	// ErrCapacity: places, free places or inclusion places are negative or
	// exceed the capacity.
	ErrCapacity = fmt.Errorf("%w: invalid number of places", ErrFacility)
	// ErrAgeRange: the ages a Kita takes are not a range.
	ErrAgeRange = fmt.Errorf("%w: invalid age range", ErrFacility)
	// ErrLocation: the map position is outside the valid range.
	ErrLocation = fmt.Errorf("%w: location out of range", ErrFacility)
	// ErrStaleReport: a free-place report is older than the one the catalogue
	// holds; it is ignored so that reports arriving out of order cannot turn
	// fresh figures stale.
	ErrStaleReport = problem.NewSentinel(problem.Conflict, "kita.stale_report", "kita: free-place report older than the current one")
	// ErrQuery: a search query breaks a rule (see [Query.Validate]).
	ErrQuery = errors.New("kita: invalid search query")
)

// Stable codes of the facility rules.
const (
	CodeIDMissing         problem.Code = "kita.id_missing"
	CodeIDInvalid         problem.Code = "kita.id_invalid"
	CodeIDDuplicate       problem.Code = "kita.id_duplicate"
	CodeNameMissing       problem.Code = "kita.name_missing"
	CodeNameTooLong       problem.Code = "kita.name_too_long"
	CodeCarrierKind       problem.Code = "kita.carrier_kind_invalid"
	CodeHoursMissing      problem.Code = "kita.hours_missing"
	CodeHoursNotOffered   problem.Code = "kita.hours_not_offered"
	CodeHoursDuplicate    problem.Code = "kita.hours_duplicate"
	CodeCapacityInvalid   problem.Code = "kita.capacity_invalid"
	CodeCapacityEmpty     problem.Code = "kita.capacity_empty"
	CodeAgeRange          problem.Code = "kita.age_range_invalid"
	CodeLocation          problem.Code = "kita.location_invalid"
	CodeFreePlaces        problem.Code = "kita.free_places_invalid"
	CodeReportTimeMissing problem.Code = "kita.report_time_missing"
	CodeOpening           problem.Code = "kita.opening_invalid"
	CodeProfile           problem.Code = "kita.profile_invalid"
	CodeQuery             problem.Code = "kita.query_invalid"
)

// Limits of the facility data.
const (
	// MaxIDLen is the longest Kita id, in bytes.
	MaxIDLen = 64
	// MaxNameLen is the longest Kita name, in characters.
	MaxNameLen = 200
	// MaxProfileTextLen is the longest profile text or concept, in characters.
	MaxProfileTextLen = 20000
	// MaxAgeMonthsLimit is the oldest minimum age a Kita may set (7 years).
	MaxAgeMonthsLimit = 84
	// maxHoursWithoutOptions bounds weekly hours when no options are given.
	maxHoursWithoutOptions = 60
)

// Validate checks the Kita and returns a [problem.List] of every problem, or
// nil. Hours must be among allowed; a nil allowed accepts 1 to 60 hours. The
// address is checked only when any part of it is set (then street, postal
// code and town are required).
func (k Kita) Validate(allowed HoursOptions) error {
	var c problem.Collector
	k.check(&c, allowed)
	return c.Err()
}

func (k Kita) check(c *problem.Collector, allowed HoursOptions) {
	switch {
	case k.ID == "":
		c.Add("id", CodeIDMissing, ErrMissing)
	case !validID(k.ID):
		c.Add("id", CodeIDInvalid, ErrMalformed, "max", strconv.Itoa(MaxIDLen))
	}
	switch n := utf8.RuneCountInString(k.Name); {
	case strings.TrimSpace(k.Name) == "":
		c.Add("name", CodeNameMissing, ErrMissing)
	case n > MaxNameLen || !utf8.ValidString(k.Name):
		c.Add("name", CodeNameTooLong, ErrMalformed, "max", strconv.Itoa(MaxNameLen))
	}
	if !k.Carrier.Kind.Valid() {
		c.Add("carrier.kind", CodeCarrierKind, ErrMalformed)
	}
	checkHours(c, k.Hours, allowed)
	checkCapacity(c, k.Capacity)
	checkPools(c, k.Pools, k.Hours, k.Capacity)
	if k.MinAgeMonths < 0 || k.MinAgeMonths > MaxAgeMonthsLimit {
		c.Add("min_age_months", CodeAgeRange, ErrAgeRange, "max", strconv.Itoa(MaxAgeMonthsLimit))
	}
	if k.MaxAgeMonths < 0 || (k.MaxAgeMonths != 0 && k.MaxAgeMonths <= k.MinAgeMonths) {
		c.Add("max_age_months", CodeAgeRange, ErrAgeRange)
	}
	if !k.Location.IsZero() && !k.Location.Valid() {
		c.Add("location", CodeLocation, ErrLocation)
	}
	if k.Address != (geo.Address{}) {
		c.Merge("address", problem.Struct(k.Address))
	}
	checkFree(c, "free_places", k.FreePlaces, k.Capacity)
	checkOpening(c, k.Opening)
	checkProfile(c, k.Profile, k.Capacity)
}

func validID(id string) bool {
	if len(id) > MaxIDLen || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func checkHours(c *problem.Collector, hours HoursOptions, allowed HoursOptions) {
	if len(hours) == 0 {
		c.Add("hours", CodeHoursMissing, ErrMissing)
		return
	}
	for i, h := range hours {
		field := "hours[" + strconv.Itoa(i) + "]"
		switch {
		case allowed != nil && !allowed.Allows(h):
			c.Add(field, CodeHoursNotOffered, ErrHours, "allowed", allowed.String())
		case allowed == nil && (h < 1 || h > maxHoursWithoutOptions):
			c.Add(field, CodeHoursNotOffered, ErrHours, "allowed", "1–60")
		}
		for _, prev := range hours[:i] {
			if prev == h {
				c.Add(field, CodeHoursDuplicate, ErrDuplicate)
				break
			}
		}
	}
}

func checkCapacity(c *problem.Collector, cp Capacity) {
	bad := false
	if cp.Under3 < 0 {
		c.Add("capacity.u3", CodeCapacityInvalid, ErrCapacity)
		bad = true
	}
	if cp.From3 < 0 {
		c.Add("capacity.o3", CodeCapacityInvalid, ErrCapacity)
		bad = true
	}
	if !bad && cp.Total() == 0 {
		c.Add("capacity", CodeCapacityEmpty, ErrMissing)
	}
	for i, g := range cp.Groups {
		if !g.Form.Valid() || g.Count < 1 || g.Hours < 0 {
			c.Add("capacity.groups["+strconv.Itoa(i)+"]", CodeCapacityInvalid, ErrCapacity)
		}
	}
}

// checkFree bounds free places: no band negative, together no more than the
// Kita's places (under-3 and over-3 places are partly interchangeable, so
// the bound is on the total).
func checkFree(c *problem.Collector, field string, free, cp Capacity) {
	if free.Under3 < 0 {
		c.Add(field+".u3", CodeFreePlaces, ErrCapacity)
	}
	if free.From3 < 0 {
		c.Add(field+".o3", CodeFreePlaces, ErrCapacity)
	}
	if free.Under3 >= 0 && free.From3 >= 0 && free.Total() > max(cp.Total(), 0) {
		c.Add(field, CodeFreePlaces, ErrCapacity, "max", strconv.Itoa(max(cp.Total(), 0)))
	}
}

func checkOpening(c *problem.Collector, o OpeningHours) {
	if o.Opens == "" && o.Close == "" && len(o.Days) == 0 {
		return
	}
	opens, ok1 := clockMinutes(o.Opens)
	closes, ok2 := clockMinutes(o.Close)
	if !ok1 {
		c.Add("opening.opens", CodeOpening, ErrMalformed)
	}
	if !ok2 {
		c.Add("opening.closes", CodeOpening, ErrMalformed)
	}
	if ok1 && ok2 && closes <= opens {
		c.Add("opening", CodeOpening, ErrMalformed)
	}
	seen := 0
	for i, d := range o.Days {
		if d < time.Sunday || d > time.Saturday || seen&(1<<d) != 0 {
			c.Add("opening.days["+strconv.Itoa(i)+"]", CodeOpening, ErrMalformed)
			continue
		}
		seen |= 1 << d
	}
}

// clockMinutes reads "07:30" as minutes after midnight.
func clockMinutes(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || s[0] == '+' || s[3] == '+' || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

func checkProfile(c *problem.Collector, p PublicProfile, cp Capacity) {
	if p.InclusionPlaces < 0 || p.InclusionPlaces > max(cp.Total(), 0) {
		c.Add("profile.inclusion_places", CodeProfile, ErrCapacity, "max", strconv.Itoa(max(cp.Total(), 0)))
	}
	if utf8.RuneCountInString(p.Text) > MaxProfileTextLen {
		c.Add("profile.text", CodeProfile, ErrMalformed, "max", strconv.Itoa(MaxProfileTextLen))
	}
	if utf8.RuneCountInString(p.Head) > 200 {
		c.Add("profile.head", CodeProfile, ErrMalformed, "max", "200")
	}
	if utf8.RuneCountInString(p.Concept) > MaxProfileTextLen {
		c.Add("profile.concept", CodeProfile, ErrMalformed, "max", strconv.Itoa(MaxProfileTextLen))
	}
	for i, l := range p.Languages {
		if strings.TrimSpace(l) == "" || len(l) > 50 {
			c.Add("profile.languages["+strconv.Itoa(i)+"]", CodeProfile, ErrMalformed)
		}
	}
}
