package tagespflege_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/tagespflege"
)

func TestMinderPlace(t *testing.T) {
	at := time.Date(2026, time.July, 1, 11, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	aug := date.New(2026, time.August, 1)
	full := func() tagespflege.Minder {
		m := validMinder("m1")
		m.Capacity = 1
		return tagespflege.RehydrateMinder(m, tagespflege.MinderState{Placements: []tagespflege.Placement{{ReferralID: "r0", Start: aug}}, Version: 4})
	}
	tests := []struct {
		name     string
		minder   tagespflege.Minder
		start    date.Date
		referral string
		want     error
	}{
		{"a start after the licence ends is refused", validMinder("m1"), date.New(2030, time.January, 1), "r1", tagespflege.ErrLicence},
		{"a start before the licence begins is refused", validMinder("m1"), date.New(2024, time.December, 31), "r1", tagespflege.ErrLicence},
		{"a minder whose places are all taken is full", full(), aug, "r1", tagespflege.ErrMinderFull},
		{"the same referral cannot be placed twice", tagespflege.RehydrateMinder(validMinder("m1"), tagespflege.MinderState{Placements: []tagespflege.Placement{{ReferralID: "r1", Start: aug}}}), aug, "r1", tagespflege.ErrExists},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.minder
			before := m.State()
			require.ErrorIs(t, m.Place(tc.referral, tc.start, at), tc.want)
			assert.Equal(t, before, m.State(), "a refused placement changes nothing")
		})
	}

	t.Run("a placement takes a place and stamps the change in UTC", func(t *testing.T) {
		m := validMinder("m1")
		require.NoError(t, m.Place("r1", aug, at))
		assert.Equal(t, []tagespflege.Placement{{ReferralID: "r1", Start: aug}}, m.Placements())
		assert.Equal(t, 4, m.FreePlaces(aug))
		assert.Equal(t, time.UTC, m.UpdatedAt().Location())
		assert.True(t, m.UpdatedAt().Equal(at))
	})
	t.Run("the placements read are a copy", func(t *testing.T) {
		m := full()
		p := m.Placements()
		p[0].ReferralID = "changed"
		assert.Equal(t, "r0", m.Placements()[0].ReferralID)
	})
	t.Run("a placement on a copy leaves the original alone", func(t *testing.T) {
		m := validMinder("m1")
		require.NoError(t, m.Place("r1", aug, at))
		c := m
		require.NoError(t, c.Place("r2", aug, at))
		assert.Len(t, m.Placements(), 1)
		assert.Len(t, c.Placements(), 2)
	})
}

func TestMinderEndPlacement(t *testing.T) {
	at := time.Date(2026, time.September, 1, 9, 0, 0, 0, time.UTC)
	aug := date.New(2026, time.August, 1)
	m := tagespflege.RehydrateMinder(validMinder("m1"), tagespflege.MinderState{
		Placements: []tagespflege.Placement{{ReferralID: "r1", Start: aug}, {ReferralID: "r2", Start: aug}}, Version: 3})

	t.Run("ending a placement the minder does not hold is refused", func(t *testing.T) {
		c := m
		require.ErrorIs(t, c.EndPlacement("r9", at), tagespflege.ErrNotPlaced)
		assert.Equal(t, m.State(), c.State())
	})
	t.Run("ending a placement frees its place and keeps the others", func(t *testing.T) {
		c := m
		require.NoError(t, c.EndPlacement("r1", at))
		assert.Equal(t, []tagespflege.Placement{{ReferralID: "r2", Start: aug}}, c.Placements())
		assert.Equal(t, at, c.UpdatedAt())
		assert.Len(t, m.Placements(), 2, "the original keeps its placements")
		assert.Equal(t, int64(3), c.Version(), "the store, not the method, counts versions")
	})
}

func TestGroupPlacements(t *testing.T) {
	at := time.Date(2026, time.July, 1, 9, 0, 0, 0, time.UTC)
	g := tagespflege.RehydrateGroup(tagespflege.Group{ID: "g1", District: "mitte", Capacity: 2},
		tagespflege.GroupState{Placements: []string{"r1"}, Version: 2})

	tests := []struct {
		name string
		do   func(g *tagespflege.Group) error
		want error
	}{
		{"the same referral cannot take a second place", func(g *tagespflege.Group) error { return g.Place("r1", at) }, tagespflege.ErrExists},
		{"a full group takes no one", func(g *tagespflege.Group) error {
			g.Capacity = 1
			return g.Place("r2", at)
		}, tagespflege.ErrMinderFull},
		{"ending a placement the group does not hold is refused", func(g *tagespflege.Group) error { return g.EndPlacement("r9", at) }, tagespflege.ErrNotPlaced},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := g
			require.ErrorIs(t, tc.do(&c), tc.want)
			assert.Equal(t, g.State(), c.State())
		})
	}
	t.Run("a placement takes one of the group's places and ending it frees it", func(t *testing.T) {
		c := g
		require.NoError(t, c.Place("r2", at))
		assert.Equal(t, []string{"r1", "r2"}, c.Placements())
		assert.Equal(t, 0, c.FreePlaces())
		require.NoError(t, c.EndPlacement("r1", at))
		assert.Equal(t, []string{"r2"}, c.Placements())
		assert.Equal(t, 1, c.FreePlaces())
		assert.Equal(t, []string{"r1"}, g.Placements(), "the original is unchanged")
	})
}

func TestLifecycleJSON(t *testing.T) {
	at := time.Date(2026, time.July, 1, 9, 0, 0, 0, time.UTC)
	aug := date.New(2026, time.August, 1)
	t.Run("a minder's lifecycle is encoded and read back", func(t *testing.T) {
		m := tagespflege.RehydrateMinder(validMinder("m1"), tagespflege.MinderState{
			Placements: []tagespflege.Placement{{ReferralID: "r1", Start: aug}}, CreatedAt: at, UpdatedAt: at.Add(time.Hour), Version: 5})
		b, err := json.Marshal(m)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(b, &doc))
		assert.Contains(t, doc, "placements")
		assert.InDelta(t, 5, doc["version"], 0)
		var back tagespflege.Minder
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, m, back)
	})
	t.Run("a group's lifecycle is encoded and read back", func(t *testing.T) {
		g := tagespflege.RehydrateGroup(tagespflege.Group{ID: "g1", Name: "Zwergenland", District: "mitte", MinderIDs: []string{"m1"}, Capacity: 9},
			tagespflege.GroupState{Placements: []string{"r1"}, CreatedAt: at, UpdatedAt: at, Version: 2})
		b, err := json.Marshal(g)
		require.NoError(t, err)
		var back tagespflege.Group
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, g, back)
	})
	t.Run("a placed referral keeps its minder, start and reason through JSON", func(t *testing.T) {
		r := tagespflege.NewReferral("r1", "a1", "f1", "VA-1", "mitte", at)
		require.NoError(t, r.Place("m1", aug, at, "fb"))
		b, err := json.Marshal(r)
		require.NoError(t, err)
		var back tagespflege.Referral
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, "m1", back.MinderID())
		assert.Equal(t, aug, back.Start())
		assert.Equal(t, r, back)
	})
}
