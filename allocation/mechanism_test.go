package allocation

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCarve(t *testing.T) {
	t.Run("carved elements come from the front of the spare, which keeps the rest", func(t *testing.T) {
		buf := make([]uint64, 10)
		spare := buf
		a := carve[int32](&spare, 4)
		require.Len(t, a, 4)
		a[0], a[1] = 7, 9
		assert.Equal(t, uint64(9)<<32|7, buf[0], "the first two int32 share the first word")
		assert.Len(t, spare, 8)
		b := carve[uint64](&spare, 8)
		b[7] = 42
		assert.Equal(t, uint64(42), buf[9])
		assert.Empty(t, spare)
	})
	t.Run("an odd size takes whole words", func(t *testing.T) {
		spare := make([]uint64, 5)
		type three struct{ a, b, c int32 }
		s := carve[three](&spare, 3) // 36 bytes: 5 words
		require.Len(t, s, 3)
		s[2] = three{a: 1, b: 2, c: 3}
		assert.Equal(t, three{a: 1, b: 2, c: 3}, s[2])
		assert.Empty(t, spare)
	})
	t.Run("a spare too small gives new memory and is left as it was", func(t *testing.T) {
		buf := make([]uint64, 2)
		spare := buf
		s := carve[int32](&spare, 5)
		require.Len(t, s, 5)
		s[0] = 1
		assert.Equal(t, uint64(0), buf[0])
		assert.Len(t, spare, 2)
	})
	t.Run("no spare gives new memory", func(t *testing.T) {
		var spare []uint64
		assert.Len(t, carve[int32](&spare, 3), 3)
		assert.Empty(t, carve[int32](&spare, 0))
	})
}
