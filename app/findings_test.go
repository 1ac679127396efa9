package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/tagespflege"
)

func TestEmptyFamilyID(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("erasing an empty family id is invalid input and erases nothing", func(t *testing.T) {
			_, err := w.app.Registrations.Erase(w.ctx, jugendamt, "")
			require.ErrorIs(t, err, problem.ErrInvalid)
			assert.Equal(t, problem.Invalid, problem.KindOf(err))
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has("family_id", app.CodeID))
			a, err := w.app.Registrations.Get(w.ctx, jugendamt, w.appA.ID)
			require.NoError(t, err)
			assert.False(t, a.Anonymized)
			assert.Equal(t, "Lotte", a.Child.GivenName)
		})
		t.Run("exporting an empty family id is invalid input", func(t *testing.T) {
			_, err := w.app.Registrations.Export(w.ctx, jugendamt, "")
			require.ErrorIs(t, err, problem.ErrInvalid)
		})
	})
}

func TestCarrierFilter(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		w.submit(t, guardianB, "Mats", []string{w.kitas[0], w.kitaX})
		t.Run("a carrier filtering by another carrier's Kita learns nothing", func(t *testing.T) {
			apps, err := w.app.Registrations.List(w.ctx, staffT01, registration.Query{KitaIDs: []string{w.kitaX}})
			require.NoError(t, err)
			assert.Empty(t, apps)
		})
		t.Run("a carrier filtering by its own Kita sees both families in the Kita view", func(t *testing.T) {
			apps, err := w.app.Registrations.List(w.ctx, staffT01, registration.Query{KitaIDs: []string{w.kitas[0]}})
			require.NoError(t, err)
			assert.Len(t, apps, 2)
			for _, a := range apps {
				for _, c := range a.Choices {
					assert.NotEqual(t, w.kitaX, c.KitaID, "another carrier's choice in the Kita view")
				}
			}
		})
		t.Run("the Jugendamt filtering by any Kita sees its choosers", func(t *testing.T) {
			apps, err := w.app.Registrations.List(w.ctx, jugendamt, registration.Query{KitaIDs: []string{w.kitaX}})
			require.NoError(t, err)
			assert.Len(t, apps, 1)
		})
	})
}

func TestRoundYearLabel(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		for _, label := range []string{"2027/28", "2027-2028", "", "2027/2029"} {
			t.Run("the label "+label+" is refused with a code", func(t *testing.T) {
				_, err := w.app.Registrations.RunRound(w.ctx, jugendamt, label, app.RoundOptions{})
				require.ErrorIs(t, err, app.ErrYear)
				var l problem.List
				require.ErrorAs(t, err, &l)
				assert.True(t, l.Has("year", app.CodeYear))
				assert.Contains(t, w.app.Translator.Error(err, "de"), "2027/2028")
			})
		}
		t.Run("the profile's label runs the round with the catalogue's places", func(t *testing.T) {
			rep, err := w.app.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			assert.Equal(t, 1, rep.Offers)
		})
	})
}

func TestOfferLapse(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		a, err := w.app.Registrations.Offer(w.ctx, staffT01, w.appA.ID, w.kitas[0])
		require.NoError(t, err)
		require.NotNil(t, a.Offer())
		t.Run("accepting two weeks after RespondBy fails with a rule-named error", func(t *testing.T) {
			y, m, d := a.Offer().RespondBy.AddDate(0, 0, 14).Date()
			*w.now = time.Date(y, m, d, 10, 0, 0, 0, berlin)
			_, err := w.app.Registrations.Accept(w.ctx, guardianA, w.appA.ID)
			require.ErrorIs(t, err, registration.ErrOfferLapsed)
			assert.Equal(t, problem.WrongState, problem.KindOf(err))
			got, err := w.app.Registrations.Get(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, registration.Offered, got.Status())
		})
		t.Run("accepting on the RespondBy day succeeds", func(t *testing.T) {
			y, m, d := a.Offer().RespondBy.Date()
			*w.now = time.Date(y, m, d, 23, 0, 0, 0, berlin)
			_, err := w.app.Registrations.Accept(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
		})
	})
}

