package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"path"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/go-chi/httprate"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rickb777/date"
	"github.com/rs/cors"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/auth"
	"github.com/kitaportal/kitaportal/notify"
)

// Prefix is the path every API operation lives under.
const Prefix = "/api/v1"

// Paths are the patterns a city's server mounts the [Handler] at (the
// portal's pages may take "/"): the API, its description, the health
// checks and the metrics.
var Paths = []string{Prefix + "/", "/openapi.json", "/openapi-3.0.json", "/healthz", "/readyz", "/metrics"}

// Config wires a [Handler]. App, Authenticator and Ready are required.
type Config struct {
	// App is the application layer the API serves.
	App *app.App
	// Authenticator turns a request into an actor (auth.OIDC in
	// production, auth.Dev for demonstrations).
	Authenticator auth.Authenticator
	// Ready reports whether the store is reachable (/readyz); for the
	// in-memory store a function that returns nil.
	Ready func(ctx context.Context) error
	// Logger receives one line per request (method, route, status,
	// duration, request id; never a path's values, a body or a query);
	// nil discards.
	Logger *slog.Logger
	// Limits bound requests; zero fields take the defaults named there.
	Limits Limits
	// CORSOrigins are the origins a browser may call the API from (for a
	// front end served elsewhere). Empty: CORS is off, only same-origin
	// pages may call.
	CORSOrigins []string
	// Registry receives the Prometheus metrics (nil: a registry of the
	// Handler's own, served at /metrics either way).
	Registry *prometheus.Registry
}

// Limits bound what one request and one client may take.
type Limits struct {
	// MaxBodyBytes caps a request body (0: 1 MiB). A Voranmeldung is at
	// most registration.MaxInputBytes.
	MaxBodyBytes int64
	// Timeout caps a request's work (0: 10 s).
	Timeout time.Duration
	// PerClient caps the requests of one client address per minute
	// (0: 600; negative: no cap).
	PerClient int
	// PerFamily caps the changing requests (POST, PUT, PATCH, DELETE) of
	// one family per minute (0: 60; negative: no cap).
	PerFamily int
	// ClientKey names the client of a request for PerClient (nil: the TCP
	// peer's address). Behind a reverse proxy, name the client by the
	// header the proxy sets, and only then: a client can forge it
	// otherwise.
	ClientKey func(r *http.Request) string
}

func (l Limits) withDefaults() Limits {
	if l.MaxBodyBytes == 0 {
		l.MaxBodyBytes = 1 << 20
	}
	if l.Timeout == 0 {
		l.Timeout = 10 * time.Second
	}
	if l.PerClient == 0 {
		l.PerClient = 600
	}
	if l.PerFamily == 0 {
		l.PerFamily = 60
	}
	if l.ClientKey == nil {
		l.ClientKey = peer
	}
	return l
}

// ErrConfig: the configuration lacks something the Handler needs.
var ErrConfig = errors.New("httpapi: config needs an app, an authenticator and a readiness check")

// Handler is the HTTP API of kitaportal: an http.Handler a city mounts
// in its own server (at [Paths]).
type Handler struct {
	app     *app.App
	authn   auth.Authenticator
	ready   func(context.Context) error
	log     *slog.Logger
	limits  Limits
	api     huma.API
	spec    []byte
	spec30  []byte
	handler http.Handler
	metrics *metrics
}

