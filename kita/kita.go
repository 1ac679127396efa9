package kita

import (
	"github.com/kitaportal/kitaportal/problem"

	"errors"
	"time"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/internal/enum"
)

// ErrNotFound: no Kita with that id.
var ErrNotFound = problem.NewSentinel(problem.NotFound, "kita.not_found", "kita: not found")

// CarrierKind is the kind of a Träger (the organisation that runs a Kita).
type CarrierKind int

// The carrier kinds.
const (
	Municipal         CarrierKind = iota + 1 // the city itself (städtischer Träger)
	Protestant                               // evangelische Kirche / Diakonie
	Catholic                                 // katholische Kirche / Caritas
	Welfare                                  // Wohlfahrtsverband (AWO, DRK, Paritätischer ...)
	ParentsInitiative                        // Elterninitiative
	Company                                  // Betriebskita
	OtherCarrier                             // any other free carrier
)

var carrierNames = [...]string{"", "municipal", "protestant", "catholic", "welfare", "parents_initiative", "company", "other"}

// Valid reports whether k is a known kind.
func (k CarrierKind) Valid() bool { return k >= Municipal && k <= OtherCarrier }

// String returns the kind's stable name ("municipal", "catholic", ...).
func (k CarrierKind) String() string {
	return enum.Name(carrierNames[:], k)
}

// ParseCarrierKind reads a stable name.
func ParseCarrierKind(s string) (CarrierKind, bool) {
	return enum.Parse[CarrierKind](carrierNames[:], s)
}

