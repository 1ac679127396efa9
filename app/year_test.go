package app_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// yearOf is the Kita year of the year tests (the world's start date).
const yearOf = "2027/2028"

// yearWorld is an App over store whose catalogue holds three Kitas of
// Bochum's sample, A, B and C, with the given places for children under
// three (none for older ones), and no application yet.
func yearWorld(t *testing.T, b backend, places [3]int) (*world, [3]string) {
	t.Helper()
	return kitaWorld(t, b, func(i int, k *kita.Kita) bool {
		if !k.Hours.Allows(35) {
			return false
		}
		k.Capacity = kita.Capacity{Under3: places[i]}
		return true
	})
}

// kitaWorld is an App over a fresh store of backend b whose catalogue
// holds three Kitas of Bochum's sample that take the world's child at its
// start and that pick accepts (i is the number taken so far; pick may
// change the Kita), and no application yet.
func kitaWorld(t *testing.T, b backend, pick func(i int, k *kita.Kita) bool) (*world, [3]string) {
	t.Helper()
	store, reopen := b.open(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, berlin)
	w := &world{ctx: t.Context(), store: store, reopen: reopen, now: &now}
	w.birth, w.start = date.New(2025, time.March, 3), date.New(2027, time.August, 1)
	data, err := sample()
	require.NoError(t, err)
	var kitas []kita.Kita
	var ids [3]string
	for _, k := range data.kitas {
		if len(kitas) < 3 && k.Takes(kita.AgeOn(w.birth, w.start).InMonths()) && pick(len(kitas), &k) {
			ids[len(kitas)] = k.ID
			kitas = append(kitas, k)
		}
	}
	require.Len(t, kitas, 3)
	cat, err := kita.NewCatalogue(kitas, kita.NRWHours)
	require.NoError(t, err)
	w.app, err = app.New(w.ctx, app.Config{Profile: data.profile, Catalogue: cat, Store: store,
		Transport: notify.NewMemoryTransport(), Clock: func() time.Time { return *w.now }})
	require.NoError(t, err)
	return w, ids
}

// orderPolicy ranks by the sibling criterion, then by the instant of
// registration: the tests know who comes first.
var orderPolicy = allocation.Policy{
	Criteria: []allocation.Criterion{{Kind: allocation.KindSibling, Mode: allocation.ModeTier}, {Kind: allocation.KindRegistrationDate, Mode: allocation.ModeTier}},
	Lottery:  allocation.LotteryPerChild, Seed: 13,
}

// child submits a child of family fam choosing kitas, a minute after the
// previous one, kept together with its siblings when together.
func (w *world) child(t *testing.T, fam, name string, kitas []string, together bool) registration.Application {
	t.Helper()
	*w.now = w.now.Add(time.Minute)
	in := w.input(name, kitas)
	in.Together = together
	rc, err := w.app.Registrations.Submit(w.ctx, guardianOf(fam), in)
	require.NoError(t, err)
	return rc.Application
}

func guardianOf(fam string) access.Actor { return access.NewGuardian("g-"+fam, fam) }

// round runs round n of the year with orderPolicy.
func (w *world) round(t *testing.T, n int) registration.RoundReport {
	t.Helper()
	p := orderPolicy
	rep, err := w.app.Registrations.RunRound(w.ctx, jugendamt, yearOf, app.RoundOptions{Round: n, Policy: &p})
	require.NoError(t, err)
	return rep
}

// state reads an application as the Jugendamt sees it.
func (w *world) state(t *testing.T, a registration.Application) registration.Application {
	t.Helper()
	got, err := w.app.Registrations.Get(w.ctx, jugendamt, a.ID)
	require.NoError(t, err)
	return got
}

// offeredAt returns the Kita of a's open or accepted offer ("" for none).
func (w *world) offeredAt(t *testing.T, a registration.Application) string {
	t.Helper()
	if o := w.state(t, a).Offer(); o != nil {
		return o.KitaID
	}
	return ""
}

// taken returns the places taken per Kita of the year.
func (w *world) taken(t *testing.T) map[string]int {
	t.Helper()
	places, err := w.store.Registrations().Places(w.ctx, yearOf)
	require.NoError(t, err)
	out := map[string]int{}
	for _, p := range places {
		out[p.KitaID] += p.Taken
	}
	return out
}

