package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

func (p *portal) staffRoutes(mux *http.ServeMux) {
	carrier := []access.Role{access.CarrierStaff}
	fb := []access.Role{access.Fachberatung}
	ja := []access.Role{access.Jugendamt}
	mux.HandleFunc("GET /staff/carrier", p.with(carrier, p.carrierInbox))
	mux.HandleFunc("POST /staff/carrier/offer", p.with(carrier, p.carrierOffer))
	mux.HandleFunc("POST /staff/carrier/free", p.with(carrier, p.carrierFree))
	mux.HandleFunc("POST /staff/carrier/profile", p.with(carrier, p.carrierProfile))
	mux.HandleFunc("GET /staff/referrals", p.with(fb, p.referrals))
	mux.HandleFunc("POST /staff/referrals/{id}/{step}", p.with(fb, p.referralStep))
	mux.HandleFunc("GET /staff/round", p.with(ja, p.roundPage))
	mux.HandleFunc("POST /staff/round", p.with(ja, p.dryRun))
	mux.HandleFunc("GET /staff/round/drafts/{id}", p.with(ja, p.draftPage))
	mux.HandleFunc("POST /staff/round/drafts/{id}/publish", p.with(ja, p.publishDraft))
	mux.HandleFunc("GET /staff/report", p.with(ja, p.report))
	mux.HandleFunc("GET /staff/report.csv", p.with(ja, p.reportCSV))
}

// carrierInbox lists the applications that chose the carrier's Kitas, in
// the Kita view (no other choices, no rank, no hardship reason), and the
// carrier's Kitas with their free places.
func (p *portal) carrierInbox(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	apps, err := p.app.Registrations.List(r.Context(), a, registration.Query{})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var own []kita.Kita
	for _, k := range p.app.Catalogue.All() {
		if k.Carrier.ID == a.CarrierID {
			own = append(own, k)
		}
	}
	p.render(w, r, http.StatusOK, "carrier", "carrier_title", struct {
		Apps  []registration.Application
		Kitas []kita.Kita
		Names map[string]string
	}{apps, own, p.kitaNames()}, nil)
}

func (p *portal) carrierOffer(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	if _, err := p.app.Registrations.Offer(r.Context(), a, r.PostForm.Get("application"), r.PostForm.Get("kita")); err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/carrier", http.StatusSeeOther)
}

func (p *portal) carrierFree(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	u3, err1 := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("u3")))
	o3, err2 := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("o3")))
	if err1 != nil || err2 != nil {
		p.render(w, r, http.StatusUnprocessableEntity, "error", "error_title", p.texts.T(p.texts.lang(r), "free_invalid", nil), nil)
		return
	}
	if err := p.app.Catalogue.ReportFreePlaces(r.Context(), a, r.PostForm.Get("kita"), kita.Capacity{Under3: u3, From3: o3}); err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/carrier", http.StatusSeeOther)
}

// carrierProfile replaces the public profile of one of the carrier's
// Kitas (head, text, concept, languages); the catalogue checks the limits.
func (p *portal) carrierProfile(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	id, f := r.PostForm.Get("kita"), r.PostForm
	k, ok := p.app.Catalogue.Get(id)
	if !ok {
		p.fail(w, r, kita.ErrNotFound)
		return
	}
	prof := k.Profile
	prof.Head, prof.Text, prof.Concept = strings.TrimSpace(f.Get("head")), strings.TrimSpace(f.Get("text")), strings.TrimSpace(f.Get("concept"))
	prof.Languages = nil
	for _, l := range strings.Split(f.Get("languages"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			prof.Languages = append(prof.Languages, l)
		}
	}
	if err := p.app.Catalogue.UpdateProfile(r.Context(), a, id, prof); err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/carrier", http.StatusSeeOther)
}

// referrals is the Fachberatung's inbox of its district.
func (p *portal) referrals(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	refs, err := p.app.Referrals.List(r.Context(), a, a.District, 0, 0)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	minders, err := p.app.Referrals.Minders(r.Context(), a, a.District)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	free, err := p.app.Referrals.FreePlaces(r.Context(), a, a.District)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var reasons []tagespflege.CloseReason
	for c := tagespflege.CloseReason(1); c.Valid(); c++ {
		reasons = append(reasons, c)
	}
	p.render(w, r, http.StatusOK, "referrals", "referrals_title", struct {
		Refs    []tagespflege.Referral
		Minders []tagespflege.Minder
		Free    int
		Reasons []tagespflege.CloseReason
		Today   string
	}{refs, minders, free, reasons, date.NewAt(p.app.Now()).Format("2006-01-02")}, nil)
}

// referralStep runs one step of a referral: contacted, place, close.
func (p *portal) referralStep(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	id, f := r.PathValue("id"), r.PostForm
	var err error
	switch r.PathValue("step") {
	case "contacted":
		_, err = p.app.Referrals.MarkContacted(r.Context(), a, id, f.Get("note"))
	case "place":
		start, perr := kita.ParseDate(f.Get("start"))
		if perr != nil {
			p.render(w, r, http.StatusUnprocessableEntity, "error", "error_title", p.texts.T(p.texts.lang(r), "date_invalid", nil), nil)
			return
		}
		_, err = p.app.Referrals.Place(r.Context(), a, id, f.Get("minder"), start)
	case "close":
		n, _ := strconv.Atoi(f.Get("reason"))
		_, err = p.app.Referrals.Close(r.Context(), a, id, tagespflege.CloseReason(n))
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/staff/referrals", http.StatusSeeOther)
}

// report shows the year's figures with SVG charts.
func (p *portal) report(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	year := p.year(r)
	rep, err := p.app.Reports.Year(r.Context(), a, year)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "report", "report_title", struct {
		Years  []string
		Year   string
		Report app.YearReport
		Demand chart
		First  chart
	}{p.homeData().Years, year, rep, demandChart(rep, p.app.Profile.Districts), rateChart(rep.FirstChoiceRate, rep.PlacedRate)}, nil)
}

func (p *portal) year(r *http.Request) string {
	if y := r.URL.Query().Get("year"); y != "" {
		return y
	}
	return p.homeData().Years[0]
}

func (p *portal) reportCSV(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	rep, err := p.app.Reports.Year(r.Context(), a, p.year(r))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="nachfrage.csv"`)
	_ = rep.WriteDemandCSV(w)
}
