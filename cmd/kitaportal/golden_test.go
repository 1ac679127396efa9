package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The golden results in testdata/golden were written by `kitaportal
// allocate -explain` before the command's output became compact and its
// priorities optional; they pin the content (placements, cutoffs,
// statistics, priorities, explanations) that every later version must
// keep for the same input and flags.
var goldenCases = []struct {
	name   string
	args   []string // after "allocate -instance testdata/golden/<instance>"
	inst   string
	golden string
}{
	{"deferred acceptance keeps its placements, priorities and explanations", []string{"-mechanism", "deferred-acceptance"}, "instance.json", "instance.deferred-acceptance.json.gz"},
	{"kita-proposing deferred acceptance keeps its result", []string{"-mechanism", "kita-proposing"}, "instance.json", "instance.kita-proposing.json.gz"},
	{"immediate acceptance keeps its result", []string{"-mechanism", "immediate-acceptance"}, "instance.json", "instance.immediate-acceptance.json.gz"},
	{"an overridden seed keeps its result", []string{"-seed", "11"}, "instance.json", "instance.seed11.json.gz"},
	{"a registration-date tier with a per-child lottery keeps its result", nil, "instance-registration.json", "instance-registration.deferred-acceptance.json.gz"},
	{"explicit priority orders keep their result", nil, "../boston.json", "boston.deferred-acceptance.json"},
	{"the textbook example keeps its result", nil, "../gale-shapley-1962.json", "gale-shapley-1962.deferred-acceptance.json"},
	{"the policy example keeps its result", nil, "../policy.json", "policy.deferred-acceptance.json"},
}

// decodeJSON decodes a JSON document generically, keeping numbers exact
// (lottery numbers exceed float64's integers).
func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v map[string]any
	require.NoError(t, dec.Decode(&v))
	return v
}

func readGolden(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	require.NoError(t, err)
	if !strings.HasSuffix(name, ".gz") {
		return data
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	data, err = io.ReadAll(zr)
	require.NoError(t, err)
	return data
}

func TestAllocateKeepsGoldenContent(t *testing.T) {
	for _, tt := range goldenCases {
		t.Run(tt.name+" with -explain", func(t *testing.T) {
			want := decodeJSON(t, readGolden(t, tt.golden))
			args := append([]string{"allocate", "-instance", filepath.Join("testdata", "golden", tt.inst), "-explain"}, tt.args...)
			code, stdout, stderr := runArgs(args...)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, want, decodeJSON(t, []byte(stdout)))
		})
		t.Run(tt.name+" without -explain, compact and without priorities", func(t *testing.T) {
			want := decodeJSON(t, readGolden(t, tt.golden))
			delete(want, "priorities")
			delete(want, "explanations")
			args := append([]string{"allocate", "-instance", filepath.Join("testdata", "golden", tt.inst)}, tt.args...)
			code, stdout, stderr := runArgs(args...)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, want, decodeJSON(t, []byte(stdout)))
			assert.Equal(t, 1, strings.Count(stdout, "\n"), "one line")
			assert.NotContains(t, stdout, `"priorities"`)
		})
	}
}
