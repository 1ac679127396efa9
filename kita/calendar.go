package kita

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/problem"
)

// Sentinel errors of the calendar rules.
var (
	// ErrYearLabel: a Kita year label is not of the form "2020/2021" or "2020/21".
	ErrYearLabel = errors.New("kita: malformed Kita year label")
	// ErrCalendar: a calendar setting is impossible (no such day, 29 February as year start).
	ErrCalendar = errors.New("kita: invalid calendar")
)

// MonthDay is a day of the year without a year, such as 1 August.
type MonthDay struct {
	Month time.Month `json:"month"`
	Day   int        `json:"day"`
}

// In returns the day in the given calendar year.
func (md MonthDay) In(year int) date.Date { return date.New(year, md.Month, md.Day) }

// String formats as "01.08." (German day.month).
func (md MonthDay) String() string { return fmt.Sprintf("%02d.%02d.", md.Day, int(md.Month)) }

func (md MonthDay) valid(allowLeapDay bool) bool {
	if md.Month < time.January || md.Month > time.December || md.Day < 1 {
		return false
	}
	if md.Month == time.February && md.Day == 29 {
		return allowLeapDay
	}
	return md.Day <= date.DaysIn(2001, md.Month)
}

// Calendar holds the calendar rules of a state: when the Kindergartenjahr
// (Kita year) begins and when a child starts school. It is part of the
// municipality profile; [NRW] is the calendar of North Rhine-Westphalia.
type Calendar struct {
	// YearStart is the first day of every Kita year (NRW: 1 August, KiBiz § 1 (3)).
	YearStart MonthDay `json:"year_start"`
	// SchoolAge is the age at which school begins (6, § 35 SchulG NRW).
	SchoolAge int `json:"school_age"`
	// SchoolCutoff: a child who reaches SchoolAge on or before this day of a
	// year starts school on SchoolStart of that year (NRW: 30 September).
	SchoolCutoff MonthDay `json:"school_cutoff"`
	// SchoolStart is the first school day that ends Kita attendance; the Kita
	// place ends the day before (NRW: 1 August, so the place ends on 31 July).
	SchoolStart MonthDay `json:"school_start"`
}

// NRW is the calendar of North Rhine-Westphalia: Kita year 1 August to
// 31 July (KiBiz § 1 (3)); a child who turns 6 by 30 September starts school
// on 1 August of that year (§ 35 SchulG NRW).
var NRW = Calendar{
	YearStart:    MonthDay{time.August, 1},
	SchoolAge:    6,
	SchoolCutoff: MonthDay{time.September, 30},
	SchoolStart:  MonthDay{time.August, 1},
}

// CodeCalendar is the stable code of an impossible calendar setting.
const CodeCalendar problem.Code = "kita.calendar_invalid"

// Validate reports impossible settings as a [problem.List] whose problems
// unwrap to [ErrCalendar]: a year start that is no day of every year, a
// cut-off or school start that is no day, a school age outside 3–8.
func (c Calendar) Validate() error {
	var p problem.Collector
	if !c.YearStart.valid(false) {
		p.Add("year_start", CodeCalendar, ErrCalendar)
	}
	if !c.SchoolCutoff.valid(true) {
		p.Add("school_cutoff", CodeCalendar, ErrCalendar)
	}
	if !c.SchoolStart.valid(false) {
		p.Add("school_start", CodeCalendar, ErrCalendar)
	}
	if c.SchoolAge < 3 || c.SchoolAge > 8 {
		p.Add("school_age", CodeCalendar, ErrCalendar, "min", "3", "max", "8")
	}
	return p.Err()
}

// Year is one Kindergartenjahr: from its first day to the day before the
// next one begins. The zero Year is unset. Years are comparable with ==.
type Year struct {
	first date.Date
	set   bool
}

// YearOf returns the Kita year that d belongs to.
func (c Calendar) YearOf(d date.Date) Year {
	start := c.YearStart.In(d.Year())
	if d.Before(start) {
		start = c.YearStart.In(d.Year() - 1)
	}
	return Year{first: start, set: true}
}

// YearStarting returns the Kita year that begins in calendar year y.
func (c Calendar) YearStarting(y int) Year {
	return Year{first: c.YearStart.In(y), set: true}
}

