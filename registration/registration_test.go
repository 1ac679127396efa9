package registration_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

func TestSubmit(t *testing.T) {
	t.Run("a valid Voranmeldung is confirmed at once with a reference number and a confirmation in the outbox", func(t *testing.T) {
		fx := newFixture(t)
		rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", validInput())
		require.NoError(t, err)
		a := rc.Application
		assert.Equal(t, registration.Confirmed, a.Status())
		assert.Equal(t, "BO-2027-000001", a.Reference)
		assert.Equal(t, "2027/2028", a.Year)
		assert.Equal(t, "I", a.District)
		assert.Equal(t, []string{"k1", "k2", "k3"}, a.OpenChoices())
		require.Len(t, a.History(), 2)
		assert.Equal(t, registration.Submitted, a.History()[0].To)
		assert.Equal(t, registration.Confirmed, a.History()[1].To)

		msgs, err := fx.store.Outbox().Messages(fx.ctx, a.ID)
		require.NoError(t, err)
		require.Len(t, msgs, 1)
		m := msgs[0]
		assert.Equal(t, notify.Confirmation, m.Kind)
		assert.Equal(t, "ayse@example.org", m.To)
		assert.Contains(t, m.Title, "BO-2027-000001")
		i1 := strings.Index(m.Body, "Kita Sonnenschein 1")
		i2 := strings.Index(m.Body, "Kita Sonnenschein 2")
		i3 := strings.Index(m.Body, "Kita Sonnenschein 3")
		assert.True(t, i1 >= 0 && i1 < i2 && i2 < i3, "the Kitas appear in rank order")
	})

	t.Run("reference numbers count up per Kita year", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		_, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		in.Child.GivenName = "Lena"
		rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		assert.Equal(t, "BO-2027-000002", rc.Application.Reference)
		in.Start = date.New(2028, time.August, 1)
		in.Child.GivenName = "Mia"
		rc, err = fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		assert.Equal(t, "BO-2028-000001", rc.Application.Reference)
	})

	t.Run("a start sooner than six months away is accepted but flagged (KiBiz § 5)", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Start = date.New(2027, time.March, 1)
		rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		assert.True(t, rc.Application.HasFlag(registration.FlagShortNotice))
		msgs, _ := fx.store.Outbox().Messages(fx.ctx, rc.Application.ID)
		require.Len(t, msgs, 1)
		assert.Contains(t, msgs[0].Body, "KiBiz")
	})

	t.Run("an application after the deadline joins the waiting list", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Start = date.New(2027, time.February, 1) // Kita year 2026/2027, deadline 15 January 2026
		rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		assert.True(t, rc.Application.HasFlag(registration.FlagLate))
	})

	t.Run("English-speaking families get the confirmation in English", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Guardians[0].Language = "en"
		rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		msgs, _ := fx.store.Outbox().Messages(fx.ctx, rc.Application.ID)
		require.Len(t, msgs, 1)
		assert.Equal(t, "en", msgs[0].Lang)
		assert.NotEqual(t, msgs[0].Title, "")
	})
}

