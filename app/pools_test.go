package app_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// poolWorld is yearWorld with Kitas whose places for children under three
// are split into pools (kita.Pool) by care hours and by the month they
// become free; each Kita has as many places as its pools (four without
// pools).
func poolWorld(t *testing.T, b backend, pools [3][]kita.Pool) (*world, [3]string) {
	t.Helper()
	return kitaWorld(t, b, func(i int, k *kita.Kita) bool {
		if !k.Hours.Allows(35) || !k.Hours.Allows(45) {
			return false
		}
		n := 4 // a Kita without pools: four places for children under three
		if pools[i] != nil {
			n = 0
			for _, p := range pools[i] {
				n += p.Capacity
			}
		}
		k.Capacity, k.Pools = kita.Capacity{Under3: n}, pools[i]
		return true
	})
}

// hoursChild submits a child of family fam choosing kitas with the care
// hours ranked as given, from start (zero: the world's start).
func (w *world) hoursChild(t *testing.T, fam, name string, kitas []string, together bool, hours []int, start date.Date) registration.Application {
	t.Helper()
	*w.now = w.now.Add(time.Minute)
	in := w.input(name, kitas)
	in.Together = together
	in.Hours, in.HoursAlternatives = hours[0], hours[1:]
	if !start.IsZero() {
		in.Start = start
	}
	rc, err := w.app.Registrations.Submit(w.ctx, guardianOf(fam), in)
	require.NoError(t, err)
	return rc.Application
}

// offer reads a's open offer; nil for none.
func (w *world) offer(t *testing.T, a registration.Application) *registration.Offer {
	t.Helper()
	return w.state(t, a).Offer()
}

func u3(hours kita.Hours, from string, n int) kita.Pool {
	return kita.Pool{Band: kita.Under3, Hours: hours, From: from, Capacity: n}
}

