package notify

import (
	"regexp"
	"testing"
)

// TestValidLangIsThePattern compares validLang with the regular
// expression it replaces on every text of up to six characters from
// letters at the edges of both cases, the hyphen and three others.
func TestValidLangIsThePattern(t *testing.T) {
	pattern := regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?$`)
	alphabet := []string{"a", "z", "A", "Z", "-", "0", "{", "é"}
	texts, level := []string{""}, []string{""}
	for range 6 {
		var next []string
		for _, s := range level {
			for _, c := range alphabet {
				next = append(next, s+c)
			}
		}
		texts, level = append(texts, next...), next
	}
	texts = append(texts, "de", "tr", "pt-BR", "deu-AT", "de-DE-x", "de-", "-DE", "de-de", "DE", "d", "deut")
	matched := 0
	for _, s := range texts {
		want := pattern.MatchString(s)
		if want {
			matched++
		}
		if got := validLang(s); got != want {
			t.Fatalf("validLang(%q) = %v, the pattern says %v", s, got, want)
		}
	}
	if matched == 0 {
		t.Fatal("no text matched: the test checks nothing")
	}
}
