package registration

import (
	"math/rand/v2"
	"testing"
)

// TestLatinNameKeyEqualsTheWholeWay checks the shortcut of NameKey for
// Latin names against the whole way (Text, fold, NFKC, skeleton, NFC,
// fold) on every text of one and two characters up to U+017F, on names as
// families type them, and on random texts of those characters up to 24
// long.
func TestLatinNameKeyEqualsTheWholeWay(t *testing.T) {
	var texts, singles []string
	for a := rune(0); a < 0x1a0; a++ {
		singles = append(singles, string(a))
	}
	texts = append(texts, singles...)
	for _, a := range singles {
		for _, b := range singles {
			texts = append(texts, a+b)
		}
	}
	texts = append(texts, "Anna-Lena", "Anna Lena", "MUELLER", "Müller", "Mueller", "O'Brien", "van der Berg",
		"Rn Mm", "mIlL1 0O", "Jean-Luc Picard", "l|I1!", "Kind 42", "Ayşe", "Yılmaz", "Ößmann-Çelik",
		"Małgorzata", "Šimić", "İsmail", "Straße", "Maëlle", "Zoë", "ŉ", "ſ")
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]rune, 1+r.IntN(24))
		for i := range b {
			b[i] = 0x20 + rune(r.IntN(0x1a0-0x20))
		}
		texts = append(texts, string(b))
	}
	fast := 0
	for _, s := range texts {
		k, ok := latinNameKey(s)
		if !ok {
			continue
		}
		fast++
		if want := nameKey(s); k != want {
			t.Fatalf("latinNameKey(%q) = %q, the whole way gives %q", s, k, want)
		}
	}
	if fast < len(texts)/2 {
		t.Fatalf("only %d of %d texts took the shortcut", fast, len(texts))
	}
	for _, name := range []string{"Müller", "Ößmann-Çelik", "Anna Lena", "Yılmaz", "Małgorzata"} {
		if _, ok := latinNameKey(name); !ok {
			t.Errorf("%q does not take the shortcut", name)
		}
	}
}

// FuzzNameKeyShortcut compares the shortcut with the whole way on any text
// that takes it.
func FuzzNameKeyShortcut(f *testing.F) {
	for _, s := range []string{"Anna Lena", "m", "rn", "l1I|", "O'Neil-Smith", " x", "x  y", "Müller", "Ößmann-Çelik", "İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if k, ok := latinNameKey(s); ok && k != nameKey(s) {
			t.Fatalf("latinNameKey(%q) = %q, the whole way gives %q", s, k, nameKey(s))
		}
	})
}
