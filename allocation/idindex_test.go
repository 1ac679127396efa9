package allocation

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// indexOf returns an index of ids with every id inserted one by one.
func indexOf(ids []string) *idIndex {
	x := newIDIndex(len(ids), func(i int32) string { return ids[i] })
	for i := range ids {
		x.insert(int32(i))
	}
	return x
}

func TestIDIndexFindsByMemoryWhatItFindsByHash(t *testing.T) {
	backing := "k12k3"
	ids := []string{
		backing[0:3], // "k12"
		backing[0:2], // "k1": the same memory as "k12", shorter
		backing[3:5], // "k3"
		strings.Clone(backing[0:2]),
		"",
		"k9",
		"k9", // a duplicate sharing the first's memory: the later wins
	}
	byHash := indexOf(ids)
	byMemory := indexOf(ids)
	byMemory.indexMemory()
	for _, s := range []string{
		ids[0], ids[1], ids[2], ids[3], ids[5], ids[6],
		strings.Clone("k12"), strings.Clone("k1"), backing[1:3], "k4", "",
	} {
		i, ok := byHash.find(s)
		j, okMemory := byMemory.find(s)
		assert.Equal(t, ok, okMemory, "found %q", s)
		assert.Equal(t, i, j, "index of %q", s)
	}
	i, ok := byMemory.find(backing[0:2])
	require.True(t, ok)
	assert.Equal(t, int32(3), i, "the later of the equal ids wins, whatever memory the string shares")
}

func TestIDIndexInsertAll(t *testing.T) {
	// Enough ids for the table to be filled in parts; ids whose first slot
	// is the last of the first part make probes leave it.
	n := 40_000
	mask := uint64(1<<17 - 1) // the table newIDIndex makes for n ids
	var edge []string
	for k := 0; len(edge) < 3; k++ {
		id := "e" + strconv.Itoa(k)
		if fnv64(id)&mask == 1<<16-1 {
			edge = append(edge, id)
		}
	}
	distinct := func() []string {
		ids := make([]string, 0, n)
		ids = append(ids, edge...)
		for k := len(ids); k < n; k++ {
			ids = append(ids, "c"+strconv.Itoa(k))
		}
		return ids
	}
	for _, tt := range []struct {
		name   string
		change func(ids []string)
		want   bool
	}{
		{"distinct ids are all indexed", func([]string) {}, true},
		{"a duplicate among many is found", func(ids []string) { ids[n-1] = ids[n/3] }, false},
		{"a duplicate whose probe leaves its part is found", func(ids []string) { ids[n-1] = edge[2] }, false},
		{"an empty id is indexed like any other", func(ids []string) { ids[n/2] = "" }, true},
		{"two empty ids are duplicates", func(ids []string) { ids[n/2], ids[n/3] = "", "" }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ids := distinct()
			tt.change(ids)
			x := newIDIndex(len(ids), func(i int32) string { return ids[i] })
			require.Equal(t, mask, x.mask)
			assert.Equal(t, tt.want, x.insertAll())
			if !tt.want {
				return
			}
			for i, id := range ids {
				j, ok := x.find(id)
				require.True(t, ok, "id %q", id)
				assert.Equal(t, int32(i), j, "id %q", id)
			}
			_, ok := x.find("nobody")
			assert.False(t, ok)
		})
	}
}

func TestFinderStopsLookingByMemoryForStringsNotShared(t *testing.T) {
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = "k" + strconv.Itoa(i)
	}
	x := indexOf(ids)
	x.indexMemory()
	f := finder{x: x}
	for k := range 1000 {
		i, ok := f.find(strings.Clone(ids[k%100]))
		require.True(t, ok)
		assert.Equal(t, int32(k%100), i)
	}
	assert.Equal(t, 257, f.misses, "copies stop the lookups by memory")
	shared := finder{x: x}
	for k := range 1000 {
		i, ok := shared.find(ids[k%100])
		require.True(t, ok)
		assert.Equal(t, int32(k%100), i)
	}
	assert.Equal(t, 1000, shared.hits, "the ids' own strings are found by memory")
	_, ok := shared.find("k100")
	assert.False(t, ok)
}
