package contract

import (
	"errors"

	"github.com/kitaportal/kitaportal/problem"
)

// Sentinel errors, one per rule. Every [problem.Problem] of a [problem.List]
// returned by this package unwraps to one of them.
var (
	// ErrParty: a party of the contract (provider, guardian, child) is incomplete.
	ErrParty = errors.New("contract: incomplete party")
	// ErrGuardians: a contract needs one or two guardians.
	ErrGuardians = errors.New("contract: one or two guardians required")
	// ErrDates: start, end and birth date do not fit together.
	ErrDates = errors.New("contract: inconsistent dates")
	// ErrHours: the weekly hours are not in the fee schedule.
	ErrHours = errors.New("contract: care hours not in fee schedule")
	// ErrNotCovered: the fee schedule has no fee for a month of the contract.
	ErrNotCovered = errors.New("contract: fee not covered by schedule")
	// ErrSchedule: a fee schedule is malformed.
	ErrSchedule = errors.New("contract: invalid fee schedule")
	// ErrClause: a clause template is malformed, too long or uses a forbidden action.
	ErrClause = errors.New("contract: invalid clause template")
	// ErrInput: a plain input field is missing or out of range (number, kind, language, income, creation instant).
	ErrInput = errors.New("contract: invalid input")
	// ErrRules: the contract rules of a city or carrier are inconsistent.
	ErrRules = errors.New("contract: invalid rules")
	// ErrNotGenerated: a Contract was not produced by [Generate].
	ErrNotGenerated = errors.New("contract: contract not generated")
)

// Codes of the problems this package reports. They never change once released.
const (
	CodeNumberMissing       problem.Code = "contract.number_missing"
	CodeNumberTooLong       problem.Code = "contract.number_too_long"
	CodeKindInvalid         problem.Code = "contract.kind_invalid"
	CodeLanguageInvalid     problem.Code = "contract.language_invalid"
	CodeCreatedMissing      problem.Code = "contract.created_missing"
	CodeIncomeNegative      problem.Code = "contract.income_negative"
	CodeNameMissing         problem.Code = "contract.name_missing"
	CodeTextTooLong         problem.Code = "contract.text_too_long"
	CodeRepresentative      problem.Code = "contract.representative_missing"
	CodeCarrierMissing      problem.Code = "contract.carrier_missing"
	CodeGuardianMissing     problem.Code = "contract.guardian_missing"
	CodeTooManyGuardians    problem.Code = "contract.too_many_guardians"
	CodeBirthDateMissing    problem.Code = "contract.birth_date_missing"
	CodeStartMissing        problem.Code = "contract.start_missing"
	CodeBornAfterStart      problem.Code = "contract.born_after_start"
	CodeSchoolAgeAtStart    problem.Code = "contract.school_age_at_start"
	CodeStartAfterEnd       problem.Code = "contract.start_after_end"
	CodeEndAfterSchoolEntry problem.Code = "contract.end_after_school_entry"
	CodeHoursNotOffered     problem.Code = "contract.hours_not_offered"
	CodeFeeNotCovered       problem.Code = "contract.fee_not_covered"
	CodeBracketGap          problem.Code = "contract.fee_bracket_gap"
	CodeSchedule            problem.Code = "contract.schedule_invalid"
	CodeScheduleSyntax      problem.Code = "contract.schedule_syntax"
	CodeClauseSyntax        problem.Code = "contract.clause_syntax"
	CodeClauseTooLong       problem.Code = "contract.clause_too_long"
	CodeClauseForbidden     problem.Code = "contract.clause_forbidden"
	CodeClauseExecution     problem.Code = "contract.clause_execution"
	CodeClauseKey           problem.Code = "contract.clause_key"
	CodeClauseTranslation   problem.Code = "contract.clause_translation_missing"
	CodeClauseCount         problem.Code = "contract.clause_count"
	CodeRules               problem.Code = "contract.rules_invalid"
)

