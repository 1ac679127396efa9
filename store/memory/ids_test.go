package memory

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAnIndexEntryListsItsIdsInOrder builds entries of up to four ids by
// adding, cutting back and removing, and compares each with the plain
// list the same changes make; an entry cut back and added to again leaves
// the entries made before it as they were.
func TestAnIndexEntryListsItsIdsInOrder(t *testing.T) {
	var c idList
	var want []string
	var kept []idList
	var keptWant [][]string
	for _, id := range []string{"a", "b", "", "d"} {
		c, want = c.with(id), append(want, id)
		assert.Equal(t, want, c.list())
		assert.Equal(t, want, slices.Collect(c.all))
		kept, keptWant = append(kept, c), append(keptWant, slices.Clone(want))
	}
	for n := 4; n >= 1; n-- {
		assert.Equal(t, want[:n], c.cut(n).list(), "cut to %d", n)
	}
	for _, id := range []string{"a", "b", "", "d"} {
		less, ok := c.without(id)
		assert.True(t, ok, id)
		assert.Equal(t, slices.DeleteFunc(slices.Clone(want), func(x string) bool { return x == id }), less.list(), "without %q", id)
	}
	_, ok := c.without("z")
	assert.False(t, ok)
	// Like the undo, a cut replaces the longer entry, whose ids beyond the
	// cut the next append may reuse.
	again := c.cut(2).with("e")
	assert.Equal(t, []string{"a", "b", "e"}, again.list())
	for i, k := range kept[:2] {
		assert.Equal(t, keptWant[i], k.list(), "entry %d after a cut and an append", i)
	}
	assert.Nil(t, c.cut(0).list())
	assert.Nil(t, idList{}.list())
	assert.Empty(t, slices.Collect(idList{}.all))
}
