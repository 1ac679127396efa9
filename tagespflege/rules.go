package tagespflege

import (
	"errors"

	"github.com/kitaportal/kitaportal/problem"
)

// Limits of § 43 (3) SGB VIII and § 22 KiBiz NRW.
const (
	// MaxChildren is the most children one minder may care for at once.
	MaxChildren = 5
	// MaxContracts is the most care contracts one minder may hold a week.
	MaxContracts = 8
	// MaxContractsExtended is the limit where the Jugendamt allows more
	// contracts ([Minder].ExtendedContracts).
	MaxContractsExtended = 10
	// GroupMaxMinders is the most minders of one Großtagespflege.
	GroupMaxMinders = 3
	// GroupMaxChildren is the most children of one Großtagespflege at once.
	GroupMaxChildren = 9
	// LicenceYears is the longest term of a Pflegeerlaubnis (§ 43 (3) S. 4).
	LicenceYears = 5
	// MaxAgeMonths is the oldest age a minder may list as taken: Kindertagespflege
	// reaches school children up to 14 (§ 24 (4) SGB VIII).
	MaxAgeMonths = 14 * 12
)

// Rule sentinels: every [problem.Problem] of this package unwraps to one of
// them, so callers can ask errors.Is(err, tagespflege.ErrLicenceLimit).
var (
	// ErrLicenceLimit: a capacity or count exceeds the limits of § 43 (3)
	// SGB VIII (5 children at once, 8 or 10 contracts, Großtagespflege with
	// 3 minders and 9 children).
	ErrLicenceLimit = errors.New("tagespflege: exceeds the limits of the licence")
	// ErrLicencePeriod: the licence period is missing, reversed or longer
	// than five years.
	ErrLicencePeriod = errors.New("tagespflege: licence period invalid")
	// ErrDuplicate: an id or district appears twice where it must be unique.
	ErrDuplicate = errors.New("tagespflege: duplicate entry")
	// ErrRange: a value lies outside its allowed range (ages, hours).
	ErrRange = errors.New("tagespflege: value out of range")
	// ErrMissing: a required value is missing.
	ErrMissing = errors.New("tagespflege: value missing")
	// ErrUnknownDistrict: no Fachberatung serves that district.
	ErrUnknownDistrict = errors.New("tagespflege: no office for district")
)

// Problem codes of the tagespflege package. They never change once released.
const (
	CodeCapacityMissing          problem.Code = "tagespflege.capacity_missing"
	CodeCapacityExceedsLicence   problem.Code = "tagespflege.capacity_exceeds_licence"
	CodeContractsExceedLimit     problem.Code = "tagespflege.contracts_exceed_limit"
	CodeContractsBelowCapacity   problem.Code = "tagespflege.contracts_below_capacity"
	CodeLicenceMissing           problem.Code = "tagespflege.licence_missing"
	CodeLicenceDate              problem.Code = "tagespflege.licence_date"
	CodeLicenceReversed          problem.Code = "tagespflege.licence_reversed"
	CodeLicenceTooLong           problem.Code = "tagespflege.licence_too_long"
	CodePlacementsExceedCap      problem.Code = "tagespflege.placements_exceed_capacity"
	CodePlacementsNotAllowed     problem.Code = "tagespflege.placements_not_allowed"
	CodeDuplicatePlacement       problem.Code = "tagespflege.duplicate_placement"
	CodeAgesInvalid              problem.Code = "tagespflege.ages_invalid"
	CodeHoursMissing             problem.Code = "tagespflege.hours_missing"
	CodeHoursInvalid             problem.Code = "tagespflege.hours_invalid"
	CodeDuplicateHours           problem.Code = "tagespflege.duplicate_hours"
	CodeContactMissing           problem.Code = "tagespflege.contact_missing"
	CodeGroupTooManyMinders      problem.Code = "tagespflege.group_too_many_minders"
	CodeGroupCapacityMissing     problem.Code = "tagespflege.group_capacity_missing"
	CodeGroupCapacityExceeds     problem.Code = "tagespflege.group_capacity_exceeds_licence"
	CodeDuplicateMinder          problem.Code = "tagespflege.duplicate_minder"
	CodeGroupNotEmpty            problem.Code = "tagespflege.group_not_empty"
	CodeDuplicateOffice          problem.Code = "tagespflege.duplicate_office"
	CodeDistrictUnknown          problem.Code = "tagespflege.district_unknown"
	CodeActorMissing             problem.Code = "tagespflege.actor_missing"
	CodeStartMissing             problem.Code = "tagespflege.start_missing"
	CodeReasonInvalid            problem.Code = "tagespflege.reason_invalid"
	CodeIDMissing                problem.Code = "tagespflege.id_missing"
	CodeStatusInvalid            problem.Code = "tagespflege.status_invalid"
	CodeGroupPlacementsExceedCap problem.Code = "tagespflege.group_placements_exceed_capacity"
)

