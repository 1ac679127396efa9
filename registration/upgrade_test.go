package registration_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

var (
	upT0    = time.Date(2027, time.April, 1, 8, 0, 0, 0, time.UTC)
	upToday = date.New(2027, time.April, 1)
	upBy    = date.New(2027, time.April, 15)
)

// waitingApp is an application that accepted its second choice k2 and
// keeps waiting for its first, k1 (its third, k3, is released).
func waitingApp() registration.Application {
	a := registration.Application{ID: "a1", FamilyID: "f1", Year: "2027/2028",
		Child: registration.Child{BirthDate: date.New(2025, time.March, 3)}, Start: date.New(2027, time.August, 1),
		Choices: []registration.Choice{
			{Rank: 1, KitaID: "k1", Status: registration.Waiting},
			{Rank: 2, KitaID: "k2", Status: registration.ChoiceAccepted},
			{Rank: 3, KitaID: "k3", Status: registration.Released},
		}}
	return registration.Rehydrate(a, registration.Lifecycle{Status: registration.Accepted, Version: 3,
		Offer: &registration.Offer{KitaID: "k2", Band: kita.Under3, Round: 1, At: upT0, RespondBy: upBy}})
}

// upgradeOffered is waitingApp with an open upgrade offer at k1.
func upgradeOffered(t *testing.T) registration.Application {
	t.Helper()
	a := waitingApp()
	place, err := a.MakeOffer("k1", 2, upT0.Add(time.Hour), "round", upBy)
	require.NoError(t, err)
	require.Equal(t, registration.PlaceKey{KitaID: "k1", Year: "2027/2028", Band: kita.Under3}, place)
	return a
}

func statuses(a registration.Application) map[string]registration.ChoiceStatus {
	out := map[string]registration.ChoiceStatus{}
	for _, c := range a.Choices {
		out[c.KitaID] = c.Status
	}
	return out
}

func TestUpgrade(t *testing.T) {
	k1 := registration.PlaceKey{KitaID: "k1", Year: "2027/2028", Band: kita.Under3}
	k2 := registration.PlaceKey{KitaID: "k2", Year: "2027/2028", Band: kita.Under3}

	t.Run("an accepted place that keeps waiting is offered a better choice and held meanwhile", func(t *testing.T) {
		a := waitingApp()
		assert.True(t, a.Waiting())
		a = upgradeOffered(t)
		assert.Equal(t, registration.Offered, a.Status())
		assert.Equal(t, "k1", a.Offer().KitaID)
		require.NotNil(t, a.Held())
		assert.Equal(t, "k2", a.Held().KitaID)
		assert.False(t, a.Waiting())
	})

	t.Run("accepting the upgrade returns the old place and releases its choice", func(t *testing.T) {
		a := upgradeOffered(t)
		released, err := a.Accept(upToday, upT0.Add(2*time.Hour), "family", registration.AcceptOptions{})
		require.NoError(t, err)
		require.NotNil(t, released)
		assert.Equal(t, k2, *released)
		assert.Equal(t, registration.Accepted, a.Status())
		assert.Nil(t, a.Held())
		assert.Equal(t, map[string]registration.ChoiceStatus{"k1": registration.ChoiceAccepted, "k2": registration.Released, "k3": registration.Released}, statuses(a))
		assert.Equal(t, "upgrade_accepted", a.LastReason())
	})

	t.Run("declining the upgrade keeps the accepted place", func(t *testing.T) {
		a := upgradeOffered(t)
		place, err := a.Decline(upT0.Add(2*time.Hour), "family", "offer_declined")
		require.NoError(t, err)
		assert.Equal(t, k1, place)
		assert.Equal(t, registration.Accepted, a.Status())
		assert.Equal(t, "k2", a.Offer().KitaID)
		assert.Nil(t, a.Held())
		assert.Equal(t, registration.ChoiceDeclined, statuses(a)["k1"])
		_, err = a.MakeOffer("k1", 3, upT0, "round", upBy)
		assert.ErrorIs(t, err, registration.ErrTransition, "a declined choice is not offered again")
	})

	t.Run("keeping waiting on the best choice still waiting is ErrNothingAbove and changes nothing", func(t *testing.T) {
		a := upgradeOffered(t)
		before := a.Clone()
		_, err := a.Accept(upToday, upT0, "family", registration.AcceptOptions{KeepWaiting: true})
		require.ErrorIs(t, err, registration.ErrNothingAbove)
		assert.Equal(t, before, a)
	})

	t.Run("an upgrade offer lapses like any other: after its RespondBy date", func(t *testing.T) {
		a := upgradeOffered(t)
		_, err := a.Accept(upBy.AddDate(0, 0, 1), upT0, "family", registration.AcceptOptions{})
		require.ErrorIs(t, err, registration.ErrOfferLapsed)
	})

	t.Run("withdrawing during an upgrade offer gives both places back", func(t *testing.T) {
		a := upgradeOffered(t)
		places, err := a.End(registration.Withdrawn, upT0, "family", "withdrawn_by_family")
		require.NoError(t, err)
		assert.ElementsMatch(t, []registration.PlaceKey{k1, k2}, places)
		assert.Nil(t, a.Offer())
		assert.Nil(t, a.Held())
	})

	t.Run("the end of the Kita year never takes the accepted place", func(t *testing.T) {
		a := upgradeOffered(t)
		places, err := a.End(registration.Expired, upT0, "system", "year_ended")
		require.NoError(t, err)
		assert.Equal(t, []registration.PlaceKey{k1}, places)
		assert.Equal(t, registration.Accepted, a.Status())
		assert.Equal(t, "k2", a.Offer().KitaID)
		assert.Equal(t, registration.Released, statuses(a)["k1"])
	})

	t.Run("a contract ends the wait for a better place", func(t *testing.T) {
		a := waitingApp()
		require.NoError(t, a.Contract(upT0, "carrier"))
		assert.Equal(t, registration.Released, statuses(a)["k1"])
		assert.False(t, a.Waiting())
	})

	t.Run("a carrier's staff sees only the offer or held place at its own Kitas", func(t *testing.T) {
		a := upgradeOffered(t)
		a.Choices[0].Carrier, a.Choices[1].Carrier, a.Choices[2].Carrier = "c1", "c2", "c3"
		v, ok := registration.ViewFor(access.NewCarrierStaff("s1", "c1"), a)
		require.True(t, ok)
		assert.Equal(t, "k1", v.Offer().KitaID)
		assert.Nil(t, v.Held(), "the accepted place at another carrier's Kita is not c1's business")
		v, ok = registration.ViewFor(access.NewCarrierStaff("s2", "c2"), a)
		require.True(t, ok)
		assert.Nil(t, v.Offer())
		assert.Equal(t, "k2", v.Held().KitaID)
	})

	t.Run("the held place survives JSON and the adapters' lifecycle", func(t *testing.T) {
		a := upgradeOffered(t)
		b, err := json.Marshal(a)
		require.NoError(t, err)
		var back registration.Application
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, a.Held(), back.Held())
		assert.Equal(t, a, registration.Rehydrate(a, a.Lifecycle()))
	})
}

