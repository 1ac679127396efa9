package web

import (
	"math"
	"strconv"

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

// locations places the hits' Kitas in a 400×300 picture, scaled to the
// whole catalogue's extent (north up; longitudes shrunk by the latitude's
// cosine so that distances look right). Kitas without a location are left
// out. District outlines are not drawn: the catalogue has none.
func locations(all []kita.Kita, hits []kita.Hit) []point {
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	for _, k := range all {
		if k.Location.IsZero() {
			continue
		}
		minLat, maxLat = math.Min(minLat, k.Location.Lat), math.Max(maxLat, k.Location.Lat)
		minLon, maxLon = math.Min(minLon, k.Location.Lon), math.Max(maxLon, k.Location.Lon)
	}
	if minLat >= maxLat || minLon >= maxLon {
		return nil
	}
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	w, h := (maxLon-minLon)*kx, maxLat-minLat
	scale := math.Min(380/w, 280/h)
	var out []point
	for _, hit := range hits {
		l := hit.Kita.Location
		if l.IsZero() {
			continue
		}
		out = append(out, point{
			X: 10 + int((l.Lon-minLon)*kx*scale), Y: 10 + int((maxLat-l.Lat)*scale), Title: hit.Kita.Name,
		})
	}
	return out
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
