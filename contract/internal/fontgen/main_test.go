package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// TestShippedEncodings checks that contract/fonts holds the encodings this
// generator makes today (the subset fonts need pyftsubset and are not
// remade here).
func TestShippedEncodings(t *testing.T) {
	covered, err := shared([2][]byte{goregular.TTF, gobold.TTF})
	require.NoError(t, err)
	encs, err := encodings(covered)
	require.NoError(t, err)
	mainEncs := len(encs)
	var fallback [2][]byte
	for s, path := range []string{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"} {
		if fallback[s], err = os.ReadFile(path); err != nil {
			t.Logf("fallback font missing (Debian: fonts-dejavu-core), its encodings not checked: %v", err)
		}
	}
	if fallback[0] != nil && fallback[1] != nil {
		more, err := shared(fallback)
		require.NoError(t, err)
		encs = append(encs, fallbackEncodings(more, covered)...)
	}
	dir := t.TempDir()
	for k, e := range encs {
		name := fmt.Sprintf("enc%d.map", k)
		require.NoError(t, writeMap(filepath.Join(dir, name), e))
		want, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("..", "..", "fonts", name))
		require.NoError(t, err, "run go generate ./contract")
		assert.Equal(t, string(want), string(got), "%s: run go generate ./contract", name)
	}
	if len(encs) > mainEncs {
		_, err = os.Stat(filepath.Join("..", "..", "fonts", fmt.Sprintf("enc%d.map", len(encs))))
		assert.True(t, os.IsNotExist(err), "no encoding left over")
	}
	t.Run("encoding 0 holds every common character and every character has one place", func(t *testing.T) {
		seen := map[rune]int{}
		for k, e := range encs {
			for code, r := range e {
				if r != 0 && (code >= firstCode || k == 0 || k >= mainEncs) {
					seen[r]++
				}
			}
		}
		for _, r := range common {
			assert.NotZero(t, seen[r])
		}
		for r := range covered {
			assert.Equal(t, 1, seen[r], "U+%04X", r)
		}
		for r, n := range seen {
			assert.Equal(t, 1, n, "U+%04X", r)
		}
	})
	t.Run("the fallback encodings hold no ASCII", func(t *testing.T) {
		for _, e := range encs[mainEncs:] {
			for _, r := range e {
				assert.False(t, r != 0 && r < firstCode)
			}
		}
	})
}
