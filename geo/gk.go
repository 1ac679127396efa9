package geo

import "math"

// Bessel 1841, the ellipsoid of the DHDN (Deutsches Hauptdreiecksnetz).
const (
	besselA = 6377397.155
	besselF = 1 / 299.1528128
	wgs84A  = 6378137.0
	wgs84F  = 1 / 298.257223563
)

// DHDNToWGS84 are the seven Helmert parameters that take DHDN to WGS84, in
// the position-vector convention of PROJ's +towgs84: shifts in metres,
// rotations in arc seconds, scale in parts per million. They are the
// parameters EPSG publishes for all of Germany (transformation EPSG:1777,
// "DHDN to WGS 84 (2)") and that PROJ's definitions of EPSG:31466–31469
// carry as +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7; they are good
// to about a metre across Germany.
var DHDNToWGS84 = Helmert{TX: 598.1, TY: 73.7, TZ: 418.2, RX: 0.202, RY: 0.045, RZ: -2.455, Scale: 6.7}

// Helmert is a seven-parameter datum shift (position-vector convention).
type Helmert struct {
	TX, TY, TZ float64 // metres
	RX, RY, RZ float64 // arc seconds
	Scale      float64 // parts per million
}

// apply shifts an earth-centred point.
func (h Helmert) apply(x, y, z float64) (float64, float64, float64) {
	const arcsec = math.Pi / (180 * 3600)
	rx, ry, rz := h.RX*arcsec, h.RY*arcsec, h.RZ*arcsec
	s := 1 + h.Scale*1e-6
	return h.TX + s*(x-rz*y+ry*z),
		h.TY + s*(rz*x+y-rx*z),
		h.TZ + s*(-ry*x+rx*y+z)
}

// toECEF turns latitude and longitude (height 0) on an ellipsoid into
// earth-centred cartesian coordinates.
func toECEF(p Point, a, f float64) (x, y, z float64) {
	const rad = math.Pi / 180
	e2 := f * (2 - f)
	φ, λ := p.Lat*rad, p.Lon*rad
	n := a / math.Sqrt(1-e2*math.Sin(φ)*math.Sin(φ))
	return n * math.Cos(φ) * math.Cos(λ), n * math.Cos(φ) * math.Sin(λ), n * (1 - e2) * math.Sin(φ)
}

// fromECEF is the inverse of toECEF (Bowring's iteration; the height is
// dropped).
func fromECEF(x, y, z, a, f float64) Point {
	const deg = 180 / math.Pi
	e2 := f * (2 - f)
	p := math.Hypot(x, y)
	φ := math.Atan2(z, p*(1-e2))
	for range 5 {
		n := a / math.Sqrt(1-e2*math.Sin(φ)*math.Sin(φ))
		h := p/math.Cos(φ) - n
		φ = math.Atan2(z, p*(1-e2*n/(n+h)))
	}
	return Point{Lat: φ * deg, Lon: math.Atan2(y, x) * deg}
}

// gaussKrüger holds the grids of Gauss–Krüger zones 2 to 5 (central
// meridians 6°, 9°, 12° and 15° E; the zone number leads the easting).
var gaussKrüger = map[int]*tm{
	2: newTM(besselA, besselF, 1, 6, 2500000),
	3: newTM(besselA, besselF, 1, 9, 3500000),
	4: newTM(besselA, besselF, 1, 12, 4500000),
	5: newTM(besselA, besselF, 1, 15, 5500000),
}

// FromGaussKrueger converts Gauss–Krüger coordinates (DHDN, Bessel
// ellipsoid; Rechtswert and Hochwert in metres, EPSG:31466–31469 for zones
// 2–5) to a WGS84 point: the inverse projection on the Bessel ellipsoid,
// then the datum shift [DHDNToWGS84]. The Rechtswert must start with the
// zone number (3 for zone 3: 3,5xx,xxx); a zone outside 2–5 or a
// Rechtswert of another zone gives [ErrCoordinates].
func FromGaussKrueger(zone int, rechts, hoch float64) (Point, error) {
	g, ok := gaussKrüger[zone]
	if !ok || !(rechts >= float64(zone)*1e6 && rechts < float64(zone+1)*1e6) {
		return Point{}, ErrCoordinates
	}
	p, err := g.inverse(rechts, hoch)
	if err != nil {
		return Point{}, err
	}
	x, y, z := toECEF(p, besselA, besselF)
	x, y, z = DHDNToWGS84.apply(x, y, z)
	return fromECEF(x, y, z, wgs84A, wgs84F), nil
}