// inRound reports whether the round's engine input holds the application.
func inRound(rep registration.RoundReport, a registration.Application) bool {
	return slices.ContainsFunc(rep.Instance.Applicants, func(x allocation.Applicant) bool { return x.ID == a.ID })
}

func TestYearOfOffers(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			w, k := yearWorld(t, b, [3]int{3, 1, 2})
			A, B, C := k[0], k[1], k[2]
			// In the order of registration, which the policy ranks after siblings.
			y := w.child(t, "Y", "Yara", []string{A}, false)
			t1 := w.child(t, "T", "Tim", []string{A, B}, true)
			t2 := w.child(t, "T", "Tom", []string{A, B}, true)
			u := w.child(t, "U", "Uli", []string{A, B}, false)
			s1 := w.child(t, "S", "Sina", []string{C}, false)
			x := w.child(t, "X", "Xaver", []string{C, B}, false)
			s2 := w.child(t, "S", "Sven", []string{C}, false)
			z := w.child(t, "Z", "Zoe", []string{B}, false)

			main := w.round(t, 1)
			t.Run("the main round places the twins at one Kita and gives a sibling priority in the same round", func(t *testing.T) {
				assert.Equal(t, A, w.offeredAt(t, t1))
				assert.Equal(t, A, w.offeredAt(t, t2))
				assert.Equal(t, A, w.offeredAt(t, y))
				assert.Equal(t, B, w.offeredAt(t, u), "A is full with Yara and the twins")
				assert.Equal(t, C, w.offeredAt(t, s1))
				assert.Equal(t, C, w.offeredAt(t, s2), "Sven's sister placed at C ranks him above Xaver, registered before him")
				assert.Empty(t, w.offeredAt(t, x))
				assert.Empty(t, w.offeredAt(t, z))
				assert.Equal(t, 1, main.Result.Statistics.Families)
				assert.Equal(t, 1, main.Result.Statistics.Together)
				assert.Contains(t, main.Instance.Families, allocation.Family{ID: "T/together", Children: []string{t1.ID, t2.ID}, Together: true})
				assert.Contains(t, main.Instance.Families, allocation.Family{ID: "S", Children: []string{s1.ID, s2.ID}})
			})

			t.Run("answers: a decline, acceptances, an accepted place that keeps waiting for a better one", func(t *testing.T) {
				_, err := w.app.Registrations.Decline(w.ctx, guardianOf("Y"), y.ID)
				require.NoError(t, err)
				for _, a := range []registration.Application{t1, t2, s1} {
					_, err := w.app.Registrations.Accept(w.ctx, guardianOf(a.FamilyID), a.ID)
					require.NoError(t, err)
				}
				_, err = w.app.Registrations.AcceptWith(w.ctx, guardianOf("T"), t1.ID, registration.AcceptOptions{KeepWaiting: true})
				require.ErrorIs(t, err, registration.ErrTransition, "an accepted place without an open offer cannot be accepted again")
				got, err := w.app.Registrations.AcceptWith(w.ctx, guardianOf("U"), u.ID, registration.AcceptOptions{KeepWaiting: true})
				require.NoError(t, err)
				assert.Equal(t, registration.Accepted, got.Status())
				assert.True(t, got.Waiting())
				assert.Equal(t, []string{A}, got.OpenChoices(), "Uli waits for A, ranked above B")
				assert.Equal(t, map[string]int{A: 2, B: 1, C: 2}, w.taken(t))
			})

			second := w.round(t, 2)
			t.Run("a follow-up round offers only free places and never an accepted one", func(t *testing.T) {
				assert.False(t, inRound(second, s2), "Sven holds an open offer: one open offer per child")
				assert.False(t, inRound(second, t1), "an accepted place that does not wait takes no part")
				assert.False(t, inRound(second, y), "Yara has no choice left")
				assert.True(t, inRound(second, u))
				assert.Equal(t, 1, second.Offers)
				got := w.state(t, u)
				assert.Equal(t, registration.Offered, got.Status())
				require.NotNil(t, got.Held())
				assert.Equal(t, B, got.Held().KitaID, "Uli keeps B while the better offer is open")
				assert.Equal(t, A, got.Offer().KitaID)
				assert.Empty(t, w.offeredAt(t, x), "B is held by Uli, C by the Sina's and Sven's offers")
				assert.Equal(t, registration.Accepted, w.state(t, t1).Status())
				assert.Equal(t, map[string]int{A: 3, B: 1, C: 2}, w.taken(t))
			})

			t.Run("accepting the upgrade gives the old place back in the same step", func(t *testing.T) {
				got, err := w.app.Registrations.Accept(w.ctx, guardianOf("U"), u.ID)
				require.NoError(t, err)
				assert.Equal(t, registration.Accepted, got.Status())
				assert.Nil(t, got.Held())
				assert.Equal(t, A, got.Offer().KitaID)
				assert.Equal(t, map[string]int{A: 3, B: 0, C: 2}, w.taken(t))
			})

			t.Run("an offer not answered in the profile's answer period lapses and its place goes back", func(t *testing.T) {
				respondBy := w.state(t, s2).Offer().RespondBy
				yy, mm, dd := respondBy.AddDate(0, 0, 1).Date()
				*w.now = time.Date(yy, mm, dd, 6, 0, 0, 0, berlin)
				rep, err := w.app.Registrations.LapseOffers(w.ctx, access.SystemActor)
				require.NoError(t, err)
				assert.Equal(t, 1, rep.Lapsed)
				assert.Equal(t, registration.Declined, w.state(t, s2).Status())
				assert.Equal(t, map[string]int{A: 3, B: 0, C: 1}, w.taken(t))
			})

			third := w.round(t, 3)
			t.Run("the next round gives the lapsed place and the upgrade's old place to others", func(t *testing.T) {
				assert.Equal(t, 2, third.Offers)
				assert.Equal(t, C, w.offeredAt(t, x), "Sven's lapsed place")
				assert.Equal(t, B, w.offeredAt(t, z), "Uli's old place")
				assert.False(t, inRound(third, s2), "Sven's only choice lapsed")
				assert.Equal(t, A, w.offeredAt(t, u))
				assert.Equal(t, map[string]int{A: 3, B: 1, C: 2}, w.taken(t))
			})
		})
	}
}

