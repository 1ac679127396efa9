package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/rickb777/date"
	"github.com/shopspring/decimal"
)

// Limits of a fee schedule, so that a hostile file cannot exhaust memory.
const (
	maxScheduleBytes = 1 << 20
	maxPeriods       = 100
	maxBrackets      = 200
)

// FeeSchedule is a city's table of parent fees (Elternbeiträge) as data: it
// is read from JSON with [LoadFeeSchedule] and written back with
// encoding/json. Fees are monthly amounts in euros by income bracket
// (Einkommensstufe) × weekly hours × age (below or from the age split).
//
// A schedule changes over time by amendments: each [FeePeriod] applies from
// its ValidFrom (always the first of a month) until the next period begins,
// the last one until ValidUntil (or indefinitely when ValidUntil is zero).
type FeeSchedule struct {
	// Name describes the schedule, such as "Stadt Bochum, Elternbeitragssatzung".
	Name string `json:"name"`
	// Sample marks an illustrative schedule whose amounts are not the city's.
	Sample bool `json:"sample,omitempty"`
	// Note explains the source or the status of the amounts.
	Note string `json:"note,omitempty"`
	// Hours are the weekly care hours every bracket has a fee for.
	Hours []kita.Hours `json:"hours"`
	// AgeSplit is the age in years below which the higher fee applies
	// (Bochum: 2). The lower fee applies from the first month whose first
	// day the child has reached the age: from the first of the month after
	// the birthday, or from the birthday itself when it falls on a first.
	AgeSplit kita.AgeSplit `json:"age_split"`
	// FeeFreeYearsBeforeSchool is how many Kita years before school entry are
	// free of fees (Beitragsfreiheit, NRW § 50 KiBiz: 2). Counted back from
	// the last Kita year before school entry under the contract's calendar.
	FeeFreeYearsBeforeSchool int `json:"fee_free_years_before_school"`
	// FeeFreeBasis is the legal basis printed beside fee-free months (NRW:
	// "§ 50 KiBiz"); empty prints none, for states with other rules.
	FeeFreeBasis string `json:"fee_free_basis,omitempty"`
	// Siblings is the Geschwisterermäßigung.
	Siblings SiblingRule `json:"siblings"`
	// SiblingPercent is the reduction of further children under [PercentReduction].
	SiblingPercent decimal.Decimal `json:"sibling_percent"`
	// ValidUntil is the last day the schedule covers; zero means open-ended.
	ValidUntil date.Date `json:"valid_until"`
	// Periods are the amendments, ordered by ValidFrom.
	Periods []FeePeriod `json:"periods"`
}

// FeePeriod is one version of the fee table, in force from ValidFrom.
type FeePeriod struct {
	// ValidFrom is the first day of the period; it must be the first of a month.
	ValidFrom date.Date `json:"valid_from"`
	// ExemptBelow: a household whose annual income lies below it pays no fee.
	ExemptBelow decimal.Decimal `json:"exempt_below"`
	// CutPercent cuts every fee of the period by a percentage (Bochum: 25 from 1 August 2025).
	CutPercent decimal.Decimal `json:"cut_percent"`
	// MealFee is the monthly meal fee (Essensgeld), charged only with a meal plan.
	MealFee decimal.Decimal `json:"meal_fee"`
	// Brackets are the income brackets, ordered, not overlapping; the last is open-ended.
	Brackets []Bracket `json:"brackets"`
}

// Bracket is one Einkommensstufe: annual household incomes from From
// (inclusive) up to To (exclusive); a zero To means open-ended and is only
// allowed on the last bracket. Gaps between brackets are allowed in a
// schedule but an income that falls into one cannot be charged.
type Bracket struct {
	From decimal.Decimal `json:"from"`
	To   decimal.Decimal `json:"to"`
	Fees []HoursFee      `json:"fees"`
}

// HoursFee is the monthly fee of a bracket for one weekly care time.
type HoursFee struct {
	Hours kita.Hours `json:"hours"`
	// UnderSplit is the fee for children younger than the age split (the higher fee).
	UnderSplit decimal.Decimal `json:"under_split"`
	// FromSplit is the fee for children who have reached the age split.
	FromSplit decimal.Decimal `json:"from_split"`
}

