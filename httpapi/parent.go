package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/rickb777/date"
	"github.com/shopspring/decimal"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// Application is an application (Voranmeldung) as the caller may see it:
// a carrier's staff gets the Kita view (no other choices, no rank order,
// no hardship reason), every other reader the full one.
type Application struct {
	ID                string                    `json:"id"`
	Reference         string                    `json:"reference" doc:"The human-readable number the family quotes."`
	FamilyID          string                    `json:"family_id"`
	Year              string                    `json:"year" doc:"The Kita year (Kindergartenjahr), e.g. 2027/2028."`
	Child             registration.Child        `json:"child"`
	Guardians         []registration.Guardian   `json:"guardians"`
	Address           geo.Address               `json:"address"`
	District          string                    `json:"district" doc:"The Stadtbezirk the address resolved to (empty when undecided)."`
	Start             date.Date                 `json:"start" doc:"The desired first day of care (YYYY-MM-DD)."`
	Hours             kita.Hours                `json:"hours" doc:"Weekly care hours (Betreuungsumfang), the first wish."`
	HoursAlternatives []kita.Hours              `json:"hours_alternatives,omitempty" doc:"Further weekly care hours the family accepts, in its order after hours."`
	Choices           []registration.Choice     `json:"choices"`
	Tagespflege       *registration.Tagespflege `json:"tagespflege,omitempty"`
	Criteria          registration.Criteria     `json:"criteria"`
	Status            registration.Status       `json:"status"`
	Offer             *registration.Offer       `json:"offer,omitempty"`
	Held              *registration.Offer       `json:"held,omitempty" doc:"The accepted place the family keeps while an offer of a better choice is open (an upgrade)."`
	Waiting           bool                      `json:"waiting,omitempty" doc:"An accepted place whose better choices still wait for later rounds (accepted with keep_waiting)."`
	Flags             []registration.Flag       `json:"flags,omitempty"`
	SubmittedAt       time.Time                 `json:"submitted_at"`
	UpdatedAt         time.Time                 `json:"updated_at"`
	Version           int64                     `json:"version" doc:"The aggregate's version; the ETag of the application."`
	History           []registration.Event      `json:"history"`
	Anonymized        bool                      `json:"anonymized,omitempty"`
}

func applicationOf(a registration.Application) Application {
	return Application{
		ID: a.ID, Reference: a.Reference, FamilyID: a.FamilyID, Year: a.Year, Child: a.Child,
		Guardians: a.Guardians, Address: a.Address, District: a.District, Start: a.Start, Hours: a.Hours,
		HoursAlternatives: a.HoursAlternatives,
		Choices:           a.Choices, Tagespflege: a.TP, Criteria: a.Criteria, Status: a.Status(), Offer: a.Offer(),
		Held: a.Held(), Waiting: a.Waiting(),
		Flags: a.Flags, SubmittedAt: a.SubmittedAt, UpdatedAt: a.UpdatedAt, Version: a.Version(),
		History: a.History(), Anonymized: a.Anonymized,
	}
}

// applicationOut is an application with its ETag.
type applicationOut struct {
	ETag string `header:"ETag" doc:"The application's version, for If-Match."`
	Body Application
}

func outOf(a registration.Application) *applicationOut {
	return &applicationOut{ETag: etag(a.Version()), Body: applicationOf(a)}
}

var bearerSecurity = []map[string][]string{{"bearer": {}}}

// op returns an operation under [Prefix].
func op(method, path, id, summary, tag string, errs ...int) huma.Operation {
	return huma.Operation{
		OperationID: id, Method: method, Path: Prefix + path, Summary: summary, Tags: []string{tag},
		// Any request may carry a token that proves nothing (401), be too
		// large (413), come too often (429) or meet an error (500, 503).
		Errors: append(errs, http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests,
			http.StatusInternalServerError, http.StatusServiceUnavailable),
	}
}

// secured marks an operation as needing an actor.
func secured(o huma.Operation) huma.Operation {
	o.Security = bearerSecurity
	return o
}

