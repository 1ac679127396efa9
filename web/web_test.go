package web_test

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/web"
	"github.com/kitaportal/kitaportal/web/webtest"
)

// visitor is one browser without JavaScript: a cookie jar and forms.
type visitor struct {
	t   *testing.T
	srv *webtest.Server
	c   *http.Client
}

func newVisitor(t *testing.T, srv *webtest.Server) *visitor {
	return &visitor{t: t, srv: srv, c: srv.Client()}
}

func (v *visitor) get(path string) (*http.Response, string) {
	v.t.Helper()
	resp, err := v.c.Get(v.srv.URL + path)
	require.NoError(v.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(v.t, err)
	return resp, string(b)
}

func (v *visitor) post(path string, form url.Values) (*http.Response, string) {
	v.t.Helper()
	resp, err := v.c.PostForm(v.srv.URL+path, form)
	require.NoError(v.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(v.t, err)
	return resp, string(b)
}

var hiddenRe = regexp.MustCompile(`name="(csrf|key)" value="([^"]*)"`)

func hidden(page, name string) string {
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	return ""
}

// login logs the visitor in through the demo login with a role.
func (v *visitor) login(form url.Values) {
	v.t.Helper()
	_, page := v.get("/demo")
	form.Set("csrf", hidden(page, "csrf"))
	resp, _ := v.post("/demo", form)
	require.Equal(v.t, http.StatusSeeOther, resp.StatusCode)
}

// kitasFor returns Kitas that take a child born on birth at start with hours.
func kitasFor(t *testing.T, a *app.App, birth, start date.Date, n int) []string {
	page := a.Catalogue.Search(kita.Query{Child: &kita.ChildAt{Birth: birth, On: start}, Hours: 35, District: "I", Limit: n})
	require.Len(t, page.Items, n)
	var ids []string
	for _, h := range page.Items {
		ids = append(ids, h.Kita.ID)
	}
	return ids
}

// registrationForm is a correct form as a parent fills it in.
func registrationForm(csrf, key string, kitas []string) url.Values {
	f := url.Values{
		"csrf": {csrf}, "key": {key},
		"child_given": {"Zeynep"}, "child_family": {"Yılmaz"}, "child_birth": {"2025-03-14"},
		"g0_given": {"Ayşe"}, "g0_family": {"Yılmaz"}, "g0_email": {"ayse.yilmaz@example.org"}, "g0_phone": {"+4923412345"},
		"g0_language": {"de"}, "g0_working": {"on"},
		"street": {"Herner Straße"}, "house_number": {"12a"}, "postal_code": {"44787"}, "city": {"Bochum"},
		"start": {"2027-08-01"}, "hours": {"35"}, "consent": {"on"},
	}
	f["kita"] = kitas
	return f
}

func TestParentFlow(t *testing.T) {
	srv := webtest.New(t)
	v := newVisitor(t, srv)
	birth, start := date.New(2025, 3, 14), date.New(2027, 8, 1)
	kitas := kitasFor(t, srv.App, birth, start, 3)

	t.Run("the start page is German, with a Content-Security-Policy and no inline script", func(t *testing.T) {
		resp, page := v.get("/")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, page, `<html lang="de" dir="ltr">`)
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
		assert.NotContains(t, resp.Header.Get("Content-Security-Policy"), "unsafe-inline")
		assert.NotContains(t, page, "<script>", "no inline script")
		assert.NotContains(t, page, "style=")
		assert.Contains(t, page, "15.1.")
	})
	t.Run("the search finds Kitas of a district that take the child's age and hours", func(t *testing.T) {
		resp, page := v.get("/kitas?district=I&birth=2025-03-14&start=2027-08-01&hours=35")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		for _, id := range kitas {
			assert.Contains(t, page, "/kitas/"+id)
		}
		assert.Contains(t, page, `<circle`, "the picture of where they are")
		_, near := v.get("/kitas?postal_code=44787&radius=2")
		assert.Contains(t, near, " km")
		_, bad := v.get("/kitas?postal_code=99999")
		assert.Contains(t, bad, `role="alert"`)
	})
	t.Run("registering needs a login", func(t *testing.T) {
		resp, _ := v.get("/register")
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
		assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), "/login"))
	})

	v.login(url.Values{"role": {"guardian"}})
	_, page := v.get("/register?kita=" + kitas[0])
	csrf, key := hidden(page, "csrf"), hidden(page, "key")
	require.NotEmpty(t, csrf)
	require.NotEmpty(t, key)

	t.Run("a form with mistakes shows every problem at once, linked to its field", func(t *testing.T) {
		f := registrationForm(csrf, key, []string{kitas[0], kitas[0], ""})
		f.Set("g0_email", "ayse.yilmaz(at)example.org")
		f.Set("child_birth", "14.03.2025")
		f.Del("consent")
		f.Set("child_given", "")
		resp, page := v.post("/register", f)
		require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
		assert.Contains(t, page, `role="alert"`)
		for _, id := range []string{"guardians-0-email", "child-birth_date", "consent", "child-given_name", "kitas-1"} {
			assert.Contains(t, page, `href="#`+id+`"`, id)
			assert.Contains(t, page, `id="`+id+`"`, id)
			assert.Regexp(t, `aria-describedby="[^"]*`+id+`-error"`, page, id)
		}
		assert.Contains(t, page, "Bitte in der Form 2027-08-01 angeben.")
		assert.Contains(t, page, `value="ayse.yilmaz(at)example.org"`, "what was typed stays")
		list, err := srv.App.Registrations.List(context.Background(), access.NewJugendamt("check"), registration.Query{})
		require.NoError(t, err)
		assert.Empty(t, list, "nothing is stored")
	})
	t.Run("a choice moves down without JavaScript", func(t *testing.T) {
		f := registrationForm(csrf, key, []string{kitas[0], kitas[1], ""})
		f.Set("move", "down:0")
		resp, page := v.post("/register", f)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		first := strings.Index(page, `value="`+kitas[1]+`" selected`)
		second := strings.Index(page, `value="`+kitas[0]+`" selected`)
		require.Positive(t, first)
		assert.Less(t, first, second)
	})
	var appID string
	t.Run("the corrected form is confirmed with the reference and the mail's text", func(t *testing.T) {
		resp, _ := v.post("/register", registrationForm(csrf, key, kitas))
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		loc := resp.Header.Get("Location")
		appID = strings.TrimPrefix(loc, "/register/")
		_, page := v.get(loc)
		a, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), appID)
		require.NoError(t, err)
		assert.Contains(t, page, a.Reference)
		assert.Contains(t, page, "vielen Dank für Ihre Voranmeldung für Zeynep")
	})
	t.Run("sending the form again does not register twice", func(t *testing.T) {
		resp, _ := v.post("/register", registrationForm(csrf, key, kitas))
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		assert.Equal(t, "/register/"+appID, resp.Header.Get("Location"))
	})
	t.Run("after the round the family accepts the offer and downloads the contract", func(t *testing.T) {
		_, err := srv.App.Registrations.RunRound(context.Background(), access.NewJugendamt("ja"), "2027/2028", app.RoundOptions{})
		require.NoError(t, err)
		_, page := v.get("/status")
		require.Contains(t, page, "/status/"+appID+"/accept")
		resp, _ := v.post("/status/"+appID+"/accept", url.Values{"csrf": {csrf}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		_, page = v.get("/status")
		assert.Contains(t, page, "/status/"+appID+"/contract")
		resp, pdf := v.post("/status/"+appID+"/contract", url.Values{"csrf": {csrf}, "income": {"42000"}})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "application/pdf", resp.Header.Get("Content-Type"))
		assert.Contains(t, pdfText(t, []byte(pdf)), "Zeynep")
	})
}

