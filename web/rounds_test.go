package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/registration"
)

func TestRoundPageChecksBeforePublishing(t *testing.T) {
	srv, family, id, _ := registeredFamily(t, 2)
	j := newVisitor(t, srv)
	j.login(url.Values{"role": {"jugendamt"}})
	_, page := j.get("/staff/round")
	csrf := hidden(page, "csrf")
	t.Run("the status page shows no position before a round is published", func(t *testing.T) {
		_, page := family.get("/status")
		assert.NotContains(t, page, `class="positions"`)
	})
	resp, _ := j.post("/staff/round", url.Values{"csrf": {csrf}, "year": {"2027/2028"}, "round": {"1"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	draftPath := resp.Header.Get("Location")
	require.True(t, strings.HasPrefix(draftPath, "/staff/round/drafts/"), draftPath)
	t.Run("a dry run shows its figures and the changed families with their ranks, and writes no offer", func(t *testing.T) {
		resp, page := j.get(draftPath)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, page, `<tr class="change">`)
		assert.Contains(t, page, "Rang 1")
		assert.Contains(t, page, `action="`+draftPath+`/publish"`)
		a, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), id)
		require.NoError(t, err)
		assert.Equal(t, registration.Confirmed, a.Status())
	})
	t.Run("a publication without the form token is refused", func(t *testing.T) {
		resp, _ := j.post(draftPath+"/publish", url.Values{})
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("publishing writes the offers and the page says so, without a second button", func(t *testing.T) {
		resp, _ := j.post(draftPath+"/publish", url.Values{"csrf": {csrf}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		_, page := j.get(draftPath)
		assert.Contains(t, page, `class="success"`)
		assert.NotContains(t, page, `/publish"`)
		a, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), id)
		require.NoError(t, err)
		assert.Equal(t, registration.Offered, a.Status())
		resp, _ = j.post(draftPath+"/publish", url.Values{"csrf": {csrf}})
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "publishing again answers alike")
	})
	t.Run("the family's status page shows its rank and the last admitted rank on each list", func(t *testing.T) {
		_, page := family.get("/status")
		assert.Contains(t, page, `class="positions"`)
		assert.Equal(t, 2, strings.Count(page, ": Rang "), "one line per chosen Kita")
		assert.Contains(t, page, "zuletzt aufgenommen Rang")
	})
	t.Run("a new dry run of a published round is refused with the rule's text", func(t *testing.T) {
		resp, page := j.post("/staff/round", url.Values{"csrf": {csrf}, "year": {"2027/2028"}, "round": {"1"}})
		assert.Equal(t, http.StatusConflict, resp.StatusCode)
		assert.Contains(t, page, `role="alert"`)
	})
	t.Run("the page offers follow-up rounds, and a round the page does not offer is refused with a reason", func(t *testing.T) {
		_, page := j.get("/staff/round")
		assert.Contains(t, page, `<option value="2">2</option>`)
		for _, bad := range []string{"", "0", "13", "zwei"} {
			resp, page := j.post("/staff/round", url.Values{"csrf": {csrf}, "year": {"2027/2028"}, "round": {bad}})
			assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode, bad)
			assert.Contains(t, page, "Bitte wählen Sie eine Runde von 1 bis 12.", bad)
		}
		resp, _ := j.post("/staff/round", url.Values{"csrf": {csrf}, "year": {"2027/2028"}, "round": {"2"}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		_, page = j.get(resp.Header.Get("Location"))
		assert.Contains(t, page, `action="`+resp.Header.Get("Location")+`/publish"`, "a dry run of round 2 can be published")
	})
}
