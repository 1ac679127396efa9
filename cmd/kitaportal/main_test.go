package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRun(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		code        int
		stdout      []string // substrings
		stderr      []string
		emptyStdout bool
	}{
		{name: "no command prints the usage", args: nil, code: 2, stderr: []string{"usage:"}, emptyStdout: true},
		{name: "an unknown command is a usage error", args: []string{"shuffle"}, code: 2, stderr: []string{`unknown command "shuffle"`}, emptyStdout: true},
		{name: "simulate refuses an unknown size", args: []string{"simulate", "-size", "berlin"}, code: 2, stderr: []string{`unknown size "berlin"`}, emptyStdout: true},
		{name: "simulate refuses a size out of range", args: []string{"simulate", "-applicants", "0"}, code: 1, stderr: []string{"applicants"}, emptyStdout: true},
		{name: "allocate needs an instance", args: []string{"allocate"}, code: 2, stderr: []string{"-instance is required"}, emptyStdout: true},
		{name: "allocate rejects an unknown flag", args: []string{"allocate", "-colour", "x"}, code: 2, emptyStdout: true},
		{name: "allocate rejects an unknown mechanism", args: []string{"allocate", "-instance", "testdata/boston.json", "-mechanism", "first-come"}, code: 2, stderr: []string{"unknown mechanism"}, emptyStdout: true},
		{name: "allocate reports a missing file", args: []string{"allocate", "-instance", "testdata/none.json"}, code: 1, stderr: []string{"none.json"}, emptyStdout: true},
		{name: "allocate runs deferred acceptance by default", args: []string{"allocate", "-instance", "testdata/gale-shapley-1962.json"}, code: 0,
			stdout: []string{`"alpha":"A"`, `"beta":"B"`, `"gamma":"C"`, `"mechanism":"deferred-acceptance"`}},
		{name: "allocate runs kita-proposing deferred acceptance", args: []string{"allocate", "-instance", "testdata/gale-shapley-1962.json", "-mechanism", "kita-proposing"}, code: 0,
			stdout: []string{`"alpha":"C"`, `"beta":"A"`, `"gamma":"B"`}},
		{name: "allocate prints unplaced applicants as null", args: []string{"allocate", "-instance", "testdata/boston.json", "-mechanism", "immediate-acceptance"}, code: 0,
			stdout: []string{`"a2":null`}},
		{name: "allocate overrides the seed", args: []string{"allocate", "-instance", "testdata/policy.json", "-seed", "7", "-explain"}, code: 0,
			stdout: []string{`"seed":7`, `"explanations"`}},
		{name: "allocate names every problem of an invalid instance and prints no result", args: []string{"allocate", "-instance", "testdata/invalid.json"}, code: 1,
			stderr: []string{"10 problems", "facilities[0].capacity: the number of places must not be negative", "applicants[0].choices[1]: no such Kita",
				"applicants[0].choices[2]: this Kita was already chosen", "facilities[1].capacity_by_band: the places per age band do not add up",
				"facilities[1].priority[0]: no such applicant", "fixed[a1]: no such Kita", "applicants[0].band: the age band must be u3 or o3"},
			emptyStdout: true},
		{name: "allocate names the offset of truncated JSON", args: []string{"allocate", "-instance", "testdata/truncated.json"}, code: 1,
			stderr: []string{"truncated.json: 1 problem\n", "is not valid JSON of the interchange format (byte"}, emptyStdout: true},
		{name: "allocate names an unknown field", args: []string{"allocate", "-instance", "testdata/unknown-field.json"}, code: 1,
			stderr: []string{"colour: is not a field of the interchange format"}, emptyStdout: true},
		{name: "verify needs both files", args: []string{"verify", "-instance", "testdata/boston.json"}, code: 2, emptyStdout: true},
		{name: "verify reports the justified envy of immediate acceptance", args: []string{"verify", "-instance", "testdata/boston.json", "-result", "testdata/boston-bad-result.json"}, code: 1,
			stdout: []string{"boston-bad-result.json: 1 violation (", `justified envy: applicant "a2" prefers Y, which admitted "a1" with lower priority`}},
		{name: "verify reports capacity, unknown ids and wasted seats", args: []string{"verify", "-instance", "testdata/boston.json", "-result", "testdata/over-capacity-result.json"}, code: 1,
			stdout: []string{`unknown applicant "ghost"`, `placed at unknown Kita "W"`, "Kita X holds more children than places", "wasted seat"}},
		{name: "verify rejects a malformed result", args: []string{"verify", "-instance", "testdata/boston.json", "-result", "testdata/truncated.json"}, code: 1,
			stderr: []string{"truncated.json"}, emptyStdout: true},
		{name: "verify rejects an invalid instance", args: []string{"verify", "-instance", "testdata/invalid.json", "-result", "testdata/boston-bad-result.json"}, code: 1,
			stderr: []string{"10 problems"}, emptyStdout: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(tt.args...)
			assert.Equal(t, tt.code, code, "stderr: %s", stderr)
			for _, s := range tt.stdout {
				assert.Contains(t, stdout, s)
			}
			for _, s := range tt.stderr {
				assert.Contains(t, stderr, s)
			}
			if tt.emptyStdout {
				assert.Empty(t, stdout)
			}
		})
	}
}