// pdfText reads a PDF back with pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is required under CI")
		}
		t.Skip("pdftotext not installed")
	}
	p := filepath.Join(t.TempDir(), "c.pdf")
	require.NoError(t, os.WriteFile(p, pdf, 0o600))
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	require.NoError(t, err)
	return string(out)
}

func TestSafeByDefault(t *testing.T) {
	srv := webtest.New(t)
	v := newVisitor(t, srv)
	v.login(url.Values{"role": {"guardian"}})
	_, page := v.get("/register")
	csrf := hidden(page, "csrf")

	t.Run("the session cookie is Secure, HttpOnly and SameSite", func(t *testing.T) {
		w := newVisitor(t, srv)
		_, page := w.get("/demo")
		resp, _ := w.post("/demo", url.Values{"role": {"jugendamt"}, "csrf": {hidden(page, "csrf")}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		var found bool
		for _, c := range resp.Cookies() {
			if c.Name == "kp_session" {
				found = true
				assert.True(t, c.Secure)
				assert.True(t, c.HttpOnly)
				assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
			}
		}
		assert.True(t, found)
	})
	t.Run("a form without the session's token is refused and changes nothing", func(t *testing.T) {
		resp, _ := v.post("/register", registrationForm("forged", "k1", nil))
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		other := newVisitor(t, srv)
		other.login(url.Values{"role": {"guardian"}})
		resp, _ = other.post("/register", registrationForm(csrf, "k2", nil))
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "another session's token")
	})
	t.Run("a cross-site form post is refused", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/register", strings.NewReader(registrationForm(csrf, "k3", nil).Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := v.c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("a tampered session cookie is no session", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/status", nil)
		require.NoError(t, err)
		req.AddCookie(&http.Cookie{Name: "kp_session", Value: "eyJyIjo0LCJpIjoieCIsIm4iOiJ4IiwiZSI6OTk5OTk5OTk5OX0.AAAA"})
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	})
	t.Run("a guardian cannot open staff pages", func(t *testing.T) {
		resp, _ := v.get("/staff/round")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
	t.Run("the language switch only goes back to this site", func(t *testing.T) {
		resp, _ := v.get("/lang/ar?back=//evil.example/")
		assert.Equal(t, "/", resp.Header.Get("Location"))
		_, page := v.get("/")
		assert.Contains(t, page, `<html lang="ar" dir="rtl">`)
	})
}

func TestNewRefusesUnsafeOptions(t *testing.T) {
	srv := webtest.New(t)
	_, err := newHandler(srv.App, nil, true)
	assert.ErrorIs(t, err, errOptions)
	_, err = newHandler(srv.App, bytes.Repeat([]byte{1}, 32), false)
	assert.ErrorIs(t, err, errOptions, "nobody could log in")
}

func TestStaffPagesKeepToTheirOwn(t *testing.T) {
	srv := webtest.New(t)
	all := srv.App.Catalogue.All()
	k := all[0]
	var other string
	for _, x := range all {
		if x.Carrier.ID != k.Carrier.ID {
			other = x.Carrier.ID
			break
		}
	}
	require.NotEmpty(t, other)
	g := access.NewGuardian("g1", "fam-1")
	in := registration.Input{
		Child:     registration.ChildInput{GivenName: "Mila", FamilyName: "Nowak", BirthDate: date.New(2023, 5, 2)},
		Guardians: []registration.GuardianInput{{GivenName: "Olena", FamilyName: "Nowak", Email: "olena.nowak@example.org", Language: "de"}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "3", PostalCode: "44787", City: "Bochum"},
		Start:     date.New(2027, 8, 1), Hours: int(k.Hours[0]), Kitas: []string{k.ID}, Consent: true,
	}
	_, err := srv.App.Registrations.Submit(context.Background(), g, in)
	require.NoError(t, err)

	v := newVisitor(t, srv)
	v.login(url.Values{"role": {"carrier"}, "carrier": {other}})
	_, page := v.get("/staff/carrier")
	csrf := hidden(page, "csrf")
	t.Run("another carrier's staff does not see the application", func(t *testing.T) {
		assert.NotContains(t, page, "Mila")
	})
	t.Run("another carrier's staff cannot change the Kita's profile or free places", func(t *testing.T) {
		resp, _ := v.post("/staff/carrier/profile", url.Values{"csrf": {csrf}, "kita": {k.ID}, "head": {"Eve"}})
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		resp, _ = v.post("/staff/carrier/free", url.Values{"csrf": {csrf}, "kita": {k.ID}, "u3": {"1"}, "o3": {"1"}})
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		got, _ := srv.App.Catalogue.Get(k.ID)
		assert.NotEqual(t, "Eve", got.Profile.Head)
	})
	t.Run("the own carrier sees the application in the Kita view", func(t *testing.T) {
		w := newVisitor(t, srv)
		w.login(url.Values{"role": {"carrier"}, "carrier": {k.Carrier.ID}})
		_, page := w.get("/staff/carrier")
		assert.Contains(t, page, "Mila")
	})
	t.Run("the report's CSV is the Jugendamt's only", func(t *testing.T) {
		resp, _ := v.get("/staff/report.csv")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		j := newVisitor(t, srv)
		j.login(url.Values{"role": {"jugendamt"}})
		resp, body := j.get("/staff/report.csv?year=2027%2F2028")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, strings.SplitN(body, "\n", 2)[0], "district")
	})
}

