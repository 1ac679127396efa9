package web_test

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/auth"
	"github.com/kitaportal/kitaportal/auth/authtest"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/web"
	"github.com/kitaportal/kitaportal/web/webtest"
)

// oidcPortal is the portal with the OpenID Connect login against an
// issuer started inside the test, configured as kitaportal serve does.
type oidcPortal struct {
	srv *httptest.Server
	is  *authtest.Issuer
	app *app.App
}

func newOIDCPortal(t *testing.T) *oidcPortal {
	t.Helper()
	ctx := context.Background()
	is := authtest.New(t)
	provider, err := auth.NewOIDC(ctx, auth.OIDCConfig{
		Issuer: is.URL, ClientID: authtest.ClientID, RoleClaim: "groups",
		Roles:       map[string]access.Role{"eltern": access.Guardian, "jugendamt": access.Jugendamt},
		FamilyClaim: "family", CarrierClaim: "carrier", DistrictClaim: "district",
	})
	require.NoError(t, err)
	prof, err := bochum.Profile()
	require.NoError(t, err)
	cat, err := bochum.Catalogue()
	require.NoError(t, err)
	a, err := app.New(ctx, app.Config{Profile: prof, Catalogue: cat, Store: memory.New(), Transport: notify.NewMemoryTransport(),
		Clock: func() time.Time { return webtest.Start }})
	require.NoError(t, err)
	var h http.Handler
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	h, err = web.New(a, web.Options{SessionKey: []byte(rand.Text() + rand.Text()), OIDC: &web.OIDCLogin{
		Provider: provider, ClientID: authtest.ClientID, ClientSecret: authtest.ClientSecret,
		RedirectURL: srv.URL + "/login/callback", Scopes: []string{"profile"},
	}})
	require.NoError(t, err)
	return &oidcPortal{srv: srv, is: is, app: a}
}

// browser is a client that follows redirects across the portal and the
// issuer, keeping cookies.
func (o *oidcPortal) browser(follow bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := *o.srv.Client()
	c.Jar = jar
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return &c
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestOIDCLoginInTheBrowser(t *testing.T) {
	o := newOIDCPortal(t)
	// The family fam-1 has registered (at the counter, say).
	kitas := kitasFor(t, o.app, webtestBirth, webtestStart, 1)
	_, err := o.app.Registrations.Submit(context.Background(), access.NewGuardian("x", "fam-1"), registration.Input{
		Child:     registration.ChildInput{GivenName: "Mila", FamilyName: "Nowak", BirthDate: webtestBirth},
		Guardians: []registration.GuardianInput{{GivenName: "Olena", FamilyName: "Nowak", Email: "olena.nowak@example.org", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "3", PostalCode: "44787", City: "Bochum"},
		Start:     webtestStart, Hours: 35, Kitas: kitas, Consent: true,
	})
	require.NoError(t, err)

	t.Run("a parent logs in at the provider and sees the family's applications", func(t *testing.T) {
		o.is.LogInAs(map[string]any{"groups": []string{"eltern"}, "family": "fam-1"})
		c := o.browser(true)
		before := o.is.Authorizations()
		resp, page := get(t, c, o.srv.URL+"/status")
		assert.Equal(t, before+1, o.is.Authorizations(), "through the provider")
		require.Equal(t, http.StatusOK, resp.StatusCode, page)
		assert.Equal(t, "/status", resp.Request.URL.Path, "back where the parent wanted to go")
		assert.Contains(t, page, "Mila", "the family named by the claim")
		assert.Contains(t, page, `action="/logout"`)
	})
	t.Run("the provider is asked with state, nonce and an S256 code challenge", func(t *testing.T) {
		c := o.browser(false)
		resp, _ := get(t, c, o.srv.URL+"/login?next=/status")
		require.Equal(t, http.StatusFound, resp.StatusCode)
		to, err := url.Parse(resp.Header.Get("Location"))
		require.NoError(t, err)
		q := to.Query()
		assert.Equal(t, o.is.URL+"/auth", to.Scheme+"://"+to.Host+to.Path)
		assert.Equal(t, "S256", q.Get("code_challenge_method"))
		assert.NotEmpty(t, q.Get("code_challenge"))
		assert.NotEmpty(t, q.Get("state"))
		assert.NotEmpty(t, q.Get("nonce"))
		assert.Equal(t, "openid profile", q.Get("scope"))
		for _, cookie := range resp.Cookies() {
			if cookie.Name == "kp_login" {
				assert.True(t, cookie.Secure && cookie.HttpOnly)
				assert.Equal(t, http.SameSiteLaxMode, cookie.SameSite)
				assert.Equal(t, "/login", cookie.Path)
			}
		}
	})
	// callback walks a login up to the provider's answer and returns the
	// client and the callback address it would follow.
	callback := func(t *testing.T) (*http.Client, *url.URL) {
		c := o.browser(false)
		resp, _ := get(t, c, o.srv.URL+"/login?next=/status")
		resp, _ = get(t, c, resp.Header.Get("Location"))
		require.Equal(t, http.StatusFound, resp.StatusCode)
		back, err := url.Parse(resp.Header.Get("Location"))
		require.NoError(t, err)
		return c, back
	}
	refused := func(t *testing.T, c *http.Client, u string) {
		t.Helper()
		resp, page := get(t, c, u)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Contains(t, page, "Sie sind nicht angemeldet")
		for _, cookie := range resp.Cookies() {
			assert.NotEqual(t, "kp_session", cookie.Name, "no session")
		}
	}
	t.Run("a callback with another state is refused", func(t *testing.T) {
		c, back := callback(t)
		q := back.Query()
		q.Set("state", "forged")
		back.RawQuery = q.Encode()
		refused(t, c, back.String())
	})
	t.Run("a callback in another browser (no login state) is refused", func(t *testing.T) {
		_, back := callback(t)
		refused(t, o.browser(false), back.String())
	})
	t.Run("a code is redeemed once", func(t *testing.T) {
		c, back := callback(t)
		resp, _ := get(t, c, back.String())
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		refused(t, c, back.String())
	})
	t.Run("a provider's refusal is refused", func(t *testing.T) {
		c, back := callback(t)
		q := back.Query()
		q.Del("code")
		q.Set("error", "access_denied")
		back.RawQuery = q.Encode()
		refused(t, c, back.String())
	})
	t.Run("a login whose claims name no known role starts no session", func(t *testing.T) {
		o.is.LogInAs(map[string]any{"groups": []string{"admin"}})
		c, back := callback(t)
		refused(t, c, back.String())
	})
	t.Run("a redirect URL that is not the callback is refused at start", func(t *testing.T) {
		_, err := web.New(o.app, web.Options{SessionKey: []byte(rand.Text() + rand.Text()), OIDC: &web.OIDCLogin{
			Provider: nil, ClientID: authtest.ClientID, RedirectURL: o.srv.URL + "/elsewhere"}})
		assert.ErrorIs(t, err, web.ErrOptions)
	})
}

// The child of the OIDC test families and the start of care.
var webtestBirth, webtestStart = date.New(2025, 5, 2), date.New(2027, 8, 1)