// Messages holds the German and English texts of every code of this
// package, for a [problem.Translator].
var Messages = problem.Catalog{
	"de": {
		CodeNumberMissing:       "Die Vertragsnummer fehlt.",
		CodeNumberTooLong:       "Die Vertragsnummer ist zu lang (höchstens {max} Zeichen).",
		CodeKindInvalid:         "Die Betreuungsart muss Kita oder Kindertagespflege sein.",
		CodeLanguageInvalid:     "Die Vertragssprache muss Deutsch oder Englisch sein.",
		CodeCreatedMissing:      "Der Erstellungszeitpunkt fehlt.",
		CodeIncomeNegative:      "Das Jahreseinkommen darf nicht negativ sein.",
		CodeNameMissing:         "Der Name fehlt.",
		CodeTextTooLong:         "Der Text ist zu lang (höchstens {max} Zeichen).",
		CodeRepresentative:      "Die Kita-Leitung, die den Träger vertritt, fehlt.",
		CodeCarrierMissing:      "Der Träger der Kita fehlt.",
		CodeGuardianMissing:     "Mindestens ein Sorgeberechtigter muss den Vertrag schließen.",
		CodeTooManyGuardians:    "Höchstens {max} Sorgeberechtigte können den Vertrag schließen.",
		CodeBirthDateMissing:    "Das Geburtsdatum fehlt.",
		CodeStartMissing:        "Der Betreuungsbeginn fehlt.",
		CodeBornAfterStart:      "Der Betreuungsbeginn liegt vor der Geburt.",
		CodeSchoolAgeAtStart:    "Das Kind ist zu Betreuungsbeginn bereits schulpflichtig.",
		CodeStartAfterEnd:       "Der Betreuungsbeginn liegt nach dem Vertragsende.",
		CodeEndAfterSchoolEntry: "Das Vertragsende liegt nach dem Tag vor der Einschulung.",
		CodeHoursNotOffered:     "Der Betreuungsumfang ist in der Beitragstabelle nicht vorgesehen (möglich: {allowed} Stunden).",
		CodeFeeNotCovered:       "Die Beitragstabelle deckt die Vertragslaufzeit nicht ab (gültig {from} bis {until}).",
		CodeBracketGap:          "Für dieses Einkommen enthält die Beitragstabelle keine Einkommensstufe.",
		CodeSchedule:            "Die Beitragstabelle ist fehlerhaft ({rule}).",
		CodeScheduleSyntax:      "Die Beitragstabelle ist kein gültiges JSON.",
		CodeClauseSyntax:        "Die Klauselvorlage ist fehlerhaft.",
		CodeClauseTooLong:       "Die Klauselvorlage oder ihr Ergebnis ist zu lang (höchstens {max} Zeichen).",
		CodeClauseForbidden:     "Die Klauselvorlage verwendet eine nicht erlaubte Anweisung ({action}).",
		CodeClauseExecution:     "Die Klauselvorlage lässt sich nicht ausfüllen (unbekanntes Feld?).",
		CodeClauseKey:           "Der Schlüssel der Klausel fehlt, ist ungültig oder doppelt.",
		CodeClauseTranslation:   "Zu dieser Klausel fehlt die Übersetzung.",
		CodeClauseCount:         "Zu viele oder keine Klauseln (höchstens {max}).",
		CodeRules:               "Die Vertragsregeln sind fehlerhaft ({rule}).",
	},
	"en": {
		CodeNumberMissing:       "The contract number is missing.",
		CodeNumberTooLong:       "The contract number is too long (at most {max} characters).",
		CodeKindInvalid:         "The kind of care must be Kita or child-minding (Kindertagespflege).",
		CodeLanguageInvalid:     "The contract language must be German or English.",
		CodeCreatedMissing:      "The creation time is missing.",
		CodeIncomeNegative:      "The annual income must not be negative.",
		CodeNameMissing:         "The name is missing.",
		CodeTextTooLong:         "The text is too long (at most {max} characters).",
		CodeRepresentative:      "The Kita head representing the carrier is missing.",
		CodeCarrierMissing:      "The carrier (Träger) of the Kita is missing.",
		CodeGuardianMissing:     "At least one guardian must sign the contract.",
		CodeTooManyGuardians:    "At most {max} guardians can sign the contract.",
		CodeBirthDateMissing:    "The date of birth is missing.",
		CodeStartMissing:        "The start of care is missing.",
		CodeBornAfterStart:      "The start of care lies before the birth.",
		CodeSchoolAgeAtStart:    "The child is already of school age at the start of care.",
		CodeStartAfterEnd:       "The start of care lies after the end of the contract.",
		CodeEndAfterSchoolEntry: "The end of the contract lies after the day before school entry.",
		CodeHoursNotOffered:     "The fee schedule has no such weekly hours (allowed: {allowed} hours).",
		CodeFeeNotCovered:       "The fee schedule does not cover the contract period (valid {from} to {until}).",
		CodeBracketGap:          "The fee schedule has no income bracket for this income.",
		CodeSchedule:            "The fee schedule is malformed ({rule}).",
		CodeScheduleSyntax:      "The fee schedule is not valid JSON.",
		CodeClauseSyntax:        "The clause template is malformed.",
		CodeClauseTooLong:       "The clause template or its result is too long (at most {max} characters).",
		CodeClauseForbidden:     "The clause template uses an action that is not allowed ({action}).",
		CodeClauseExecution:     "The clause template cannot be filled in (unknown field?).",
		CodeClauseKey:           "The clause key is missing, malformed or duplicated.",
		CodeClauseTranslation:   "The translation of this clause is missing.",
		CodeClauseCount:         "Too many or no clauses (at most {max}).",
		CodeRules:               "The contract rules are inconsistent ({rule}).",
	},
}
