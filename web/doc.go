// Package web is kitaportal's reference portal: server-rendered pages for
// parents and staff on the application layer (package app), mounted at "/"
// next to the JSON API. [New] returns one http.Handler.
//
// Every page works without JavaScript (html/template, plain forms). The
// one small external script (static/app.js) moves the focus to an error
// summary and runs the live search: as the parent types or picks a
// filter, it fetches /kitas/results, the very fragment the search page
// renders, and puts it in place, announcing the number found; without it
// the search button loads the page. Pages:
//
//   - parents: the start page (what the Voranmeldung is, deadlines, what
//     happens next) and its Leichte-Sprache version; the Kita search by
//     district, the child's age at the start, weekly hours and distance
//     from the family's address (street, house number and postal code,
//     located in the city's house coordinates when the profile names them,
//     else the centre of the postal code; the page says which), with an SVG picture of where the Kitas found are
//     (points, north up, over the district outlines when the profile's
//     district directory has boundaries, simplified to whole pixels, each
//     titled with its district's name), and each Kita's profile; the
//     registration form (child, guardians, address, start, hours, the city's number of
//     ranked choices with up/down buttons, Kindertagespflege in a
//     district, criteria and hardship reason, consent) that shows every
//     problem at once in an error summary linked to the fields; the
//     confirmation with the reference and the confirmation mail's text;
//     the status page (applications, each child's position on its Kitas'
//     lists after the last published round — its rank and the last
//     admitted rank, nothing of other families —, an open offer with its
//     deadline, accept or decline, accept keeping the higher-ranked
//     choices on the waiting list (an upgrade: a checkbox shown when a
//     better choice still waits; the held place shown while a better offer
//     is open), withdraw after a question, the contract PDF, messages
//     received, the Kindertagespflege referral's progress: received,
//     contacted, placed with the start, closed with the reason, from
//     app.Referrals.Progress); changing the ranked choices after
//     submitting (/status/{id}/choices: the same up/down buttons and error
//     summary, saved on the version the form was read at, app.IfVersion,
//     so a change made meanwhile is shown, not overwritten);
//   - a carrier's staff (Träger): the inbox in the Kita view (no other
//     choices, no rank), offering a place, reporting free places;
//   - a Fachberatung (Kindertagespflege counselling office): the district's
//     referrals and their steps (contacted, placed with a minder, closed);
//   - the Jugendamt (youth welfare office): the round page (a dry run of
//     an allocation round — the main round 1 or a follow-up round for
//     places that became free, 2 to 12 —, its figures and the families whose outcome
//     changed with their ranks — at most 200 listed, the page says how
//     many more —, then the button that publishes exactly that dry run),
//     the year's report with SVG charts (places against demand per
//     district and age band, first-choice and placement rate) and CSV.
//
// # Languages
//
// Page texts are go-i18n catalogues (CLDR plural rules) in
// locales/pages.<lang>.toml; error texts, by problem code, in
// locales/problems.<lang>.toml, added to the catalogs of app.Catalogs. The
// languages are German (binding: every translated page says so), English,
// Turkish, Arabic (right to left), Ukrainian, Russian and Polish. A city
// overrides any text with files of the same names in Options.Locales.
// Tests fail when a page key, an error code or a message template
// (notify/templates) is missing in a language.
//
// # Safety
//
// A session is a cookie signed with HMAC-SHA256 (Options.SessionKey),
// carrying ids only, Secure, HttpOnly and SameSite=Lax. Every form carries
// a token bound to the session (a MAC of its nonce), and every unsafe
// request also passes net/http's CrossOriginProtection (Sec-Fetch-Site /
// Origin). The Content-Security-Policy allows the portal's own style sheet
// and script only, nothing inline. People log in through an
// [Authenticator] (the same interface the JSON API's authenticators
// satisfy), or in the browser through OpenID Connect (Options.OIDC,
// [OIDCLogin]): /login sends the visitor to the provider with the
// authorization-code flow, PKCE (S256), a state and a nonce kept in a
// signed, short-lived cookie for /login only; /login/callback checks the
// state, redeems the code with the verifier and starts the session for the
// actor the ID token names, with its claims mapped exactly as the API's
// OIDC authenticator maps them (auth.OIDC.LoginActor, which checks the
// nonce). The demo login (/demo: pick a role) exists only with
// Options.Demo.
//
// # Error contract
//
// [New] returns ErrOptions for a missing app, a session key shorter than 32
// bytes, neither an authenticator, an OIDC login nor the demo login, or an
// OIDC login without a provider, client or callback URL, and ErrLocale for
// a malformed locale file. Handlers map every error of the application
// layer with one switch on problem.KindOf to a status (invalid 422, denied
// or not found 404, conflict and wrong state 409, unavailable 503,
// otherwise 500) and show its text in the visitor's language; a denial
// reads like a record that is not there. Logs carry codes and paths, never
// personal data.
//
// # Glossary
//
//   - Voranmeldung: pre-registration of a need for a place.
//   - Leichte Sprache: easy-to-read German, a public portal's duty (BITV 2.0).
//   - Träger: the carrier that runs a Kita.
//   - Fachberatung (Kindertagespflege): the district office that places
//     children with child-minders (Tagespflegepersonen).
//   - Jugendamt: the youth welfare office that runs the portal.
//   - Härtefall: a hardship case, scored first by the city's policy.
//   - Betreuungsvertrag: the care contract, downloaded as PDF.
//   - Probelauf: a dry run of an allocation round (Vergaberunde).
//
// Package webtest starts the pages on a test server with Bochum's sample
// data, so the tests run without the kitaportal command.
package web
