package httpapi_test

import (
	"context"
	"flag"
	"net/http"
	"os"
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
	r := e.call(http.MethodGet, "/openapi.json", nil, nil)
	require.Equal(t, http.StatusOK, r.status)
	if *update {
		require.NoError(t, os.WriteFile("openapi.json", r.body, 0o644))
	}
	kept, err := os.ReadFile("openapi.json")
	require.NoError(t, err, "run go test ./httpapi -run TestDescriptionIsKept -update")
	assert.Equal(t, string(kept), string(r.body), "openapi.json is stale: run go test ./httpapi -run TestDescriptionIsKept -update")
}

// TestDescriptionValidates loads the kept description with kin-openapi and
// validates it as OpenAPI 3.1.
func TestDescriptionValidates(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("openapi.json")
	require.NoError(t, err)
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	require.NoError(t, doc.Validate(context.Background()))
	for _, p := range []string{"/api/v1/kitas", "/api/v1/applications", "/api/v1/applications/{id}/accept", "/api/v1/rounds", "/api/v1/referrals"} {
		assert.NotNil(t, doc.Paths.Find(p), p)
	}
}
