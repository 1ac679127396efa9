package kita_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

// pooled is a Kita whose 10 U3 and 40 Ü3 places are split by care hours
// and by the month they become free, as a city's allocation list gives
// them ("4 U3 places of 35 hours from August, 2 from January").
func pooled() kita.Kita {
	k := sample("k-pools", "Regenbogen", 51.48, 7.21)
	k.Pools = []kita.Pool{
		{Band: kita.Under3, Hours: 35, From: "2027-08", Capacity: 4},
		{Band: kita.Under3, Hours: 45, From: "2027-08", Capacity: 4},
		{Band: kita.Under3, Hours: 35, From: "2028-01", Capacity: 2},
		{Band: kita.From3, Hours: 25, From: "2027-08", Capacity: 10},
		{Band: kita.From3, Hours: 35, From: "2027-08", Capacity: 20},
		{Band: kita.From3, Hours: 45, From: "2027-08", Capacity: 10},
	}
	return k
}

func TestPoolsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(k *kita.Kita)
		want   map[string]problem.Code
	}{
		{"pools adding up to each band's places are valid", func(*kita.Kita) {}, nil},
		{"a Kita without pools is valid as before", func(k *kita.Kita) { k.Pools = nil }, nil},
		{"a pool's hours must be among the Kita's hours", func(k *kita.Kita) {
			k.Hours = kita.HoursOptions{35, 45}
			k.Pools[3].Hours, k.Pools[4].Capacity = 35, 30
			k.Pools = append(k.Pools[:3], k.Pools[4:]...)
			k.Pools[3].Hours = 25
		}, map[string]problem.Code{"pools[3].hours": kita.CodePoolHours}},
		{"a pool needs a band, a month and places not negative", func(k *kita.Kita) {
			k.Pools[0].Band = 0
			k.Pools[1].From = "2027-13"
			k.Pools[2].Capacity = -2
		}, map[string]problem.Code{
			"pools[0].band": kita.CodePoolInvalid, "pools[1].from": kita.CodePoolInvalid,
			"pools[2].capacity": kita.CodePoolInvalid, "pools": kita.CodePoolSum,
		}},
		{"two pools of the same band, hours and month are a duplicate", func(k *kita.Kita) {
			k.Pools[2].From = "2027-08"
		}, map[string]problem.Code{"pools[2]": kita.CodePoolDuplicate}},
		{"pools adding up to more than the band's places are refused", func(k *kita.Kita) {
			k.Pools[0].Capacity = 5
		}, map[string]problem.Code{"pools": kita.CodePoolSum}},
		{"a band without pools while the other has some is refused", func(k *kita.Kita) {
			k.Pools = k.Pools[:3]
		}, map[string]problem.Code{"pools": kita.CodePoolSum}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := pooled()
			tt.change(&k)
			err := k.Validate(kita.NRWHours)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			var list problem.List
			require.ErrorAs(t, err, &list)
			got := map[string]problem.Code{}
			for _, p := range list {
				got[p.Field] = p.Code
			}
			assert.Equal(t, tt.want, got)
			for _, p := range list {
				if p.Code == kita.CodePoolHours {
					assert.ErrorIs(t, p, kita.ErrHours, "unknown care hours use kita.ErrHours, as elsewhere")
				} else {
					assert.ErrorIs(t, p, kita.ErrFacility)
				}
			}
		})
	}
}

func TestPoolsTexts(t *testing.T) {
	k := pooled()
	k.Pools[0].Capacity = 3
	err := k.Validate(kita.NRWHours)
	var list problem.List
	require.ErrorAs(t, err, &list)
	tr := problem.NewTranslator(kita.Messages)
	assert.Equal(t, "Die Platzkontingente der Altersgruppe u3 ergeben 9 statt 10 Plätze.", tr.Message(list[0], "de"))
	assert.Equal(t, "The pools of age band u3 add up to 9 instead of 10 places.", tr.Message(list[0], "en"))
}

func TestPoolsCatalogue(t *testing.T) {
	t.Run("pools survive the JSON catalogue and its copies", func(t *testing.T) {
		data, err := json.Marshal([]kita.Kita{pooled(), sample("k-plain", "Ohne Kontingente", 51.5, 7.2)})
		require.NoError(t, err)
		var kitas []kita.Kita
		require.NoError(t, json.Unmarshal(data, &kitas))
		cat, err := kita.NewCatalogue(kitas, kita.NRWHours)
		require.NoError(t, err)
		got, ok := cat.Get("k-pools")
		require.True(t, ok)
		assert.Equal(t, pooled().Pools, got.Pools)
		got.Pools[0].Capacity = 99
		again, _ := cat.Get("k-pools")
		assert.Equal(t, 4, again.Pools[0].Capacity, "a copy handed out shares no pools with the catalogue")
		plain, _ := cat.Get("k-plain")
		assert.Nil(t, plain.Pools)
		assert.Equal(t, kita.HoursOptions{35, 45}, got.PoolHours(kita.Under3))
		assert.Len(t, got.PoolsOf(kita.From3), 3)
	})
	t.Run("edits replace, keep or remove the pools", func(t *testing.T) {
		k := pooled()
		e := kita.EditsOf(k)
		kept, err := k.WithEdits(e)
		require.NoError(t, err)
		assert.Equal(t, k.Pools, kept.Pools)
		e.Pools = []kita.Pool{{Band: kita.Under3, Hours: 45, From: "2027-08", Capacity: 10}, {Band: kita.From3, Hours: 35, From: "2027-08", Capacity: 40}}
		replaced, err := k.WithEdits(e)
		require.NoError(t, err)
		assert.Equal(t, e.Pools, replaced.Pools)
		e.Pools = []kita.Pool{}
		removed, err := k.WithEdits(e)
		require.NoError(t, err)
		assert.Empty(t, removed.Pools)
		e.Pools = []kita.Pool{{Band: kita.Under3, Hours: 30, From: "2027-8", Capacity: 10}}
		_, err = k.WithEdits(e)
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.Len(t, list, 3, "hours, month and the Ü3 sum")
	})
}
