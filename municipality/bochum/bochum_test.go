package bochum_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/municipality/bochum"
)

func TestProfile(t *testing.T) {
	t.Run("the embedded Bochum profile loads and validates", func(t *testing.T) {
		p, err := bochum.Profile()
		require.NoError(t, err)
		assert.Equal(t, "Bochum", p.Name)
		assert.Equal(t, 5, p.Registration.MaxChoices)
		assert.Len(t, p.Districts.All(), 6)
		for _, d := range p.Districts.All() {
			_, ok := p.Offices.ForDistrict(d.ID)
			assert.True(t, ok, "office for district %s", d.ID)
		}
		assert.Equal(t, "Europe/Berlin", p.Location.String())
	})
}

func TestSample(t *testing.T) {
	t.Run("the sample catalogue has Bochum's 190 Kitas and 11,435 places in six districts", func(t *testing.T) {
		cat, err := bochum.Catalogue()
		require.NoError(t, err)
		assert.Equal(t, bochum.SampleKitas, cat.Len())
		places, u3 := 0, 0
		districts := map[string]int{}
		for _, k := range cat.All() {
			places += k.Capacity.Total()
			u3 += k.Capacity.Under3
			districts[k.District]++
			assert.True(t, k.Location.Valid() && !k.Location.IsZero())
			assert.InDelta(t, 51.48, k.Location.Lat, 0.1, "UTM coordinates converted into Bochum")
		}
		assert.Equal(t, bochum.SamplePlaces, places)
		assert.Equal(t, 2171, u3)
		assert.Len(t, districts, 6)
	})

	t.Run("the sample minders are 610 valid Tagespflegepersonen", func(t *testing.T) {
		ms := bochum.Minders(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		require.Len(t, ms, bochum.SampleMinders)
		for _, m := range ms {
			require.NoError(t, m.Validate())
		}
	})
}
