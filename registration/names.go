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
	add := func(field string, code problem.Code) {
		if code != "" {
			c.Add(field, code, ErrName)
		}
	}
	add("child.given_name", nameProblem(in.Child.GivenName))
	add("child.family_name", nameProblem(in.Child.FamilyName))
	for i, g := range in.Guardians {
		// The field path is built only for a problem.
		if code := nameProblem(g.GivenName); code != "" {
			add("guardians["+strconv.Itoa(i)+"].given_name", code)
		}
		if code := nameProblem(g.FamilyName); code != "" {
			add("guardians["+strconv.Itoa(i)+"].family_name", code)
		}
	}
	add("address.street", nameProblem(in.Address.Street))
	if s := in.Address.HouseNumber; s != "" && !printable(s) {
		add("address.house_number", CodeNameCharacters)
	}
	add("address.city", nameProblem(in.Address.City))
}

// nameProblem is the code of what is wrong with a name ("" for nothing or
// an empty name): characters that are not printable, or no letter.
func nameProblem(s string) problem.Code {
	switch {
	case s == "":
		return ""
	case !printable(s):
		return CodeNameCharacters
	case !hasLetter(s):
		return CodeNameLetters
	}
	return ""
}

// printable reports whether s is valid UTF-8 without control characters
// (other than white space), private-use characters, surrogates,
// noncharacters or U+FFFD.
func printable(s string) bool {
	for i := 0; i < len(s); i++ { // ASCII first, the common case
		if c := s[i]; c >= utf8.RuneSelf {
			return printableRunes(s[i:])
		} else if c < 0x20 && (c < '\t' || c > '\r') || c == 0x7f {
			return false
		}
	}
	return true
}

func printableRunes(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf: // ASCII among other letters: as printable checks it
			if r < 0x20 && (r < '\t' || r > '\r') || r == 0x7f {
				return false
			}
			continue
		case r >= 0xa0 && r <= 0x17f:
			continue // Latin-1 and Latin Extended-A: no control or private use
		}
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
		if r < utf8.RuneSelf {
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				return true
			}
			continue
		}
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
	var buf [256]byte
	b := appendNameKey(buf[:0], given)
	b = append(b, 0)
	b = appendNameKey(b, family)
	b = append(b, 0)
	b = appendISODate(b, birth)
	sum := sha256.Sum256(b)
	var h [2 * sha256.Size]byte // hex.EncodeToString, one allocation
	hex.Encode(h[:], sum[:])
	return string(h[:])
}

// appendISODate appends d as [date.Date.String] writes it ("2024-02-29"),
// without a string of its own for the years 0 to 9999.
func appendISODate(b []byte, d date.Date) []byte {
	y, m, day := d.Date()
	if y < 0 || y > 9999 {
		return append(b, d.String()...)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
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
	if k, ok := latinNameKey(s); ok {
		return k
	}
	return nameKey(s)
}

// nameKey is [NameKey] step by step, for every text.
func nameKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, Text(s))
	k := norm.NFKC.String(fold.String(s))
	return fold.String(norm.NFC.String(confusables.Skeleton(k)))
}

// latinKeys holds, for every character of printable ASCII, Latin-1 and
// Latin Extended-A that a name is written with (no control, format or
// space character but the space itself), its part of [NameKey]: folded,
// mapped to its confusable skeleton and folded again, as nameKey computes
// it for the character between two letters "a" (so that a space, which
// [Text] trims at the ends, has its part too). The entry is "" where the
// part does not stand on its own (it is empty or begins with a character
// that could combine with the one before); such a text takes the whole
// way.
var latinKeys = func() (t [0x180]string) {
	a := nameKey("a")
	for c := rune(0x20); c < rune(len(t)); c++ {
		if c != ' ' && (unicode.IsSpace(c) || unicode.IsControl(c) || invisible(c) || Text(string(c)) != string(c)) {
			continue
		}
		k := nameKey("a" + string(c) + "a")
		if len(k) <= 2*len(a) || !strings.HasPrefix(k, a) || !strings.HasSuffix(k, a) {
			continue
		}
		part := k[len(a) : len(k)-len(a)]
		if p := norm.NFC.PropertiesString(part); p.CCC() != 0 || !p.BoundaryBefore() {
			continue
		}
		t[c] = part
	}
	return t
}()

// latinNameKey is [NameKey] of a text of characters that latinKeys holds,
// as [Text] leaves it (no space at either end, no two in a row): the
// names of most families in Germany. Such characters do not combine with
// their neighbours in any step of the key, so the key is put together
// from their parts without a normalization pass (the tests compare it
// with the whole way on every pair of them). ok is false for any other
// text.
func latinNameKey(s string) (string, bool) {
	var buf [128]byte
	b, ok := appendLatinNameKey(buf[:0], s)
	if !ok {
		return "", false
	}
	return string(b), true
}

// appendLatinNameKey appends latinNameKey(s) to b; ok is false, and b
// as it was, for a text latinNameKey does not take.
func appendLatinNameKey(b []byte, s string) (_ []byte, ok bool) {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return b, false
	}
	n := len(b)
	prev := rune(0)
	for _, r := range s {
		if r >= rune(len(latinKeys)) || latinKeys[r] == "" || (r == ' ' && prev == ' ') {
			return b[:n], false
		}
		b = append(b, latinKeys[r]...)
		prev = r
	}
	return b, true
}

// appendNameKey appends [NameKey] of s to b, without a string of its own
// for the names latinNameKey takes.
func appendNameKey(b []byte, s string) []byte {
	if b, ok := appendLatinNameKey(b, s); ok {
		return b
	}
	return append(b, nameKey(s)...)
}
