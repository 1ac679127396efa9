package smtp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/notify/internal/fakeoutbox"
	"github.com/kitaportal/kitaportal/notify/smtp"
	"github.com/kitaportal/kitaportal/problem"
)

// server is a real SMTP server on loopback that keeps what it receives.
type server struct {
	mu       sync.Mutex
	received []*mail.Message
	bodies   []string
	srv      *gosmtp.Server
	l        net.Listener
	addr     string
}

// stop closes the port and every connection.
func (s *server) stop(t *testing.T) {
	t.Helper()
	_ = s.l.Close()
	_ = s.srv.Close()
}

func (s *server) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &session{s: s}, nil }

type session struct{ s *server }

func (*session) Reset()                                 {}
func (*session) Logout() error                          { return nil }
func (*session) Mail(string, *gosmtp.MailOptions) error { return nil }
func (*session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if strings.HasPrefix(to, "unknown@") {
		return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user " + to}
	}
	if strings.HasPrefix(to, "busy@") {
		return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	}
	return nil
}

func (ss *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.received = append(ss.s.received, msg)
	ss.s.bodies = append(ss.s.bodies, string(b))
	return nil
}

// start serves on addr ("127.0.0.1:0" for a fresh port).
func (s *server) start(t *testing.T, addr string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	s.l, s.addr = l, l.Addr().String()
	s.srv = gosmtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 5*time.Second, 5*time.Second
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
}

func (s *server) messages() ([]*mail.Message, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Message(nil), s.received...), append([]string(nil), s.bodies...)
}

func newTransport(t *testing.T, addr string) *smtp.Transport {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	p, err := strconv.Atoi(port)
	require.NoError(t, err)
	tr, err := smtp.New(smtp.Config{Host: host, Port: p, TLS: smtp.TLSNone, From: "kita@bochum.example", FromName: "Jugendamt Bochum", Timeout: 2 * time.Second})
	require.NoError(t, err)
	return tr
}

func message(id, to string) notify.Message {
	t0 := time.Date(2021, time.February, 1, 9, 0, 0, 0, time.UTC)
	return notify.Message{
		ID: id, Kind: notify.Confirmation, Subject: "app-1", To: to, ToName: "Jürgen Weiß", Lang: "de",
		Title:  "Eingangsbestätigung Ihrer Voranmeldung – Größe ä ö ü ß €",
		Body:   "Grüße aus Bochum: ä ö ü Ä Ö Ü ß € – „Anführungszeichen“\nZweite Zeile mit einer sehr langen Zeile, die länger als sechsundsiebzig Zeichen ist und umgebrochen werden muss.\n",
		Status: notify.Pending, CreatedAt: t0, NextAttempt: t0,
	}
}

func TestSendDeliversGermanTextIntact(t *testing.T) {
	s := &server{}
	s.start(t, "127.0.0.1:0")
	tr := newTransport(t, s.addr)
	m := message("0190f1a0-0000-7000-8000-000000000001", "eltern@example.org")

	require.NoError(t, tr.Send(context.Background(), m))

	got, bodies := s.messages()
	require.Len(t, got, 1)
	assert.Equal(t, m.Body, strings.ReplaceAll(bodies[0], "\r\n", "\n"))
	subject, err := new(mime.WordDecoder).DecodeHeader(got[0].Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, m.Title, subject)
	assert.Equal(t, "<0190f1a0-0000-7000-8000-000000000001@bochum.example>", got[0].Header.Get("Message-ID"))
	assert.Equal(t, "de", got[0].Header.Get("Content-Language"))
	assert.Contains(t, got[0].Header.Get("Content-Type"), "text/plain")
	assert.Contains(t, strings.ToLower(got[0].Header.Get("Content-Type")), "utf-8")
	to, err := got[0].Header.AddressList("To")
	require.NoError(t, err)
	assert.Equal(t, "Jürgen Weiß", to[0].Name)
}

func TestSendErrors(t *testing.T) {
	s := &server{}
	s.start(t, "127.0.0.1:0")
	closed := &server{}
	closed.start(t, "127.0.0.1:0")
	closed.stop(t)

	tests := []struct {
		name string
		addr string
		to   string
		want error
	}{
		{"a 550 for the recipient is permanent", s.addr, "unknown@example.org", notify.ErrPermanent},
		{"a 451 for the recipient is retried", s.addr, "busy@example.org", notify.ErrTransport},
		{"a closed port is retried", closed.addr, "eltern@example.org", notify.ErrTransport},
		{"a malformed recipient is permanent", s.addr, "not an address", notify.ErrPermanent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := newTransport(t, tc.addr).Send(context.Background(), message("m1", tc.to))
			require.ErrorIs(t, err, tc.want)
			assert.NotContains(t, err.Error(), "example.org", "no address in the error text")
			assert.NotContains(t, err.Error(), "no such user")
		})
	}
}

