package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Dates in bodies are checked as YYYY-MM-DD before a body is decoded:
// malformed text and impossible days are a 422 naming the field, never a
// panic (the date library's decoder panics on some malformed text) and
// never a day moved silently (2027-02-30 is not 2 March).
var badDates = []string{"00000-00", "2027-13-45", "2027-02-30", "27-08-01", "2027-8-1", "+0000-00"}

func TestBadDatesInBodiesAreRefused(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{PerClient: -1, PerFamily: -1})
	fb := ptr(access.NewFachberatung("fb-1", "I"))

	t.Run("a minder's licence", func(t *testing.T) {
		doc := map[string]any{}
		b, err := json.Marshal(sampleMinder(e))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &doc))
		for _, bad := range badDates {
			doc["licence"].(map[string]any)["valid_from"] = bad
			r := e.call(http.MethodPost, "/api/v1/districts/I/minders", fb, doc)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, "%q: %s", bad, r.body)
			p := r.problem(t)
			require.Len(t, p.Errors, 1, bad)
			assert.Equal(t, "licence.valid_from", p.Errors[0].Field, bad)
			assert.Equal(t, string(tagespflege.CodeLicenceDate), p.Errors[0].Code, bad)
		}
		r := e.call(http.MethodGet, "/api/v1/districts/I/minders", fb, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		assert.JSONEq(t, "[]", string(r.body), "nothing is stored")
	})
	t.Run("a placement's start", func(t *testing.T) {
		for _, bad := range badDates {
			r := e.call(http.MethodPost, "/api/v1/referrals/r-1/place", fb, map[string]string{"minder_id": "m-1", "start": bad},
				"Idempotency-Key", "k-"+bad)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, "%q: %s", bad, r.body)
			p := r.problem(t)
			require.Len(t, p.Errors, 1, bad)
			assert.Equal(t, "start", p.Errors[0].Field, bad)
		}
	})
}
