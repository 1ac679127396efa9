// Package app is the application layer of kitaportal: the one place for
// every use case a city's portal, its HTTP API or a scheduler calls. Each
// use case is one access decision (access.Can, from the table of package
// access) and one atomic step of the [Store] (Atomic with a [Tx] that hands
// out applications, place ledger, outbox, audit, referrals, minders and
// the catalogue edits), with its messages and its audit entry.
//
// The use cases live here and nowhere else: a method checks its ids, reads
// what the decision needs (inside the step where it needs the stored
// record, as Withdraw, Offer or Contracted do), decides access once and
// changes the aggregates only through their methods
// (registration.Application.MakeOffer, Accept, Decline, Contract, End;
// tagespflege.Referral's, tagespflege.Minder's and tagespflege.Group's
// Place and EndPlacement through the tagespflege.Service). Package registration holds the domain: the
// aggregate, validation and drafting (registration.Checker), the engine's
// input and the message texts, as functions without access or steps.
//
// Dates are github.com/rickb777/date date.Date; money is
// github.com/shopspring/decimal decimal.Decimal (for example
// [ContractRequest].Income). Instants come from one clock, read in the
// profile's time zone ([App.Now]): registration and Tagespflege agree on
// "today".
//
// # Use cases
//
//   - [Registrations]: Submit (the family is the actor's), SubmitAtCounter
//     (the Jugendamt names the family; a repeated idempotency key returns
//     the first receipt, Replayed, whatever the body: input with problems
//     looks the key up before it returns them, valid input in its step,
//     with the step's reads where the step offers
//     registration.SubmissionReader), Get, List, ChangeChoices,
//     ChangeHours (the family's ranking of care hours), Withdraw,
//     Offer, Accept (registration.ErrOfferLapsed after RespondBy),
//     AcceptWith (KeepWaiting: an upgrade; registration.ErrNothingAbove),
//     Decline, Contracted, Messages (what the family received, rendered),
//     ChangeChoices, Withdraw, Accept, AcceptWith and Decline take
//     [IfVersion]: the version the caller read is compared inside the
//     atomic step, so of two changes on one version exactly one wins
//     ([ErrVersion], a conflict, for the other), and Offer,
//     Referrals.AddMinder, Referrals.Place and Contracts.Generate (the
//     first contract again, byte for byte) take [IdempotencyKey]: the key
//     is stored in the call's own step (the optional [KeyTx] port, [Keys]),
//     the same key with the same request returns the first result, with
//     another request it is [ErrKeyReused],
//     DryRun (a round without offers, stored as a [Draft] with the
//     families whose outcome changed and their positions), Draft, Publish
//     (exactly that draft's offers in one step, once; a second Publish
//     answers the same; a store whose steps offer the optional
//     [RoundWriter] takes, writes and audits the offers in one call
//     each), RunRound (DryRun then Publish; places from the
//     catalogue inside the round; where the step's [Drafts] offer the
//     optional [DraftChecker], the draft the dry run holds is published
//     without reading it back, once the store confirms it is unchanged),
//     Positions (a child's rank and the last
//     admitted rank on each of its Kitas' lists after the last published
//     round: the family and the Jugendamt only), LapseOffers (the daily
//     step: lapses and reminders),
//     ExpireYear, Export, Erase, ApplyRetention, AuditTrail, Reviews.
//   - [Referrals]: List, Get, MarkContacted, Place (placement with a minder
//     and the release of the Kita choices in one step), Close, AddMinder,
//     Minders, FreePlaces; Progress, the family's own view of its referral
//     (access.ReadFamily: received, contacted, placed with the start,
//     closed with the reason; no notes, no minder's data).
//   - [Catalogue]: Search, Get, All (public); UpdateProfile, SetPools,
//     ReportFreePlaces, SetClosed (stored through [CatalogueEdits], seen
//     by a restarted or second instance, [Catalogue.Reload]).
//   - [Contracts]: Generate (and a notify.ContractReady message once),
//     Render, WriteFile.
//   - [Reports]: Year, with CSV output.
//
// # A year of offers
//
// The main round (RunRound, round 1) and the follow-up rounds (2, 3, ...)
// read the same applications (registration.RoundStatuses): those waiting,
// and those holding an accepted place while waiting for a Kita ranked higher
// (AcceptWith with KeepWaiting). A round offers only free places: a place
// taken by an open offer or accepted stays taken. A child with an open offer
// takes part in no round (one open offer per child). Declining an offer,
// withdrawing and an offer lapsing (LapseOffers, after the profile's answer
// period, OfferDays) give the place back for the next round. A better offer
// to a family that keeps waiting holds its accepted place
// (registration.Application.Held) until the family answers: accepting gives
// the old place back in the same step, declining or letting the offer lapse
// keeps it. The children of one family in a round are placed as a family:
// twins the parents asked to keep together (registration.Input.Together; the
// same Kitas, checked at Submit and changed together by ChangeChoices) at one
// Kita or none, siblings with the sibling criterion at a Kita where one of
// them is placed in the same round.
//
// # Unit of work
//
// [Store.Atomic] runs one step all or nothing. [Tx.Applications] hands out
// every port of registration.Tx; [Tx.Ledger], [Tx.Outbox] and [Tx.Audit]
// hand out one concern each, for a step that needs no more. Places are
// synced from the catalogue inside a step (Offer calls
// registration.Ledger.SetPlaces in the step that takes the place, after
// its access decision; a dry run in the step that checks its round is
// unpublished, before it reads the ledger), never by a call a caller
// could forget. [Tx.Drafts] hands out the rounds' dry
// runs ([Drafts]). Inside a step, [Tx.Atomic]
// is a nested step (a savepoint): when it fails, only its own writes are
// undone and the outer step decides; when the outer step fails, the nested
// step's writes go with it. Calling Store.Atomic inside a step is not
// supported (the in-memory store would wait for itself). store/memory and
// store/postgres implement the ports; store/storetest tests them.
//
// # Error contract
//
// Every error a caller receives classifies with problem.KindOf (invalid,
// not found or denied, conflict, exists, wrong state; unknown otherwise),
// so an edge maps it with one switch; [Errors] lists every sentinel, each
// with a stable code (problem.CodeOf) whose German and English texts are in
// [Catalogs] ([App.Translator].Error words any error). Ids and idempotency
// keys are validated before any lookup ([ErrID], field path, code
// [CodeID]): empty, over-long, not UTF-8 or with control characters. An
// empty family id is invalid input, never "every family". A denial is
// access.ErrDenied and reads like a record that is not there. No error
// string carries names, birth dates, addresses, e-mail addresses or phone
// numbers.
//
// # Glossary
//
//   - Voranmeldung: pre-registration of a child's need for a place.
//   - Kindertagespflege, Tagespflegeperson: child-minding by a licensed person.
//   - Fachberatung: the district office that places children with minders.
//   - Träger: the carrier that runs a Kita.
//   - Jugendamt: the youth welfare office that runs portal and allocation.
//   - Kindergartenjahr: the Kita year (NRW: 1 August to 31 July).
//   - Betreuungsvertrag: the care contract.
//   - Löschfristen: the retention periods after which data is anonymized.
//   - Nachrückverfahren: the follow-up rounds that offer places freed by
//     declines, withdrawals, lapsed offers and upgrades.
//   - Platzkontingent: a Kita's places split by care hours and the month
//     they become free (kita.Pool), set by its carrier with
//     Catalogue.SetPools; rounds allocate by pool and an offer names its
//     pool's hours and month (registration.Offer), an offer outside a
//     round takes the first pool with a free place in the family's order
//     of hours, and the contract has the offered hours.
//   - Probelauf: a dry run of an allocation round (Vergaberunde), kept as
//     a [Draft]; Veröffentlichen: publishing it, which writes the offers.
//
// Drafts hold application and family ids and the engine's scored facts
// (the child's birth date among them), never names; erasing a family or
// the retention's anonymization removes its children from every stored
// draft in the same step ([Draft.Without]).
package app
