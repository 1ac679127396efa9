// Package kitaportal is the SDK entry point of kitaportal: the domain core
// of a German city's online pre-registration for day care (Kita-Voranmeldung),
// as Bochum runs it and better. A family pre-registers a child at up to five
// Kitas in rank order and may add Kindertagespflege, which goes at once to
// the Fachberatung of the chosen district; the family is confirmed at once,
// any day of the year; places are allocated fairly and verifiably; care
// contracts are generated automatically.
//
// It is a library, not a website: a city's portal calls it with an
// authenticated actor, and other cities change its rules through a
// municipality profile instead of forking it.
//
// # Starting
//
// [Open] wires a municipality profile, a Kita catalogue, a store (in memory
// when nil) and a message transport (required: name
// notify.NewMemoryTransport() for tests) into a [Portal], the application
// layer of package app:
//
//	profile, _ := bochum.Profile()
//	catalogue, _ := bochum.Catalogue() // sample data
//	portal, err := kitaportal.Open(ctx, kitaportal.Config{
//		Profile: profile, Catalogue: catalogue, Transport: notify.NewMemoryTransport(),
//	})
//	receipt, err := portal.Registrations.Submit(ctx, access.NewGuardian("g1", "family-1"), input)
//	portal.Dispatcher.RunOnce(ctx)                                  // delivers the confirmation
//	msgs, err := portal.Registrations.Messages(ctx, guardian, "family-1") // what the family received
//
// For PostgreSQL the caller opens store/postgres and passes it in as
// Config.Store; the root package links no database driver.
//
// Dates are github.com/rickb777/date date.Date; money is
// github.com/shopspring/decimal decimal.Decimal.
//
// # Package tour
//
//   - problem: the error contract (every problem, field path, code, de/en text).
//   - geo: addresses, WGS84 points, distances, UTM 32N conversion.
//   - kita: the Kita year calendar, ages and bands, care hours, Kitas and
//     their carriers, the catalogue with search and CSV import.
//   - district: Stadtbezirke and address-to-district rules.
//   - access: who may see and change what (one table for every decision).
//   - app: the application layer: every use case, one access decision and
//     one atomic step each, over the unit of work its Store port declares.
//   - registration: the Voranmeldung, its validation, lifecycle, allocation
//     rounds, place ledger, audit trail, export and erasure.
//   - tagespflege: child-minders, Fachberatung offices, referrals.
//   - allocation: the pure allocation engine (deferred acceptance, Kita-
//     proposing, immediate acceptance), policies, verification, JSON format.
//   - contract: fee schedules and care contracts as PDF (through
//     internal/fpdf, codeberg.org/go-pdf/fpdf with fonts parsed once).
//   - notify: message templates, the outbox dispatcher, SMTP delivery.
//   - municipality and municipality/bochum: the profile and Bochum's.
//   - store/memory, store/postgres, store/storetest: the adapters and the
//     conformance suite both pass.
//   - cmd/kitaportal: allocate, verify and simulate allocation files.
//
// # Error contract
//
// Invalid input returns a problem.List (errors.Is with problem.ErrInvalid
// and each rule's sentinel; errors.As for the list). Access denials are
// access.ErrDenied, whether or not the record exists. State errors are the
// sentinels of the package that owns the rule, each with a kind
// (problem.KindOf) and a stable code whose German and English texts the
// Portal's Translator gives. [Open] fails with [ErrNoCatalogue] or
// [ErrNoTransport] rather than default silently. No error string carries
// personal data.
//
// # Glossary
//
//   - Kita (Kindertageseinrichtung): day-care centre.
//   - Träger: the carrier that runs a Kita.
//   - Kindertagespflege, Tagespflegeperson: child-minding by a licensed person.
//   - Großtagespflege: up to three minders together, at most nine children.
//   - Fachberatung: the district office that places children with minders.
//   - Voranmeldung: pre-registration of need, not yet a place.
//   - Kindergartenjahr: the Kita year (NRW: 1 August to 31 July).
//   - Stadtbezirk: city district.
//   - Jugendamt: the youth welfare office that runs portal and allocation.
//   - Betreuungsvertrag: care contract.
//   - Elternbeitrag: the parent fee, set by the city.
//   - Betreuungsumfang: weekly care hours (NRW: 25, 35, 45).
//   - U3 / Ü3: under three / three and older.
//   - Eingewöhnung: the settling-in period at the start of care.
package kitaportal