// New builds the Handler: every operation, the description at
// /openapi.json, /healthz, /readyz and /metrics, behind the request
// limits, security headers, CORS (when configured), logs and metrics.
func New(cfg Config) (*Handler, error) {
	if cfg.App == nil || cfg.Authenticator == nil || cfg.Ready == nil {
		return nil, ErrConfig
	}
	installHooks()
	h := &Handler{app: cfg.App, authn: cfg.Authenticator, ready: cfg.Ready, log: cfg.Logger, limits: cfg.Limits.withDefaults()}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	h.metrics = m

	mux := http.NewServeMux()
	h.api = humago.New(mux, humaConfig())
	h.register()
	spec, err := json.MarshalIndent(h.api.OpenAPI(), "", "  ")
	if err != nil {
		return nil, err
	}
	h.spec = append(spec, '\n')
	// The same description as OpenAPI 3.0.3, for generators that do not
	// read 3.1 yet (oapi-codegen).
	down, err := h.api.OpenAPI().Downgrade()
	if err != nil {
		return nil, err
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, down, "", "  "); err != nil {
		return nil, err
	}
	h.spec30 = append(indented.Bytes(), '\n')
	mux.HandleFunc("GET /openapi-3.0.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(h.spec30)
	})
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(h.spec)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", h.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		h.writeProblem(w, r, h.problemOf("not_found", access.CodeDenied, lang(r.Header.Get("Accept-Language"))))
	})

	var next http.Handler = routed(mux)
	next = h.rateLimits(next)
	next = h.authenticate(next)
	next = h.bound(next)
	if len(cfg.CORSOrigins) > 0 {
		next = cors.New(cors.Options{
			AllowedOrigins: cfg.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete},
			AllowedHeaders: []string{"Authorization", "Content-Type", "Accept-Language", "Idempotency-Key", "If-Match"},
			ExposedHeaders: []string{"ETag", "Location", "X-Request-Id", "Idempotent-Replayed"},
			MaxAge:         600,
		}).Handler(next)
	}
	next = securityHeaders(next)
	next = h.observe(next)
	h.handler = next
	return h, nil
}

// humaConfig is huma's configuration: OpenAPI 3.1, no documentation page,
// no $schema links in bodies, the description served by the Handler.
func humaConfig() huma.Config {
	c := huma.DefaultConfig("kitaportal API", "1.0.0")
	c.Info.Description = "Online pre-registration (Voranmeldung) for day care in a German city: Kita search, " +
		"applications with up to the city's number of ranked Kitas and Kindertagespflege, offers, contracts, " +
		"the carriers' inbox, the Fachberatung's referrals and the Jugendamt's rounds and reports. " +
		"Errors are RFC 9457 problem details in German (default) or English (Accept-Language)."
	c.OpenAPIPath = ""
	c.DocsPath = ""
	c.SchemasPath = ""
	c.CreateHooks = nil
	c.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	c.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[date.Date](), reflect.TypeFor[calendarDate]())
	// huma decodes a body into its Go type even after the body failed
	// validation (to report everything); a decoder of a field's type that
	// panics on text the description forbids (the date library's does)
	// must not take the request down, so every format decodes safely.
	formats := make(map[string]huma.Format, len(c.Formats))
	for name, f := range c.Formats {
		formats[name] = huma.Format{Marshal: f.Marshal, Unmarshal: unmarshalSafely(f.Unmarshal)}
	}
	c.Formats = formats
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An OpenID Connect ID token of the city's identity provider."},
	}
	return c
}

// calendarDate is how the description writes a date.Date: a string of
// format "date" (YYYY-MM-DD, RFC 3339 full-date). huma checks the format
// before it decodes a body, so malformed text and impossible days are a
// 422 at the field ("start"), not a panic of the date library's decoder
// nor a day moved silently (2027-02-30). An operation that skips huma's
// validation (addMinder) leaves the days to the domain's decoder
// (tagespflege.Licence).
type calendarDate struct{}

// Schema implements huma.SchemaProvider.
func (calendarDate) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "date"}
}

// unmarshalSafely returns u that turns a panic of a decoder into an
// error: the request is then answered by its validation problems.
func unmarshalSafely(u func([]byte, any) error) func([]byte, any) error {
	return func(data []byte, v any) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = errDecoderPanic
			}
		}()
		return u(data, v)
	}
}

// errDecoderPanic is what unmarshalSafely returns for a decoder's panic.
var errDecoderPanic = errors.New("httpapi: the body could not be decoded")

// schemaName names a schema after its Go type, with the package's name
// in front for the module's domain types (registration.Event becomes
// RegistrationEvent, tagespflege.Event TagespflegeEvent).
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	pkg := path.Base(t.PkgPath())
	if t.Name() == "" || !strings.HasPrefix(t.PkgPath(), "github.com/kitaportal/kitaportal/") || pkg == "httpapi" {
		return name
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + name
}