// headerAuth stands for a city's sign-on in front of the portal: it
// trusts a header its proxy sets.
type headerAuth struct{}

func (headerAuth) Authenticate(r *http.Request) (access.Actor, error) {
	if f := r.Header.Get("X-Family"); f != "" {
		return access.NewGuardian("sso-"+f, f), nil
	}
	return access.Actor{}, errors.New("no sign-on")
}

func TestLoginThroughTheAuthenticator(t *testing.T) {
	srv := webtest.New(t)
	h, err := web.New(srv.App, web.Options{SessionKey: bytes.Repeat([]byte{7}, 32), Authenticator: headerAuth{}})
	require.NoError(t, err)
	ts := httptest.NewTLSServer(h)
	defer ts.Close()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := ts.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	t.Run("without the sign-on there is no session and no demo login", func(t *testing.T) {
		resp, err := c.Get(ts.URL + "/status")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
		resp, err = c.Get(ts.URL + "/demo")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
	t.Run("the sign-on's actor starts a session that later requests keep", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, ts.URL+"/status", nil)
		require.NoError(t, err)
		req.Header.Set("X-Family", "fam-sso")
		resp, err := c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		resp, err = c.Get(ts.URL + "/register")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "the session cookie, no header")
	})
}

func TestDeclineKeepsTheApplicationWaiting(t *testing.T) {
	srv, v, id, csrf := registeredFamily(t, 2)
	_, err := srv.App.Registrations.RunRound(context.Background(), access.NewJugendamt("ja"), "2027/2028", app.RoundOptions{})
	require.NoError(t, err)
	resp, _ := v.post("/status/"+id+"/decline", url.Values{"csrf": {csrf}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	a, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), id)
	require.NoError(t, err)
	assert.Equal(t, registration.Declined, a.Status())
	_, page := v.get("/status")
	assert.NotContains(t, page, "/status/"+id+"/accept", "no offer is open any more")
	t.Run("accepting a declined offer is refused with the rule's text", func(t *testing.T) {
		resp, page := v.post("/status/"+id+"/accept", url.Values{"csrf": {csrf}})
		assert.Equal(t, http.StatusConflict, resp.StatusCode)
		assert.Contains(t, page, `role="alert"`)
	})
}

