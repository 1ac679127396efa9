package registration

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"github.com/rickb777/date"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/kitaportal/kitaportal/problem"
)

// Problem codes of names and address texts.
const (
	// CodeNameCharacters: a name or address text contains a control
	// character, a private-use character, a noncharacter or a replaced
	// (invalid) byte sequence.
	CodeNameCharacters problem.Code = "registration.name_characters"
	// CodeNameLetters: a name contains no letter at all (for example only
	// invisible characters, digits or punctuation).
	CodeNameLetters problem.Code = "registration.name_letters"
)

// checkTexts checks the names and address texts of a normalized input:
// every character printable (no control, private-use or noncharacter, no
// U+FFFD), and every name with at least one letter. Empty texts are left
// to the struct check ("required").
func checkTexts(c *problem.Collector, in Input) {
	name := func(field, s string) {
		if s == "" {
			return
		}
		if !printable(s) {
			c.Add(field, CodeNameCharacters, ErrName)
			return
		}
		if !hasLetter(s) {
			c.Add(field, CodeNameLetters, ErrName)
		}
	}
	text := func(field, s string) {
		if s != "" && !printable(s) {
			c.Add(field, CodeNameCharacters, ErrName)
		}
	}
	name("child.given_name", in.Child.GivenName)
	name("child.family_name", in.Child.FamilyName)
	for i, g := range in.Guardians {
		f := "guardians[" + strconv.Itoa(i) + "]"
		name(f+".given_name", g.GivenName)
		name(f+".family_name", g.FamilyName)
	}
	name("address.street", in.Address.Street)
	text("address.house_number", in.Address.HouseNumber)
	name("address.city", in.Address.City)
}

// printable reports whether s is valid UTF-8 without control characters
// (other than white space), private-use characters, surrogates,
// noncharacters or U+FFFD.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError,
			unicode.IsControl(r) && !unicode.IsSpace(r),
			unicode.In(r, unicode.Co, unicode.Cs, unicode.Noncharacter_Code_Point):
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// ChildKey identifies a child across applications without storing its
// name: a SHA-256 of the name's matching form (see [NameKey]) and the
// birth date.
func ChildKey(given, family string, birth date.Date) string {
	h := sha256.New()
	h.Write([]byte(NameKey(given)))
	h.Write([]byte{0})
	h.Write([]byte(NameKey(family)))
	h.Write([]byte{0})
	h.Write([]byte(birth.String()))
	return hex.EncodeToString(h.Sum(nil))
}

var fold = cases.Fold()

// NameKey is the form under which two spellings of a name count as the
// same name in the duplicate check:
//
//  1. the text is normalized like [Text] (white space trimmed and folded)
//     and every format character (zero-width space and joiners, soft
//     hyphen, bidi controls, byte order mark) is removed,
//  2. the text is case-folded and brought to Unicode NFKC (fullwidth "Ａ"
//     becomes "a", the ligature "ﬁ" becomes "fi"),
//  3. it is mapped to its confusable skeleton after Unicode Technical
//     Standard #39 (a Cyrillic "а" becomes a Latin "a", a dotless "ı"
//     an "i").
//
// Letters that look alike count as one: the Turkish dotless "ı" as "i", so
// "Aydın" and "Aydin" are one name (a keyboard without Turkish letters
// types the second). Letters with diacritics stay what they are: "Müller", "Muller" and
// "Mueller" are three names, as are "Šimić" and "Simic"; the key never
// guesses a transliteration. The key is case-folded after the skeleton
// again, so that its result does not depend on the order of the steps.
func NameKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, Text(s))
	k := norm.NFKC.String(fold.String(s))
	return fold.String(norm.NFC.String(confusables.Skeleton(k)))
}
