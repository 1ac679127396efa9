package tagespflege

import (
	"strconv"
	"time"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/rickb777/date"
)

// MaxWeeklyHours is the most weekly care hours a minder may offer per child.
const MaxWeeklyHours = 60

// Contact is how the Fachberatung and families reach a minder. At least one
// of the two is required.
type Contact struct {
	Email string `json:"email,omitempty" validate:"omitempty,email,max=254"`
	Phone string `json:"phone,omitempty" validate:"omitempty,max=40"`
}

// Licence is the Pflegeerlaubnis (§ 43 SGB VIII): the Jugendamt's permit to
// care for children, valid from its first to its last day (both included),
// for at most five years.
type Licence struct {
	ValidFrom date.Date `json:"valid_from"`
	ValidTo   date.Date `json:"valid_to"`
}

// Covers reports whether d lies within the licence period.
func (l Licence) Covers(d date.Date) bool {
	return !l.ValidFrom.IsZero() && !l.ValidTo.IsZero() && !d.Before(l.ValidFrom) && !d.After(l.ValidTo)
}

// AgeRange is the ages a minder takes, in completed months: from FromMonths
// (included) up to ToMonths (excluded). 0 to 36 is "from birth to the third
// birthday".
type AgeRange struct {
	FromMonths int `json:"from_months"`
	ToMonths   int `json:"to_months"`
}

// Takes reports whether a child born on birth is within the range on day on.
func (a AgeRange) Takes(birth, on date.Date) bool {
	m := kita.AgeOn(birth, on).InMonths()
	return !on.Before(birth) && m >= a.FromMonths && m < a.ToMonths
}

// Placement is a child placed with a minder through a referral. It lasts
// until the referral is closed.
type Placement struct {
	ReferralID string    `json:"referral_id" validate:"required"`
	Start      date.Date `json:"start"`
}

