package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/tagespflege"
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

func TestIdempotencyKeyOnCreatingCalls(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	fb := ptr(access.NewFachberatung("fb1", "I"))
	carrier := ptr(access.NewCarrierStaff("s1", "T01"))
	minder := sampleMinder(e)

	t.Run("a minder sent twice with one key is registered once", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/districts/I/minders", fb, minder, "Idempotency-Key", "m-1")
		require.Equal(t, http.StatusCreated, r.status, string(r.body))
		assert.Equal(t, "false", r.header.Get("Idempotent-Replayed"))
		var first tagespflege.Minder
		r.json(t, &first)
		r = e.call(http.MethodPost, "/api/v1/districts/I/minders", fb, minder, "Idempotency-Key", "m-1")
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		assert.Equal(t, "true", r.header.Get("Idempotent-Replayed"))
		var again tagespflege.Minder
		r.json(t, &again)
		assert.Equal(t, first.ID, again.ID)
		r = e.call(http.MethodGet, "/api/v1/districts/I/minders", fb, nil)
		var all []tagespflege.Minder
		r.json(t, &all)
		assert.Len(t, all, 1)
	})
	t.Run("the key with another body is refused (422) with a stable code", func(t *testing.T) {
		other := minder
		other.ID = "tp-other"
		r := e.call(http.MethodPost, "/api/v1/districts/I/minders", fb, other, "Idempotency-Key", "m-1", "Accept-Language", "en")
		require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
		p := r.problem(t)
		assert.Equal(t, string(app.CodeKeyReused), p.Code)
		assert.Equal(t, "This request key was used before for another request.", p.Detail)
	})
	t.Run("an offer sent twice with one key is made once", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/applications", guardian("A"), e.input("Lotte", e.chosen, false), "Idempotency-Key", "a-1")
		require.Equal(t, http.StatusCreated, r.status, string(r.body))
		var a httpapi.Application
		r.json(t, &a)
		body := map[string]string{"kita_id": e.chosen[0]}
		r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/offer", carrier, body, "Idempotency-Key", "o-1")
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		tag := r.header.Get("ETag")
		r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/offer", carrier, body, "Idempotency-Key", "o-1")
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		assert.Equal(t, "true", r.header.Get("Idempotent-Replayed"))
		assert.Equal(t, tag, r.header.Get("ETag"))
		r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/offer", carrier, body)
		assert.Equal(t, http.StatusConflict, r.status, "without the key, a second offer is a wrong state")

		r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/accept", guardian("A"), nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		facts := map[string]any{"income": "48000", "meal_plan": true}
		first := e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/contract", guardian("A"), facts, "Idempotency-Key", "c-1")
		require.Equal(t, http.StatusOK, first.status, string(first.body))
		assert.Equal(t, "false", first.header.Get("Idempotent-Replayed"))
		e.clock.Set(e.clock.Now().Add(26 * time.Hour))
		again := e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/contract", guardian("A"), facts, "Idempotency-Key", "c-1")
		require.Equal(t, http.StatusOK, again.status, string(again.body))
		assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
		assert.Equal(t, first.body, again.body, "the first contract again, byte for byte")
		facts["income"] = "52000"
		r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/contract", guardian("A"), facts, "Idempotency-Key", "c-1")
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	})
}
