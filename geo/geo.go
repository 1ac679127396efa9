package geo

import (
	"errors"
	"math"
	"strings"
)

// ErrCoordinates: a coordinate lies outside its valid range.
var ErrCoordinates = errors.New("geo: coordinates out of range")

// Point is a WGS84 position in decimal degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// IsZero reports whether p is unset (0, 0 lies in the Gulf of Guinea, not in a German city).
func (p Point) IsZero() bool { return p.Lat == 0 && p.Lon == 0 }

// Valid reports whether p lies within -90..90 latitude and -180..180 longitude.
func (p Point) Valid() bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) &&
		p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// earthRadiusKm is the mean Earth radius (IUGG).
const earthRadiusKm = 6371.0088

// DistanceKm returns the great-circle (haversine) distance between p and q in kilometres.
func DistanceKm(p, q Point) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := p.Lat*rad, q.Lat*rad
	dφ := (q.Lat - p.Lat) * rad
	dλ := (q.Lon - p.Lon) * rad
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Address is a postal address in Germany.
type Address struct {
	Street      string `json:"street" validate:"required,max=100"`
	HouseNumber string `json:"house_number" validate:"max=20"`
	PostalCode  string `json:"postal_code" validate:"required,numeric,len=5"`
	City        string `json:"city" validate:"required,max=100"`
}

// NormalizeStreet folds a street name for comparison: lower case, "straße",
// "strasse" and "str." unified, umlauts and ß spelled out (ä→ae, ß→ss),
// hyphens, dots and spaces removed. "Herner Straße", "Herner Str." and
// "herner-strasse" all fold to "hernerstr".
func NormalizeStreet(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return streetFolder.Replace(s)
}

var streetFolder = strings.NewReplacer(
	"straße", "str", "strasse", "str", "str.", "str",
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss",
	"-", "", " ", "", ".", "", "\t", "",
)
