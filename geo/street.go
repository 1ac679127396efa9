package geo

import (
	"regexp"
	"strings"
)

// houseNumber matches a German house number at the end of a street line:
// "12", "12a", "12 a", "5-7", "12a-12c", "12/1", after a space, comma or the
// dot of an abbreviation ("Hauptstr.12").
var houseNumber = regexp.MustCompile(`^(.+?)(?:[\s,]+|(\.))(\d{1,5}(?:\s?[a-zA-Z])?(?:\s*[-–/]\s*\d{1,5}(?:\s?[a-zA-Z])?)?)$`)

// SplitStreet splits a street line such as "Hauptstraße 12a" into the street
// ("Hauptstraße") and the house number ("12a"). Only a number at the very end
// counts, so numbers inside a name stay there ("Straße des 17. Juni 3" gives
// "Straße des 17. Juni" and "3"); ranges and suffixes are kept ("Am Alten
// Stadtpark 5-7"), with inner spaces removed ("12 a" becomes "12a"). A line
// without a trailing number is all street.
func SplitStreet(line string) (street, number string) {
	line = strings.Join(strings.Fields(line), " ")
	m := houseNumber.FindStringSubmatch(line)
	if m == nil {
		return line, ""
	}
	street = strings.TrimRight(m[1]+m[2], " ,")
	number = strings.Join(strings.Fields(m[3]), "")
	if street == "" {
		return line, ""
	}
	return street, number
}

// HouseNumberValue returns the leading number of a house number ("12a"
// gives 12, "5-7" gives 5) and whether there was one.
func HouseNumberValue(s string) (int, bool) {
	s = strings.TrimSpace(s)
	n, digits := 0, 0
	for _, r := range s {
		if r < '0' || r > '9' || digits == 9 {
			break
		}
		n = n*10 + int(r-'0')
		digits++
	}
	return n, digits > 0
}

// ParseAddressLine reads an address written on one line the way German
// addresses are, "Kortumstraße 5, 44787 Bochum": the street with its house
// number, a comma, the five-digit postal code and optionally the city. It
// reports false when a part is missing (no house number, no comma, a postal
// code that is not five digits).
func ParseAddressLine(s string) (Address, bool) {
	i := strings.LastIndex(s, ",")
	if i < 0 {
		return Address{}, false
	}
	line, rest := s[:i], s[i+1:]
	street, number := SplitStreet(line)
	place := strings.Fields(rest)
	if street == "" || number == "" || len(place) == 0 || !fiveDigits(place[0]) {
		return Address{}, false
	}
	return Address{Street: street, HouseNumber: number, PostalCode: place[0], City: strings.Join(place[1:], " ")}, true
}

func fiveDigits(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