func TestSubmitRules(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*registration.Input)
		field string
		code  problem.Code
		rule  error
	}{
		{"a sixth Kita is rejected", func(in *registration.Input) { in.Kitas = []string{"k1", "k2", "k3", "k4", "k5", "k6"} }, "kitas", "registration.too_many_choices", registration.ErrTooManyChoices},
		{"no Kita and no Tagespflege is rejected", func(in *registration.Input) { in.Kitas = nil }, "kitas", "registration.no_choice", registration.ErrNoChoice},
		{"a Kita chosen twice is rejected", func(in *registration.Input) { in.Kitas = []string{"k1", "k1"} }, "kitas[1]", "registration.duplicate_choice", registration.ErrDuplicateChoice},
		{"an unknown Kita is rejected", func(in *registration.Input) { in.Kitas = []string{"nope"} }, "kitas[0]", "registration.unknown_kita", registration.ErrUnknownKita},
		{"a Kita without the hours is rejected", func(in *registration.Input) { in.Kitas = []string{"k6"} }, "kitas[0]", "registration.kita_hours", registration.ErrKitaHours},
		{"a Kita that does not take the child's age is rejected", func(in *registration.Input) {
			in.Child.BirthDate = date.New(2025, time.June, 1)
			in.Kitas = []string{"k7"}
		}, "kitas[0]", "registration.kita_age", registration.ErrKitaAge},
		{"hours outside 25/35/45 are an error, not a rounding", func(in *registration.Input) { in.Hours = 30 }, "hours", "registration.hours_not_offered", registration.ErrHoursNotOffered},
		{"a start in the past is rejected", func(in *registration.Input) { in.Start = date.New(2026, time.November, 1) }, "start", "registration.start_in_past", registration.ErrStartInPast},
		{"a Kita year too far ahead is rejected", func(in *registration.Input) { in.Start = date.New(2029, time.August, 1) }, "start", "registration.year_not_accepted", registration.ErrYearNotAccepted},
		{"a child of school age at the start is rejected", func(in *registration.Input) {
			in.Child.BirthDate = date.New(2021, time.September, 30)
			in.Kitas = []string{"k7"}
		}, "start", "registration.school_age", registration.ErrSchoolAge},
		{"Tagespflege for a child of three is rejected", func(in *registration.Input) {
			in.Child.BirthDate = date.New(2023, time.May, 1)
			in.Kitas = nil
			in.Tagespflege = &registration.TagespflegeWish{District: "I"}
		}, "tagespflege", "registration.tagespflege_age", registration.ErrTagespflegeAge},
		{"Tagespflege in an unknown district is rejected", func(in *registration.Input) { in.Tagespflege = &registration.TagespflegeWish{District: "IX"} }, "tagespflege.district", "registration.unknown_district", registration.ErrUnknownDistrict},
		{"missing consent is rejected", func(in *registration.Input) { in.Consent = false }, "consent", "registration.consent_missing", registration.ErrConsent},
		{"a sibling Kita that was not chosen is rejected", func(in *registration.Input) { in.Criteria.SiblingKitaIDs = []string{"k5"} }, "criteria.sibling_kita_ids[0]", "registration.sibling_not_chosen", registration.ErrSiblingNotChosen},
		{"hardship without a known reason is rejected", func(in *registration.Input) { in.Criteria.Hardship = true; in.Criteria.HardshipReason = "other" }, "criteria.hardship_reason", "registration.hardship_reason", registration.ErrHardshipReason},
		{"a birth date in the future is rejected", func(in *registration.Input) { in.Child.BirthDate = date.New(2027, time.January, 1) }, "child.birth_date", "registration.birth_date", registration.ErrBirthDate},
		{"three guardians are rejected", func(in *registration.Input) {
			g := in.Guardians[0]
			in.Guardians = append(in.Guardians, g, g)
		}, "guardians", "max", problem.ErrField},
		{"a malformed e-mail address is rejected", func(in *registration.Input) { in.Guardians[0].Email = "not-an-address" }, "guardians[0].email", "email", problem.ErrField},
		{"an unknown language is rejected", func(in *registration.Input) { in.Guardians[0].Language = "fr" }, "guardians[0].language", "oneof", problem.ErrField},
		{"a missing child name is rejected", func(in *registration.Input) { in.Child.GivenName = "  " }, "child.given_name", "required", problem.ErrField},
		{"a name over 100 characters is rejected", func(in *registration.Input) { in.Child.FamilyName = strings.Repeat("ä", 101) }, "child.family_name", "max", problem.ErrField},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			in := validInput()
			tc.edit(&in)
			_, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
			require.Error(t, err)
			assert.ErrorIs(t, err, problem.ErrInvalid)
			assert.ErrorIs(t, err, tc.rule)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tc.field, tc.code), "want %s at %s, got %v", tc.code, tc.field, list)
			assert.NotContains(t, err.Error(), "Jürgen", "no personal data in errors")
			assert.NotContains(t, err.Error(), "ayse@", "no personal data in errors")

			apps, err := fx.store.Registrations().Applications(fx.ctx, registration.Query{})
			require.NoError(t, err)
			assert.Empty(t, apps, "nothing is stored")
			claimed, err := fx.store.Outbox().Claim(fx.ctx, "t", now.Add(time.Hour), time.Minute, 10)
			require.NoError(t, err)
			assert.Empty(t, claimed, "no message is queued")
		})
	}

	t.Run("every problem is reported at once, with German and English texts", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Kitas = []string{"k1", "k1", "nope", "k4", "k5", "k6"}
		in.Hours = 30
		in.Consent = false
		in.Guardians[0].Email = "x"
		_, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		var list problem.List
		require.ErrorAs(t, err, &list)
		for _, code := range []problem.Code{"registration.too_many_choices", "registration.duplicate_choice", "registration.unknown_kita", "registration.hours_not_offered", "registration.consent_missing", "email"} {
			assert.True(t, list.Has("", code), "missing %s in %v", code, list.Codes())
		}
		tr := problem.NewTranslator(registration.Messages)
		de := tr.Messages(list, "de")
		en := tr.Messages(list, "en")
		assert.Contains(t, strings.Join(de, "\n"), "höchstens 5 Kitas")
		assert.Contains(t, strings.Join(en, "\n"), "at most 5 Kitas")
		assert.Contains(t, strings.Join(de, "\n"), "E-Mail")
	})
}

