package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/problem"
)

//go:embed templates static
var assets embed.FS

// Authenticator turns a request into an actor: the same interface the JSON
// API's authenticators satisfy (a city's single sign-on, a reverse proxy's
// verified header). The portal asks it when a request carries no session
// and keeps the actor it returns in a signed session cookie.
type Authenticator interface {
	Authenticate(r *http.Request) (access.Actor, error)
}

// Options configure the portal's pages.
type Options struct {
	// SessionKey signs session cookies and form tokens; at least 32
	// random bytes, the same on every instance behind one address.
	SessionKey []byte
	// Authenticator logs people in; nil means only the demo login
	// (when Demo is set) can start a session.
	Authenticator Authenticator
	// OIDC enables the login through OpenID Connect in the browser
	// (/login sends the visitor to the provider, /login/callback starts
	// the session); nil: none.
	OIDC *OIDCLogin
	// Demo enables /demo: pick a role (a new family's guardian, a
	// carrier's staff, a district's Fachberatung, the Jugendamt) without a
	// password. Never in production.
	Demo bool
	// Locales overrides page and problem texts: files pages.<lang>.toml
	// and problems.<lang>.toml (nil: the built-in texts only).
	Locales fs.FS
	// Logger receives operational logs (no personal data); nil discards.
	Logger *slog.Logger
}

// Errors of [New].
var (
	// ErrOptions: the options lack what New needs.
	ErrOptions = errors.New("web: invalid options")
)

// Portal serves the pages.
type portal struct {
	app      *app.App
	opts     Options
	texts    *texts
	sessions sessions
	pages    map[string]*template.Template
	log      *slog.Logger
}

// New returns the portal's pages as one handler, to be mounted at "/". It
// fails without an app, with a session key shorter than 32 bytes, or with
// a malformed locale file.
func New(a *app.App, opts Options) (http.Handler, error) {
	if a == nil {
		return nil, errors.Join(ErrOptions, errors.New("web: no app"))
	}
	if len(opts.SessionKey) < 32 {
		return nil, errors.Join(ErrOptions, errors.New("web: the session key needs at least 32 bytes"))
	}
	if opts.Authenticator == nil && opts.OIDC == nil && !opts.Demo {
		return nil, errors.Join(ErrOptions, errors.New("web: neither an authenticator, an OIDC login nor the demo login: nobody could log in"))
	}
	if opts.OIDC != nil {
		if err := opts.OIDC.validate(); err != nil {
			return nil, errors.Join(ErrOptions, err)
		}
	}
	t, err := loadTexts(opts.Locales)
	if err != nil {
		return nil, err
	}
	p := &portal{app: a, opts: opts, texts: t, sessions: sessions{key: opts.SessionKey, clock: a.Now}, log: opts.Logger}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if err := p.parse(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /leichte-sprache", p.easy)
	mux.HandleFunc("GET /lang/{lang}", p.setLang)
	mux.HandleFunc("GET /kitas", p.search)
	mux.HandleFunc("GET /kitas/results", p.searchResults)
	mux.HandleFunc("GET /kitas/{id}", p.kita)
	mux.HandleFunc("GET /login", p.login)
	if opts.OIDC != nil {
		mux.HandleFunc("GET /login/callback", p.oidcCallback)
	}
	mux.HandleFunc("POST /logout", p.logout)
	if opts.Demo {
		mux.HandleFunc("GET /demo", p.demo)
		mux.HandleFunc("POST /demo", p.demoLogin)
	}
	mux.HandleFunc("GET /register", p.guardian(p.registerForm))
	mux.HandleFunc("POST /register", p.guardian(p.register))
	mux.HandleFunc("GET /register/{id}", p.guardian(p.confirmation))
	mux.HandleFunc("GET /status", p.guardian(p.status))
	mux.HandleFunc("POST /status/{id}/accept", p.guardian(p.answer(true)))
	mux.HandleFunc("POST /status/{id}/decline", p.guardian(p.answer(false)))
	mux.HandleFunc("POST /status/{id}/contract", p.guardian(p.contract))
	mux.HandleFunc("GET /status/{id}/choices", p.guardian(p.choicesForm))
	mux.HandleFunc("POST /status/{id}/choices", p.guardian(p.changeChoices))
	mux.HandleFunc("GET /status/{id}/withdraw", p.guardian(p.withdrawForm))
	mux.HandleFunc("POST /status/{id}/withdraw", p.guardian(p.withdraw))
	p.staffRoutes(mux)
	cop := http.NewCrossOriginProtection()
	return p.secure(cop.Handler(mux)), nil
}

// csp allows the portal's own style sheet and nothing inline.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// secure sets the security headers of every response.
func (p *portal) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

// parse reads the layout and one template per page.
func (p *portal) parse() error {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	p.pages = map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", n)
		if err != nil {
			return err
		}
		p.pages[base] = t
	}
	return nil
}

