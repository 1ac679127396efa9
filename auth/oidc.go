package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/kitaportal/kitaportal/access"
)

// OIDCConfig configures the OpenID Connect authenticator. Issuer,
// ClientID, RoleClaim and Roles are required.
type OIDCConfig struct {
	// Issuer is the identity provider's issuer URL; its discovery document
	// (/.well-known/openid-configuration) and keys are fetched from there.
	Issuer string
	// ClientID is the portal's client id: tokens for another audience are
	// refused.
	ClientID string
	// RoleClaim names the claim whose value (a string or a list of
	// strings) says the role, for example "groups" or "kitaportal_role".
	RoleClaim string
	// Roles maps the role claim's values to roles; the first value of the
	// claim found here decides. A token without a known value is refused.
	Roles map[string]access.Role
	// FamilyClaim names the claim that holds a guardian's family id
	// (empty: the subject is the family).
	FamilyClaim string
	// CarrierClaim names the claim that holds a carrier's id.
	CarrierClaim string
	// DistrictClaim names the claim that holds a Fachberatung's district.
	DistrictClaim string
	// HTTPClient fetches discovery and keys (nil: http.DefaultClient).
	HTTPClient *http.Client
	// Clock checks expiry (nil: time.Now).
	Clock func() time.Time
}

// OIDC authenticates requests by the OpenID Connect ID token they carry
// as a bearer token.
type OIDC struct {
	cfg      OIDCConfig
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// NewOIDC fetches the issuer's discovery document and returns the
// authenticator; [ErrConfig] when a required setting is missing.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RoleClaim == "" || len(cfg.Roles) == 0 {
		return nil, errors.Join(ErrConfig, errors.New("auth: OIDC needs an issuer, a client id, a role claim and a role mapping"))
	}
	for _, r := range cfg.Roles {
		if !r.Valid() || r == access.System {
			return nil, errors.Join(ErrConfig, errors.New("auth: OIDC role mapping names an unknown or system role"))
		}
	}
	client := cfg.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	// The key set keeps the client of this context for later key fetches.
	keyCtx := oidc.ClientContext(context.WithoutCancel(ctx), client)
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, err
	}
	return &OIDC{cfg: cfg, provider: provider, verifier: provider.VerifierContext(keyCtx, &oidc.Config{ClientID: cfg.ClientID, Now: cfg.Clock})}, nil
}

// Endpoint returns the issuer's authorization and token endpoints (from
// its discovery document), for a browser login's authorization-code flow.
func (o *OIDC) Endpoint() oauth2.Endpoint { return o.provider.Endpoint() }

// LoginActor returns the actor of an ID token that a browser login's
// authorization-code flow received: the token is verified and its claims
// mapped exactly as [OIDC.Authenticate] does, and its nonce must be the
// one the login sent (ErrUnauthenticated otherwise; an empty nonce is
// refused too, so no login goes without one).
func (o *OIDC) LoginActor(ctx context.Context, rawIDToken, nonce string) (access.Actor, error) {
	id, err := o.verifier.Verify(ctx, rawIDToken)
	if err != nil || nonce == "" || subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(nonce)) != 1 {
		return access.Actor{}, ErrUnauthenticated
	}
	return o.actorOf(id)
}

// Authenticate implements [Authenticator]: the token must be signed by the
// issuer's keys, issued for the client and not expired; the role comes
// from the role claim through the mapping, the scope from its claim.
func (o *OIDC) Authenticate(r *http.Request) (access.Actor, error) {
	token, err := bearer(r)
	if err != nil {
		return access.Actor{}, err
	}
	id, err := o.verifier.Verify(r.Context(), token)
	if err != nil {
		return access.Actor{}, ErrUnauthenticated
	}
	return o.actorOf(id)
}

// actorOf maps a verified ID token's claims to the actor: the role from
// the role claim through the mapping, the scope from its claim.
func (o *OIDC) actorOf(id *oidc.IDToken) (access.Actor, error) {
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		return access.Actor{}, ErrUnauthenticated
	}
	role, ok := o.role(claims[o.cfg.RoleClaim])
	if !ok {
		return access.Actor{}, ErrUnauthenticated
	}
	scope := ""
	switch role {
	case access.Guardian:
		scope = id.Subject
		if o.cfg.FamilyClaim != "" {
			scope = stringClaim(claims[o.cfg.FamilyClaim])
		}
	case access.CarrierStaff:
		scope = stringClaim(claims[o.cfg.CarrierClaim])
	case access.Fachberatung:
		scope = stringClaim(claims[o.cfg.DistrictClaim])
	}
	return actor(role, id.Subject, scope)
}

// role maps a claim's value (a string or a list) to a role.
func (o *OIDC) role(v any) (access.Role, bool) {
	switch v := v.(type) {
	case string:
		r, ok := o.cfg.Roles[v]
		return r, ok
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				if r, ok := o.cfg.Roles[s]; ok {
					return r, true
				}
			}
		}
	}
	return 0, false
}

// stringClaim returns a claim that is a string, or "".
func stringClaim(v any) string {
	s, _ := v.(string)
	return s
}
