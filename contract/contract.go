package contract

import (
	"fmt"
	"strings"
	"time"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/rickb777/date"
	"github.com/shopspring/decimal"
)

// Limits of the plain input.
const (
	MaxGuardians = 2
	maxNumber    = 40
	maxText      = 200
)

// Provider is the other party: for a Kita its Träger (CarrierName),
// represented by the Kita-Leitung (Representative), with the Kita's Name and
// Address; for Kindertagespflege the Tagespflegeperson herself (Name,
// Address), without carrier or representative.
type Provider struct {
	Name           string      `json:"name"`
	Representative string      `json:"representative"`
	CarrierName    string      `json:"carrier_name"`
	Address        geo.Address `json:"address"`
}

// Party is a guardian (Sorgeberechtigte/r) signing the contract.
type Party struct {
	Name    string      `json:"name"`
	Address geo.Address `json:"address"`
	Email   string      `json:"email"`
	Phone   string      `json:"phone"`
}

// Child is the child to be cared for.
type Child struct {
	Name      string      `json:"name"`
	BirthDate date.Date   `json:"birth_date"`
	Address   geo.Address `json:"address"`
}

// Draft is the plain input of a contract, taken from an accepted offer
// (Kita) or a placement with a child-minder (Tagespflege).
type Draft struct {
	// Number is the contract number, unique per city.
	Number    string    `json:"number"`
	Kind      Kind      `json:"kind"`
	Provider  Provider  `json:"provider"`
	Guardians []Party   `json:"guardians"`
	Child     Child     `json:"child"`
	Start     date.Date `json:"start"`
	// End is an earlier agreed end; zero means the day before school entry.
	End   date.Date  `json:"end"`
	Hours kita.Hours `json:"hours"`
	// Language is the language of the contract; German is binding.
	Language Language `json:"language"`
	// Income is the annual household income in euros, for the fee.
	Income   decimal.Decimal `json:"income"`
	Siblings []Sibling       `json:"siblings"`
	// FirstChild breaks an exact tie with a twin (see [Sibling.First]).
	FirstChild bool `json:"first_child"`
	MealPlan   bool `json:"meal_plan"`
	// CreatedAt is the instant of creation, printed in and embedded into the PDF.
	CreatedAt time.Time `json:"created_at"`
}

// Rules are what a city or carrier decides about contracts.
type Rules struct {
	// Calendar decides the end of the contract (the day before school entry) and the fee-free years.
	Calendar kita.Calendar
	// Fees is the city's fee schedule.
	Fees FeeSchedule
	// SettlingInWeeksUnder3 and SettlingInWeeksFrom3 are the minimum
	// Eingewöhnung by the child's age band at the start.
	SettlingInWeeksUnder3 int
	SettlingInWeeksFrom3  int
	// ClosureDays is the maximum number of closure days a year.
	ClosureDays int
	// NoticeMonths is the parents' notice period, to the end of a month.
	NoticeMonths int
	// Clauses are the clause templates; nil means [DefaultClauses].
	Clauses *Clauses
}

// Contract is a generated Betreuungsvertrag. It is immutable: all fields are
// unexported and the accessors return copies. The zero Contract is not a
// contract; only [Generate] makes one.
type Contract struct {
	d         Draft
	end       date.Date
	settling  int
	mealFee   decimal.Decimal
	fees      FeeStatement
	clauses   []Clause
	generated bool
}

// Number returns the contract number.
func (c Contract) Number() string { return c.d.Number }

// Kind returns the kind of care.
func (c Contract) Kind() Kind { return c.d.Kind }

// Provider returns the provider party.
func (c Contract) Provider() Provider { return c.d.Provider }

// Guardians returns a copy of the guardians.
func (c Contract) Guardians() []Party { return append([]Party(nil), c.d.Guardians...) }

// Child returns the child.
func (c Contract) Child() Child { return c.d.Child }

// Start returns the first day of care.
func (c Contract) Start() date.Date { return c.d.Start }

// End returns the last day of care.
func (c Contract) End() date.Date { return c.end }

// Hours returns the weekly care hours.
func (c Contract) Hours() kita.Hours { return c.d.Hours }