func TestIDsValidatedBeforeLookup(t *testing.T) {
	bad := map[string]string{
		"a NUL":                           "app\x00lication",
		"invalid UTF-8":                   "app\xff\xfe",
		"an over-long id":                 strings.Repeat("x", 300),
		"a line break":                    "a\nb",
		"a DEL after a UUID's characters": "0192f3a4-5b6c-7d8e-9f01-23456789abcd\x7f",
		"a tab after a UUID's characters": "0192f3a4-5b6c-7d8e-9f01-23456789abcd\t",
	}
	forEach(t, func(t *testing.T, w *world) {
		for name, id := range bad {
			t.Run("an id with "+name+" is invalid input on every call", func(t *testing.T) {
				calls := map[string]func() error{
					"Get":      func() error { _, err := w.app.Registrations.Get(w.ctx, jugendamt, id); return err },
					"Withdraw": func() error { _, err := w.app.Registrations.Withdraw(w.ctx, guardianA, id); return err },
					"Offer":    func() error { _, err := w.app.Registrations.Offer(w.ctx, jugendamt, w.appA.ID, id); return err },
					"Erase":    func() error { _, err := w.app.Registrations.Erase(w.ctx, jugendamt, id); return err },
					"Referral": func() error { _, err := w.app.Referrals.Get(w.ctx, fbI, id); return err },
					"Place":    func() error { _, err := w.app.Referrals.Place(w.ctx, fbI, id, "m1", w.start); return err },
					"Kita":     func() error { return w.app.Catalogue.SetClosed(w.ctx, staffT01, id, true) },
					"Key": func() error {
						in := w.input("Mia", w.kitas)
						in.IdempotencyKey = id
						_, err := w.app.Registrations.Submit(w.ctx, guardianA, in)
						return err
					},
				}
				for call, f := range calls {
					err := f()
					require.ErrorIs(t, err, problem.ErrInvalid, call)
					var l problem.List
					require.ErrorAs(t, err, &l, call)
					assert.Equal(t, []problem.Code{app.CodeID}, l.Codes(), call)
					assert.NotContains(t, err.Error(), id, "the error quotes the input")
				}
			})
		}
	})
}

func TestCataloguePersisted(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		require.NoError(t, w.app.Catalogue.UpdateProfile(w.ctx, staffT01, w.kitas[0], kita.PublicProfile{Head: "Gülşen Straßburger", Languages: []string{"de", "tr"}}))
		require.NoError(t, w.app.Catalogue.ReportFreePlaces(w.ctx, staffT01, w.kitas[0], kita.Capacity{Under3: 1, From3: 2}))
		require.NoError(t, w.app.Catalogue.SetClosed(w.ctx, staffT01, w.kitas[1], true))
		t.Run("a second instance on a reopened store sees every change", func(t *testing.T) {
			second := w.open(t, w.reopen(t))
			k, ok := second.Catalogue.Get(w.kitas[0])
			require.True(t, ok)
			assert.Equal(t, "Gülşen Straßburger", k.Profile.Head)
			assert.Equal(t, []string{"de", "tr"}, k.Profile.Languages)
			assert.Equal(t, 3, k.FreePlaces.Total())
			assert.True(t, k.FreePlacesAt.Equal(w.now.UTC()))
			k, _ = second.Catalogue.Get(w.kitas[1])
			assert.True(t, k.Closed)
		})
		t.Run("another carrier's edit is denied and stores nothing", func(t *testing.T) {
			err := w.app.Catalogue.UpdateProfile(w.ctx, staffT05, w.kitas[0], kita.PublicProfile{Head: "X"})
			require.ErrorIs(t, err, access.ErrDenied)
			k, _ := w.open(t, w.reopen(t)).Catalogue.Get(w.kitas[0])
			assert.Equal(t, "Gülşen Straßburger", k.Profile.Head)
		})
		t.Run("a bad edit is a problem list and stores nothing", func(t *testing.T) {
			err := w.app.Catalogue.ReportFreePlaces(w.ctx, staffT01, w.kitas[0], kita.Capacity{Under3: -1})
			require.ErrorIs(t, err, problem.ErrInvalid)
			k, _ := w.open(t, w.reopen(t)).Catalogue.Get(w.kitas[0])
			assert.Equal(t, 3, k.FreePlaces.Total())
		})
	})
}

