package web

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
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
	_, out := picture(nil, nil, areas, func(id string) string { return "Bochum-Mitte" }, nil)
	require.Len(t, out, 1)
	assert.Equal(t, "Bochum-Mitte", out[0].Title)
	vertices := strings.Count(out[0].D, "L") + 1
	t.Logf("%d vertices, %d bytes", vertices, len(out[0].D))
	assert.Less(t, vertices, 200, "one pixel of detail is enough")
	assert.Greater(t, vertices, 20, "the circle stays a circle")
	assert.Less(t, len(out[0].D), 2500, "a few kilobytes at most")

	t.Run("the cache draws once per extent", func(t *testing.T) {
		var c outlineCache
		_, first := picture(nil, nil, areas, func(string) string { return "Bochum-Mitte" }, &c)
		_, again := picture(nil, nil, areas, func(string) string { return "changed" }, &c)
		assert.Equal(t, out, first)
		assert.Equal(t, first, again, "the same extent: the outlines drawn before")
		far := []kita.Kita{{ID: "k", Location: geo.Point{Lat: 51.60, Lon: 7.40}}}
		_, wider := picture(far, nil, areas, func(string) string { return "changed" }, &c)
		require.Len(t, wider, 1)
		assert.Equal(t, "changed", wider[0].Title, "another extent is drawn anew")
		assert.NotEqual(t, first[0].D, wider[0].D)
	})
}

// BenchmarkPictureBochumOutlines draws a search picture over boundaries
// the size of Bochum's published statistical districts: 30 areas in 6
// Stadtbezirke, 2,000 vertices each, with 600 Kitas found.
func BenchmarkPictureBochumOutlines(b *testing.B) {
	var areas []district.Area
	for i := range 30 {
		lon, lat := 7.1+0.05*float64(i%6), 51.40+0.03*float64(i/6)
		ring := make(orb.Ring, 0, 2001)
		for j := range 2000 {
			a := 2 * math.Pi * float64(j) / 2000
			ring = append(ring, orb.Point{lon + 0.025*math.Cos(a)*(1+0.05*math.Sin(9*a)), lat + 0.015*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		region, err := geo.NewRegion(orb.Polygon{ring})
		require.NoError(b, err)
		areas = append(areas, district.Area{District: string(rune('A' + i/5)), Region: region})
	}
	var all []kita.Kita
	var hits []kita.Hit
	for i := range 600 {
		k := kita.Kita{ID: strconv.Itoa(i), Name: "Kita", Location: geo.Point{Lat: 51.40 + 0.15*float64(i%37)/37, Lon: 7.1 + 0.3*float64(i%53)/53}}
		all = append(all, k)
		hits = append(hits, kita.Hit{Kita: k})
	}
	name := func(id string) string { return id }
	for _, bc := range []struct {
		name  string
		cache *outlineCache
	}{{"drawn", nil}, {"cached", &outlineCache{}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pts, out := picture(all, hits, areas, name, bc.cache)
				if len(pts) != 600 || len(out) != 6 {
					b.Fatal(len(pts), len(out))
				}
			}
		})
	}
}
