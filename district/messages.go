package district

import "github.com/kitaportal/kitaportal/problem"

// Messages holds the German and English texts of every code of this
// package, for a [problem.Translator].
var Messages = problem.Catalog{
	"de": {
		CodeIDMissing:          "Der Stadtbezirk braucht eine Kennung.",
		CodeIDDuplicate:        "Diese Kennung ist schon vergeben.",
		CodeNumberInvalid:      "Die Bezirksnummer muss mindestens 1 sein.",
		CodeNumberDuplicate:    "Diese Bezirksnummer ist schon vergeben.",
		CodeNameMissing:        "Der Stadtbezirk braucht einen Namen.",
		CodePostalCode:         "Die Postleitzahl muss aus fünf Ziffern bestehen.",
		CodePostalDuplicate:    "Für diese Postleitzahl gibt es schon eine Regel.",
		CodeNoDistricts:        "Die Postleitzahl muss mindestens einem Stadtbezirk zugeordnet sein.",
		CodeUnknownDistrict:    "Diesen Stadtbezirk gibt es nicht.",
		CodeStreetMissing:      "Die Straßenregel braucht einen Straßennamen.",
		CodeStreetDistrict:     "Die Straßenregel muss einen Stadtbezirk der Postleitzahl nennen.",
		CodeRange:              "Der Hausnummernbereich ist ungültig.",
		CodeParity:             "Die Angabe gerade/ungerade ist ungültig.",
		CodeOverlap:            "Die Straßenregel überschneidet sich mit Regel {other} für einen anderen Stadtbezirk.",
		CodeEmpty:              "Es muss mindestens einen Stadtbezirk geben.",
		CodeMethod:             "Das Verfahren ist unbekannt (geometry, streets, postal_code).",
		CodeMethodTwice:        "Das Verfahren steht schon in der Reihenfolge.",
		CodeMethodNoData:       "Für das Verfahren {method} fehlen die Daten.",
		CodeOutline:            "Der Umriss der Stadt ist ungültig.",
		CodeAreaDistrict:       "Die Fläche gehört zu keinem bekannten Stadtbezirk.",
		CodeAreaGeometry:       "Die Fläche ist kein gültiges Polygon.",
		CodeAreaMissing:        "Für diesen Stadtbezirk fehlt die Grenze.",
		CodeStreetPostal:       "Die Postleitzahl des Straßeneintrags muss aus fünf Ziffern bestehen.",
		CodeBoundaryFile:       "Die Grenzdatei ist fehlerhaft.",
		CodeStreetFile:         "Das Straßenverzeichnis ist fehlerhaft.",
		CodeFileReference:      "Die genannte Datei kann nicht gelesen werden.",
		CodeHouseFile:          "Die Datei der Hauskoordinaten ist fehlerhaft.",
		CodeHouseLimit:         "Die Datei der Hauskoordinaten ist zu groß.",
		CodeAddressUnreadable:  "Die Adresse braucht Straße, Hausnummer und fünfstellige Postleitzahl, etwa „Musterweg 1, 12345 Musterstadt“.",
		CodeAddressUnknown:     "Diese Adresse ist in den amtlichen Hauskoordinaten der Stadt nicht verzeichnet.",
		CodeNoHouseCoordinates: "Die Stadt hat keine Hauskoordinaten hinterlegt; die Suche nach Adresse ist nicht möglich.",
	},
	"en": {
		CodeIDMissing:          "The district needs an id.",
		CodeIDDuplicate:        "This id is already taken.",
		CodeNumberInvalid:      "The district number must be at least 1.",
		CodeNumberDuplicate:    "This district number is already taken.",
		CodeNameMissing:        "The district needs a name.",
		CodePostalCode:         "The postal code must have five digits.",
		CodePostalDuplicate:    "There is already a rule for this postal code.",
		CodeNoDistricts:        "The postal code must belong to at least one district.",
		CodeUnknownDistrict:    "There is no such district.",
		CodeStreetMissing:      "The street rule needs a street name.",
		CodeStreetDistrict:     "The street rule must name a district of its postal code.",
		CodeRange:              "The range of house numbers is invalid.",
		CodeParity:             "The even/odd setting is invalid.",
		CodeOverlap:            "The street rule overlaps rule {other}, which names another district.",
		CodeEmpty:              "There must be at least one district.",
		CodeMethod:             "The method is unknown (geometry, streets, postal_code).",
		CodeMethodTwice:        "The method is already in the order.",
		CodeMethodNoData:       "The method {method} has no data.",
		CodeOutline:            "The city's outline is invalid.",
		CodeAreaDistrict:       "The area belongs to no known district.",
		CodeAreaGeometry:       "The area is not a valid polygon.",
		CodeAreaMissing:        "This district has no boundary.",
		CodeStreetPostal:       "The street entry's postal code must have five digits.",
		CodeBoundaryFile:       "The boundary file is malformed.",
		CodeStreetFile:         "The street directory is malformed.",
		CodeFileReference:      "The named file cannot be read.",
		CodeHouseFile:          "The house coordinate file is malformed.",
		CodeHouseLimit:         "The house coordinate file is too large.",
		CodeAddressUnreadable:  "The address needs a street, a house number and a five-digit postal code, like \"Musterweg 1, 12345 Musterstadt\".",
		CodeAddressUnknown:     "The city's official house coordinates do not list this address.",
		CodeNoHouseCoordinates: "The city has no house coordinates, so a search by address is not possible.",
	},
}

var codes = []problem.Code{
	CodeIDMissing, CodeIDDuplicate, CodeNumberInvalid, CodeNumberDuplicate, CodeNameMissing,
	CodePostalCode, CodePostalDuplicate, CodeNoDistricts, CodeUnknownDistrict, CodeStreetMissing,
	CodeStreetDistrict, CodeRange, CodeParity, CodeOverlap, CodeEmpty,
	CodeMethod, CodeMethodTwice, CodeMethodNoData, CodeOutline, CodeAreaDistrict, CodeAreaGeometry,
	CodeAreaMissing, CodeStreetPostal, CodeBoundaryFile, CodeStreetFile, CodeFileReference,
	CodeHouseFile, CodeHouseLimit, CodeAddressUnreadable, CodeAddressUnknown, CodeNoHouseCoordinates,
}

// AllCodes returns every code of the package, for clients that check their
// own translations.
func AllCodes() []problem.Code { return append([]problem.Code(nil), codes...) }
