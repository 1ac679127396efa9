package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Config wires an [App]. Every field but Clock, NewID and Logger is
// required; nothing is defaulted silently.
type Config struct {
	// Profile is the city's rules (for Bochum: bochum.Profile()).
	Profile municipality.Profile
	// Catalogue is the city's Kitas. The carriers' stored edits
	// (profiles, free places, closures) are applied to it by [New].
	Catalogue *kita.Catalogue
	// Store is the unit of work (store/memory or store/postgres).
	Store Store
	// Transport delivers messages (notify/smtp, or notify.NewMemoryTransport()
	// named explicitly for tests and demonstrations).
	Transport notify.Transport
	// Clock returns the current instant; time.Now when nil. The App reads
	// it in the profile's time zone, the one "today" of every service.
	Clock func() time.Time
	// NewID returns new ids; UUID version 7 when nil (notify.NewID).
	NewID func() string
	// Logger receives operational logs (never personal data); nil discards.
	Logger *slog.Logger
}

// Errors of [New].
var (
	// ErrConfig: the configuration lacks something New needs.
	ErrConfig = errors.New("app: incomplete configuration")
)

// App is the application layer of kitaportal: every use case, each one
// access decision ([access.Can]) and one atomic step ([Store.Atomic]) with
// its messages and its audit entry.
type App struct {
	// Profile is the city's rules.
	Profile municipality.Profile
	// Registrations submits, changes and withdraws applications, makes and
	// answers offers, runs allocation rounds, exports and erases data.
	Registrations *Registrations
	// Referrals is the Fachberatung's view of Tagespflege referrals.
	Referrals *Referrals
	// Catalogue searches Kitas and lets carriers maintain their own.
	Catalogue *Catalogue
	// Contracts generates care contracts for accepted places.
	Contracts *Contracts
	// Reports are the Jugendamt's figures.
	Reports *Reports
	// Dispatcher delivers the outbox; run it with Run or RunOnce.
	Dispatcher *notify.Dispatcher
	// Translator turns errors and problem lists into German or English text.
	Translator *problem.Translator

	store Store
	clock func() time.Time
	newID func() string
	reg   *registration.Checker
}

// New wires an application layer over a store. A missing profile check,
// catalogue, store or transport is an error (ErrConfig).
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Catalogue == nil || cfg.Store == nil || cfg.Transport == nil {
		return nil, errors.Join(ErrConfig, errors.New("app: config needs a catalogue, a store and a transport"))
	}
	if err := cfg.Profile.Validate(); err != nil {
		return nil, err
	}
	base := cfg.Clock
	if base == nil {
		base = time.Now
	}
	loc := cfg.Profile.Location
	// The one clock: every service reads "today" in the city's time zone.
	clock := func() time.Time { return base().In(loc) }
	if cfg.NewID == nil {
		cfg.NewID = notify.NewID
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	a := &App{Profile: cfg.Profile, store: cfg.Store, clock: clock, newID: cfg.NewID}
	templates := cfg.Profile.Templates
	if templates == nil {
		templates = notify.DefaultTemplates()
	}
	reg, err := registration.NewChecker(registration.Config{
		Rules: cfg.Profile.Registration, Catalogue: cfg.Catalogue,
		Districts: cfg.Profile.Districts, Offices: cfg.Profile.Offices, Templates: templates,
		NewID: cfg.NewID,
	})
	if err != nil {
		return nil, err
	}
	a.reg = reg
	a.Registrations = &Registrations{app: a, svc: reg}
	a.Referrals = &Referrals{app: a}
	a.Catalogue = &Catalogue{app: a, cat: cfg.Catalogue}
	if err := a.Catalogue.Reload(ctx); err != nil {
		return nil, err
	}
	renderer, err := contract.NewRenderer()
	if err != nil {
		return nil, err
	}
	a.Contracts = &Contracts{app: a, renderer: renderer}
	a.Reports = &Reports{app: a, catalogue: cfg.Catalogue}
	a.Dispatcher = notify.NewDispatcher(cfg.Store.Outbox(), cfg.Transport, notify.DispatcherOptions{Clock: clock, Logger: cfg.Logger})
	a.Translator = problem.NewTranslator(Catalogs()...)
	return a, nil
}

// Catalogs returns the message catalogs of every package whose codes the
// application layer can return, for a [problem.Translator].
func Catalogs() []problem.Catalog {
	return []problem.Catalog{
		problem.Messages, access.Messages, kita.Messages, district.Messages, registration.Messages,
		tagespflege.Messages, allocation.Messages, contract.Messages, notify.Messages, municipality.Messages, Messages, roundMessages,
	}
}

// Now returns the current instant in the city's time zone: the clock
// every service of the App reads.
func (a *App) Now() time.Time { return a.clock() }

// tagespflege returns the Tagespflege service over one step's tx.
func (a *App) tagespflege(tx tagespflege.Store) *tagespflege.Service {
	return tagespflege.NewService(tx, a.Profile.Offices, a.clock, tagespflege.WithIDs(a.newID))
}

// carrierOf returns the carrier of a Kita of the catalogue ("" when unknown).
func (a *App) carrierOf(kitaID string) string {
	k, ok := a.Catalogue.cat.Get(kitaID)
	if !ok {
		return ""
	}
	return k.Carrier.ID
}

// auditEntry is the audit entry of the actor's action on an application,
// at the App's current instant.
func (a *App) auditEntry(actor access.Actor, action string, on registration.Application, reason string) registration.AuditEntry {
	return registration.AuditEntry{
		At: a.clock().UTC(), Actor: actor.String(), Action: action,
		ApplicationID: on.ID, FamilyID: on.FamilyID, Reason: reason,
	}
}
