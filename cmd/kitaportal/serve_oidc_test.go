package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/auth/authtest"
)

func TestServeOIDCLoginInTheBrowser(t *testing.T) {
	is := authtest.New(t)
	is.LogInAs(map[string]any{"groups": "amt"})
	t.Setenv("KITAPORTAL_SESSION_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	t.Setenv("KITAPORTAL_OIDC_CLIENT_SECRET", authtest.ClientSecret)
	var h http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	o, err := parseServe([]string{"-oidc-issuer", is.URL, "-oidc-client", authtest.ClientID, "-oidc-roles", "amt=jugendamt",
		"-mail", "memory", "-oidc-redirect", srv.URL + "/login/callback", "-oidc-scopes", "profile,groups"}, io.Discard)
	require.NoError(t, err)
	s, err := buildServe(context.Background(), o, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(s.close)
	h = s.handler

	jar, _ := cookiejar.New(nil)
	c := *srv.Client()
	c.Jar = jar
	res, err := c.Get(srv.URL + "/staff/round")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, string(body))
	assert.Equal(t, "/staff/round", res.Request.URL.Path)
	assert.True(t, strings.Contains(string(body), `action="/logout"`), "logged in as the Jugendamt through the provider")
	assert.Equal(t, 1, is.Authorizations())

	t.Run("the login callback needs the issuer, not a demonstration", func(t *testing.T) {
		_, err := parseServe([]string{"-demo", "-oidc-redirect", "https://portal.example/login/callback"}, io.Discard)
		assert.ErrorContains(t, err, "-oidc-redirect")
	})
}
