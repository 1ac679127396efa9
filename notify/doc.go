// Package notify is how kitaportal tells people what happened: the
// Eingangsbestätigung (confirmation) a family gets right after its
// Voranmeldung, the Vermittlungsanfrage (referral) a district's Fachberatung
// gets when a family asks for Kindertagespflege, offers, withdrawals and the
// note that a care contract is ready.
//
// It has three parts:
//
//   - [Templates]: subject and body per [Kind] and language, German
//     (binding), English, Turkish, Arabic, Ukrainian, Russian and Polish
//     built in, replaceable by a city ([ParseTemplates],
//     [ParseTemplatesFS]). [Templates.Compose] turns a [Draft] into a
//     Pending [Message].
//   - The outbox: a service writes its messages with [Outbox.Enqueue] in
//     the same atomic step as the change they report (store/memory,
//     store/postgres implement the port; store/storetest checks them).
//     A message may carry the [Content] its texts are rendered from
//     instead of the texts ([Templates.Content]; [ContentOf] keeps the
//     kind's data with the content in one allocation): the step then renders
//     nothing, the in-memory outbox renders on every read, a database
//     before it writes ([Message.Rendered], [RenderAll]); readers always
//     get the texts [Templates.Render] gives.
//   - [Dispatcher]: claims due messages under a lease, sends them through a
//     [Transport] ([MemoryTransport] here, SMTP in notify/smtp) and records
//     the outcome, retrying with exponential backoff.
//
// City templates are untrusted: a template may range only over the lists
// of its kind's data (checked against the data type when it is parsed),
// and every rendering keeps to a budget of steps ([MaxRenderSteps]),
// text produced by functions ([MaxRenderWork]), printf widths
// ([MaxFormatWidth]), output ([MaxOutputSize]) and time ([MaxRenderTime],
// or the deadline of the context given to [Templates.RenderContext]).
// A template made of text, fields of its data, if, with, range and the
// functions date, isodate and join (every built-in one) runs compiled for
// its kind's data, without text/template's evaluation by name; it writes
// the same bytes and spends the budget step for step as text/template,
// which runs every other template.
//
// Delivery is at least once; the dispatcher never re-sends a message
// recorded as Sent, and the message id travels as the e-mail's Message-ID,
// so the one remaining window (a crash after the server accepted a message
// but before the outbox recorded it) is healed by receivers that drop
// duplicate Message-IDs. See [Dispatcher].
//
// Message ids ([NewID], also the default ids of registration and app) are
// UUIDs of version 7 whose random bits come from crypto/rand, read a few
// kilobytes ahead and handed out once each.
//
// # Error contract
//
// Sentinels carry the "notify: " prefix and are matched with errors.Is:
// [ErrNotFound], [ErrExists], [ErrNotClaimed], [ErrClaim] from the outbox;
// [ErrTransport] (retry) and [ErrPermanent] (give up) from transports.
// Invalid templates, template data and messages come back as one
// problem.List listing every problem, each with a field path, a stable
// Code* code and [ErrTemplate] or [ErrMessage] as rule; a spent render
// budget is [CodeTemplateBudget], [CodeTemplateWork], [CodeTemplateFormat],
// [CodeTemplateTimeout], [CodeTemplateCancelled] or [CodeOutputTooLarge].
// German and English texts are in [Messages]. No error and no log line contains an address, a
// name or a message text: [Message.LastError] holds a stable code such as
// "transport.unavailable" (see [ErrorCode]), never the server's reply.
//
// # Glossary
//
//   - Erinnerung: the reminder of an unanswered offer ([OfferReminder]).
//   - Voranmeldung: a family's pre-registration of need for a place (not yet
//     a place); has a reference number such as "BO-2021-000123".
//   - Eingangsbestätigung: the confirmation of receipt of a Voranmeldung
//     ([Confirmation]); KiBiz § 5 asks the Jugendamt to confirm within a
//     month, the portal does it at once.
//   - Kindertagespflege: child-minding by a licensed Tagespflegeperson.
//   - Fachberatung (Kindertagespflege): the district office that places
//     children with child-minders; it receives the Vermittlungsanfrage.
//   - Vermittlungsanfrage: the request to place a child in
//     Kindertagespflege ([Referral]).
//   - Stadtbezirk: city district; each has its Fachberatung.
//   - Jugendamt: the youth welfare office that runs the portal; the
//     default templates sign in its name.
//   - Betreuungsvertrag: the care contract ([ContractReady]).
//   - Betreuungsumfang: weekly care hours (25, 35 or 45 in NRW).
//   - KiBiz § 5: parents report their need six months ahead; confirmations
//     warn when the start is sooner ([ConfirmationData.ShortNotice]).
package notify