// searchInput are the Kita search's filters.
type searchInput struct {
	District   string  `query:"district" maxLength:"16" doc:"Keep Kitas of this Stadtbezirk (district id)."`
	PostalCode string  `query:"postal_code" maxLength:"5" doc:"Keep Kitas with this postal code."`
	Carrier    string  `query:"carrier" enum:"municipal,protestant,catholic,welfare,parents_initiative,company,other" doc:"Keep Kitas whose Träger is of this kind."`
	Near       string  `query:"near" maxLength:"64" doc:"Order by distance from this point, \"lat,lon\" in degrees (WGS 84)."`
	Address    string  `query:"address" maxLength:"200" doc:"Order by distance from this address, \"Kortumstraße 5, 44787 Bochum\" (street and house number, a comma, the postal code, optionally the city), located in the city's official house coordinates; not with near. An address that cannot be located is a problem on this field (codes district.address_unreadable, district.address_unknown, district.house_coordinates_missing)."`
	RadiusKm   float64 `query:"radius_km" minimum:"0" doc:"With near or address: keep Kitas within this distance."`
	BirthDate  string  `query:"birth_date" maxLength:"10" doc:"With start: keep Kitas that take a child born on this day (YYYY-MM-DD) ..."`
	StartDate  string  `query:"start" maxLength:"10" doc:"... at this start date (YYYY-MM-DD)."`
	Hours      int     `query:"hours" minimum:"0" doc:"Keep Kitas that offer these weekly care hours."`
	Free       bool    `query:"free" doc:"Keep Kitas that report free places (in the child's age band when birth_date is given)."`
	Offset     int     `query:"offset" minimum:"0" doc:"Skip this many results."`
	Limit      int     `query:"limit" minimum:"0" maximum:"100" doc:"Page size (0: the default)."`
}

// SearchHit is one Kita found, with its distance when searched near a point.
type SearchHit struct {
	Kita       kita.Kita `json:"kita"`
	DistanceKm float64   `json:"distance_km,omitempty"`
}

// SearchPage is one page of the Kita search.
type SearchPage struct {
	Items []SearchHit `json:"items"`
	Total int         `json:"total" doc:"All matches, not only this page's."`
}

// query turns the search input into a kita.Query, locating an address in
// houses; every unreadable filter is a problem at once.
func (in searchInput) query(houses *district.Gazetteer) (kita.Query, error) {
	q := kita.Query{District: in.District, PostalCode: in.PostalCode, RadiusKm: in.RadiusKm, Hours: kita.Hours(in.Hours),
		WithFreePlaces: in.Free, Offset: in.Offset, Limit: in.Limit}
	var c problem.Collector
	if in.Carrier != "" {
		k, ok := kita.ParseCarrierKind(in.Carrier)
		if !ok {
			c.Add("carrier", kita.CodeQuery, kita.ErrQuery)
		}
		q.Carrier = k
	}
	if in.Near != "" {
		p, ok := parsePoint(in.Near)
		if !ok {
			c.Add("near", kita.CodeQuery, kita.ErrQuery)
		} else {
			q.Near = &p
		}
	}
	if in.Address != "" {
		if in.Near != "" {
			c.Add("address", kita.CodeQuery, kita.ErrQuery)
		} else if p, err := houses.Find("address", in.Address); err != nil {
			c.Merge("", err)
		} else {
			q.Near = &p
		}
	}
	if in.BirthDate != "" || in.StartDate != "" {
		birth, err1 := parseDate(in.BirthDate)
		start, err2 := parseDate(in.StartDate)
		if err1 != nil {
			c.Add("birth_date", kita.CodeQuery, kita.ErrQuery)
		}
		if err2 != nil {
			c.Add("start", kita.CodeQuery, kita.ErrQuery)
		}
		if err1 == nil && err2 == nil {
			q.Child = &kita.ChildAt{Birth: birth, On: start}
		}
	}
	if err := c.Err(); err != nil {
		return q, err
	}
	return q, q.Validate()
}

