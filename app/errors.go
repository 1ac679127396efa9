package app

import (
	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Errors returns every sentinel error the App's methods can return beside
// a problem.List (whose codes are in the packages' Messages catalogs).
// Each has a kind (problem.KindOf), a stable code (problem.CodeOf) and a
// German and an English text in [Catalogs], so that an edge maps and words
// any error with one switch.
func Errors() []error {
	return []error{
		access.ErrDenied,
		registration.ErrNotFound, registration.ErrDuplicate, registration.ErrConflict, registration.ErrTransition,
		registration.ErrDeadline, registration.ErrNoPlace, registration.ErrExists, registration.ErrOfferLapsed,
		tagespflege.ErrNotFound, tagespflege.ErrExists, tagespflege.ErrConflict, tagespflege.ErrTransition,
		tagespflege.ErrMinderFull, tagespflege.ErrLicence, tagespflege.ErrDistrict,
		kita.ErrNotFound, kita.ErrStaleReport,
		registration.ErrRoundPublished, registration.ErrNothingAbove,
		ErrNoPlaces, ErrID, ErrYear, ErrNotAccepted, ErrNoEdits, ErrEditConflict, ErrVersion,
		ErrKeyReused, ErrKeyExists, ErrNoReferral,
		ErrNoDraft, ErrDraftSuperseded, ErrPublishedElsewhere, ErrNoRound,
	}
}
