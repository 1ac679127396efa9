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
// # Aggregates
//
// [Referral], [Minder] and [Group] keep their lifecycle unexported: a
// referral's status, minder, start, close reason, history and version; a
// minder's and a group's placements, timestamps and version. It is read
// through methods ([Minder.Placements], [Minder.Version],
// [Minder.FreePlaces], [Referral.MinderID], ...) and changed only by the
// aggregates' methods, each returning a rule-named error:
// [Referral.MarkContacted], [Referral.Place] and [Referral.Close]
// ([ErrTransition]); [Minder.Place] ([ErrLicence], [ErrMinderFull]);
// [Group.Place] ([ErrMinderFull]); [Minder.EndPlacement] and
// [Group.EndPlacement] ([ErrNotPlaced]). Adapters store the lifecycle
// through State ([ReferralState], [MinderState], [GroupState]) in their
// own row or document types and read it back through [RehydrateReferral],
// [RehydrateMinder] and [RehydrateGroup], which check nothing. The profile
// a Fachberatung enters (name, district, contact, address, licence,
// capacity, contracts, group, ages, hours) stays exported; [Service.AddMinder]
// and [Service.AddGroup] validate it. The types' JSON encoding carries the
// lifecycle too, so that a value survives encoding/json; it is neither the
// database schema nor the HTTP API's wire format, which keep their own
// types.
//
// # Error contract
//
// Input checks return a [problem.List] that lists every problem with a field
// path, a stable code (tagespflege.capacity_exceeds_licence, ...) and
// parameters; it matches errors.Is for problem.ErrInvalid and for the rule
// sentinel of each problem ([ErrLicenceLimit], [ErrLicencePeriod],
// [ErrDuplicate], [ErrRange], [ErrMissing], [ErrUnknownDistrict]). German and
// English texts are in [Messages]. A [Licence] read from JSON keeps a day
// that is no day (2027-02-30, "00000-00") as such rather than moving or
// dropping it, and validation reports it at licence.valid_from or
// licence.valid_to with tagespflege.licence_date. State and store failures are the
// sentinels [ErrNotFound], [ErrExists], [ErrConflict], [ErrTransition],
// [ErrMinderFull], [ErrLicence], [ErrDistrict] and [ErrNotPlaced], checked
// with errors.Is.
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
