package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
)

// preCookie holds the nonce that the demo login form's token is bound to
// (login CSRF), before any session exists.
const preCookie = "kp_pre"

// login starts a session through the Authenticator (the city's sign-on in
// front of the portal), through OpenID Connect in the browser (Options.OIDC),
// or points to the demo login.
func (p *portal) login(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if _, _, ok := p.actor(w, r); ok {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	if p.opts.OIDC != nil {
		p.oidcStart(w, r, next)
		return
	}
	if p.opts.Demo {
		http.Redirect(w, r, "/demo?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	p.render(w, r, http.StatusUnauthorized, "error", "error_title", p.texts.T(p.texts.lang(r), "login_failed", nil), nil)
}

func (p *portal) logout(w http.ResponseWriter, r *http.Request) {
	s, err := p.session(r)
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err == nil && r.ParseForm() == nil && p.sessions.checkCSRF(s, r.PostForm.Get("csrf")) {
		http.SetCookie(w, cookie(sessionCookie, "", -1))
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// demoData are the choices of the demo login.
type demoData struct {
	Token, Next string
	Carriers    []kita.Carrier
	Districts   []string
}

// demo shows the demo login: pick a role. It exists only with Options.Demo.
func (p *portal) demo(w http.ResponseWriter, r *http.Request) {
	s := session{Nonce: randomToken()}
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: s.Nonce, Path: "/demo", MaxAge: 3600, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	d := demoData{Token: p.sessions.csrf(s), Next: localPath(r.URL.Query().Get("next"))}
	seen := map[string]bool{}
	for _, k := range p.app.Catalogue.All() {
		if !seen[k.Carrier.ID] {
			seen[k.Carrier.ID] = true
			d.Carriers = append(d.Carriers, k.Carrier)
		}
	}
	slices.SortFunc(d.Carriers, func(a, b kita.Carrier) int { return compareStrings(a.Name, b.Name) })
	for _, x := range p.app.Profile.Districts.All() {
		d.Districts = append(d.Districts, x.ID)
	}
	p.render(w, r, http.StatusOK, "demo", "demo_title", d, nil)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// demoLogin starts a session for the picked role: a new family (fresh
// ids), a carrier's staff, a district's Fachberatung or the Jugendamt.
func (p *portal) demoLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	c, err := r.Cookie(preCookie)
	if err != nil || r.ParseForm() != nil || !p.sessions.checkCSRF(session{Nonce: c.Value}, r.PostForm.Get("csrf")) {
		p.render(w, r, http.StatusForbidden, "error", "error_title", p.texts.T(p.texts.lang(r), "error_csrf", nil), nil)
		return
	}
	id := "demo-" + randomToken()
	var a access.Actor
	next := "/"
	switch r.PostForm.Get("role") {
	case "guardian":
		a, next = access.NewGuardian(id, "family-"+randomToken()), "/status"
	case "carrier":
		a, next = access.NewCarrierStaff(id, r.PostForm.Get("carrier")), "/staff/carrier"
	case "fachberatung":
		a, next = access.NewFachberatung(id, r.PostForm.Get("district")), "/staff/referrals"
	case "jugendamt":
		a, next = access.NewJugendamt(id), "/staff/round"
	}
	if !a.Valid() {
		p.render(w, r, http.StatusUnprocessableEntity, "error", "error_title", p.texts.T(p.texts.lang(r), "demo_role_invalid", nil), nil)
		return
	}
	if n := localPath(r.PostForm.Get("next")); n != "/" {
		next = n
	}
	p.start(w, a)
	http.SetCookie(w, &http.Cookie{Name: preCookie, Path: "/demo", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, next, http.StatusSeeOther)
}
