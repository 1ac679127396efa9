package geo

// GRS80 ellipsoid (ETRS89), which agrees with WGS84 to well below a
// millimetre in the semi-minor axis; at the accuracy a Kita map needs the two
// datums are the same.
const (
	grs80A = 6378137.0
	grs80F = 1 / 298.257222101

	utmK0       = 0.9996
	utmFalseE   = 500000.0
	minEasting  = 0.0
	maxEasting  = 1000000.0
	maxNorthing = 9400000.0
)

// utm32 and utm33 are the two UTM zones of Germany on the ETRS89 ellipsoid.
var (
	utm32 = newTM(grs80A, grs80F, utmK0, 9, utmFalseE)
	utm33 = newTM(grs80A, grs80F, utmK0, 15, utmFalseE)
)

// FromUTM32 converts UTM zone 32N coordinates (ETRS89, EPSG:25832: easting
// and northing in metres, as German open data publishes them) to a WGS84
// point, by the Krüger series. ETRS89 and WGS84 differ by well under a metre
// in Germany, so the result is a WGS84 point for every purpose of the portal.
//
// Eastings outside 0–1,000,000 m (Görlitz, at the eastern edge of
// Germany, lies near 920,000) and northings outside 0–9,400,000 m
// (and NaN or infinite values) give [ErrCoordinates].
func FromUTM32(easting, northing float64) (Point, error) { return utm32.inverse(easting, northing) }

// ToUTM32 converts a WGS84 point to UTM zone 32N (EPSG:25832) easting and
// northing in metres, the inverse of [FromUTM32]. Points south of the
// equator or more than 30° of longitude from the zone's central meridian
// (9° E) give [ErrCoordinates].
func ToUTM32(p Point) (easting, northing float64, err error) { return utm32.forward(p) }

// FromUTM33 converts UTM zone 33N coordinates (ETRS89, EPSG:25833, the grid
// of Berlin, Brandenburg, Saxony and Mecklenburg-Western Pomerania) to a
// WGS84 point, like [FromUTM32].
func FromUTM33(easting, northing float64) (Point, error) { return utm33.inverse(easting, northing) }

// ToUTM33 converts a WGS84 point to UTM zone 33N (EPSG:25833), the inverse
// of [FromUTM33].
func ToUTM33(p Point) (easting, northing float64, err error) { return utm33.forward(p) }
