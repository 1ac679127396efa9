package municipality_test

import (
	"os"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/problem"
)

func TestLoadBoundariesStreetsAndLayout(t *testing.T) {
	p, err := municipality.Load(os.DirFS("testdata/geostadt"))
	require.NoError(t, err)
	t.Run("the profile resolves in the order its districts.json names", func(t *testing.T) {
		assert.Equal(t, []district.Method{district.Geometry, district.Streets, district.PostalCode}, p.Districts.Order())
		r, err := p.Districts.Locate(district.Query{Point: geo.Point{Lat: 50.075, Lon: 10.05}})
		require.NoError(t, err)
		assert.Equal(t, "hafen", r.District.ID)
		assert.True(t, p.Districts.HasOutline())
	})
	t.Run("the profile carries the layout of the city's Kita list", func(t *testing.T) {
		require.NotNil(t, p.CatalogueLayout)
		assert.Equal(t, kita.WGS84, p.CatalogueLayout.Coordinates)
	})
	t.Run("a profile names a missing boundary file and a broken layout at once", func(t *testing.T) {
		fsys := fstest.MapFS{}
		for _, name := range []string{"profile.json", "districts.json", "offices.json", "fees.json", "streets.csv"} {
			data, err := os.ReadFile("testdata/geostadt/" + name)
			require.NoError(t, err)
			fsys[name] = &fstest.MapFile{Data: data}
		}
		fsys[municipality.LayoutFile] = &fstest.MapFile{Data: []byte(`{"columns": {"name": "Name"}}`)}
		_, err := municipality.Load(fsys)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("districts.json.boundaries.file", district.CodeFileReference), "%v", l)
		assert.True(t, l.Has("catalogue-layout.json.columns.id", kita.CodeCSVMapping), "%v", l)
	})
}
