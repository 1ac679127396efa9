package bochum_test

import (
	"testing"

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
