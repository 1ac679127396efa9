// Package geo holds the small geographic vocabulary the domain packages
// share: postal addresses, WGS84 points, great-circle distances, the
// conversion between UTM zone 32N (EPSG:25832, the grid German open data
// uses) and WGS84, and the folding of street names and house numbers for
// comparison.
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
//     northings in metres in zone 32 (central meridian 9° E).
package geo
