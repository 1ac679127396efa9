package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

// TestUpgradeOverHTTP: a family accepts its second choice with
// keep_waiting, a later round offers its first choice while the accepted
// place is held, the family accepts that, and the old place is free for
// the next round.
func TestUpgradeOverHTTP(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) { upgrade(t, newEnv(t, s.open(t), httpapi.Limits{})) })
	}
}

func upgrade(t *testing.T, e *env) {
	famF, famU, famZ := guardian("F"), guardian("U"), guardian("Z")
	amt := ptr(access.NewJugendamt("amt-1"))
	better, worse := e.chosen[0], e.chosen[1]
	// One place for a child under three at each of the two Kitas.
	kitas := e.cat.All()
	for i, k := range kitas {
		if k.ID == better || k.ID == worse {
			kitas[i].Capacity = kita.Capacity{Under3: 1}
		}
	}
	require.NoError(t, e.cat.Replace(kitas))
	submit := func(family *access.Actor, given string, choices ...string) string {
		t.Helper()
		r := e.call(http.MethodPost, "/api/v1/applications", family, e.input(given, choices, false), "Idempotency-Key", given)
		require.Equal(t, http.StatusCreated, r.status, string(r.body))
		var a httpapi.Application
		r.json(t, &a)
		return a.ID
	}
	round := func(n int) httpapi.RoundSummary {
		t.Helper()
		r := e.call(http.MethodPost, "/api/v1/rounds", amt, map[string]any{"year": "2027/2028", "round": n, "include_late": true})
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var s httpapi.RoundSummary
		r.json(t, &s)
		return s
	}
	get := func(id string, actor *access.Actor) (httpapi.Application, string) {
		t.Helper()
		r := e.call(http.MethodGet, "/api/v1/applications/"+id, actor, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var a httpapi.Application
		r.json(t, &a)
		return a, r.header.Get("ETag")
	}

	// Frida takes the better Kita's place in the main round; Uli, late,
	// gets only his second choice in the next.
	f := submit(famF, "Frida", better)
	e.clock.Set(time.Date(2027, time.March, 1, 9, 0, 0, 0, berlin))
	require.Equal(t, 1, round(1).Offers)
	uID := submit(famU, "Uli", better, worse)
	require.Equal(t, 1, round(2).Offers)
	u, tag := get(uID, famU)
	require.Equal(t, registration.Offered, u.Status)
	require.Equal(t, worse, u.Offer.KitaID)
	var zID string

	t.Run("keep_waiting accepts the place and keeps the better choice waiting", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/applications/"+u.ID+"/accept?keep_waiting=true", famU, nil, "If-Match", tag)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		u = httpapi.Application{}
		r.json(t, &u)
		assert.Equal(t, registration.Accepted, u.Status)
		assert.True(t, u.Waiting, "the response says that a better choice still waits")
		assert.Nil(t, u.Held)
		require.Len(t, u.Choices, 2)
		assert.Equal(t, better, u.Choices[0].KitaID)
		assert.Equal(t, registration.Waiting, u.Choices[0].Status)
		assert.Equal(t, registration.ChoiceAccepted, u.Choices[1].Status)
	})

	t.Run("a later round offers the better choice and holds the accepted place", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/applications/"+f+"/decline", famF, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		require.Equal(t, 1, round(3).Offers)
		u, tag = get(u.ID, famU)
		assert.Equal(t, registration.Offered, u.Status)
		require.NotNil(t, u.Offer)
		assert.Equal(t, better, u.Offer.KitaID)
		require.NotNil(t, u.Held, "the response shows the place held while the better offer is open")
		assert.Equal(t, worse, u.Held.KitaID)
	})

	t.Run("accepting the better offer gives the old place back", func(t *testing.T) {
		r := e.call(http.MethodPost, "/api/v1/applications/"+u.ID+"/accept?keep_waiting=false", famU, nil, "If-Match", tag)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		u = httpapi.Application{}
		r.json(t, &u)
		assert.Equal(t, registration.Accepted, u.Status)
		assert.False(t, u.Waiting)
		assert.Nil(t, u.Held)
		assert.Equal(t, better, u.Offer.KitaID)

		zID = submit(famZ, "Zoe", worse)
		require.Equal(t, 1, round(4).Offers, "the upgrade's old place is free again")
		z, _ := get(zID, famZ)
		require.NotNil(t, z.Offer)
		assert.Equal(t, worse, z.Offer.KitaID)
	})

	t.Run("keep_waiting without a better choice waiting is a conflict that changes nothing", func(t *testing.T) {
		z, tag := get(zID, famZ)
		require.Equal(t, registration.Offered, z.Status)
		r := e.call(http.MethodPost, "/api/v1/applications/"+z.ID+"/accept?keep_waiting=true", famZ, nil, "If-Match", tag)
		assert.Equal(t, http.StatusConflict, r.status, string(r.body))
		assert.Equal(t, "registration.nothing_above", r.problem(t).Code)
		r = e.call(http.MethodPost, "/api/v1/applications/"+z.ID+"/accept?keep_waiting=maybe", famZ, nil, "If-Match", tag)
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
		after, _ := get(z.ID, famZ)
		assert.Equal(t, registration.Offered, after.Status)
		assert.Equal(t, z.Version, after.Version)
	})
}
