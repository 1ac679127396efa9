package app

import (
	"context"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// Contracts generates care contracts (Betreuungsverträge) for accepted places.
type Contracts struct {
	app      *App
	renderer *contract.Renderer
}

// ErrNotAccepted: the application holds no accepted (or contracted) place.
var ErrNotAccepted = problem.NewSentinel(problem.WrongState, "app.not_accepted", "app: no accepted place to contract")

// ContractRequest names the application and the facts the fee needs that
// the application does not hold.
type ContractRequest struct {
	ApplicationID string
	// Income is the household's annual income in euros (for the fee bracket).
	Income decimal.Decimal
	// Siblings in care, for the schedule's sibling rule.
	Siblings []contract.Sibling
	// MealPlan: the child takes part in the meals (meal fee).
	MealPlan bool
}

// Generate builds the contract of an accepted place: the carrier of the
// Kita, represented by the Kita's head, and the guardians; dates from the
// profile's calendar, fees from its fee schedule. The family, the Kita's
// carrier and the Jugendamt may generate it. The first generation tells the
// family that its contract is ready (a notify.ContractReady message).
// With [IdempotencyKey], a repeated request returns the first contract
// again, byte for byte (its creation instant is kept with the key), and
// the key with other facts is ErrKeyReused.
func (c *Contracts) Generate(ctx context.Context, actor access.Actor, req ContractRequest, opts ...Option) (contract.Contract, error) {
	a, err := c.app.Registrations.Get(ctx, actor, req.ApplicationID)
	if err != nil {
		return contract.Contract{}, err
	}
	if a.Offer() == nil || (a.Status() != registration.Accepted && a.Status() != registration.Contracted) {
		return contract.Contract{}, ErrNotAccepted
	}
	k, ok := c.app.Catalogue.Get(a.Offer().KitaID)
	if !ok {
		return contract.Contract{}, ErrNotAccepted
	}
	if err := access.Can(actor, access.RecordContract, access.Subject{FamilyID: a.FamilyID, Carriers: []string{k.Carrier.ID}}); err != nil {
		return contract.Contract{}, err
	}
	created, err := c.createdAt(ctx, actor, req, opts)
	if err != nil {
		return contract.Contract{}, err
	}
	lang := contract.German
	if len(a.Guardians) > 0 && a.Guardians[0].Language == "en" {
		lang = contract.English
	}
	d := contract.Draft{
		Number: a.Reference + "-V",
		Kind:   contract.Kita,
		Provider: contract.Provider{
			Name: k.Name, Representative: representative(k), CarrierName: k.Carrier.Name, Address: k.Address,
		},
		Child: contract.Child{
			Name: a.Child.GivenName + " " + a.Child.FamilyName, BirthDate: a.Child.BirthDate, Address: a.Address,
		},
		Start:     a.Start,
		Hours:     a.Offer().PlaceHours(a.Hours),
		Language:  lang,
		Income:    req.Income,
		Siblings:  req.Siblings,
		MealPlan:  req.MealPlan,
		CreatedAt: created,
	}
	for _, g := range a.Guardians {
		d.Guardians = append(d.Guardians, contract.Party{
			Name: g.GivenName + " " + g.FamilyName, Address: a.Address, Email: g.Email, Phone: g.Phone,
		})
	}
	ct, err := contract.Generate(d, c.app.Profile.Contract)
	if err != nil {
		return contract.Contract{}, err
	}
	// The family hears once that its contract is ready.
	if err := c.app.Registrations.notifyContractReady(ctx, actor, a.ID); err != nil {
		return contract.Contract{}, err
	}
	return ct, nil
}

// Render writes the contract as PDF; nothing is written on error.
func (c *Contracts) Render(w io.Writer, ct contract.Contract) error { return c.renderer.Render(w, ct) }

// WriteFile writes the contract's PDF to path atomically, or not at all.
func (c *Contracts) WriteFile(path string, ct contract.Contract) error {
	return c.renderer.WriteFile(path, ct)
}

// representative is the Kita-Leitung as the carrier publishes it, or "N. N."
// (nomen nominandum), the placeholder German contracts use for a person not
// yet named.
func representative(k kita.Kita) string {
	if k.Profile.Head != "" {
		return k.Profile.Head
	}
	return "N. N."
}

// createdAt is the contract's creation instant: now, or, for an
// idempotency key used before with the same request, the first call's
// (kept with the key, so the same contract is made again).
func (c *Contracts) createdAt(ctx context.Context, actor access.Actor, req ContractRequest, opts []Option) (time.Time, error) {
	now := c.app.clock().UTC()
	key, err := optionsOf(append(opts, request("contract", req.ApplicationID, req.Income.String(), req.Siblings, req.MealPlan))).keyOf(actor)
	if err != nil || key == nil {
		return now, err
	}
	now = now.Truncate(time.Microsecond) // as every store keeps an instant
	created, replayed := now, false
	err = c.app.atomicKeyed(ctx, key, func(step Tx) error {
		prev, ok, err := key.record(ctx, step)
		if replayed = ok; err != nil || ok {
			created = prev.At
			return err
		}
		created = now
		return key.keep(ctx, step, req.ApplicationID, now)
	})
	if err == nil && replayed {
		key.mark()
	}
	return created.UTC(), err
}