// LoadFeeSchedule reads a schedule from JSON (at most 1 MiB) and validates
// it. Any problem, syntax included, is returned as a [problem.List].
func LoadFeeSchedule(r io.Reader) (FeeSchedule, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxScheduleBytes+1))
	if err != nil {
		return FeeSchedule{}, err
	}
	if len(data) > maxScheduleBytes {
		var c problem.Collector
		c.Add("", CodeSchedule, ErrSchedule, "rule", "size")
		return FeeSchedule{}, c.Err()
	}
	if err := checkDays(data); err != nil {
		return FeeSchedule{}, err
	}
	s, err := decodeSchedule(data)
	if err != nil {
		var c problem.Collector
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		c.Add(field, CodeScheduleSyntax, ErrSchedule)
		return FeeSchedule{}, c.Err()
	}
	if err := s.Validate(); err != nil {
		return FeeSchedule{}, err
	}
	return s, nil
}

var hundred = decimal.NewFromInt(100)

// checkDays reports every day of the schedule (valid_until, each
// period's valid_from) that is not a YYYY-MM-DD day (kita.ParseDate):
// the date library would move 2025-13-01 to 1 January 2026 without a
// word, or panic on "00000-00". Members of another type are left to
// decodeSchedule, which reports them.
func checkDays(data []byte) error {
	var days struct {
		ValidUntil *string `json:"valid_until"`
		Periods    []struct {
			ValidFrom *string `json:"valid_from"`
		} `json:"periods"`
	}
	if json.Unmarshal(data, &days) != nil {
		return nil
	}
	var c problem.Collector
	check := func(field string, s *string) {
		if s == nil {
			return
		}
		if _, err := kita.ParseDate(*s); err != nil {
			c.Add(field, CodeSchedule, ErrSchedule, "rule", "date YYYY-MM-DD")
		}
	}
	check("valid_until", days.ValidUntil)
	for i, p := range days.Periods {
		check(fmt.Sprintf("periods[%d].valid_from", i), p.ValidFrom)
	}
	return c.Err()
}

// decodeSchedule decodes strictly. A panic inside a field's decoder (the
// date parser of github.com/rickb777/date v1.22.0 panics on some malformed
// dates, found by FuzzLoadFeeSchedule) is turned into a syntax error.
func decodeSchedule(data []byte) (s FeeSchedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = FeeSchedule{}, ErrSchedule
		}
	}()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(&s)
	return s, err
}

func percentOK(d decimal.Decimal) bool { return !d.IsNegative() && d.Cmp(hundred) <= 0 }

