package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/httpapi"
)

// dryRunPath is the dry run's path of a Kita year label.
func dryRunPath(year string) string {
	return "/api/v1/rounds/" + url.PathEscape(year) + "/dry-run"
}

// TestRoundCheckBeforePublishing drives a round over HTTP only: dry run,
// the changed families, the draft, publication (once), and each family's
// positions on its Kitas' lists.
func TestRoundCheckBeforePublishing(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{PerClient: -1, PerFamily: -1})
	amt := ptr(access.NewJugendamt("amt"))
	ids := map[string]string{}
	for _, fam := range []string{"A", "B", "C"} {
		r := e.call(http.MethodPost, "/api/v1/applications", guardian(fam), e.input("Kind"+fam, e.chosen, false), "Idempotency-Key", "k-"+fam)
		require.Equal(t, http.StatusCreated, r.status, string(r.body))
		var a httpapi.Application
		r.json(t, &a)
		ids[fam] = a.ID
	}

	t.Run("a year label of another form is refused with its field", func(t *testing.T) {
		r := e.call(http.MethodPost, dryRunPath("2027/28"), amt, map[string]any{})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
		assert.Equal(t, "year", r.problem(t).Errors[0].Field)
	})
	r := e.call(http.MethodPost, dryRunPath("2027/2028"), amt, map[string]any{})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var older httpapi.Draft
	r.json(t, &older)
	t.Run("a dry run answers the statistics and every placed family as changed, with positions", func(t *testing.T) {
		assert.Equal(t, "2027/2028", older.Year)
		assert.Equal(t, 1, older.Round)
		assert.Equal(t, 3, older.Statistics.Applicants)
		assert.Equal(t, older.Statistics.Placed, older.Placements)
		require.Len(t, older.Changes, older.Placements)
		for _, c := range older.Changes {
			assert.Contains(t, []string{"A", "B", "C"}, c.FamilyID)
			assert.NotEmpty(t, c.After)
			require.Len(t, c.Positions, 2)
			assert.Positive(t, c.Positions[0].Rank)
		}
		assert.Nil(t, older.Published)
	})
	t.Run("before publication the family has no position, and the answer says why", func(t *testing.T) {
		r := e.call(http.MethodGet, "/api/v1/applications/"+ids["A"]+"/positions", guardian("A"), nil)
		require.Equal(t, http.StatusConflict, r.status, string(r.body))
		assert.Equal(t, string(app.ErrNoRound.Code()), r.problem(t).Code)
	})
	r = e.call(http.MethodPost, dryRunPath("2027/2028"), amt, map[string]any{})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var d httpapi.Draft
	r.json(t, &d)
	t.Run("the second dry run compares with the first and lists nothing unchanged", func(t *testing.T) {
		assert.Equal(t, older.ID, d.Baseline)
		assert.Equal(t, 2, d.Number)
		assert.Empty(t, d.Changes)
		r := e.call(http.MethodGet, "/api/v1/rounds/drafts/"+d.ID, amt, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var got httpapi.Draft
		r.json(t, &got)
		d.DurationSec = 0
		assert.Equal(t, d, got)
	})
	t.Run("a draft's changes are read page by page", func(t *testing.T) {
		require.Greater(t, len(older.Changes), 1)
		var all []httpapi.DraftChange
		for offset := 0; ; offset++ {
			r := e.call(http.MethodGet, fmt.Sprintf("/api/v1/rounds/drafts/%s?offset=%d&limit=1", older.ID, offset), amt, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			var page httpapi.Draft
			r.json(t, &page)
			assert.Equal(t, len(older.Changes), page.ChangesAll)
			if len(page.Changes) == 0 {
				break
			}
			require.Len(t, page.Changes, 1)
			all = append(all, page.Changes...)
		}
		assert.Equal(t, older.Changes, all)
		r := e.call(http.MethodGet, "/api/v1/rounds/drafts/"+older.ID+"?limit=-1", amt, nil)
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
	})
	t.Run("an older dry run is not published", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/rounds/drafts/"+older.ID+"/publish", amt, nil)
		require.Equal(t, http.StatusConflict, r.status, string(r.body))
		assert.Equal(t, string(app.ErrDraftSuperseded.Code()), r.problem(t).Code)
	})
	var rep httpapi.RoundSummary
	t.Run("publishing writes the draft's offers; again, it answers the same", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/rounds/drafts/"+d.ID+"/publish", amt, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		r.json(t, &rep)
		assert.Equal(t, d.Placements, rep.Offers)
		r = e.call(http.MethodPost, "/api/v1/rounds/drafts/"+d.ID+"/publish", amt, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var again httpapi.RoundSummary
		r.json(t, &again)
		assert.Equal(t, rep.Offers, again.Offers)
		assert.Equal(t, rep.Skipped, again.Skipped)
		r = e.call(http.MethodGet, "/api/v1/rounds/drafts/"+d.ID, amt, nil)
		var got httpapi.Draft
		r.json(t, &got)
		require.NotNil(t, got.Published)
		assert.Equal(t, rep.Offers, got.Published.Offers)
	})
	t.Run("the family sees its positions on each of its Kitas' lists; nobody else does", func(t *testing.T) {
		r := e.call(http.MethodGet, "/api/v1/applications/"+ids["A"]+"/positions", guardian("A"), nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var p httpapi.Positions
		r.json(t, &p)
		assert.Equal(t, 1, p.Round)
		require.Len(t, p.Positions, 2)
		assert.Equal(t, e.chosen[0], p.Positions[0].KitaID)
		assert.Equal(t, 1, p.Positions[0].Choice)
		for _, who := range []*access.Actor{guardian("B"), ptr(access.NewCarrierStaff("s1", "T01"))} {
			r := e.call(http.MethodGet, "/api/v1/applications/"+ids["A"]+"/positions", who, nil)
			assert.Equal(t, http.StatusNotFound, r.status, who.String())
		}
	})
	t.Run("a published round takes no further dry run", func(t *testing.T) {
		r := e.call(http.MethodPost, dryRunPath("2027/2028"), amt, map[string]any{})
		assert.Equal(t, http.StatusConflict, r.status, string(r.body))
	})
}

// FuzzRounds sends arbitrary Kita years and draft and application ids to
// the round and position endpoints, as the Jugendamt and as a family: no
// panic, no server error, every refusal a problem document.
func FuzzRounds(f *testing.F) {
	e := newEnv(f, nil, httpapi.Limits{PerClient: -1, PerFamily: -1})
	f.Add("2027/2028", "draft-1", "app-1")
	f.Add("2027/28", "\x00", "%ff")
	f.Add("9999/10000", "../../etc", "a\u202eb")
	f.Add("", "", "")
	tokens := []string{"Bearer " + e.dev.Token(access.NewJugendamt("amt")), "Bearer " + e.dev.Token(access.NewGuardian("g", "F"))}
	f.Fuzz(func(t *testing.T, year, draft, application string) {
		for _, token := range tokens {
			for _, c := range []struct{ method, path string }{
				{http.MethodPost, "/api/v1/rounds/" + url.PathEscape(year) + "/dry-run"},
				{http.MethodGet, "/api/v1/rounds/drafts/" + url.PathEscape(draft)},
				{http.MethodPost, "/api/v1/rounds/drafts/" + url.PathEscape(draft) + "/publish"},
				{http.MethodGet, "/api/v1/applications/" + url.PathEscape(application) + "/positions"},
			} {
				req := httptest.NewRequest(c.method, "http://example.org/", strings.NewReader("{}"))
				req.URL.Path, req.URL.RawPath = "", c.path
				if p, err := url.PathUnescape(c.path); err == nil {
					req.URL.Path = p
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", token)
				w := httptest.NewRecorder()
				e.h.ServeHTTP(w, req)
				if w.Code != http.StatusNotFound || w.Header().Get("Content-Type") == "application/problem+json" {
					checkAnswer(t, w)
				}
			}
		}
	})
}
