package district_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
)

func TestAreas(t *testing.T) {
	t.Run("a directory with boundaries gives its areas with their districts and names", func(t *testing.T) {
		areas := musterstadtGeo(t).Areas()
		require.Len(t, areas, 3)
		byName := map[string]district.Area{}
		for _, a := range areas {
			byName[a.Name] = a
		}
		require.Contains(t, byName, "Hafeninsel und Kai")
		hafen := byName["Hafeninsel und Kai"]
		assert.Equal(t, "hafen", hafen.District)
		assert.True(t, hafen.Region.Contains(geo.Point{Lat: 50.02, Lon: 10.12}))
		assert.Len(t, hafen.Region.Polygons(), 2, "the island and the quay")
		assert.Len(t, byName["Nordstadt"].Region.Polygons()[0], 2, "the outer ring and the hole")
	})
	t.Run("the polygons are a copy: changing them changes nothing", func(t *testing.T) {
		d := musterstadtGeo(t)
		polys := d.Areas()[0].Region.Polygons()
		before := d.Areas()[0].Region.Bounds()
		polys[0][0][0][0] = 0
		assert.Equal(t, before, d.Areas()[0].Region.Bounds())
		assert.NotEqual(t, polys[0][0][0], d.Areas()[0].Region.Polygons()[0][0][0])
	})
	t.Run("a directory without boundaries has no areas", func(t *testing.T) {
		f, err := os.Open("testdata/musterstadt.json")
		require.NoError(t, err)
		defer f.Close()
		d, err := district.Load(f)
		require.NoError(t, err)
		assert.Nil(t, d.Areas())
	})
}