// Minder is a Tagespflegeperson (Tagesmutter, Tagesvater): a person licensed
// to care for children, mostly in their own home, placed by the
// Fachberatung of their district.
//
// Placements count as children present at once: until care schedules are
// modelled, every placement takes one of the Capacity places, however few
// hours it books. MaxContracts is kept as data from the licence.
type Minder struct {
	ID string `json:"id" validate:"required,max=64"`
	// Name is the minder's name as the Fachberatung shows it.
	Name string `json:"name" validate:"required,max=200"`
	// District is the Stadtbezirk the minder works in.
	District string      `json:"district" validate:"required,max=64"`
	Contact  Contact     `json:"contact"`
	Address  geo.Address `json:"address"`
	Licence  Licence     `json:"licence"`
	// Capacity is how many children the licence allows at once (1 to 5).
	Capacity int `json:"capacity"`
	// MaxContracts is how many care contracts a week the licence allows
	// (up to 8, or 10 with ExtendedContracts).
	MaxContracts int `json:"max_contracts"`
	// ExtendedContracts: the Jugendamt allowed up to 10 contracts a week.
	ExtendedContracts bool `json:"extended_contracts,omitempty"`
	// GroupID names the Großtagespflege the minder belongs to, if any.
	GroupID string `json:"group_id,omitempty" validate:"max=64"`
	// Ages are the ages the minder takes.
	Ages AgeRange `json:"ages"`
	// Hours are the weekly care hours the minder offers per child.
	Hours []kita.Hours `json:"hours"`
	// Placements are the children currently placed with the minder.
	Placements []Placement `json:"placements,omitempty" validate:"dive"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version counts writes; every update must name the version it read.
	Version int64 `json:"version"`
}

// FreePlaces returns how many more children the minder may take on day on:
// none when the licence does not cover on, else Capacity minus placements.
// A Großtagespflege may limit this further ([Group.FreePlaces]).
func (m Minder) FreePlaces(on date.Date) int {
	if !m.Licence.Covers(on) {
		return 0
	}
	return max(0, m.Capacity-len(m.Placements))
}

// placementIndex returns the index of the referral's placement, or -1.
func (m Minder) placementIndex(referralID string) int {
	for i, p := range m.Placements {
		if p.ReferralID == referralID {
			return i
		}
	}
	return -1
}

// Validate checks the minder against the struct tags and the rules of
// § 43 SGB VIII and returns every problem as a [problem.List].
func (m Minder) Validate() error {
	var c problem.Collector
	c.Merge("", problem.Struct(m))
	if m.Contact.Email == "" && m.Contact.Phone == "" {
		c.Add("contact", CodeContactMissing, ErrMissing)
	}
	switch {
	case m.Capacity < 1:
		c.Add("capacity", CodeCapacityMissing, ErrMissing)
	case m.Capacity > MaxChildren:
		c.Add("capacity", CodeCapacityExceedsLicence, ErrLicenceLimit, "max", strconv.Itoa(MaxChildren))
	}
	limit := MaxContracts
	if m.ExtendedContracts {
		limit = MaxContractsExtended
	}
	switch {
	case m.MaxContracts > limit:
		c.Add("max_contracts", CodeContractsExceedLimit, ErrLicenceLimit, "max", strconv.Itoa(limit))
	case m.MaxContracts < m.Capacity:
		c.Add("max_contracts", CodeContractsBelowCapacity, ErrRange)
	}
	validateLicence(&c, "licence", m.Licence)
	if m.Ages.FromMonths < 0 || m.Ages.ToMonths <= m.Ages.FromMonths || m.Ages.ToMonths > MaxAgeMonths {
		c.Add("ages", CodeAgesInvalid, ErrRange, "max", strconv.Itoa(MaxAgeMonths))
	}
	if len(m.Hours) == 0 {
		c.Add("hours", CodeHoursMissing, ErrMissing)
	}
	seenHours := map[kita.Hours]bool{}
	for i, h := range m.Hours {
		field := problem.Join("hours", "["+strconv.Itoa(i)+"]")
		switch {
		case h < 1 || h > MaxWeeklyHours:
			c.Add(field, CodeHoursInvalid, ErrRange, "max", strconv.Itoa(MaxWeeklyHours))
		case seenHours[h]:
			c.Add(field, CodeDuplicateHours, ErrDuplicate)
		}
		seenHours[h] = true
	}
	if m.Capacity >= 1 && len(m.Placements) > m.Capacity {
		c.Add("placements", CodePlacementsExceedCap, ErrLicenceLimit, "max", strconv.Itoa(m.Capacity))
	}
	seen := map[string]bool{}
	for i, p := range m.Placements {
		if p.ReferralID != "" && seen[p.ReferralID] {
			c.Add(problem.Join("placements", "["+strconv.Itoa(i)+"]"), CodeDuplicatePlacement, ErrDuplicate)
		}
		seen[p.ReferralID] = true
	}
	return c.Err()
}

func validateLicence(c *problem.Collector, field string, l Licence) {
	switch {
	case l.ValidFrom.IsZero() || l.ValidTo.IsZero():
		c.Add(field, CodeLicenceMissing, ErrLicencePeriod)
	case l.ValidTo.Before(l.ValidFrom):
		c.Add(field, CodeLicenceReversed, ErrLicencePeriod)
	case !l.ValidTo.Before(kita.Anniversary(l.ValidFrom, LicenceYears)):
		c.Add(field, CodeLicenceTooLong, ErrLicencePeriod, "max_years", strconv.Itoa(LicenceYears))
	}
}

// Group is a Großtagespflege: up to three minders caring together for at
// most nine children at once (§ 43 (3) SGB VIII, § 22 KiBiz). Each
// placement with one of its minders also takes one of the group's places.
type Group struct {
	ID string `json:"id" validate:"required,max=64"`
	// Name is the group's public name.
	Name string `json:"name" validate:"max=200"`
	// District is the Stadtbezirk the group works in; its minders work there too.
	District string `json:"district" validate:"required,max=64"`
	// MinderIDs are the group's minders (at most 3). Minders join through
	// [Service.AddMinder].
	MinderIDs []string `json:"minder_ids,omitempty"`
	// Capacity is how many children the group may care for at once (1 to 9).
	Capacity int `json:"capacity"`
	// Placements are the referral ids of the children placed with any of
	// its minders.
	Placements []string `json:"placements,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version counts writes; every update must name the version it read.
	Version int64 `json:"version"`
}

// FreePlaces returns how many more children the group may take.
func (g Group) FreePlaces() int { return max(0, g.Capacity-len(g.Placements)) }

// Validate checks the group and returns every problem as a [problem.List].
func (g Group) Validate() error {
	var c problem.Collector
	c.Merge("", problem.Struct(g))
	if len(g.MinderIDs) > GroupMaxMinders {
		c.Add("minder_ids", CodeGroupTooManyMinders, ErrLicenceLimit, "max", strconv.Itoa(GroupMaxMinders))
	}
	seen := map[string]bool{}
	for i, id := range g.MinderIDs {
		field := problem.Join("minder_ids", "["+strconv.Itoa(i)+"]")
		switch {
		case id == "":
			c.Add(field, CodeIDMissing, ErrMissing)
		case seen[id]:
			c.Add(field, CodeDuplicateMinder, ErrDuplicate)
		}
		seen[id] = true
	}
	switch {
	case g.Capacity < 1:
		c.Add("capacity", CodeGroupCapacityMissing, ErrMissing)
	case g.Capacity > GroupMaxChildren:
		c.Add("capacity", CodeGroupCapacityExceeds, ErrLicenceLimit, "max", strconv.Itoa(GroupMaxChildren))
	}
	if g.Capacity >= 1 && len(g.Placements) > g.Capacity {
		c.Add("placements", CodeGroupPlacementsExceedCap, ErrLicenceLimit, "max", strconv.Itoa(g.Capacity))
	}
	return c.Err()
}
