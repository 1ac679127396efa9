package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/tagespflege"
)

func TestMinderOverHTTP(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{PerClient: -1, PerFamily: -1})
	fb := ptr(access.NewFachberatung("fb-1", "I"))
	m := sampleMinder(e)
	// The request carries what a client read before: read-only members
	// from another instant and version.
	doc := map[string]any{}
	b, err := json.Marshal(tagespflege.RehydrateMinder(m, tagespflege.MinderState{
		CreatedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), Version: 7}))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &doc))

	t.Run("a new minder that brings placements is refused and nothing is stored", func(t *testing.T) {
		withPlacements := map[string]any{}
		for k, v := range doc {
			withPlacements[k] = v
		}
		withPlacements["placements"] = []map[string]string{{"referral_id": "r-1", "start": "2027-08-01"}}
		r := e.call(http.MethodPost, "/api/v1/districts/I/minders", fb, withPlacements)
		require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
		p := r.problem(t)
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "placements", p.Errors[0].Field)
		assert.Equal(t, string(tagespflege.CodePlacementsNotAllowed), p.Errors[0].Code)
		r = e.call(http.MethodGet, "/api/v1/districts/I/minders", fb, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		assert.JSONEq(t, "[]", string(r.body))
	})
	t.Run("a registered minder is answered with the portal's lifecycle under the former field names", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/districts/I/minders", fb, doc)
		require.Equal(t, http.StatusCreated, r.status, string(r.body))
		var got map[string]any
		r.json(t, &got)
		for _, k := range []string{"id", "name", "district", "contact", "address", "licence", "capacity", "max_contracts", "ages", "hours", "created_at", "updated_at", "version"} {
			assert.Contains(t, got, k)
		}
		assert.NotContains(t, got, "placements", "a new minder has none")
		assert.InDelta(t, 1, got["version"], 0, "the version is the store's, not the request's")
		assert.Equal(t, e.clock.Now().UTC().Format(time.RFC3339), got["created_at"], "the instant is the portal's, not the request's")
		var answered httpapi.Minder
		r.json(t, &answered)
		r = e.call(http.MethodGet, "/api/v1/districts/I/minders", fb, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var list []httpapi.Minder
		r.json(t, &list)
		require.Len(t, list, 1)
		assert.Equal(t, answered.ID, list[0].ID)
		assert.Equal(t, m.Name, list[0].Name)
		assert.Equal(t, m.Hours, list[0].Hours)
		assert.Equal(t, int64(1), list[0].Version)
	})
}