func TestAllocateThenVerify(t *testing.T) {
	for _, inst := range []string{"gale-shapley-1962.json", "boston.json", "policy.json"} {
		for _, mech := range []string{"deferred-acceptance", "kita-proposing", "deferred-acceptance -explain"} {
			t.Run(inst+" allocated by "+mech+" verifies clean", func(t *testing.T) {
				args := append([]string{"allocate", "-instance", filepath.Join("testdata", inst), "-seed", "3", "-mechanism"}, strings.Fields(mech)...)
				code, stdout, stderr := runArgs(args...)
				require.Equal(t, 0, code, stderr)
				require.True(t, json.Valid([]byte(stdout)))
				path := filepath.Join(t.TempDir(), "result.json")
				require.NoError(t, os.WriteFile(path, []byte(stdout), 0o600))
				code, stdout, _ = runArgs("verify", "-instance", filepath.Join("testdata", inst), "-result", path)
				assert.Equal(t, 0, code, stdout)
				assert.Contains(t, stdout, "ok")
			})
		}
	}
}

func TestSimulateAllocateVerify(t *testing.T) {
	t.Run("a simulated Bochum year allocates and verifies through the command line", func(t *testing.T) {
		dir := t.TempDir()
		code, inst, stderr := runArgs("simulate", "-size", "bochum", "-seed", "7")
		require.Equal(t, 0, code, stderr)
		instPath := filepath.Join(dir, "instance.json")
		require.NoError(t, os.WriteFile(instPath, []byte(inst), 0o644))
		var decoded struct {
			Applicants []json.RawMessage `json:"applicants"`
			Facilities []json.RawMessage `json:"facilities"`
		}
		require.NoError(t, json.Unmarshal([]byte(inst), &decoded))
		assert.Len(t, decoded.Applicants, 8861)
		assert.Len(t, decoded.Facilities, 190)

		code, res, stderr := runArgs("allocate", "-instance", instPath)
		require.Equal(t, 0, code, stderr)
		resPath := filepath.Join(dir, "result.json")
		require.NoError(t, os.WriteFile(resPath, []byte(res), 0o644))
		code, _, stderr = runArgs("verify", "-instance", instPath, "-result", resPath)
		assert.Equal(t, 0, code, stderr)

		code, again, _ := runArgs("simulate", "-size", "bochum", "-seed", "7")
		require.Equal(t, 0, code)
		assert.Equal(t, inst, again, "the same seed gives the same instance")
	})
}
