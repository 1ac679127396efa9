package allocation

import "time"

// Instance is the input of one allocation round: who applies where, what
// the Kitas offer, and the city's priority policy. It is plain data, built
// directly in Go or decoded with [Decode]; [Validate] and [Run] check it.
type Instance struct {
	// Applicants are the children of the round, each with its ranked
	// choices.
	Applicants []Applicant `json:"applicants"`
	// Facilities are the Kitas.
	Facilities []Facility `json:"facilities"`
	// Policy computes each Kita's priority order, except at Kitas that
	// state an explicit Facility.Priority.
	Policy Policy `json:"policy"`
	// Fixed maps applicant ids to the Kita whose offer they accepted in an
	// earlier round. They keep that seat, are never displaced, and take no
	// part in this round; their seats reduce the Kita's capacity.
	Fixed map[string]string `json:"fixed,omitempty"`
	// Families group siblings and twins of this round. Children of a
	// together-family are placed at the same Kita or not at all; the other
	// families' children give each other the sibling criterion at the Kita
	// where one of them is placed in this round.
	Families []Family `json:"families,omitempty"`
	// Format names the interchange format's version: "" (version 1) or
	// [FormatV2]. Both read the same fields.
	Format string `json:"format,omitempty"`
}

// FormatV2 is the value of Instance.Format for version 2 of the
// interchange format (families; a free "meta" object).
const FormatV2 = "kitaportal.allocation/v2"

// Family is a group of children of this round who are siblings or twins.
type Family struct {
	// ID identifies the family in the input and in violations and
	// instability reports (an id chosen by the city, never a name).
	ID string `json:"id"`
	// Children are applicant ids, at least two, none in another family
	// and none fixed by an earlier round.
	Children []string `json:"children"`
	// Together asks for one Kita for all children or none: their choices
	// must be equal; each child still needs a place of its own band.
	Together bool `json:"together,omitempty"`
}

// Applicant is one child's Voranmeldung as the engine sees it: an id chosen
// by the city (never a name), ranked choices and the attributes a policy
// scores.
type Applicant struct {
	// ID identifies the applicant in the input and the result.
	ID string `json:"id"`
	// Choices are facility ids, best first, each at most once.
	Choices []string `json:"choices"`
	// Band is the child's age band at the start of the Kindergartenjahr.
	// It is required when the applicant chooses a Kita with band quotas.
	Band Band `json:"band,omitempty"`
	// WorkingParents: the parents work or train.
	WorkingParents bool `json:"working_parents,omitempty"`
	// SingleParent: the child lives with one parent.
	SingleParent bool `json:"single_parent,omitempty"`
	// Hardship: a hardship confirmed by the Jugendamt.
	Hardship bool `json:"hardship,omitempty"`
	// BirthDate is the calendar date "YYYY-MM-DD"; required when the
	// policy uses [KindAge].
	BirthDate string `json:"birth_date,omitempty"`
	// RegisteredAt is the instant the Voranmeldung arrived (RFC 3339);
	// required when the policy uses [KindRegistrationDate].
	RegisteredAt time.Time `json:"registered_at,omitzero"`
	// District is the district the family lives in.
	District string `json:"district,omitempty"`
	// Resident: the family lives in the city.
	Resident bool `json:"resident,omitempty"`
	// Siblings are the ids of Kitas a sibling attends.
	Siblings []string `json:"siblings,omitempty"`
	// Start is the month "YYYY-MM" from which the child needs a place
	// (format v2); the child takes only places of pools free by then.
	// Empty: any pool.
	Start string `json:"start,omitempty"`
	// ChoiceHours[j] are the weekly care hours the child accepts at
	// Choices[j], best first (format v2: a choice object's "hours"); nil
	// or empty: any hours. Only Kitas with pools offer hours.
	ChoiceHours [][]int `json:"-"`
}

// Facility is a Kita with its places for the round.
type Facility struct {
	// ID identifies the Kita.
	ID string `json:"id"`
	// District is the district the Kita is in.
	District string `json:"district,omitempty"`
	// Capacity is the number of free places in the round.
	Capacity int `json:"capacity"`
	// CapacityByBand optionally splits Capacity into age-band quotas that
	// add up to Capacity. With quotas, a u3 child only takes a u3 place
	// and an o3 child only an o3 place; each band is a separate pool with
	// its own cut-off. Without quotas any child takes any place.
	CapacityByBand map[Band]int `json:"capacity_by_band,omitempty"`
	// Priority optionally fixes the Kita's strict priority order, applicant
	// ids best first, instead of the policy. It must name every applicant
	// who chose the Kita; applicants who did not choose it are ignored.
	Priority []string `json:"priority,omitempty"`
	// Pools optionally split Capacity by band, weekly care hours and the
	// month from which places are free (format v2); their capacities add
	// up to Capacity. Not together with CapacityByBand. A child takes a
	// place of a pool of its band (or of none), free by its start month,
	// with hours it accepts, trying its hours in its order.
	Pools []Pool `json:"pools,omitempty"`
}

// Policy is a city's priority rule as data. A Kita ranks its applicants by
// the tier criteria, lexicographically in the order listed, then by the sum
// of the points criteria, then by the lottery (the lower number first), and
// finally by applicant id.
type Policy struct {
	// Criteria are scored in order; each kind at most once.
	Criteria []Criterion `json:"criteria,omitempty"`
	// Lottery breaks remaining ties. Required unless every Kita has an
	// explicit priority.
	Lottery Lottery `json:"lottery,omitempty"`
	// Seed makes the lottery reproducible: the same input and seed give
	// the same numbers, whatever the order of applicants and Kitas.
	Seed uint64 `json:"seed"`
}