// Validate reports every structural problem of the schedule as a
// [problem.List] of code [CodeSchedule] with the broken rule as parameter.
func (s FeeSchedule) Validate() error {
	var c problem.Collector
	bad := func(field, rule string) { c.Add(field, CodeSchedule, ErrSchedule, "rule", rule) }
	if len(s.Hours) == 0 {
		bad("hours", "required")
	}
	seen := map[kita.Hours]bool{}
	for i, h := range s.Hours {
		if h <= 0 || h > 60 || seen[h] {
			bad(fmt.Sprintf("hours[%d]", i), "hours")
		}
		seen[h] = true
	}
	if s.AgeSplit < 1 || s.AgeSplit > 6 {
		bad("age_split", "range 1..6")
	}
	if s.FeeFreeYearsBeforeSchool < 0 || s.FeeFreeYearsBeforeSchool > 6 {
		bad("fee_free_years_before_school", "range 0..6")
	}
	if !s.Siblings.Valid() {
		bad("siblings", "sibling rule")
	}
	if s.Siblings == PercentReduction && !percentOK(s.SiblingPercent) {
		bad("sibling_percent", "percent 0..100")
	}
	if len(s.Periods) == 0 || len(s.Periods) > maxPeriods {
		bad("periods", "count 1.."+strconv.Itoa(maxPeriods))
	}
	for i, p := range s.Periods {
		f := fmt.Sprintf("periods[%d]", i)
		switch {
		case p.ValidFrom.IsZero() || p.ValidFrom.Day() != 1:
			bad(f+".valid_from", "first of a month")
		case i > 0 && !p.ValidFrom.After(s.Periods[i-1].ValidFrom):
			bad(f+".valid_from", "ascending")
		}
		if p.ExemptBelow.IsNegative() {
			bad(f+".exempt_below", "not negative")
		}
		if !percentOK(p.CutPercent) {
			bad(f+".cut_percent", "percent 0..100")
		}
		if p.MealFee.IsNegative() {
			bad(f+".meal_fee", "not negative")
		}
		if len(p.Brackets) == 0 || len(p.Brackets) > maxBrackets {
			bad(f+".brackets", "count 1.."+strconv.Itoa(maxBrackets))
		}
		for j, b := range p.Brackets {
			bf := fmt.Sprintf("%s.brackets[%d]", f, j)
			last := j == len(p.Brackets)-1
			if b.From.IsNegative() {
				bad(bf+".from", "not negative")
			}
			switch {
			case b.To.IsZero() && !last:
				bad(bf+".to", "only the last bracket is open-ended")
			case !b.To.IsZero() && last:
				bad(bf+".to", "the last bracket is open-ended")
			case !b.To.IsZero() && b.To.Cmp(b.From) <= 0:
				bad(bf+".to", "to above from")
			}
			if j > 0 {
				prev := p.Brackets[j-1]
				if b.From.Cmp(prev.From) <= 0 || (!prev.To.IsZero() && b.From.Cmp(prev.To) < 0) {
					bad(bf+".from", "ascending, not overlapping")
				}
			}
			have := map[kita.Hours]bool{}
			for k, hf := range b.Fees {
				hff := fmt.Sprintf("%s.fees[%d]", bf, k)
				if !seen[hf.Hours] || have[hf.Hours] {
					bad(hff+".hours", "listed once in hours")
				}
				have[hf.Hours] = true
				if hf.UnderSplit.IsNegative() || hf.FromSplit.IsNegative() {
					bad(hff, "not negative")
				}
			}
			if len(have) != len(seen) {
				bad(bf+".fees", "a fee for every hours option")
			}
		}
	}
	if !s.ValidUntil.IsZero() && len(s.Periods) > 0 {
		last := s.Periods[len(s.Periods)-1].ValidFrom
		if s.ValidUntil.Before(last) || s.ValidUntil.Add(1).Day() != 1 {
			bad("valid_until", "last day of a month after the last period")
		}
	}
	return c.Err()
}

// offers reports whether the schedule has fees for h.
func (s FeeSchedule) offers(h kita.Hours) bool {
	for _, o := range s.Hours {
		if o == h {
			return true
		}
	}
	return false
}

func (s FeeSchedule) hoursText() string { return kita.HoursOptions(s.Hours).String() }

// Sibling is a brother or sister in day care at the same time, for the
// Geschwisterermäßigung. Only what the fee rule needs is asked for.
type Sibling struct {
	// BirthDate decides the sibling's own fee and ties (the older child ranks first).
	BirthDate date.Date `json:"birth_date"`
	// Hours are the sibling's weekly care hours.
	Hours kita.Hours `json:"hours"`
	// From is the sibling's first day of care; zero means already in care.
	From date.Date `json:"from"`
	// Until is the sibling's last day of care; zero means until school entry.
	Until date.Date `json:"until"`
	// First breaks an exact tie (same fee, same birth date: twins): set it
	// on the twin who counts as the first child, in both contracts alike.
	First bool `json:"first"`
}

// FeeQuery is what a fee calculation needs to know about one contract.
type FeeQuery struct {
	Calendar  kita.Calendar
	BirthDate date.Date
	Start     date.Date
	End       date.Date
	Hours     kita.Hours
	// Income is the annual household income in euros.
	Income   decimal.Decimal
	MealPlan bool
	Siblings []Sibling
	// First: the contract child counts as first on an exact tie with a sibling.
	First bool
}

// FeeStatement itemizes the fees of a contract as month bands: consecutive
// months with the same fee, meal fee and reasons form one band.
type FeeStatement struct {
	Bands []Band `json:"bands"`
}

