package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/text/language"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/auth"
	"github.com/kitaportal/kitaportal/problem"
)

// Problem is an RFC 9457 problem details document
// (application/problem+json). Errors lists every problem of an invalid
// input with the field path and stable code the Go API uses, and the text
// in the language the request asked for.
type Problem struct {
	// Type names the kind of problem (urn:kitaportal:problem:KIND).
	Type string `json:"type" doc:"The kind of problem: urn:kitaportal:problem: followed by invalid, unauthenticated, not_found, conflict, exists, wrong_state, precondition, too_many_requests, unavailable or internal."`
	// Title is the kind's text in the request's language.
	Title string `json:"title" doc:"The kind of problem in the request's language."`
	// Status is the HTTP status code.
	Status int `json:"status" doc:"The HTTP status code."`
	// Detail explains this occurrence in the request's language.
	Detail string `json:"detail" doc:"What went wrong, in the request's language."`
	// Code is the stable code of the rule (for a single problem).
	Code string `json:"code,omitempty" doc:"The stable code of the rule that was broken, as in the Go API."`
	// Errors are the problems of an invalid input, every one at once.
	Errors []FieldProblem `json:"errors,omitempty" doc:"Every problem of an invalid input."`
}

// FieldProblem is one problem of an input.
type FieldProblem struct {
	// Field is the path of the field, as in the Go API ("guardians[0].email").
	Field string `json:"field" doc:"The path of the field, as in the Go API (guardians[0].email); empty for the document as a whole."`
	// Code is the stable code of the rule.
	Code string `json:"code" doc:"The stable code of the rule (registration.kita_unknown)."`
	// Detail is the text in the request's language.
	Detail string `json:"detail" doc:"The problem in the request's language."`
}

// Error implements error: the type and the codes, never the texts' values.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString("httpapi: ")
	b.WriteString(p.Type)
	if p.Code != "" {
		b.WriteString(" " + p.Code)
	}
	for _, e := range p.Errors {
		b.WriteString(" " + e.Field + ":" + e.Code)
	}
	return b.String()
}

