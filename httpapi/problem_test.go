package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// badInput is a submission with several mistakes at once, as a parent
// makes them: a Kita that does not exist, an e-mail without domain, no
// consent.
func badInput(e *env) map[string]any {
	in := e.input("Lotte", []string{e.chosen[0], "BO-999"}, false)
	in["guardians"].([]any)[0].(map[string]any)["email"] = "eva@"
	in["consent"] = false
	return in
}

func TestInvalidSubmissionListsEveryProblemAsTheGoAPIDoes(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	in := badInput(e)
	raw, err := json.Marshal(in)
	require.NoError(t, err)

	// The Go API's answer to the same document.
	doc, err := registration.Decode(bytes.NewReader(raw))
	require.NoError(t, err)
	_, goErr := e.app.Registrations.Submit(context.Background(), *guardian("A"), doc)
	var list problem.List
	require.ErrorAs(t, goErr, &list)
	require.GreaterOrEqual(t, len(list), 3)

	for _, tc := range []struct {
		name, acceptLanguage, lang string
	}{
		{"German is the default", "", "de"},
		{"English when asked for", "en-GB,en;q=0.9", "en"},
		{"German for a language without texts", "fr-FR", "de"},
		{"the first language the API speaks wins", "fr, en;q=0.8, de;q=0.5", "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(http.MethodPost, "/api/v1/applications", guardian("A"), raw, "Idempotency-Key", "k-"+tc.lang, "Accept-Language", tc.acceptLanguage)
			require.Equal(t, http.StatusUnprocessableEntity, r.status)
			p := r.problem(t)
			assert.Equal(t, "urn:kitaportal:problem:invalid", p.Type)
			assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
			require.Len(t, p.Errors, len(list))
			tr := problem.NewTranslator(append(e.catalogs(), httpapi.Messages)...)
			for i, want := range list {
				assert.Equal(t, want.Field, p.Errors[i].Field)
				assert.Equal(t, string(want.Code), p.Errors[i].Code)
				assert.Equal(t, tr.Message(want, tc.lang), p.Errors[i].Detail)
			}
			assert.NotContains(t, string(r.body), "eva@\"", "the input's values are not echoed")
		})
	}
	r := e.call(http.MethodGet, "/api/v1/applications", guardian("A"), nil)
	assert.Equal(t, "[]", strings.TrimSpace(string(r.body)), "nothing was stored")
}