func TestUpgradeDeclined(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			w, k := yearWorld(t, b, [3]int{1, 1, 1})
			A, B := k[0], k[1]
			first := w.child(t, "F", "Frida", []string{A}, false)
			u := w.child(t, "U", "Uli", []string{A, B}, false)
			w.round(t, 1)
			require.Equal(t, B, w.offeredAt(t, u))

			t.Run("keeping waiting needs a better choice still waiting", func(t *testing.T) {
				_, err := w.app.Registrations.Decline(w.ctx, guardianOf("F"), first.ID)
				require.NoError(t, err)
				w.round(t, 2) // A is free now, but Uli holds an open offer: no second offer
				assert.Equal(t, B, w.offeredAt(t, u))
				_, err = w.app.Registrations.AcceptWith(w.ctx, guardianOf("U"), u.ID, registration.AcceptOptions{KeepWaiting: true})
				require.NoError(t, err)
			})

			t.Run("declining the upgrade offer keeps the accepted place", func(t *testing.T) {
				w.round(t, 3)
				got := w.state(t, u)
				require.Equal(t, registration.Offered, got.Status())
				require.Equal(t, A, got.Offer().KitaID)
				got, err := w.app.Registrations.Decline(w.ctx, guardianOf("U"), u.ID)
				require.NoError(t, err)
				assert.Equal(t, registration.Accepted, got.Status())
				assert.Equal(t, B, got.Offer().KitaID)
				assert.Nil(t, got.Held())
				assert.False(t, got.Waiting())
				assert.Equal(t, map[string]int{A: 0, B: 1, k[2]: 0}, w.taken(t))
			})

			t.Run("KeepWaiting on the first choice says there is nothing to wait for", func(t *testing.T) {
				f := w.child(t, "G", "Greta", []string{A, B}, false)
				w.round(t, 4)
				require.Equal(t, A, w.offeredAt(t, f))
				_, err := w.app.Registrations.AcceptWith(w.ctx, guardianOf("G"), f.ID, registration.AcceptOptions{KeepWaiting: true})
				require.ErrorIs(t, err, registration.ErrNothingAbove)
				assert.Equal(t, registration.Offered, w.state(t, f).Status(), "nothing changed")
			})

			t.Run("withdrawing during an upgrade offer gives both places back", func(t *testing.T) {
				_, err := w.app.Registrations.Withdraw(w.ctx, guardianOf("U"), u.ID)
				require.NoError(t, err)
				assert.Equal(t, map[string]int{A: 1, B: 0, k[2]: 0}, w.taken(t))
			})
		})
	}
}