// ParseYear reads a label such as "2020/2021" or "2020/21": the calendar year
// the Kita year begins in, a slash, and the following year in four or two
// digits. Anything else, years before 1900, and calendars whose year begins
// on 1 January (where the label would not name the year) give [ErrYearLabel].
func (c Calendar) ParseYear(label string) (Year, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(label), "/")
	if !ok || len(a) != 4 || (len(b) != 2 && len(b) != 4) || !digits(a) || !digits(b) {
		return Year{}, ErrYearLabel
	}
	y, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || y < 1900 || y > 9998 {
		return Year{}, ErrYearLabel
	}
	next := y + 1
	if (len(b) == 4 && n != next) || (len(b) == 2 && n != next%100) {
		return Year{}, ErrYearLabel
	}
	if c.YearStart.Month == time.January && c.YearStart.Day == 1 {
		return Year{}, ErrYearLabel
	}
	return c.YearStarting(y), nil
}

// digits reports whether s is all ASCII digits (strconv.Atoi alone would
// take "+1" and "-1").
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsZero reports whether y is unset.
func (y Year) IsZero() bool { return !y.set }

// First returns the first day of the year.
func (y Year) First() date.Date { return y.first }

// Last returns the last day of the year (NRW: 31 July).
func (y Year) Last() date.Date { return y.first.AddDate(1, 0, -1) }

// Contains reports whether d lies in the year.
func (y Year) Contains(d date.Date) bool {
	return y.set && !d.Before(y.first) && !d.After(y.Last())
}

// Next returns the following Kita year.
func (y Year) Next() Year { return Year{first: y.first.AddDate(1, 0, 0), set: y.set} }

// Prev returns the preceding Kita year.
func (y Year) Prev() Year { return Year{first: y.first.AddDate(-1, 0, 0), set: y.set} }

// StartYear returns the calendar year in which the Kita year begins.
func (y Year) StartYear() int { return y.first.Year() }

// Label returns "2020/2021" (the calendar years the Kita year touches; a
// year starting on 1 January would be "2021/2022" too, which is why such
// calendars cannot be parsed back).
func (y Year) Label() string {
	if !y.set {
		return ""
	}
	var b [24]byte
	l := strconv.AppendInt(b[:0], int64(y.first.Year()), 10)
	l = append(l, '/')
	l = strconv.AppendInt(l, int64(y.first.Year())+1, 10)
	return string(l)
}

// String returns the label.
func (y Year) String() string { return y.Label() }

// Before reports whether y begins before o.
func (y Year) Before(o Year) bool { return y.first.Before(o.first) }

// MarshalText encodes the label.
func (y Year) MarshalText() ([]byte, error) { return []byte(y.Label()), nil }

// SchoolEntry returns the day a child born on birth starts school: SchoolStart
// of the first year in which it reaches SchoolAge by SchoolCutoff (NRW: the
// child who turns 6 by 30 September starts on 1 August of that year).
func (c Calendar) SchoolEntry(birth date.Date) date.Date {
	y := birth.Year() + c.SchoolAge
	if Anniversary(birth, c.SchoolAge).After(c.SchoolCutoff.In(y)) {
		y++
	}
	return c.SchoolStart.In(y)
}

// KitaEnd returns the last day a child may attend a Kita: the day before
// school entry (NRW: 31 July).
func (c Calendar) KitaEnd(birth date.Date) date.Date {
	return c.SchoolEntry(birth).Add(-1)
}

// SchoolAgeOn reports whether the child is of school age on d (it has
// started, or would have started, school by then).
func (c Calendar) SchoolAgeOn(birth, d date.Date) bool {
	return !d.Before(c.SchoolEntry(birth))
}

// YearsUntilSchool returns the Kita years from the one containing from up to
// the last one before school entry; none when the child is of school age.
func (c Calendar) YearsUntilSchool(birth, from date.Date) []Year {
	end := c.KitaEnd(birth)
	var years []Year
	for y := c.YearOf(from); !y.First().After(end); y = y.Next() {
		years = append(years, y)
	}
	return years
}

// ErrDate: a text is not a calendar date written YYYY-MM-DD, or names a
// day that does not exist.
var ErrDate = errors.New("kita: not a calendar date (YYYY-MM-DD)")

// ParseDate reads a calendar date written YYYY-MM-DD, as forms and files
// carry it. A day that does not exist (2025-02-29, 2025-13-01) is
// [ErrDate], never rolled over into the next month, and no text makes it
// panic (date.ParseISO of github.com/rickb777/date v1.22.0 does both).
// Every edge that reads a date from a person uses it.
func ParseDate(s string) (date.Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return date.Date{}, ErrDate
	}
	return date.New(t.Year(), t.Month(), t.Day()), nil
}
