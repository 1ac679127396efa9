package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/auth"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/store/memory"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

// clock is a settable clock safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// env is the API over a real listener, on Bochum's profile and sample
// catalogue, with the development authenticator.
type env struct {
	t       testing.TB
	srv     *httptest.Server
	h       *httpapi.Handler
	app     *app.App
	clock   *clock
	dev     *auth.Dev
	cat     *kita.Catalogue
	router  routers.Router
	doc     *openapi3.T
	chosen  []string // two Kitas of carrier T01 that take the child
	other   string   // a Kita of carrier T05
	birth   date.Date
	start   date.Date
	checked int // responses validated against the description
}

// newEnv starts the API on store (nil: a new in-memory store).
func newEnv(t testing.TB, store app.Store, limits httpapi.Limits) *env {
	t.Helper()
	return newEnvWith(t, store, limits, nil)
}

// newEnvWith starts the API like newEnv on Bochum's profile as edit
// changes it (nil: unchanged).
func newEnvWith(t testing.TB, store app.Store, limits httpapi.Limits, edit func(*municipality.Profile)) *env {
	t.Helper()
	ctx := context.Background()
	profile, err := bochum.Profile()
	require.NoError(t, err)
	if edit != nil {
		edit(&profile)
	}
	cat, err := bochum.Catalogue()
	require.NoError(t, err)
	if store == nil {
		store = memory.New()
	}
	c := &clock{now: time.Date(2026, 11, 25, 10, 0, 0, 0, berlin)}
	a, err := app.New(ctx, app.Config{Profile: profile, Catalogue: cat, Store: store, Transport: notify.NewMemoryTransport(), Clock: c.Now})
	require.NoError(t, err)
	dev, err := auth.NewDev(true)
	require.NoError(t, err)
	h, err := httpapi.New(httpapi.Config{App: a, Authenticator: dev, Ready: func(context.Context) error { return nil }, Limits: limits})
	require.NoError(t, err)
	e := &env{t: t, h: h, app: a, clock: c, dev: dev, cat: cat,
		birth: date.New(2025, time.March, 3), start: date.New(2027, time.August, 1)}
	for _, k := range cat.All() {
		takes := k.Takes(kita.AgeOn(e.birth, e.start).InMonths()) && k.Capacity.Under3 > 0 && k.Hours.Allows(35)
		switch {
		case takes && k.Carrier.ID == "T01" && len(e.chosen) < 2:
			e.chosen = append(e.chosen, k.ID)
		case k.Carrier.ID == "T05" && e.other == "":
			e.other = k.ID
		}
	}
	require.Len(t, e.chosen, 2)
	if os.Getenv("DUMP") != "" {
		_ = os.WriteFile("/tmp/spec.json", h.Spec(), 0o644)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)

	loader := openapi3.NewLoader()
	e.doc, err = loader.LoadFromData(h.Spec())
	require.NoError(t, err)
	require.NoError(t, e.doc.Validate(ctx))
	e.doc.Servers = openapi3.Servers{{URL: e.srv.URL}}
	e.router, err = gorillamux.NewRouter(e.doc)
	require.NoError(t, err)
	return e
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), string(r.body))
}

// problem decodes a problem document.
func (r response) problem(t testing.TB) httpapi.Problem {
	t.Helper()
	require.Equal(t, "application/problem+json", r.header.Get("Content-Type"))
	var p httpapi.Problem
	r.json(t, &p)
	return p
}

// call sends a request as actor (nil: anonymous) and checks the answer
// against the OpenAPI description when the route is described.
func (e *env) call(method, path string, actor *access.Actor, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	var raw []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(e.t, err)
	}
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	require.NoError(e.t, err)
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if actor != nil {
		req.Header.Set("Authorization", "Bearer "+e.dev.Token(*actor))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := e.srv.Client().Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	r := response{status: res.StatusCode, header: res.Header, body: out}
	e.validate(req, raw, r)
	return r
}

// validate checks a response against the description (every response of
// a described route, errors included).
func (e *env) validate(req *http.Request, raw []byte, r response) {
	e.t.Helper()
	if !strings.HasPrefix(req.URL.Path, httpapi.Prefix) {
		return
	}
	vreq := req.Clone(context.Background())
	if raw != nil {
		vreq.Body = io.NopCloser(bytes.NewReader(raw))
	}
	route, params, err := e.router.FindRoute(vreq)
	if err != nil {
		return // an undescribed path: answered 404 by the Handler
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true}}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(r.body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	})
	require.NoError(e.t, err, "%s %s answered %d, not as described: %s", req.Method, req.URL.Path, r.status, r.body)
	e.checked++
}

// input is a Voranmeldung document as a parent's browser sends it.
func (e *env) input(given string, kitas []string, tagespflege bool) map[string]any {
	in := map[string]any{
		"child": map[string]any{"given_name": given, "family_name": "Beispiel", "birth_date": e.birth.String()},
		"guardians": []any{map[string]any{"given_name": "Eva", "family_name": "Beispiel", "email": "eva@beispiel.example",
			"phone": "+4923412345", "language": "de", "working": true}},
		"address": map[string]any{"street": "Kortumstraße", "house_number": "5", "postal_code": "44787", "city": "Bochum"},
		"start":   e.start.String(), "hours": 35, "kitas": kitas, "consent": true,
	}
	if tagespflege {
		in["tagespflege"] = map[string]any{"district": "I"}
	}
	return in
}

func guardian(family string) *access.Actor {
	a := access.NewGuardian("g-"+family, family)
	return &a
}

func ptr(a access.Actor) *access.Actor { return &a }

func TestMain(m *testing.M) { os.Exit(m.Run()) }

// catalogs are the message catalogs the API answers from.
func (e *env) catalogs() []problem.Catalog { return app.Catalogs() }
