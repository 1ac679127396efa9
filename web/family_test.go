package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/kitaportal/kitaportal/web/webtest"
)

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

func TestChangeChoicesAfterSubmitting(t *testing.T) {
	srv, v, id, csrf := registeredFamily(t, 3)
	jugendamt := access.NewJugendamt("check")
	before, err := srv.App.Registrations.Get(context.Background(), jugendamt, id)
	require.NoError(t, err)
	order := func(a registration.Application) []string {
		var out []string
		for _, c := range a.Choices {
			out = append(out, c.KitaID)
		}
		return out
	}
	first := order(before)
	require.Len(t, first, 3)

	_, page := v.get("/status")
	require.Contains(t, page, "/status/"+id+"/choices")
	assert.NotContains(t, page, `class="tp"`, "no Kindertagespflege asked for, no progress shown")
	resp, page := v.get("/status/" + id + "/choices")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	version := versionRe.FindStringSubmatch(page)
	require.NotNil(t, version)

	t.Run("a move button reorders the form and stores nothing", func(t *testing.T) {
		form := url.Values{"csrf": {csrf}, "version": {version[1]}, "kita": first, "move": {"down:0"}}
		resp, page := v.post("/status/"+id+"/choices", form)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Regexp(t, `(?s)id="kitas-0".*value="`+first[1]+`" selected.*id="kitas-1".*value="`+first[0]+`" selected`, page)
		a, err := srv.App.Registrations.Get(context.Background(), jugendamt, id)
		require.NoError(t, err)
		assert.Equal(t, first, order(a))
	})
	t.Run("saving stores the new order on the version read", func(t *testing.T) {
		form := url.Values{"csrf": {csrf}, "version": {version[1]}, "kita": {first[1], first[0], "", first[2]}}
		resp, _ := v.post("/status/"+id+"/choices", form)
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		a, err := srv.App.Registrations.Get(context.Background(), jugendamt, id)
		require.NoError(t, err)
		assert.Equal(t, []string{first[1], first[0], first[2]}, order(a), "the empty rank closes up")
	})
	t.Run("a form read before that change shows the current choices and what happened", func(t *testing.T) {
		form := url.Values{"csrf": {csrf}, "version": {version[1]}, "kita": {first[2]}}
		resp, page := v.post("/status/"+id+"/choices", form)
		require.Equal(t, http.StatusConflict, resp.StatusCode)
		assert.Contains(t, page, `id="error-summary"`)
		assert.Contains(t, page, "inzwischen geändert")
		a, err := srv.App.Registrations.Get(context.Background(), jugendamt, id)
		require.NoError(t, err)
		assert.Len(t, a.Choices, 3, "nothing changed")
		assert.Contains(t, page, `name="version" value="`+strconv.FormatInt(a.Version(), 10)+`"`)
	})
	t.Run("no Kita at all is a problem in the summary, linked to the first rank", func(t *testing.T) {
		_, page := v.get("/status/" + id + "/choices")
		cur := versionRe.FindStringSubmatch(page)[1]
		resp, page := v.post("/status/"+id+"/choices", url.Values{"csrf": {csrf}, "version": {cur}})
		require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
		assert.Contains(t, page, `href="#kitas-0"`)
	})
	t.Run("another family's application is not found", func(t *testing.T) {
		other := newVisitor(t, srv)
		other.login(url.Values{"role": {"guardian"}})
		resp, _ := other.get("/status/" + id + "/choices")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
}

func TestReferralProgressOnTheStatusPage(t *testing.T) {
	srv := webtest.New(t)
	v := newVisitor(t, srv)
	kitas := kitasFor(t, srv.App, date.New(2025, 3, 14), date.New(2027, 8, 1), 1)
	v.login(url.Values{"role": {"guardian"}})
	_, page := v.get("/register")
	form := registrationForm(hidden(page, "csrf"), hidden(page, "key"), kitas)
	form.Set("tagespflege", "on")
	form.Set("tp_district", "I")
	resp, _ := v.post("/register", form)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)

	_, page = v.get("/status")
	assert.Contains(t, page, "Kindertagespflege im Stadtbezirk I")
	assert.Contains(t, page, "Bei der Fachberatung eingegangen am 01.12.2026")
	assert.Contains(t, page, "Die Fachberatung meldet sich bei Ihnen.")

	fb := access.NewFachberatung("fb", "I")
	refs, err := srv.App.Referrals.List(context.Background(), fb, "I", 0, 10)
	require.NoError(t, err)
	require.Len(t, refs, 1)
	srv.Advance(2 * time.Hour)
	_, err = srv.App.Referrals.MarkContacted(context.Background(), fb, refs[0].ID, "Rückruf vereinbart")
	require.NoError(t, err)
	_, page = v.get("/status")
	assert.Contains(t, page, "Die Fachberatung hat Sie am 01.12.2026 kontaktiert.")
	assert.NotContains(t, page, "Rückruf vereinbart", "the Fachberatung's notes are its own")

	_, err = srv.App.Referrals.Close(context.Background(), fb, refs[0].ID, tagespflege.NoMinderFound)
	require.NoError(t, err)
	_, page = v.get("/status")
	assert.Contains(t, page, "Abgeschlossen am 01.12.2026 (keine passende Tagespflegeperson)")
}

func TestLiveSearchFragment(t *testing.T) {
	srv := webtest.New(t)
	v := newVisitor(t, srv)
	_, page := v.get("/kitas?district=I&hours=35")
	resp, part := v.get("/kitas/results?district=I&hours=35")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
	assert.NotContains(t, part, "<html", "a fragment, not a page")
	assert.Contains(t, part, `<ul class="results">`)
	assert.Contains(t, page, part, "the fragment is exactly what the page shows")
	assert.Contains(t, page, `data-live="/kitas/results"`)
	assert.Contains(t, page, `<button type="submit">`, "the page searches without the script")

	t.Run("a filter the search cannot read is said in the fragment too", func(t *testing.T) {
		resp, part := v.get("/kitas/results?postal_code=99999")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, part, `role="alert"`)
	})
	t.Run("a narrower filter finds fewer Kitas", func(t *testing.T) {
		_, all := v.get("/kitas/results?district=I")
		_, few := v.get("/kitas/results?district=I&birth=2025-03-14&start=2027-08-01&hours=45")
		assert.Greater(t, strings.Count(all, "<li>"), strings.Count(few, "<li>"))
	})
}
