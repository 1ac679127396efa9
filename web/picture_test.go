package web

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
)

func TestOutlinesAreSimplified(t *testing.T) {
	// A district drawn as published: a ring of 20,000 vertices, about
	// 10 km across (Bochum's Stadtbezirke come with thousands each).
	const n = 20000
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		ring = append(ring, orb.Point{7.2 + 0.07*math.Cos(a), 51.48 + 0.045*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	region, err := geo.NewRegion(orb.Polygon{ring})
	require.NoError(t, err)
	areas := []district.Area{{District: "I", Region: region}}
	_, out := picture(nil, nil, areas, func(id string) string { return "Bochum-Mitte" })
	require.Len(t, out, 1)
	assert.Equal(t, "Bochum-Mitte", out[0].Title)
	vertices := strings.Count(out[0].D, "L") + 1
	t.Logf("%d vertices, %d bytes", vertices, len(out[0].D))
	assert.Less(t, vertices, 200, "one pixel of detail is enough")
	assert.Greater(t, vertices, 20, "the circle stays a circle")
	assert.Less(t, len(out[0].D), 2500, "a few kilobytes at most")
}
