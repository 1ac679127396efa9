package tagespflege

import (
	"github.com/kitaportal/kitaportal/kita"
	"github.com/rickb777/date"
)

// DefaultUpperAge is the birthday, in years, before which a child may be
// registered for Kindertagespflege by default: the third.
const DefaultUpperAge = 3

// EligibleAge reports whether a child born on birth may be registered for
// Kindertagespflege starting on start: from birth up to, but excluding, the
// third birthday ([DefaultUpperAge]).
//
// From the first to the third birthday the child has a legal claim to a
// Kita or a Tagespflege place (§ 24 (2) SGB VIII); under one year care is
// granted on need (§ 24 (1)), which the Fachberatung checks, so the portal
// registers it too. From the third birthday the claim is to a Kita place;
// Tagespflege then only supplements it (§ 24 (3) S. 3), which is not
// registered here. A start before birth is not eligible.
func EligibleAge(birth, start date.Date) bool {
	return EligibleAgeUntil(birth, start, DefaultUpperAge)
}

// EligibleAgeUntil is [EligibleAge] with the upper bound as a parameter: the
// child must be born by start and be younger than upperYears at start (a
// child born on 29 February completes its years on 1 March in common years,
// § 188 (3) BGB). upperYears below 1 admits no child.
func EligibleAgeUntil(birth, start date.Date, upperYears int) bool {
	if upperYears < 1 || start.Before(birth) {
		return false
	}
	return start.Before(kita.Anniversary(birth, upperYears))
}
