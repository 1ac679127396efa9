package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/auth"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/notify/smtp"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/store/postgres"
	"github.com/kitaportal/kitaportal/web"
)

// serveOptions are the flags of kitaportal serve.
type serveOptions struct {
	profile, addr, postgres, mail, cors string
	numberBlock                         int
	// expect is the number of applications a year is expected to bring,
	// the in-memory store's size (memory.NewSized); expectSet: given.
	expect    int
	expectSet bool
	demo      bool
	bare      bool // no flag but -addr: the demonstration
	oidc      auth.OIDCConfig
	oidcRoles string
	// oidcRedirect and oidcScopes configure the portal pages' login
	// through OpenID Connect (the client secret comes from
	// KITAPORTAL_OIDC_CLIENT_SECRET).
	oidcRedirect, oidcScopes string
}

func parseServe(args []string, stderr io.Writer) (serveOptions, error) {
	var o serveOptions
	fs := newFlags("serve", stderr)
	fs.StringVar(&o.profile, "profile", "bochum", "the city: `bochum` (its profile and SAMPLE catalogue) or a directory with profile.json, districts.json, fees.json, offices.json, kitas.csv and its layout (kitas-layout.json, or the profile's catalogue-layout.json)")
	fs.StringVar(&o.addr, "addr", ":8080", "listen `address`")
	fs.StringVar(&o.postgres, "postgres", "", "PostgreSQL `URL`; without it the data lives in memory until the process ends")
	fs.IntVar(&o.numberBlock, "number-block", 1, "with -postgres: reserve reference numbers in blocks of `n`, one statement per n submissions instead of one each; unused numbers of a block are gaps when the process ends, and across several processes numbers tell nothing about the order of submissions")
	fs.IntVar(&o.expect, "expect", bochumYear, "in memory: the number of `applications` a year is expected to bring; the store makes room for them at start (about 600 bytes each) instead of growing during the registration weeks (0: it grows as it fills)")
	fs.StringVar(&o.mail, "mail", "", "message transport: `memory` (kept, not sent) or smtp://USER@HOST:587?from=ADDR (password in KITAPORTAL_SMTP_PASSWORD); -demo implies memory")
	fs.StringVar(&o.cors, "cors", "", "comma-separated `origins` a browser may call the API from (default: none, CORS off)")
	fs.BoolVar(&o.demo, "demo", false, "DEMONSTRATION ONLY: believe the actor named in a bearer token dev:ROLE:ID[:SCOPE] and offer a demo login on the pages (implied when serve gets no flag but -addr)")
	fs.StringVar(&o.oidc.Issuer, "oidc-issuer", "", "OpenID Connect issuer `URL`")
	fs.StringVar(&o.oidc.ClientID, "oidc-client", "", "OpenID Connect client `id`")
	fs.StringVar(&o.oidc.RoleClaim, "oidc-role-claim", "groups", "the `claim` that names the role")
	fs.StringVar(&o.oidcRoles, "oidc-roles", "", "claim values to roles: `VALUE=ROLE,...` (roles guardian, carrier_staff, fachberatung, jugendamt)")
	fs.StringVar(&o.oidc.FamilyClaim, "oidc-family-claim", "", "the `claim` with a guardian's family id (default: the subject)")
	fs.StringVar(&o.oidc.CarrierClaim, "oidc-carrier-claim", "carrier", "the `claim` with a carrier's id")
	fs.StringVar(&o.oidc.DistrictClaim, "oidc-district-claim", "district", "the `claim` with a Fachberatung's district")
	fs.StringVar(&o.oidcRedirect, "oidc-redirect", "", "the portal's login callback `URL` as registered at the provider (https://portal.example/login/callback): the pages log in through OpenID Connect (authorization code with PKCE; client secret in KITAPORTAL_OIDC_CLIENT_SECRET)")
	fs.StringVar(&o.oidcScopes, "oidc-scopes", "", "comma-separated `scopes` the pages' login asks for beside openid (e.g. profile,groups)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// The bare command is the demonstration the README promises: Bochum's
	// sample, in memory, a demo login. Anything that points at a real
	// deployment (a store, a mail server, another city, an issuer) turns
	// that off: then the demo login needs -demo, given explicitly.
	// -expect sizes the demonstration's store too.
	bare := true
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "addr":
		case "expect":
			o.expectSet = true
		default:
			bare = false
		}
	})
	if bare {
		o.demo, o.bare = true, true
	}
	switch {
	case o.numberBlock < 1:
		return o, fmt.Errorf("-number-block %d: want 1 or more", o.numberBlock)
	case o.numberBlock != 1 && o.postgres == "":
		return o, errors.New("-number-block needs -postgres: in memory every number costs nothing")
	case o.expect < 0 || o.expect > memory.MaxApplications:
		return o, fmt.Errorf("-expect %d: want 0 to %d", o.expect, memory.MaxApplications)
	case o.expectSet && o.postgres != "":
		return o, errors.New("-expect sizes the in-memory store; with -postgres the database sizes itself")
	}
	switch {
	case o.demo && o.oidc.Issuer != "":
		return o, errors.New("-demo and -oidc-issuer exclude each other")
	case !o.demo && o.oidc.Issuer == "":
		return o, errors.New("needs -oidc-issuer, -oidc-client and -oidc-roles, or -demo for a demonstration")
	case o.demo && o.oidcRedirect != "":
		return o, errors.New("-oidc-redirect needs -oidc-issuer, not -demo")
	case o.demo && o.mail == "":
		o.mail = "memory"
	case o.mail == "":
		return o, errors.New("needs -mail (memory, or smtp://USER@HOST:587?from=ADDR)")
	}
	if o.oidcRoles != "" {
		o.oidc.Roles = map[string]access.Role{}
		for _, pair := range strings.Split(o.oidcRoles, ",") {
			value, name, ok := strings.Cut(pair, "=")
			role, known := auth.ParseRole(strings.TrimSpace(name))
			if !ok || !known {
				return o, fmt.Errorf("-oidc-roles: %q is not VALUE=ROLE with a known role", pair)
			}
			o.oidc.Roles[strings.TrimSpace(value)] = role
		}
	}
	return o, nil
}

