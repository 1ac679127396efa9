package registration_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// codes maps each problem's field to its code.
func codes(t *testing.T, err error) map[string]problem.Code {
	t.Helper()
	var l problem.List
	require.ErrorAs(t, err, &l)
	out := map[string]problem.Code{}
	for _, p := range l {
		out[p.Field] = p.Code
	}
	return out
}

func TestRankedHours(t *testing.T) {
	withPools := func(ks []kita.Kita) {
		// k2 splits its Ü3 places (the test child is three at its
		// start): 35 hours from August, 45 from January.
		ks[1].Pools = []kita.Pool{
			{Band: kita.From3, Hours: 35, From: "2027-08", Capacity: 30}, {Band: kita.From3, Hours: 45, From: "2028-01", Capacity: 10},
			{Band: kita.Under3, Hours: 25, From: "2027-08", Capacity: 10},
		}
	}
	tests := []struct {
		name  string
		hours int
		alts  []int
		kitas []string
		want  map[string]problem.Code // nil: accepted
	}{
		{"35 before 45 hours is accepted", 35, []int{45}, []string{"k1", "k2"}, nil},
		{"three ranked hours are accepted", 45, []int{35, 25}, []string{"k1"}, nil},
		{"a Kita offering only a later wish is accepted", 35, []int{25}, []string{"k1", "k6"}, nil},
		{"a Kita offering none of the wishes is refused", 35, []int{45}, []string{"k1", "k6"},
			map[string]problem.Code{"kitas[1]": "registration.kita_hours"}},
		{"hours the city does not offer are refused", 35, []int{30}, []string{"k1"},
			map[string]problem.Code{"hours_alternatives[0]": "registration.hours_not_offered"}},
		{"the first wish again is a duplicate", 35, []int{45, 35}, []string{"k1"},
			map[string]problem.Code{"hours_alternatives[1]": "registration.hours_duplicate"}},
		{"a later wish twice is a duplicate", 35, []int{45, 45}, []string{"k1"},
			map[string]problem.Code{"hours_alternatives[1]": "registration.hours_duplicate"}},
		{"more further wishes than allowed are refused", 35, []int{25, 45, 25, 45, 25, 45}, []string{"k1"},
			map[string]problem.Code{"hours_alternatives": "registration.too_many_hours"}},
		{"a Kita with pools offers the hours of the child's band's pools", 25, nil, []string{"k2"},
			map[string]problem.Code{"kitas[0]": "registration.kita_hours"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, withPools)
			in := validInput()
			in.Hours, in.HoursAlternatives, in.Kitas = tt.hours, tt.alts, tt.kitas
			rc, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
			if tt.want == nil {
				require.NoError(t, err)
				want := []kita.Hours{kita.Hours(tt.hours)}
				for _, h := range tt.alts {
					want = append(want, kita.Hours(h))
				}
				assert.Equal(t, want, rc.Application.RankedHours())
				stored, err := fx.get(rc.Application.ID)
				require.NoError(t, err)
				assert.Equal(t, want, stored.RankedHours())
				return
			}
			assert.Equal(t, tt.want, codes(t, err))
			if _, many := tt.want["hours_alternatives"]; many {
				assert.ErrorIs(t, err, registration.ErrTooManyHours)
				assert.NotErrorIs(t, err, registration.ErrHoursNotOffered, "too many wishes is its own rule")
			}
			list, _ := fx.store.Registrations().Applications(fx.ctx, registration.Query{})
			assert.Empty(t, list, "a refused application stores nothing")
		})
	}
	t.Run("the hours a Kita offers are the family's in its order", func(t *testing.T) {
		fx := newFixture(t, withPools)
		in := validInput()
		in.Hours, in.HoursAlternatives, in.Kitas = 45, []int{25, 35}, []string{"k1", "k2"}
		rc, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		k1, _ := fx.cat.Get("k1")
		k2, _ := fx.cat.Get("k2")
		assert.Equal(t, []kita.Hours{45, 25, 35}, rc.Application.HoursAt(k1))
		assert.Equal(t, []kita.Hours{45, 35}, rc.Application.HoursAt(k2), "k2's Ü3 pools offer 35 and 45 hours only")
	})
}

func TestRankedHoursDocument(t *testing.T) {
	t.Run("a document without further hours reads as before", func(t *testing.T) {
		in, err := registration.Decode(strings.NewReader(`{"hours": 35}`))
		require.NoError(t, err)
		assert.Equal(t, 35, in.Hours)
		assert.Nil(t, in.HoursAlternatives)
	})
	t.Run("further hours are read in their order", func(t *testing.T) {
		in, err := registration.Decode(strings.NewReader(`{"hours": 35, "hours_alternatives": [45, 25]}`))
		require.NoError(t, err)
		assert.Equal(t, []int{45, 25}, in.HoursAlternatives)
	})
	t.Run("further hours of the wrong type are a problem of their field", func(t *testing.T) {
		_, err := registration.Decode(strings.NewReader(`{"hours": 35, "hours_alternatives": ["45"]}`))
		require.ErrorIs(t, err, registration.ErrMalformed)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.Contains(t, l[0].Field, "hours_alternatives")
	})
}

func TestChangeHours(t *testing.T) {
	t.Run("the family reorders its hours, audited", func(t *testing.T) {
		fx := newFixture(t)
		rc, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", validInput())
		require.NoError(t, err)
		a, err := fx.svc.ChangeHours(fx.ctx, guardian("f1"), rc.Application.ID, []kita.Hours{45, 35})
		require.NoError(t, err)
		assert.Equal(t, []kita.Hours{45, 35}, a.RankedHours())
		stored, err := fx.get(a.ID)
		require.NoError(t, err)
		assert.Equal(t, []kita.Hours{45, 35}, stored.RankedHours())
		assert.Equal(t, "hours_changed", stored.LastReason())
	})
	t.Run("a ranking a chosen Kita cannot meet changes nothing", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Hours, in.HoursAlternatives, in.Kitas = 35, []int{25}, []string{"k1", "k6"}
		rc, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		_, err = fx.svc.ChangeHours(fx.ctx, guardian("f1"), rc.Application.ID, []kita.Hours{35, 45})
		assert.Equal(t, map[string]problem.Code{"kitas[1]": "registration.kita_hours"}, codes(t, err))
		stored, err := fx.get(rc.Application.ID)
		require.NoError(t, err)
		assert.Equal(t, []kita.Hours{35, 25}, stored.RankedHours())
	})
	t.Run("no hours at all is refused", func(t *testing.T) {
		fx := newFixture(t)
		rc, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", validInput())
		require.NoError(t, err)
		_, err = fx.svc.ChangeHours(fx.ctx, guardian("f1"), rc.Application.ID, nil)
		assert.Equal(t, map[string]problem.Code{"hours": "required"}, codes(t, err))
	})
}