// Language returns the contract language.
func (c Contract) Language() Language { return c.d.Language }

// MealPlan reports whether the child takes part in the meal plan.
func (c Contract) MealPlan() bool { return c.d.MealPlan }

// SettlingInWeeks returns the minimum weeks of Eingewöhnung.
func (c Contract) SettlingInWeeks() int { return c.settling }

// CreatedAt returns the creation instant (UTC).
func (c Contract) CreatedAt() time.Time { return c.d.CreatedAt }

// Fees returns a copy of the fee statement.
func (c Contract) Fees() FeeStatement {
	bands := make([]Band, len(c.fees.Bands))
	for i, b := range c.fees.Bands {
		b.Reasons = append([]Reason(nil), b.Reasons...)
		bands[i] = b
	}
	return FeeStatement{Bands: bands}
}

// Clauses returns a copy of the filled-in clauses.
func (c Contract) Clauses() []Clause { return append([]Clause(nil), c.clauses...) }

// Valid reports whether c was made by [Generate].
func (c Contract) Valid() bool { return c.generated }

// Validate reports impossible rules as a [problem.List].
func (r Rules) Validate() error {
	var c problem.Collector
	if err := r.Calendar.Validate(); err != nil {
		c.Add("calendar", CodeRules, ErrRules, "rule", "calendar")
	}
	c.Merge("fees", r.Fees.Validate())
	if r.SettlingInWeeksUnder3 < 0 || r.SettlingInWeeksUnder3 > 26 {
		c.Add("settling_in_weeks_under3", CodeRules, ErrRules, "rule", "range 0..26")
	}
	if r.SettlingInWeeksFrom3 < 0 || r.SettlingInWeeksFrom3 > 26 {
		c.Add("settling_in_weeks_from3", CodeRules, ErrRules, "rule", "range 0..26")
	}
	if r.ClosureDays < 0 || r.ClosureDays > 60 {
		c.Add("closure_days", CodeRules, ErrRules, "rule", "range 0..60")
	}
	if r.NoticeMonths < 0 || r.NoticeMonths > 12 {
		c.Add("notice_months", CodeRules, ErrRules, "rule", "range 0..12")
	}
	return c.Err()
}

func checkText(c *problem.Collector, field, s string, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		c.Add(field, CodeNameMissing, ErrParty)
	case len(s) > maxText:
		c.Add(field, CodeTextTooLong, ErrParty, "max", fmt.Sprint(maxText))
	}
}