// Spec returns the OpenAPI 3.1 description the Handler serves at /openapi.json.
func (h *Handler) Spec() []byte { return append([]byte(nil), h.spec...) }

// Spec30 returns the same description as OpenAPI 3.0.3, served at
// /openapi-3.0.json for generators that do not read 3.1 yet.
func (h *Handler) Spec30() []byte { return append([]byte(nil), h.spec30...) }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.handler.ServeHTTP(w, r) }

// readyz answers 200 when the store is reachable, 503 otherwise.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.ready(ctx); err != nil {
		h.log.WarnContext(ctx, "not ready", "request_id", requestIDOf(ctx), "error", err.Error())
		h.writeProblem(w, r, h.problemOf("unavailable", CodeUnavailable, lang(r.Header.Get("Accept-Language"))))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ready\n"))
}

// writeProblem writes a problem document outside huma.
func (h *Handler) writeProblem(w http.ResponseWriter, _ *http.Request, p *Problem) {
	for k, v := range p.GetHeaders() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

type ctxKey int

const (
	actorKey ctxKey = iota + 1
	exchangeKey
)

// exchange is what observe keeps of one request while it is answered: its
// id, language and route pattern and the status written. It is made once
// per request and put into the context under one key.
type exchange struct {
	sw    statusWriter
	id    string
	lang  string
	route string
}

func actorOf(ctx context.Context) (access.Actor, bool) {
	a, ok := ctx.Value(actorKey).(access.Actor)
	return a, ok
}

func langOf(ctx context.Context) string {
	if x, ok := ctx.Value(exchangeKey).(*exchange); ok {
		return x.lang
	}
	return "de"
}

func requestIDOf(ctx context.Context) string {
	if x, ok := ctx.Value(exchangeKey).(*exchange); ok {
		return x.id
	}
	return ""
}

// requestID returns the caller's X-Request-Id when it is a short token, a
// new random one otherwise.
func requestID(r *http.Request) string {
	id := r.Header.Get("X-Request-Id")
	if len(id) > 0 && len(id) <= 64 {
		ok := true
		for _, c := range id {
			if !(c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				ok = false
				break
			}
		}
		if ok {
			return id
		}
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe gives the request an id and a language, and logs and counts it
// under its route pattern once answered (a panic is answered with 500).
func (h *Handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		x := &exchange{sw: statusWriter{ResponseWriter: w}, id: requestID(r), lang: lang(r.Header.Get("Accept-Language"))}
		ctx := context.WithValue(r.Context(), exchangeKey, x)
		w.Header()["X-Request-Id"] = []string{x.id}
		sw := &x.sw
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.log.LogAttrs(ctx, slog.LevelError, "panic", slog.String("request_id", x.id), slog.String("route", x.route))
				if sw.status == 0 {
					h.writeProblem(sw, r, h.problemOf("internal", "problem.internal", x.lang))
				}
			}
			if x.route == "" {
				x.route = "unmatched"
			}
			d := time.Since(start)
			h.metrics.observe(r.Method, x.route, sw.status, d)
			if h.log.Enabled(ctx, slog.LevelInfo) {
				h.log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("request_id", x.id), slog.String("method", r.Method),
					slog.String("route", x.route), slog.Int("status", sw.status), slog.Float64("duration_ms", float64(d.Microseconds())/1000))
			}
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// routed records the pattern the mux chose, for logs and metrics.
func routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if x, ok := r.Context().Value(exchangeKey).(*exchange); ok {
			x.route = pattern
		}
		mux.ServeHTTP(w, r)
	})
}

// securityFields are the fields securityHeaders sets, with canonical
// names, made once rather than per request. Answers share the value
// slices: http.Header's methods replace or append (the capacity is 1, so
// an append copies), none writes into them.
var securityFields = []struct {
	name  string
	value []string
}{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"Content-Security-Policy", []string{"default-src 'none'; frame-ancestors 'none'"}},
	{"Cache-Control", []string{"no-store"}},
	{"Cross-Origin-Resource-Policy", []string{"same-origin"}},
}

var hsts = []string{"max-age=31536000; includeSubDomains"}

