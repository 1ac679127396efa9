package allocation

import (
	"errors"

	"github.com/kitaportal/kitaportal/problem"
)

// Rule sentinels. Every [problem.Problem] reported by this package unwraps
// to one of them; match with errors.Is.
var (
	// ErrMalformed: the input is not valid JSON of the interchange format
	// (an unknown field, a field given twice, a value of the wrong type),
	// or too large.
	ErrMalformed = errors.New("allocation: malformed input")
	// ErrID: an id is missing or used twice.
	ErrID = errors.New("allocation: missing or duplicate id")
	// ErrUnknownFacility: a facility id names no facility of the instance.
	ErrUnknownFacility = errors.New("allocation: unknown facility")
	// ErrUnknownApplicant: an applicant id names no applicant of the instance.
	ErrUnknownApplicant = errors.New("allocation: unknown applicant")
	// ErrChoice: an applicant chose a facility twice.
	ErrChoice = errors.New("allocation: facility chosen twice")
	// ErrBand: an age band is missing or unknown.
	ErrBand = errors.New("allocation: invalid age band")
	// ErrAttribute: an attribute the policy needs is missing or malformed.
	ErrAttribute = errors.New("allocation: invalid attribute")
	// ErrCapacity: a capacity or quota is negative, quotas do not add up to
	// the capacity, or fixed placements exceed it.
	ErrCapacity = errors.New("allocation: invalid capacity")
	// ErrPriority: an explicit priority order is incomplete or names an
	// applicant twice or an unknown one.
	ErrPriority = errors.New("allocation: invalid priority order")
	// ErrPolicy: the policy names an unknown criterion, mode or lottery, a
	// criterion twice, or points out of range.
	ErrPolicy = errors.New("allocation: invalid policy")
	// ErrMechanism: the mechanism is unset or unknown, or cannot place
	// families.
	ErrMechanism = errors.New("allocation: invalid mechanism")
	// ErrFamily: a family has fewer than two children, names an unknown or
	// fixed child or one of another family, or is placed together while
	// its children's choices differ.
	ErrFamily = errors.New("allocation: invalid family")
	// ErrFormat: the format names an unknown version, or a field needs a
	// later version than the one named.
	ErrFormat = errors.New("allocation: invalid format version")
)

// Codes of the problems this package reports. They never change once
// released.
const (
	CodeMalformedJSON      problem.Code = "allocation.malformed_json"
	CodeUnknownField       problem.Code = "allocation.unknown_field"
	CodeDuplicateField     problem.Code = "allocation.duplicate_field"
	CodeTooLarge           problem.Code = "allocation.too_large"
	CodeMissingID          problem.Code = "allocation.missing_id"
	CodeDuplicateID        problem.Code = "allocation.duplicate_id"
	CodeUnknownFacility    problem.Code = "allocation.unknown_facility"
	CodeUnknownApplicant   problem.Code = "allocation.unknown_applicant"
	CodeDuplicateChoice    problem.Code = "allocation.duplicate_choice"
	CodeMissingBand        problem.Code = "allocation.missing_band"
	CodeInvalidBand        problem.Code = "allocation.invalid_band"
	CodeInvalidDate        problem.Code = "allocation.invalid_date"
	CodeMissingAttribute   problem.Code = "allocation.missing_attribute"
	CodeNegativeCapacity   problem.Code = "allocation.negative_capacity"
	CodeQuotaSum           problem.Code = "allocation.quota_sum"
	CodeFixedOverCapacity  problem.Code = "allocation.fixed_over_capacity"
	CodeNotInPriority      problem.Code = "allocation.not_in_priority"
	CodeDuplicatePriority  problem.Code = "allocation.duplicate_priority"
	CodeInvalidCriterion   problem.Code = "allocation.invalid_criterion"
	CodeDuplicateCriterion problem.Code = "allocation.duplicate_criterion"
	CodeInvalidMode        problem.Code = "allocation.invalid_mode"
	CodePointsRange        problem.Code = "allocation.points_range"
	CodeInvalidLottery     problem.Code = "allocation.invalid_lottery"
	CodeInvalidMechanism   problem.Code = "allocation.invalid_mechanism"
	CodeFamilySize         problem.Code = "allocation.family_too_small"
	CodeFamilyMember       problem.Code = "allocation.family_member_twice"
	CodeFamilyFixed        problem.Code = "allocation.family_member_fixed"
	CodeFamilyChoices      problem.Code = "allocation.family_choices_differ"
	CodeFamilyMechanism    problem.Code = "allocation.families_need_deferred_acceptance"
	CodeInvalidFormat      problem.Code = "allocation.invalid_format"
	CodeNeedsV2            problem.Code = "allocation.needs_v2"
	CodePoolsAndQuotas     problem.Code = "allocation.pools_and_quotas"
	CodeInvalidHours       problem.Code = "allocation.invalid_hours"
	CodeInvalidMonth       problem.Code = "allocation.invalid_month"
	CodeDuplicateHours     problem.Code = "allocation.duplicate_hours"
	CodeHoursNotOffered    problem.Code = "allocation.hours_not_offered"
	CodeFixedWithPools     problem.Code = "allocation.fixed_with_pools"
	CodePoolsMechanism     problem.Code = "allocation.pools_need_deferred_acceptance"
)