// MarshalText encodes the stable name.
func (k CarrierKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes the stable name.
func (k *CarrierKind) UnmarshalText(p []byte) error {
	v, ok := ParseCarrierKind(string(p))
	if !ok {
		return errors.New("kita: unknown carrier kind")
	}
	*k = v
	return nil
}

// Carrier is a Träger: the organisation that runs one or more Kitas.
type Carrier struct {
	ID   string      `json:"id"`
	Name string      `json:"name"`
	Kind CarrierKind `json:"kind"`
}

// GroupForm is a group form of KiBiz NRW (annex to § 33 KiBiz).
type GroupForm int

// The NRW group forms.
const (
	FormI   GroupForm = iota + 1 // age 2 to school, 20 children (4–6 of them two-year-olds)
	FormII                       // under 3, 10 children
	FormIII                      // 3 and older, 25 children (20 at 45 hours)
)

// Valid reports whether f is a known form.
func (f GroupForm) Valid() bool { return f >= FormI && f <= FormIII }

// String returns "I", "II" or "III".
func (f GroupForm) String() string {
	switch f {
	case FormI:
		return "I"
	case FormII:
		return "II"
	case FormIII:
		return "III"
	}
	return "unset"
}

// GroupFormRule describes one group form as data: the ages it takes and how
// many children a group holds, by weekly hours.
type GroupFormRule struct {
	Form GroupForm `json:"form"`
	// MinAgeYears and MaxAgeYears bound the ages (MaxAgeYears 0: until school).
	MinAgeYears int `json:"min_age_years"`
	MaxAgeYears int `json:"max_age_years"`
	// Children per group; ChildrenAt45 where 45-hour care lowers it (0: same).
	Children     int `json:"children"`
	ChildrenAt45 int `json:"children_at_45"`
	// Under3Min and Under3Max bound the two-year-olds of a form I group.
	Under3Min int `json:"under3_min"`
	Under3Max int `json:"under3_max"`
}

// NRWGroupForms are the group forms of the KiBiz annex.
var NRWGroupForms = []GroupFormRule{
	{Form: FormI, MinAgeYears: 2, Children: 20, Under3Min: 4, Under3Max: 6},
	{Form: FormII, MinAgeYears: 0, MaxAgeYears: 3, Children: 10, Under3Min: 10, Under3Max: 10},
	{Form: FormIII, MinAgeYears: 3, Children: 25, ChildrenAt45: 20},
}

// Group is a number of groups of one form at a Kita.
type Group struct {
	Form  GroupForm `json:"form"`
	Count int       `json:"count"`
	Hours Hours     `json:"hours,omitempty"`
}

// Capacity is how many places a Kita has, per age band. Groups, when given,
// explain the places by NRW group form; the band counts are what allocation
// uses.
type Capacity struct {
	Under3 int     `json:"u3"`
	From3  int     `json:"o3"`
	Groups []Group `json:"groups,omitempty"`
}

// Total returns all places.
func (c Capacity) Total() int { return c.Under3 + c.From3 }

// Of returns the places of a band.
func (c Capacity) Of(b Band) int {
	switch b {
	case Under3:
		return c.Under3
	case From3:
		return c.From3
	}
	return 0
}

// FromGroups derives band capacities from groups under the given rules: a
// form I group counts its maximum of two-year-olds as U3 places and the rest
// as Ü3 places; a form II group is all U3; a form III group all Ü3.
func FromGroups(groups []Group, rules []GroupFormRule) Capacity {
	c := Capacity{Groups: append([]Group(nil), groups...)}
	for _, g := range groups {
		for _, r := range rules {
			if r.Form != g.Form {
				continue
			}
			n := r.Children
			if g.Hours == 45 && r.ChildrenAt45 > 0 {
				n = r.ChildrenAt45
			}
			u3 := min(r.Under3Max, n)
			c.Under3 += g.Count * u3
			c.From3 += g.Count * (n - u3)
		}
	}
	return c
}

// OpeningHours are a Kita's opening times on weekdays, as "07:00"–"16:30".
type OpeningHours struct {
	Days  []time.Weekday `json:"days"`
	Opens string         `json:"opens"`
	Close string         `json:"closes"`
}

// PublicProfile is what a carrier publishes about a Kita for families.
type PublicProfile struct {
	// Head is the name of the Kita-Leitung, who signs care contracts for
	// the carrier (optional; contracts name "N. N." without it).
	Head            string   `json:"head,omitempty"`
	Text            string   `json:"text,omitempty"`
	Concept         string   `json:"concept,omitempty"`
	Languages       []string `json:"languages,omitempty"`
	InclusionPlaces int      `json:"inclusion_places,omitempty"`
	FamilyCentre    bool     `json:"family_centre,omitempty"`
}

// Kita is a Kindertageseinrichtung (day-care centre) in the catalogue.
type Kita struct {
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	Carrier  Carrier     `json:"carrier"`
	Address  geo.Address `json:"address"`
	District string      `json:"district"`
	Location geo.Point   `json:"location"`
	// MinAgeMonths is the youngest age taken (e.g. 4 months, or 24 for
	// form I only); children are taken until school entry.
	MinAgeMonths int `json:"min_age_months"`
	// MaxAgeMonths caps the age (0: until school entry).
	MaxAgeMonths int          `json:"max_age_months,omitempty"`
	Hours        HoursOptions `json:"hours"`
	Capacity     Capacity     `json:"capacity"`
	// Pools optionally split the places of each band by care hours and
	// the month from which they are free; the pools of a band add up to
	// its places. Without pools any place of a band takes any of the
	// Kita's hours from the start of the Kita year.
	Pools   []Pool        `json:"pools,omitempty"`
	Opening OpeningHours  `json:"opening"`
	Profile PublicProfile `json:"profile"`
	// Closed marks a Kita that takes no registrations now.
	Closed bool `json:"closed,omitempty"`
	// FreePlaces is what the carrier last reported as free now, by band.
	FreePlaces Capacity `json:"free_places"`
	// FreePlacesAt is when the carrier reported FreePlaces (UTC; zero:
	// never), so that families can see how fresh the figure is.
	FreePlacesAt time.Time `json:"free_places_at,omitzero"`
}

// Takes reports whether the Kita takes a child of that age in months.
func (k Kita) Takes(ageMonths int) bool {
	return ageMonths >= k.MinAgeMonths && (k.MaxAgeMonths == 0 || ageMonths < k.MaxAgeMonths)
}

// TakesBand reports whether the Kita has places for a band at all.
func (k Kita) TakesBand(b Band) bool { return k.Capacity.Of(b) > 0 }