// parseDate reads a calendar date written YYYY-MM-DD (kita.ParseDate:
// impossible days and malformed text are errors, never a panic).
func parseDate(s string) (date.Date, error) { return kita.ParseDate(s) }

// parsePoint reads "lat,lon".
func parsePoint(s string) (geo.Point, bool) {
	lat, lon, ok := strings.Cut(s, ",")
	if !ok {
		return geo.Point{}, false
	}
	a, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	b, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	p := geo.Point{Lat: a, Lon: b}
	return p, err1 == nil && err2 == nil && p.Valid()
}

// idPath is an operation on one application.
type idPath struct {
	ID string `path:"id" maxLength:"128" doc:"The application's id."`
}

// submitInput is a Voranmeldung as the Go API's registration.Decode reads it.
type submitInput struct {
	IdempotencyKey string `header:"Idempotency-Key" required:"true" minLength:"1" maxLength:"100" doc:"A key of the caller's choosing; the same key returns the first submission's result."`
	RawBody        []byte `contentType:"application/json"`
}

type submitOut struct {
	Status   int
	Location string `header:"Location"`
	ETag     string `header:"ETag"`
	Replayed bool   `header:"Idempotent-Replayed" doc:"true when the Idempotency-Key returned an earlier result."`
	Body     Application
}

type listInput struct {
	FamilyID string   `query:"family_id" maxLength:"128" doc:"Only this family's applications (the Jugendamt)."`
	Year     string   `query:"year" maxLength:"16" doc:"Only this Kita year."`
	KitaIDs  []string `query:"kita_id" maxItems:"50" doc:"Only applications that chose one of these Kitas (a carrier's inbox)."`
	Statuses []string `query:"status" maxItems:"10" doc:"Only applications in these states."`
	Offset   int      `query:"offset" minimum:"0"`
	Limit    int      `query:"limit" minimum:"0" maximum:"1000"`
}

type choicesInput struct {
	ID      string `path:"id" maxLength:"128" doc:"The application's id."`
	IfMatch string `header:"If-Match" doc:"The ETag read; required."`
	Body    struct {
		Kitas []string `json:"kitas" maxItems:"50" doc:"The Kitas in rank order."`
	}
}

// hoursInput reorders the family's care hours.
type hoursInput struct {
	ID      string `path:"id" maxLength:"128" doc:"The application's id."`
	IfMatch string `header:"If-Match" doc:"The ETag read; required."`
	Body    struct {
		Hours []kita.Hours `json:"hours" maxItems:"6" doc:"The weekly care hours the family accepts, best first (the first becomes hours, the rest hours_alternatives)."`
	}
}

type ifMatchInput struct {
	ID      string `path:"id" maxLength:"128" doc:"The application's id."`
	IfMatch string `header:"If-Match" doc:"The ETag read; when given, it must match."`
}

type acceptInput struct {
	ID          string `path:"id" maxLength:"128" doc:"The application's id."`
	IfMatch     string `header:"If-Match" doc:"The ETag read; when given, it must match."`
	KeepWaiting bool   `query:"keep_waiting" doc:"Keep the choices ranked above the offered one waiting for later rounds (an upgrade): the accepted place stays the family's until a better offer is accepted. Absent: false, every other choice is released. Without a better choice still waiting it is a conflict (registration.nothing_above)."`
}

