package notify

import (
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewIDGivesDistinctVersion7UUIDsFromEveryGoroutine(t *testing.T) {
	const workers, each = 8, 400 // 3,200 ids: more than twelve reads ahead
	ids := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				ids[w] = append(ids[w], NewID())
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	random := map[[8]byte]bool{}
	for _, list := range ids {
		for i, id := range list {
			u, err := uuid.Parse(id)
			require.NoError(t, err)
			assert.Equal(t, uuid.Version(7), u.Version())
			assert.Equal(t, uuid.RFC4122, u.Variant())
			assert.Equal(t, u.String(), id)
			assert.False(t, seen[id], "id repeated")
			seen[id] = true
			var r [8]byte
			copy(r[:], u[8:])
			assert.False(t, random[r], "random bits repeated")
			random[r] = true
			if i > 0 {
				// Ids of one goroutine sort by creation.
				assert.Less(t, list[i-1], id)
			}
		}
	}
	assert.Len(t, seen, workers*each)
}

func TestRandomAheadHandsOutEachByteOnceAcrossReads(t *testing.T) {
	var r randomAhead
	var got []byte
	for _, n := range []int{7, 4089, 1, 16, 4096, 5000, 3} { // across refills
		p := make([]byte, n)
		k, err := r.Read(p)
		require.NoError(t, err)
		require.Equal(t, n, k)
		got = append(got, p...)
	}
	// Random bytes: each value about 1/256 of them; a buffer handed out
	// twice, or unfilled, shows as repeated blocks or runs of zeros.
	zeros := 0
	for _, b := range got {
		if b == 0 {
			zeros++
		}
	}
	assert.Less(t, zeros, len(got)/64)
	blocks := map[[16]byte]bool{}
	for i := 0; i+16 <= len(got); i += 16 {
		var b [16]byte
		copy(b[:], got[i:])
		assert.False(t, blocks[b], "a block of 16 bytes repeated")
		blocks[b] = true
	}
	// Bytes handed out are cleared in the buffer.
	assert.Equal(t, make([]byte, r.off), r.buf[:r.off])
}