func TestTagespflegeReferral(t *testing.T) {
	t.Run("a Tagespflege request creates exactly one referral for the right district and one message to that office", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Child.BirthDate = date.New(2025, time.June, 1)
		in.Tagespflege = &registration.TagespflegeWish{District: "II"}
		rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		a := rc.Application
		require.NotNil(t, a.TP)

		refs, err := fx.store.Tagespflege().Referrals(fx.ctx, "II", 0, 0)
		require.NoError(t, err)
		require.Len(t, refs, 1)
		assert.Equal(t, a.ID, refs[0].ApplicationID)
		assert.Equal(t, a.Reference, refs[0].Reference)
		others, err := fx.store.Tagespflege().Referrals(fx.ctx, "I", 0, 0)
		require.NoError(t, err)
		assert.Empty(t, others)

		msgs, err := fx.store.Outbox().Messages(fx.ctx, refs[0].ID)
		require.NoError(t, err)
		require.Len(t, msgs, 1)
		assert.Equal(t, notify.Referral, msgs[0].Kind)
		assert.Equal(t, "tagespflege-II@bochum.example", msgs[0].To)

		conf, err := fx.store.Outbox().Messages(fx.ctx, a.ID)
		require.NoError(t, err)
		require.Len(t, conf, 1)
		assert.Contains(t, conf[0].Body, "tagespflege-II@bochum.example", "the family gets the Fachberatung's contact")
	})

	t.Run("Tagespflege alone, without a Kita, is a valid Voranmeldung", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Kitas = nil
		in.Child.BirthDate = date.New(2025, time.June, 1)
		in.Tagespflege = &registration.TagespflegeWish{District: "V"}
		_, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
	})
}

