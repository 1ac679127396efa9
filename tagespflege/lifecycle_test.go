package tagespflege_test

import (
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

func TestCanTransition(t *testing.T) {
	const (
		open      = tagespflege.Open
		contacted = tagespflege.Contacted
		placed    = tagespflege.Placed
		closed    = tagespflege.Closed
	)
	allowed := map[[2]tagespflege.ReferralStatus]bool{
		{open, contacted}: true, {open, placed}: true, {open, closed}: true,
		{contacted, placed}: true, {contacted, closed}: true,
		{placed, closed}: true,
	}
	all := []tagespflege.ReferralStatus{0, open, contacted, placed, closed, 9}
	for _, from := range all {
		for _, to := range all {
			want := allowed[[2]tagespflege.ReferralStatus{from, to}]
			t.Run(from.String()+" to "+to.String()+" is allowed: "+map[bool]string{true: "yes", false: "no"}[want], func(t *testing.T) {
				assert.Equal(t, want, tagespflege.CanTransition(from, to))
			})
		}
	}
}

func TestNewReferral(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	r := tagespflege.NewReferral("r1", "a1", "f1", "KP-2026-0001", "mitte", t0.In(berlin))

	assert.Equal(t, tagespflege.Open, r.Status())
	assert.Equal(t, int64(1), r.Version())
	assert.Equal(t, time.UTC, r.CreatedAt.Location(), "instants are stored in UTC")
	assert.True(t, r.CreatedAt.Equal(t0))
	assert.Equal(t, r.CreatedAt, r.UpdatedAt)
	require.Len(t, r.History(), 1)
	assert.Equal(t, tagespflege.Event{At: t0, Status: tagespflege.Open}, r.History()[0])
	assert.Equal(t, []string{"r1", "a1", "f1", "KP-2026-0001", "mitte"}, []string{r.ID, r.ApplicationID, r.FamilyID, r.Reference, r.District})
}

func TestReferralSteps(t *testing.T) {
	start := date.New(2026, time.August, 1)

	t.Run("a referral is contacted, placed and closed with a full history", func(t *testing.T) {
		r := tagespflege.NewReferral("r1", "a1", "f1", "KP-1", "mitte", t0)
		require.NoError(t, r.MarkContacted(t0.Add(time.Hour), "fb-1", "called"))
		require.NoError(t, r.Place("m1", start, t0.Add(2*time.Hour), "fb-1"))
		assert.Equal(t, "m1", r.MinderID())
		assert.Equal(t, start, r.Start())
		require.NoError(t, r.Close(tagespflege.CareEnded, t0.Add(3*time.Hour), "fb-2"))

		assert.Equal(t, tagespflege.Closed, r.Status())
		assert.Equal(t, tagespflege.CareEnded, r.CloseReason())
		assert.Empty(t, r.MinderID(), "closing gives up the minder")
		assert.True(t, r.Start().IsZero())
		assert.Equal(t, t0.Add(3*time.Hour), r.UpdatedAt)
		assert.Equal(t, []tagespflege.Event{
			{At: t0, Status: tagespflege.Open},
			{At: t0.Add(time.Hour), Actor: "fb-1", Status: tagespflege.Contacted, Note: "called"},
			{At: t0.Add(2 * time.Hour), Actor: "fb-1", Status: tagespflege.Placed, MinderID: "m1"},
			{At: t0.Add(3 * time.Hour), Actor: "fb-2", Status: tagespflege.Closed, MinderID: "m1", Reason: tagespflege.CareEnded},
		}, r.History())
	})

	tests := []struct {
		name string
		from func(*tagespflege.Referral) error
		step func(*tagespflege.Referral) error
	}{
		{"a contacted referral cannot be contacted again",
			func(r *tagespflege.Referral) error { return r.MarkContacted(t0, "a", "") },
			func(r *tagespflege.Referral) error { return r.MarkContacted(t0, "a", "") }},
		{"a placed referral cannot be placed again",
			func(r *tagespflege.Referral) error { return r.Place("m1", start, t0, "a") },
			func(r *tagespflege.Referral) error { return r.Place("m2", start, t0, "a") }},
		{"a placed referral cannot go back to contacted",
			func(r *tagespflege.Referral) error { return r.Place("m1", start, t0, "a") },
			func(r *tagespflege.Referral) error { return r.MarkContacted(t0, "a", "") }},
		{"a closed referral cannot be closed again",
			func(r *tagespflege.Referral) error { return r.Close(tagespflege.NoNeed, t0, "a") },
			func(r *tagespflege.Referral) error { return r.Close(tagespflege.NoNeed, t0, "a") }},
		{"a closed referral cannot be placed",
			func(r *tagespflege.Referral) error { return r.Close(tagespflege.Withdrawn, t0, "a") },
			func(r *tagespflege.Referral) error { return r.Place("m1", start, t0, "a") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tagespflege.NewReferral("r1", "a1", "f1", "KP-1", "mitte", t0)
			require.NoError(t, tc.from(&r))
			before := tagespflege.RehydrateReferral(r, r.State()) // a deep copy
			assert.ErrorIs(t, tc.step(&r), tagespflege.ErrTransition)
			assert.Equal(t, before, r, "a refused step changes nothing")
		})
	}

	t.Run("copies of a referral do not share their history", func(t *testing.T) {
		r := tagespflege.NewReferral("r1", "a1", "f1", "KP-1", "mitte", t0)
		c := r
		require.NoError(t, r.MarkContacted(t0, "a", "first"))
		require.NoError(t, c.Place("m1", start, t0, "b"))
		assert.Equal(t, tagespflege.Contacted, r.History()[1].Status)
		assert.Equal(t, tagespflege.Placed, c.History()[1].Status)
	})
}

func TestEnums(t *testing.T) {
	t.Run("every close reason round-trips through its name", func(t *testing.T) {
		for c := tagespflege.Withdrawn; c <= tagespflege.CareEnded; c++ {
			require.True(t, c.Valid())
			got, ok := tagespflege.ParseCloseReason(c.String())
			assert.True(t, ok)
			assert.Equal(t, c, got)
		}
	})
	t.Run("the zero close reason is unset and invalid", func(t *testing.T) {
		var c tagespflege.CloseReason
		assert.False(t, c.Valid())
		assert.Equal(t, "unset", c.String())
		_, ok := tagespflege.ParseCloseReason("unset")
		assert.False(t, ok)
	})
	t.Run("every referral status round-trips through its name", func(t *testing.T) {
		for s := tagespflege.Open; s <= tagespflege.Closed; s++ {
			got, ok := tagespflege.ParseReferralStatus(s.String())
			assert.True(t, ok)
			assert.Equal(t, s, got)
		}
	})
}

func TestReferralValidate(t *testing.T) {
	t.Run("a new referral is valid", func(t *testing.T) {
		assert.NoError(t, tagespflege.NewReferral("r1", "a1", "f1", "", "mitte", t0).Validate())
	})
	t.Run("a referral without ids and status lists every problem", func(t *testing.T) {
		err := tagespflege.Referral{}.Validate()
		assert.ErrorIs(t, err, tagespflege.ErrMissing)
		assert.ErrorIs(t, err, tagespflege.ErrRange)
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.Equal(t, []string{"id", "application_id", "family_id", "district", "status"},
			[]string{list[0].Field, list[1].Field, list[2].Field, list[3].Field, list[4].Field})
	})
}
