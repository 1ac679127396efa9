package contract

import (
	"fmt"

	"github.com/kitaportal/kitaportal/internal/enum"
)

// Kind is the kind of care a contract is about. The zero value is unset.
type Kind int

// The kinds of care.
const (
	// Kita: a place in a Kindertageseinrichtung, contract with its Träger.
	Kita Kind = iota + 1
	// Tagespflege: Kindertagespflege, contract with a Tagespflegeperson.
	Tagespflege
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Kita || k == Tagespflege }

// String returns "kita" or "tagespflege" ("unset" for the zero value).
func (k Kind) String() string {
	switch k {
	case Kita:
		return "kita"
	case Tagespflege:
		return "tagespflege"
	}
	return "unset"
}

// MarshalText encodes the kind's name.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w: kind", ErrInput)
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes "kita" or "tagespflege".
func (k *Kind) UnmarshalText(p []byte) error {
	switch string(p) {
	case "kita":
		*k = Kita
	case "tagespflege":
		*k = Tagespflege
	default:
		return fmt.Errorf("%w: kind", ErrInput)
	}
	return nil
}

// Language is the language a contract is written in. German is binding;
// English is a courtesy translation for families who asked for it. The zero
// value is unset.
type Language int

// The contract languages.
const (
	// German: the binding text.
	German Language = iota + 1
	// English: a translation; the German text is binding and the contract says so.
	English
)

// ParseLanguage reads "de" or "en".
func ParseLanguage(s string) (Language, bool) {
	switch s {
	case "de":
		return German, true
	case "en":
		return English, true
	}
	return 0, false
}

// Valid reports whether l is a known language.
func (l Language) Valid() bool { return l == German || l == English }

// String returns "de" or "en" ("unset" for the zero value).
func (l Language) String() string {
	switch l {
	case German:
		return "de"
	case English:
		return "en"
	}
	return "unset"
}

// MarshalText encodes the language code.
func (l Language) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("%w: language", ErrInput)
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes "de" or "en".
func (l *Language) UnmarshalText(p []byte) error {
	v, ok := ParseLanguage(string(p))
	if !ok {
		return fmt.Errorf("%w: language", ErrInput)
	}
	*l = v
	return nil
}

// SiblingRule is how a fee schedule treats several children of one family
// in care at the same time (Geschwisterermäßigung). The zero value is unset
// and invalid in a schedule.
type SiblingRule int

// The sibling rules.
const (
	// NoSiblingReduction: every child pays its own fee.
	NoSiblingReduction SiblingRule = iota + 1
	// MostExpensiveOnly: only the child with the highest fee pays; the
	// others are free (ties go to the older child).
	MostExpensiveOnly
	// PercentReduction: the child with the highest fee pays in full, every
	// further child pays the fee reduced by the schedule's percentage.
	PercentReduction
)

var siblingRuleNames = [...]string{"", "none", "most_expensive_only", "percentage"}

// Valid reports whether r is a known rule.
func (r SiblingRule) Valid() bool { return r >= NoSiblingReduction && r <= PercentReduction }

// String returns "none", "most_expensive_only" or "percentage".
func (r SiblingRule) String() string {
	return enum.Name(siblingRuleNames[:], r)
}

// MarshalText encodes the rule name.
func (r SiblingRule) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("%w: sibling rule", ErrSchedule)
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a rule name.
func (r *SiblingRule) UnmarshalText(p []byte) error {
	v, ok := enum.Parse[SiblingRule](siblingRuleNames[:], string(p))
	if !ok {
		return fmt.Errorf("%w: sibling rule", ErrSchedule)
	}
	*r = v
	return nil
}

// Reason explains why a month band of a [FeeStatement] costs what it costs.
type Reason int

// The reasons of a fee band.
const (
	// ReasonFeeFree: a fee-free Kita year before school (Beitragsfreiheit, § 50 KiBiz).
	ReasonFeeFree Reason = iota + 1
	// ReasonExempt: the household income lies below the exemption threshold.
	ReasonExempt
	// ReasonUnderSplit: the child is younger than the schedule's age split (higher fee).
	ReasonUnderSplit
	// ReasonFromSplit: the child has reached the age split (from the first of the following month).
	ReasonFromSplit
	// ReasonSiblingFree: a sibling pays the highest fee, so this child is free.
	ReasonSiblingFree
	// ReasonSiblingReduced: a sibling pays the highest fee, so this child's fee is reduced.
	ReasonSiblingReduced
	// ReasonCut: the schedule cuts all fees by a percentage in this period.
	ReasonCut
)

var reasonNames = [...]string{"", "fee_free_year", "exempt", "under_split", "from_split", "sibling_free", "sibling_reduced", "cut"}

// Valid reports whether r is a known reason.
func (r Reason) Valid() bool { return r >= ReasonFeeFree && r <= ReasonCut }

// String returns the stable name of the reason, such as "fee_free_year".
func (r Reason) String() string {
	return enum.Name(reasonNames[:], r)
}

// MarshalText encodes the reason name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }
