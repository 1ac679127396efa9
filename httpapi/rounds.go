package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
)

// RoundStatistics summarise a round's placements.
type RoundStatistics struct {
	Applicants  int   `json:"applicants" doc:"Every child of the round, those placed in earlier rounds included."`
	Fixed       int   `json:"fixed" doc:"Placements kept from earlier rounds."`
	Placed      int   `json:"placed" doc:"Children placed in this round."`
	Unplaced    int   `json:"unplaced" doc:"Children of this round without a place."`
	FirstChoice int   `json:"first_choice" doc:"Children placed at their first choice."`
	ByChoice    []int `json:"by_choice" doc:"Children placed at their 1st, 2nd, ... choice."`
	Families    int   `json:"families" doc:"Together-families (twins, siblings placed together) in the round."`
	Together    int   `json:"together" doc:"Together-families placed, all children at one Kita."`
}

// ListPosition is where a child stands on one Kita's list.
type ListPosition struct {
	KitaID       string `json:"kita_id"`
	Choice       int    `json:"choice" doc:"The Kita's place in the child's list (1: first choice)."`
	Rank         int    `json:"rank" doc:"The child's rank among the Kita's applicants of the round."`
	LastAdmitted int    `json:"last_admitted" doc:"The rank of the last child admitted (0: nobody was)."`
	Placed       bool   `json:"placed" doc:"The child is placed at this Kita."`
}

// DraftChange is one child whose outcome differs from the draft's baseline.
type DraftChange struct {
	ApplicationID string         `json:"application_id"`
	FamilyID      string         `json:"family_id"`
	Before        string         `json:"before" doc:"The Kita of the baseline (empty: no place)."`
	After         string         `json:"after" doc:"The Kita of this draft (empty: no place)."`
	Positions     []ListPosition `json:"positions" doc:"The child's positions in this draft (empty when it left the round)."`
}

// Publication is how a draft was published.
type Publication struct {
	At      time.Time `json:"at"`
	Offers  int       `json:"offers" doc:"Offers written."`
	Skipped int       `json:"skipped" doc:"Applications not offered because they changed after the dry run."`
}

// Draft is a dry run of an allocation round.
type Draft struct {
	ID          string          `json:"id"`
	Year        string          `json:"year"`
	Round       int             `json:"round"`
	Number      int             `json:"number" doc:"The dry run's number within its round; only the newest can be published."`
	Mechanism   string          `json:"mechanism"`
	Seed        uint64          `json:"seed" doc:"The lottery's seed."`
	CreatedAt   time.Time       `json:"created_at"`
	Baseline    string          `json:"baseline" doc:"The draft the changes compare with: the previous dry run of the round or the last published round (empty: none)."`
	Statistics  RoundStatistics `json:"statistics"`
	Placements  int             `json:"placements" doc:"Children the draft places (the offers publishing would write)."`
	Changes     []DraftChange   `json:"changes" doc:"The children whose outcome differs from the baseline's (reading a draft: the page asked for by offset and limit)."`
	ChangesAll  int             `json:"changes_total" doc:"How many children's outcome differs from the baseline's, on every page."`
	Published   *Publication    `json:"published,omitempty" doc:"Set once the draft's offers are written."`
	DurationSec float64         `json:"duration_seconds,omitempty" doc:"How long the dry run took (only in the dry run's answer)."`
}

// Positions are a child's positions after the last published round it
// took part in.
type Positions struct {
	Year        string         `json:"year"`
	Round       int            `json:"round"`
	PublishedAt time.Time      `json:"published_at"`
	Positions   []ListPosition `json:"positions" doc:"Its rank and the last admitted rank on each of its Kitas' lists, in the order of its choices."`
}

func positionsOf(ps []allocation.Position) []ListPosition {
	out := make([]ListPosition, len(ps))
	for i, p := range ps {
		out[i] = ListPosition{KitaID: p.Facility, Choice: p.Choice, Rank: p.Rank, LastAdmitted: p.LastAdmitted, Placed: p.Placed}
	}
	return out
}

