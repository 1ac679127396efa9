// Package bochum is the reference municipality profile: the rules of the
// city of Bochum (North Rhine-Westphalia) as data, embedded in the module.
//
// What is confirmed and what is indicative:
//   - confirmed: up to 5 Kitas in rank order plus Kindertagespflege; the NRW
//     calendar (Kita year 1 August to 31 July, school entry for children who
//     turn 6 by 30 September); weekly hours 25/35/45; six Stadtbezirke.
//   - indicative: the postal-code-to-district table (districts.json: there is
//     no official table), the allocation deadline, the priority policy and
//     the Fachberatung contacts (offices.json: sample addresses on the
//     .example domain).
//   - sample: the fee schedule (fees.json) has Bochum's structure (brackets ×
//     hours × age split at 2, exemption threshold 25,000 € then 40,000 €, all
//     fees cut by 25 % from 1 August 2025) with illustrative amounts; the full
//     table is not public.
//
// [Layout] (kitas-layout.json) reads the city's real open-data file
// bochum_daycare_centers.csv as it is published (a copy is the test fixture
// testdata/bochum_daycare_centers.csv, CC0 1.0): 195 rows for 193 Kitas,
// the primary row of a Kita listed twice chosen by erstkateg = 1, every
// category text of the city mapped to a carrier kind, and placeholders for
// the places, hours and ages the file lacks, marked for the carriers to
// maintain.
//
// The profile resolves districts by its postal-code table (indicative) and
// checks imported points against Bochum's outline box. The city's 30
// statistical districts, each carrying its Stadtbezirk number, are not
// shipped: the copy known to the project states no licence. A city office
// that has them loads them like this: copy the files of [Files] into a
// directory, add the GeoJSON as boundaries.geojson and to districts.json
//
//	"boundaries": {"file": "boundaries.geojson", "property": "Stadtbezir",
//	               "match": "number", "name_property": "Bezeichnun", "tolerance_m": 25}
//
// and load the directory with municipality.Load; a point then resolves
// to its statistical district's Stadtbezirk before the postal-code table
// is asked (the tolerance takes in a real Kita that lies 6 m outside the
// published boundaries).
//
// [Catalogue] imports a synthetic open-data file (kitas-sample.csv) of 190
// Kitas with 11,435 places through kita.ImportCSV with the layout in
// kitas-sample-layout.json ([SampleLayout]); [Minders] makes 610
// child-minders. Both are clearly marked sample data, for the examples and
// benchmarks.
//
// # Error contract
//
// [Profile] returns the municipality package's problem list if the embedded
// files were broken (a test guards that they are not).
//
// # Glossary
//
//   - Stadtbezirk: city district; Bochum has six, numbered I–VI.
//   - Fachberatung Kindertagespflege: the district's child-minding office.
//   - Träger: the carrier of a Kita.
//   - Beispieldaten: sample data.
//   - Kategorie, Erstkategorie (erstkateg): the category of a point of
//     interest in the city's open data, and the mark of a facility's
//     primary category.
//   - Rechtswert, Hochwert (rechts_utm, hoch_utm): easting and northing.
package bochum
