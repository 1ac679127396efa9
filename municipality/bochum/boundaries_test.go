package bochum_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
)

// TestRealFileWithBoundaries resolves the real file's Kitas by the city's
// statistical-district boundaries. The boundaries are not shipped (see the
// README); set KITAPORTAL_BOCHUM_PROFILE to a profile directory that holds
// them (Bochum's files plus boundaries.geojson and a "boundaries" entry in
// districts.json) to run it.
func TestRealFileWithBoundaries(t *testing.T) {
	dir := os.Getenv("KITAPORTAL_BOCHUM_PROFILE")
	if dir == "" {
		t.Skip("KITAPORTAL_BOCHUM_PROFILE not set")
	}
	p, err := municipality.Load(os.DirFS(dir))
	require.NoError(t, err)
	require.Equal(t, []district.Method{district.Geometry, district.PostalCode}, p.Districts.Order())
	layout, err := bochum.Layout()
	require.NoError(t, err)
	f, err := os.Open("testdata/bochum_daycare_centers.csv")
	require.NoError(t, err)
	defer f.Close()
	res, err := kita.Import(f, layout, kita.ImportOptions{Area: p.Districts, Districts: p.Districts})
	require.NoError(t, err, "%v", res.Report.Problems)
	assert.Empty(t, res.Report.Notices, "every Kita lies in exactly one Stadtbezirk")

	table, err := bochum.Profile()
	require.NoError(t, err)
	agree, undecided, differ := 0, 0, 0
	for _, k := range res.Kitas {
		d, err := table.Districts.Resolve(k.Address)
		switch {
		case err != nil:
			undecided++
		case d.ID == k.District:
			agree++
		default:
			differ++
		}
	}
	assert.Equal(t, 193, agree+undecided+differ)
	t.Logf("geometry vs postal-code table: %d agree, %d undecided by the table, %d the table puts elsewhere", agree, undecided, differ)
}