func draftOf(d app.Draft) Draft {
	s := d.Result.Statistics
	out := Draft{
		ID: d.ID, Year: d.Year, Round: d.Round, Number: d.Number, Mechanism: d.Mechanism.String(), Seed: d.Seed,
		CreatedAt: d.CreatedAt, Baseline: d.Baseline, Changes: make([]DraftChange, len(d.Changes)), ChangesAll: len(d.Changes),
		Statistics: RoundStatistics{Applicants: s.Applicants, Fixed: s.Fixed, Placed: s.Placed, Unplaced: s.Unplaced,
			FirstChoice: s.FirstChoice, ByChoice: append([]int{}, s.ByChoice...), Families: s.Families, Together: s.Together},
	}
	for _, k := range d.Result.Placements {
		if k != "" {
			out.Placements++
		}
	}
	for i, c := range d.Changes {
		out.Changes[i] = DraftChange{ApplicationID: c.ApplicationID, FamilyID: c.FamilyID, Before: c.Before, After: c.After, Positions: positionsOf(c.Positions)}
	}
	if p := d.Published; p != nil {
		out.Published = &Publication{At: p.At, Offers: p.Offers, Skipped: p.Skipped}
	}
	return out
}

// draftPath is an operation on one draft.
type draftPath struct {
	ID string `path:"id" maxLength:"128" doc:"The draft's id."`
}

// registerRounds registers the round's check before publishing (dry run,
// draft, publish) and a family's positions on the lists.
func (h *Handler) registerRounds() {
	huma.Register(h.api, secured(op(http.MethodPost, "/rounds/{year}/dry-run", "dryRunRound",
		"Run an allocation round as a dry run: its statistics and the families whose outcome changed (the Jugendamt)", "Jugendamt",
		http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *struct {
			Year string `path:"year" maxLength:"16" doc:"The Kita year, as the profile labels it (2027/2028, percent-encoded: 2027%2F2028)."`
			Body struct {
				Round       int  `json:"round,omitempty" minimum:"0" doc:"The round's number within the year (0: 1, the main round)."`
				IncludeLate bool `json:"include_late,omitempty" doc:"Admit applications submitted after the deadline."`
			}
		}) (*body[Draft], error) {
			return run(ctx, h, func(actor access.Actor) (Draft, error) {
				start := time.Now()
				d, err := h.app.Registrations.DryRun(ctx, actor, in.Year, app.RoundOptions{Round: in.Body.Round, IncludeLate: in.Body.IncludeLate})
				if err != nil {
					return Draft{}, err
				}
				out := draftOf(d)
				out.DurationSec = time.Since(start).Seconds()
				h.metrics.round.Observe(out.DurationSec)
				return out, nil
			})
		})
	huma.Register(h.api, secured(op(http.MethodGet, "/rounds/drafts/{id}", "getRoundDraft", "One dry run of an allocation round (the Jugendamt)", "Jugendamt",
		http.StatusNotFound, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *struct {
			ID     string `path:"id" maxLength:"128" doc:"The draft's id."`
			Offset int    `query:"offset" minimum:"0" doc:"The first change to answer (0: the first)."`
			Limit  int    `query:"limit" minimum:"0" maximum:"100000" doc:"How many changes to answer at most (0: all of them)."`
		}) (*body[Draft], error) {
			return run(ctx, h, func(actor access.Actor) (Draft, error) {
				d, err := h.app.Registrations.Draft(ctx, actor, in.ID)
				if err != nil {
					return Draft{}, err
				}
				total := len(d.Changes)
				d.Changes = d.Changes[min(in.Offset, total):]
				if in.Limit > 0 {
					d.Changes = d.Changes[:min(in.Limit, len(d.Changes))]
				}
				out := draftOf(d) // only the page's changes are converted
				out.ChangesAll = total
				return out, nil
			})
		})
	huma.Register(h.api, secured(op(http.MethodPost, "/rounds/drafts/{id}/publish", "publishRoundDraft",
		"Write exactly the dry run's offers, once: publishing it again answers the same (the Jugendamt)", "Jugendamt",
		http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *draftPath) (*body[RoundSummary], error) {
			return run(ctx, h, func(actor access.Actor) (RoundSummary, error) {
				start := time.Now()
				rep, err := h.app.Registrations.Publish(ctx, actor, in.ID)
				if err != nil {
					return RoundSummary{}, err
				}
				return RoundSummary{Year: rep.Year, Round: rep.Round, Offers: rep.Offers, Skipped: rep.Skipped, DurationSeconds: time.Since(start).Seconds()}, nil
			})
		})
	huma.Register(h.api, secured(op(http.MethodGet, "/applications/{id}/positions", "applicationPositions",
		"The child's rank and the last admitted rank on each of its Kitas' lists after the last published round (the family, the Jugendamt)", "Applications",
		http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity)),
		func(ctx context.Context, in *idPath) (*body[Positions], error) {
			return run(ctx, h, func(actor access.Actor) (Positions, error) {
				p, err := h.app.Registrations.Positions(ctx, actor, in.ID)
				return Positions{Year: p.Year, Round: p.Round, PublishedAt: p.PublishedAt, Positions: positionsOf(p.Positions)}, err
			})
		})
}
