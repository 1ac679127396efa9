package kitaportal

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/store/memory"
)

// Config wires a [Portal]. Profile, Catalogue and Transport are required.
type Config struct {
	// Profile is the city's rules (for Bochum: bochum.Profile()).
	Profile municipality.Profile
	// Catalogue is the city's Kitas.
	Catalogue *kita.Catalogue
	// Store is the backend: nil means the in-memory store (store/memory,
	// pure Go, its data lives as long as the process). For PostgreSQL the
	// caller opens store/postgres itself and passes it here.
	Store app.Store
	// Transport delivers messages. It is required: name
	// notify.NewMemoryTransport() explicitly for tests and demonstrations,
	// notify/smtp for real mail.
	Transport notify.Transport
	// Clock returns the current instant; time.Now when nil.
	Clock func() time.Time
	// NewID returns new ids; UUID version 7 when nil.
	NewID func() string
	// Logger receives operational logs (never personal data); nil discards.
	Logger *slog.Logger
}

// Portal is the application layer of a city's Kita portal, ready to serve
// (see package app for its use cases).
type Portal = app.App

// Errors of [Open].
var (
	// ErrNoCatalogue: the configuration names no Kita catalogue.
	ErrNoCatalogue = errors.New("kitaportal: config needs a catalogue")
	// ErrNoTransport: the configuration names no mail transport; Open does
	// not drop messages silently.
	ErrNoTransport = errors.New("kitaportal: config needs a transport (notify.NewMemoryTransport() for tests)")
)

// Open wires a portal: the profile, the catalogue (with the carriers'
// stored edits applied), the store (in memory when nil), the transport and
// one clock in the profile's time zone.
func Open(ctx context.Context, cfg Config) (*Portal, error) {
	if cfg.Catalogue == nil {
		return nil, ErrNoCatalogue
	}
	if cfg.Transport == nil {
		return nil, ErrNoTransport
	}
	store := cfg.Store
	if store == nil {
		store = memory.New()
	}
	return app.New(ctx, app.Config{
		Profile: cfg.Profile, Catalogue: cfg.Catalogue, Store: store, Transport: cfg.Transport,
		Clock: cfg.Clock, NewID: cfg.NewID, Logger: cfg.Logger,
	})
}
