package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Referral is a Tagespflege referral as the Fachberatung works on it.
type Referral struct {
	ID            string                     `json:"id"`
	ApplicationID string                     `json:"application_id"`
	FamilyID      string                     `json:"family_id"`
	Reference     string                     `json:"reference" doc:"The application's human-readable number."`
	District      string                     `json:"district" doc:"The Stadtbezirk whose Fachberatung handles the request."`
	Status        tagespflege.ReferralStatus `json:"status"`
	MinderID      string                     `json:"minder_id,omitempty" doc:"The minder the child is placed with."`
	Start         date.Date                  `json:"start,omitzero" doc:"The first day of care with the minder (YYYY-MM-DD)."`
	CloseReason   tagespflege.CloseReason    `json:"close_reason,omitempty"`
	CreatedAt     time.Time                  `json:"created_at"`
	UpdatedAt     time.Time                  `json:"updated_at"`
	Version       int64                      `json:"version"`
	History       []tagespflege.Event        `json:"history"`
}

func referralOf(r tagespflege.Referral) Referral {
	return Referral{ID: r.ID, ApplicationID: r.ApplicationID, FamilyID: r.FamilyID, Reference: r.Reference, District: r.District,
		Status: r.Status(), MinderID: r.MinderID(), Start: r.Start(), CloseReason: r.CloseReason(), CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, Version: r.Version(), History: r.History()}
}

func referralsOf(rs []tagespflege.Referral) []Referral { return mapSlice(rs, referralOf) }

// referralStep runs a Fachberatung's step and answers the referral.
func referralStep(ctx context.Context, h *Handler, do func(actor access.Actor) (tagespflege.Referral, error)) (*body[Referral], error) {
	return run(ctx, h, func(actor access.Actor) (Referral, error) {
		r, err := do(actor)
		return referralOf(r), err
	})
}

type referralPath struct {
	ID string `path:"id" maxLength:"128" doc:"The referral's id."`
}

type districtPath struct {
	District string `path:"district" maxLength:"16" doc:"The Stadtbezirk's id."`
}

// RoundSummary is what an allocation round did.
type RoundSummary struct {
	Year            string  `json:"year"`
	Round           int     `json:"round"`
	Offers          int     `json:"offers" doc:"Offers written."`
	Skipped         int     `json:"skipped" doc:"Applications not offered because they changed meanwhile."`
	DurationSeconds float64 `json:"duration_seconds"`
}

// Export is everything stored about a family (DSGVO Art. 15, 20).
type Export struct {
	FamilyID     string                    `json:"family_id"`
	ExportedAt   time.Time                 `json:"exported_at"`
	Applications []Application             `json:"applications"`
	Referrals    []Referral                `json:"referrals" doc:"The Tagespflege referrals of the applications."`
	Messages     []notify.Message          `json:"messages" doc:"Every message about the family, to it and to the Fachberatung."`
	Audit        []registration.AuditEntry `json:"audit"`
}

// FreePlaces counts free places.
type FreePlaces struct {
	Free int `json:"free"`
}

// Expiry says how many applications a year's end expired.
type Expiry struct {
	Expired int `json:"expired"`
}

// Erasure says what an erasure did.
type Erasure struct {
	Erased int `json:"erased" doc:"Applications whose personal data was erased."`
}

type yearQuery struct {
	Year string `query:"year" required:"true" maxLength:"16" doc:"The Kita year, as the profile labels it (2027/2028)."`
}

type csvOut struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

// registerStaff registers the operations of carriers, the Fachberatung
// and the Jugendamt.
func (h *Handler) registerStaff() {
	h.registerCarrier()
	h.registerReferrals()
	h.registerJugendamt()
}

// kitaEdit runs a carrier's edit of its Kita and answers the Kita.
func (h *Handler) kitaEdit(ctx context.Context, id string, do func(actor access.Actor) error) (*body[kita.Kita], error) {
	return run(ctx, h, func(actor access.Actor) (kita.Kita, error) {
		if err := do(actor); err != nil {
			return kita.Kita{}, err
		}
		k, ok := h.app.Catalogue.Get(id)
		if !ok {
			return kita.Kita{}, kita.ErrNotFound
		}
		return k, nil
	})
}

