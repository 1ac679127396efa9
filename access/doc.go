// Package access decides who may see and change what, in one table. Every
// use case of kitaportal names an [Actor] and an [Operation]; [Can] looks
// the pair (operation, role) up in the table and applies its [Rule]
// (Never, Own, Always) to the record's [Subject]. Nothing else in the
// module asks for a role; lists narrow themselves with [Scope],
// [FamilyOf] and [NarrowKitas]. The access-matrix test of package app is
// generated from the table ([Operations], [Roles], [RuleOf]).
//
// The rules (DESIGN "Who may see what"):
//   - a Guardian (Erziehungsberechtigte/r) sees and changes only the
//     applications of their own family;
//   - a Carrier's staff (Träger, Kita-Leitung) sees only applications that
//     chose one of the carrier's Kitas, and only in the Kita view (no other
//     choices, no rank order, no hardship reason); it edits the public
//     profile and free places of its own Kitas only;
//   - a Fachberatung (Kindertagespflege counselling office) sees only the
//     referrals of its own district;
//   - the Jugendamt (youth welfare office) sees everything of its city;
//   - the System actor runs the dispatcher and the allocation rounds;
//   - a round's dry run (Probelauf) and its publication are the
//     Jugendamt's and the System's; a child's position on the Kitas'
//     lists is its own family's (and the Jugendamt's), never a carrier's.
//
// # Error contract
//
// A denial is [ErrDenied], whether or not the record exists, so that a
// denial never tells an outsider that a record is there; its kind is
// problem.NotFound and its code [CodeDenied] ([Messages]). Services return
// ErrDenied also for unknown records when the actor could not have seen
// them anyway.
//
// # Glossary
//
//   - Erziehungsberechtigte/r: guardian (parent or other person with custody).
//   - Träger: the carrier that runs Kitas; its staff act for its Kitas.
//   - Kita-Leitung: the head of a Kita.
//   - Fachberatung (Kindertagespflege): the district's child-minding office.
//   - Jugendamt: the youth welfare office that runs the portal.
//   - Stadtbezirk: city district.
package access
