package web

import (
	"math"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/kita"
)

// chart is a bar chart laid out for an SVG template: no script, no inline
// style (the Content-Security-Policy forbids both), presentation
// attributes and classes only.
type chart struct {
	Width, Height int
	Bars          []bar
	Labels        []label
}

type bar struct {
	X, Y, W, H int
	Class      string
	Title      string
}

type label struct {
	X, Y int
	Text string
}

// demandChart draws places against applications for every district and
// age band: two bars per band, the bands side by side under the district.
func demandChart(rep app.YearReport, dirs *district.Directory) chart {
	const top, base, barW, gap = 20, 220, 14, 18
	c := chart{Height: base + 50}
	max := 1
	for _, d := range rep.Demand {
		max = maxInt(max, maxInt(d.Places, d.Applications))
	}
	x := 40
	prev := ""
	for _, d := range rep.Demand {
		if d.District != prev && prev != "" {
			x += gap
		}
		if d.District != prev {
			name := d.District
			if dd, ok := dirs.Get(d.District); ok {
				name = dd.Name
			}
			c.Labels = append(c.Labels, label{X: x, Y: base + 32, Text: name})
			prev = d.District
		}
		for _, v := range []struct {
			n     int
			class string
		}{{d.Places, "places"}, {d.Applications, "demand"}} {
			h := v.n * (base - top) / max
			c.Bars = append(c.Bars, bar{X: x, Y: base - h, W: barW, H: h, Class: v.class,
				Title: d.District + " " + d.Band + ": " + strconv.Itoa(v.n)})
			x += barW
		}
		c.Labels = append(c.Labels, label{X: x - barW, Y: base + 14, Text: d.Band})
		x += 4
	}
	c.Width = x + 20
	return c
}

// rateChart draws two rates (0..1) as horizontal bars of 300 units.
func rateChart(rates ...float64) chart {
	c := chart{Width: 420, Height: 30*len(rates) + 10}
	for i, r := range rates {
		w := int(r * 300)
		c.Bars = append(c.Bars, bar{X: 100, Y: 10 + 30*i, W: w, H: 18, Class: "rate", Title: strconv.Itoa(int(r*100+0.5)) + " %"})
		c.Labels = append(c.Labels, label{X: 100 + w + 6, Y: 24 + 30*i, Text: strconv.Itoa(int(r*100+0.5)) + " %"})
	}
	return c
}

// point is a Kita drawn on the location picture.
type point struct {
	X, Y  int
	Title string
}

// outline is a district drawn on the location picture: an SVG path of
// its boundaries (holes by the even-odd rule) and its name.
type outline struct {
	D     string
	Title string
}

// outlineCache keeps the outlines last drawn: the boundaries are the
// profile's and the projection changes only with the picture's extent,
// so a search draws them once, not on every request. The zero value is
// ready; it is safe for concurrent use.
type outlineCache struct {
	mu  sync.Mutex
	key [4]float64
	out []outline
	ok  bool
}

// get returns the outlines of the extent key, drawing them on a miss.
func (c *outlineCache) get(key [4]float64, draw func() []outline) []outline {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ok || c.key != key {
		c.key, c.out, c.ok = key, draw(), true
	}
	return c.out
}

// locations places the hits' Kitas in the picture without districts.
func locations(all []kita.Kita, hits []kita.Hit) []point {
	pts, _ := picture(all, hits, nil, nil, nil)
	return pts
}

// picture places the hits' Kitas in a 400×300 picture, scaled to the
// extent of the whole catalogue and of the district boundaries (north up;
// longitudes shrunk by the latitude's cosine so that distances look
// right), and draws the boundaries of areas with the same projection, one
// outline per district named by name. The outlines are simplified
// (Douglas-Peucker, one pixel) so that a city's published boundaries,
// thousands of vertices, cost the page a few kilobytes; a ring that
// shrinks below a triangle is left out. Kitas without a location are left
// out; without areas only the Kitas are drawn. The outlines come from
// cache when it holds those of the same extent (nil: drawn anew).
func picture(all []kita.Kita, hits []kita.Hit, areas []district.Area, name func(id string) string, cache *outlineCache) ([]point, []outline) {
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	extend := func(lat, lon float64) {
		minLat, maxLat = math.Min(minLat, lat), math.Max(maxLat, lat)
		minLon, maxLon = math.Min(minLon, lon), math.Max(maxLon, lon)
	}
	for _, k := range all {
		if !k.Location.IsZero() {
			extend(k.Location.Lat, k.Location.Lon)
		}
	}
	for _, a := range areas {
		b := a.Region.Bounds()
		extend(b.MinLat, b.MinLon)
		extend(b.MaxLat, b.MaxLon)
	}
	if minLat >= maxLat || minLon >= maxLon {
		return nil, nil
	}
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	w, h := (maxLon-minLon)*kx, maxLat-minLat
	scale := math.Min(380/w, 280/h)
	project := func(lat, lon float64) (int, int) {
		return 10 + int((lon-minLon)*kx*scale), 10 + int((maxLat-lat)*scale)
	}
	var out []point
	for _, hit := range hits {
		l := hit.Kita.Location
		if l.IsZero() {
			continue
		}
		x, y := project(l.Lat, l.Lon)
		out = append(out, point{X: x, Y: y, Title: hit.Kita.Name})
	}
	if len(areas) == 0 {
		return out, nil
	}
	draw := func() []outline { return outlines(areas, name, project) }
	if cache == nil {
		return out, draw()
	}
	return out, cache.get([4]float64{minLat, maxLat, minLon, maxLon}, draw)
}

// outlines draws the areas' rings, grouped by district in the order the
// districts first appear.
func outlines(areas []district.Area, name func(id string) string, project func(lat, lon float64) (int, int)) []outline {
	dp := simplify.DouglasPeucker(1)
	var order []string
	paths := map[string][]byte{}
	for _, a := range areas {
		if _, ok := paths[a.District]; !ok {
			order = append(order, a.District)
			paths[a.District] = nil
		}
		for _, poly := range a.Region.Polygons() {
			for _, ring := range poly {
				px := make(orb.Ring, 0, len(ring))
				for _, pt := range ring {
					x, y := project(pt.Lat(), pt.Lon())
					q := orb.Point{float64(x), float64(y)}
					if len(px) == 0 || px[len(px)-1] != q {
						px = append(px, q)
					}
				}
				px = dp.Ring(px)
				if len(px) < 4 {
					continue
				}
				d := paths[a.District]
				for i, q := range px[:len(px)-1] {
					d = append(d, "ML"[min(i, 1)])
					d = strconv.AppendInt(d, int64(q[0]), 10)
					d = append(d, ' ')
					d = strconv.AppendInt(d, int64(q[1]), 10)
				}
				paths[a.District] = append(d, 'Z')
			}
		}
	}
	var out []outline
	for _, id := range order {
		if len(paths[id]) > 0 {
			out = append(out, outline{D: string(paths[id]), Title: name(id)})
		}
	}
	return out
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