// Band is a run of months with the same monthly amounts.
//
// Rounding rule: the parent fee is computed exactly from the table amount,
// the sibling reduction and the period's cut, and then rounded once to
// cents, half away from zero (kaufmännisch). The meal fee is rounded the
// same way.
type Band struct {
	// From is the first day of the band (the contract start or a first of a month).
	From date.Date `json:"from"`
	// To is the last day of the band (the contract end or a last of a month).
	To date.Date `json:"to"`
	// Fee is the monthly parent fee (Elternbeitrag) in euros.
	Fee decimal.Decimal `json:"fee"`
	// MealFee is the monthly meal fee in euros (zero without a meal plan).
	MealFee decimal.Decimal `json:"meal_fee"`
	// Reasons explain the fee, in the order they were applied.
	Reasons []Reason `json:"reasons"`
	// AgeSplit is the schedule's split age, for the text of age reasons.
	AgeSplit kita.AgeSplit `json:"age_split"`
	// FeeFreeBasis is the schedule's legal basis of fee-free years.
	FeeFreeBasis string `json:"fee_free_basis,omitempty"`
	// SiblingPercent and CutPercent are the percentages applied, for the text.
	SiblingPercent decimal.Decimal `json:"sibling_percent"`
	CutPercent     decimal.Decimal `json:"cut_percent"`
}

// Months returns the number of calendar months the band touches; a month
// begun counts in full (no pro-rata fees).
func (b Band) Months() int {
	y1, m1, _ := b.From.Date()
	y2, m2, _ := b.To.Date()
	return (y2-y1)*12 + int(m2) - int(m1) + 1
}

// Total returns the monthly fee plus meal fee.
func (b Band) Total() decimal.Decimal { return b.Fee.Add(b.MealFee) }

// Explain returns the reasons as one line in the language l.
func (b Band) Explain(l Language) string {
	var buf bytes.Buffer
	for i, r := range b.Reasons {
		if i > 0 {
			buf.WriteString("; ")
		}
		buf.WriteString(reasonText(r, l, b))
	}
	return buf.String()
}

func reasonText(r Reason, l Language, b Band) string {
	en := l == English
	split := strconv.Itoa(int(b.AgeSplit))
	switch r {
	case ReasonFeeFree:
		text := "beitragsfreies Jahr"
		if en {
			text = "fee-free year"
		}
		if b.FeeFreeBasis != "" {
			text += " (" + b.FeeFreeBasis + ")"
		}
		return text
	case ReasonExempt:
		if en {
			return "exempt: income below threshold"
		}
		return "befreit: Einkommen unter der Freigrenze"
	case ReasonUnderSplit:
		if en {
			return "under " + split + " years"
		}
		return "unter " + split + " Jahren"
	case ReasonFromSplit:
		if en {
			return "age " + split + " and over"
		}
		return "ab " + split + " Jahren"
	case ReasonSiblingFree:
		if en {
			return "sibling pays the highest fee"
		}
		return "Geschwisterkind zahlt den höchsten Beitrag"
	case ReasonSiblingReduced:
		if en {
			return "sibling reduction " + formatPercent(b.SiblingPercent, l)
		}
		return "Geschwisterermäßigung " + formatPercent(b.SiblingPercent, l)
	case ReasonCut:
		if en {
			return formatPercent(b.CutPercent, l) + " fee cut"
		}
		return "Beitragssenkung um " + formatPercent(b.CutPercent, l)
	}
	return ""
}

// Months returns the number of months the statement covers.
func (s FeeStatement) Months() int {
	n := 0
	for _, b := range s.Bands {
		n += b.Months()
	}
	return n
}

// Sum returns what the family pays over the whole contract (fees and meal fees).
func (s FeeStatement) Sum() decimal.Decimal {
	sum := decimal.Zero
	for _, b := range s.Bands {
		sum = sum.Add(b.Total().Mul(decimal.NewFromInt(int64(b.Months()))))
	}
	return sum
}

// FeeFreeFrom returns the first day of the first fee-free Kita year of a
// child born on birth: the start of the Kita year FeeFreeYearsBeforeSchool−1
// years before the last Kita year before school entry. Under NRW's calendar
// and 2 years this is 1 August of the year in which the child turns 4 when
// its 4th birthday is on or before 30 September, else 1 August a year later.
// With zero fee-free years it returns the zero date.
func (s FeeSchedule) FeeFreeFrom(cal kita.Calendar, birth date.Date) date.Date {
	if s.FeeFreeYearsBeforeSchool <= 0 {
		return date.Date{}
	}
	last := cal.YearOf(cal.KitaEnd(birth))
	return last.First().AddDate(-(s.FeeFreeYearsBeforeSchool - 1), 0, 0)
}

