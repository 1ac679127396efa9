package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/registration"
)

// maxChangesShown bounds the changed families the draft page lists; the
// page says how many more there are (all of them: GET
// /api/v1/rounds/drafts/{id}).
const maxChangesShown = 200

// maxRounds is the number of rounds the round page offers in a Kita year:
// the main round and follow-up rounds for places that became free.
const maxRounds = 12

// roundPage lets the Jugendamt start a dry run of an allocation round.
func (p *portal) roundPage(w http.ResponseWriter, r *http.Request, _ access.Actor, _ session) {
	rounds := make([]int, maxRounds)
	for i := range rounds {
		rounds[i] = i + 1
	}
	p.render(w, r, http.StatusOK, "round", "round_title", struct {
		Years  []string
		Rounds []int
	}{p.homeData().Years, rounds}, nil)
}

// dryRun runs the round as a dry run and shows its draft.
func (p *portal) dryRun(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	round, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("round")))
	if err != nil || round < 1 || round > maxRounds {
		p.render(w, r, http.StatusUnprocessableEntity, "error", "error_title", p.texts.T(p.texts.lang(r), "round_number_invalid", nil), nil)
		return
	}
	d, err := p.app.Registrations.DryRun(r.Context(), a, r.PostForm.Get("year"), app.RoundOptions{Round: round})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/round/drafts/"+url.PathEscape(d.ID), http.StatusSeeOther)
}

// draftPage shows a dry run: its statistics, the families whose outcome
// changed with each child's positions, and the button that publishes it
// (while it is unpublished).
func (p *portal) draftPage(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	d, err := p.app.Registrations.Draft(r.Context(), a, r.PathValue("id"))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	placed := 0
	for _, k := range d.Result.Placements {
		if k != "" {
			placed++
		}
	}
	shown := d.Changes[:min(len(d.Changes), maxChangesShown)]
	p.render(w, r, http.StatusOK, "draft", "draft_title", struct {
		Draft   app.Draft
		Offers  int
		Changes []app.DraftChange
		More    int
		Names   map[string]string
	}{d, placed, shown, len(d.Changes) - len(shown), p.kitaNames()}, nil)
}

// publishDraft writes the draft's offers (once) and shows it published.
func (p *portal) publishDraft(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	id := r.PathValue("id")
	if _, err := p.app.Registrations.Publish(r.Context(), a, id); err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/round/drafts/"+url.PathEscape(id), http.StatusSeeOther)
}

// positions returns, per application id, the child's positions on its
// Kitas' lists after the last published round it took part in; an
// application without one (no round published yet) has none.
func (p *portal) positions(r *http.Request, a access.Actor, apps []registration.Application) (map[string]*app.RoundPositions, error) {
	out := map[string]*app.RoundPositions{}
	for _, x := range apps {
		pos, err := p.app.Registrations.Positions(r.Context(), a, x.ID)
		if errors.Is(err, app.ErrNoRound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[x.ID] = &pos
	}
	return out, nil
}
