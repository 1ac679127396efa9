// Package httpapi serves kitaportal's application layer (package app) over
// HTTP: an http.Handler a city mounts in its own server, described by an
// OpenAPI 3.1 document derived from the Go types by
// github.com/danielgtaylor/huma/v2, so that a portal can be built on it in
// any language. kitaportal serve runs it stand-alone.
//
//	api, err := httpapi.New(httpapi.Config{App: a, Authenticator: oidc, Ready: pool.Ping})
//	for _, p := range httpapi.Paths {
//		mux.Handle(p, api)
//	}
//
// # Operations
//
// Under [Prefix] (/api/v1): the public Kita search (by distance from a
// point, near, or from an address located in the city's house coordinates,
// address) and profiles; a
// family's applications (submit with an Idempotency-Key, read, change the
// choices with If-Match, withdraw, accept or decline an offer — accept
// with ?keep_waiting=true keeps the better choices waiting (an upgrade;
// the application shows "waiting" and, while a better offer is open, the
// "held" place) — the care contract as PDF, the messages received, the
// child's position on each of its Kitas' lists); a carrier's inbox, offers, free
// places, profile and closure of its Kitas; the Fachberatung's referral
// inbox, its steps and the district's child-minders; the Jugendamt's
// rounds (POST /rounds runs and publishes at once; or first
// POST /rounds/{year}/dry-run with the year percent-encoded, then
// GET /rounds/drafts/{id} and POST /rounds/drafts/{id}/publish, which
// writes exactly that dry run's offers, once), reports (JSON and CSV), exports, erasure and audit trail. Beside
// them: /openapi.json (3.1) and /openapi-3.0.json (the same, downgraded
// for generators that do not read 3.1 yet), /healthz, /readyz (the store
// reachable) and /metrics (Prometheus). The description is kept in the
// repository as openapi.json; a test fails when it and the served one
// differ.
//
// The API answers its own types where a domain aggregate keeps its
// lifecycle unexported: [Referral] and [Minder] carry the field names the
// description always had, the lifecycle members (placements, timestamps,
// version) marked read-only. A new minder is registered with its profile;
// read-only members in the request are ignored, except that placements
// are refused (tagespflege.placements_not_allowed).
//
// Every creating call takes an Idempotency-Key: required on submissions,
// optional on an offer, a placement with a minder, a new minder and the
// care contract (the same key makes the same PDF again, byte for byte). The
// key is stored with what the call created, in one step of the
// application layer (app.IdempotencyKey), so it holds on both stores and
// across instances: the same key with the same request answers the first
// result with Idempotent-Replayed: true; with another request it is 422
// (app.idempotency_key_reused). The allocation round (POST /rounds) is
// guarded by its own publishing rule, not by a key.
//
// # Identity
//
// An [auth.Authenticator] turns each request into an actor; the API never
// reads a role, family, carrier or district from anywhere else. Every
// decision is the application layer's ([access.Can]).
//
// # Error contract
//
// Every refusal is an RFC 9457 problem document (application/problem+json,
// [Problem]) with type, title, status, detail and, for invalid input,
// errors[] of {field, code, detail} with the field paths and codes of the
// Go API, all problems at once. Days are strings of format "date"
// (YYYY-MM-DD) in the description and are checked as such: text that is
// no day is a 422 at its field, never a day moved (2027-02-30) and never a
// failed request. Texts follow Accept-Language: German by
// default, English when asked for. The status follows [problem.KindOf]:
// 400 a document that cannot be read, 422 invalid input, 401 no or bad
// credentials, 404 a record that is absent or denied (one answer for both,
// so a denial tells nothing), 409 conflict, exists or wrong state, 412/428
// If-Match that does not match or is missing (the version is compared
// inside the change's atomic step, app.IfVersion: of two changes sent with
// one ETag exactly one wins, the other is 412 with code
// app.version_mismatch), 413 too large, 429 too many
// requests, 503 unavailable, 500 anything else (logged with the request
// id, answered without internals). Error strings and logs carry codes and
// ids, never names, birth dates, addresses, e-mails or phone numbers.
//
// # Production
//
// Request bodies and work are bounded ([Limits]); requests are limited per
// client address and changes per family (github.com/go-chi/httprate);
// answers carry security headers and Cache-Control: no-store; CORS
// (github.com/rs/cors) is off unless origins are configured; each request
// is logged with log/slog at level Info (method, route pattern, status,
// duration, request id; the line is built only when the logger takes
// Info) and counted in Prometheus metrics (requests, latency, round
// duration, outbox deliveries). BenchmarkSubmit measures the submit
// endpoint over a real listener, in memory and on PostgreSQL, with
// submissions per second and p50/p99 latency.
//
// # Glossary
//
//   - Voranmeldung: a pre-registration of need ([Application]).
//   - Kita: a day-care centre; Träger: its carrier.
//   - Kindertagespflege, Tagespflegeperson: child-minding, a child-minder.
//   - Fachberatung: the Kindertagespflege office of a Stadtbezirk (district).
//   - Jugendamt: the youth welfare office that runs the portal.
//   - Betreuungsvertrag: the care contract.
//   - Kindergartenjahr: the Kita year (2027/2028).
package httpapi