func (h *Handler) registerCarrier() {
	edit := func(path, id, summary string) huma.Operation {
		return secured(op(http.MethodPut, "/kitas/{kita_id}/"+path, id, summary, "Carriers", http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity))
	}
	huma.Register(h.api, edit("profile", "updateKitaProfile", "Replace the Kita's public profile (its carrier)"),
		func(ctx context.Context, in *struct {
			KitaID string `path:"kita_id" maxLength:"64" doc:"The Kita's id."`
			Body   kita.PublicProfile
		}) (*body[kita.Kita], error) {
			return h.kitaEdit(ctx, in.KitaID, func(actor access.Actor) error {
				return h.app.Catalogue.UpdateProfile(ctx, actor, in.KitaID, in.Body)
			})
		})
	huma.Register(h.api, edit("free-places", "reportFreePlaces", "Report the Kita's free places now (its carrier)"),
		func(ctx context.Context, in *struct {
			KitaID string `path:"kita_id" maxLength:"64" doc:"The Kita's id."`
			Body   struct {
				Under3 int `json:"u3" minimum:"0" doc:"Free places for children under three."`
				From3  int `json:"o3" minimum:"0" doc:"Free places for children three and older."`
			}
		}) (*body[kita.Kita], error) {
			return h.kitaEdit(ctx, in.KitaID, func(actor access.Actor) error {
				return h.app.Catalogue.ReportFreePlaces(ctx, actor, in.KitaID, kita.Capacity{Under3: in.Body.Under3, From3: in.Body.From3})
			})
		})
	huma.Register(h.api, edit("closed", "setKitaClosed", "Close or open the Kita for registrations (its carrier)"),
		func(ctx context.Context, in *struct {
			KitaID string `path:"kita_id" maxLength:"64" doc:"The Kita's id."`
			Body   struct {
				Closed bool `json:"closed"`
			}
		}) (*body[kita.Kita], error) {
			return h.kitaEdit(ctx, in.KitaID, func(actor access.Actor) error {
				return h.app.Catalogue.SetClosed(ctx, actor, in.KitaID, in.Body.Closed)
			})
		})
	huma.Register(h.api, secured(op(http.MethodPost, "/applications/{id}/offer", "offerPlace",
		"Offer a place at a Kita the application chose (its carrier, the Jugendamt)", "Carriers", http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *struct {
			ID             string `path:"id" maxLength:"128" doc:"The application's id."`
			IdempotencyKey string `header:"Idempotency-Key" maxLength:"100" doc:"A key of the caller's choosing; the same key with the same request returns the first result (Idempotent-Replayed: true), with another request it is refused (422, app.idempotency_key_reused)."`
			Body           struct {
				KitaID string `json:"kita_id" maxLength:"64"`
			}
		}) (*keyedApplicationOut, error) {
			a, replayed, err := runKeyed(ctx, h, in.IdempotencyKey, func(actor access.Actor, opts ...app.Option) (registration.Application, error) {
				return h.app.Registrations.Offer(ctx, actor, in.ID, in.Body.KitaID, opts...)
			})
			if err != nil {
				return nil, err
			}
			return &keyedApplicationOut{ETag: etag(a.Version()), Replayed: replayed, Body: applicationOf(a)}, nil
		})
	huma.Register(h.api, secured(op(http.MethodPost, "/applications/{id}/contracted", "recordContract",
		"Record the signed care contract (the family's other applications of the child are withdrawn)", "Carriers", http.StatusNotFound, http.StatusConflict)),
		func(ctx context.Context, in *idPath) (*applicationOut, error) {
			return h.call(ctx, func(actor access.Actor) (registration.Application, error) {
				return h.app.Registrations.Contracted(ctx, actor, in.ID)
			})
		})
}

func (h *Handler) registerReferrals() {
	huma.Register(h.api, secured(op(http.MethodGet, "/referrals", "listReferrals", "The district's referral inbox (its Fachberatung, the Jugendamt)", "Fachberatung", http.StatusNotFound, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *struct {
			District string `query:"district" required:"true" maxLength:"16"`
			Offset   int    `query:"offset" minimum:"0"`
			Limit    int    `query:"limit" minimum:"0" maximum:"1000"`
		}) (*body[[]Referral], error) {
			return run(ctx, h, func(actor access.Actor) ([]Referral, error) {
				refs, err := h.app.Referrals.List(ctx, actor, in.District, in.Offset, in.Limit)
				return referralsOf(refs), err
			})
		})
	huma.Register(h.api, secured(op(http.MethodGet, "/referrals/{id}", "getReferral", "One referral", "Fachberatung", http.StatusNotFound)),
		func(ctx context.Context, in *referralPath) (*body[Referral], error) {
			return referralStep(ctx, h, func(actor access.Actor) (tagespflege.Referral, error) { return h.app.Referrals.Get(ctx, actor, in.ID) })
		})
	step := func(path, id, summary string) huma.Operation {
		return secured(op(http.MethodPost, "/referrals/{id}/"+path, id, summary, "Fachberatung", http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity))
	}
	huma.Register(h.api, step("contacted", "markReferralContacted", "Record that the family was contacted"),
		func(ctx context.Context, in *struct {
			ID   string `path:"id" maxLength:"128" doc:"The referral's id."`
			Body struct {
				Note string `json:"note,omitempty" maxLength:"2000"`
			}
		}) (*body[Referral], error) {
			return referralStep(ctx, h, func(actor access.Actor) (tagespflege.Referral, error) {
				return h.app.Referrals.MarkContacted(ctx, actor, in.ID, in.Body.Note)
			})
		})
	huma.Register(h.api, step("place", "placeWithMinder", "Place the child with a minder (its Kita choices are released in the same step)"),
		func(ctx context.Context, in *struct {
			ID             string `path:"id" maxLength:"128" doc:"The referral's id."`
			IdempotencyKey string `header:"Idempotency-Key" maxLength:"100" doc:"A key of the caller's choosing; the same key with the same request returns the first result (Idempotent-Replayed: true), with another request it is refused (422, app.idempotency_key_reused)."`
			Body           struct {
				MinderID string    `json:"minder_id" maxLength:"64"`
				Start    date.Date `json:"start" doc:"The first day of care (YYYY-MM-DD)."`
			}
		}) (*keyedOut[Referral], error) {
			return keyed(ctx, h, in.IdempotencyKey, http.StatusOK, func(actor access.Actor, opts ...app.Option) (tagespflege.Referral, error) {
				return h.app.Referrals.Place(ctx, actor, in.ID, in.Body.MinderID, in.Body.Start, opts...)
			}, referralOf)
		})
	huma.Register(h.api, step("close", "closeReferral", "Close the referral"),
		func(ctx context.Context, in *struct {
			ID   string `path:"id" maxLength:"128" doc:"The referral's id."`
			Body struct {
				Reason string `json:"reason" enum:"withdrawn,no_need,placed_elsewhere,no_minder_found,unreachable,care_ended"`
			}
		}) (*body[Referral], error) {
			return referralStep(ctx, h, func(actor access.Actor) (tagespflege.Referral, error) {
				reason, ok := tagespflege.ParseCloseReason(in.Body.Reason)
				if !ok {
					var c problem.Collector
					c.Add("reason", CodeInvalidValue, problem.ErrInvalid)
					return tagespflege.Referral{}, c.Err()
				}
				return h.app.Referrals.Close(ctx, actor, in.ID, reason)
			})
		})
	addMinder := secured(op(http.MethodPost, "/districts/{district}/minders", "addMinder", "Register a child-minder (Tagespflegeperson) in the district (its Fachberatung)", "Fachberatung",
		http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity))
	addMinder.DefaultStatus = http.StatusCreated
	addMinder.SkipValidateBody = true // tagespflege's rules validate, with their field paths and codes
	huma.Register(h.api, addMinder, func(ctx context.Context, in *struct {
		District       string `path:"district" maxLength:"16" doc:"The Stadtbezirk's id."`
		IdempotencyKey string `header:"Idempotency-Key" maxLength:"100" doc:"A key of the caller's choosing; the same key with the same request returns the first result (Idempotent-Replayed: true), with another request it is refused (422, app.idempotency_key_reused)."`
		Body           Minder
	}) (*keyedOut[Minder], error) {
		return keyed(ctx, h, in.IdempotencyKey, http.StatusCreated, func(actor access.Actor, opts ...app.Option) (tagespflege.Minder, error) {
			var c problem.Collector
			if in.Body.District != in.District {
				c.Add("district", CodeInvalidValue, problem.ErrInvalid)
			}
			if len(in.Body.Placements) > 0 {
				c.Add("placements", tagespflege.CodePlacementsNotAllowed, tagespflege.ErrRange)
			}
			if err := c.Err(); err != nil {
				return tagespflege.Minder{}, err
			}
			return h.app.Referrals.AddMinder(ctx, actor, in.Body.profile(), opts...)
		}, minderOf)
	})
	h.documentReplay("/districts/{district}/minders")
	huma.Register(h.api, secured(op(http.MethodGet, "/districts/{district}/free-minder-places", "freeMinderPlaces", "The district's free places with child-minders today", "Fachberatung", http.StatusNotFound)),
		func(ctx context.Context, in *districtPath) (*body[FreePlaces], error) {
			return run(ctx, h, func(actor access.Actor) (FreePlaces, error) {
				n, err := h.app.Referrals.FreePlaces(ctx, actor, in.District)
				return FreePlaces{Free: n}, err
			})
		})
	huma.Register(h.api, secured(op(http.MethodGet, "/districts/{district}/minders", "listMinders", "The district's child-minders (Tagespflegepersonen)", "Fachberatung", http.StatusNotFound)),
		func(ctx context.Context, in *districtPath) (*body[[]Minder], error) {
			return run(ctx, h, func(actor access.Actor) ([]Minder, error) {
				ms, err := h.app.Referrals.Minders(ctx, actor, in.District)
				return mapSlice(ms, minderOf), err
			})
		})
}

func (h *Handler) registerJugendamt() {
	huma.Register(h.api, secured(op(http.MethodPost, "/rounds", "runRound", "Run an allocation round for a Kita year (the Jugendamt)", "Jugendamt",
		http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *struct {
			Body struct {
				Year        string `json:"year" maxLength:"16" doc:"The Kita year, as the profile labels it (2027/2028)."`
				Round       int    `json:"round,omitempty" minimum:"0" doc:"The round's number within the year (0: 1, the main round)."`
				IncludeLate bool   `json:"include_late,omitempty" doc:"Admit applications submitted after the deadline."`
			}
		}) (*body[RoundSummary], error) {
			return run(ctx, h, func(actor access.Actor) (RoundSummary, error) {
				start := time.Now()
				rep, err := h.app.Registrations.RunRound(ctx, actor, in.Body.Year, app.RoundOptions{Round: in.Body.Round, IncludeLate: in.Body.IncludeLate})
				if err != nil {
					return RoundSummary{}, err
				}
				d := time.Since(start)
				h.metrics.round.Observe(d.Seconds())
				return RoundSummary{Year: rep.Year, Round: rep.Round, Offers: rep.Offers, Skipped: rep.Skipped, DurationSeconds: d.Seconds()}, nil
			})
		})
	report := func(ctx context.Context, year string) (app.YearReport, error) {
		actor, err := h.actor(ctx)
		if err != nil {
			return app.YearReport{}, err
		}
		rep, err := h.app.Reports.Year(ctx, actor, year)
		if err != nil {
			return app.YearReport{}, h.fail(ctx, err)
		}
		return rep, nil
	}
	huma.Register(h.api, secured(op(http.MethodGet, "/reports", "yearReport", "The Kita year's figures (the Jugendamt)", "Jugendamt", http.StatusNotFound, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *yearQuery) (*body[app.YearReport], error) {
			return run(ctx, h, func(actor access.Actor) (app.YearReport, error) { return h.app.Reports.Year(ctx, actor, in.Year) })
		})
	for _, table := range []struct {
		name  string
		write func(app.YearReport, *bytes.Buffer) error
	}{
		{"demand", func(r app.YearReport, b *bytes.Buffer) error { return r.WriteDemandCSV(b) }},
		{"kitas", func(r app.YearReport, b *bytes.Buffer) error { return r.WriteKitasCSV(b) }},
		{"referrals", func(r app.YearReport, b *bytes.Buffer) error { return r.WriteReferralsCSV(b) }},
	} {
		o := secured(op(http.MethodGet, "/reports/"+table.name+".csv", "yearReport"+table.name+"CSV", "The year report's "+table.name+" table as CSV (the Jugendamt)", "Jugendamt", http.StatusNotFound, http.StatusUnprocessableEntity))
		o.Responses = map[string]*huma.Response{"200": {Description: "CSV", Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}}}
		huma.Register(h.api, o, func(ctx context.Context, in *yearQuery) (*csvOut, error) {
			rep, err := report(ctx, in.Year)
			if err != nil {
				return nil, err
			}
			var b bytes.Buffer
			if err := table.write(rep, &b); err != nil {
				return nil, h.fail(ctx, err)
			}
			return &csvOut{ContentType: "text/csv; charset=utf-8", Body: b.Bytes()}, nil
		})
	}
	huma.Register(h.api, secured(op(http.MethodGet, "/families/{family_id}/export", "exportFamily", "Everything stored about a family (DSGVO Art. 15, 20)", "Families", http.StatusNotFound)),
		func(ctx context.Context, in *familyPath) (*body[Export], error) {
			return run(ctx, h, func(actor access.Actor) (Export, error) {
				ex, err := h.app.Registrations.Export(ctx, actor, in.FamilyID)
				if err != nil {
					return Export{}, err
				}
				out := Export{FamilyID: ex.FamilyID, ExportedAt: ex.ExportedAt, Applications: make([]Application, 0, len(ex.Applications)),
					Referrals: referralsOf(ex.Referrals), Messages: ex.Messages, Audit: ex.Audit}
				for _, a := range ex.Applications {
					out.Applications = append(out.Applications, applicationOf(a))
				}
				return out, nil
			})
		})
	huma.Register(h.api, secured(op(http.MethodDelete, "/families/{family_id}", "eraseFamily", "Erase a family's personal data (DSGVO Art. 17)", "Families", http.StatusNotFound)),
		func(ctx context.Context, in *familyPath) (*body[Erasure], error) {
			return run(ctx, h, func(actor access.Actor) (Erasure, error) {
				n, err := h.app.Registrations.Erase(ctx, actor, in.FamilyID)
				return Erasure{Erased: n}, err
			})
		})
	huma.Register(h.api, secured(op(http.MethodGet, "/reviews", "reviews", "Matches of the same child in two families, for the Jugendamt to review (neither family is told)", "Jugendamt", http.StatusNotFound)),
		func(ctx context.Context, _ *struct{}) (*body[[]registration.AuditEntry], error) {
			return run(ctx, h, func(actor access.Actor) ([]registration.AuditEntry, error) {
				es, err := h.app.Registrations.Reviews(ctx, actor)
				if es == nil {
					es = []registration.AuditEntry{}
				}
				return es, err
			})
		})
	huma.Register(h.api, secured(op(http.MethodPost, "/years/expire", "expireYear", "End every application of a Kita year still waiting or holding an unanswered offer (the Jugendamt)", "Jugendamt", http.StatusNotFound, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *struct {
			Body struct {
				Year string `json:"year" maxLength:"16" doc:"The Kita year, as the profile labels it (2027/2028)."`
			}
		}) (*body[Expiry], error) {
			return run(ctx, h, func(actor access.Actor) (Expiry, error) {
				n, err := h.app.Registrations.ExpireYear(ctx, actor, in.Body.Year)
				return Expiry{Expired: n}, err
			})
		})
	huma.Register(h.api, secured(op(http.MethodGet, "/audit", "auditTrail", "The audit trail (the Jugendamt)", "Jugendamt", http.StatusNotFound)),
		func(ctx context.Context, in *struct {
			ApplicationID string `query:"application_id" maxLength:"128"`
			FamilyID      string `query:"family_id" maxLength:"128"`
			Actor         string `query:"actor" maxLength:"200"`
			Offset        int    `query:"offset" minimum:"0"`
			Limit         int    `query:"limit" minimum:"0" maximum:"10000"`
		}) (*body[[]registration.AuditEntry], error) {
			return run(ctx, h, func(actor access.Actor) ([]registration.AuditEntry, error) {
				es, err := h.app.Registrations.AuditTrail(ctx, actor, registration.AuditQuery{ApplicationID: in.ApplicationID, FamilyID: in.FamilyID, Actor: in.Actor, Offset: in.Offset, Limit: in.Limit})
				if es == nil {
					es = []registration.AuditEntry{}
				}
				return es, err
			})
		})
}

// register registers every operation.
func (h *Handler) register() {
	h.registerParent()
	h.registerStaff()
	h.registerRounds()
}
