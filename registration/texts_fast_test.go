package registration

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// shortTexts are every text of one character up to U+024F, with a space
// before or after it, and of two, the second every stride-th (the
// stride growing by one every stride characters), with a space or two
// between them; and some invalid UTF-8.
func shortTexts(stride rune) []string {
	var out []string
	for a := rune(0); a < 0x250; a++ {
		out = append(out, string(a), " "+string(a), string(a)+" ")
		for b := rune(0); b < 0x250; b += 1 + b/stride {
			out = append(out, string(a)+string(b), string(a)+" "+string(b), string(a)+"  "+string(b))
		}
	}
	return append(out, "\xff", "Jü\xc3", "\xed\xa0\x80", "Ayşe\u200bX", "a\u00adb", "Ali\u00a0Kaya")
}

// TestPlainLatinTextsAreTheirOwnText: every text the shortcut of Text
// takes comes out of the whole way unchanged.
func TestPlainLatinTextsAreTheirOwnText(t *testing.T) {
	taken := 0
	for _, s := range shortTexts(0x100) {
		if plainLatin(s) {
			taken++
			require.Equal(t, s, text(s), "%q", s)
		}
	}
	require.Greater(t, taken, 100000)
	for _, s := range []string{"Jürgen", "Ößmann-Çelik", "Yılmaz", "Małgorzata", "Anna Lena", "O'Neill"} {
		require.True(t, plainLatin(s), s)
	}
}

// TestTextChecksTakeTheShortWayAlike: printable and hasLetter answer on
// every short text as the rune-by-rune checks do.
func TestTextChecksTakeTheShortWayAlike(t *testing.T) {
	printableSlow := func(s string) bool {
		if !utf8.ValidString(s) {
			return false
		}
		for _, r := range s {
			if r == utf8.RuneError || unicode.IsControl(r) && !unicode.IsSpace(r) ||
				unicode.In(r, unicode.Co, unicode.Cs, unicode.Noncharacter_Code_Point) {
				return false
			}
		}
		return true
	}
	letterSlow := func(s string) bool {
		for _, r := range s {
			if unicode.IsLetter(r) {
				return true
			}
		}
		return false
	}
	texts := append(shortTexts(0x10), "\ue000", "a\U0010fffe", "\ufdd0x", "\u0085", "\x7f", "a\tb",
		"Jürgen", "ü\x01", "ü\x7f", "ü\t", "ü\x1f ", "Ößmann-Çelik\x00", "Ayşe\r\n", "Мария\x7f")
	for _, s := range texts {
		require.Equal(t, printableSlow(s), printable(s), "printable %q", s)
		require.Equal(t, letterSlow(s), hasLetter(s), "hasLetter %q", s)
	}
}
