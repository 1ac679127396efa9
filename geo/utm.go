package geo

import "math"

// GRS80 ellipsoid (ETRS89), which agrees with WGS84 to well below a
// millimetre in the semi-minor axis; at the accuracy a Kita map needs the two
// datums are the same.
const (
	grs80A = 6378137.0
	grs80F = 1 / 298.257222101

	utmK0       = 0.9996
	utmFalseE   = 500000.0
	zone32Lon0  = 9.0 // central meridian of UTM zone 32, degrees east
	minEasting  = 0.0
	maxEasting  = 1000000.0
	maxNorthing = 9400000.0
)

// krüger holds the coefficients of the Krüger series (Karney 2011, to n⁴),
// good to well under a millimetre within a UTM zone.
var krüger = func() (k struct {
	a           float64 // rectifying radius A
	alpha, beta [4]float64
	delta       [4]float64
	e           float64 // first eccentricity
}) {
	n := grs80F / (2 - grs80F)
	n2, n3, n4 := n*n, n*n*n, n*n*n*n
	k.a = grs80A / (1 + n) * (1 + n2/4 + n4/64)
	k.alpha = [4]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180,
		13*n2/48 - 3*n3/5 + 557*n4/1440,
		61*n3/240 - 103*n4/140,
		49561 * n4 / 161280,
	}
	k.beta = [4]float64{
		n/2 - 2*n2/3 + 37*n3/96 - n4/360,
		n2/48 + n3/15 - 437*n4/1440,
		17*n3/480 - 37*n4/840,
		4397 * n4 / 161280,
	}
	k.delta = [4]float64{
		2*n - 2*n2/3 - 2*n3 + 116*n4/45,
		7*n2/3 - 8*n3/5 - 227*n4/45,
		56*n3/15 - 136*n4/35,
		4279 * n4 / 630,
	}
	k.e = math.Sqrt(grs80F * (2 - grs80F))
	return k
}()

// FromUTM32 converts UTM zone 32N coordinates (ETRS89, EPSG:25832: easting
// and northing in metres, as German open data publishes them) to a WGS84
// point, by the Krüger series. ETRS89 and WGS84 differ by well under a metre
// in Germany, so the result is a WGS84 point for every purpose of the portal.
//
// Eastings outside 0–1,000,000 m (Görlitz, at the eastern edge of
// Germany, lies near 920,000) and northings outside 0–9,400,000 m
// (and NaN or infinite values) give [ErrCoordinates].
func FromUTM32(easting, northing float64) (Point, error) {
	if !(easting >= minEasting && easting <= maxEasting && northing >= 0 && northing <= maxNorthing) {
		return Point{}, ErrCoordinates
	}
	k := &krüger
	ξ := northing / (utmK0 * k.a)
	η := (easting - utmFalseE) / (utmK0 * k.a)
	ξ1, η1 := ξ, η
	for j := 1; j <= 4; j++ {
		b := k.beta[j-1]
		ξ1 -= b * math.Sin(2*float64(j)*ξ) * math.Cosh(2*float64(j)*η)
		η1 -= b * math.Cos(2*float64(j)*ξ) * math.Sinh(2*float64(j)*η)
	}
	χ := math.Asin(math.Sin(ξ1) / math.Cosh(η1))
	φ := χ
	for j := 1; j <= 4; j++ {
		φ += k.delta[j-1] * math.Sin(2*float64(j)*χ)
	}
	λ := math.Atan2(math.Sinh(η1), math.Cos(ξ1))
	const deg = 180 / math.Pi
	return Point{Lat: φ * deg, Lon: zone32Lon0 + λ*deg}, nil
}

// ToUTM32 converts a WGS84 point to UTM zone 32N (EPSG:25832) easting and
// northing in metres, the inverse of [FromUTM32]. Points south of the
// equator or more than 30° of longitude from the zone's central meridian
// (9° E) give [ErrCoordinates].
func ToUTM32(p Point) (easting, northing float64, err error) {
	if !p.Valid() || p.Lat < 0 || p.Lat > 84 || math.Abs(p.Lon-zone32Lon0) > 30 {
		return 0, 0, ErrCoordinates
	}
	k := &krüger
	const rad = math.Pi / 180
	φ := p.Lat * rad
	λ := (p.Lon - zone32Lon0) * rad
	// Conformal latitude via the isometric latitude.
	t := math.Sinh(math.Atanh(math.Sin(φ)) - k.e*math.Atanh(k.e*math.Sin(φ)))
	ξ1 := math.Atan2(t, math.Cos(λ))
	η1 := math.Atanh(math.Sin(λ) / math.Sqrt(1+t*t))
	ξ, η := ξ1, η1
	for j := 1; j <= 4; j++ {
		a := k.alpha[j-1]
		ξ += a * math.Sin(2*float64(j)*ξ1) * math.Cosh(2*float64(j)*η1)
		η += a * math.Cos(2*float64(j)*ξ1) * math.Sinh(2*float64(j)*η1)
	}
	easting = utmFalseE + utmK0*k.a*η
	northing = utmK0 * k.a * ξ
	if !(easting >= minEasting && easting <= maxEasting) {
		return 0, 0, ErrCoordinates
	}
	return easting, northing, nil
}
