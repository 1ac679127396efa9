package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/auth"
	"github.com/kitaportal/kitaportal/auth/authtest"
)

func request(token string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

func TestOIDC(t *testing.T) {
	is := authtest.New(t)
	a, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: is.URL, ClientID: "kitaportal", RoleClaim: "groups",
		Roles: map[string]access.Role{
			"eltern": access.Guardian, "traeger": access.CarrierStaff,
			"fachberatung": access.Fachberatung, "jugendamt": access.Jugendamt,
		},
		FamilyClaim: "family", CarrierClaim: "carrier", DistrictClaim: "district",
	})
	require.NoError(t, err)
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)

	good := []struct {
		name   string
		claims map[string]any
		want   access.Actor
	}{
		{"a parent's token names the family", map[string]any{"groups": []string{"other", "eltern"}, "family": "fam-1"}, access.NewGuardian("user-1", "fam-1")},
		{"a carrier's token names the carrier", map[string]any{"groups": "traeger", "carrier": "awo"}, access.NewCarrierStaff("user-1", "awo")},
		{"a Fachberatung's token names the district", map[string]any{"groups": []string{"fachberatung"}, "district": "3"}, access.NewFachberatung("user-1", "3")},
		{"a Jugendamt token needs no scope", map[string]any{"groups": "jugendamt"}, access.NewJugendamt("user-1")},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			got, err := a.Authenticate(request(is.Token(t, is.Key, tc.claims)))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	bad := []struct {
		name  string
		token func(t *testing.T) string
	}{
		{"a token signed by another key is refused", func(t *testing.T) string {
			return is.Token(t, otherKey, map[string]any{"groups": "jugendamt"})
		}},
		{"a token for another client is refused", func(t *testing.T) string {
			return is.Token(t, is.Key, map[string]any{"groups": "jugendamt", "aud": "other-app"})
		}},
		{"an expired token is refused", func(t *testing.T) string {
			return is.Token(t, is.Key, map[string]any{"groups": "jugendamt", "exp": time.Now().Add(-time.Hour).Unix()})
		}},
		{"a token of another issuer is refused", func(t *testing.T) string {
			return is.Token(t, is.Key, map[string]any{"groups": "jugendamt", "iss": "https://elsewhere.example"})
		}},
		{"a token without a known role is refused", func(t *testing.T) string {
			return is.Token(t, is.Key, map[string]any{"groups": []string{"admin"}})
		}},
		{"a parent's token without a family is refused", func(t *testing.T) string {
			return is.Token(t, is.Key, map[string]any{"groups": "eltern"})
		}},
		{"a token asking for the system role through a claim is refused", func(t *testing.T) string {
			return is.Token(t, is.Key, map[string]any{"groups": "system"})
		}},
		{"garbage is refused", func(*testing.T) string { return "not-a-jwt" }},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.Authenticate(request(tc.token(t)))
			assert.ErrorIs(t, err, auth.ErrUnauthenticated)
		})
	}
	t.Run("a request without credentials is anonymous", func(t *testing.T) {
		_, err := a.Authenticate(request(""))
		assert.ErrorIs(t, err, auth.ErrNoCredentials)
	})
}

func TestOIDCLoginActor(t *testing.T) {
	is := authtest.New(t)
	a, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{
		Issuer: is.URL, ClientID: authtest.ClientID, RoleClaim: "groups",
		Roles: map[string]access.Role{"eltern": access.Guardian}, FamilyClaim: "family",
	})
	require.NoError(t, err)
	assert.Equal(t, is.URL+"/token", a.Endpoint().TokenURL)
	claims := map[string]any{"groups": "eltern", "family": "fam-1", "nonce": "n-1"}
	t.Run("the login's ID token maps to the actor as a bearer token does", func(t *testing.T) {
		tok := is.Token(t, is.Key, claims)
		got, err := a.LoginActor(context.Background(), tok, "n-1")
		require.NoError(t, err)
		assert.Equal(t, access.NewGuardian("user-1", "fam-1"), got)
		bearer, err := a.Authenticate(request(tok))
		require.NoError(t, err)
		assert.Equal(t, bearer, got)
	})
	t.Run("another nonce, or none, is refused", func(t *testing.T) {
		tok := is.Token(t, is.Key, claims)
		for _, nonce := range []string{"n-2", ""} {
			_, err := a.LoginActor(context.Background(), tok, nonce)
			assert.ErrorIs(t, err, auth.ErrUnauthenticated)
		}
	})
}

func TestNewOIDCRefusesAnIncompleteConfiguration(t *testing.T) {
	_, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: "https://idp.example", ClientID: "kitaportal"})
	assert.ErrorIs(t, err, auth.ErrConfig)
	_, err = auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: "https://idp.example", ClientID: "x", RoleClaim: "r", Roles: map[string]access.Role{"root": access.System}})
	assert.ErrorIs(t, err, auth.ErrConfig)
}

func TestDev(t *testing.T) {
	t.Run("it is refused unless enabled", func(t *testing.T) {
		_, err := auth.NewDev(false)
		assert.ErrorIs(t, err, auth.ErrDevDisabled)
	})
	d, err := auth.NewDev(true)
	require.NoError(t, err)
	for _, a := range []access.Actor{access.NewGuardian("g1", "f1"), access.NewCarrierStaff("c1", "awo"), access.NewFachberatung("fb", "3"), access.NewJugendamt("amt")} {
		t.Run("it reads back the token of a "+a.Role.String(), func(t *testing.T) {
			got, err := d.Authenticate(request(d.Token(a)))
			require.NoError(t, err)
			assert.Equal(t, a, got)
		})
	}
	for _, tok := range []string{"dev:system:s", "dev:guardian:g1", "dev:boss:x:y", "x:guardian:g:f", "dev:guardian:g:f:extra"} {
		t.Run("it refuses "+tok, func(t *testing.T) {
			_, err := d.Authenticate(request(tok))
			assert.ErrorIs(t, err, auth.ErrUnauthenticated)
		})
	}
	t.Run("another scheme is refused", func(t *testing.T) {
		r := request("")
		r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
		_, err := d.Authenticate(r)
		assert.ErrorIs(t, err, auth.ErrUnauthenticated)
	})
}