func TestCheckTogether(t *testing.T) {
	app := func(id, family string, together bool, status registration.Status, kitas ...string) registration.Application {
		a := registration.Application{ID: id, FamilyID: family, Year: "2027/2028", ChildKey: "child-" + id, Together: together}
		for i, k := range kitas {
			a.Choices = append(a.Choices, registration.Choice{Rank: i + 1, KitaID: k, Status: registration.Waiting})
		}
		return registration.Rehydrate(a, registration.Lifecycle{Status: status})
	}
	tom := app("tom", "f", true, registration.Submitted, "k1", "k2")
	cases := []struct {
		name   string
		family []registration.Application
		fails  bool
	}{
		{"a twin with the same Kitas in the same order passes", []registration.Application{app("tim", "f", true, registration.Confirmed, "k1", "k2")}, false},
		{"a twin with the Kitas in another order is refused", []registration.Application{app("tim", "f", true, registration.Confirmed, "k2", "k1")}, true},
		{"a twin with one Kita fewer is refused", []registration.Application{app("tim", "f", true, registration.Confirmed, "k1")}, true},
		{"a sibling not asking to be kept together is not compared", []registration.Application{app("tina", "f", false, registration.Confirmed, "k3")}, false},
		{"a withdrawn twin is not compared", []registration.Application{app("tim", "f", true, registration.Withdrawn, "k3")}, false},
		{"another Kita year is not compared", []registration.Application{func() registration.Application {
			a := app("tim", "f", true, registration.Confirmed, "k3")
			a.Year = "2028/2029"
			return a
		}()}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := registration.CheckTogether(tom, c.family)
			if !c.fails {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, registration.ErrTogetherChoices)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has("kitas", registration.CodeTogetherChoices))
		})
	}
	t.Run("a twin ranking other care hours is refused at hours, and with other Kitas too at both", func(t *testing.T) {
		tom := tom
		tom.Hours, tom.HoursAlternatives = 35, []kita.Hours{45}
		tim := app("tim", "f", true, registration.Confirmed, "k1", "k2")
		tim.Hours, tim.HoursAlternatives = 45, []kita.Hours{35}
		err := registration.CheckTogether(tom, []registration.Application{tim})
		require.ErrorIs(t, err, registration.ErrTogetherHours)
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("hours", registration.CodeTogetherHours))
		assert.False(t, list.Has("kitas", registration.CodeTogetherChoices))

		tim.Choices = tim.Choices[:1]
		err = registration.CheckTogether(tom, []registration.Application{tim})
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("hours", registration.CodeTogetherHours))
		assert.True(t, list.Has("kitas", registration.CodeTogetherChoices))

		tim.Hours, tim.HoursAlternatives, tim.Choices = 35, []kita.Hours{45}, tom.Choices
		require.NoError(t, registration.CheckTogether(tom, []registration.Application{tim}), "the same hours in the same order pass")
	})
	t.Run("a child not asking to be kept together is never refused", func(t *testing.T) {
		alone := app("tom", "f", false, registration.Submitted, "k1")
		require.NoError(t, registration.CheckTogether(alone, []registration.Application{app("tim", "f", true, registration.Confirmed, "k2")}))
	})
}
