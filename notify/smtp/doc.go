// Package smtp is the SMTP [notify.Transport] of kitaportal, built on
// github.com/wneessen/go-mail.
//
// Each message goes out as a UTF-8 text/plain e-mail (quoted-printable, so
// umlauts and "€" arrive intact), with Content-Language set from the
// message's language and Message-ID <message-id@sender-domain>, so that
// receivers can drop the rare second copy the outbox's at-least-once
// delivery may cause. Sender and recipient names are written by
// net/mail's address formatting (RFC 5322 quoting, RFC 2047 encoded-words),
// so a name with an unbalanced quote, a comma or a line break is delivered
// as typed and cannot add a header; only the address itself must parse.
//
// # Error contract
//
// [New] returns a problem.List (rule [ErrConfig]) listing every problem of a
// [Config]. Send wraps notify.ErrPermanent when the server rejects the
// recipient or the content with a 5xx reply (the message is not retried),
// and notify.ErrTransport for everything else: connection refused,
// timeouts, TLS or authentication failures, 4xx replies (the message is
// retried). Error texts name the SMTP step and reply code, never an
// address, a name or the server's text.
//
// # Glossary
//
//   - Eingangsbestätigung: the confirmation of a Voranmeldung, one of the
//     messages this transport delivers.
//   - Fachberatung: the district office that receives Tagespflege referrals.
package smtp
