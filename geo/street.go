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
