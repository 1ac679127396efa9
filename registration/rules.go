package registration

import (
	"errors"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

// Rules are the registration rules a city sets in its municipality profile.
type Rules struct {
	// CityCode prefixes reference numbers ("BO" gives BO-2021-000123).
	CityCode string `json:"city_code"`
	// Calendar is the Kita year and school-entry calendar of the state.
	Calendar kita.Calendar `json:"calendar"`
	// MaxChoices is how many Kitas a family may rank (Bochum: 5).
	MaxChoices int `json:"max_choices"`
	// Hours are the weekly care hours the city offers (NRW: 25, 35, 45).
	Hours kita.HoursOptions `json:"hours"`
	// Tagespflege allows choosing Kindertagespflege beside the Kitas.
	Tagespflege bool `json:"tagespflege"`
	// TagespflegeMaxAge: Kindertagespflege can be requested for children
	// younger than this many years at the start (§ 24 (1), (2) SGB VIII: 3).
	TagespflegeMaxAge int `json:"tagespflege_max_age"`
	// YearsAhead is how many Kita years after the current one accept
	// applications (Bochum: any day of the year for this and the next two).
	YearsAhead int `json:"years_ahead"`
	// Deadline is the allocation deadline (Anmeldeschluss) of a Kita year:
	// the last day of this month and day before the year begins. Later
	// applications join the waiting list for later rounds; choices can be
	// changed only until then.
	Deadline kita.MonthDay `json:"deadline"`
	// NoticeMonths is how far ahead a need should be reported (KiBiz § 5 (1): 6).
	NoticeMonths int `json:"notice_months"`
	// NoticeBasis is the legal basis of the notice period, quoted in the
	// confirmation ("§ 5 KiBiz" in NRW; empty quotes none).
	NoticeBasis string `json:"notice_basis,omitempty"`
	// AllowUnborn accepts an expected birth date for an unborn child.
	AllowUnborn bool `json:"allow_unborn"`
	// HardshipReasons are the accepted Härtefall reason codes.
	HardshipReasons []HardshipReason `json:"hardship_reasons"`
	// OfferDays is how many days a family has to answer an offer.
	OfferDays int `json:"offer_days"`
	// ReminderDays is how many days before an offer's RespondBy date the
	// family is reminded of it (0: no reminder; less than OfferDays).
	ReminderDays int `json:"reminder_days"`
	// Location is the city's time zone; "today" is taken there.
	Location *time.Location `json:"-"`
}

// Validate reports impossible rules.
func (r Rules) Validate() error {
	var c problem.Collector
	if err := r.Calendar.Validate(); err != nil {
		c.Add("calendar", "registration.rules_calendar", ErrRules)
	}
	if r.CityCode == "" || len(r.CityCode) > 8 {
		c.Add("city_code", "registration.rules_city_code", ErrRules)
	}
	if r.MaxChoices < 1 || r.MaxChoices > 50 {
		c.Add("max_choices", "registration.rules_max_choices", ErrRules)
	}
	if len(r.Hours) == 0 {
		c.Add("hours", "registration.rules_hours", ErrRules)
	}
	if r.YearsAhead < 0 || r.YearsAhead > 6 {
		c.Add("years_ahead", "registration.rules_years_ahead", ErrRules)
	}
	if r.Deadline.Month < time.January || r.Deadline.Month > time.December || r.Deadline.Day < 1 || r.Deadline.Day > 28 {
		c.Add("deadline", "registration.rules_deadline", ErrRules)
	}
	if r.NoticeMonths < 0 || r.OfferDays < 1 || r.TagespflegeMaxAge < 0 {
		c.Add("notice_months", "registration.rules_periods", ErrRules)
	}
	if r.ReminderDays < 0 || r.ReminderDays >= max(r.OfferDays, 1) {
		c.Add("reminder_days", "registration.rules_reminder_days", ErrRules)
	}
	return c.Err()
}

// ErrRules: the city's registration rules are impossible.
var ErrRules = errors.New("registration: invalid rules")

// DeadlineOf returns the allocation deadline of a Kita year: the last day
// with the rule's month and day before the year begins.
func (r Rules) DeadlineOf(y kita.Year) date.Date {
	d := r.Deadline.In(y.First().Year())
	if !d.Before(y.First()) {
		d = r.Deadline.In(y.First().Year() - 1)
	}
	return d
}

// today returns the calendar date of t in the city's time zone.
func (r Rules) today(t time.Time) date.Date {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	return date.NewAt(t.In(loc))
}