// view is what every page template sees.
type view struct {
	Lang, Dir, Path string
	Title           string
	CSRF            string
	Role            string
	Demo            bool
	Languages       []string
	Data            any
	Summary         []summaryItem

	t *texts
}

// T returns a page text; args are name/value pairs for its template
// ("Count" picks the plural form).
func (v *view) T(id string, args ...any) string {
	var data map[string]any
	if len(args) > 0 {
		data = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				data[k] = args[i+1]
			}
		}
	}
	return v.t.T(v.Lang, id, data)
}

// LangName returns a language's own name (for the language switch).
func (v *view) LangName(l string) string { return v.t.T(l, "lang_name", nil) }

// render writes a page; a failing template becomes a plain 500 page.
func (p *portal) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any, summary []summaryItem) {
	v := p.newView(r, title)
	v.Data, v.Summary = data, summary
	var buf bytes.Buffer
	if err := p.pages[page].Execute(&buf, v); err != nil {
		p.log.Error("web: render", "page", page, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// renderPart writes one named part of a page (a fragment without the
// layout) with the page's data.
func (p *portal) renderPart(w http.ResponseWriter, r *http.Request, page, part string, data any) {
	v := p.newView(r, page+"_title")
	v.Data = data
	var buf bytes.Buffer
	if err := p.pages[page].ExecuteTemplate(&buf, part, v); err != nil {
		p.log.Error("web: render", "page", page, "part", part, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

func (p *portal) newView(r *http.Request, title string) *view {
	lang := p.texts.lang(r)
	v := &view{Lang: lang, Dir: "ltr", Path: r.URL.Path, Demo: p.opts.Demo, Languages: Languages, t: p.texts}
	if rtl[lang] {
		v.Dir = "rtl"
	}
	v.Title = v.T(title)
	if s, err := p.session(r); err == nil {
		v.CSRF = p.sessions.csrf(s)
		v.Role = s.actor().Role.String()
	}
	return v
}

// fail renders an error page for err in the visitor's language, with the
// status its kind maps to (one switch for every error).
func (p *portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch problem.KindOf(err) {
	case problem.Invalid:
		status = http.StatusUnprocessableEntity
	case problem.NotFound:
		status = http.StatusNotFound
	case problem.Conflict, problem.Exists, problem.WrongState:
		status = http.StatusConflict
	case problem.Unavailable:
		status = http.StatusServiceUnavailable
	}
	if status == http.StatusInternalServerError {
		p.log.Error("web: request failed", "path", r.URL.Path, "code", string(problem.CodeOf(err)))
	}
	p.render(w, r, status, "error", "error_title", p.texts.errorText(err, p.texts.lang(r)), nil)
}

// session returns the request's valid session.
func (p *portal) session(r *http.Request) (session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, errSession
	}
	return p.sessions.decode(c.Value)
}

// actor returns the request's actor: from the session cookie, else from
// the Authenticator (which then starts a session).
func (p *portal) actor(w http.ResponseWriter, r *http.Request) (access.Actor, session, bool) {
	if s, err := p.session(r); err == nil {
		return s.actor(), s, true
	}
	if p.opts.Authenticator != nil {
		if a, err := p.opts.Authenticator.Authenticate(r); err == nil && a.Valid() {
			s := p.start(w, a)
			return a, s, true
		}
	}
	return access.Actor{}, session{}, false
}

// start sets a new session cookie for an actor.
func (p *portal) start(w http.ResponseWriter, a access.Actor) session {
	s := p.sessions.newSession(a)
	http.SetCookie(w, cookie(sessionCookie, p.sessions.encode(s), int(sessionTTL.Seconds())))
	return s
}

// handler is a page handler that knows its actor and session.
type handler func(w http.ResponseWriter, r *http.Request, a access.Actor, s session)

// with requires a session of one of the roles; a POST must carry the
// session's form token. Without a session the visitor goes to the login.
func (p *portal) with(roles []access.Role, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, s, ok := p.actor(w, r)
		if !ok {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if !roleIn(a.Role, roles) {
			p.fail(w, r, access.ErrDenied)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if err := r.ParseForm(); err != nil || !p.sessions.checkCSRF(s, r.PostForm.Get("csrf")) {
				w.Header().Set("Cache-Control", "no-store")
				p.render(w, r, http.StatusForbidden, "error", "error_title", p.texts.T(p.texts.lang(r), "error_csrf", nil), nil)
				return
			}
		}
		h(w, r, a, s)
	}
}

func roleIn(r access.Role, roles []access.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

func (p *portal) guardian(h handler) http.HandlerFunc {
	return p.with([]access.Role{access.Guardian}, h)
}

// setLang stores the visitor's language and goes back to the page.
func (p *portal) setLang(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if !isLang(l) {
		http.NotFound(w, r)
		return
	}
	http.SetCookie(w, cookie(langCookie, l, 365*24*3600))
	http.Redirect(w, r, localPath(r.URL.Query().Get("back")), http.StatusSeeOther)
}

func isLang(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// localPath returns back when it is a path of this site, else "/".
func localPath(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		return "/"
	}
	return back
}
