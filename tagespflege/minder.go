package tagespflege

import (
	"encoding/json"
	"slices"
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

	// notDates marks the members whose text was not a date when the
	// licence was decoded (licenceFrom, licenceTo): validation reports
	// them at their field instead of a day moved or a missing licence.
	notDates uint8
}

// The members of a Licence whose text was not a date.
const (
	licenceFrom uint8 = 1 << iota
	licenceTo
)

// UnmarshalJSON reads valid_from and valid_to as YYYY-MM-DD days
// (kita.ParseDate). Text that is no such day (2027-02-30, "00000-00") is
// not an error here, nor moved to another day: the licence keeps it as
// not a date, and [Minder.Validate] reports it at its field with
// CodeLicenceDate, beside every other problem of the minder. A member
// that is not a string is an error.
func (l *Licence) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var raw struct {
		ValidFrom *string `json:"valid_from"`
		ValidTo   *string `json:"valid_to"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*l = Licence{}
	read := func(s *string, into *date.Date, bit uint8) {
		if s == nil {
			return
		}
		d, err := kita.ParseDate(*s)
		if err != nil {
			l.notDates |= bit
			return
		}
		*into = d
	}
	read(raw.ValidFrom, &l.ValidFrom, licenceFrom)
	read(raw.ValidTo, &l.ValidTo, licenceTo)
	return nil
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

	// The lifecycle: changed only by the minder's methods (Place,
	// EndPlacement) and [Service.AddMinder], read through Placements,
	// CreatedAt, UpdatedAt and Version, set by adapters through
	// [RehydrateMinder].
	placements []Placement
	createdAt  time.Time
	updatedAt  time.Time
	version    int64
}

// Placements returns a copy of the children currently placed with the
// minder, in the order they were placed.
func (m Minder) Placements() []Placement { return slices.Clone(m.placements) }

// CreatedAt returns when the minder was registered (UTC).
func (m Minder) CreatedAt() time.Time { return m.createdAt }

// UpdatedAt returns when the minder was last changed (UTC).
func (m Minder) UpdatedAt() time.Time { return m.updatedAt }

// Version returns the stored version the minder was read with; every
// update must name it.
func (m Minder) Version() int64 { return m.version }

// MinderState is a minder's lifecycle as a store keeps it.
type MinderState struct {
	Placements []Placement `json:"placements,omitempty"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
	Version    int64       `json:"version"`
}

// State returns a copy of the minder's lifecycle, for adapters.
func (m Minder) State() MinderState {
	return MinderState{Placements: slices.Clone(m.placements), CreatedAt: m.createdAt, UpdatedAt: m.updatedAt, Version: m.version}
}

// RehydrateMinder returns m with the lifecycle s, as an adapter read it
// from storage. It checks nothing: the lifecycle was written by the
// minder's methods. The result shares no slice with m or s.
func RehydrateMinder(m Minder, s MinderState) Minder {
	m.Hours = slices.Clone(m.Hours)
	m.placements, m.createdAt, m.updatedAt, m.version = slices.Clone(s.Placements), s.CreatedAt, s.UpdatedAt, s.Version
	return m
}

// AtVersion returns m with the stored version v, for adapters.
func (m Minder) AtVersion(v int64) Minder {
	m.version = v
	return m
}

// minderFields are a minder's exported fields, without methods.
type minderFields Minder

type minderJSON struct {
	minderFields
	MinderState
}

// MarshalJSON encodes the minder with its lifecycle.
func (m Minder) MarshalJSON() ([]byte, error) {
	return json.Marshal(minderJSON{minderFields(m), m.State()})
}

// UnmarshalJSON decodes what MarshalJSON encoded.
func (m *Minder) UnmarshalJSON(b []byte) error {
	var j minderJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = RehydrateMinder(Minder(j.minderFields), j.MinderState)
	return nil
}

// FreePlaces returns how many more children the minder may take on day on:
// none when the licence does not cover on, else Capacity minus placements.
// A Großtagespflege may limit this further ([Group.FreePlaces]).
func (m Minder) FreePlaces(on date.Date) int {
	if !m.Licence.Covers(on) {
		return 0
	}
	return max(0, m.Capacity-len(m.placements))
}

// Place records that the referral's child is cared for by the minder
// from start on, changed at at. It fails with ErrLicence when the licence
// does not cover start, ErrMinderFull when every place of Capacity is
// taken, and ErrExists when the referral is placed with the minder
// already. District and Großtagespflege are the [Service]'s checks.
func (m *Minder) Place(referralID string, start date.Date, at time.Time) error {
	switch {
	case !m.Licence.Covers(start):
		return ErrLicence
	case len(m.placements) >= m.Capacity:
		return ErrMinderFull
	case m.placementIndex(referralID) >= 0:
		return ErrExists
	}
	// Clip so that appending never writes into an array a copy shares.
	m.placements = append(slices.Clip(m.placements), Placement{ReferralID: referralID, Start: start})
	m.updatedAt = at.UTC()
	return nil
}