// bochumYear is the number of applications of a Bochum year (35,703), the
// in-memory store's default size.
const bochumYear = 35_703

// served is what serve runs: the handler, the dispatcher's step and what
// to close at the end.
type served struct {
	handler http.Handler
	api     *httpapi.Handler
	app     *app.App
	close   func()
}

// buildServe wires the profile, catalogue, store, transport, application
// layer, authenticator and API.
func buildServe(ctx context.Context, o serveOptions, logger *slog.Logger) (*served, error) {
	profile, cat, err := loadCity(o.profile)
	if err != nil {
		return nil, err
	}
	transport, err := mailTransport(o.mail)
	if err != nil {
		return nil, err
	}
	s := &served{close: func() {}}
	var store app.Store
	ready := func(context.Context) error { return nil }
	if o.postgres == "" {
		if store, err = memory.NewSized(o.expect); err != nil {
			return nil, fmt.Errorf("-expect: %w", err)
		}
	} else {
		pool, err := pgxpool.New(ctx, o.postgres)
		if err != nil {
			return nil, fmt.Errorf("-postgres: %w", err)
		}
		pg := postgres.New(pool, postgres.NumberBlock(o.numberBlock))
		if err := pg.Migrate(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("-postgres: %w", err)
		}
		store, ready, s.close = pg, pool.Ping, pool.Close
	}
	a, err := app.New(ctx, app.Config{Profile: profile, Catalogue: cat, Store: store, Transport: transport, Logger: logger})
	if err != nil {
		s.close()
		return nil, err
	}
	s.app = a
	var authn auth.Authenticator
	if o.demo {
		authn, err = auth.NewDev(true)
	} else {
		authn, err = auth.NewOIDC(ctx, o.oidc)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	var origins []string
	if o.cors != "" {
		origins = strings.Split(o.cors, ",")
	}
	s.api, err = httpapi.New(httpapi.Config{App: a, Authenticator: authn, Ready: ready, Logger: logger, CORSOrigins: origins})
	if err != nil {
		s.close()
		return nil, err
	}
	mux := http.NewServeMux()
	for _, p := range httpapi.Paths {
		mux.Handle(p, s.api)
	}
	pages, err := portalPages(ctx, o, a, authn, logger)
	if err != nil {
		s.close()
		return nil, err
	}
	mux.Handle("/", pages)
	s.handler = mux
	return s, nil
}

// portalPages builds the reference portal's pages (package web). The
// session key comes from KITAPORTAL_SESSION_KEY (base64, at least 32
// bytes, the same on every instance); only a demonstration makes one up.
// A demonstration of Bochum also registers its sample child-minders, so
// that the Fachberatung's pages have someone to place a child with.
func portalPages(ctx context.Context, o serveOptions, a *app.App, authn auth.Authenticator, logger *slog.Logger) (http.Handler, error) {
	key, err := sessionKey(os.Getenv("KITAPORTAL_SESSION_KEY"), o.demo)
	if err != nil {
		return nil, err
	}
	opts := web.Options{SessionKey: key, Demo: o.demo, Logger: logger}
	if !o.demo {
		opts.Authenticator = authn
	}
	if provider, ok := authn.(*auth.OIDC); ok && o.oidcRedirect != "" {
		opts.OIDC = &web.OIDCLogin{Provider: provider, ClientID: o.oidc.ClientID, ClientSecret: os.Getenv("KITAPORTAL_OIDC_CLIENT_SECRET"),
			RedirectURL: o.oidcRedirect, HTTPClient: o.oidc.HTTPClient}
		if o.oidcScopes != "" {
			opts.OIDC.Scopes = strings.Split(o.oidcScopes, ",")
		}
	}
	if o.demo && o.profile == "bochum" {
		for _, m := range bochum.Minders(1, a.Now()) {
			if _, err := a.Referrals.AddMinder(ctx, access.SystemActor, m); err != nil {
				return nil, fmt.Errorf("demo child-minders: %w", err)
			}
		}
	}
	return web.New(a, opts)
}

// sessionKey decodes the configured session key, or makes one up for a
// demonstration.
func sessionKey(configured string, demo bool) ([]byte, error) {
	if configured == "" {
		if !demo {
			return nil, errors.New("needs KITAPORTAL_SESSION_KEY: at least 32 random bytes, base64 (e.g. openssl rand -base64 32)")
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		return key, nil
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(configured))
	if err != nil || len(key) < 32 {
		return nil, errors.New("KITAPORTAL_SESSION_KEY must be base64 of at least 32 random bytes")
	}
	return key, nil
}

// loadCity returns the profile and catalogue of "bochum" or of a directory.
func loadCity(name string) (municipality.Profile, *kita.Catalogue, error) {
	if name == "bochum" {
		p, err := bochum.Profile()
		if err != nil {
			return p, nil, err
		}
		cat, err := bochum.Catalogue()
		return p, cat, err
	}
	p, err := municipality.Load(os.DirFS(name))
	if err != nil {
		return p, nil, fmt.Errorf("-profile %s: %w", name, err)
	}
	// The layout of kitas.csv: kitas-layout.json when the directory has
	// one, else the profile's catalogue-layout.json.
	var m kita.CSVMapping
	switch layout, err := os.ReadFile(filepath.Join(name, "kitas-layout.json")); {
	case err == nil:
		if err := json.Unmarshal(layout, &m); err != nil {
			return p, nil, fmt.Errorf("-profile: kitas-layout.json: %w", err)
		}
	case errors.Is(err, fs.ErrNotExist) && p.CatalogueLayout != nil:
		m = *p.CatalogueLayout
	default:
		return p, nil, fmt.Errorf("-profile: %w (or catalogue-layout.json)", err)
	}
	csv, err := os.ReadFile(filepath.Join(name, "kitas.csv"))
	if err != nil {
		return p, nil, fmt.Errorf("-profile: %w", err)
	}
	kitas, err := kita.ImportCSV(bytes.NewReader(csv), m)
	if err != nil {
		return p, nil, fmt.Errorf("-profile: kitas.csv: %w", err)
	}
	cat, err := kita.NewCatalogue(kitas, p.Registration.Hours)
	return p, cat, err
}

// mailTransport returns the transport -mail names.
func mailTransport(spec string) (notify.Transport, error) {
	if spec == "memory" {
		return notify.NewMemoryTransport(), nil
	}
	u, err := url.Parse(spec)
	if err != nil || u.Scheme != "smtp" {
		return nil, errors.New("-mail: memory or smtp://USER@HOST:PORT?from=ADDR")
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return nil, errors.New("-mail: the SMTP URL needs a port")
	}
	cfg := smtp.Config{Host: u.Hostname(), Port: port, TLS: smtp.TLSMandatory, From: u.Query().Get("from")}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password = os.Getenv("KITAPORTAL_SMTP_PASSWORD")
	}
	return smtp.New(cfg)
}

// background delivers the outbox every 5 seconds and, every hour, lets
// unanswered offers lapse (with reminders) and applies the retention
// periods, as the system; both steps are idempotent.
func (s *served) background(ctx context.Context, logger *slog.Logger) {
	deliver := time.NewTicker(5 * time.Second)
	defer deliver.Stop()
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-deliver.C:
			if _, err := s.api.DeliverOnce(ctx); err != nil && ctx.Err() == nil {
				logger.Warn("outbox delivery", "error", err.Error())
			}
		case <-hourly.C:
			if rep, err := s.app.Registrations.LapseOffers(ctx, access.SystemActor); err != nil {
				logger.Warn("lapse offers", "error", err.Error())
			} else {
				logger.Info("lapse offers", "lapsed", rep.Lapsed, "reminded", rep.Reminded)
			}
			if n, err := s.app.Registrations.ApplyRetention(ctx, access.SystemActor); err != nil {
				logger.Warn("retention", "error", err.Error())
			} else {
				logger.Info("retention", "anonymized", n)
			}
		}
	}
}

// serve runs the API until SIGINT or SIGTERM.
func serve(args []string, stdout, stderr io.Writer) int {
	o, err := parseServe(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "kitaportal serve:", err)
		}
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewJSONHandler(stdout, nil))
	s, err := buildServe(ctx, o, logger)
	if err != nil {
		fmt.Fprintln(stderr, "kitaportal serve:", err)
		return exitFail
	}
	defer s.close()
	srv := &http.Server{Addr: o.addr, Handler: s.handler, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 15 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 32 << 10}
	go s.background(ctx, logger)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if o.bare {
		logger.Warn("DEMONSTRATION: serve without flags runs Bochum's sample catalogue in memory with a demo login at /demo; name -postgres, -mail and an OpenID Connect issuer for a real portal")
	}
	if o.demo {
		logger.Warn("DEMONSTRATION MODE: the API believes the actor named in the bearer token (dev:ROLE:ID[:SCOPE])")
	}
	logger.Info("serving", "addr", o.addr, "profile", o.profile, "store", storeName(o.postgres))
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "kitaportal serve:", err)
		return exitFail
	}
	return exitOK
}

func storeName(pg string) string {
	if pg == "" {
		return "memory"
	}
	return "postgres"
}
