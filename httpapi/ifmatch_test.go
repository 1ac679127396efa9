package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/httpapi"
)

func TestIfMatchInsideTheStep(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	famA := guardian("A")
	r := e.call(http.MethodPost, "/api/v1/applications", famA, e.input("Lotte", e.chosen, false), "Idempotency-Key", "a-1")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	tag := r.header.Get("ETag")
	var a httpapi.Application
	r.json(t, &a)

	t.Run("two changes sent with the same ETag: exactly one wins, the other is 412", func(t *testing.T) {
		orders := [][]string{{e.chosen[1], e.chosen[0]}, {e.chosen[0]}}
		const n = 6
		statuses := make([]int, n)
		codes := make([]string, n)
		token := e.dev.Token(*famA)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				raw, _ := json.Marshal(map[string]any{"kitas": orders[i%2]})
				req, _ := http.NewRequest(http.MethodPut, e.srv.URL+"/api/v1/applications/"+a.ID+"/choices", bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("If-Match", tag)
				req.Header.Set("Accept-Language", "en")
				res, err := e.srv.Client().Do(req)
				if err != nil {
					return
				}
				defer res.Body.Close()
				body, _ := io.ReadAll(res.Body)
				statuses[i] = res.StatusCode
				var p httpapi.Problem
				if json.Unmarshal(body, &p) == nil {
					codes[i] = p.Code
				}
			})
		}
		wg.Wait()
		won := 0
		for i, s := range statuses {
			if s == http.StatusOK {
				won++
				continue
			}
			assert.Equal(t, http.StatusPreconditionFailed, s)
			assert.Equal(t, string(app.CodeVersion), codes[i])
		}
		assert.Equal(t, 1, won)
	})
	t.Run("the stale ETag withdraws nothing; the current one does", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/withdraw", famA, nil, "If-Match", tag, "Accept-Language", "en")
		require.Equal(t, http.StatusPreconditionFailed, r.status, string(r.body))
		p := r.problem(t)
		assert.Equal(t, string(app.CodeVersion), p.Code)
		assert.Equal(t, "The application changed meanwhile. Please reload it and try again.", p.Detail)
		r = e.call(http.MethodGet, "/api/v1/applications/"+a.ID, famA, nil)
		require.Equal(t, http.StatusOK, r.status)
		cur := r.header.Get("ETag")
		assert.NotEqual(t, tag, cur)
		r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/withdraw", famA, nil, "If-Match", "W/"+cur)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
	})
	t.Run("an unreadable ETag matches nothing", func(t *testing.T) {
		for _, bad := range []string{"7", `"x"`, `"0"`, `"-1"`, `"1`} {
			r := e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/decline", famA, nil, "If-Match", bad)
			assert.Equal(t, http.StatusPreconditionFailed, r.status, bad)
		}
	})
	t.Run("another family's application is not found, whatever the ETag", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/withdraw", guardian("B"), nil, "If-Match", tag)
		assert.Equal(t, http.StatusNotFound, r.status)
	})
}