// Messages are the German and English texts of the package's problem
// codes, for a [problem.Translator].
var Messages = problem.Catalog{
	"de": {
		"tagespflege.not_found":      "Dieser Eintrag wurde nicht gefunden.",
		"tagespflege.exists":         "Ein Eintrag mit dieser Kennung existiert bereits.",
		"tagespflege.conflict":       "Der Eintrag wurde inzwischen geändert. Bitte laden Sie ihn neu.",
		"tagespflege.transition":     "Dieser Schritt ist im aktuellen Stand der Vermittlung nicht möglich.",
		"tagespflege.minder_full":    "Die Tagespflegeperson hat keinen freien Platz mehr.",
		"tagespflege.licence":        "Die Pflegeerlaubnis gilt zum Betreuungsbeginn nicht.",
		"tagespflege.district":       "Die Tagespflegeperson arbeitet in einem anderen Stadtbezirk.",
		"tagespflege.not_placed":     "Das Kind ist bei dieser Tagespflegeperson nicht vermittelt.",
		CodeCapacityMissing:          "Die Zahl der gleichzeitig betreuten Kinder fehlt.",
		CodeCapacityExceedsLicence:   "Eine Tagespflegeperson darf höchstens {max} Kinder gleichzeitig betreuen (§ 43 Abs. 3 SGB VIII).",
		CodeContractsExceedLimit:     "Höchstens {max} Betreuungsverträge pro Woche sind erlaubt.",
		CodeContractsBelowCapacity:   "Die Zahl der Betreuungsverträge darf nicht unter der Zahl gleichzeitig betreuter Kinder liegen.",
		CodeLicenceMissing:           "Beginn und Ende der Pflegeerlaubnis fehlen.",
		CodeLicenceDate:              "Bitte geben Sie diesen Tag der Pflegeerlaubnis als gültiges Datum an (JJJJ-MM-TT).",
		CodeLicenceReversed:          "Die Pflegeerlaubnis endet vor ihrem Beginn.",
		CodeLicenceTooLong:           "Die Pflegeerlaubnis gilt höchstens {max_years} Jahre.",
		CodePlacementsExceedCap:      "Es sind mehr Kinder vermittelt, als die Pflegeerlaubnis zulässt.",
		CodePlacementsNotAllowed:     "Vermittlungen werden über die Fachberatung erfasst, nicht bei der Anlage.",
		CodeDuplicatePlacement:       "Dieselbe Vermittlung ist doppelt eingetragen.",
		CodeAgesInvalid:              "Das Betreuungsalter muss zwischen 0 und {max} Monaten liegen, das Ende nach dem Beginn.",
		CodeHoursMissing:             "Mindestens ein Betreuungsumfang ist anzugeben.",
		CodeHoursInvalid:             "Der Betreuungsumfang muss zwischen 1 und {max} Wochenstunden liegen.",
		CodeDuplicateHours:           "Dieser Betreuungsumfang ist doppelt angegeben.",
		CodeContactMissing:           "E-Mail-Adresse oder Telefonnummer ist anzugeben.",
		CodeGroupTooManyMinders:      "Eine Großtagespflege hat höchstens {max} Tagespflegepersonen.",
		CodeGroupCapacityMissing:     "Die Zahl der Plätze der Großtagespflege fehlt.",
		CodeGroupCapacityExceeds:     "Eine Großtagespflege betreut höchstens {max} Kinder gleichzeitig.",
		CodeDuplicateMinder:          "Diese Tagespflegeperson ist doppelt eingetragen.",
		CodeGroupNotEmpty:            "Eine neue Großtagespflege beginnt ohne Tagespflegepersonen und Kinder.",
		CodeDuplicateOffice:          "Für diesen Stadtbezirk ist schon eine Fachberatung eingetragen.",
		CodeDistrictUnknown:          "Für diesen Stadtbezirk gibt es keine Fachberatung.",
		CodeActorMissing:             "Es fehlt, wer den Schritt ausführt.",
		CodeStartMissing:             "Der Betreuungsbeginn fehlt.",
		CodeReasonInvalid:            "Der Grund für den Abschluss ist unbekannt.",
		CodeIDMissing:                "Die Kennung fehlt.",
		CodeStatusInvalid:            "Der Status ist unbekannt.",
		CodeGroupPlacementsExceedCap: "Es sind mehr Kinder vermittelt, als die Großtagespflege Plätze hat.",
	},
	"en": {
		"tagespflege.not_found":      "This record was not found.",
		"tagespflege.exists":         "A record with this id exists already.",
		"tagespflege.conflict":       "The record changed meanwhile. Please reload it.",
		"tagespflege.transition":     "This step is not possible in the current state of the referral.",
		"tagespflege.minder_full":    "The child-minder has no free place left.",
		"tagespflege.licence":        "The minder's licence does not cover the start of care.",
		"tagespflege.district":       "The child-minder works in another district.",
		"tagespflege.not_placed":     "The child is not placed with this child-minder.",
		CodeCapacityMissing:          "The number of children cared for at once is missing.",
		CodeCapacityExceedsLicence:   "A child-minder may care for at most {max} children at once (§ 43 (3) SGB VIII).",
		CodeContractsExceedLimit:     "At most {max} care contracts a week are allowed.",
		CodeContractsBelowCapacity:   "The number of contracts must not be below the number of children cared for at once.",
		CodeLicenceMissing:           "The licence's first and last day are missing.",
		CodeLicenceDate:              "Please give this day of the licence as a valid date (YYYY-MM-DD).",
		CodeLicenceReversed:          "The licence ends before it begins.",
		CodeLicenceTooLong:           "A licence is valid for at most {max_years} years.",
		CodePlacementsExceedCap:      "More children are placed than the licence allows.",
		CodePlacementsNotAllowed:     "Placements are recorded by the Fachberatung, not when a minder is added.",
		CodeDuplicatePlacement:       "The same placement is listed twice.",
		CodeAgesInvalid:              "Ages taken must lie between 0 and {max} months, the end after the beginning.",
		CodeHoursMissing:             "Name at least one weekly care-hours option.",
		CodeHoursInvalid:             "Weekly care hours must lie between 1 and {max}.",
		CodeDuplicateHours:           "These care hours are listed twice.",
		CodeContactMissing:           "Give an e-mail address or a phone number.",
		CodeGroupTooManyMinders:      "A Großtagespflege has at most {max} child-minders.",
		CodeGroupCapacityMissing:     "The number of places of the Großtagespflege is missing.",
		CodeGroupCapacityExceeds:     "A Großtagespflege cares for at most {max} children at once.",
		CodeDuplicateMinder:          "This child-minder is listed twice.",
		CodeGroupNotEmpty:            "A new Großtagespflege starts without minders and children.",
		CodeDuplicateOffice:          "This district has a Fachberatung already.",
		CodeDistrictUnknown:          "No Fachberatung serves this district.",
		CodeActorMissing:             "Who takes the step is missing.",
		CodeStartMissing:             "The first day of care is missing.",
		CodeReasonInvalid:            "The reason for closing is unknown.",
		CodeIDMissing:                "The id is missing.",
		CodeStatusInvalid:            "The status is unknown.",
		CodeGroupPlacementsExceedCap: "More children are placed than the Großtagespflege has places.",
	},
}
