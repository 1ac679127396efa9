package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

// TestRankedHoursOverHTTP: a family ranks care hours when it submits,
// reads them back and reorders them with the version it read; hours the
// city does not offer are a 422 on the field.
func TestRankedHoursOverHTTP(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	famA := guardian("A")
	in := e.input("Lotte", e.chosen, false)
	in["hours_alternatives"] = []int{45}
	r := e.call(http.MethodPost, "/api/v1/applications", famA, in, "Idempotency-Key", "h-1")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	var a httpapi.Application
	r.json(t, &a)
	assert.Equal(t, kita.Hours(35), a.Hours)
	assert.Equal(t, []kita.Hours{45}, a.HoursAlternatives)

	r = e.call(http.MethodPut, "/api/v1/applications/"+a.ID+"/hours", famA, map[string]any{"hours": []int{45, 35}}, "If-Match", `"`+itoa(a.Version)+`"`)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r.json(t, &a)
	assert.Equal(t, kita.Hours(45), a.Hours)
	assert.Equal(t, []kita.Hours{35}, a.HoursAlternatives)

	r = e.call(http.MethodPut, "/api/v1/applications/"+a.ID+"/hours", famA, map[string]any{"hours": []int{45, 30}}, "If-Match", `"`+itoa(a.Version)+`"`)
	require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
	assert.Contains(t, string(r.body), "hours_alternatives[0]")
	assert.Contains(t, string(r.body), "registration.hours_not_offered")

	in = e.input("Max", e.chosen, false)
	in["hours_alternatives"] = []int{35}
	r = e.call(http.MethodPost, "/api/v1/applications", famA, in, "Idempotency-Key", "h-2")
	require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
	assert.Contains(t, string(r.body), string(problem.Code("registration.hours_duplicate")))
}
