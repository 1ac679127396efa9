package problem

import "strings"

// Messages are the German and English texts of the codes [Struct] gives
// (the validator tags used in kitaportal) and of "invalid", plus labels of
// fields common to many inputs. A text names its field by the placeholder
// {label}; see [Translator.Message] for how a label is found. Every
// [Translator] knows these texts; a package's own catalog may override
// them.
var Messages = Catalog{
	"de": {
		CodeInternal:   "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
		"invalid":      "Die Angabe „{label}“ ist ungültig.",
		"required":     "Bitte füllen Sie das Feld „{label}“ aus.",
		"email":        "Bitte geben Sie eine gültige E-Mail-Adresse an.",
		"e164":         "Bitte geben Sie eine gültige Telefonnummer an: nur Ziffern, international mit + am Anfang.",
		"e164|numeric": "Bitte geben Sie eine gültige Telefonnummer an: nur Ziffern, international mit + am Anfang.",
		"numeric":      "„{label}“ darf nur Ziffern enthalten.",
		"printascii":   "„{label}“ darf nur Buchstaben ohne Akzente, Ziffern und einfache Satzzeichen enthalten.",
		"oneof":        "Bitte wählen Sie bei „{label}“ einen dieser Werte: {param}.",
		"len":          "„{label}“ muss genau {param} Zeichen lang sein.",
		"max":          "„{label}“ darf höchstens {param} Zeichen lang sein.",
		"min":          "„{label}“ muss mindestens {param} Zeichen lang sein.",
		"len.items":    "Bei „{label}“ sind genau {param} Angaben nötig.",
		"max.items":    "Bei „{label}“ sind zu viele Angaben (höchstens {param}).",
		"min.items":    "Bei „{label}“ fehlen Angaben (mindestens {param}).",
		"len.value":    "„{label}“ muss genau {param} sein.",
		"max.value":    "„{label}“ darf höchstens {param} sein.",
		"min.value":    "„{label}“ muss mindestens {param} sein.",

		"label":              "Angabe",
		"label.given_name":   "Vorname",
		"label.family_name":  "Nachname",
		"label.name":         "Name",
		"label.email":        "E-Mail-Adresse",
		"label.phone":        "Telefonnummer",
		"label.language":     "Sprache",
		"label.street":       "Straße",
		"label.house_number": "Hausnummer",
		"label.postal_code":  "Postleitzahl",
		"label.city":         "Ort",
		"label.district":     "Stadtbezirk",
		"label.id":           "Kennung",
	},
	"en": {
		CodeInternal:   "An internal error occurred. Please try again later.",
		"invalid":      "The entry “{label}” is invalid.",
		"required":     "Please fill in the field “{label}”.",
		"email":        "Please enter a valid e-mail address.",
		"e164":         "Please enter a valid phone number: digits only, international numbers starting with +.",
		"e164|numeric": "Please enter a valid phone number: digits only, international numbers starting with +.",
		"numeric":      "“{label}” may contain digits only.",
		"printascii":   "“{label}” may contain only letters without accents, digits and simple punctuation.",
		"oneof":        "Please choose one of these values for “{label}”: {param}.",
		"len":          "“{label}” must be exactly {param} characters long.",
		"max":          "“{label}” may be at most {param} characters long.",
		"min":          "“{label}” must be at least {param} characters long.",
		"len.items":    "“{label}” needs exactly {param} entries.",
		"max.items":    "“{label}” has too many entries (at most {param}).",
		"min.items":    "“{label}” needs more entries (at least {param}).",
		"len.value":    "“{label}” must be exactly {param}.",
		"max.value":    "“{label}” may be at most {param}.",
		"min.value":    "“{label}” must be at least {param}.",

		"label":              "entry",
		"label.given_name":   "first name",
		"label.family_name":  "last name",
		"label.name":         "name",
		"label.email":        "e-mail address",
		"label.phone":        "phone number",
		"label.language":     "language",
		"label.street":       "street",
		"label.house_number": "house number",
		"label.postal_code":  "postcode",
		"label.city":         "town or city",
		"label.district":     "district",
		"label.id":           "identifier",
	},
}

// labelKeys are the catalog codes that may hold the label of a field, most
// specific first: "guardians[0].phone" looks for "label.guardians.phone",
// then "label.phone", then "label".
func labelKeys(field string) []Code {
	var parts []string
	for _, p := range strings.Split(field, ".") {
		if i := strings.IndexByte(p, '['); i >= 0 {
			p = p[:i]
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	keys := make([]Code, 0, len(parts)+1)
	for i := range parts {
		keys = append(keys, Code("label."+strings.Join(parts[i:], ".")))
	}
	return append(keys, "label")
}