// Messages are the German and English texts of every code above, for a
// [problem.Translator].
var Messages = problem.Catalog{
	"de": {
		CodeMalformedJSON:      "ist kein gültiges JSON des Austauschformats (Byte {offset})",
		CodeUnknownField:       "ist kein Feld des Austauschformats",
		CodeDuplicateField:     "Das Feld kommt mehrfach vor",
		CodeTooLarge:           "Die Eingabe ist größer als {max} Bytes",
		CodeMissingID:          "Die Kennung fehlt",
		CodeDuplicateID:        "Die Kennung ist bereits vergeben",
		CodeUnknownFacility:    "Diese Kita gibt es nicht",
		CodeSyntheticSize:      "Die Größe muss zwischen {min} und {max} liegen",
		CodeUnknownApplicant:   "Dieses Kind ist nicht angemeldet",
		CodeDuplicateChoice:    "Diese Kita wurde bereits gewählt",
		CodeMissingBand:        "Die Altersgruppe (u3 oder o3) fehlt; die Kita vergibt Plätze nach Altersgruppen",
		CodeInvalidBand:        "Die Altersgruppe muss u3 oder o3 sein",
		CodeInvalidDate:        "Das Datum muss die Form JJJJ-MM-TT haben",
		CodeMissingAttribute:   "Die Angabe fehlt, wird aber vom Kriterium {criterion} gebraucht",
		CodeNegativeCapacity:   "Die Zahl der Plätze darf nicht negativ sein",
		CodeQuotaSum:           "Die Plätze je Altersgruppe ergeben zusammen nicht die Zahl der Plätze",
		CodeFixedOverCapacity:  "Mehr feste Zusagen als Plätze",
		CodeNotInPriority:      "Das Kind fehlt in der Rangfolge der gewählten Kita",
		CodeDuplicatePriority:  "Das Kind steht mehrfach in der Rangfolge",
		CodeInvalidCriterion:   "Unbekanntes Kriterium; erlaubt: {allowed}",
		CodeDuplicateCriterion: "Das Kriterium kommt mehrfach vor",
		CodeInvalidMode:        "Die Gewichtung muss points oder tier sein; Alter und Anmeldedatum nur tier",
		CodePointsRange:        "Die Punkte müssen zwischen -{max} und {max} liegen",
		CodeInvalidLottery:     "Das Losverfahren muss per_child oder per_facility sein",
		CodeInvalidMechanism:   "Unbekanntes Verfahren; erlaubt: {allowed}",
		CodeFamilySize:         "Eine Familie braucht mindestens zwei Kinder",
		CodeFamilyMember:       "Das Kind gehört bereits zu einer Familie",
		CodeFamilyFixed:        "Das Kind hat bereits eine feste Zusage und kann nicht mit seiner Familie vergeben werden",
		CodeFamilyChoices:      "Kinder, die zusammen einen Platz bekommen sollen, brauchen dieselbe Wunschliste",
		CodeFamilyMechanism:    "Familien kann nur das Verfahren deferred-acceptance vergeben",
		CodeInvalidFormat:      "Unbekannte Formatversion; erlaubt: {allowed}",
		CodeNeedsV2:            "Das Feld gibt es erst ab Formatversion {format}",
		CodePoolsAndQuotas:     "Eine Kita gibt entweder pools oder capacity_by_band an, nicht beides",
		CodeInvalidHours:       "Die Betreuungsstunden müssen zwischen 1 und {max} liegen",
		CodeInvalidMonth:       "Der Monat muss die Form JJJJ-MM haben",
		CodeDuplicateHours:     "Diese Stundenzahl wurde für die Kita bereits gewählt",
		CodeHoursNotOffered:    "Kein Platzkontingent dieser Kita bietet diese Stundenzahl an",
		CodeFixedWithPools:     "Ein fester Platz aus einer früheren Runde an einer Kita mit Platzkontingenten wird noch nicht unterstützt",
		CodePoolsMechanism:     "Platzkontingente (pools) und Stundenwünsche verteilt nur das Verfahren deferred_acceptance",
	},
	"en": {
		CodeMalformedJSON:      "is not valid JSON of the interchange format (byte {offset})",
		CodeUnknownField:       "is not a field of the interchange format",
		CodeDuplicateField:     "the field appears twice",
		CodeTooLarge:           "the input is larger than {max} bytes",
		CodeMissingID:          "the id is missing",
		CodeDuplicateID:        "the id is already taken",
		CodeUnknownFacility:    "no such Kita",
		CodeSyntheticSize:      "the size must lie between {min} and {max}",
		CodeUnknownApplicant:   "no such applicant",
		CodeDuplicateChoice:    "this Kita was already chosen",
		CodeMissingBand:        "the age band (u3 or o3) is missing; the Kita has band quotas",
		CodeInvalidBand:        "the age band must be u3 or o3",
		CodeInvalidDate:        "the date must have the form YYYY-MM-DD",
		CodeMissingAttribute:   "missing, but the criterion {criterion} needs it",
		CodeNegativeCapacity:   "the number of places must not be negative",
		CodeQuotaSum:           "the places per age band do not add up to the capacity",
		CodeFixedOverCapacity:  "more fixed placements than places",
		CodeNotInPriority:      "the applicant is missing from the chosen Kita's priority order",
		CodeDuplicatePriority:  "the applicant appears twice in the priority order",
		CodeInvalidCriterion:   "unknown criterion; allowed: {allowed}",
		CodeDuplicateCriterion: "the criterion appears twice",
		CodeInvalidMode:        "the mode must be points or tier; age and registration_date only tier",
		CodePointsRange:        "points must lie between -{max} and {max}",
		CodeInvalidLottery:     "the lottery must be per_child or per_facility",
		CodeInvalidMechanism:   "unknown mechanism; allowed: {allowed}",
		CodeFamilySize:         "a family needs at least two children",
		CodeFamilyMember:       "the child already belongs to a family",
		CodeFamilyFixed:        "the child already holds a fixed place and cannot be placed with its family",
		CodeFamilyChoices:      "children placed together need the same list of choices",
		CodeFamilyMechanism:    "only deferred-acceptance places families",
		CodeInvalidFormat:      "unknown format version; allowed: {allowed}",
		CodeNeedsV2:            "the field needs format version {format}",
		CodePoolsAndQuotas:     "a Kita gives either pools or capacity_by_band, not both",
		CodeInvalidHours:       "care hours must be between 1 and {max}",
		CodeInvalidMonth:       "the month must have the form YYYY-MM",
		CodeDuplicateHours:     "these hours were already chosen for the Kita",
		CodeHoursNotOffered:    "no pool of this Kita offers these hours",
		CodeFixedWithPools:     "a fixed place from an earlier round at a Kita with pools is not supported yet",
		CodePoolsMechanism:     "only deferred_acceptance allocates pools and care hours",
	},
}
