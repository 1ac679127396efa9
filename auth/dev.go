package auth

import (
	"net/http"
	"strings"

	"github.com/kitaportal/kitaportal/access"
)

// Dev is the development authenticator: it believes the actor named in
// the bearer token, "dev:ROLE:ID[:SCOPE]", where SCOPE is the family of a
// guardian, the carrier of a carrier's staff member or the district of a
// Fachberatung ("dev:guardian:anna:family-1", "dev:jugendamt:amt-1").
// It proves nothing and is for demonstrations and tests only.
type Dev struct{}

// NewDev returns the development authenticator when enabled is true and
// [ErrDevDisabled] otherwise, so that a configuration cannot switch it on
// by omission.
func NewDev(enabled bool) (*Dev, error) {
	if !enabled {
		return nil, ErrDevDisabled
	}
	return &Dev{}, nil
}

// Token returns the bearer token that names the actor a.
func (*Dev) Token(a access.Actor) string {
	scope := ""
	switch a.Role {
	case access.Guardian:
		scope = a.FamilyID
	case access.CarrierStaff:
		scope = a.CarrierID
	case access.Fachberatung:
		scope = a.District
	}
	t := "dev:" + a.Role.String() + ":" + a.ID
	if scope != "" {
		t += ":" + scope
	}
	return t
}

// Authenticate implements [Authenticator].
func (*Dev) Authenticate(r *http.Request) (access.Actor, error) {
	token, err := bearer(r)
	if err != nil {
		return access.Actor{}, err
	}
	parts := strings.Split(token, ":")
	if len(parts) < 3 || len(parts) > 4 || parts[0] != "dev" {
		return access.Actor{}, ErrUnauthenticated
	}
	role, ok := ParseRole(parts[1])
	if !ok {
		return access.Actor{}, ErrUnauthenticated
	}
	scope := ""
	if len(parts) == 4 {
		scope = parts[3]
	}
	return actor(role, parts[2], scope)
}
