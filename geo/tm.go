package geo

import "math"

// tm is a transverse Mercator projection on one ellipsoid, computed with
// the Krüger series (Karney 2011, "Transverse Mercator with an accuracy of a
// few nanometers", to n⁴), good to well under a millimetre within a zone.
type tm struct {
	k0, lon0, falseE float64
	a                float64 // rectifying radius A
	alpha, beta      [4]float64
	delta            [4]float64
	e                float64 // first eccentricity
}

func newTM(semiMajor, flattening, k0, lon0, falseE float64) *tm {
	n := flattening / (2 - flattening)
	n2, n3, n4 := n*n, n*n*n, n*n*n*n
	return &tm{
		k0: k0, lon0: lon0, falseE: falseE,
		a: semiMajor / (1 + n) * (1 + n2/4 + n4/64),
		alpha: [4]float64{
			n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180,
			13*n2/48 - 3*n3/5 + 557*n4/1440,
			61*n3/240 - 103*n4/140,
			49561 * n4 / 161280,
		},
		beta: [4]float64{
			n/2 - 2*n2/3 + 37*n3/96 - n4/360,
			n2/48 + n3/15 - 437*n4/1440,
			17*n3/480 - 37*n4/840,
			4397 * n4 / 161280,
		},
		delta: [4]float64{
			2*n - 2*n2/3 - 2*n3 + 116*n4/45,
			7*n2/3 - 8*n3/5 - 227*n4/45,
			56*n3/15 - 136*n4/35,
			4279 * n4 / 630,
		},
		e: math.Sqrt(flattening * (2 - flattening)),
	}
}

// inverse turns grid coordinates into latitude and longitude on the
// projection's ellipsoid. Eastings more than 500 km from the false easting
// and northings outside 0–9,400,000 m give [ErrCoordinates].
func (k *tm) inverse(easting, northing float64) (Point, error) {
	x := easting - k.falseE
	if !(x >= minEasting-utmFalseE && x <= maxEasting-utmFalseE && northing >= 0 && northing <= maxNorthing) {
		return Point{}, ErrCoordinates
	}
	ξ := northing / (k.k0 * k.a)
	η := x / (k.k0 * k.a)
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
	return Point{Lat: φ * deg, Lon: k.lon0 + λ*deg}, nil
}

// forward is the inverse of inverse. Points south of the equator, north of
// 84° or more than 30° of longitude from the central meridian give
// [ErrCoordinates].
func (k *tm) forward(p Point) (easting, northing float64, err error) {
	if !p.Valid() || p.Lat < 0 || p.Lat > 84 || math.Abs(p.Lon-k.lon0) > 30 {
		return 0, 0, ErrCoordinates
	}
	const rad = math.Pi / 180
	φ := p.Lat * rad
	λ := (p.Lon - k.lon0) * rad
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
	x := k.k0 * k.a * η
	northing = k.k0 * k.a * ξ
	if !(x >= minEasting-utmFalseE && x <= maxEasting-utmFalseE) {
		return 0, 0, ErrCoordinates
	}
	return k.falseE + x, northing, nil
}
