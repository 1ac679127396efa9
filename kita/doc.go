// Package kita is the catalogue side of kitaportal: the Kindergartenjahr
// calendar, children's ages and age bands, weekly care hours, the facilities
// (Kitas) with their carriers and capacities, a concurrency-safe [Catalogue]
// with search, and the import of a city's open-data list of Kitas from CSV.
//
// It imports only the leaf packages problem and geo of the module.
//
// # Error contract
//
// Validating functions ([Kita.Validate], [NewCatalogue], [Catalogue.Replace],
// [ImportCSV], [Import], [Catalogue.Import], [Catalogue.UpdateProfile],
// [Catalogue.ReportFreePlaces]) return nil or a [problem.List] naming every
// problem at once; [Import] also returns an [ImportReport] whose Problems
// are the same problems as structured values (line, column, code) and whose
// Notices are remarks that did not stop the import. Each problem
// has a field path ("hours", "kitas[3].capacity", "line 12: column plz"), a
// stable code (the Code... constants, "kita.id_missing") and the rule's
// sentinel, which errors.Is finds through the list; the rule sentinels of
// facility data all wrap [ErrFacility]. German and English texts for every
// code are in [Messages]. Lookups of unknown ids return [ErrNotFound].
// Error strings name fields, codes and limits, never input values such as a
// Kita's name or address.
//
// # Glossary
//
//   - Kita-Profil, freie Plätze, Schließung: what a carrier edits while the
//     portal runs; [Edits] holds them for a store, [Catalogue.Apply] and
//     [Kita.WithEdits] apply them under the same checks.
//   - Kita (Kindertageseinrichtung): a day-care centre, [Kita].
//   - Träger: the organisation that runs a Kita (the city, a church, a welfare
//     association, a parents' initiative ...), [Carrier] and [CarrierKind].
//   - Kindergartenjahr: the Kita year, in NRW 1 August to 31 July
//     (KiBiz § 1 (3)), [Year] within a [Calendar].
//   - Einschulung: school entry, which ends the Kita place; in NRW a child
//     who turns 6 by 30 September starts school on 1 August
//     ([Calendar.SchoolEntry]).
//   - Betreuungsumfang: weekly care hours, in NRW 25, 35 or 45, [Hours].
//   - U3 / Ü3: under three / three and older, the legal age bands, [Band].
//   - Gruppenform: the KiBiz group forms I, II and III that fix how many
//     children of which ages a group holds, [GroupForm].
//   - Platzkapazität, freie Plätze: the places of a Kita per band and the
//     places a carrier reports free, [Capacity].
//   - Platzkontingent: a share of a Kita's places of one band by weekly
//     care hours and the month from which they are free, [Pool]; the
//     pools of a band add up to its places ([Kita.Pools], code
//     "kita.pool_sum"), and carriers may change them as an edit
//     ([Edits.Pools]).
//   - Stadtbezirk: a city district; a Kita names its district by id
//     ([Kita.District]), the district package owns the districts.
//   - PLZ (Postleitzahl): postal code.
//   - Offene Daten: the city's open-data list of Kitas, imported by
//     [Import] with a layout ([CSVMapping]) the city keeps as JSON.
//   - Kategorie, Erstkategorie: the category under which a city lists a
//     Kita ("Kath. Kindertagesstätten"), read as the carrier kind, and the
//     mark of its primary row when it is listed twice ([DuplicateRule]).
//   - Gruppen U3/Ü3 (Krippe, Elementar): group counts per age band that
//     split a total of places ([CSVColumns.Places]).
//   - Öffnungszeiten: opening hours ([OpeningHours]).
//   - Rechtswert, Hochwert / Ostwert, Nordwert: easting and northing of a
//     grid ([CoordinateSystem]).
//   - vom Träger zu pflegen: to be maintained by the carrier in the portal
//     ([CSVMapping.CarrierMaintained]).
package kita
