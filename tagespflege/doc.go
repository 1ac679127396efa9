// Package tagespflege holds Kindertagespflege in kitaportal: the registry of
// child-minders and Großtagespflege groups, the directory of Fachberatung
// offices (one per Stadtbezirk), and the referrals that a Voranmeldung hands
// to the district's Fachberatung, with their lifecycle:
//
//	Open → Contacted → Placed → Closed
//	Open → Placed, Open → Closed, Contacted → Closed
//
// [NewReferral] is the pure constructor the registration service calls in
// the application's atomic step; [Service] is what the Fachberatung works
// with (contact, place, close, register minders, count free places);
// [EligibleAge] is the age rule of § 24 SGB VIII for registering a child.
// Storage plugs in through [Store], implemented by the adapters in
// store/memory and store/postgres and checked by store/storetest.
//
// # Error contract
//
// Input checks return a [problem.List] that lists every problem with a field
// path, a stable code (tagespflege.capacity_exceeds_licence, ...) and
// parameters; it matches errors.Is for problem.ErrInvalid and for the rule
// sentinel of each problem ([ErrLicenceLimit], [ErrLicencePeriod],
// [ErrDuplicate], [ErrRange], [ErrMissing], [ErrUnknownDistrict]). German and
// English texts are in [Messages]. State and store failures are the
// sentinels [ErrNotFound], [ErrExists], [ErrConflict], [ErrTransition],
// [ErrMinderFull], [ErrLicence] and [ErrDistrict], checked with errors.Is.
// Error strings never contain names, addresses or ids.
//
// # Glossary
//
//   - Notiz der Fachberatung: a note on a referral's event; erased with the
//     family ([Referral.Anonymize]).
//   - Kindertagespflege: day care by a licensed person, mostly in their home;
//     from the 1st to the 3rd birthday equal in law to a Kita place (§ 24 (2)
//     SGB VIII).
//   - Tagespflegeperson, Tagesmutter, Tagesvater: the child-minder, [Minder].
//   - Pflegeerlaubnis: the licence of § 43 SGB VIII, for at most five years
//     and at most five children at once ([Licence]); up to 8 care contracts
//     a week, 10 where the Jugendamt allows.
//   - Großtagespflege: up to three minders caring together for at most nine
//     children at once ([Group]).
//   - Fachberatung (Kindertagespflege): the office of a district that places
//     children with minders and supervises them (§ 23 SGB VIII), [Office].
//   - Vermittlung: the referral of a family's request to the Fachberatung
//     and the placement that may follow, [Referral].
//   - Stadtbezirk: the city district; referrals, minders and offices carry
//     its id.
//   - Jugendamt: the youth welfare office that licenses minders, runs the
//     portal and sees the referrals of all districts.
//   - Betreuungsumfang: weekly care hours ([kita.Hours]).
package tagespflege