func TestTogether(t *testing.T) {
	forEachYear(t, [3]int{4, 4, 4}, func(t *testing.T, w *world, k [3]string) {
		A, B, C := k[0], k[1], k[2]
		t1 := w.child(t, "T", "Tim", []string{A, B}, true)

		t.Run("a twin kept together with different Kitas is refused with a field path and a code, and nothing is stored", func(t *testing.T) {
			*w.now = w.now.Add(time.Minute)
			in := w.input("Tom", []string{B, A})
			in.Together = true
			_, err := w.app.Registrations.Submit(w.ctx, guardianOf("T"), in)
			require.ErrorIs(t, err, registration.ErrTogetherChoices)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has("kitas", registration.CodeTogetherChoices))
			tr := problem.NewTranslator(registration.Messages, problem.Messages)
			assert.NotEmpty(t, tr.Message(list[0], "de"))
			assert.NotEmpty(t, tr.Message(list[0], "en"))
			apps, err := w.app.Registrations.List(w.ctx, guardianOf("T"), registration.Query{})
			require.NoError(t, err)
			assert.Len(t, apps, 1)
		})

		t.Run("a twin kept together with other care hours is refused at hours, and nothing is stored", func(t *testing.T) {
			*w.now = w.now.Add(time.Minute)
			in := w.input("Tom", []string{A, B})
			in.Together = true
			in.HoursAlternatives = []int{45}
			_, err := w.app.Registrations.Submit(w.ctx, guardianOf("T"), in)
			require.ErrorIs(t, err, registration.ErrTogetherHours)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has("hours", registration.CodeTogetherHours))
			apps, err := w.app.Registrations.List(w.ctx, guardianOf("T"), registration.Query{})
			require.NoError(t, err)
			assert.Len(t, apps, 1)
		})

		t2 := w.child(t, "T", "Tom", []string{A, B}, true)
		t.Run("changing one twin's Kitas changes the other's in the same step", func(t *testing.T) {
			_, err := w.app.Registrations.ChangeChoices(w.ctx, guardianOf("T"), t1.ID, []string{C, A})
			require.NoError(t, err)
			assert.Equal(t, []string{C, A}, w.state(t, t2).OpenChoices())
			assert.Equal(t, []string{C, A}, w.state(t, t1).OpenChoices())
		})

		t.Run("a sibling not asking to be kept together keeps its own Kitas", func(t *testing.T) {
			s := w.child(t, "T", "Tina", []string{B}, false)
			rep := w.round(t, 1)
			assert.Equal(t, C, w.offeredAt(t, t1))
			assert.Equal(t, C, w.offeredAt(t, t2))
			assert.Equal(t, B, w.offeredAt(t, s))
			assert.Contains(t, rep.Instance.Families, allocation.Family{ID: "T/together", Children: []string{t1.ID, t2.ID}, Together: true})
		})
	})
}

// forEachYear runs f on a yearWorld of every backend.
func forEachYear(t *testing.T, places [3]int, f func(t *testing.T, w *world, k [3]string)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			w, k := yearWorld(t, b, places)
			f(t, w, k)
		})
	}
}

// TestTwinsUnderLottery is the shape of Münster's failure in February
// 2023, through the service: twins and siblings with lottery numbers of
// their own compete for too few places; no pair of twins is ever split.
func TestTwinsUnderLottery(t *testing.T) {
	forEachYear(t, [3]int{5, 4, 3}, func(t *testing.T, w *world, k [3]string) {
		var twins [][2]registration.Application
		for i := range 6 {
			fam := fmt.Sprint("TW", i)
			kitas := []string{k[i%3], k[(i+1)%3]}
			a := w.child(t, fam, "Ada", kitas, true)
			b := w.child(t, fam, "Ben", kitas, true)
			twins = append(twins, [2]registration.Application{a, b})
			w.child(t, fmt.Sprint("O", i), "Ole", []string{k[(i+2)%3], k[i%3]}, false)
		}
		p := allocation.Policy{Lottery: allocation.LotteryPerChild, Seed: 2023}
		rep, err := w.app.Registrations.RunRound(w.ctx, jugendamt, yearOf, app.RoundOptions{Policy: &p})
		require.NoError(t, err)
		assert.Nil(t, rep.Result.Unstable)
		assert.Equal(t, 6, rep.Result.Statistics.Families)
		for _, pair := range twins {
			assert.Equal(t, w.offeredAt(t, pair[0]), w.offeredAt(t, pair[1]), "twins are placed together or not at all")
		}
		violations, err := allocation.Verify(rep.Instance, rep.Result)
		require.NoError(t, err)
		assert.Empty(t, violations, "no family split, no capacity exceeded, no blocking child or family")
		assert.Positive(t, rep.Offers)
		assert.LessOrEqual(t, rep.Offers, 12)
	})
}

