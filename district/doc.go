// Package district knows the Stadtbezirke (districts) of a city and decides
// which district an address lies in: by postal code where a code lies in one
// district, by street rules where a code is split, and never by guessing —
// an address that the rules cannot decide is reported as ambiguous with its
// candidate districts.
//
// The mapping is data ([Load] reads a JSON file, see [File]); there is no
// official postal-code-to-district table for most German cities, so a
// city's file should say in its note where its rules come from.
//
// It imports only the leaf packages problem and geo of the module.
//
// # Error contract
//
// [New] and [Load] return nil or a [problem.List] of every problem in the
// districts and rules, with field paths such as "postal_codes[3].streets[0].district",
// stable codes (the Code... constants) and rule sentinels; German and
// English texts are in [Messages]. A file that is not JSON of the
// documented shape gives [ErrFormat]. [Directory.Resolve] returns
// [ErrUnknownPostalCode], or an [*AmbiguousError] (matching [ErrAmbiguous])
// that lists the candidates. Error strings never contain postal codes,
// streets or other input values.
//
// # Glossary
//
//   - Stadtbezirk: an administrative district of a city with its own number
//     (Roman numeral in Bochum: I Mitte … VI Südwest), [District].
//   - PLZ (Postleitzahl): the five-digit postal code; postal areas do not
//     follow district lines, so one code may lie in several districts.
//   - Straße, Hausnummer: street and house number, which decide the
//     district where a postal code is split ([StreetRule]).
package district