// Criterion is one rule of a policy.
type Criterion struct {
	// Kind is what is scored.
	Kind Kind `json:"kind"`
	// Mode is points or tier. Ordinal kinds (age, registration_date) must
	// be tiers.
	Mode Mode `json:"mode"`
	// Points are granted in points mode when the criterion is met; between
	// -MaxPoints and MaxPoints.
	Points int `json:"points,omitempty"`
}

// MaxPoints bounds the absolute value of Criterion.Points.
const MaxPoints = 1_000_000

// Options choose how [Run] allocates.
type Options struct {
	// Mechanism is required.
	Mechanism Mechanism
	// Explain fills Result.Explanations (one entry per applicant and chosen
	// Kita; large for a whole state).
	Explain bool
}

// Result is the outcome of a round.
type Result struct {
	// Mechanism that produced the result.
	Mechanism Mechanism `json:"mechanism"`
	// Seed of the lottery used.
	Seed uint64 `json:"seed"`
	// Placements maps every applicant id (fixed ones included) to its
	// facility id, or "" when unplaced (null in JSON).
	Placements map[string]string `json:"placements"`
	// Priorities are each Kita's strict order of this round's applicants
	// who chose it, best first (fixed applicants take no part).
	Priorities map[string][]string `json:"priorities"`
	// Cutoffs are, per Kita, one cut-off per seat pool: one without band
	// quotas, one per band with quotas.
	Cutoffs map[string][]Cutoff `json:"cutoffs"`
	// Statistics summarise the placements.
	Statistics Statistics `json:"statistics"`
	// Explanations, when requested, explain each Kita's priority order,
	// in that order.
	Explanations map[string][]Explanation `json:"explanations,omitempty"`
	// Unstable, when set, says that the engine could not reach a stable
	// outcome with the instance's together-families within its bound of
	// rounds, and names who still blocks. The placements are complete and
	// keep every family together, but are not stable.
	Unstable *Instability `json:"unstable,omitempty"`
	// Pools maps each applicant placed this round at a Kita with pools to
	// the index of its pool in that Kita's Facility.Pools.
	Pools map[string]int `json:"pools,omitempty"`
}

// Instability names the families and single applicants who still prefer a
// Kita that would take them when the engine stopped.
type Instability struct {
	// Families are ids of blocking together-families.
	Families []string `json:"families"`
	// Applicants are ids of blocking applicants outside together-families.
	Applicants []string `json:"applicants"`
}

// Cutoff tells a family why it was not placed at a Kita: an applicant of the
// pool whose rank is worse (greater) than Rank was not admitted while the
// pool is full (Free == 0).
type Cutoff struct {
	// Band of the pool; omitted (unset) when the Kita has no quotas.
	Band Band `json:"band,omitempty"`
	// Capacity of the pool in this round (after fixed placements).
	Capacity int `json:"capacity"`
	// Admitted is the number of applicants placed in the pool this round.
	Admitted int `json:"admitted"`
	// Rank is the 1-based rank of the last admitted applicant in the Kita's
	// whole priority order (Result.Priorities, all bands together), 0 when
	// nobody was admitted. With band quotas it is therefore not a count
	// within the band: a u3 pool of 10 places may close at rank 14 when
	// o3 children stand between the u3 children in the order.
	Rank int `json:"rank"`
	// Applicant is that applicant's id.
	Applicant string `json:"applicant,omitempty"`
	// Hours and From describe the pool at Kitas with pools.
	Hours int    `json:"hours,omitempty"`
	From  string `json:"from,omitempty"`
}

// Statistics summarise a result.
type Statistics struct {
	// Applicants counts everyone, fixed included.
	Applicants int `json:"applicants"`
	// Fixed counts placements kept from earlier rounds.
	Fixed int `json:"fixed"`
	// Placed counts applicants placed in this round.
	Placed int `json:"placed"`
	// Unplaced counts applicants of this round without a place.
	Unplaced int `json:"unplaced"`
	// FirstChoice counts applicants placed at their first choice.
	FirstChoice int `json:"first_choice"`
	// ByChoice[k] counts applicants placed at their (k+1)-th choice.
	ByChoice []int `json:"by_choice"`
	// Families counts the instance's together-families; Together those
	// placed (all children at one Kita). None is ever split.
	Families int `json:"families,omitempty"`
	Together int `json:"together,omitempty"`
}

// Explanation is how one applicant's rank at one Kita came about.
type Explanation struct {
	// Applicant id.
	Applicant string `json:"applicant"`
	// Rank is the 1-based position in the Kita's priority order.
	Rank int `json:"rank"`
	// Explicit is set when the Kita's order was given, not computed; the
	// other fields are then empty.
	Explicit bool `json:"explicit,omitempty"`
	// Tiers hold the tier criteria's values, in policy order; higher is
	// better. Yes/no criteria score 1 or 0; age scores minus the birth
	// date's day number (days since 1970-01-01); registration_date scores
	// minus the Unix second of registered_at.
	Tiers []Score `json:"tiers,omitempty"`
	// Points hold the points criteria's points, in policy order.
	Points []Score `json:"points,omitempty"`
	// Total is the sum of Points.
	Total int64 `json:"total"`
	// Lottery is the applicant's number at this Kita; lower is better.
	Lottery uint64 `json:"lottery"`
}

// Score is one criterion's value in an [Explanation].
type Score struct {
	// Criterion scored.
	Criterion Kind `json:"criterion"`
	// Value scored.
	Value int64 `json:"value"`
}
