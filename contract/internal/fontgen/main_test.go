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
	regular, err := coverage(goregular.TTF)
	require.NoError(t, err)
	boldFont, err := coverage(gobold.TTF)
	require.NoError(t, err)
	for r := range regular {
		if !boldFont[r] {
			delete(regular, r)
		}
	}
	encs, err := encodings(regular)
	require.NoError(t, err)
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
	_, err = os.Stat(filepath.Join("..", "..", "fonts", fmt.Sprintf("enc%d.map", len(encs))))
	assert.True(t, os.IsNotExist(err), "no encoding left over")
	t.Run("encoding 0 holds every common character and all encodings cover the fonts", func(t *testing.T) {
		seen := map[rune]int{}
		for _, e := range encs {
			for code, r := range e {
				if r != 0 && (code >= firstCode || e == encs[0]) {
					seen[r]++
				}
			}
		}
		for _, r := range common {
			assert.NotZero(t, seen[r])
		}
		for r := range regular {
			assert.Equal(t, 1, seen[r], "U+%04X", r)
		}
	})
}
