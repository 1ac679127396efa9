package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/httpapi"
)

// TestLogsCarryNoPersonalData submits a correct and a wrong application
// and reads the request log: one line per request with its id, route and
// status, and none of the names, dates, addresses, e-mails or phone
// numbers the requests carried.
func TestLogsCarryNoPersonalData(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	var logs bytes.Buffer
	h, err := httpapi.New(httpapi.Config{App: e.app, Authenticator: e.dev, Ready: func(context.Context) error { return nil },
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	require.NoError(t, err)
	token := "Bearer " + e.dev.Token(access.NewGuardian("g-A", "A"))
	for i, in := range []map[string]any{e.input("Lotte", e.chosen, true), badInput(e)} {
		raw, err := json.Marshal(in)
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/applications", bytes.NewReader(raw))
		req.Header.Set("Authorization", token)
		req.Header.Set("Idempotency-Key", itoa(int64(i)))
		req.Header.Set("X-Request-Id", "req-"+itoa(int64(i)))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		require.Less(t, w.Code, 500)
	}
	out := logs.String()
	assert.Contains(t, out, `"request_id":"req-0"`)
	assert.Contains(t, out, `"route":"POST /api/v1/applications"`)
	assert.Contains(t, out, `"status":422`)
	for _, personal := range []string{"Lotte", "Beispiel", "Eva", "eva@", "2025-03-03", "Kortumstraße", "44787", "+4923412345"} {
		assert.NotContains(t, out, personal)
	}
}