func TestDuplicatesStayInTheFamily(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("the same child twice in one family is a duplicate", func(t *testing.T) {
			_, err := w.app.Registrations.Submit(w.ctx, guardianA, w.input("Lotte", w.kitas))
			require.ErrorIs(t, err, registration.ErrDuplicate)
			assert.Equal(t, problem.Exists, problem.KindOf(err))
		})
		t.Run("another family with the same child is accepted, told nothing and flagged for review", func(t *testing.T) {
			b := w.submit(t, guardianB, "Lotte", nil)
			assert.Equal(t, registration.Confirmed, b.Status())
			assert.Empty(t, b.Flags)
			reviews, err := w.app.Registrations.Reviews(w.ctx, jugendamt)
			require.NoError(t, err)
			require.Len(t, reviews, 1)
			assert.Equal(t, b.ID, reviews[0].ApplicationID)
			assert.Equal(t, registration.ReasonCrossFamilyMatch, reviews[0].Reason)
			ex, err := w.app.Registrations.Export(w.ctx, guardianB, "B")
			require.NoError(t, err)
			for _, e := range ex.Audit {
				assert.NotEqual(t, registration.AuditReview, e.Action, "family B's export reveals the match")
			}
			_, err = w.app.Registrations.Reviews(w.ctx, guardianB)
			require.ErrorIs(t, err, access.ErrDenied)

			t.Run("and its contract withdraws only its own applications", func(t *testing.T) {
				_, err := w.app.Registrations.Offer(w.ctx, jugendamt, b.ID, w.kitas[0])
				require.NoError(t, err)
				_, err = w.app.Registrations.Accept(w.ctx, guardianB, b.ID)
				require.NoError(t, err)
				_, err = w.app.Registrations.Contracted(w.ctx, guardianB, b.ID)
				require.NoError(t, err)
				a, err := w.app.Registrations.Get(w.ctx, guardianA, w.appA.ID)
				require.NoError(t, err)
				assert.Equal(t, registration.Confirmed, a.Status())
			})
		})
	})
}

func TestOneToday(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("at 23:30 UTC on 31 July every service says 1 August (Berlin)", func(t *testing.T) {
			first := date.New(2027, time.August, 1)
			w.minder(t, first)
			*w.now = time.Date(2027, time.July, 31, 23, 30, 0, 0, time.UTC)
			free, err := w.app.Referrals.FreePlaces(w.ctx, fbI, "I")
			require.NoError(t, err)
			assert.Positive(t, free, "the minder's licence starts today")
			a, err := w.app.Registrations.Offer(w.ctx, jugendamt, w.appA.ID, w.kitas[0])
			require.NoError(t, err)
			assert.Equal(t, first.AddDate(0, 0, w.app.Profile.Registration.OfferDays), a.Offer().RespondBy)
		})
	})
}

func TestPlaceWithMinder(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		minder := w.minder(t, date.New(2027, time.January, 1))
		_, err := w.app.Registrations.Offer(w.ctx, jugendamt, w.appA.ID, w.kitas[0])
		require.NoError(t, err)
		t.Run("placing with a minder releases the Kita choices in the same step", func(t *testing.T) {
			ref, err := w.app.Referrals.Place(w.ctx, fbI, w.appA.TP.ReferralID, minder, w.start)
			require.NoError(t, err)
			assert.Equal(t, tagespflege.Placed, ref.Status())
			a, err := w.app.Registrations.Get(w.ctx, jugendamt, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, registration.Withdrawn, a.Status())
			assert.Nil(t, a.Offer())
			places, err := w.store.Registrations().Places(w.ctx, "2027/2028")
			require.NoError(t, err)
			for _, p := range places {
				assert.Zero(t, p.Taken, "place %v", p.PlaceKey)
			}
		})
		t.Run("a repeated placement is a state error that reveals nothing", func(t *testing.T) {
			ref, err := w.app.Referrals.Place(w.ctx, fbI, w.appA.TP.ReferralID, minder, w.start)
			require.ErrorIs(t, err, tagespflege.ErrTransition)
			assert.Empty(t, ref.ID)
		})
	})
}

