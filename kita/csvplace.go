package kita

import (
	"regexp"
	"strings"

	"github.com/kitaportal/kitaportal/geo"
)

// germany bounds the country, the area a point must lie in when the import
// knows no city area.
var germany = geo.BBox{MinLat: 47.2, MinLon: 5.8, MaxLat: 55.1, MaxLon: 15.1}

// thousands matches a number written with thousands separators
// ("5.704.913", "376,136", "5 704 913").
var thousands = regexp.MustCompile(`^\d{1,3}(?:[.,' ]\d{3})+$`)

// minGrid is the smallest plausible easting or northing of a German grid
// coordinate in metres; a smaller value was cut short by a separator.
const minGrid = 100000

// location reads and checks the coordinates of a record. Every mistake is
// a row problem at its line and column: an unreadable cell, a thousands
// separator in a grid coordinate, latitude and longitude swapped, a UTM
// zone 33 file read as zone 32 (and the reverse), a point outside the
// city's area (or Germany).
func (im *importer) location(rec *record) geo.Point {
	sys := im.m.Coordinates
	var xk, yk string
	switch {
	case sys == WGS84:
		xk, yk = "lat", "lon"
	case sys.metric():
		xk, yk = "easting", "northing"
	default:
		return geo.Point{}
	}
	xc, okx := rec.cells[xk]
	yc, oky := rec.cells[yk]
	if !okx && !oky {
		return geo.Point{}
	}
	if !okx || !oky {
		missing, k := xc, xk
		if okx {
			missing, k = yc, yk
		}
		im.add(max(missing.line, rec.line), im.name(k), "", CodeCSVCoordinates, ErrCSV)
		return geo.Point{}
	}
	x, okx := im.coordinate(xc, xk, sys)
	y, oky := im.coordinate(yc, yk, sys)
	if !okx || !oky {
		return geo.Point{}
	}
	p, err := sys.toWGS84(x, y)
	if err != nil {
		im.add(xc.line, im.name(xk), "", CodeCSVCoordinates, ErrCSV)
		return geo.Point{}
	}
	inside := func(p geo.Point) bool {
		if im.opt.Area != nil {
			return im.opt.Area.Contains(p)
		}
		return germany.Contains(p)
	}
	if inside(p) {
		return p
	}
	code := CodeCSVOutside
	switch sys {
	case WGS84:
		if q := (geo.Point{Lat: y, Lon: x}); q.Valid() && inside(q) {
			code = CodeCSVSwapped
		}
	case UTM32:
		if q, err := geo.FromUTM33(x, y); err == nil && inside(q) {
			code = CodeCSVZone
		}
	case UTM33:
		if q, err := geo.FromUTM32(x, y); err == nil && inside(q) {
			code = CodeCSVZone
		}
	}
	im.add(xc.line, im.name(xk), "", code, ErrCSV, "system", sys.String())
	return geo.Point{}
}

// coordinate reads one coordinate cell.
func (im *importer) coordinate(c cell, key string, sys CoordinateSystem) (float64, bool) {
	if sys.metric() && thousands.MatchString(c.v) {
		if v, ok := decimal(c.v); !ok || v < minGrid {
			im.add(c.line, im.name(key), "", CodeCSVThousands, ErrCSV)
			return 0, false
		}
	}
	v, ok := decimal(strings.ReplaceAll(c.v, " ", ""))
	if !ok {
		im.add(c.line, im.name(key), "", CodeCSVCoordinates, ErrCSV)
	}
	return v, ok
}
