package auth

import (
	"net/http"
	"strings"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/problem"
)

// Authenticator turns a request into the actor behind it.
type Authenticator interface {
	// Authenticate returns the actor of r, [ErrNoCredentials] when r
	// carries none, or [ErrUnauthenticated] when its credentials prove no
	// valid actor.
	Authenticate(r *http.Request) (access.Actor, error)
}

// Codes of the package.
const (
	CodeNoCredentials   problem.Code = "auth.no_credentials"
	CodeUnauthenticated problem.Code = "auth.unauthenticated"
)

// Errors of the authenticators.
var (
	// ErrNoCredentials: the request carries no credentials.
	ErrNoCredentials = problem.NewSentinel(problem.Unknown, CodeNoCredentials, "auth: no credentials")
	// ErrUnauthenticated: the credentials prove no valid actor.
	ErrUnauthenticated = problem.NewSentinel(problem.Unknown, CodeUnauthenticated, "auth: not authenticated")
	// ErrDevDisabled: the development authenticator was not enabled.
	ErrDevDisabled = problem.NewSentinel(problem.Invalid, "auth.dev_disabled", "auth: development authenticator not enabled")
	// ErrConfig: an authenticator's configuration is incomplete.
	ErrConfig = problem.NewSentinel(problem.Invalid, "auth.config", "auth: incomplete configuration")
)

// Messages are the German and English texts of the package's codes.
var Messages = problem.Catalog{
	"de": {
		CodeNoCredentials:   "Bitte melden Sie sich an.",
		CodeUnauthenticated: "Die Anmeldung ist ungültig oder abgelaufen. Bitte melden Sie sich erneut an.",
		"auth.dev_disabled": "Die Entwicklungsanmeldung ist nicht eingeschaltet.",
		"auth.config":       "Die Anmeldung ist unvollständig eingerichtet.",
	},
	"en": {
		CodeNoCredentials:   "Please sign in.",
		CodeUnauthenticated: "The sign-in is invalid or has expired. Please sign in again.",
		"auth.dev_disabled": "The development sign-in is not enabled.",
		"auth.config":       "The sign-in is not configured completely.",
	},
}

// bearer returns the token of an "Authorization: Bearer ..." header:
// ErrNoCredentials without the header, ErrUnauthenticated for another scheme
// or an empty token.
func bearer(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", ErrNoCredentials
	}
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", ErrUnauthenticated
	}
	return token, nil
}

// ParseRole returns the role of its stable name ("guardian",
// "carrier_staff", "fachberatung", "jugendamt"). The system role is never
// granted to a request.
func ParseRole(s string) (access.Role, bool) {
	for r := access.Guardian; r < access.System; r++ {
		if r.String() == s {
			return r, true
		}
	}
	return 0, false
}

// actor builds the actor of a role with its scope (family, carrier or
// district; none for the Jugendamt) and checks it.
func actor(role access.Role, id, scope string) (access.Actor, error) {
	var a access.Actor
	switch role {
	case access.Guardian:
		a = access.NewGuardian(id, scope)
	case access.CarrierStaff:
		a = access.NewCarrierStaff(id, scope)
	case access.Fachberatung:
		a = access.NewFachberatung(id, scope)
	case access.Jugendamt:
		a = access.NewJugendamt(id)
	default:
		return access.Actor{}, ErrUnauthenticated
	}
	if !a.Valid() {
		return access.Actor{}, ErrUnauthenticated
	}
	return a, nil
}
