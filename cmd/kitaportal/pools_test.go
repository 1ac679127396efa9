package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/allocation"
)

func TestHoursAndMonthsOnFiles(t *testing.T) {
	write := tempWriter(t)
	code, inst, stderr := runArgs("simulate", "-applicants", "400", "-facilities", "12", "-capacity", "300", "-bands", "-hours", "-months", "-seed", "3")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, inst, `"format":"kitaportal.allocation/v2"`)
	assert.Contains(t, inst, `"pools":[{"band":"u3","hours":`)
	assert.Contains(t, inst, `"choices":[{"kita":"k`)
	assert.Contains(t, inst, `"start":"20`)
	instPath := write("instance.json", inst)

	code, result, stderr := runArgs("allocate", "-instance", instPath)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, result, `"pools":{`)
	assert.Contains(t, result, `"hours":35`)
	resPath := write("result.json", result)

	code, out, _ := runArgs("verify", "-instance", instPath, "-result", resPath)
	assert.Equal(t, 0, code, out)

	// Moving every placed child to another pool of its Kita breaks the
	// result: verify names unfit pools or blocking pairs.
	res, err := allocation.DecodeResult(strings.NewReader(result))
	require.NoError(t, err)
	for id, d := range res.Pools {
		res.Pools[id] = d + 1
	}
	data, err := res.MarshalJSON()
	require.NoError(t, err)
	code, out, _ = runArgs("verify", "-instance", instPath, "-result", write("moved.json", string(data)))
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "without a fitting pool")
}

// tempWriter returns a function that writes a file into a fresh
// temporary directory and returns its path.
func tempWriter(t *testing.T) func(name, data string) string {
	dir := t.TempDir()
	return func(name, data string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(data), 0o600))
		return path
	}
}
