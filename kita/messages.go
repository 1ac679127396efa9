package kita

import "github.com/kitaportal/kitaportal/problem"

// Messages holds the German and English texts of every code of this
// package, for a [problem.Translator]. Parameters in braces come from the
// problem's Params.
var Messages = problem.Catalog{
	"de": {
		CodeCalendar:           "Die Kalendereinstellung ist unmöglich.",
		CodeIDMissing:          "Die Kita braucht eine Kennung.",
		CodeIDInvalid:          "Die Kennung darf keine Leerzeichen enthalten und höchstens {max} Zeichen lang sein.",
		CodeIDDuplicate:        "Diese Kennung ist schon vergeben.",
		CodeNameMissing:        "Die Kita braucht einen Namen.",
		CodeNameTooLong:        "Der Name darf höchstens {max} Zeichen lang sein.",
		CodeCarrierKind:        "Die Art des Trägers fehlt oder ist unbekannt.",
		CodeHoursMissing:       "Die Kita muss mindestens einen Betreuungsumfang anbieten.",
		CodeHoursNotOffered:    "Dieser Betreuungsumfang ist nicht vorgesehen (möglich: {allowed} Wochenstunden).",
		CodeHoursDuplicate:     "Dieser Betreuungsumfang ist doppelt angegeben.",
		CodeCapacityInvalid:    "Die Zahl der Plätze darf nicht negativ sein.",
		CodeCapacityEmpty:      "Die Kita braucht mindestens einen Platz.",
		CodeAgeRange:           "Die Altersangaben ergeben keinen gültigen Bereich.",
		CodeLocation:           "Die Kartenposition liegt außerhalb des gültigen Bereichs.",
		CodeFreePlaces:         "Die freien Plätze dürfen nicht negativ sein und die Platzzahl ({max}) nicht übersteigen.",
		CodeReportTimeMissing:  "Der Zeitpunkt der Meldung fehlt.",
		CodeOpening:            "Die Öffnungszeiten sind ungültig (Format 07:30, Schließen nach Öffnen, jeder Tag einmal).",
		CodeProfile:            "Die Angabe im Kita-Profil ist ungültig (höchstens {max}).",
		CodeQuery:              "Die Suchanfrage ist ungültig.",
		CodeCSVTooLarge:        "Die Datei ist zu groß (höchstens {max} Bytes).",
		CodeCSVTooManyRows:     "Die Datei hat zu viele Zeilen (höchstens {max}).",
		CodeCSVTooManyProblems: "Zu viele Fehler; die Prüfung wurde nach {max} Fehlern abgebrochen.",
		CodeCSVNoRows:          "Die Datei enthält keine Kitas.",
		CodeCSVSyntax:          "Die Zeile ist kein gültiges CSV (Anführungszeichen prüfen).",
		CodeCSVEncoding:        "Der Wert ist nicht UTF-8-kodiert; bitte die Datei als UTF-8 speichern.",
		CodeCSVColumnMissing:   "Die Spalte fehlt in der Kopfzeile.",
		CodeCSVColumnDuplicate: "Die Spalte kommt in der Kopfzeile mehrfach vor.",
		CodeCSVFieldCount:      "Die Zeile hat nicht {want} Felder wie die Kopfzeile.",
		CodeCSVNumber:          "Der Wert ist keine gültige Zahl.",
		CodeCSVHours:           "Die Wochenstunden sind nicht lesbar (Beispiel: 25/35/45).",
		CodeCSVPostalCode:      "Postleitzahl und Ort sind nicht lesbar (Beispiel: 44787 Bochum).",
		CodeCSVCarrierKind:     "Die Trägerart ist in der Zuordnung nicht bekannt.",
		CodeCSVCoordinates:     "Die Koordinate ist nicht lesbar oder liegt außerhalb des gültigen Bereichs.",
		CodeCSVConflict:        "Der Wert widerspricht Zeile {first_line} derselben Kita.",
		CodeCSVMapping:         "Die Spaltenzuordnung ist unvollständig oder widersprüchlich.",
	},
	"en": {
		CodeCalendar:           "The calendar setting is impossible.",
		CodeIDMissing:          "The Kita needs an id.",
		CodeIDInvalid:          "The id must not contain spaces and may have at most {max} characters.",
		CodeIDDuplicate:        "This id is already taken.",
		CodeNameMissing:        "The Kita needs a name.",
		CodeNameTooLong:        "The name may have at most {max} characters.",
		CodeCarrierKind:        "The kind of carrier is missing or unknown.",
		CodeHoursMissing:       "The Kita must offer at least one option of weekly care hours.",
		CodeHoursNotOffered:    "These weekly care hours are not provided for (possible: {allowed} hours a week).",
		CodeHoursDuplicate:     "These weekly care hours are given twice.",
		CodeCapacityInvalid:    "The number of places must not be negative.",
		CodeCapacityEmpty:      "The Kita needs at least one place.",
		CodeAgeRange:           "The ages do not form a valid range.",
		CodeLocation:           "The map position is out of range.",
		CodeFreePlaces:         "Free places must not be negative nor exceed the places ({max}).",
		CodeReportTimeMissing:  "The time of the report is missing.",
		CodeOpening:            "The opening hours are invalid (format 07:30, closing after opening, each day once).",
		CodeProfile:            "This entry of the Kita profile is invalid (at most {max}).",
		CodeQuery:              "The search query is invalid.",
		CodeCSVTooLarge:        "The file is too large (at most {max} bytes).",
		CodeCSVTooManyRows:     "The file has too many rows (at most {max}).",
		CodeCSVTooManyProblems: "Too many problems; checking stopped after {max}.",
		CodeCSVNoRows:          "The file holds no Kitas.",
		CodeCSVSyntax:          "The line is not valid CSV (check the quotes).",
		CodeCSVEncoding:        "The value is not UTF-8; please save the file as UTF-8.",
		CodeCSVColumnMissing:   "The column is missing from the header.",
		CodeCSVColumnDuplicate: "The column occurs more than once in the header.",
		CodeCSVFieldCount:      "The line does not have {want} fields like the header.",
		CodeCSVNumber:          "The value is not a valid number.",
		CodeCSVHours:           "The weekly hours cannot be read (example: 25/35/45).",
		CodeCSVPostalCode:      "Postal code and town cannot be read (example: 44787 Bochum).",
		CodeCSVCarrierKind:     "The carrier kind is not in the mapping.",
		CodeCSVCoordinates:     "The coordinate cannot be read or is out of range.",
		CodeCSVConflict:        "The value contradicts line {first_line} of the same Kita.",
		CodeCSVMapping:         "The column mapping is incomplete or contradictory.",
	},
}

// codes lists every code of the package, for the test that each has texts.
var codes = []problem.Code{
	CodeCalendar, CodeIDMissing, CodeIDInvalid, CodeIDDuplicate, CodeNameMissing, CodeNameTooLong,
	CodeCarrierKind, CodeHoursMissing, CodeHoursNotOffered, CodeHoursDuplicate, CodeCapacityInvalid,
	CodeCapacityEmpty, CodeAgeRange, CodeLocation, CodeFreePlaces, CodeReportTimeMissing, CodeOpening,
	CodeProfile, CodeQuery, CodeCSVTooLarge, CodeCSVTooManyRows, CodeCSVTooManyProblems, CodeCSVNoRows,
	CodeCSVSyntax, CodeCSVEncoding, CodeCSVColumnMissing, CodeCSVColumnDuplicate, CodeCSVFieldCount,
	CodeCSVNumber, CodeCSVHours, CodeCSVPostalCode, CodeCSVCarrierKind, CodeCSVCoordinates,
	CodeCSVConflict, CodeCSVMapping,
}

// AllCodes returns every code of the package, for clients that check their
// own translations.
func AllCodes() []problem.Code { return append([]problem.Code(nil), codes...) }
