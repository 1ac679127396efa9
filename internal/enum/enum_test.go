package enum_test

import (
	"testing"

	"github.com/kitaportal/kitaportal/internal/enum"
)

type colour int

var colourNames = [...]string{"", "red", "green"}

func TestNameAndParse(t *testing.T) {
	cases := []struct {
		v    colour
		name string
	}{{0, "unset"}, {1, "red"}, {2, "green"}, {3, "unset"}, {-1, "unset"}}
	for _, c := range cases {
		if got := enum.Name(colourNames[:], c.v); got != c.name {
			t.Errorf("Name(%d) = %q, want %q", c.v, got, c.name)
		}
	}
	if v, ok := enum.Parse[colour](colourNames[:], "green"); !ok || v != 2 {
		t.Errorf("Parse(green) = %d, %v", v, ok)
	}
	for _, s := range []string{"", "unset", "blue"} {
		if _, ok := enum.Parse[colour](colourNames[:], s); ok {
			t.Errorf("Parse(%q) should fail", s)
		}
	}
}
