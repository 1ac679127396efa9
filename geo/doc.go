// Package geo holds the small geographic vocabulary the domain packages
// share: postal addresses, WGS84 points, great-circle distances, the grids
// of German open data (ETRS89 / UTM zones 32N and 33N, EPSG:25832/25833;
// Gauss–Krüger zones 2–5 on the DHDN, EPSG:31466–31469) converted to WGS84,
// areas (polygons with holes, multipolygons, bounding boxes) with point
// containment, and the folding of street names and house numbers for
// comparison ([NormalizeStreet], [SplitStreet], and [ParseAddressLine] for
// "Kortumstraße 5, 44787 Bochum").
//
// The projections are the Krüger series of Karney (2011) on GRS80 or
// Bessel; Gauss–Krüger coordinates are shifted to WGS84 with the seven
// Helmert parameters PROJ uses for the DHDN ([DHDNToWGS84]). Tests compare
// them with PROJ's cs2cs to well under a metre. Polygon containment is
// github.com/paulmach/orb's planar package.
//
// It imports nothing else from the module; kita and district build on it.
//
// # Error contract
//
// Conversions return [ErrCoordinates] for values outside the valid range;
// error strings never repeat the input.
//
// # Glossary
//
//   - Straße, Hausnummer: street and house number; German addresses write the
//     number after the street ("Hauptstraße 12a"), see [SplitStreet].
//   - PLZ (Postleitzahl): the five-digit postal code, [Address.PostalCode].
//   - ETRS89 / UTM32 (EPSG:25832): the official German grid; eastings and
//     northings in metres in zone 32 (central meridian 9° E); zone 33
//     (EPSG:25833, 15° E) in the east.
//   - Gauss–Krüger, Rechtswert, Hochwert: the older grid on the DHDN
//     (Deutsches Hauptdreiecksnetz, Bessel ellipsoid); the Rechtswert
//     (easting) starts with the zone number, the Hochwert is the northing.
package geo
