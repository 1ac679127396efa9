// Package authtest starts an OpenID Connect provider inside a test: it
// serves discovery and its keys, signs ID tokens with a test key, and runs
// the authorization-code flow with PKCE (S256) and a nonce that a
// browser login takes. Tests of package auth, of the HTTP API and of the
// portal's pages log in against it; nothing leaves the machine.
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// ClientID and ClientSecret are the client the Issuer knows.
const (
	ClientID     = "kitaportal"
	ClientSecret = "test-secret"
)

// Issuer is a running OpenID Connect provider.
type Issuer struct {
	// URL is the issuer's URL (its discovery document lies below it).
	URL string
	// Key signs the ID tokens; its public half is served as the key set.
	Key *rsa.PrivateKey

	srv            *httptest.Server
	mu             sync.Mutex
	user           map[string]any
	codes          map[string]grant
	authorizations int
}

// grant is an authorization code not yet redeemed.
type grant struct {
	nonce, challenge, redirect string
	claims                     map[string]any
}

// New starts an issuer; it stops when the test ends. The user who logs
// in through the authorization endpoint has the claims set by LogInAs.
func New(tb testing.TB) *Issuer {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	is := &Issuer{Key: key, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": is.URL, "jwks_uri": is.URL + "/keys",
			"authorization_endpoint": is.URL + "/auth", "token_endpoint": is.URL + "/token",
			"response_types_supported": []string{"code"}, "code_challenge_methods_supported": []string{"S256"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "test", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /auth", is.authorize)
	mux.HandleFunc("POST /token", is.token)
	is.srv = httptest.NewServer(mux)
	is.URL = is.srv.URL
	tb.Cleanup(is.srv.Close)
	return is
}

// LogInAs sets the claims of the user who logs in next (beside iss, aud,
// sub "user-1", iat, exp and the nonce).
func (is *Issuer) LogInAs(claims map[string]any) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.user = claims
}

// Authorizations returns how many authorization requests the issuer saw.
func (is *Issuer) Authorizations() int {
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.authorizations
}

// Token signs an ID token with key: the standard claims for ClientID,
// valid for an hour, overridden and extended by claims.
func (is *Issuer) Token(tb testing.TB, key *rsa.PrivateKey, claims map[string]any) string {
	tb.Helper()
	raw, err := is.sign(key, claims)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func (is *Issuer) sign(key *rsa.PrivateKey, claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "test").WithType("JWT"))
	if err != nil {
		return "", err
	}
	now := time.Now()
	base := map[string]any{"iss": is.URL, "aud": ClientID, "sub": "user-1", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	for k, v := range claims {
		base[k] = v
	}
	return jwt.Signed(signer).Claims(base).Serialize()
}

// authorize is the authorization endpoint: the user is logged in at once
// (as LogInAs said) and sent back with a code. It refuses a request
// without state, nonce or an S256 code challenge.
func (is *Issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	is.mu.Lock()
	is.authorizations++
	is.mu.Unlock()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme == "" || q.Get("client_id") != ClientID || q.Get("response_type") != "code" {
		http.Error(w, "invalid_request", http.StatusBadRequest)
		return
	}
	if q.Get("state") == "" || q.Get("nonce") == "" || q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		http.Error(w, "invalid_request: state, nonce and an S256 code challenge are required", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	is.mu.Lock()
	is.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: redirect.String(), claims: is.user}
	is.mu.Unlock()
	back := redirect.Query()
	back.Set("code", code)
	back.Set("state", q.Get("state"))
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token is the token endpoint: a code is redeemed once, by the client
// with its secret, with the redirect URI it was issued for and the
// verifier whose S256 hash is the challenge.
func (is *Issuer) token(w http.ResponseWriter, r *http.Request) {
	fail := func(e string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": e})
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "authorization_code" {
		fail("invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(ClientSecret)) != 1 {
		fail("invalid_client")
		return
	}
	is.mu.Lock()
	g, found := is.codes[r.PostForm.Get("code")]
	delete(is.codes, r.PostForm.Get("code"))
	is.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !found || g.redirect != r.PostForm.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		fail("invalid_grant")
		return
	}
	claims := map[string]any{"nonce": g.nonce}
	for k, v := range g.claims {
		claims[k] = v
	}
	idToken, err := is.sign(is.Key, claims)
	if err != nil {
		fail("server_error")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": rand.Text(), "token_type": "Bearer", "expires_in": 3600, "id_token": idToken,
	})
}
