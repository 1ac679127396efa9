package httpapi_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/httpapi"
)

var update = flag.Bool("update", false, "rewrite openapi.json from the served description")

// TestDescriptionIsKept fails when the description served at /openapi.json
// and the file openapi.json in the repository differ; run with -update to
// rewrite the file after a change of the API.
func TestDescriptionIsKept(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	for _, file := range []string{"openapi.json", "openapi-3.0.json"} {
		t.Run(file, func(t *testing.T) {
			r := e.call(http.MethodGet, "/"+file, nil, nil)
			require.Equal(t, http.StatusOK, r.status)
			if *update {
				require.NoError(t, os.WriteFile(file, r.body, 0o644))
			}
			kept, err := os.ReadFile(file)
			require.NoError(t, err, "run go test ./httpapi -run TestDescriptionIsKept -update")
			assert.Equal(t, string(kept), string(r.body), file+" is stale: run go test ./httpapi -run TestDescriptionIsKept -update, then go generate ./httpapi/...")
		})
	}
}

// TestDescriptionValidates loads the kept description with kin-openapi and
// validates it as OpenAPI 3.1.
func TestDescriptionValidates(t *testing.T) {
	doc30, err := openapi3.NewLoader().LoadFromFile("openapi-3.0.json")
	require.NoError(t, err)
	assert.Equal(t, "3.0.3", doc30.OpenAPI)
	require.NoError(t, doc30.Validate(context.Background()))
	doc, err := openapi3.NewLoader().LoadFromFile("openapi.json")
	require.NoError(t, err)
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	require.NoError(t, doc.Validate(context.Background()))
	for _, p := range []string{"/api/v1/kitas", "/api/v1/applications", "/api/v1/applications/{id}/accept", "/api/v1/rounds", "/api/v1/referrals"} {
		assert.NotNil(t, doc.Paths.Find(p), p)
	}
}

// TestGeneratedClientIsCurrent fails when an operation of the kept
// description has no method in the generated client: run
// go generate ./httpapi/... after go test ./httpapi -run TestDescriptionIsKept -update.
func TestGeneratedClientIsCurrent(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("openapi-3.0.json")
	require.NoError(t, err)
	gen, err := os.ReadFile("internal/client/client.gen.go")
	require.NoError(t, err)
	n := 0
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			name := strings.ToUpper(op.OperationID[:1]) + op.OperationID[1:]
			assert.Contains(t, string(gen), "func (c *Client) "+name+"(", "run go generate ./httpapi/...")
			n++
		}
	}
	assert.Greater(t, n, 25)
}