// Generate checks the draft against the rules and makes the contract: the
// end date (the day before school entry under r.Calendar, or the agreed
// earlier end), the settling-in period by age band at the start, the fee
// statement and the clause texts in the draft's language.
//
// Every problem of the draft is returned at once as a [problem.List]; the
// list names fields and codes, never names, dates, addresses or incomes.
func Generate(d Draft, r Rules) (Contract, error) {
	if err := r.Validate(); err != nil {
		var c problem.Collector
		c.Merge("rules", err)
		return Contract{}, c.Err()
	}
	var c problem.Collector
	switch {
	case strings.TrimSpace(d.Number) == "":
		c.Add("number", CodeNumberMissing, ErrInput)
	case len(d.Number) > maxNumber:
		c.Add("number", CodeNumberTooLong, ErrInput, "max", fmt.Sprint(maxNumber))
	}
	if !d.Kind.Valid() {
		c.Add("kind", CodeKindInvalid, ErrInput)
	}
	if !d.Language.Valid() {
		c.Add("language", CodeLanguageInvalid, ErrInput)
	}
	if d.CreatedAt.IsZero() {
		c.Add("created_at", CodeCreatedMissing, ErrInput)
	}
	if d.Income.IsNegative() {
		c.Add("income", CodeIncomeNegative, ErrInput)
	}
	checkText(&c, "provider.name", d.Provider.Name, true)
	checkText(&c, "provider.representative", d.Provider.Representative, false)
	checkText(&c, "provider.carrier_name", d.Provider.CarrierName, false)
	if d.Kind == Kita {
		if strings.TrimSpace(d.Provider.Representative) == "" {
			c.Add("provider.representative", CodeRepresentative, ErrParty)
		}
		if strings.TrimSpace(d.Provider.CarrierName) == "" {
			c.Add("provider.carrier_name", CodeCarrierMissing, ErrParty)
		}
	}
	c.Merge("provider.address", problem.Struct(d.Provider.Address))
	switch {
	case len(d.Guardians) == 0:
		c.Add("guardians", CodeGuardianMissing, ErrGuardians)
	case len(d.Guardians) > MaxGuardians:
		c.Add("guardians", CodeTooManyGuardians, ErrGuardians, "max", fmt.Sprint(MaxGuardians))
	}
	for i, g := range d.Guardians {
		f := fmt.Sprintf("guardians[%d]", i)
		checkText(&c, f+".name", g.Name, true)
		checkText(&c, f+".email", g.Email, false)
		checkText(&c, f+".phone", g.Phone, false)
		c.Merge(f+".address", problem.Struct(g.Address))
	}
	checkText(&c, "child.name", d.Child.Name, true)
	c.Merge("child.address", problem.Struct(d.Child.Address))
	birth := d.Child.BirthDate
	if birth.IsZero() {
		c.Add("child.birth_date", CodeBirthDateMissing, ErrParty)
	}
	end := d.End
	if d.Start.IsZero() {
		c.Add("start", CodeStartMissing, ErrDates)
	}
	if !birth.IsZero() && !d.Start.IsZero() {
		kitaEnd := r.Calendar.KitaEnd(birth)
		if end.IsZero() {
			end = kitaEnd
		}
		switch {
		case d.Start.Before(birth):
			c.Add("start", CodeBornAfterStart, ErrDates)
		case r.Calendar.SchoolAgeOn(birth, d.Start):
			c.Add("start", CodeSchoolAgeAtStart, ErrDates)
		case end.After(kitaEnd):
			c.Add("end", CodeEndAfterSchoolEntry, ErrDates)
		case d.Start.After(end):
			c.Add("start", CodeStartAfterEnd, ErrDates)
		}
	}
	if d.Hours != 0 && !r.Fees.offers(d.Hours) || d.Hours == 0 {
		c.Add("hours", CodeHoursNotOffered, ErrHours, "allowed", r.Fees.hoursText())
	}
	if c.Len() > 0 {
		return Contract{}, c.Err()
	}
	fees, err := r.Fees.Calculate(FeeQuery{
		Calendar: r.Calendar, BirthDate: birth, Start: d.Start, End: end, Hours: d.Hours,
		Income: d.Income, MealPlan: d.MealPlan, Siblings: d.Siblings, First: d.FirstChild,
	})
	if err != nil {
		return Contract{}, err
	}
	settling := r.SettlingInWeeksFrom3
	if kita.BandOn(birth, d.Start) == kita.Under3 {
		settling = r.SettlingInWeeksUnder3
	}
	mealFee := decimal.Zero
	if p, ok := r.Fees.period(date.New(d.Start.Year(), d.Start.Month(), 1)); ok {
		mealFee = p.MealFee.Round(2)
	}
	clauses := r.Clauses
	if clauses == nil {
		clauses = DefaultClauses()
	}
	l := d.Language
	texts, err := clauses.render(l, ClauseData{
		Number: d.Number, IsKita: d.Kind == Kita,
		Provider: d.Provider.Name, Carrier: d.Provider.CarrierName, Representative: d.Provider.Representative,
		Child: d.Child.Name, Start: FormatDate(d.Start, l), End: FormatDate(end, l), Hours: int(d.Hours),
		SettlingInWeeks: settling, MealPlan: d.MealPlan, MealFee: FormatEuro(mealFee, l),
		ClosureDays: r.ClosureDays, NoticeMonths: r.NoticeMonths,
	})
	if err != nil {
		return Contract{}, err
	}
	d.Guardians = append([]Party(nil), d.Guardians...)
	d.Siblings = append([]Sibling(nil), d.Siblings...)
	d.CreatedAt = d.CreatedAt.UTC()
	return Contract{d: d, end: end, settling: settling, mealFee: mealFee, fees: fees, clauses: texts, generated: true}, nil
}
