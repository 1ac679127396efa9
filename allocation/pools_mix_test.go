package allocation_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/allocation"
)

// TestPoolsBesideBandQuotas mixes Kitas with pools and Kitas with places
// by band in every order: each child placed at a Kita with pools has a
// pool of that Kita that fits it, and no one is left with a free place
// it wanted.
func TestPoolsBesideBandQuotas(t *testing.T) {
	pools := `"pools": [{"band": "u3", "hours": 35, "from": "2027-08", "capacity": 1}, {"band": "o3", "hours": 35, "from": "2027-08", "capacity": 1}]`
	quotas := `"capacity_by_band": {"u3": 1, "o3": 1}`
	for _, order := range []string{"PQP", "QPQ", "PPQ", "QPP", "PQQ", "QQP"} {
		t.Run(order, func(t *testing.T) {
			ids := []string{"A", "B", "C"}
			var facs, apps []string
			for i, kind := range order {
				split := quotas
				if kind == 'P' {
					split = pools
				}
				facs = append(facs, fmt.Sprintf(`{"id": %q, "capacity": 2, %s}`, ids[i], split))
			}
			for i := range 8 {
				band := []string{"u3", "o3"}[i%2]
				choices := fmt.Sprintf(`[%q, %q, %q]`, ids[i%3], ids[(i+1)%3], ids[(i+2)%3])
				apps = append(apps, fmt.Sprintf(`{"id": "a%d", "band": %q, "choices": %s}`, i, band, choices))
			}
			doc := `{"format": "kitaportal.allocation/v2", "policy": {"lottery": "per_child", "seed": 7},
				"applicants": [` + strings.Join(apps, ",") + `], "facilities": [` + strings.Join(facs, ",") + `]}`
			inst, err := allocation.Decode(strings.NewReader(doc))
			require.NoError(t, err)
			res, err := allocation.Run(inst, allocation.Options{Mechanism: allocation.DeferredAcceptance})
			require.NoError(t, err)
			placed := 0
			for app, kitaID := range res.Placements {
				if kitaID == "" {
					continue
				}
				placed++
				pool, hasPool := res.Pools[app]
				if order[strings.Index("ABC", kitaID)] == 'P' {
					require.True(t, hasPool, "%s placed at %s without its pool", app, kitaID)
					f := inst.Facilities[strings.Index("ABC", kitaID)]
					require.Less(t, pool, len(f.Pools))
				} else {
					assert.False(t, hasPool, "%s has a pool at %s, which has none", app, kitaID)
				}
			}
			assert.Equal(t, 6, placed, "six places for eight children")
			v, err := allocation.Verify(inst, res)
			require.NoError(t, err)
			assert.Empty(t, v)
		})
	}
}
