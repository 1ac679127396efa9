// Package municipality holds the Profile: every rule a city may change, as
// data, so that another city configures kitaportal instead of forking it.
// A profile gathers the rules each domain package declares for itself
// (registration.Rules, contract.Rules, allocation.Policy, the districts and
// the Fachberatung offices, message templates, retention periods) and
// checks that they fit together.
//
// A city keeps its profile as files (profile.json, districts.json,
// offices.json, fees.json, and optionally catalogue-layout.json and templates/)
// and loads them with [Load]; districts.json may name the district
// resolution order, the city's outline box, a GeoJSON file of district
// boundaries and a street directory, which Load reads too
// (district.LoadFS). catalogue-layout.json is the layout of the city's
// open-data list of Kitas ([Profile.CatalogueLayout]). Package
// municipality/bochum embeds the reference profile of Bochum.
//
// # Error contract
//
// [Load] and [Profile.Validate] return a problem.List naming every problem
// with a field path ("registration.max_choices", "fees.json: ...") and the
// sentinel [ErrProfile]; nothing half-loaded is returned.
//
// # Glossary
//
//   - Kommune / Stadt: the municipality that runs the portal through its Jugendamt.
//   - Jugendamt: youth welfare office.
//   - Stadtbezirk: city district.
//   - Fachberatung Kindertagespflege: the district office for child-minding.
//   - Kindergartenjahr: the Kita year (NRW: 1 August to 31 July).
//   - Elternbeitragssatzung: the city's statute of parent fees (the fee schedule).
//   - Löschfrist: retention period after which personal data is erased.
//   - Stadtgrenze: the city's outline, for plausibility checks of points.
//   - Straßenverzeichnis: the city's street directory.
package municipality