// TestPoolsThroughTheService runs rounds over Kitas whose places are
// split by care hours and start month, as Münster's allocation needed in
// February 2023: families rank hours, twins are kept together with the
// same hours, and each offer names the hours and month of its place.
func TestPoolsThroughTheService(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			t.Run("twins take the Kita's 45 hours together before the next Kita's 35, and a mid-year start takes the place free from January", func(t *testing.T) {
				w, k := poolWorld(t, b, [3][]kita.Pool{
					{u3(35, "2027-08", 1), u3(45, "2027-08", 2), u3(35, "2028-01", 1)},
					{u3(35, "2027-08", 2)},
					{u3(45, "2027-08", 1)},
				})
				A, B := k[0], k[1]
				first := w.hoursChild(t, "O1", "Ole", []string{A}, false, []int{35}, date.Date{})
				ada := w.hoursChild(t, "T", "Ada", []string{A, B}, true, []int{35, 45}, date.Date{})
				ben := w.hoursChild(t, "T", "Ben", []string{A, B}, true, []int{35, 45}, date.Date{})
				mid := w.hoursChild(t, "M", "Mia", []string{A}, false, []int{35}, date.New(2028, time.January, 1))
				late := w.hoursChild(t, "O3", "Oda", []string{A, B}, false, []int{35}, date.Date{})

				rep := w.round(t, 1)
				assert.Equal(t, allocation.FormatV2, rep.Instance.Format)
				violations, err := allocation.Verify(rep.Instance, rep.Result)
				require.NoError(t, err)
				assert.Empty(t, violations)

				want := map[string]registration.Offer{
					first.ID: {KitaID: A, Hours: 35, From: "2027-08"},
					ada.ID:   {KitaID: A, Hours: 45, From: "2027-08"},
					ben.ID:   {KitaID: A, Hours: 45, From: "2027-08"},
					mid.ID:   {KitaID: A, Hours: 35, From: "2028-01"},
					late.ID:  {KitaID: B, Hours: 35, From: "2027-08"},
				}
				for _, a := range []registration.Application{first, ada, ben, mid, late} {
					o := w.offer(t, a)
					require.NotNil(t, o, a.Child.GivenName)
					assert.Equal(t, want[a.ID], registration.Offer{KitaID: o.KitaID, Hours: o.Hours, From: o.From}, a.Child.GivenName)
				}
				taken := w.poolsTaken(t)
				assert.Equal(t, map[string]int{A + " 35 2027-08": 1, A + " 45 2027-08": 2, A + " 35 2028-01": 1, B + " 35 2027-08": 1}, taken)

				// Declining gives the pool's place back, and the next
				// round offers exactly that place.
				_, err = w.app.Registrations.Decline(w.ctx, guardianOf("O1"), first.ID)
				require.NoError(t, err)
				assert.NotContains(t, w.poolsTaken(t), A+" 35 2027-08")
			})

			t.Run("an offer outside a round takes the first pool with a free place in the family's order of hours, and the contract has its hours", func(t *testing.T) {
				w, k := poolWorld(t, b, [3][]kita.Pool{{u3(35, "2027-08", 1), u3(45, "2027-08", 1)}, {u3(35, "2027-08", 1)}, {u3(35, "2027-08", 1)}})
				A := k[0]
				x := w.hoursChild(t, "X", "Xaver", []string{A}, false, []int{45, 35}, date.Date{})
				y := w.hoursChild(t, "Y", "Yuna", []string{A}, false, []int{45, 35}, date.Date{})
				z := w.hoursChild(t, "Z", "Zoe", []string{A}, false, []int{45}, date.Date{})
				got, err := w.app.Registrations.Offer(w.ctx, jugendamt, x.ID, A)
				require.NoError(t, err)
				assert.Equal(t, kita.Hours(45), got.Offer().Hours)
				got, err = w.app.Registrations.Offer(w.ctx, jugendamt, y.ID, A)
				require.NoError(t, err)
				assert.Equal(t, kita.Hours(35), got.Offer().Hours, "45 hours are taken: the family's second wish")
				_, err = w.app.Registrations.Offer(w.ctx, jugendamt, z.ID, A)
				require.ErrorIs(t, err, registration.ErrNoPlace)
				assert.Nil(t, w.offer(t, z), "a refused offer changes nothing")
				_, err = w.app.Registrations.Accept(w.ctx, guardianOf("X"), x.ID)
				require.NoError(t, err)
				ct, err := w.app.Contracts.Generate(w.ctx, jugendamt, app.ContractRequest{ApplicationID: x.ID})
				require.NoError(t, err)
				assert.Equal(t, kita.Hours(45), ct.Hours(), "the contract has the offered hours")
			})

			t.Run("the carrier changes a Kita's pools through the catalogue; pools that do not add up are refused", func(t *testing.T) {
				w, k := poolWorld(t, b, [3][]kita.Pool{{u3(35, "2027-08", 2)}, {u3(35, "2027-08", 1)}, {u3(35, "2027-08", 1)}})
				A := k[0]
				catalogue := w.app.Catalogue.All()
				before, _ := w.app.Catalogue.Get(A)
				err := w.app.Catalogue.SetPools(w.ctx, jugendamt, A, []kita.Pool{u3(35, "2027-08", 1), u3(45, "2027-13", 2)})
				var list problem.List
				require.ErrorAs(t, err, &list)
				assert.True(t, list.Has("pools[1].from", kita.CodePoolInvalid))
				assert.True(t, list.Has("pools", kita.CodePoolSum))
				unchanged, _ := w.app.Catalogue.Get(A)
				assert.Equal(t, before.Pools, unchanged.Pools)
				split := []kita.Pool{u3(35, "2027-08", 1), u3(45, "2028-01", 1)}
				require.NoError(t, w.app.Catalogue.SetPools(w.ctx, jugendamt, A, split))
				after, _ := w.app.Catalogue.Get(A)
				assert.Equal(t, split, after.Pools)
				cat, err := kita.NewCatalogue(catalogue, kita.NRWHours)
				require.NoError(t, err)
				data, err := sample()
				require.NoError(t, err)
				reopened, err := app.New(w.ctx, app.Config{Profile: data.profile, Catalogue: cat, Store: w.reopen(t),
					Transport: notify.NewMemoryTransport(), Clock: func() time.Time { return *w.now }})
				require.NoError(t, err)
				again, _ := reopened.Catalogue.Get(A)
				assert.Equal(t, split, again.Pools, "a restarted portal applies the stored edit")
			})

			t.Run("twins and siblings with lottery numbers of their own are never split and get the hours they ranked first where the places allow", func(t *testing.T) {
				pools := []kita.Pool{u3(35, "2027-08", 3), u3(45, "2027-08", 2), u3(35, "2028-01", 1)}
				w, k := poolWorld(t, b, [3][]kita.Pool{pools, pools, nil}) // the third Kita without pools
				var twins [][2]registration.Application
				var all []registration.Application
				for i := range 6 {
					fam := fmt.Sprint("TW", i)
					kitas := []string{k[i%3], k[(i+1)%3]}
					a := w.hoursChild(t, fam, "Ada", kitas, true, []int{35, 45}, date.Date{})
					c := w.hoursChild(t, fam, "Ben", kitas, true, []int{35, 45}, date.Date{})
					s := w.hoursChild(t, fam, "Sam", []string{k[(i+2)%3], k[i%3]}, false, []int{45, 35}, date.Date{})
					twins = append(twins, [2]registration.Application{a, c})
					all = append(all, a, c, s)
				}
				p := allocation.Policy{Lottery: allocation.LotteryPerChild, Seed: 2023,
					Criteria: []allocation.Criterion{{Kind: allocation.KindSibling, Mode: allocation.ModePoints, Points: 40}}}
				rep, err := w.app.Registrations.RunRound(w.ctx, jugendamt, yearOf, app.RoundOptions{Policy: &p})
				require.NoError(t, err)
				assert.Nil(t, rep.Result.Unstable)
				violations, err := allocation.Verify(rep.Instance, rep.Result)
				require.NoError(t, err)
				assert.Empty(t, violations, "no family split, no pool over its places, no place unfit, no blocking child or family")
				assert.Zero(t, rep.Skipped, "every placement of the round is written as an offer")
				kinds := map[bool]int{}
				for _, f := range rep.Instance.Facilities {
					kinds[len(f.Pools) > 0]++
					assert.True(t, len(f.Pools) == 0 || f.CapacityByBand == nil, "a Kita has pools or places by band")
				}
				require.Equal(t, 2, len(kinds), "the round mixes Kitas with pools and Kitas with places by band")
				for _, pair := range twins {
					a, c := w.offer(t, pair[0]), w.offer(t, pair[1])
					if a == nil || c == nil {
						assert.Equal(t, a == nil, c == nil, "twins are placed together or not at all")
						continue
					}
					assert.Equal(t, a.KitaID, c.KitaID, "twins are placed at the same Kita")
					assert.Equal(t, a.Hours, c.Hours, "twins get the same hours")
				}
				firstWish := 0
				for _, a := range all {
					o := w.offer(t, a)
					if o == nil {
						continue
					}
					if o.KitaID == k[2] {
						assert.Zero(t, o.Hours, "a Kita without pools offers a place of the band")
						continue
					}
					assert.Contains(t, a.RankedHours(), o.Hours, "an offer has hours the family ranked")
					assert.Equal(t, "2027-08", o.From, "nobody starting in August gets a place free only from January")
					if o.Hours == a.Hours {
						firstWish++
					}
				}
				assert.Positive(t, firstWish)
				assert.Equal(t, rep.Offers, len(slices.DeleteFunc(slices.Clone(all), func(a registration.Application) bool { return w.offer(t, a) == nil })))
			})
		})
	}
}

// poolsTaken returns the places taken per pool of the year ("kita hours
// month"), leaving out pools with none taken.
func (w *world) poolsTaken(t *testing.T) map[string]int {
	t.Helper()
	places, err := w.store.Registrations().Places(w.ctx, yearOf)
	require.NoError(t, err)
	out := map[string]int{}
	for _, p := range places {
		if p.Taken > 0 {
			out[fmt.Sprintf("%s %d %s", p.KitaID, p.Hours, p.From)] += p.Taken
		}
	}
	return out
}