func TestUpgradeOfferEnds(t *testing.T) {
	// upgradeOpen returns a world in which Uli accepted B, keeps waiting
	// for A, and holds an open upgrade offer at A.
	upgradeOpen := func(t *testing.T, b backend) (*world, [3]string, registration.Application) {
		w, k := yearWorld(t, b, [3]int{1, 1, 1})
		first := w.child(t, "F", "Frida", []string{k[0]}, false)
		u := w.child(t, "U", "Uli", []string{k[0], k[1]}, false)
		w.round(t, 1)
		_, err := w.app.Registrations.AcceptWith(w.ctx, guardianOf("U"), u.ID, registration.AcceptOptions{KeepWaiting: true})
		require.NoError(t, err)
		_, err = w.app.Registrations.Decline(w.ctx, guardianOf("F"), first.ID)
		require.NoError(t, err)
		w.round(t, 2)
		require.NotNil(t, w.state(t, u).Held())
		return w, k, u
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Run("a lapsed upgrade offer leaves the family its accepted place", func(t *testing.T) {
				w, k, u := upgradeOpen(t, b)
				yy, mm, dd := w.state(t, u).Offer().RespondBy.AddDate(0, 0, 1).Date()
				*w.now = time.Date(yy, mm, dd, 6, 0, 0, 0, berlin)
				rep, err := w.app.Registrations.LapseOffers(w.ctx, access.SystemActor)
				require.NoError(t, err)
				assert.Equal(t, 1, rep.Lapsed)
				got := w.state(t, u)
				assert.Equal(t, registration.Accepted, got.Status())
				assert.Equal(t, k[1], got.Offer().KitaID)
				assert.Equal(t, map[string]int{k[0]: 0, k[1]: 1, k[2]: 0}, w.taken(t))
			})
			t.Run("the end of the Kita year ends the upgrade offer, never the accepted place", func(t *testing.T) {
				w, k, u := upgradeOpen(t, b)
				n, err := w.app.Registrations.ExpireYear(w.ctx, jugendamt, yearOf)
				require.NoError(t, err)
				assert.Equal(t, 2, n, "Frida, who declined her only choice, and Uli's upgrade offer")
				got := w.state(t, u)
				assert.Equal(t, registration.Accepted, got.Status())
				assert.Equal(t, k[1], got.Offer().KitaID)
				assert.False(t, got.Waiting())
				assert.Equal(t, map[string]int{k[0]: 0, k[1]: 1, k[2]: 0}, w.taken(t))
			})
			t.Run("the end of the Kita year ends a wait without an offer, never the accepted place", func(t *testing.T) {
				w, k := yearWorld(t, b, [3]int{1, 1, 1})
				w.child(t, "F", "Frida", []string{k[0]}, false)
				u := w.child(t, "U", "Uli", []string{k[0], k[1]}, false)
				w.round(t, 1)
				_, err := w.app.Registrations.AcceptWith(w.ctx, guardianOf("U"), u.ID, registration.AcceptOptions{KeepWaiting: true})
				require.NoError(t, err)
				require.True(t, w.state(t, u).Waiting())
				n, err := w.app.Registrations.ExpireYear(w.ctx, jugendamt, yearOf)
				require.NoError(t, err)
				assert.Equal(t, 2, n, "Frida's open offer ends; Uli stops waiting")
				got := w.state(t, u)
				assert.Equal(t, registration.Accepted, got.Status())
				assert.Equal(t, k[1], got.Offer().KitaID)
				assert.False(t, got.Waiting(), "no choice waits after the year")
				assert.Empty(t, got.OpenChoices())
				assert.Equal(t, 1, w.taken(t)[k[1]], "the accepted place stays taken")
				again, err := w.app.Registrations.ExpireYear(w.ctx, jugendamt, yearOf)
				require.NoError(t, err)
				assert.Zero(t, again, "nothing is left to end")
			})
		})
	}
}