func TestWithdrawAfterAQuestion(t *testing.T) {
	srv, v, id, csrf := registeredFamily(t, 1)
	_, page := v.get("/status")
	require.Contains(t, page, "/status/"+id+"/withdraw")
	resp, page := v.get("/status/" + id + "/withdraw")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	a, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), id)
	require.NoError(t, err)
	assert.Contains(t, page, a.Reference)
	assert.Equal(t, registration.Confirmed, a.Status(), "asking changes nothing")
	resp, _ = v.post("/status/"+id+"/withdraw", url.Values{"csrf": {csrf}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	a, err = srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), id)
	require.NoError(t, err)
	assert.Equal(t, registration.Withdrawn, a.Status())
}

// registeredFamily starts a portal, logs a new family in and registers a
// child for n Kitas through the form; it returns the application's id and
// the session's form token.
func registeredFamily(t *testing.T, n int) (*webtest.Server, *visitor, string, string) {
	t.Helper()
	srv := webtest.New(t)
	v := newVisitor(t, srv)
	kitas := kitasFor(t, srv.App, date.New(2025, 3, 14), date.New(2027, 8, 1), n)
	v.login(url.Values{"role": {"guardian"}})
	_, page := v.get("/register")
	csrf, key := hidden(page, "csrf"), hidden(page, "key")
	resp, _ := v.post("/register", registrationForm(csrf, key, kitas))
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	return srv, v, strings.TrimPrefix(resp.Header.Get("Location"), "/register/"), csrf
}
