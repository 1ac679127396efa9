package web

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/kitaportal/kitaportal/access"
)

// OIDCProvider is what the browser login needs of an OpenID Connect
// provider: its endpoints and the actor of an ID token it issued with
// the login's nonce. auth.OIDC implements it, with the same mapping of
// claims to the actor as the JSON API's authenticator.
type OIDCProvider interface {
	Endpoint() oauth2.Endpoint
	LoginActor(ctx context.Context, rawIDToken, nonce string) (access.Actor, error)
}

// OIDCLogin configures the login through OpenID Connect in the browser:
// the authorization-code flow with PKCE (S256), a state bound to the
// browser and a nonce bound to the ID token.
type OIDCLogin struct {
	// Provider verifies ID tokens and maps their claims (auth.OIDC).
	Provider OIDCProvider
	// ClientID and ClientSecret are the portal's client at the provider
	// (the secret may be empty for a public client; PKCE protects the code).
	ClientID, ClientSecret string
	// RedirectURL is the callback as registered at the provider:
	// https://portal.example/login/callback.
	RedirectURL string
	// Scopes are asked for beside openid (for example profile, groups).
	Scopes []string
	// HTTPClient redeems the code (nil: http.DefaultClient).
	HTTPClient *http.Client
}

// validate reports a configuration that cannot log anyone in.
func (o *OIDCLogin) validate() error {
	u, err := url.Parse(o.RedirectURL)
	switch {
	case o.Provider == nil || o.ClientID == "":
		return errors.New("web: OIDC login needs a provider and a client id")
	case err != nil || !u.IsAbs() || u.Path != "/login/callback":
		return errors.New("web: OIDC login needs the absolute redirect URL ending in /login/callback")
	}
	return nil
}

func (o *OIDCLogin) config() *oauth2.Config {
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Endpoint: o.Provider.Endpoint(),
		RedirectURL: o.RedirectURL, Scopes: append([]string{"openid"}, o.Scopes...)}
}

// loginCookie holds, signed, what the callback checks: state, nonce,
// the PKCE verifier, where to go after, and the expiry. It is sent only
// to /login (SameSite=Lax: the provider's redirect back is a top-level
// navigation from another site).
const (
	loginCookie = "kp_login"
	loginTTL    = 10 * time.Minute
)

type loginState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Expires  int64  `json:"e"`
}

func (m sessions) encodeLogin(s loginState) string {
	b, _ := json.Marshal(s) // strings and an int always marshal
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.mac("login:"+payload))
}

func (m sessions) decodeLogin(v string) (loginState, bool) {
	payload, sig, ok := strings.Cut(v, ".")
	if !ok || len(v) > 2048 {
		return loginState{}, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || subtle.ConstantTimeCompare(got, m.mac("login:"+payload)) != 1 {
		return loginState{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var s loginState
	if err != nil || json.Unmarshal(b, &s) != nil || s.State == "" || s.Nonce == "" || s.Verifier == "" || m.clock().Unix() > s.Expires {
		return loginState{}, false
	}
	return s, true
}

// oidcStart sends the browser to the provider.
func (p *portal) oidcStart(w http.ResponseWriter, r *http.Request, next string) {
	s := loginState{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Next: next,
		Expires: p.sessions.clock().Add(loginTTL).Unix()}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: p.sessions.encodeLogin(s), Path: "/login", MaxAge: int(loginTTL.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	target := p.opts.OIDC.config().AuthCodeURL(s.State, oauth2.S256ChallengeOption(s.Verifier), oauth2.SetAuthURLParam("nonce", s.Nonce))
	http.Redirect(w, r, target, http.StatusFound)
}

// oidcCallback redeems the code with the PKCE verifier, checks state and
// nonce, and starts a session for the actor the ID token names. Any
// failure is the same "not logged in" page, logged by its step only.
func (p *portal) oidcCallback(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Path: "/login", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	refuse := func(step string) {
		p.log.Warn("web: login refused", "step", step)
		p.render(w, r, http.StatusUnauthorized, "error", "error_title", p.texts.T(p.texts.lang(r), "login_failed", nil), nil)
	}
	c, err := r.Cookie(loginCookie)
	if err != nil {
		refuse("no_login_state")
		return
	}
	s, ok := p.sessions.decodeLogin(c.Value)
	q := r.URL.Query()
	switch {
	case !ok:
		refuse("login_state_invalid")
		return
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(s.State)) != 1:
		refuse("state_mismatch")
		return
	case q.Get("error") != "" || q.Get("code") == "":
		refuse("provider_refused")
		return
	}
	ctx := r.Context()
	if p.opts.OIDC.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, p.opts.OIDC.HTTPClient)
	}
	tok, err := p.opts.OIDC.config().Exchange(ctx, q.Get("code"), oauth2.VerifierOption(s.Verifier))
	if err != nil {
		refuse("code_exchange")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	a, err := p.opts.OIDC.Provider.LoginActor(r.Context(), raw, s.Nonce)
	if err != nil || !a.Valid() {
		refuse("id_token")
		return
	}
	p.start(w, a)
	http.Redirect(w, r, localPath(s.Next), http.StatusSeeOther)
}
