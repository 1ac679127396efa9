package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/web/webtest"
)

// setPlaces gives the Kita n places for children under three (and one
// for an older child: a Kita without places is refused).
func setPlaces(t *testing.T, srv *webtest.Server, kitaID string, n int) {
	t.Helper()
	kitas := srv.Catalogue.All()
	for i := range kitas {
		if kitas[i].ID == kitaID {
			kitas[i].Capacity = kita.Capacity{Under3: n, From3: 1}
		}
	}
	require.NoError(t, srv.Catalogue.Replace(kitas))
}

func TestUpgradeOnTheStatusPage(t *testing.T) {
	srv, v, id, csrf := registeredFamily(t, 2)
	ctx, amt := context.Background(), access.NewJugendamt("ja")
	state := func() registration.Application {
		t.Helper()
		a, err := srv.App.Registrations.Get(ctx, access.NewJugendamt("check"), id)
		require.NoError(t, err)
		return a
	}
	first, second := state().Choices[0].KitaID, state().Choices[1].KitaID
	setPlaces(t, srv, first, 0)
	_, err := srv.App.Registrations.RunRound(ctx, amt, "2027/2028", app.RoundOptions{Round: 1})
	require.NoError(t, err)
	require.Equal(t, second, state().Offer().KitaID, "the first choice has no place")

	t.Run("the offer of the second choice asks whether to keep the first waiting", func(t *testing.T) {
		_, page := v.get("/status")
		assert.Contains(t, page, `name="keep_waiting" value="true"`)
		assert.Contains(t, page, "Meine höher gewählten Kitas auf der Warteliste behalten")
		assert.Contains(t, page, `aria-describedby="wait-`+id+`-hint"`)
	})

	t.Run("a value other than the checkbox's is refused and changes nothing", func(t *testing.T) {
		before := state()
		resp, _ := v.post("/status/"+id+"/accept", url.Values{"csrf": {csrf}, "keep_waiting": {"ja bitte"}})
		assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
		assert.Equal(t, before.Version(), state().Version())
	})

	t.Run("accepting with the box ticked keeps the place and the first choice waiting", func(t *testing.T) {
		resp, _ := v.post("/status/"+id+"/accept", url.Values{"csrf": {csrf}, "keep_waiting": {"true"}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		a := state()
		assert.Equal(t, registration.Accepted, a.Status())
		assert.True(t, a.Waiting())
		assert.Equal(t, []string{first}, a.OpenChoices())
		_, page := v.get("/status")
		assert.Contains(t, page, "warten weiter auf Ihre höher gewählten Kitas")
	})

	setPlaces(t, srv, first, 1)
	_, err = srv.App.Registrations.RunRound(ctx, amt, "2027/2028", app.RoundOptions{Round: 2})
	require.NoError(t, err)

	t.Run("the better offer says the accepted place is held, and accepting it gives that place back", func(t *testing.T) {
		a := state()
		require.Equal(t, registration.Offered, a.Status())
		require.Equal(t, first, a.Offer().KitaID)
		_, page := v.get("/status")
		assert.Contains(t, page, "bleibt Ihnen, bis Sie dieses Angebot annehmen")
		assert.NotContains(t, page, `name="keep_waiting"`, "no better choice is left to wait for")
		resp, _ := v.post("/status/"+id+"/accept", url.Values{"csrf": {csrf}})
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		a = state()
		assert.Equal(t, registration.Accepted, a.Status())
		assert.Nil(t, a.Held())
		assert.False(t, a.Waiting())
		assert.Equal(t, registration.Released, a.Choices[1].Status, "the second choice's place is given back")
	})
}

func TestOfferNamesItsPool(t *testing.T) {
	srv, v, id, _ := registeredFamily(t, 1)
	ctx, amt := context.Background(), access.NewJugendamt("ja")
	a, err := srv.App.Registrations.Get(ctx, amt, id)
	require.NoError(t, err)
	first := a.Choices[0].KitaID
	setPlaces(t, srv, first, 2)
	require.NoError(t, srv.App.Catalogue.SetPools(ctx, amt, first, []kita.Pool{
		{Band: kita.Under3, Hours: 35, From: "2027-08", Capacity: 1},
		{Band: kita.Under3, Hours: 35, From: "2028-01", Capacity: 1},
		{Band: kita.From3, Hours: 35, From: "2027-08", Capacity: 1},
	}))
	_, err = srv.App.Registrations.RunRound(ctx, amt, "2027/2028", app.RoundOptions{Round: 1})
	require.NoError(t, err)
	a, err = srv.App.Registrations.Get(ctx, amt, id)
	require.NoError(t, err)
	require.Equal(t, registration.Offered, a.Status())
	require.Equal(t, kita.Hours(35), a.Offer().Hours)

	_, page := v.get("/status")
	assert.Contains(t, page, "Der Platz umfasst 35 Stunden pro Woche und ist ab 08/2027 frei.",
		"the offer names the hours and the month of its pool")
}