type contractInput struct {
	ID             string `path:"id" maxLength:"128" doc:"The application's id."`
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"100" doc:"A key of the caller's choosing; the same key with the same request returns the first contract again, byte for byte (Idempotent-Replayed: true), with another request it is refused (422, app.idempotency_key_reused)."`
	Body           struct {
		Income   decimal.Decimal `json:"income" doc:"The household's annual income in euros, for the fee bracket."`
		MealPlan bool            `json:"meal_plan" doc:"The child takes part in the meals."`
	}
}

type pdfOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Replayed           bool   `header:"Idempotent-Replayed" doc:"true when the Idempotency-Key returned an earlier result."`
	Body               []byte
}

type familyPath struct {
	FamilyID string `path:"family_id" maxLength:"128" doc:"The family's id."`
}

// registerParent registers the search and the family's operations.
func (h *Handler) registerParent() {
	huma.Register(h.api, op(http.MethodGet, "/kitas", "searchKitas", "Search Kitas (public)", "Kitas", http.StatusUnprocessableEntity),
		func(ctx context.Context, in *searchInput) (*struct{ Body SearchPage }, error) {
			q, err := in.query(h.app.Profile.Districts.Houses())
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			page := h.app.Catalogue.Search(q)
			out := &struct{ Body SearchPage }{Body: SearchPage{Items: make([]SearchHit, 0, len(page.Items)), Total: page.Total}}
			for _, it := range page.Items {
				out.Body.Items = append(out.Body.Items, SearchHit{Kita: it.Kita, DistanceKm: it.DistanceKm})
			}
			return out, nil
		})
	huma.Register(h.api, op(http.MethodGet, "/kitas/{kita_id}", "getKita", "One Kita's profile (public)", "Kitas", http.StatusNotFound),
		func(ctx context.Context, in *struct {
			KitaID string `path:"kita_id" maxLength:"64"`
		}) (*struct{ Body kita.Kita }, error) {
			k, ok := h.app.Catalogue.Get(in.KitaID)
			if !ok {
				return nil, h.fail(ctx, kita.ErrNotFound)
			}
			return &struct{ Body kita.Kita }{Body: k}, nil
		})

	huma.Register(h.api, h.submitOp("/applications", "submitApplication", "Submit a Voranmeldung for the caller's family"),
		func(ctx context.Context, in *submitInput) (*submitOut, error) {
			return h.submit(ctx, in.IdempotencyKey, in.RawBody, func(actor access.Actor, input registration.Input) (registration.Receipt, error) {
				return h.app.Registrations.Submit(ctx, actor, input)
			})
		})
	h.documentSubmit("/applications")
	huma.Register(h.api, h.submitOp("/families/{family_id}/applications", "submitAtCounter", "Submit a Voranmeldung for a family at the Jugendamt's counter"),
		func(ctx context.Context, in *struct {
			FamilyID       string `path:"family_id" maxLength:"128" doc:"The family's id."`
			IdempotencyKey string `header:"Idempotency-Key" required:"true" minLength:"1" maxLength:"100" doc:"A key of the caller's choosing; the same key returns the first submission's result."`
			RawBody        []byte `contentType:"application/json"`
		}) (*submitOut, error) {
			return h.submit(ctx, in.IdempotencyKey, in.RawBody, func(actor access.Actor, input registration.Input) (registration.Receipt, error) {
				return h.app.Registrations.SubmitAtCounter(ctx, actor, in.FamilyID, input)
			})
		})
	h.documentSubmit("/families/{family_id}/applications")

	huma.Register(h.api, secured(op(http.MethodGet, "/applications", "listApplications",
		"The applications the caller may see (a family its own, a carrier its inbox, the Jugendamt all)", "Applications", http.StatusNotFound, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *listInput) (*body[[]Application], error) {
			return run(ctx, h, func(actor access.Actor) ([]Application, error) {
				q := registration.Query{FamilyID: in.FamilyID, Year: in.Year, KitaIDs: in.KitaIDs, Offset: in.Offset, Limit: in.Limit}
				var c problem.Collector
				for i, s := range in.Statuses {
					st, ok := registration.ParseStatus(s)
					if !ok {
						c.Add(problem.Join("status", "["+strconv.Itoa(i)+"]"), CodeInvalidValue, problem.ErrInvalid)
					}
					q.Statuses = append(q.Statuses, st)
				}
				if err := c.Err(); err != nil {
					return nil, err
				}
				apps, err := h.app.Registrations.List(ctx, actor, q)
				out := make([]Application, 0, len(apps))
				for _, a := range apps {
					out = append(out, applicationOf(a))
				}
				return out, err
			})
		})
	huma.Register(h.api, secured(op(http.MethodGet, "/applications/{id}", "getApplication", "One application", "Applications", http.StatusNotFound)),
		func(ctx context.Context, in *idPath) (*applicationOut, error) {
			return h.call(ctx, func(actor access.Actor) (registration.Application, error) {
				return h.app.Registrations.Get(ctx, actor, in.ID)
			})
		})
	huma.Register(h.api, secured(op(http.MethodPut, "/applications/{id}/hours", "changeHours",
		"Replace the ranked weekly care hours (If-Match: the ETag read)", "Applications",
		http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *hoursInput) (*applicationOut, error) {
			return h.change(ctx, in.IfMatch, true, func(actor access.Actor, opts ...app.Option) (registration.Application, error) {
				return h.app.Registrations.ChangeHours(ctx, actor, in.ID, in.Body.Hours, opts...)
			})
		})
	huma.Register(h.api, secured(op(http.MethodPut, "/applications/{id}/choices", "changeChoices",
		"Replace the ranked Kitas (If-Match: the ETag read)", "Applications",
		http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *choicesInput) (*applicationOut, error) {
			return h.change(ctx, in.IfMatch, true, func(actor access.Actor, opts ...app.Option) (registration.Application, error) {
				return h.app.Registrations.ChangeChoices(ctx, actor, in.ID, in.Body.Kitas, opts...)
			})
		})
	for _, step := range []struct {
		path, id, summary string
		do                func(ctx context.Context, actor access.Actor, id string, opts ...app.Option) (registration.Application, error)
	}{
		{"withdraw", "withdrawApplication", "Withdraw the application", h.app.Registrations.Withdraw},
		{"decline", "declineOffer", "Decline the offer (the application waits for later rounds)", h.app.Registrations.Decline},
	} {
		huma.Register(h.api, secured(op(http.MethodPost, "/applications/{id}/"+step.path, step.id, step.summary, "Applications",
			http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed)),
			func(ctx context.Context, in *ifMatchInput) (*applicationOut, error) {
				return h.change(ctx, in.IfMatch, false, func(actor access.Actor, opts ...app.Option) (registration.Application, error) {
					return step.do(ctx, actor, in.ID, opts...)
				})
			})
	}
	huma.Register(h.api, secured(op(http.MethodPost, "/applications/{id}/accept", "acceptOffer",
		"Accept the offer (the other choices are released; with keep_waiting only those ranked below it)", "Applications",
		http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed)),
		func(ctx context.Context, in *acceptInput) (*applicationOut, error) {
			return h.change(ctx, in.IfMatch, false, func(actor access.Actor, opts ...app.Option) (registration.Application, error) {
				return h.app.Registrations.AcceptWith(ctx, actor, in.ID, registration.AcceptOptions{KeepWaiting: in.KeepWaiting}, opts...)
			})
		})
	contractOp := secured(op(http.MethodPost, "/applications/{id}/contract", "contractPDF",
		"The care contract (Betreuungsvertrag) of an accepted place, as PDF", "Applications", http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity))
	contractOp.Responses = map[string]*huma.Response{"200": {Description: "The contract", Content: map[string]*huma.MediaType{"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
	huma.Register(h.api, contractOp, func(ctx context.Context, in *contractInput) (*pdfOut, error) {
		ct, replayed, err := runKeyed(ctx, h, in.IdempotencyKey, func(actor access.Actor, opts ...app.Option) (contract.Contract, error) {
			return h.app.Contracts.Generate(ctx, actor, app.ContractRequest{ApplicationID: in.ID, Income: in.Body.Income, MealPlan: in.Body.MealPlan}, opts...)
		})
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := h.app.Contracts.Render(&buf, ct); err != nil {
			return nil, h.fail(ctx, err)
		}
		return &pdfOut{ContentType: "application/pdf", ContentDisposition: `attachment; filename="betreuungsvertrag.pdf"`, Replayed: replayed, Body: buf.Bytes()}, nil
	})
	huma.Register(h.api, secured(op(http.MethodGet, "/families/{family_id}/messages", "familyMessages",
		"The messages the family received, as it read them", "Families", http.StatusNotFound)),
		func(ctx context.Context, in *familyPath) (*body[[]app.Message], error) {
			return run(ctx, h, func(actor access.Actor) ([]app.Message, error) {
				return h.app.Registrations.Messages(ctx, actor, in.FamilyID)
			})
		})
}

// submitOp is a submitting operation.
func (h *Handler) submitOp(path, id, summary string) huma.Operation {
	o := secured(op(http.MethodPost, path, id, summary, "Applications", http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound, http.StatusConflict))
	o.DefaultStatus = http.StatusCreated
	o.MaxBodyBytes = registration.MaxInputBytes
	o.SkipValidateBody = true // registration.Decode and the rules validate
	o.Description = "Stores the application, its confirmation message and, with Kindertagespflege, the referral to the district's Fachberatung, in one step. " +
		"Every problem of the input is answered at once (422) with the Go API's field paths and codes. The same Idempotency-Key returns the first result (200, Idempotent-Replayed: true)."
	return o
}

// documentSubmit describes a submitting operation's body, which
// registration.Decode reads (so that field paths and codes are the Go
// API's), and its answer to a replayed Idempotency-Key.
func (h *Handler) documentSubmit(path string) {
	schema := h.api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[registration.Input](), true, "SubmitInput")
	post := h.api.OpenAPI().Paths[Prefix+path].Post
	post.RequestBody.Content["application/json"].Schema = schema
	replay := *post.Responses["201"]
	replay.Description = "The first submission's result: the Idempotency-Key was used before."
	post.Responses["200"] = &replay
}

// submit decodes a Voranmeldung as the Go API does, takes the
// Idempotency-Key from the header and submits it.
func (h *Handler) submit(ctx context.Context, key string, raw []byte, do func(access.Actor, registration.Input) (registration.Receipt, error)) (*submitOut, error) {
	actor, err := h.actor(ctx)
	if err != nil {
		return nil, err
	}
	input, err := registration.DecodeBytes(raw)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	if input.IdempotencyKey != "" && input.IdempotencyKey != key {
		var c problem.Collector
		c.Add("idempotency_key", CodeInvalidValue, problem.ErrInvalid)
		return nil, h.fail(ctx, c.Err())
	}
	input.IdempotencyKey = key
	rc, err := do(actor, input)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &submitOut{Status: http.StatusCreated, Location: Prefix + "/applications/" + rc.Application.ID,
		ETag: etag(rc.Application.Version()), Replayed: rc.Replayed, Body: applicationOf(rc.Application)}
	if rc.Replayed {
		out.Status = http.StatusOK
	}
	return out, nil
}

// call runs a use case with the request's actor and answers the
// application with its ETag.
func (h *Handler) call(ctx context.Context, do func(actor access.Actor) (registration.Application, error)) (*applicationOut, error) {
	actor, err := h.actor(ctx)
	if err != nil {
		return nil, err
	}
	a, err := do(actor)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return outOf(a), nil
}

// change runs a changing use case on the version If-Match names
// (required when need is true: 428 without it). The application layer
// compares the version inside the change's atomic step (app.IfVersion),
// so that of two changes sent with the same ETag exactly one wins; the
// other, like any stale or unreadable ETag, is answered 412.
func (h *Handler) change(ctx context.Context, ifMatch string, need bool, do func(actor access.Actor, opts ...app.Option) (registration.Application, error)) (*applicationOut, error) {
	return h.call(ctx, func(actor access.Actor) (registration.Application, error) {
		switch ifMatch {
		case "":
			if need {
				return registration.Application{}, errIfMatch
			}
			return do(actor)
		case "*":
			return do(actor)
		}
		v, ok := versionOf(ifMatch)
		if !ok {
			return registration.Application{}, errPrecondition
		}
		return do(actor, app.IfVersion(v))
	})
}

// versionOf reads the version an entity tag (strong or weak) names.
func versionOf(tag string) (int64, bool) {
	s, ok := strings.CutPrefix(strings.TrimPrefix(strings.TrimSpace(tag), "W/"), `"`)
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, `"`)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil && v > 0
}