func TestProblems(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{PerClient: -1, PerFamily: -1, MaxBodyBytes: 200_000})
	r := e.call(http.MethodPost, "/api/v1/applications", guardian("A"), e.input("Lotte", e.chosen, false), "Idempotency-Key", "a-1")
	require.Equal(t, http.StatusCreated, r.status)
	var a httpapi.Application
	r.json(t, &a)

	cases := []struct {
		name   string
		method string
		path   string
		actor  string // a family, "anon", or "forged"
		body   any
		hdr    []string
		status int
		typ    string
		field  string
		code   string
	}{
		{"malformed JSON is a bad request naming where it broke off", http.MethodPost, "/api/v1/applications", "A", `{"child": {`, []string{"Idempotency-Key", "m"}, 400, "malformed", "child", "registration.malformed"},
		{"an unknown field is refused with its path", http.MethodPost, "/api/v1/applications", "A", `{"childe": {}}`, []string{"Idempotency-Key", "m"}, 422, "invalid", "childe", "registration.unknown_field"},
		{"a member given twice is refused with its path", http.MethodPost, "/api/v1/applications", "A", `{"consent": true, "consent": false}`, []string{"Idempotency-Key", "m"}, 422, "invalid", "consent", "registration.duplicate_field"},
		{"a submission without Idempotency-Key is refused", http.MethodPost, "/api/v1/applications", "A", e.input("Lotte", e.chosen, false), nil, 422, "invalid", "header.Idempotency-Key", "httpapi.invalid_value"},
		{"a body key other than the header's is refused", http.MethodPost, "/api/v1/applications", "B", withKey(e.input("Ben", e.chosen, false), "other"), []string{"Idempotency-Key", "k"}, 422, "invalid", "idempotency_key", "httpapi.invalid_value"},
		{"the same child twice is a conflict", http.MethodPost, "/api/v1/applications", "A", e.input("Lotte", e.chosen, false), []string{"Idempotency-Key", "a-2"}, 409, "exists", "", "registration.duplicate"},
		{"an anonymous submission is unauthenticated", http.MethodPost, "/api/v1/applications", "anon", e.input("Lotte", e.chosen, false), []string{"Idempotency-Key", "x"}, 401, "unauthenticated", "", "auth.no_credentials"},
		{"a forged token is unauthenticated even for public reads", http.MethodGet, "/api/v1/kitas", "forged", nil, nil, 401, "unauthenticated", "", "auth.unauthenticated"},
		{"another family's application is not found", http.MethodGet, "/api/v1/applications/" + a.ID, "B", nil, nil, 404, "not_found", "", "access.denied"},
		{"an application that does not exist is not found alike", http.MethodGet, "/api/v1/applications/01a00000-0000-7000-8000-000000000000", "A", nil, nil, 404, "not_found", "", "access.denied"},
		{"an undescribed path is not found", http.MethodGet, "/api/v1/nothing", "A", nil, nil, 404, "not_found", "", "access.denied"},
		{"accepting without an offer is a wrong state", http.MethodPost, "/api/v1/applications/" + a.ID + "/accept", "A", nil, nil, 409, "wrong_state", "", "registration.transition"},
		{"a search with a point out of range is invalid", http.MethodGet, "/api/v1/kitas?near=91,7", "anon", nil, nil, 422, "invalid", "near", "kita.query_invalid"},
		{"a search with a limit too large is invalid", http.MethodGet, "/api/v1/kitas?limit=5000", "anon", nil, nil, 422, "invalid", "limit", "httpapi.invalid_value"},
		{"a body too large is refused", http.MethodPost, "/api/v1/applications", "A", strings.Repeat(" ", 300_000), []string{"Idempotency-Key", "big"}, 413, "too_large", "", "httpapi.too_large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r response
			switch tc.actor {
			case "anon":
				r = e.call(tc.method, tc.path, nil, tc.body, tc.hdr...)
			case "forged":
				r = e.call(tc.method, tc.path, nil, tc.body, append(tc.hdr, "Authorization", "Bearer dev:root:x")...)
			default:
				r = e.call(tc.method, tc.path, guardian(tc.actor), tc.body, tc.hdr...)
			}
			require.Equal(t, tc.status, r.status, string(r.body))
			p := r.problem(t)
			assert.Equal(t, "urn:kitaportal:problem:"+tc.typ, p.Type)
			assert.Equal(t, tc.status, p.Status)
			assert.NotEmpty(t, p.Title)
			assert.NotEmpty(t, p.Detail)
			if tc.status == http.StatusUnauthorized {
				assert.Equal(t, `Bearer realm="kitaportal"`, r.header.Get("WWW-Authenticate"))
			}
			if len(p.Errors) > 0 {
				assert.Equal(t, tc.field, p.Errors[0].Field)
				assert.Equal(t, tc.code, p.Errors[0].Code)
			} else {
				assert.Equal(t, tc.code, p.Code)
			}
		})
	}
}

func withKey(in map[string]any, key string) map[string]any {
	in["idempotency_key"] = key
	return in
}

func TestDenialLooksLikeAbsence(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	r := e.call(http.MethodPost, "/api/v1/applications", guardian("A"), e.input("Lotte", e.chosen, false), "Idempotency-Key", "a-1")
	require.Equal(t, http.StatusCreated, r.status)
	var a httpapi.Application
	r.json(t, &a)
	denied := e.call(http.MethodGet, "/api/v1/applications/"+a.ID, guardian("B"), nil)
	absent := e.call(http.MethodGet, "/api/v1/applications/no-such-id", guardian("B"), nil)
	require.Equal(t, http.StatusNotFound, denied.status)
	require.Equal(t, http.StatusNotFound, absent.status)
	pd, pa := denied.problem(t), absent.problem(t)
	assert.Equal(t, pa.Type, pd.Type)
	assert.Equal(t, pa.Title, pd.Title)
	assert.Equal(t, pa.Detail, pd.Detail)
}

