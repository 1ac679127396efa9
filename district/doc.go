// Package district knows the Stadtbezirke (districts) of a city and decides
// which district a place lies in ([Directory.Locate]), by the methods the
// city names in its resolution order: the district boundaries for a point
// (GeoJSON polygons and multipolygons with holes, [ReadBoundaries]), a
// street directory for an address ([StreetEntry], [ReadStreets]), and the
// postal-code table with its street rules as the last resort. It never
// guesses: a place the methods cannot decide is reported as ambiguous with
// its candidate districts, and a place outside the city as outside
// ([ErrOutside]), so that the family is treated as not resident.
//
// The mapping is data ([LoadFS] reads a JSON file and the boundary and
// street files it names, see [File]); there is no official
// postal-code-to-district table for most German cities, so a city's file
// should say in its note where its rules come from. [Directory.Areas]
// gives the boundaries read, for drawing the districts on a map.
//
// The official house coordinates of a city (Hauskoordinaten in the format
// HK-DE, as North Rhine-Westphalia publishes them as open data) are read
// by [ReadHouseCoordinates] into a [Gazetteer], which finds the point of an
// address with streets folded as in the street directory; a directory file
// may name them ("house_coordinates_file", [Directory.Houses]), and the
// Kita search measures distances from the located address.
//
// It imports only the leaf packages problem, geo and internal/enum of the
// module (and github.com/paulmach/orb for polygons).
//
// # Error contract
//
// [New], [Build], [Load] and [LoadFS] return nil or a [problem.List] of
// every problem in the districts, rules, areas, street entries and order,
// with field paths such as "postal_codes[3].streets[0].district" or
// "streets[12].from", stable codes (the Code... constants) and rule
// sentinels; German and English texts are in [Messages]. A file that is not
// JSON (or GeoJSON, or CSV) of the documented shape gives [ErrFormat].
// [ReadHouseCoordinates] returns a [problem.List] with fields like
// "line 3: column EAST", codes [CodeHouseFile] and [CodeHouseLimit] and the
// rule [ErrFormat]; [Gazetteer.Find] returns one with the rule [ErrAddress]
// and codes [CodeAddressUnreadable], [CodeAddressUnknown] or
// [CodeNoHouseCoordinates].
// [Directory.Locate] and [Directory.Resolve] return [ErrOutside] (a point
// outside the city; an unknown postal code, which also matches
// [ErrUnknownPostalCode]), an [*AmbiguousError] (matching [ErrAmbiguous])
// that lists the candidates, or [ErrUndecided] when no method applies.
// Error strings never contain postal codes, streets, points or other input
// values.
//
// # Glossary
//
//   - Stadtbezirk: an administrative district of a city with its own number
//     (Roman numeral in Bochum: I Mitte … VI Südwest), [District].
//   - PLZ (Postleitzahl): the five-digit postal code; postal areas do not
//     follow district lines, so one code may lie in several districts.
//   - Straße, Hausnummer: street and house number, which decide the
//     district where a postal code is split ([StreetRule]).
//   - Straßenverzeichnis: the city's street directory, street and
//     house-number ranges (gerade/ungerade: even/odd) per district
//     ([StreetEntry]).
//   - Statistischer Bezirk: a statistical district; several make one
//     Stadtbezirk ([Area]).
//   - Stadtgrenze, Bezirksgrenze: the city's and a district's boundary.
//   - Hauskoordinaten (HK-DE, Hauskoordinaten Deutschland): the official
//     point of every addressed building, from the Liegenschaftskataster
//     (cadastre), in ETRS89/UTM; HNR is the Hausnummer, ADZ the
//     Adressierungszusatz (the "a" of "12a"), STN the Straßenname, PLZ the
//     postal code ([Gazetteer]).
package district
