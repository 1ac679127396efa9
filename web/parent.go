package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rickb777/date"
	"github.com/shopspring/decimal"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// homeData are the facts of the start page, all from the city's profile.
type homeData struct {
	City       string
	MaxChoices int
	Deadline   string
	Notice     int
	OfferDays  int
	Years      []string
}

func (p *portal) homeData() homeData {
	rules := p.app.Profile.Registration
	today := date.NewAt(p.app.Now())
	cur := rules.Calendar.YearOf(today)
	d := homeData{
		City: p.app.Profile.Name, MaxChoices: rules.MaxChoices, Notice: rules.NoticeMonths, OfferDays: rules.OfferDays,
		Deadline: strconv.Itoa(rules.Deadline.Day) + "." + strconv.Itoa(int(rules.Deadline.Month)) + ".",
	}
	for y, i := cur, 0; i <= rules.YearsAhead; y, i = y.Next(), i+1 {
		d.Years = append(d.Years, y.Label())
	}
	return d
}

func (p *portal) home(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "home", "home_title", p.homeData(), nil)
}

// easy is the start page in Leichte Sprache (easy-to-read German, always
// German: it is a form of German).
func (p *portal) easy(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "easy", "ls_title", p.homeData(), nil)
}

// searchData is the search form as typed and its results.
type searchData struct {
	Form      url.Values
	Districts []district.District
	Hours     kita.HoursOptions
	Hits      []kita.Hit
	Total     int
	Searched  bool
	Problem   string
	NearNote  bool
	// Houses: the city has house coordinates, so the form asks for street
	// and house number and measures from the address.
	Houses bool
	// From says where distances are measured from: "address" or
	// "postal_code" (empty: not ordered by distance).
	From     string
	Points   []point
	Outlines []outline
}

// search finds Kitas by district, the child's age at the start, hours and
// distance from an address: the address's official house coordinate when
// the city names house coordinates (district.Directory.Houses), else the
// mean location of the catalogue's Kitas in the address's postal code. The
// page says which.
func (p *portal) search(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "search", "search_title", p.searchData(r), nil)
}

// searchResults is the search page's results alone, the same
// server-rendered fragment the page shows: the live search's script
// (static/app.js) puts it into the page as the parent types; without the
// script the form's button loads the whole page.
func (p *portal) searchResults(w http.ResponseWriter, r *http.Request) {
	p.renderPart(w, r, "search", "results", p.searchData(r))
}

// searchData reads the search form and runs the search.
func (p *portal) searchData(r *http.Request) searchData {
	f := r.URL.Query()
	houses := p.app.Profile.Districts.Houses()
	d := searchData{Form: f, Districts: p.app.Profile.Districts.All(), Hours: p.app.Profile.Registration.Hours, Houses: houses != nil}
	q := kita.Query{District: f.Get("district"), Limit: kita.MaxLimit}
	lang := p.texts.lang(r)
	var bad []string
	if h := f.Get("hours"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil {
			bad = append(bad, "hours")
		}
		q.Hours = kita.Hours(n)
	}
	if b := f.Get("birth"); b != "" {
		birth, err1 := kita.ParseDate(b)
		start, err2 := kita.ParseDate(f.Get("start"))
		if err1 != nil || err2 != nil {
			bad = append(bad, "birth")
		} else {
			q.Child = &kita.ChildAt{Birth: birth, On: start}
		}
	}
	pc := strings.TrimSpace(f.Get("postal_code"))
	street, number := strings.TrimSpace(f.Get("street")), strings.TrimSpace(f.Get("house_number"))
	var near geo.Point
	switch {
	case (street != "" || number != "") && houses == nil:
		bad = append(bad, "address_unavailable")
	case street != "" || number != "":
		pt, ok := houses.Locate(geo.Address{Street: street, HouseNumber: number, PostalCode: pc})
		switch {
		case street == "" || number == "" || pc == "":
			bad = append(bad, "address_incomplete")
		case !ok:
			bad = append(bad, "address_unknown")
		default:
			near, d.From = pt, "address"
		}
	case pc != "":
		pt, ok := p.postalPoint(pc)
		if !ok {
			bad = append(bad, "postal_code")
		} else {
			near, d.From = pt, "postal_code"
		}
	}
	if d.From != "" {
		q.Near, d.NearNote = &near, true
		if km, err := strconv.ParseFloat(f.Get("radius"), 64); err == nil && km > 0 {
			q.RadiusKm = km
		}
	}
	if len(bad) > 0 {
		d.Problem = p.texts.T(lang, "search_problem_"+bad[0], nil)
	} else if err := q.Validate(); err != nil {
		d.Problem = p.texts.errorText(err, lang)
	} else {
		page := p.app.Catalogue.Search(q)
		d.Hits, d.Total, d.Searched = page.Items, page.Total, len(f) > 0
		d.Points, d.Outlines = picture(p.app.Catalogue.All(), page.Items, p.app.Profile.Districts.Areas(), p.districtName, &p.outlines)
	}
	return d
}

// districtName is the name of the profile's district with that id.
func (p *portal) districtName(id string) string {
	if d, ok := p.app.Profile.Districts.Get(id); ok {
		return d.Name
	}
	return id
}