func TestRateLimits(t *testing.T) {
	t.Run("a client gets 429 over its cap", func(t *testing.T) {
		e := newEnv(t, nil, httpapi.Limits{PerClient: 3, PerFamily: -1})
		for range 3 {
			require.Equal(t, http.StatusOK, e.call(http.MethodGet, "/api/v1/kitas", nil, nil).status)
		}
		r := e.call(http.MethodGet, "/api/v1/kitas", nil, nil)
		require.Equal(t, http.StatusTooManyRequests, r.status)
		assert.Equal(t, "urn:kitaportal:problem:too_many_requests", r.problem(t).Type)
		assert.NotEmpty(t, r.header.Get("Retry-After"))
	})
	t.Run("a family gets 429 over its cap of changes, another family does not", func(t *testing.T) {
		e := newEnv(t, nil, httpapi.Limits{PerClient: -1, PerFamily: 2})
		for i := range 2 {
			e.call(http.MethodPost, "/api/v1/applications", guardian("A"), "{}", "Idempotency-Key", "k"+itoa(int64(i)))
		}
		r := e.call(http.MethodPost, "/api/v1/applications", guardian("A"), "{}", "Idempotency-Key", "k3")
		assert.Equal(t, http.StatusTooManyRequests, r.status)
		assert.Equal(t, http.StatusOK, e.call(http.MethodGet, "/api/v1/applications", guardian("A"), nil).status, "reading is not capped per family")
		r = e.call(http.MethodPost, "/api/v1/applications", guardian("B"), "{}", "Idempotency-Key", "k1")
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	})
}

func TestOperationalEndpoints(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	r := e.call(http.MethodGet, "/healthz", nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	r = e.call(http.MethodGet, "/readyz", nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	e.call(http.MethodGet, "/api/v1/kitas", nil, nil)
	r = e.call(http.MethodGet, "/metrics", nil, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, string(r.body), `kitaportal_http_requests_total{method="GET",route="GET /api/v1/kitas",status="200"} 1`)

	t.Run("every answer carries the security headers and a request id", func(t *testing.T) {
		r := e.call(http.MethodGet, "/api/v1/kitas", nil, nil, "X-Request-Id", "abc-123")
		assert.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
		assert.Equal(t, "DENY", r.header.Get("X-Frame-Options"))
		assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
		assert.Contains(t, r.header.Get("Content-Security-Policy"), "default-src 'none'")
		assert.Equal(t, "abc-123", r.header.Get("X-Request-Id"))
		r = e.call(http.MethodGet, "/api/v1/kitas", nil, nil, "X-Request-Id", "<script>")
		assert.NotEqual(t, "<script>", r.header.Get("X-Request-Id"))
	})
	t.Run("CORS is off by default", func(t *testing.T) {
		r := e.call(http.MethodGet, "/api/v1/kitas", nil, nil, "Origin", "https://portal.example")
		assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"))
	})
	t.Run("CORS answers the configured origins only", func(t *testing.T) {
		h, err := httpapi.New(httpapi.Config{App: e.app, Authenticator: e.dev, Ready: func(context.Context) error { return nil },
			CORSOrigins: []string{"https://portal.example"}})
		require.NoError(t, err)
		for origin, want := range map[string]string{"https://portal.example": "https://portal.example", "https://evil.example": ""} {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/kitas", nil)
			req.Header.Set("Origin", origin)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			assert.Equal(t, want, w.Header().Get("Access-Control-Allow-Origin"), origin)
		}
	})
	t.Run("readyz answers 503 when the store is unreachable", func(t *testing.T) {
		h, err := httpapi.New(httpapi.Config{App: e.app, Authenticator: e.dev, Ready: func(context.Context) error { return errors.New("store: down") }})
		require.NoError(t, err)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		assert.Equal(t, http.StatusServiceUnavailable, w.Code)
		assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
	})
	t.Run("a handler without its parts is refused", func(t *testing.T) {
		_, err := httpapi.New(httpapi.Config{App: e.app})
		assert.ErrorIs(t, err, httpapi.ErrConfig)
	})
}
