package kita

import (
	"fmt"
	"time"

	"github.com/rickb777/date"
)

// Age is a child's age in completed years and months.
type Age struct {
	Years  int `json:"years"`
	Months int `json:"months"`
}

// InMonths returns the age in completed months.
func (a Age) InMonths() int { return a.Years*12 + a.Months }

// String formats as "2;05" (years;months).
func (a Age) String() string { return fmt.Sprintf("%d;%02d", a.Years, a.Months) }

// addMonths returns the day n months after d. Where that month has no such
// day (31st, 29 February) the period ends with the month's last day
// (§ 188 (3) BGB), so the new month of age begins on the following day: the
// first of the next month.
func addMonths(d date.Date, n int) date.Date {
	y, m, day := d.Date()
	total := int(m) - 1 + n
	ty := y + floorDiv(total, 12)
	tm := time.Month(total - floorDiv(total, 12)*12 + 1)
	if day > date.DaysIn(ty, tm) {
		return date.New(ty, tm+1, 1)
	}
	return date.New(ty, tm, day)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Anniversary returns the day a child born on birth completes n years. A
// child born on 29 February completes its years on 1 March in common years
// (§ 188 (3) BGB).
func Anniversary(birth date.Date, n int) date.Date { return addMonths(birth, 12*n) }

// ClaimDate returns the day the legal claim to early childhood care begins
// without a needs test: the first birthday (§ 24 (2) SGB VIII).
func ClaimDate(birth date.Date) date.Date { return Anniversary(birth, 1) }

// AgeOn returns the age of a child born on birth on day on; before birth
// it is the zero age.
func AgeOn(birth, on date.Date) Age {
	if on.Before(birth) {
		return Age{}
	}
	by, bm, _ := birth.Date()
	oy, om, _ := on.Date()
	months := (oy-by)*12 + int(om) - int(bm)
	for months > 0 && addMonths(birth, months).After(on) {
		months--
	}
	return Age{Years: months / 12, Months: months % 12}
}

// Band is an age band. The legal bands are [Under3] and [From3] (§ 24
// SGB VIII: U3 / Ü3); cities may add finer splits for fees (Bochum splits
// at age 2), expressed as an [AgeSplit].
type Band int

// The age bands.
const (
	// Under3 (U3): from birth to the third birthday.
	Under3 Band = iota + 1
	// From3 (Ü3): from the third birthday to school entry.
	From3
)

// Valid reports whether b is a known band.
func (b Band) Valid() bool { return b == Under3 || b == From3 }

// String returns "u3" or "o3".
func (b Band) String() string {
	switch b {
	case Under3:
		return "u3"
	case From3:
		return "o3"
	}
	return "unset"
}

// ParseBand reads "u3" or "o3".
func ParseBand(s string) (Band, bool) {
	switch s {
	case "u3":
		return Under3, true
	case "o3":
		return From3, true
	}
	return 0, false
}

// MarshalText encodes the band name.
func (b Band) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes "u3" or "o3".
func (b *Band) UnmarshalText(p []byte) error {
	v, ok := ParseBand(string(p))
	if !ok {
		return fmt.Errorf("kita: unknown age band")
	}
	*b = v
	return nil
}

// BandOn returns the legal age band of a child on day on.
func BandOn(birth, on date.Date) Band {
	if on.Before(Anniversary(birth, 3)) {
		return Under3
	}
	return From3
}

// AgeSplit is an age in years at which a city splits a rule, such as
// Bochum's fee table that distinguishes children under 2 from older ones.
type AgeSplit int

// Below reports whether a child born on birth is younger than the split on d.
func (s AgeSplit) Below(birth, on date.Date) bool {
	return on.Before(Anniversary(birth, int(s)))
}
