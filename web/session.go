package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/kitaportal/kitaportal/access"
)

// sessionCookie is the name of the signed session cookie; langCookie holds
// the language a visitor picked.
const (
	sessionCookie = "kp_session"
	langCookie    = "kp_lang"
	sessionTTL    = 8 * time.Hour
)

// errSession: a session cookie is missing, malformed, expired or not signed
// by this portal's key.
var errSession = errors.New("web: no valid session")

// session is what the signed cookie carries: the actor, a random nonce the
// CSRF token is bound to, and the expiry. No personal data: ids only.
type session struct {
	Role     int    `json:"r"`
	ID       string `json:"i"`
	Family   string `json:"f,omitempty"`
	Carrier  string `json:"c,omitempty"`
	District string `json:"d,omitempty"`
	Nonce    string `json:"n"`
	Expires  int64  `json:"e"`
}

func (s session) actor() access.Actor {
	return access.Actor{Role: access.Role(s.Role), ID: s.ID, FamilyID: s.Family, CarrierID: s.Carrier, District: s.District}
}

// sessions signs and verifies session cookies with HMAC-SHA256.
type sessions struct {
	key   []byte
	clock func() time.Time
}

func (m sessions) mac(msg string) []byte {
	h := hmac.New(sha256.New, m.key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// encode returns the cookie value "payload.signature" (both base64url).
func (m sessions) encode(s session) string {
	b, _ := json.Marshal(s) // a struct of strings and ints always marshals
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.mac(payload))
}

// decode verifies a cookie value and returns its session.
func (m sessions) decode(v string) (session, error) {
	payload, sig, ok := strings.Cut(v, ".")
	if !ok || len(v) > 4096 {
		return session{}, errSession
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, m.mac(payload)) {
		return session{}, errSession
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return session{}, errSession
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil || s.Nonce == "" {
		return session{}, errSession
	}
	if m.clock().Unix() > s.Expires || !s.actor().Valid() {
		return session{}, errSession
	}
	return s, nil
}

// newSession starts a session for an actor.
func (m sessions) newSession(a access.Actor) session {
	return session{
		Role: int(a.Role), ID: a.ID, Family: a.FamilyID, Carrier: a.CarrierID, District: a.District,
		Nonce: randomToken(), Expires: m.clock().Add(sessionTTL).Unix(),
	}
}

// csrf returns the form token of a session: a MAC over its nonce, so a
// token is valid for one session only and cannot be forged without the key.
func (m sessions) csrf(s session) string {
	return base64.RawURLEncoding.EncodeToString(m.mac("csrf:" + s.Nonce))
}

// checkCSRF compares a submitted token with the session's in constant time.
func (m sessions) checkCSRF(s session, token string) bool {
	return subtle.ConstantTimeCompare([]byte(m.csrf(s)), []byte(token)) == 1
}

// cookie returns a cookie the portal sets: Secure, HttpOnly and
// SameSite=Lax always (Lax, not Strict, so that a link from the
// confirmation mail opens the status page logged in).
func cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	}
}

// randomToken returns 128 random bits, base64url.
func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
