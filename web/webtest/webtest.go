// Package webtest starts the portal's pages on a test server: Bochum's
// profile and sample catalogue, the in-memory store, a memory mail
// transport, the demo login and a clock the test sets. Tests of the pages
// run with it, without the kitaportal command.
package webtest

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/web"
)

// Server is a running portal over HTTPS (Secure cookies need it).
type Server struct {
	*httptest.Server
	// App is the application layer behind the pages, for steps a test
	// takes directly (the Jugendamt running a round, say).
	App *app.App
	// Mail is the transport the dispatcher delivers to.
	Mail *notify.MemoryTransport
	// Catalogue is the Kita catalogue behind App, for a test that sets
	// the places of a Kita (Catalogue.Replace) before a round.
	Catalogue *kita.Catalogue

	mu  sync.Mutex
	now time.Time
}

// Start is the clock's first instant: 1 December 2026, 10:00 in Bochum,
// when the Kita year 2027/2028 takes registrations.
var Start = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// New starts a server; it stops when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	return NewWith(tb, nil)
}

// NewWith starts a server like [New] on Bochum's profile as edit changes
// it (nil: unchanged), say with house coordinates.
func NewWith(tb testing.TB, edit func(*municipality.Profile)) *Server {
	tb.Helper()
	prof, err := bochum.Profile()
	if err != nil {
		tb.Fatal(err)
	}
	if edit != nil {
		edit(&prof)
	}
	cat, err := bochum.Catalogue()
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Mail: notify.NewMemoryTransport(), now: Start}
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{Profile: prof, Catalogue: cat, Store: memory.New(), Transport: s.Mail, Clock: s.Now})
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range bochum.Minders(1, Start) {
		if _, err := a.Referrals.AddMinder(ctx, access.NewJugendamt("webtest"), m); err != nil {
			tb.Fatal(err)
		}
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	h, err := web.New(a, web.Options{SessionKey: key, Demo: true})
	if err != nil {
		tb.Fatal(err)
	}
	s.App, s.Catalogue = a, cat
	s.Server = httptest.NewTLSServer(h)
	tb.Cleanup(s.Close)
	return s
}

// Now is the server's clock.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// Advance moves the clock forward.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = s.now.Add(d)
}

// Client returns an HTTPS client with its own cookie jar that does not
// follow redirects (tests look at them).
func (s *Server) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := *s.Server.Client() // a copy: the server's client is shared
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}