func TestDuplicates(t *testing.T) {
	t.Run("the same child for the same Kita year is one application, even typed in another Unicode form", func(t *testing.T) {
		fx := newFixture(t)
		_, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", validInput())
		require.NoError(t, err)
		in := validInput()
		in.Child.GivenName = "Ju\u0308rgen" // combining diaeresis
		in.Child.FamilyName = "  ößmann-çelik "
		_, err = fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		assert.ErrorIs(t, err, registration.ErrDuplicate)
	})

	t.Run("resubmitting with the same idempotency key returns the first result", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.IdempotencyKey = "req-42"
		first, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		again, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		assert.True(t, again.Replayed)
		assert.Equal(t, first.Application.ID, again.Application.ID)
		assert.Equal(t, first.Application.Reference, again.Application.Reference)
	})

	t.Run("concurrent submissions of the same child create one application", func(t *testing.T) {
		fx := newFixture(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, dup := 0, 0
		for range 20 {
			wg.Go(func() {
				_, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", validInput())
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, registration.ErrDuplicate):
					dup++
				default:
					t.Errorf("unexpected error: %v", err)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, ok)
		assert.Equal(t, 19, dup)
		apps, _ := fx.store.Registrations().Applications(fx.ctx, registration.Query{})
		assert.Len(t, apps, 1)
	})
}

func TestLifecycle(t *testing.T) {
	staff := access.NewCarrierStaff("s1", "c1") // carrier of k1 and k2

	submit := func(t *testing.T, fx *fixture, family string, edit func(*registration.Input)) registration.Application {
		in := validInput()
		in.Child.GivenName = family
		if edit != nil {
			edit(&in)
		}
		rc, err := fx.svc.Submit(fx.ctx, guardian(family), family, in)
		require.NoError(t, err)
		return rc.Application
	}

	t.Run("accepting an offer releases every other open choice", func(t *testing.T) {
		fx := newFixture(t)
		require.NoError(t, fx.svc.SyncPlaces(fx.ctx, jugendamt, "2027/2028", fx.cat.All()))
		a := submit(t, fx, "f1", nil)
		off, err := fx.svc.Offer(fx.ctx, staff, a.ID, "k2")
		require.NoError(t, err)
		assert.Equal(t, registration.Offered, off.Status())
		acc, err := fx.svc.Accept(fx.ctx, guardian("f1"), a.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Accepted, acc.Status())
		for _, c := range acc.Choices {
			want := registration.Released
			if c.KitaID == "k2" {
				want = registration.ChoiceAccepted
			}
			assert.Equal(t, want, c.Status, c.KitaID)
		}
		_, err = fx.svc.Contracted(fx.ctx, staff, a.ID)
		require.NoError(t, err)
		con, err := fx.svc.Get(fx.ctx, jugendamt, a.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Contracted, con.Status())
		var steps []registration.Status
		for _, e := range con.History() {
			steps = append(steps, e.To)
		}
		assert.Equal(t, []registration.Status{registration.Submitted, registration.Confirmed, registration.Offered, registration.Accepted, registration.Contracted}, steps)
	})

	t.Run("a signed contract withdraws the child's applications for other Kita years", func(t *testing.T) {
		fx := newFixture(t)
		require.NoError(t, fx.svc.SyncPlaces(fx.ctx, jugendamt, "2027/2028", fx.cat.All()))
		a := submit(t, fx, "f1", nil)
		b := submit(t, fx, "f1", func(in *registration.Input) { in.Start = date.New(2028, time.August, 1) })
		_, err := fx.svc.Offer(fx.ctx, staff, a.ID, "k1")
		require.NoError(t, err)
		_, err = fx.svc.Accept(fx.ctx, guardian("f1"), a.ID)
		require.NoError(t, err)
		_, err = fx.svc.Contracted(fx.ctx, guardian("f1"), a.ID)
		require.NoError(t, err)
		other, err := fx.svc.Get(fx.ctx, guardian("f1"), b.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Withdrawn, other.Status())
	})

	t.Run("declining gives the place back and keeps the other choices waiting", func(t *testing.T) {
		fx := newFixture(t)
		require.NoError(t, fx.svc.SyncPlaces(fx.ctx, jugendamt, "2027/2028", fx.cat.All()))
		a := submit(t, fx, "f1", nil)
		_, err := fx.svc.Offer(fx.ctx, staff, a.ID, "k1")
		require.NoError(t, err)
		d, err := fx.svc.Decline(fx.ctx, guardian("f1"), a.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Declined, d.Status())
		assert.Equal(t, []string{"k2", "k3"}, d.OpenChoices())
		places, err := fx.store.Registrations().Places(fx.ctx, "2027/2028")
		require.NoError(t, err)
		for _, p := range places {
			assert.Zero(t, p.Taken, "place %v given back", p.PlaceKey)
		}
	})

	t.Run("transitions the lifecycle does not allow are refused", func(t *testing.T) {
		fx := newFixture(t)
		a := submit(t, fx, "f1", nil)
		_, err := fx.svc.Accept(fx.ctx, guardian("f1"), a.ID)
		assert.ErrorIs(t, err, registration.ErrTransition)
		_, err = fx.svc.Withdraw(fx.ctx, guardian("f1"), a.ID)
		require.NoError(t, err)
		_, err = fx.svc.Withdraw(fx.ctx, guardian("f1"), a.ID)
		assert.ErrorIs(t, err, registration.ErrTransition)
		assert.False(t, registration.CanTransition(registration.Contracted, registration.Withdrawn))
		assert.True(t, registration.CanTransition(registration.Declined, registration.Offered))
	})

	t.Run("choices can be changed until the deadline, not after", func(t *testing.T) {
		fx := newFixture(t)
		a := submit(t, fx, "f1", nil)
		ch, err := fx.svc.ChangeChoices(fx.ctx, guardian("f1"), a.ID, []string{"k4", "k1"})
		require.NoError(t, err)
		assert.Equal(t, []string{"k4", "k1"}, ch.OpenChoices())
		_, err = fx.svc.ChangeChoices(fx.ctx, guardian("f1"), a.ID, []string{"k1", "k2", "k3", "k4", "k5", "k6"})
		assert.ErrorIs(t, err, registration.ErrTooManyChoices)
		*fx.clock = time.Date(2027, time.January, 16, 9, 0, 0, 0, berlin)
		_, err = fx.svc.ChangeChoices(fx.ctx, guardian("f1"), a.ID, []string{"k1"})
		assert.ErrorIs(t, err, registration.ErrDeadline)
	})

	t.Run("fifty staff offers for the last place: exactly one wins", func(t *testing.T) {
		fx := newFixture(t)
		require.NoError(t, fx.svc.SyncPlaces(fx.ctx, jugendamt, "2027/2028", fx.cat.All()))
		var apps []registration.Application
		for i := range 50 {
			apps = append(apps, submit(t, fx, fmt.Sprintf("fam%d", i), func(in *registration.Input) {
				in.Child.BirthDate = date.New(2023, time.March, 1) // o3 at start
			}))
		}
		// Take all but one o3 place of k1.
		filler := 0
		for i := range 39 {
			a := submit(t, fx, fmt.Sprintf("fill%d", i), func(in *registration.Input) { in.Child.BirthDate = date.New(2023, time.March, 1) })
			_, err := fx.svc.Offer(fx.ctx, staff, a.ID, "k1")
			require.NoError(t, err)
			filler++
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, full := 0, 0
		for _, a := range apps {
			wg.Go(func() {
				_, err := fx.svc.Offer(fx.ctx, staff, a.ID, "k1")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errors.Is(err, registration.ErrNoPlace):
					full++
				default:
					t.Errorf("unexpected: %v", err)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, won)
		assert.Equal(t, 49, full)
	})
}

func TestAccess(t *testing.T) {
	fx := newFixture(t)
	rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", func() registration.Input {
		in := validInput()
		in.Criteria = registration.CriteriaInput{Hardship: true, HardshipReason: "medical", SiblingKitaIDs: []string{"k3"}}
		return in
	}())
	require.NoError(t, err)
	id := rc.Application.ID

	t.Run("a guardian of another family cannot submit for, read, list or change the application", func(t *testing.T) {
		other := guardian("f2")
		_, err := fx.svc.Submit(fx.ctx, other, "f1", validInput())
		assert.ErrorIs(t, err, access.ErrDenied)
		_, err = fx.svc.Get(fx.ctx, other, id)
		assert.ErrorIs(t, err, access.ErrDenied)
		list, err := fx.svc.List(fx.ctx, other, registration.Query{})
		require.NoError(t, err)
		assert.Empty(t, list)
		_, err = fx.svc.Withdraw(fx.ctx, other, id)
		assert.ErrorIs(t, err, access.ErrDenied)
		_, err = fx.svc.ChangeChoices(fx.ctx, other, id, []string{"k1"})
		assert.ErrorIs(t, err, access.ErrDenied)
	})

	t.Run("an unknown id is denied the same way as another family's", func(t *testing.T) {
		_, err := fx.svc.Get(fx.ctx, guardian("f2"), "no-such-id")
		assert.ErrorIs(t, err, access.ErrDenied)
	})

	t.Run("a carrier's staff sees only its own Kitas' choices, no rank, no hardship reason", func(t *testing.T) {
		v, err := fx.svc.Get(fx.ctx, access.NewCarrierStaff("s2", "c2"), id) // c2 runs k3 and k4
		require.NoError(t, err)
		require.Len(t, v.Choices, 1)
		assert.Equal(t, "k3", v.Choices[0].KitaID)
		assert.Zero(t, v.Choices[0].Rank)
		assert.Empty(t, string(v.Criteria.HardshipReason))
		assert.True(t, v.Criteria.Hardship)
		assert.Nil(t, v.History())
		list, err := fx.svc.List(fx.ctx, access.NewCarrierStaff("s2", "c2"), registration.Query{})
		require.NoError(t, err)
		assert.Len(t, list, 1)
	})

	t.Run("a carrier whose Kitas were not chosen sees nothing", func(t *testing.T) {
		_, err := fx.svc.Get(fx.ctx, access.NewCarrierStaff("s4", "c4"), id)
		assert.ErrorIs(t, err, access.ErrDenied)
		list, err := fx.svc.List(fx.ctx, access.NewCarrierStaff("s4", "c4"), registration.Query{})
		require.NoError(t, err)
		assert.Empty(t, list)
		_, err = fx.svc.Offer(fx.ctx, access.NewCarrierStaff("s4", "c4"), id, "k1")
		assert.ErrorIs(t, err, access.ErrDenied)
	})

	t.Run("a Fachberatung cannot list applications", func(t *testing.T) {
		_, err := fx.svc.List(fx.ctx, access.NewFachberatung("fb", "I"), registration.Query{})
		assert.ErrorIs(t, err, access.ErrDenied)
	})

	t.Run("the Jugendamt sees everything", func(t *testing.T) {
		v, err := fx.svc.Get(fx.ctx, jugendamt, id)
		require.NoError(t, err)
		assert.Equal(t, registration.HardshipReason("medical"), v.Criteria.HardshipReason)
	})
}

func TestRound(t *testing.T) {
	t.Run("a round turns open applications into offers within the places and releases after acceptance", func(t *testing.T) {
		fx := newFixture(t)
		ks := fx.cat.All()
		for i := range ks {
			ks[i].Capacity.Under3 = 1
			ks[i].Capacity.From3 = 1
		}
		require.NoError(t, fx.svc.SyncPlaces(fx.ctx, jugendamt, "2027/2028", ks))
		var ids []string
		for i := range 12 {
			in := validInput()
			in.Child.GivenName = fmt.Sprintf("Kind%d", i)
			in.Kitas = []string{"k1", "k2"}
			in.Criteria.SiblingKitaIDs = []string{"k1", "k2"} // a declined sibling Kita must not break the next round
			rc, err := fx.svc.Submit(fx.ctx, guardian(fmt.Sprint(i)), fmt.Sprint(i), in)
			require.NoError(t, err)
			ids = append(ids, rc.Application.ID)
		}
		rep, err := fx.svc.RunRound(fx.ctx, access.SystemActor, "2027/2028", registration.RoundOptions{Policy: bochumTestPolicy()})
		require.NoError(t, err)
		assert.Equal(t, 2, rep.Offers, "one u3 place at each of two Kitas")
		assert.Equal(t, 2, rep.Result.Statistics.Placed)

		// A second round places nobody new: the places are held by the offers.
		rep2, err := fx.svc.RunRound(fx.ctx, access.SystemActor, "2027/2028", registration.RoundOptions{Round: 2, Policy: bochumTestPolicy()})
		require.NoError(t, err)
		assert.Zero(t, rep2.Offers)

		// A decline frees a place that the next round fills.
		var offered string
		for _, id := range ids {
			a, _ := fx.svc.Get(fx.ctx, jugendamt, id)
			if a.Status() == registration.Offered {
				offered = id
				break
			}
		}
		a, _ := fx.svc.Get(fx.ctx, jugendamt, offered)
		_, err = fx.svc.Decline(fx.ctx, guardian(a.FamilyID), offered)
		require.NoError(t, err)
		rep3, err := fx.svc.RunRound(fx.ctx, access.SystemActor, "2027/2028", registration.RoundOptions{Round: 3, Policy: bochumTestPolicy()})
		require.NoError(t, err)
		assert.Equal(t, 1, rep3.Offers)

		_, err = fx.svc.RunRound(fx.ctx, guardian("1"), "2027/2028", registration.RoundOptions{})
		assert.ErrorIs(t, err, access.ErrDenied)
	})
}

func TestExpireYear(t *testing.T) {
	t.Run("when the Kita year is over, waiting and offered applications expire and offered places are given back", func(t *testing.T) {
		fx := newFixture(t)
		require.NoError(t, fx.svc.SyncPlaces(fx.ctx, jugendamt, "2027/2028", fx.cat.All()))
		in := validInput()
		waiting, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		in.Child.GivenName = "Ida"
		offered, err := fx.svc.Submit(fx.ctx, guardian("f2"), "f2", in)
		require.NoError(t, err)
		_, err = fx.svc.Offer(fx.ctx, access.NewCarrierStaff("s", "c1"), offered.Application.ID, "k1")
		require.NoError(t, err)

		n, err := fx.svc.ExpireYear(fx.ctx, access.SystemActor, "2027/2028")
		require.NoError(t, err)
		assert.Equal(t, 2, n)
		for _, id := range []string{waiting.Application.ID, offered.Application.ID} {
			a, err := fx.svc.Get(fx.ctx, jugendamt, id)
			require.NoError(t, err)
			assert.Equal(t, registration.Expired, a.Status())
			assert.Empty(t, a.OpenChoices())
		}
		places, err := fx.store.Registrations().Places(fx.ctx, "2027/2028")
		require.NoError(t, err)
		for _, p := range places {
			assert.Zero(t, p.Taken)
		}
		_, err = fx.svc.ExpireYear(fx.ctx, guardian("f1"), "2027/2028")
		assert.ErrorIs(t, err, access.ErrDenied)
	})
}

func TestDecode(t *testing.T) {
	t.Run("a malformed document names the offset and stores nothing", func(t *testing.T) {
		_, err := registration.Decode(strings.NewReader(`{"child": {"given_name": 5}}`))
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("", "registration.malformed"))
		assert.ErrorIs(t, err, registration.ErrMalformed)
	})
	t.Run("unknown fields are refused", func(t *testing.T) {
		_, err := registration.Decode(strings.NewReader(`{"password": "x"}`))
		assert.ErrorIs(t, err, registration.ErrMalformed)
	})
	t.Run("a document over 64 KiB is refused", func(t *testing.T) {
		_, err := registration.Decode(strings.NewReader(`{"child":{"given_name":"` + strings.Repeat("a", 70000) + `"}}`))
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("", "registration.too_large"))
	})
	t.Run("a broken date is an error, not a crash", func(t *testing.T) {
		_, err := registration.Decode(strings.NewReader(`{"child":{"birth_date":"00000-00"}}`))
		assert.ErrorIs(t, err, registration.ErrMalformed)
	})
	t.Run("a valid document round-trips", func(t *testing.T) {
		in := validInput()
		b, err := json.Marshal(in)
		require.NoError(t, err)
		got, err := registration.Decode(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Equal(t, in.Child.BirthDate, got.Child.BirthDate)
		assert.Equal(t, in.Kitas, got.Kitas)
	})
}

func TestRoundAfterDecline(t *testing.T) {
	t.Run("a family that declined its sibling's Kita still takes part in the next round", func(t *testing.T) {
		fx := newFixture(t)
		require.NoError(t, fx.svc.SyncPlaces(fx.ctx, jugendamt, "2027/2028", fx.cat.All()))
		in := validInput()
		in.Kitas = []string{"k1", "k2"}
		in.Criteria.SiblingKitaIDs = []string{"k1"}
		rc, err := fx.svc.Submit(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		_, err = fx.svc.Offer(fx.ctx, access.NewCarrierStaff("s", "c1"), rc.Application.ID, "k1")
		require.NoError(t, err)
		_, err = fx.svc.Decline(fx.ctx, guardian("f1"), rc.Application.ID)
		require.NoError(t, err)
		rep, err := fx.svc.RunRound(fx.ctx, access.SystemActor, "2027/2028", registration.RoundOptions{Round: 2, Policy: bochumTestPolicy()})
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Offers)
		a, err := fx.svc.Get(fx.ctx, jugendamt, rc.Application.ID)
		require.NoError(t, err)
		require.NotNil(t, a.Offer())
		assert.Equal(t, "k2", a.Offer().KitaID)
	})
}

func TestText(t *testing.T) {
	cases := map[string]string{
		"Lena":                  "Lena",
		"  Anna   Maria ":       "Anna Maria",
		"Ju\u0308rgen":          "Jürgen",
		"Ößmann\tÇelik":         "Ößmann Çelik",
		"Bad\x00Name\x07":       "BadName",
		"Mia ":                  "Mia",
		" Mia":                  "Mia",
		"Mia  Sophie":           "Mia Sophie",
		"Straße des 17. Juni 3": "Straße des 17. Juni 3",
	}
	for in, want := range cases {
		t.Run(fmt.Sprintf("%q becomes %q", in, want), func(t *testing.T) {
			assert.Equal(t, want, registration.Text(in))
		})
	}
}

func TestSubmitFamily(t *testing.T) {
	t.Run("the Jugendamt must name the family it registers for", func(t *testing.T) {
		fx := newFixture(t)
		_, err := fx.svc.Submit(fx.ctx, jugendamt, "", validInput())
		assert.ErrorIs(t, err, registration.ErrFamilyID)
		rc, err := fx.svc.Submit(fx.ctx, jugendamt, "f9", validInput())
		require.NoError(t, err)
		assert.Equal(t, "f9", rc.Application.FamilyID)
	})
}

func TestMessagesCoverEveryCode(t *testing.T) {
	t.Run("every registration code has a German and an English text", func(t *testing.T) {
		for code := range registration.Messages["de"] {
			assert.Contains(t, registration.Messages["en"], code)
		}
		for code := range registration.Messages["en"] {
			assert.Contains(t, registration.Messages["de"], code)
		}
	})
}