// monthFee is the fee of one child in one month before sibling rules and cut.
type monthFee struct {
	fee     decimal.Decimal
	reasons []Reason
}

type feeError struct {
	code  problem.Code
	field string
}

func (s FeeSchedule) period(m date.Date) (FeePeriod, bool) {
	for i := len(s.Periods) - 1; i >= 0; i-- {
		if !m.Before(s.Periods[i].ValidFrom) {
			return s.Periods[i], true
		}
	}
	return FeePeriod{}, false
}

func (s FeeSchedule) base(p FeePeriod, cal kita.Calendar, birth date.Date, h kita.Hours, income decimal.Decimal, m date.Date) (monthFee, *feeError) {
	if ff := s.FeeFreeFrom(cal, birth); !ff.IsZero() && !m.Before(ff) {
		return monthFee{fee: decimal.Zero, reasons: []Reason{ReasonFeeFree}}, nil
	}
	if income.Cmp(p.ExemptBelow) < 0 {
		return monthFee{fee: decimal.Zero, reasons: []Reason{ReasonExempt}}, nil
	}
	for _, b := range p.Brackets {
		if income.Cmp(b.From) < 0 || (!b.To.IsZero() && income.Cmp(b.To) >= 0) {
			continue
		}
		for _, hf := range b.Fees {
			if hf.Hours != h {
				continue
			}
			if s.AgeSplit.Below(birth, m) {
				return monthFee{fee: hf.UnderSplit, reasons: []Reason{ReasonUnderSplit}}, nil
			}
			return monthFee{fee: hf.FromSplit, reasons: []Reason{ReasonFromSplit}}, nil
		}
		return monthFee{}, &feeError{CodeHoursNotOffered, "hours"}
	}
	return monthFee{}, &feeError{CodeBracketGap, "income"}
}

