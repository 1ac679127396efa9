package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// BBox is a bounding box in WGS84 degrees. The zero value is empty.
type BBox struct {
	MinLat float64 `json:"min_lat"`
	MinLon float64 `json:"min_lon"`
	MaxLat float64 `json:"max_lat"`
	MaxLon float64 `json:"max_lon"`
}

// IsZero reports whether b is unset.
func (b BBox) IsZero() bool { return b == BBox{} }

// Valid reports whether b is a non-empty box of valid points.
func (b BBox) Valid() bool {
	lo, hi := Point{Lat: b.MinLat, Lon: b.MinLon}, Point{Lat: b.MaxLat, Lon: b.MaxLon}
	return lo.Valid() && hi.Valid() && b.MinLat < b.MaxLat && b.MinLon < b.MaxLon
}

// Contains reports whether p lies in b (edges included).
func (b BBox) Contains(p Point) bool {
	return p.Lat >= b.MinLat && p.Lat <= b.MaxLat && p.Lon >= b.MinLon && p.Lon <= b.MaxLon
}

// Region is an area: one or more polygons, each an outer ring with optional
// holes, in WGS84 longitude/latitude. The zero value is empty. A Region is
// read-only and safe for concurrent use.
type Region struct {
	polys orb.MultiPolygon
	bound orb.Bound
}

// NewRegion makes a region of a GeoJSON-style geometry: an orb.Polygon or
// orb.MultiPolygon in longitude/latitude. Other geometries, rings with fewer
// than four points and coordinates outside the valid range give
// [ErrCoordinates].
func NewRegion(g orb.Geometry) (Region, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return Region{}, ErrCoordinates
	}
	if len(mp) == 0 {
		return Region{}, ErrCoordinates
	}
	for _, poly := range mp {
		if len(poly) == 0 {
			return Region{}, ErrCoordinates
		}
		for _, ring := range poly {
			if len(ring) < 4 {
				return Region{}, ErrCoordinates
			}
			for _, pt := range ring {
				if !(Point{Lat: pt.Lat(), Lon: pt.Lon()}).Valid() || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
					return Region{}, ErrCoordinates
				}
			}
		}
	}
	mp = mp.Clone()
	return Region{polys: mp, bound: mp.Bound()}, nil
}

// Union returns a region of the polygons of r and o.
func Union(r, o Region) Region {
	if r.IsZero() {
		return o
	}
	if o.IsZero() {
		return r
	}
	mp := append(r.polys.Clone(), o.polys.Clone()...)
	return Region{polys: mp, bound: mp.Bound()}
}

// IsZero reports whether r holds no polygon.
func (r Region) IsZero() bool { return len(r.polys) == 0 }

// Contains reports whether p lies inside r: inside an outer ring and not in
// one of its holes (points on an edge count as inside).
func (r Region) Contains(p Point) bool {
	if r.IsZero() {
		return false
	}
	pt := orb.Point{p.Lon, p.Lat}
	if !r.bound.Contains(pt) {
		return false
	}
	return planar.MultiPolygonContains(r.polys, pt)
}

// Polygons returns a copy of r's polygons in longitude/latitude (outer
// ring first, then its holes), for drawing; nil for the empty region.
func (r Region) Polygons() orb.MultiPolygon {
	if r.IsZero() {
		return nil
	}
	return r.polys.Clone()
}

// Bounds returns the smallest box around r.
func (r Region) Bounds() BBox {
	if r.IsZero() {
		return BBox{}
	}
	return BBox{MinLat: r.bound.Min.Lat(), MinLon: r.bound.Min.Lon(), MaxLat: r.bound.Max.Lat(), MaxLon: r.bound.Max.Lon()}
}

// AreaKm2 returns the area of r in square kilometres (holes subtracted), on
// a sphere; good to a fraction of a per cent at a city's size.
func (r Region) AreaKm2() float64 {
	var sum float64
	for _, poly := range r.polys {
		for i, ring := range poly {
			a := math.Abs(ringArea(ring))
			if i > 0 {
				a = -a
			}
			sum += a
		}
	}
	return sum / 1e6
}

// ringArea is the spherical excess area of a ring in square metres.
func ringArea(ring orb.Ring) float64 {
	const rad = math.Pi / 180
	var sum float64
	for i := range len(ring) - 1 {
		p, q := ring[i], ring[i+1]
		sum += (q[0] - p[0]) * rad * (2 + math.Sin(p[1]*rad) + math.Sin(q[1]*rad))
	}
	const r = earthRadiusKm * 1000
	return sum * r * r / 2
}

// DistanceM returns how far p lies from r in metres: 0 inside, otherwise
// the distance to the nearest edge (on a local flat approximation, good to
// a fraction of a per cent over a few kilometres).
func (r Region) DistanceM(p Point) float64 {
	if r.IsZero() {
		return math.Inf(1)
	}
	if r.Contains(p) {
		return 0
	}
	const rad = math.Pi / 180
	const m = earthRadiusKm * 1000 * rad // metres per degree of latitude
	kx := m * math.Cos(p.Lat*rad)
	best := math.Inf(1)
	for _, poly := range r.polys {
		for _, ring := range poly {
			for i := range len(ring) - 1 {
				ax, ay := (ring[i][0]-p.Lon)*kx, (ring[i][1]-p.Lat)*m
				bx, by := (ring[i+1][0]-p.Lon)*kx, (ring[i+1][1]-p.Lat)*m
				dx, dy := bx-ax, by-ay
				t := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					t = max(0, min(1, -(ax*dx+ay*dy)/l))
				}
				best = min(best, math.Hypot(ax+t*dx, ay+t*dy))
			}
		}
	}
	return best
}