// GetStatus implements huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// GetHeaders implements huma.HeadersError: a 401 names the scheme
// (WWW-Authenticate), a 429 when to come back (Retry-After).
func (p *Problem) GetHeaders() http.Header {
	h := http.Header{}
	switch p.Status {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="kitaportal"`)
	case http.StatusTooManyRequests:
		h.Set("Retry-After", "60")
	}
	return h
}

// ContentType implements huma.ContentTypeFilter.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

// Codes of the HTTP layer.
const (
	CodeInvalidValue  problem.Code = "httpapi.invalid_value"
	CodeMalformed     problem.Code = "httpapi.malformed"
	CodePrecondition  problem.Code = "httpapi.precondition_failed"
	CodeIfMatch       problem.Code = "httpapi.if_match_required"
	CodeTooMany       problem.Code = "httpapi.too_many_requests"
	CodeTooLarge      problem.Code = "httpapi.too_large"
	CodeUnavailable   problem.Code = "httpapi.unavailable"
	CodeMethod        problem.Code = "httpapi.method"
	CodeNotAcceptable problem.Code = "httpapi.not_acceptable"
)

// Errors of the conditional requests.
var (
	errIfMatch      = problem.NewSentinel(problem.Unknown, CodeIfMatch, "httpapi: If-Match required")
	errPrecondition = problem.NewSentinel(problem.Unknown, CodePrecondition, "httpapi: If-Match does not match the version")
)

// kinds are the problem kinds with their status and title code.
var kinds = map[string]int{
	"invalid": http.StatusUnprocessableEntity, "malformed": http.StatusBadRequest,
	"unauthenticated": http.StatusUnauthorized, "not_found": http.StatusNotFound,
	"conflict": http.StatusConflict, "exists": http.StatusConflict, "wrong_state": http.StatusConflict,
	"precondition": http.StatusPreconditionFailed, "precondition_required": http.StatusPreconditionRequired,
	"too_large":         http.StatusRequestEntityTooLarge,
	"too_many_requests": http.StatusTooManyRequests, "unavailable": http.StatusServiceUnavailable,
	"internal": http.StatusInternalServerError,
}

// Messages are the German and English texts of the HTTP layer's codes
// and of the problem kinds' titles ("httpapi.title.KIND").
var Messages = problem.Catalog{
	"de": {
		CodeInvalidValue:                      "Dieser Wert hat nicht die erwartete Form.",
		CodeMalformed:                         "Die Anfrage ist kein gültiges Dokument der erwarteten Form.",
		CodePrecondition:                      "Der Eintrag wurde inzwischen geändert. Bitte laden Sie ihn neu (If-Match passt nicht zur Version).",
		CodeIfMatch:                           "Für Änderungen wird die gelesene Version im Kopf If-Match benötigt.",
		CodeTooMany:                           "Zu viele Anfragen. Bitte warten Sie einen Moment.",
		CodeTooLarge:                          "Die Anfrage ist zu groß.",
		CodeUnavailable:                       "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.",
		CodeMethod:                            "Diese Methode ist hier nicht erlaubt.",
		CodeNotAcceptable:                     "Dieses Antwortformat wird nicht angeboten.",
		"httpapi.title.invalid":               "Ungültige Angaben",
		"httpapi.title.malformed":             "Fehlerhafte Anfrage",
		"httpapi.title.unauthenticated":       "Nicht angemeldet",
		"httpapi.title.not_found":             "Nicht gefunden",
		"httpapi.title.conflict":              "Zwischenzeitlich geändert",
		"httpapi.title.exists":                "Bereits vorhanden",
		"httpapi.title.wrong_state":           "In diesem Stand nicht möglich",
		"httpapi.title.precondition":          "Version passt nicht",
		"httpapi.title.precondition_required": "Version fehlt",
		"httpapi.title.too_large":             "Anfrage zu groß",
		"httpapi.title.too_many_requests":     "Zu viele Anfragen",
		"httpapi.title.unavailable":           "Nicht verfügbar",
		"httpapi.title.internal":              "Interner Fehler",
	},
	"en": {
		CodeInvalidValue:                      "This value does not have the expected form.",
		CodeMalformed:                         "The request is not a valid document of the expected form.",
		CodePrecondition:                      "The record changed meanwhile. Please reload it (If-Match does not match the version).",
		CodeIfMatch:                           "Changes need the version read in the If-Match header.",
		CodeTooMany:                           "Too many requests. Please wait a moment.",
		CodeTooLarge:                          "The request is too large.",
		CodeUnavailable:                       "The service is not available now. Please try again later.",
		CodeMethod:                            "This method is not allowed here.",
		CodeNotAcceptable:                     "This response format is not offered.",
		"httpapi.title.invalid":               "Invalid input",
		"httpapi.title.malformed":             "Malformed request",
		"httpapi.title.unauthenticated":       "Not signed in",
		"httpapi.title.not_found":             "Not found",
		"httpapi.title.conflict":              "Changed meanwhile",
		"httpapi.title.exists":                "Exists already",
		"httpapi.title.wrong_state":           "Not possible in this state",
		"httpapi.title.precondition":          "Version does not match",
		"httpapi.title.precondition_required": "Version missing",
		"httpapi.title.too_large":             "Request too large",
		"httpapi.title.too_many_requests":     "Too many requests",
		"httpapi.title.unavailable":           "Not available",
		"httpapi.title.internal":              "Internal error",
	},
}

// languages are the languages of the texts, German first (the default).
var languages = language.NewMatcher([]language.Tag{language.German, language.English})

// lang returns "de" or "en" as the Accept-Language header asks; German
// when it asks for neither.
func lang(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "de"
	}
	_, i, conf := languages.Match(tags...)
	if conf == language.No || i != 1 {
		return "de"
	}
	return "en"
}

// problemOf builds the problem document of a kind with one coded detail.
func (h *Handler) problemOf(kind string, code problem.Code, lg string) *Problem {
	return &Problem{
		Type: "urn:kitaportal:problem:" + kind, Status: kinds[kind], Code: string(code),
		Title:  translator.Message(problem.Problem{Code: problem.Code("httpapi.title." + kind)}, lg),
		Detail: translator.Message(problem.Problem{Code: code}, lg),
	}
}

// fail turns an error of the application layer into its problem document:
// the status by [problem.KindOf], every problem of a list with its field
// path and code, texts in the request's language. An error of no known
// kind is logged (error strings carry codes, never personal data) and
// answered as an internal error.
func (h *Handler) fail(ctx context.Context, err error) error {
	lg := langOf(ctx)
	switch {
	case errors.Is(err, errIfMatch):
		return h.problemOf("precondition_required", CodeIfMatch, lg)
	case errors.Is(err, errPrecondition):
		return h.problemOf("precondition", CodePrecondition, lg)
	case errors.Is(err, app.ErrVersion):
		return h.problemOf("precondition", app.CodeVersion, lg)
	}
	if errors.Is(err, auth.ErrNoCredentials) || errors.Is(err, auth.ErrUnauthenticated) {
		return h.problemOf("unauthenticated", problem.CodeOf(err), lg)
	}
	var list problem.List
	if errors.As(err, &list) {
		kind := "invalid"
		if malformed(list) {
			kind = "malformed"
		}
		p := h.problemOf(kind, "", lg)
		p.Detail = strings.Join(translator.Messages(list, lg), "\n")
		for _, e := range list {
			p.Errors = append(p.Errors, FieldProblem{Field: e.Field, Code: string(e.Code), Detail: translator.Message(e, lg)})
		}
		return p
	}
	kind := problem.KindOf(err)
	code := problem.CodeOf(err)
	switch kind {
	case problem.NotFound:
		// One answer for every record that is absent or denied, so that a
		// denial cannot be told from absence.
		return h.problemOf("not_found", access.CodeDenied, lg)
	case problem.Invalid, problem.Conflict, problem.Exists, problem.WrongState, problem.Unavailable:
		return h.problemOf(kind.String(), code, lg)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return h.problemOf("unavailable", CodeUnavailable, lg)
	}
	h.log.ErrorContext(ctx, "request failed", "request_id", requestIDOf(ctx), "error", err.Error())
	return h.problemOf("internal", problem.CodeInternal, lg)
}

// malformed reports whether a list only says the document could not be read.
func malformed(l problem.List) bool {
	for _, p := range l {
		if !strings.HasSuffix(string(p.Code), ".malformed") && !strings.HasSuffix(string(p.Code), ".too_large") {
			return false
		}
	}
	return len(l) > 0
}

// translator holds the texts of every code the API can answer with.
var translator = problem.NewTranslator(append(app.Catalogs(), auth.Messages, Messages)...)

var hooksOnce sync.Once

// installHooks installs, once per process, huma's error constructors so
// that huma's own errors (a parameter or body that does not match the
// schema, a body too large) are problem documents with codes and texts
// too. Huma offers this only as package variables.
func installHooks() {
	hooksOnce.Do(func() {
		huma.NewErrorWithContext = func(hctx huma.Context, status int, _ string, errs ...error) huma.StatusError {
			lg := "de"
			if hctx != nil {
				lg = lang(hctx.Header("Accept-Language"))
			}
			return humaProblem(translator, status, lg, errs)
		}
		huma.NewError = func(status int, _ string, errs ...error) huma.StatusError {
			return humaProblem(translator, status, "de", errs)
		}
	})
}

// humaProblem converts one of huma's errors.
func humaProblem(tr *problem.Translator, status int, lg string, errs []error) *Problem {
	kind := "internal"
	code := problem.CodeInternal
	switch {
	case status == 0:
		kind = "invalid" // the schema example huma derives the error model from
	case status == http.StatusUnprocessableEntity:
		kind, code = "invalid", CodeInvalidValue
	case status == http.StatusBadRequest:
		kind, code = "malformed", CodeMalformed
	case status == http.StatusRequestEntityTooLarge:
		kind, code = "too_large", CodeTooLarge
	case status == http.StatusMethodNotAllowed:
		kind, code = "malformed", CodeMethod
	case status == http.StatusNotAcceptable || status == http.StatusUnsupportedMediaType:
		kind, code = "malformed", CodeNotAcceptable
	case status == http.StatusNotFound:
		kind, code = "not_found", "access.denied"
	case status == http.StatusPreconditionFailed:
		kind, code = "precondition", CodePrecondition
	case status == http.StatusServiceUnavailable:
		kind, code = "unavailable", CodeUnavailable
	}
	p := &Problem{
		Type: "urn:kitaportal:problem:" + kind, Status: status, Code: string(code),
		Title:  tr.Message(problem.Problem{Code: problem.Code("httpapi.title." + kind)}, lg),
		Detail: tr.Message(problem.Problem{Code: code}, lg),
	}
	for _, e := range errs {
		var d *huma.ErrorDetail
		if errors.As(e, &d) {
			p.Errors = append(p.Errors, FieldProblem{Field: fieldOf(d.Location), Code: string(code), Detail: p.Detail})
		}
	}
	return p
}

// fieldOf turns huma's location ("body.kitas[2]", "query.limit") into the
// Go API's field path ("kitas[2]", "limit").
func fieldOf(loc string) string {
	for _, prefix := range []string{"body.", "query.", "path."} {
		if s, ok := strings.CutPrefix(loc, prefix); ok {
			return s
		}
	}
	if loc == "body" {
		return ""
	}
	return loc
}
