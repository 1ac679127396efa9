package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// choicesData is the form that changes an application's ranked Kitas.
type choicesData struct {
	App     registration.Application
	Version int64
	Choices []string // one per rank, "" for an empty rank
	Kitas   []kita.Kita
}

// choicesForm shows the application's ranked Kitas to change (after
// submitting, until the allocation deadline).
func (p *portal) choicesForm(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	ap, err := p.app.Registrations.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "choices", "choices_title", p.choicesData(ap, ap.Version(), nil), nil)
}

func (p *portal) choicesData(ap registration.Application, version int64, choices []string) choicesData {
	if choices == nil {
		for _, c := range ap.Choices {
			choices = append(choices, c.KitaID)
		}
	}
	d := choicesData{App: ap, Version: version, Choices: make([]string, p.app.Profile.Registration.MaxChoices), Kitas: p.app.Catalogue.All()}
	copy(d.Choices, choices)
	return d
}

// changeChoices moves a choice up or down ("move" buttons, no script
// needed) or saves the ranked Kitas on the version the form was read at
// (app.IfVersion): a change made meanwhile, in another tab or by the
// Jugendamt, is shown in the error summary with the current choices, and
// so is every problem of the new choices.
func (p *portal) changeChoices(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	id := r.PathValue("id")
	choices := make([]string, p.app.Profile.Registration.MaxChoices)
	copy(choices, r.PostForm["kita"])
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil {
		version = 0 // matches no application: answered as a change made meanwhile
	}
	ap, err := p.app.Registrations.Get(r.Context(), a, id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if mv := r.PostForm.Get("move"); mv != "" {
		move(choices, mv)
		p.render(w, r, http.StatusOK, "choices", "choices_title", p.choicesData(ap, version, choices), nil)
		return
	}
	choices = closeUp(choices)
	var kitas []string
	for _, c := range choices {
		if c != "" {
			kitas = append(kitas, c)
		}
	}
	_, err = p.app.Registrations.ChangeChoices(r.Context(), a, id, kitas, app.IfVersion(version))
	if err == nil {
		http.Redirect(w, r, "/status", http.StatusSeeOther)
		return
	}
	lang := p.texts.lang(r)
	var list problem.List
	switch {
	case errors.As(err, &list):
		p.render(w, r, http.StatusUnprocessableEntity, "choices", "choices_title", p.choicesData(ap, version, choices), p.summary(list, lang))
	case errors.Is(err, app.ErrVersion):
		// The current choices, at the current version, with what happened.
		p.render(w, r, http.StatusConflict, "choices", "choices_title", p.choicesData(ap, ap.Version(), nil),
			[]summaryItem{{ID: "kitas-0", Text: p.texts.errorText(err, lang)}})
	case problem.KindOf(err) == problem.WrongState:
		p.render(w, r, http.StatusConflict, "choices", "choices_title", p.choicesData(ap, version, choices),
			[]summaryItem{{ID: "kitas-0", Text: p.texts.errorText(err, lang)}})
	default:
		p.fail(w, r, err)
	}
}

// progressView is a referral's progress with the days in the city's time
// zone.
type progressView struct {
	District                            string
	Status                              string
	Received, Contacted, Placed, Closed date.Date
	Start                               date.Date
	CloseReason                         string
}

// progress reads the progress of the Kindertagespflege referral of each
// application that asked for one, by application id.
func (p *portal) progress(r *http.Request, a access.Actor, apps []registration.Application) (map[string]*progressView, error) {
	out := map[string]*progressView{}
	loc := p.app.Now().Location()
	day := func(t time.Time) date.Date {
		if t.IsZero() {
			return date.Date{}
		}
		return date.NewAt(t.In(loc))
	}
	for _, ap := range apps {
		if ap.TP == nil {
			continue
		}
		pr, err := p.app.Referrals.Progress(r.Context(), a, ap.ID)
		if errors.Is(err, app.ErrNoReferral) {
			continue
		}
		if err != nil {
			return nil, err
		}
		v := progressView{District: pr.District, Status: pr.Status.String(), Received: day(pr.Received), Contacted: day(pr.Contacted),
			Placed: day(pr.Placed), Closed: day(pr.Closed), Start: pr.Start}
		if pr.CloseReason.Valid() {
			v.CloseReason = pr.CloseReason.String()
		}
		out[ap.ID] = &v
	}
	return out, nil
}
