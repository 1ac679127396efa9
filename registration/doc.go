// Package registration is the Voranmeldung: a family pre-registers one
// child's need for a place in a Kita year, ranks up to N Kitas (N from the
// municipality profile; 5 in Bochum) and may add Kindertagespflege in a
// district. The city confirms at once, any day of the year.
//
// This package is the domain: the [Application] aggregate, its rules and
// the ports of its storage ([Store], and [Tx], the sum of one small port
// per concern: [Applications], [Ledger] (places, including [Ledger.SetPlaces]
// inside a step), [Referrals], [Outbox] (Enqueue and the erase calls) and
// [AuditTrail]; a helper that needs one concern takes that port only). It decides no access and runs
// no step: every use case (submit, change, withdraw, offers and their
// answers, rounds, lapses, expiry, export, erasure, retention, reads) is
// in package app, as one access decision and one atomic step. Two
// optional capabilities of a Tx ([SubmissionWriter], [SubmissionReader])
// let a database adapter send a submission's rows, and its two reads
// with the lookup of its idempotency key, in one round trip each. The [Checker] validates an [Input] against the [Rules], the Kita catalogue,
// the districts and the clock's instant and drafts the application
// ([Checker.Draft]); it changes choices ([Checker.ChangeChoices]), builds
// the allocation engine's input ([Checker.Instance], [Allocate],
// [PlacesOf]) and makes the family's messages, which carry what their
// texts are rendered from when they are read (notify.Content, each kept
// with its data: notify.ContentOf), so that a step writing them renders
// nothing; [Checker.AppendSubmissionMessages] makes a submission's in a
// list the caller gives. The aggregate's methods
// run the lifecycle (submitted → confirmed → offered → accepted →
// contracted, or declined, withdrawn, expired) with a history of
// timestamps and actors, each returning a rule-named error:
// [Application.MakeOffer], [Application.Accept] ([ErrOfferLapsed]),
// [Application.Decline], [Application.Contract], [Application.End]; those
// that take or free a place return its [PlaceKey] for the caller's step.
//
// # A year of offers and families
//
// Rounds read the applications of [RoundStatuses] and offer only free
// places ([Checker.Instance]); a child with an open offer takes part in no
// round. A family may accept a place and keep waiting for the Kitas it
// ranked above it ([AcceptOptions] KeepWaiting; [ErrNothingAbove] when none
// is still waiting, which [Application.CanKeepWaiting] tells beforehand): such an application ([Application.Waiting]) takes
// part in later rounds with those choices only. A better offer holds the
// accepted place ([Application.Held]) until the family answers: accepting
// returns the old place to give back in the same step; declining, a lapse
// and the end of the Kita year keep it; a withdrawal gives both back; a
// contract ends the wait.
//
// The children of one family (FamilyID) in the same Kita year are a family
// of the allocation engine when at least two of them take part in a round:
// those whose parents asked to keep them together ([Input].Together: twins,
// or siblings the parents want at one Kita) are placed at the same Kita or
// at none in that round, each on a place of its own age band; the others
// are siblings: one placed at a Kita gives the others the sibling
// criterion there in the same round. Children kept together share one
// ranked list of Kitas: [CheckTogether] refuses a child whose Kitas differ
// from those of a child of its family kept together with it (field
// "kitas", [CodeTogetherChoices], rule [ErrTogetherChoices]) or whose
// ranked care hours differ (field "hours", [CodeTogetherHours], rule
// [ErrTogetherHours]); [TogetherWith] names the applications whose Kitas
// and hours change with it. When
// their open choices differ in a round (one declined an offer alone), they
// take part as siblings, not kept together.
// [ViewFor] and [Subject] are what package access needs to know of an
// application.
//
// [Decode] ([DecodeBytes] for a document already in memory) reads the
// application document strictly: member names match
// case-sensitively, a member given twice, an unknown member, invalid UTF-8
// and an impossible date (2025-02-29) are problems, never guesses. Names
// and address texts are normalized ([Text]: Unicode NFC, format characters
// such as bidi overrides, zero-width spaces, soft hyphens and byte order
// marks removed, white space folded); control and private-use characters
// are rejected, and a name needs at least one letter. The duplicate check
// keys a child on [NameKey] (case-folded NFKC with the Unicode TR 39
// confusable skeleton) and the birth date ([ChildKey]), so that invisible
// characters, a Cyrillic "а" or fullwidth letters do not make a second
// child, while "Müller" and "Muller" stay two names (a name of Latin
// letters is keyed from per-letter parts, tested to equal the whole way).
// The `validate` tags of [Input] are checked field by field in Go
// (fields.go), with exactly the problems problem.Struct finds from them
// (compared by TestFieldChecksMatchTheTags and FuzzFieldChecks): a new
// tagged field needs its check there. [Normalize] and
// [Checker.Draft] never write into the caller's Input.
//
// The lifecycle of an [Application] (status, offer, history, version) is
// unexported: it is read through methods and changed only by the aggregate's
// methods; adapters store it through [Application.Lifecycle] and read it
// back through [Rehydrate]. A child has one active application per family
// and Kita year ([ErrDuplicate]); a match with another family's child is
// never refused or acted on but recorded for the Jugendamt's review
// ([AuditReview], [ReasonCrossFamilyMatch]). A round is published in one
// step, once per Kita year and number ([ErrRoundPublished], marker
// [RoundMarker]); offers lapse and families are reminded by the daily
// step of package app ([Checker.Lapsing] says which).
//
// Package app asks package access once per use case: a guardian sees only
// their family's applications, a carrier's staff only those that chose its
// Kitas and only in the Kita view ([ViewFor]), the Jugendamt everything.
//
// # Error contract
//
// Invalid input returns a problem.List that lists every problem with a
// field path ("kitas[5]", "child.birth_date"), a stable code
// ("registration.too_many_choices") and the rule's sentinel
// ([ErrTooManyChoices]); its German and English texts are sentences in
// [Messages] and problem.Messages that name the field by its label
// ("Bitte füllen Sie das Feld „Vorname des Kindes“ aus."). [Decode] gives
// "registration.malformed", "registration.unknown_field",
// "registration.duplicate_field", "registration.invalid_date" and
// "registration.too_large" (rule [ErrMalformed]); names give
// [CodeNameCharacters] and [CodeNameLetters] (rule [ErrName]). Nothing is
// stored then. State errors are
// sentinels with a kind and a code: [ErrDuplicate], [ErrConflict],
// [ErrTransition], [ErrDeadline], [ErrNoPlace], [ErrOfferLapsed],
// [ErrRoundPublished], [ErrNothingAbove]; access errors are access.ErrDenied, also for records that do
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
//   - Betreuungsumfang: weekly care hours (NRW: 25, 35, 45). A family
//     ranks them (Input.Hours, then Input.HoursAlternatives;
//     [Application.RankedHours]); each chosen Kita must offer one of them
//     ("registration.kita_hours"), none may be given twice
//     ("registration.hours_duplicate", [ErrHoursDuplicate]), at most
//     [MaxHoursAlternatives] after the first ("registration.too_many_hours",
//     [ErrTooManyHours]); [Checker.ChangeHours] reorders them.
//   - Platzkontingent: a share of a Kita's places by band, care hours and
//     start month (kita.Pool). The ledger keeps one [Places] row per pool
//     ([PlaceKey] Hours and From), an offer names its pool ([Offer] Hours
//     and From, [Application.MakePoolOffer]).
//   - Betreuungsvertrag: the care contract signed after an accepted offer.
//   - Härtefall: a hardship case, scored by the city's policy.
//   - Alleinerziehend: single parent.
//   - Anmeldeschluss: the allocation deadline of a Kita year.
//   - Jugendamt: the youth welfare office that runs portal and allocation.
//   - Stadtbezirk: city district.
//   - Sorgeberechtigte: the parents or guardians who register the child.
//   - Zwillinge, Geschwister: twins, siblings (children of one family).
//   - Nachrückverfahren: the follow-up rounds for places freed during the year.
//   - Platzwechsel (upgrade): moving from an accepted place to a Kita ranked higher.
package registration
