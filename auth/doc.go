// Package auth turns an HTTP request into the [access.Actor] behind it.
// The HTTP API (package httpapi) and the portal's pages trust only the
// actor an [Authenticator] returns: a role, family, carrier or district
// sent by the client in any other way is never read.
//
// Two authenticators ship with the module:
//
//   - [OIDC] verifies an OpenID Connect ID token (a bearer token) with
//     github.com/coreos/go-oidc/v3 against the city's identity provider
//     (for example a Keycloak realm, ServiceKonto.NRW or BundID through
//     the city's broker), configured by issuer, client id and a mapping
//     from a claim's values to roles. For a login in the browser (the
//     authorization-code flow the portal's pages run) it offers the
//     provider's endpoints ([OIDC.Endpoint]) and [OIDC.LoginActor], which
//     verifies the ID token received, checks its nonce and maps the
//     claims exactly as Authenticate does.
//   - [Dev] reads the actor from a plain bearer token ("dev:guardian:g1:f1")
//     for demonstrations and tests. [NewDev] refuses to build it unless the
//     caller enables it explicitly (kitaportal serve -demo).
//
// # Error contract
//
// Authenticate returns [ErrNoCredentials] when the request carries no
// credentials at all (an anonymous caller: public endpoints such as the
// Kita search still answer) and [ErrUnauthenticated] when it carries
// credentials that do not prove an actor (expired, forged, of another
// client, without a known role). Both are sentinels with a stable code and
// German and English texts in [Messages]; an HTTP layer answers both with
// 401 where an actor is needed. Error strings never repeat a token or a
// claim's value.
//
// Package authtest starts an OpenID Connect provider inside a test
// (discovery, keys, the authorization-code flow with PKCE and a nonce), for
// this package's tests and those of the API, the pages and the command.
//
// # Glossary
//
//   - Erziehungsberechtigte/r: a parent or guardian ([access.Guardian]).
//   - Träger: the carrier that runs a Kita ([access.CarrierStaff]).
//   - Fachberatung: the Kindertagespflege office of one Stadtbezirk
//     ([access.Fachberatung]).
//   - Jugendamt: the youth welfare office ([access.Jugendamt]).
package auth
