// Package registration is the Voranmeldung: a family pre-registers one
// child's need for a place in a Kita year, ranks up to N Kitas (N from the
// municipality profile; 5 in Bochum) and may add Kindertagespflege in a
// district. The city confirms at once, any day of the year.
//
// The [Service] owns every rule: it validates an [Input] against the
// [Rules], the Kita catalogue and the clock; in one atomic step of the
// [Store] it keeps the application, a confirmation in the outbox and, with
// Tagespflege, a referral to the district's Fachberatung and its message;
// it runs the lifecycle (submitted → confirmed → offered → accepted →
// contracted, or declined, withdrawn, expired) with a history of timestamps
// and actors; and it runs allocation rounds over the stored applications
// with the engine of package allocation, writing offers and taking places
// from the place ledger.
//
// The lifecycle of an [Application] (status, offer, history, version) is
// unexported: it is read through methods and changed only by the Service's
// steps; adapters store it through [Application.Lifecycle] and read it
// back through [Rehydrate]. A child has one active application per family
// and Kita year ([ErrDuplicate]); a match with another family's child is
// never refused or acted on but recorded for the Jugendamt's review
// ([AuditReview], [ReasonCrossFamilyMatch]). A round is published in one
// step, once per Kita year and number ([ErrRoundPublished]); offers lapse
// and families are reminded by [Service.LapseOffers].
//
// Every call names its actor and asks package access once: a guardian sees
// only their family's applications, a carrier's staff only those that chose
// its Kitas and only in the Kita view, the Jugendamt everything. The
// application layer (package app) is the entry point; it validates ids and
// wires one clock and one unit of work.
//
// # Error contract
//
// Invalid input returns a problem.List that lists every problem with a
// field path ("kitas[5]", "child.birth_date"), a stable code
// ("registration.too_many_choices") and the rule's sentinel
// ([ErrTooManyChoices]); its German and English texts are in [Messages] and
// in the validator's translations. Nothing is stored then. State errors are
// sentinels with a kind and a code: [ErrDuplicate], [ErrConflict],
// [ErrTransition], [ErrDeadline], [ErrNoPlace], [ErrOfferLapsed],
// [ErrRoundPublished]; access errors are access.ErrDenied, also for records that do
// not exist. Error strings never carry names, birth dates or addresses.
//
// # Glossary
//
//   - Voranmeldung: pre-registration of need; not yet a place ([Application]).
//   - Kindergartenjahr: the Kita year (NRW: 1 August to 31 July).
//   - Kita (Kindertageseinrichtung): day-care centre.
//   - Träger: the carrier that runs a Kita.
//   - Kindertagespflege: child-minding by a licensed Tagespflegeperson.
//   - Fachberatung: the district office that places children with minders.
//   - Eingangsbestätigung: the confirmation of receipt.
//   - Betreuungsumfang: weekly care hours (NRW: 25, 35, 45).
//   - Betreuungsvertrag: the care contract signed after an accepted offer.
//   - Härtefall: a hardship case, scored by the city's policy.
//   - Alleinerziehend: single parent.
//   - Anmeldeschluss: the allocation deadline of a Kita year.
//   - Jugendamt: the youth welfare office that runs portal and allocation.
//   - Stadtbezirk: city district.
package registration
