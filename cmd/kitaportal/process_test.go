package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/allocation"
)

// oldAllocate is the command's pipeline before instances were read on all
// cores: Decode, Compile, Allocate, WriteJSON.
func oldAllocate(t *testing.T, path string, mech allocation.Mechanism, seed *uint64, explain bool) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	inst, err := allocation.Decode(f)
	require.NoError(t, err)
	if seed != nil {
		inst.Policy.Seed = *seed
	}
	comp, err := allocation.Compile(inst)
	require.NoError(t, err)
	out, err := comp.Allocate(allocation.Options{Mechanism: mech, Explain: explain})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, out.WriteJSON(&b))
	return b.Bytes()
}

// simulated writes `kitaportal simulate` with args into dir.
func simulated(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	code, out, stderr := runArgs(append([]string{"simulate"}, args...)...)
	require.Equal(t, exitOK, code, stderr)
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(out), 0o600))
	return path
}

func TestAllocateWritesTheSameBytesAsTheOldPipeline(t *testing.T) {
	dir := t.TempDir()
	instances := []struct {
		name  string
		path  string
		pools bool // families or pools: deferred acceptance only
	}{
		{"the golden instance", "testdata/golden/instance.json", false},
		{"the registration-date instance", "testdata/golden/instance-registration.json", false},
		{"explicit priority orders", "testdata/boston.json", false},
		{"the policy example", "testdata/policy.json", false},
		{"a simulated city with band quotas, in parts", simulated(t, dir, "city.json", "-applicants", "20000", "-facilities", "280", "-capacity", "17000", "-bands", "-seed", "5"), false},
		{"a simulated city with families, hours and months", simulated(t, dir, "families.json", "-applicants", "3000", "-facilities", "40", "-capacity", "2500", "-families", "10", "-hours", "-months", "-seed", "6"), true},
	}
	seven := uint64(7)
	runs := []struct {
		name    string
		args    []string
		mech    allocation.Mechanism
		seed    *uint64
		explain bool
	}{
		{"by default", nil, allocation.DeferredAcceptance, nil, false},
		{"with explanations", []string{"-explain"}, allocation.DeferredAcceptance, nil, true},
		{"with another seed", []string{"-seed", strconv.FormatUint(seven, 10)}, allocation.DeferredAcceptance, &seven, false},
		{"kita-proposing with explanations", []string{"-mechanism", "kita-proposing", "-explain"}, allocation.KitaProposing, nil, true},
	}
	for _, inst := range instances {
		for _, r := range runs {
			if inst.pools && r.mech != allocation.DeferredAcceptance {
				continue
			}
			t.Run(inst.name+" "+r.name, func(t *testing.T) {
				want := oldAllocate(t, inst.path, r.mech, r.seed, r.explain)
				var out, stderr bytes.Buffer
				code := run(append([]string{"allocate", "-instance", inst.path}, r.args...), &out, &stderr)
				require.Equal(t, exitOK, code, stderr.String())
				require.Equal(t, string(want), out.String())
			})
		}
	}
}

func TestCommandsReportBadFilesAsTheStreamingDecoderDoes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(data), 0o600))
		return path
	}
	for _, tc := range []struct {
		name string
		path string
	}{
		{"data after the instance", write("trailing.json", `{"applicants":[{"id":"a","choices":["k"]}],"facilities":[{"id":"k","capacity":1}]} {}`)},
		{"a truncated instance", "testdata/truncated.json"},
		{"an unknown field", "testdata/unknown-field.json"},
		{"an applicant's member given twice", write("twice.json", `{"applicants":[{"id":"a","choices":["k"]},{"id":"b","choices":["k"],"choices":["k"]}],"facilities":[{"id":"k","capacity":1}]}`)},
		{"a number where a flag belongs", write("flag.json", `{"applicants":[{"id":"a","choices":["k"],"resident":1}],"facilities":[{"id":"k","capacity":1}]}`)},
		{"invalid UTF-8 in a district", write("utf8.json", "{\"applicants\":[{\"id\":\"a\",\"district\":\"S\xfcd\"}]}")},
		{"an empty file", write("empty.json", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open(tc.path)
			require.NoError(t, err)
			_, decodeErr := allocation.Decode(f)
			f.Close()
			require.Error(t, decodeErr)
			var want bytes.Buffer
			report(&want, tc.path, decodeErr)
			for _, args := range [][]string{{"allocate"}, {"explain", "-result", "testdata/boston-bad-result.json", "-family", "a"}} {
				code, stdout, stderr := runArgs(append(args, "-instance", tc.path)...)
				require.Equal(t, exitFail, code)
				require.Empty(t, stdout)
				require.Equal(t, want.String(), stderr)
			}
		})
	}
}