func TestFamilyMessages(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("a family reads its confirmation as sent, without the office's referral", func(t *testing.T) {
			_, err := w.app.Dispatcher.RunOnce(w.ctx)
			require.NoError(t, err)
			msgs, err := w.app.Registrations.Messages(w.ctx, guardianA, "A")
			require.NoError(t, err)
			require.Len(t, msgs, 1)
			assert.Equal(t, notify.Confirmation, msgs[0].Kind)
			assert.True(t, msgs[0].Sent)
			assert.Contains(t, msgs[0].Body, w.appA.Reference)
			assert.Contains(t, msgs[0].Body, "Lotte")
			_, err = w.app.Registrations.Messages(w.ctx, guardianB, "A")
			require.ErrorIs(t, err, access.ErrDenied)
		})
		t.Run("the export holds the referral and its message", func(t *testing.T) {
			ex, err := w.app.Registrations.Export(w.ctx, guardianA, "A")
			require.NoError(t, err)
			require.Len(t, ex.Referrals, 1)
			assert.Equal(t, w.appA.TP.ReferralID, ex.Referrals[0].ID)
			kinds := map[notify.Kind]int{}
			for _, m := range ex.Messages {
				kinds[m.Kind]++
			}
			assert.Equal(t, 1, kinds[notify.Referral])
			assert.Equal(t, 1, kinds[notify.Confirmation])
		})
	})
}

func TestContractReady(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("the family hears once that its contract is ready", func(t *testing.T) {
			_, err := w.app.Registrations.Offer(w.ctx, jugendamt, w.appA.ID, w.kitas[0])
			require.NoError(t, err)
			_, err = w.app.Registrations.Accept(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			for range 2 {
				ct, err := w.app.Contracts.Generate(w.ctx, staffT01, app.ContractRequest{ApplicationID: w.appA.ID})
				require.NoError(t, err)
				assert.NotEmpty(t, ct.Number())
			}
			msgs, err := w.app.Registrations.Messages(w.ctx, guardianA, "A")
			require.NoError(t, err)
			n := 0
			for _, m := range msgs {
				if m.Kind == notify.ContractReady {
					n++
					assert.Contains(t, m.Body, "Lotte")
				}
			}
			assert.Equal(t, 1, n)
		})
	})
}

func TestNoSilentNoOps(t *testing.T) {
	profile, err := bochum.Profile()
	require.NoError(t, err)
	t.Run("a round over a catalogue without places is an error with a code", func(t *testing.T) {
		empty, err := kita.NewCatalogue(nil, nil)
		require.NoError(t, err)
		a, err := app.New(context.Background(), app.Config{Profile: profile, Catalogue: empty, Store: memory.New(), Transport: notify.NewMemoryTransport()})
		require.NoError(t, err)
		_, err = a.Registrations.RunRound(context.Background(), jugendamt, "2027/2028", app.RoundOptions{})
		require.ErrorIs(t, err, app.ErrNoPlaces)
		assert.Equal(t, problem.WrongState, problem.KindOf(err))
	})
	t.Run("an App without store or transport is a configuration error", func(t *testing.T) {
		cat, err := bochum.Catalogue()
		require.NoError(t, err)
		_, err = app.New(context.Background(), app.Config{Profile: profile, Catalogue: cat, Transport: notify.NewMemoryTransport()})
		require.ErrorIs(t, err, app.ErrConfig)
		_, err = app.New(context.Background(), app.Config{Profile: profile, Catalogue: cat, Store: memory.New()})
		require.ErrorIs(t, err, app.ErrConfig)
	})
}
