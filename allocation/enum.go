package allocation

// invalid is the value an enum takes when its text names no known value. It
// is never Valid, so validation reports the field instead of the decoder
// failing on the first unknown word.
const invalid = 255

// parseName returns the index of s in names (names[0] is the unset value,
// the empty string), or invalid.
func parseName(names []string, s string) uint8 {
	if s == "" {
		return 0
	}
	for i, n := range names {
		if i > 0 && n == s {
			return uint8(i)
		}
	}
	return invalid
}

// nameOf returns names[v], "" for the unset value and "invalid" otherwise.
func nameOf(names []string, v uint8) string {
	if int(v) < len(names) {
		return names[v]
	}
	return "invalid"
}

// Band is a child's age band. The zero value is unset.
type Band uint8

// The age bands of NRW's KiBiz: under three and three or older at the start
// of the Kindergartenjahr.
const (
	BandU3 Band = iota + 1 // under three: "u3"
	BandO3                 // three and older: "o3"
)

var bandNames = []string{"", "u3", "o3"}

// Bands lists the valid bands in order.
var Bands = []Band{BandU3, BandO3}

// Valid reports whether b is a known band.
func (b Band) Valid() bool { return b == BandU3 || b == BandO3 }

// String returns "u3" or "o3" ("" when unset, "invalid" otherwise).
func (b Band) String() string { return nameOf(bandNames, uint8(b)) }

// MarshalText encodes the band's name.
func (b Band) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes a band's name; an unknown name yields a band that is
// not Valid, so that validation can report it with its field path.
func (b *Band) UnmarshalText(text []byte) error {
	*b = Band(parseName(bandNames, string(text)))
	return nil
}

// Kind names a priority criterion.
type Kind uint8

// The criteria a policy can score. All are global (they count at every
// Kita) except [KindSibling], which is local: it counts only at a Kita a
// sibling attends. [KindDistrict] counts at every Kita but its value depends
// on the Kita (does the family live in the Kita's district).
const (
	KindWorkingParents   Kind = iota + 1 // "working_parents": both parents (or the single parent) work or train
	KindSingleParent                     // "single_parent"
	KindHardship                         // "hardship": a social or medical hardship confirmed by the Jugendamt
	KindAge                              // "age": older child first (earlier birth_date)
	KindRegistrationDate                 // "registration_date": earlier registered_at first
	KindResident                         // "resident": lives in the city
	KindDistrict                         // "district": lives in the Kita's district
	KindSibling                          // "sibling": a sibling attends this Kita (local)
)

var kindNames = []string{"", "working_parents", "single_parent", "hardship", "age",
	"registration_date", "resident", "district", "sibling"}

// Valid reports whether k is a known criterion.
func (k Kind) Valid() bool { return k >= KindWorkingParents && k <= KindSibling }

// String returns the criterion's JSON name.
func (k Kind) String() string { return nameOf(kindNames, uint8(k)) }

// Local reports whether the criterion counts only at particular Kitas.
func (k Kind) Local() bool { return k == KindSibling }

// Ordinal reports whether the criterion orders children by a value (birth
// date, registration instant) rather than granting a yes/no. Ordinal criteria
// can only be tiers.
func (k Kind) Ordinal() bool { return k == KindAge || k == KindRegistrationDate }

// MarshalText encodes the criterion's name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a criterion's name; unknown names are not Valid.
func (k *Kind) UnmarshalText(text []byte) error {
	*k = Kind(parseName(kindNames, string(text)))
	return nil
}

// Mode says how a criterion enters a priority.
type Mode uint8

// Modes. Tiers compare lexicographically, in the order the policy lists
// them, before the sum of points is compared.
const (
	ModePoints Mode = iota + 1 // "points": adds Criterion.Points when met
	ModeTier                   // "tier": a strict level above all points
)

var modeNames = []string{"", "points", "tier"}

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == ModePoints || m == ModeTier }

// String returns the mode's JSON name.
func (m Mode) String() string { return nameOf(modeNames, uint8(m)) }

// MarshalText encodes the mode's name.
func (m Mode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes a mode's name; unknown names are not Valid.
func (m *Mode) UnmarshalText(text []byte) error {
	*m = Mode(parseName(modeNames, string(text)))
	return nil
}

// Lottery says how remaining ties are broken.
type Lottery uint8

// Lotteries.
const (
	// LotteryPerChild draws one number per child, used at every Kita
	// ("single tie-breaking").
	LotteryPerChild Lottery = iota + 1
	// LotteryPerFacility draws one number per child and Kita ("multiple
	// tie-breaking").
	LotteryPerFacility
)

var lotteryNames = []string{"", "per_child", "per_facility"}

// Valid reports whether l is a known lottery.
func (l Lottery) Valid() bool { return l == LotteryPerChild || l == LotteryPerFacility }

// String returns the lottery's JSON name.
func (l Lottery) String() string { return nameOf(lotteryNames, uint8(l)) }

// MarshalText encodes the lottery's name.
func (l Lottery) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText decodes a lottery's name; unknown names are not Valid.
func (l *Lottery) UnmarshalText(text []byte) error {
	*l = Lottery(parseName(lotteryNames, string(text)))
	return nil
}

// Mechanism is an allocation algorithm.
type Mechanism uint8

// Mechanisms.
const (
	// DeferredAcceptance is child-proposing deferred acceptance
	// (Gale–Shapley): stable, the best stable matching for every family,
	// and strategy-proof for families: ranking Kitas truthfully is safe.
	DeferredAcceptance Mechanism = iota + 1
	// KitaProposing is Kita-proposing deferred acceptance: stable, but the
	// stable matching Kitas like best and families like least.
	KitaProposing
	// ImmediateAcceptance is the "Boston" mechanism: in round k every child
	// still unplaced applies to its k-th choice and Kitas accept for good
	// by priority. Not stable: it shows justified envy and rewards
	// strategic ranking. Offered for comparison.
	ImmediateAcceptance
)

var mechanismNames = []string{"", "deferred-acceptance", "kita-proposing", "immediate-acceptance"}

// Valid reports whether m is a known mechanism.
func (m Mechanism) Valid() bool { return m >= DeferredAcceptance && m <= ImmediateAcceptance }

// String returns the mechanism's name as used in JSON and on the command line.
func (m Mechanism) String() string { return nameOf(mechanismNames, uint8(m)) }

// MarshalText encodes the mechanism's name.
func (m Mechanism) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes a mechanism's name; unknown names are not Valid.
func (m *Mechanism) UnmarshalText(text []byte) error {
	*m = Mechanism(parseName(mechanismNames, string(text)))
	return nil
}

// ParseMechanism returns the mechanism named s, or an invalid one.
func ParseMechanism(s string) Mechanism { return Mechanism(parseName(mechanismNames, s)) }