// postalPoint is the mean location of the Kitas with that postal code.
func (p *portal) postalPoint(pc string) (geo.Point, bool) {
	var lat, lon float64
	n := 0
	for _, k := range p.app.Catalogue.All() {
		if k.Address.PostalCode == pc && k.Location.Valid() && !k.Location.IsZero() {
			lat, lon, n = lat+k.Location.Lat, lon+k.Location.Lon, n+1
		}
	}
	if n == 0 {
		return geo.Point{}, false
	}
	return geo.Point{Lat: lat / float64(n), Lon: lon / float64(n)}, true
}

func (p *portal) kita(w http.ResponseWriter, r *http.Request) {
	k, ok := p.app.Catalogue.Get(r.PathValue("id"))
	if !ok {
		p.fail(w, r, kita.ErrNotFound)
		return
	}
	dn := p.districtName(k.District)
	p.render(w, r, http.StatusOK, "kita", "kita_title", struct {
		Kita         kita.Kita
		DistrictName string
	}{k, dn}, nil)
}

// status shows the family's applications with their positions on each
// Kita's list after the last published round, an open offer with its
// deadline, accept and decline, the contract, and the messages received.
func (p *portal) status(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	var apps []registration.Application
	msgs, err := p.messagesAfter(r, a, func() (err error) {
		apps, err = p.app.Registrations.List(r.Context(), a, registration.Query{FamilyID: a.FamilyID})
		return err
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	slices.Reverse(msgs) // newest first
	progress, err := p.progress(r, a, apps)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	positions, err := p.positions(r, a, apps)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "status", "status_title", struct {
		Apps      []registration.Application
		Messages  []app.Message
		Names     map[string]string
		Err       string
		Progress  map[string]*progressView
		Positions map[string]*app.RoundPositions
	}{apps, msgs, p.kitaNames(), r.URL.Query().Get("err"), progress, positions}, nil)
}

// kitaNames maps every Kita id to its name.
func (p *portal) kitaNames() map[string]string {
	m := map[string]string{}
	for _, k := range p.app.Catalogue.All() {
		m[k.ID] = k.Name
	}
	return m
}

// answer accepts or declines the offer. Accepting with the checkbox
// keep_waiting (value "true") keeps the better choices waiting (an
// upgrade); any other value is refused and changes nothing.
func (p *portal) answer(accept bool) handler {
	return func(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
		var err error
		if accept {
			keep := r.PostForm.Get("keep_waiting")
			if keep != "" && keep != "true" {
				p.render(w, r, http.StatusUnprocessableEntity, "error", "error_title", p.texts.T(p.texts.lang(r), "offer_keep_waiting_invalid", nil), nil)
				return
			}
			_, err = p.app.Registrations.AcceptWith(r.Context(), a, r.PathValue("id"), registration.AcceptOptions{KeepWaiting: keep == "true"})
		} else {
			_, err = p.app.Registrations.Decline(r.Context(), a, r.PathValue("id"))
		}
		if err != nil {
			p.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/status", http.StatusSeeOther)
	}
}

// withdrawForm asks once more before an application is withdrawn (a
// second step instead of a script's confirm dialog).
func (p *portal) withdrawForm(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	ap, err := p.app.Registrations.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "withdraw", "withdraw_title", ap, nil)
}

// withdraw withdraws the application at the family's request.
func (p *portal) withdraw(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	if _, err := p.app.Registrations.Withdraw(r.Context(), a, r.PathValue("id")); err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/status", http.StatusSeeOther)
}

// contract generates the care contract of an accepted place and sends it
// as PDF; the income is asked on the status page (for the fee bracket).
func (p *portal) contract(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	income, err := decimal.NewFromString(strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get("income"), ",", ".")))
	if err != nil || income.IsNegative() {
		p.render(w, r, http.StatusUnprocessableEntity, "error", "error_title", p.texts.T(p.texts.lang(r), "contract_income_invalid", nil), nil)
		return
	}
	c, err := p.app.Contracts.Generate(r.Context(), a, app.ContractRequest{
		ApplicationID: r.PathValue("id"), Income: income, MealPlan: r.PostForm.Get("meals") == "on",
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := p.app.Contracts.Render(&buf, c); err != nil {
		p.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="betreuungsvertrag.pdf"`)
	_, _ = buf.WriteTo(w)
}

// messagesAfter runs first, then reads the messages the family received.
func (p *portal) messagesAfter(r *http.Request, a access.Actor, first func() error) ([]app.Message, error) {
	if err := first(); err != nil {
		return nil, err
	}
	return p.app.Registrations.Messages(r.Context(), a, a.FamilyID)
}

// confirmation shows the reference and the confirmation message's text,
// exactly as the family receives it by mail.
func (p *portal) confirmation(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	var ap registration.Application
	msgs, err := p.messagesAfter(r, a, func() (err error) {
		ap, err = p.app.Registrations.Get(r.Context(), a, r.PathValue("id"))
		return err
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var mail *app.Message
	for i := range msgs {
		if msgs[i].Kind == notify.Confirmation && strings.Contains(msgs[i].Subject, ap.Reference) {
			mail = &msgs[i]
		}
	}
	p.render(w, r, http.StatusOK, "confirmation", "confirmation_title", struct {
		App  registration.Application
		Mail *app.Message
	}{ap, mail}, nil)
}