// EndPlacement frees the place the referral's child held with the minder,
// changed at at. ErrNotPlaced when the referral is not placed with it.
func (m *Minder) EndPlacement(referralID string, at time.Time) error {
	i := m.placementIndex(referralID)
	if i < 0 {
		return ErrNotPlaced
	}
	m.placements = slices.Delete(slices.Clone(m.placements), i, i+1)
	m.updatedAt = at.UTC()
	return nil
}

// placementIndex returns the index of the referral's placement, or -1.
func (m Minder) placementIndex(referralID string) int {
	return slices.IndexFunc(m.placements, func(p Placement) bool { return p.ReferralID == referralID })
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
	if m.Capacity >= 1 && len(m.placements) > m.Capacity {
		c.Add("placements", CodePlacementsExceedCap, ErrLicenceLimit, "max", strconv.Itoa(m.Capacity))
	}
	seen := map[string]bool{}
	for i, p := range m.placements {
		if p.ReferralID != "" && seen[p.ReferralID] {
			c.Add(problem.Join("placements", "["+strconv.Itoa(i)+"]"), CodeDuplicatePlacement, ErrDuplicate)
		}
		seen[p.ReferralID] = true
	}
	return c.Err()
}

func validateLicence(c *problem.Collector, field string, l Licence) {
	if l.notDates&licenceFrom != 0 {
		c.Add(problem.Join(field, "valid_from"), CodeLicenceDate, ErrLicencePeriod)
	}
	if l.notDates&licenceTo != 0 {
		c.Add(problem.Join(field, "valid_to"), CodeLicenceDate, ErrLicencePeriod)
	}
	if l.notDates != 0 {
		return // the period rules need both days
	}
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

	// The lifecycle: changed only by the group's methods (Place,
	// EndPlacement) and the [Service], read through Placements, CreatedAt,
	// UpdatedAt and Version, set by adapters through [RehydrateGroup].
	placements []string
	createdAt  time.Time
	updatedAt  time.Time
	version    int64
}

// Placements returns a copy of the referral ids of the children placed
// with any of the group's minders, in the order they were placed.
func (g Group) Placements() []string { return slices.Clone(g.placements) }

// CreatedAt returns when the group was registered (UTC).
func (g Group) CreatedAt() time.Time { return g.createdAt }

// UpdatedAt returns when the group was last changed (UTC).
func (g Group) UpdatedAt() time.Time { return g.updatedAt }

// Version returns the stored version the group was read with; every
// update must name it.
func (g Group) Version() int64 { return g.version }

// GroupState is a Großtagespflege's lifecycle as a store keeps it.
type GroupState struct {
	Placements []string  `json:"placements,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

// State returns a copy of the group's lifecycle, for adapters.
func (g Group) State() GroupState {
	return GroupState{Placements: slices.Clone(g.placements), CreatedAt: g.createdAt, UpdatedAt: g.updatedAt, Version: g.version}
}

// RehydrateGroup returns g with the lifecycle s, as an adapter read it
// from storage. It checks nothing: the lifecycle was written by the
// group's methods. The result shares no slice with g or s.
func RehydrateGroup(g Group, s GroupState) Group {
	g.MinderIDs = slices.Clone(g.MinderIDs)
	g.placements, g.createdAt, g.updatedAt, g.version = slices.Clone(s.Placements), s.CreatedAt, s.UpdatedAt, s.Version
	return g
}

// AtVersion returns g with the stored version v, for adapters.
func (g Group) AtVersion(v int64) Group {
	g.version = v
	return g
}

// groupFields are a group's exported fields, without methods.
type groupFields Group

type groupJSON struct {
	groupFields
	GroupState
}

// MarshalJSON encodes the group with its lifecycle.
func (g Group) MarshalJSON() ([]byte, error) {
	return json.Marshal(groupJSON{groupFields(g), g.State()})
}

// UnmarshalJSON decodes what MarshalJSON encoded.
func (g *Group) UnmarshalJSON(b []byte) error {
	var j groupJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*g = RehydrateGroup(Group(j.groupFields), j.GroupState)
	return nil
}

// FreePlaces returns how many more children the group may take.
func (g Group) FreePlaces() int { return max(0, g.Capacity-len(g.placements)) }

// Place records that the referral's child is placed with one of the
// group's minders, changed at at. ErrMinderFull when every place of the
// group is taken, ErrExists when the referral is placed already.
func (g *Group) Place(referralID string, at time.Time) error {
	switch {
	case len(g.placements) >= g.Capacity:
		return ErrMinderFull
	case slices.Contains(g.placements, referralID):
		return ErrExists
	}
	g.placements = append(slices.Clip(g.placements), referralID)
	g.updatedAt = at.UTC()
	return nil
}

// EndPlacement frees the group's place the referral's child held, changed
// at at. ErrNotPlaced when the referral is not placed with the group.
func (g *Group) EndPlacement(referralID string, at time.Time) error {
	i := slices.Index(g.placements, referralID)
	if i < 0 {
		return ErrNotPlaced
	}
	g.placements = slices.Delete(slices.Clone(g.placements), i, i+1)
	g.updatedAt = at.UTC()
	return nil
}

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
	if g.Capacity >= 1 && len(g.placements) > g.Capacity {
		c.Add("placements", CodeGroupPlacementsExceedCap, ErrLicenceLimit, "max", strconv.Itoa(g.Capacity))
	}
	return c.Err()
}