// Calculate computes the monthly fees of a contract from q.Start to q.End
// month by month and groups them into bands. Each month is judged on its
// first day: the period in force, the age split and the fee-free years. A
// month begun counts in full. The order of rules is: fee-free year, income
// exemption, table fee (bracket × hours × age), sibling rule, percentage
// cut, rounding to cents.
//
// A month before the first period or after ValidUntil, an income in a
// bracket gap or hours the schedule lacks give a [problem.List] (codes
// [CodeFeeNotCovered], [CodeBracketGap], [CodeHoursNotOffered]); the list
// never contains the income or dates of the query.
func (s FeeSchedule) Calculate(q FeeQuery) (FeeStatement, error) {
	var c problem.Collector
	if err := s.Validate(); err != nil {
		c.Merge("fees", err)
		return FeeStatement{}, c.Err()
	}
	if q.BirthDate.IsZero() || q.Start.IsZero() || q.End.IsZero() || q.End.Before(q.Start) {
		c.Add("start", CodeStartAfterEnd, ErrDates)
		return FeeStatement{}, c.Err()
	}
	if !s.offers(q.Hours) {
		c.Add("hours", CodeHoursNotOffered, ErrHours, "allowed", s.hoursText())
	}
	for i, sib := range q.Siblings {
		if !s.offers(sib.Hours) {
			c.Add(fmt.Sprintf("siblings[%d].hours", i), CodeHoursNotOffered, ErrHours, "allowed", s.hoursText())
		}
		if sib.BirthDate.IsZero() {
			c.Add(fmt.Sprintf("siblings[%d].birth_date", i), CodeBirthDateMissing, ErrParty)
		}
	}
	if c.Len() > 0 {
		return FeeStatement{}, c.Err()
	}
	notCovered := func() {
		until := "—"
		if !s.ValidUntil.IsZero() {
			until = s.ValidUntil.Format("02.01.2006")
		}
		c.Add("start", CodeFeeNotCovered, ErrNotCovered,
			"from", s.Periods[0].ValidFrom.Format("02.01.2006"), "until", until)
	}
	if !s.ValidUntil.IsZero() && q.End.After(s.ValidUntil) {
		notCovered()
		return FeeStatement{}, c.Err()
	}
	var st FeeStatement
	y, mo, _ := q.Start.Date()
	for m := date.New(y, mo, 1); !m.After(q.End); m = m.AddDate(0, 1, 0) {
		p, ok := s.period(m)
		if !ok {
			notCovered()
			return FeeStatement{}, c.Err()
		}
		own, ferr := s.base(p, q.Calendar, q.BirthDate, q.Hours, q.Income, m)
		if ferr != nil {
			rule := ErrNotCovered
			if ferr.code == CodeHoursNotOffered {
				rule = ErrHours
			}
			c.Add(ferr.field, ferr.code, rule)
			return FeeStatement{}, c.Err()
		}
		band := Band{Fee: own.fee, Reasons: own.reasons, AgeSplit: s.AgeSplit, FeeFreeBasis: s.FeeFreeBasis}
		if s.Siblings != NoSiblingReduction && own.fee.IsPositive() {
			ahead := false
			for _, sib := range q.Siblings {
				if !siblingInCare(q.Calendar, sib, m) {
					continue
				}
				sf, ferr := s.base(p, q.Calendar, sib.BirthDate, sib.Hours, q.Income, m)
				if ferr != nil {
					continue // the sibling's own contract reports it
				}
				if cmp := sf.fee.Cmp(own.fee); cmp > 0 || (cmp == 0 && older(sib, q)) {
					ahead = true
					break
				}
			}
			if ahead && s.Siblings == MostExpensiveOnly {
				band.Fee = decimal.Zero
				band.Reasons = append(band.Reasons, ReasonSiblingFree)
			}
			if ahead && s.Siblings == PercentReduction && s.SiblingPercent.IsPositive() {
				band.Fee = band.Fee.Mul(hundred.Sub(s.SiblingPercent)).Shift(-2)
				band.SiblingPercent = s.SiblingPercent
				band.Reasons = append(band.Reasons, ReasonSiblingReduced)
			}
		}
		if p.CutPercent.IsPositive() && band.Fee.IsPositive() {
			band.Fee = band.Fee.Mul(hundred.Sub(p.CutPercent)).Shift(-2)
			band.CutPercent = p.CutPercent
			band.Reasons = append(band.Reasons, ReasonCut)
		}
		band.Fee = band.Fee.Round(2)
		if q.MealPlan {
			band.MealFee = p.MealFee.Round(2)
		} else {
			band.MealFee = decimal.Zero
		}
		band.From = maxDate(m, q.Start)
		band.To = minDate(m.AddDate(0, 1, -1), q.End)
		if n := len(st.Bands); n > 0 && sameBand(st.Bands[n-1], band) {
			st.Bands[n-1].To = band.To
			continue
		}
		st.Bands = append(st.Bands, band)
	}
	return st, nil
}

// older reports whether the sibling ranks before the contract child on equal fees.
func older(sib Sibling, q FeeQuery) bool {
	if sib.BirthDate.Equal(q.BirthDate) {
		return sib.First && !q.First
	}
	return sib.BirthDate.Before(q.BirthDate)
}

func siblingInCare(cal kita.Calendar, sib Sibling, m date.Date) bool {
	last := m.AddDate(0, 1, -1)
	if !sib.From.IsZero() && sib.From.After(last) {
		return false
	}
	until := sib.Until
	if until.IsZero() {
		until = cal.KitaEnd(sib.BirthDate)
	}
	return !until.Before(m)
}

func sameBand(a, b Band) bool {
	if !a.Fee.Equal(b.Fee) || !a.MealFee.Equal(b.MealFee) || len(a.Reasons) != len(b.Reasons) ||
		!a.CutPercent.Equal(b.CutPercent) || !a.SiblingPercent.Equal(b.SiblingPercent) {
		return false
	}
	for i := range a.Reasons {
		if a.Reasons[i] != b.Reasons[i] {
			return false
		}
	}
	return true
}

func maxDate(a, b date.Date) date.Date {
	if a.After(b) {
		return a
	}
	return b
}

func minDate(a, b date.Date) date.Date {
	if a.Before(b) {
		return a
	}
	return b
}
