package kitaportal

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
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/store/postgres"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Store is a storage backend: one value that offers every store port.
// store/memory and store/postgres implement it.
type Store interface {
	Registrations() registration.Store
	Tagespflege() tagespflege.Store
	Outbox() notify.Outbox
}

// Config wires a [Portal]. Only Profile and Catalogue are required.
type Config struct {
	// Profile is the city's rules (for Bochum: bochum.Profile()).
	Profile municipality.Profile
	// Catalogue is the city's Kitas.
	Catalogue *kita.Catalogue
	// Store is the backend; nil means PostgreSQL when PostgresURL is set,
	// the in-memory store otherwise.
	Store Store
	// PostgresURL opens a PostgreSQL store (migrations are applied).
	PostgresURL string
	// Transport delivers messages; nil means a notify.MemoryTransport.
	Transport notify.Transport
	// Clock returns the current instant; time.Now when nil.
	Clock func() time.Time
	// NewID returns new ids; UUID version 7 when nil.
	NewID func() string
	// Logger receives operational logs (never personal data); nil discards.
	Logger *slog.Logger
}

// Portal is the domain core of a city's Kita portal, ready to serve:
// registrations (Voranmeldung), Tagespflege referrals, allocation rounds and
// offers, care contracts, data protection and reports. Every method names
// its actor; access is decided in the services.
type Portal struct {
	// Profile is the city's rules.
	Profile municipality.Profile
	// Registrations submits, changes and withdraws applications, makes and
	// answers offers, runs allocation rounds, exports and erases data.
	Registrations *registration.Service
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
	// Translator turns problem lists into German or English text.
	Translator *problem.Translator

	store  Store
	clock  func() time.Time
	closer func()
}

// Open wires a portal. With no Store and no PostgresURL it runs on the
// in-memory store, which needs nothing else.
func Open(ctx context.Context, cfg Config) (*Portal, error) {
	if cfg.Catalogue == nil {
		return nil, errors.New("kitaportal: config needs a catalogue")
	}
	if err := cfg.Profile.Validate(); err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Transport == nil {
		cfg.Transport = notify.NewMemoryTransport()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Portal{Profile: cfg.Profile, clock: cfg.Clock, closer: func() {}}
	switch {
	case cfg.Store != nil:
		p.store = cfg.Store
	case cfg.PostgresURL != "":
		pg, err := postgres.Open(ctx, cfg.PostgresURL)
		if err != nil {
			return nil, err
		}
		p.store = pg
		p.closer = pg.Close
	default:
		p.store = memory.New()
	}
	templates := cfg.Profile.Templates
	if templates == nil {
		templates = notify.DefaultTemplates()
	}
	reg, err := registration.NewService(registration.Config{
		Rules: cfg.Profile.Registration, Store: p.store.Registrations(), Catalogue: cfg.Catalogue,
		Districts: cfg.Profile.Districts, Offices: cfg.Profile.Offices, Templates: templates,
		Clock: cfg.Clock, NewID: cfg.NewID,
	})
	if err != nil {
		p.closer()
		return nil, err
	}
	p.Registrations = reg
	var tpOpts []tagespflege.Option
	if cfg.NewID != nil {
		tpOpts = append(tpOpts, tagespflege.WithIDs(cfg.NewID))
	}
	p.Referrals = &Referrals{svc: tagespflege.NewService(p.store.Tagespflege(), cfg.Profile.Offices, cfg.Clock, tpOpts...), reg: reg}
	p.Catalogue = &Catalogue{cat: cfg.Catalogue, clock: cfg.Clock}
	renderer, err := contract.NewRenderer()
	if err != nil {
		p.closer()
		return nil, err
	}
	p.Contracts = &Contracts{portal: p, renderer: renderer}
	p.Reports = &Reports{portal: p, catalogue: cfg.Catalogue}
	p.Dispatcher = notify.NewDispatcher(p.store.Outbox(), cfg.Transport, notify.DispatcherOptions{Clock: cfg.Clock, Logger: cfg.Logger})
	p.Translator = problem.NewTranslator(
		kita.Messages, district.Messages, registration.Messages, tagespflege.Messages,
		allocation.Messages, contract.Messages, notify.Messages, municipality.Messages,
	)
	return p, nil
}

// Close releases the store's connections.
func (p *Portal) Close() { p.closer() }

// Store returns the backend, for adapters' own tools (migrations, tests).
func (p *Portal) Store() Store { return p.store }

// ApplyRetention anonymizes what the profile's retention periods
// (Löschfristen) say is due: applications that never led to a contract,
// AnonymizeAfterMonths after their Kita year ended; contracted ones,
// ContractedAfterMonths after the child's Kita time ended. Statistics
// survive. Run it daily, as the Jugendamt or the system actor.
func (p *Portal) ApplyRetention(ctx context.Context, actor access.Actor) (int, error) {
	return p.Registrations.ApplyRetention(ctx, actor, registration.Retention{
		AnonymizeAfterMonths:  p.Profile.Retention.AnonymizeAfterMonths,
		ContractedAfterMonths: p.Profile.Retention.ContractedAfterMonths,
	})
}