// securityHeaders sets the headers every API answer carries: no sniffing,
// no framing, no referrer, no caching of personal data, a strict CSP.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		for _, f := range securityFields {
			hd[f.name] = f.value
		}
		if r.TLS != nil {
			hd["Strict-Transport-Security"] = hsts
		}
		next.ServeHTTP(w, r)
	})
}

// bound caps the body and the time a request may take.
func (h *Handler) bound(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > h.limits.MaxBodyBytes {
			h.writeProblem(w, r, h.problemOf("too_large", CodeTooLarge, langOf(r.Context())))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, h.limits.MaxBodyBytes)
		ctx, cancel := context.WithTimeout(r.Context(), h.limits.Timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// authenticate puts the request's actor into its context. A request
// without credentials goes on anonymously (operations that need an actor
// answer 401); credentials that prove nothing are answered with 401 here.
func (h *Handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := h.authn.Authenticate(r)
		switch {
		case err == nil:
			r = r.WithContext(context.WithValue(r.Context(), actorKey, a))
		case errors.Is(err, auth.ErrNoCredentials):
		default:
			h.writeProblem(w, r, h.problemOf("unauthenticated", auth.CodeUnauthenticated, langOf(r.Context())))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// rateLimits caps the requests per client address and the changing
// requests per family (github.com/go-chi/httprate, sliding windows of a
// minute), answering 429 with a problem document.
func (h *Handler) rateLimits(next http.Handler) http.Handler {
	limited := func(w http.ResponseWriter, r *http.Request) {
		h.writeProblem(w, r, h.problemOf("too_many_requests", CodeTooMany, langOf(r.Context())))
	}
	if h.limits.PerFamily > 0 {
		perFamily := httprate.NewRateLimiter(h.limits.PerFamily, time.Minute,
			httprate.WithKeyFuncs(func(r *http.Request) (string, error) {
				a, _ := actorOf(r.Context())
				return "family:" + a.FamilyID, nil
			}),
			httprate.WithLimitHandler(limited))
		inner, family := next, perFamily.Handler(next)
		next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a, ok := actorOf(r.Context())
			if ok && a.Role == access.Guardian && r.Method != http.MethodGet && r.Method != http.MethodHead {
				family.ServeHTTP(w, r)
				return
			}
			inner.ServeHTTP(w, r)
		})
	}
	if h.limits.PerClient > 0 {
		next = httprate.NewRateLimiter(h.limits.PerClient, time.Minute,
			httprate.WithKeyFuncs(func(r *http.Request) (string, error) { return h.limits.ClientKey(r), nil }),
			httprate.WithLimitHandler(limited)).Handler(next)
	}
	return next
}

// peer is the address of the TCP peer that sent r, without the port.
func peer(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// actor returns the request's actor, or the 401 problem.
func (h *Handler) actor(ctx context.Context) (access.Actor, error) {
	a, ok := actorOf(ctx)
	if !ok {
		return access.Actor{}, h.fail(ctx, auth.ErrNoCredentials)
	}
	return a, nil
}

// etag is the entity tag of an aggregate's version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// DeliverOnce runs the outbox dispatcher once and counts what it did in
// the metrics (kitaportal_outbox_messages_total). kitaportal serve calls
// it on a ticker.
func (h *Handler) DeliverOnce(ctx context.Context) (notify.Report, error) {
	rep, err := h.app.Dispatcher.RunOnce(ctx)
	h.metrics.outbox.WithLabelValues("sent").Add(float64(rep.Sent))
	h.metrics.outbox.WithLabelValues("retry").Add(float64(rep.Retried))
	h.metrics.outbox.WithLabelValues("failed").Add(float64(rep.Failed))
	return rep, err
}

// body is an answer with one body.
type body[T any] struct{ Body T }

// run runs a use case with the request's actor: 401 without one, the
// problem document of the use case's error, or its result as the body.
func run[T any](ctx context.Context, h *Handler, do func(actor access.Actor) (T, error)) (*body[T], error) {
	actor, err := h.actor(ctx)
	if err != nil {
		return nil, err
	}
	v, err := do(actor)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &body[T]{Body: v}, nil
}