func TestOutageThenRecovery(t *testing.T) {
	ctx := context.Background()
	s := &server{}
	s.start(t, "127.0.0.1:0")
	addr := s.addr
	s.stop(t) // the server goes down

	outbox := fakeoutbox.New()
	const n = 12
	for i := range n {
		require.NoError(t, outbox.Enqueue(ctx, message(fmt.Sprintf("m%02d", i), fmt.Sprintf("eltern%d@example.org", i))))
	}
	now := time.Date(2021, time.February, 1, 9, 0, 0, 0, time.UTC)
	d := notify.NewDispatcher(outbox, newTransport(t, addr), notify.DispatcherOptions{Clock: func() time.Time { return now }, Batch: 5})

	r, err := d.RunOnce(ctx)
	require.NoError(t, err)
	assert.Equal(t, notify.Report{Retried: 5}, r)
	m, err := outbox.Message(ctx, "m00")
	require.NoError(t, err)
	assert.Equal(t, notify.LastErrorUnavailable, m.LastError)

	back := &server{}
	back.start(t, addr) // the server is back on the same port
	now = now.Add(time.Hour)
	sent := 0
	for {
		r, err := d.RunOnce(ctx)
		require.NoError(t, err)
		if r == (notify.Report{}) {
			break
		}
		sent += r.Sent
	}
	assert.Equal(t, n, sent)
	got, _ := back.messages()
	ids := map[string]int{}
	for _, msg := range got {
		ids[msg.Header.Get("Message-ID")]++
	}
	assert.Len(t, ids, n)
	for id, c := range ids {
		assert.Equal(t, 1, c, "%s arrived once", id)
	}
}

func TestNewChecksConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  smtp.Config
		want []problem.Code
	}{
		{"everything missing is listed at once", smtp.Config{}, []problem.Code{smtp.CodeHostRequired, smtp.CodePortInvalid, smtp.CodeTLSInvalid, smtp.CodeFromInvalid}},
		{"a user without password is refused", smtp.Config{Host: "mail", Port: 587, TLS: smtp.TLSMandatory, From: "a@b.de", Username: "u"}, []problem.Code{smtp.CodeAuthIncomplete}},
		{"a negative timeout is refused", smtp.Config{Host: "mail", Port: 587, TLS: smtp.TLSMandatory, From: "a@b.de", Timeout: -1}, []problem.Code{smtp.CodeTimeout}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := smtp.New(tc.cfg)
			require.ErrorIs(t, err, smtp.ErrConfig)
			var list problem.List
			require.True(t, errors.As(err, &list))
			assert.Equal(t, tc.want, list.Codes())
			for _, c := range list.Codes() {
				assert.NotEmpty(t, smtp.Messages["de"][c])
				assert.NotEmpty(t, smtp.Messages["en"][c])
			}
		})
	}
	t.Run("a valid config needs no connection", func(t *testing.T) {
		tr, err := smtp.New(smtp.Config{Host: "mail.bochum.example", Port: 587, TLS: smtp.TLSMandatory, From: "kita@bochum.example"})
		require.NoError(t, err)
		assert.Equal(t, "x@bochum.example", tr.MessageID("x"))
	})
}

func TestSendFormatsNamesWhateverTheyContain(t *testing.T) {
	names := []string{
		`Anna "Anni Schmidt`,
		`Anna "Anni" Schmidt`,
		`Schmidt, Anna`,
		`Anna <Schmidt>`,
		`O'Brien (Mutter)`,
		`Ayşe Öztürk-Çelik`,
		`Олена Коваленко`,
		`محمد الأحمد`,
		"Anna\\ Schmidt",
		"Anna\r\nBcc: evil@example.org",
		`"`,
	}
	s := &server{}
	s.start(t, "127.0.0.1:0")
	tr := newTransport(t, s.addr)
	for i, name := range names {
		t.Run(fmt.Sprintf("the guardian name %q reaches the family", name), func(t *testing.T) {
			m := message(fmt.Sprintf("q%02d", i), "eltern@example.org")
			m.ToName = name
			before, _ := s.messages()
			require.NoError(t, tr.Send(context.Background(), m))
			got, _ := s.messages()
			require.Len(t, got, len(before)+1)
			h := got[len(before)].Header
			to, err := h.AddressList("To")
			require.NoError(t, err, "the To header parses")
			require.Len(t, to, 1)
			assert.Equal(t, "eltern@example.org", to[0].Address)
			assert.Equal(t, name, to[0].Name, "the name arrives unchanged")
			assert.Empty(t, h.Get("Bcc"), "no header can be injected through a name")
		})
	}
}
