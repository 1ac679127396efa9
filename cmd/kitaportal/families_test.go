package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFamiliesOnFiles(t *testing.T) {
	write := tempWriter(t)
	code, inst, stderr := runArgs("simulate", "-applicants", "400", "-facilities", "12", "-capacity", "300", "-bands", "-families", "10", "-seed", "3")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, inst, `"format":"kitaportal.allocation/v2"`)
	assert.Contains(t, inst, `"together":true`)
	instPath := write("instance.json", inst)

	code, result, stderr := runArgs("allocate", "-instance", instPath)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, result, `"families":`)
	resPath := write("result.json", result)

	code, out, _ := runArgs("verify", "-instance", instPath, "-result", resPath)
	assert.Equal(t, 0, code, out)

	code, out, stderr = runArgs("explain", "-instance", instPath, "-result", resPath, "-family", "f0")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "choice 1")
	assert.Contains(t, out, "last admitted rank")

	code, _, stderr = runArgs("explain", "-instance", instPath, "-result", resPath, "-family", "nobody")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "family: no such applicant")

	code, out, _ = runArgs("diff", "-before", resPath, "-after", resPath)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "0 of 400 applicants differ")

	code, inst2, stderr := runArgs("simulate", "-applicants", "400", "-facilities", "12", "-capacity", "300", "-bands", "-families", "10", "-seed", "4")
	require.Equal(t, 0, code, stderr)
	code, other, stderr := runArgs("allocate", "-instance", write("instance2.json", inst2))
	require.Equal(t, 0, code, stderr)
	code, out, _ = runArgs("diff", "-before", resPath, "-after", write("other.json", other))
	assert.Equal(t, 1, code)
	assert.Contains(t, out, " -> ")
	assert.Contains(t, out, "of 400 applicants differ")
}

func TestExplainAndDiffCommandLines(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"explain needs all three flags", []string{"explain", "-instance", "x.json"}, "kitaportal explain: -result and -family are required"},
		{"diff needs both results", []string{"diff", "-after", "x.json"}, "kitaportal diff: -before is required"},
		{"diff takes no arguments", []string{"diff", "-before", "a", "-after", "b", "c"}, `kitaportal diff: unexpected argument "c"`},
		{"verify needs both files", []string{"verify"}, "kitaportal verify: -instance and -result are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.stderr)
		})
	}
}

func TestVerifyCountsSingleApplicantsAndFamiliesApart(t *testing.T) {
	dir := t.TempDir()
	inst := filepath.Join(dir, "instance.json")
	require.NoError(t, os.WriteFile(inst, []byte(`{"format":"kitaportal.allocation/v2",
		"applicants":[{"id":"t1","choices":["k1","k2"]},{"id":"t2","choices":["k1","k2"]},{"id":"s","choices":["k1"]},{"id":"u","choices":["k2"]}],
		"facilities":[{"id":"k1","capacity":1,"priority":["t1","s","t2"]},{"id":"k2","capacity":2,"priority":["t2","t1","u"]}],
		"families":[{"id":"f1","children":["t1","t2"],"together":true}],
		"policy":{"lottery":"per_child"}}`), 0o600))
	res := filepath.Join(dir, "result.json")
	require.NoError(t, os.WriteFile(res, []byte(`{"mechanism":"deferred-acceptance","seed":0,
		"placements":{"t1":"k1","t2":"k2","s":null,"u":null}}`), 0o600))
	code, out, _ := runArgs("verify", "-instance", inst, "-result", res)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "2 violations (blocking single applicants: 1, split or blocking families: 1)")
	assert.Contains(t, out, `family "f1" is not placed together`)
	assert.Contains(t, out, `wasted seat: applicant "u" prefers k2, which has a free place`)
}
