package bochum_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
)

// TestRealOpenDataFile imports the city's own file as it is published
// (testdata/bochum_daycare_centers.csv, CC0 1.0, see testdata/README.md).
func TestRealOpenDataFile(t *testing.T) {
	layout, err := bochum.Layout()
	require.NoError(t, err)
	p, err := bochum.Profile()
	require.NoError(t, err)
	f, err := os.Open("testdata/bochum_daycare_centers.csv")
	require.NoError(t, err)
	defer f.Close()

	require.True(t, p.Districts.HasOutline(), "districts.json names Bochum's outline box")
	res, err := kita.Import(f, layout, kita.ImportOptions{Area: p.Districts, Districts: p.Districts})
	require.NoError(t, err, "%v", res.Report.Problems)
	rep := res.Report

	t.Run("every facility is imported, the two listed twice merged by their primary row", func(t *testing.T) {
		assert.Equal(t, 195, rep.Rows)
		assert.Equal(t, 193, rep.Facilities)
		assert.Equal(t, 2, rep.Merged)
		assert.Len(t, res.Kitas, 193)
		assert.Empty(t, rep.Problems)
	})
	t.Run("every category of the city is recognised", func(t *testing.T) {
		kinds := map[kita.CarrierKind]int{}
		for _, k := range res.Kitas {
			kinds[k.Carrier.Kind]++
		}
		assert.Equal(t, map[kita.CarrierKind]int{
			kita.Municipal: 20, kita.Protestant: 48, kita.Catholic: 37, kita.Welfare: 48,
			kita.ParentsInitiative: 25, kita.Company: 2, kita.OtherCarrier: 13,
		}, kinds)
	})
	t.Run("the primary category decides for a Kita listed twice", func(t *testing.T) {
		byID := map[string]kita.Kita{}
		for _, k := range res.Kitas {
			byID[k.ID] = k
		}
		assert.Equal(t, kita.Company, byID["253377"].Carrier.Kind, "Betriebskindertagesstätten is its primary row")
		assert.Equal(t, kita.Welfare, byID["23161"].Carrier.Kind, "welfare is its primary row, heilpädagogisch the second")
	})
	t.Run("addresses and coordinates are read as published", func(t *testing.T) {
		byID := map[string]kita.Kita{}
		for _, k := range res.Kitas {
			byID[k.ID] = k
			assert.InDelta(t, 51.48, k.Location.Lat, 0.08, k.ID)
			assert.InDelta(t, 7.22, k.Location.Lon, 0.15, k.ID)
			assert.Equal(t, "Bochum", k.Address.City)
		}
		assert.Equal(t, geo.Address{Street: "Suttner-Nobel-Allee", HouseNumber: "4a", PostalCode: "44789", City: "Bochum"}, byID["611861"].Address)
		assert.Equal(t, geo.Address{Street: "In der Schornau", HouseNumber: "23-25", PostalCode: "44892", City: "Bochum"}, byID["611860"].Address)
		assert.Equal(t, `Waldkindergarten "Die Waldmäuse"`, byID["385949"].Name)
	})
	t.Run("the columns the city does not publish are defaults for the carriers to maintain", func(t *testing.T) {
		assert.Equal(t, map[string]int{"hours": 193, "min_age_months": 193, "capacity_u3": 193, "capacity_o3": 193}, rep.Defaults)
		assert.Len(t, rep.CarrierMaintained, 193)
		assert.Equal(t, []string{kita.FieldHours, kita.FieldCapacity, kita.FieldAges}, rep.CarrierMaintained["611861"])
	})
	t.Run("the postal-code table alone leaves split codes undecided, as notices", func(t *testing.T) {
		undecided := 0
		for _, n := range rep.Notices {
			assert.Equal(t, kita.CodeCSVDistrictUndecided, n.Code)
			assert.Contains(t, []string{"I, III", "I, IV", "I, V", "I, VI"}, n.Params["candidates"], "a split postal code's districts")
			undecided++
		}
		decided := 0
		for _, k := range res.Kitas {
			if k.District != "" {
				decided++
			}
		}
		assert.Equal(t, 193, decided+undecided)
		assert.Positive(t, undecided)
		t.Logf("postal-code table: %d of 193 Kitas decided, %d undecided", decided, undecided)
	})
}
