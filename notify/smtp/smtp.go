package smtp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/kitaportal/kitaportal/internal/enum"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
)

// ErrConfig is the rule of every problem [New] finds in a [Config].
var ErrConfig = errors.New("smtp: invalid configuration")

// TLSPolicy says whether the connection must be encrypted.
type TLSPolicy int

// The TLS policies. The zero value is unset and rejected by [New].
const (
	// TLSMandatory requires STARTTLS; use it for every real server.
	TLSMandatory TLSPolicy = iota + 1
	// TLSOpportunistic uses STARTTLS when the server offers it.
	TLSOpportunistic
	// TLSNone never encrypts: only for local test servers.
	TLSNone
)

var tlsNames = [...]string{"", "mandatory", "opportunistic", "none"}

// Valid reports whether p is a known policy.
func (p TLSPolicy) Valid() bool { return p >= TLSMandatory && p <= TLSNone }

// String returns the policy's stable name.
func (p TLSPolicy) String() string {
	return enum.Name(tlsNames[:], p)
}

// Config configures a [Transport].
type Config struct {
	// Host and Port of the submission server (Port usually 587).
	Host string
	Port int
	// TLS is required: TLSMandatory for real servers.
	TLS TLSPolicy
	// TLSConfig overrides the TLS settings (for example a private CA);
	// optional.
	TLSConfig *tls.Config
	// Username and Password enable SMTP AUTH (the strongest mechanism the
	// server offers); both empty for none.
	Username string
	Password string
	// From is the sender address ("kita@bochum.de"); its domain is the
	// right-hand side of every Message-ID.
	From string
	// FromName is the sender's display name ("Jugendamt Bochum"); optional.
	FromName string
	// Timeout bounds connecting and each SMTP command; default 30 s.
	Timeout time.Duration
	// HELO is the name sent in EHLO; default the host name.
	HELO string
}

// Problem codes of [New].
const (
	CodeHostRequired   problem.Code = "smtp.host_required"
	CodePortInvalid    problem.Code = "smtp.port_invalid"
	CodeTLSInvalid     problem.Code = "smtp.tls_invalid"
	CodeFromInvalid    problem.Code = "smtp.from_invalid"
	CodeAuthIncomplete problem.Code = "smtp.auth_incomplete"
	CodeTimeout        problem.Code = "smtp.timeout_invalid"
)

// Messages are the German and English texts of the smtp problem codes.
var Messages = problem.Catalog{
	"de": {
		CodeHostRequired:   "Der SMTP-Server fehlt.",
		CodePortInvalid:    "Der Port muss zwischen 1 und 65535 liegen.",
		CodeTLSInvalid:     "Die TLS-Richtlinie muss mandatory, opportunistic oder none sein.",
		CodeFromInvalid:    "Die Absenderadresse ist keine gültige E-Mail-Adresse.",
		CodeAuthIncomplete: "Für die Anmeldung am Server braucht es Benutzername und Passwort.",
		CodeTimeout:        "Die Zeitbegrenzung darf nicht negativ sein.",
	},
	"en": {
		CodeHostRequired:   "The SMTP server is missing.",
		CodePortInvalid:    "The port must be between 1 and 65535.",
		CodeTLSInvalid:     "The TLS policy must be mandatory, opportunistic or none.",
		CodeFromInvalid:    "The sender address is not a valid e-mail address.",
		CodeAuthIncomplete: "Server authentication needs both a user name and a password.",
		CodeTimeout:        "The timeout must not be negative.",
	},
}

// Transport sends notify messages over SMTP. It is safe for concurrent
// use; each Send opens its own connection.
type Transport struct {
	client *gomail.Client
	from   string
	name   string
	domain string
}

var _ notify.Transport = (*Transport)(nil)

// New checks cfg and returns a transport. It does not connect.
func New(cfg Config) (*Transport, error) {
	var c problem.Collector
	if strings.TrimSpace(cfg.Host) == "" {
		c.Add("host", CodeHostRequired, ErrConfig)
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		c.Add("port", CodePortInvalid, ErrConfig, "min", "1", "max", "65535")
	}
	if !cfg.TLS.Valid() {
		c.Add("tls", CodeTLSInvalid, ErrConfig)
	}
	a, err := mail.ParseAddress(cfg.From)
	if err != nil || a.Address != cfg.From || !strings.Contains(cfg.From, "@") {
		c.Add("from", CodeFromInvalid, ErrConfig)
	}
	if (cfg.Username == "") != (cfg.Password == "") {
		c.Add("username", CodeAuthIncomplete, ErrConfig)
	}
	if cfg.Timeout < 0 {
		c.Add("timeout", CodeTimeout, ErrConfig)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	policy := map[TLSPolicy]gomail.TLSPolicy{
		TLSMandatory:     gomail.TLSMandatory,
		TLSOpportunistic: gomail.TLSOpportunistic,
		TLSNone:          gomail.NoTLS,
	}[cfg.TLS]
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTLSPortPolicy(policy),
		gomail.WithTLSPolicy(policy),
		gomail.WithTimeout(cfg.Timeout),
	}
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if cfg.Username != "" {
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username),
			gomail.WithPassword(cfg.Password))
	}
	if cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(cfg.HELO))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		// The inputs were checked above; what is left is go-mail's own
		// refusal, whose text names no personal data.
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	_, domain, _ := strings.Cut(cfg.From, "@")
	return &Transport{client: client, from: cfg.From, name: cfg.FromName, domain: domain}, nil
}

// MessageID returns the Message-ID header value of a message id, without
// angle brackets: "<id>@<sender domain>".
func (t *Transport) MessageID(id string) string { return id + "@" + t.domain }

// Send delivers m. See the package documentation for the errors.
func (t *Transport) Send(ctx context.Context, m notify.Message) error {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	// Names are written by net/mail's own address formatting: quoted with
	// escapes where RFC 5322 needs it (an unbalanced quote in
	// `Anna "Anni Schmidt`), as an RFC 2047 encoded-word where they are
	// not ASCII. Only the address itself is parsed, so no name can make
	// a message undeliverable.
	msg.FromMailAddress(&mail.Address{Name: t.name, Address: t.from})
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("%w: smtp: recipient address", notify.ErrPermanent)
	}
	msg.ToMailAddress(&mail.Address{Name: m.ToName, Address: to.Address})
	msg.Subject(m.Title)
	msg.SetMessageIDWithValue(t.MessageID(m.ID))
	if m.Lang != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)

	err = t.client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The server accepted the message; a failing RSET or QUIT
		// afterwards must not cause a second copy.
		return nil
	}
	if err == nil {
		return nil
	}
	return classify(err)
}

// sendError is a classified SMTP failure. Its text names the step and the
// reply code only; the cause (which may quote addresses) is reachable
// through errors.As for debugging but never printed.
type sendError struct {
	rule  error
	step  string
	code  int
	cause error
}

func (e *sendError) Error() string {
	s := e.rule.Error() + ": smtp: " + e.step
	if e.code != 0 {
		s += " (" + strconv.Itoa(e.code) + ")"
	}
	return s
}

func (e *sendError) Unwrap() []error { return []error{e.rule, e.cause} }

// classify maps a go-mail error to notify.ErrPermanent or ErrTransport.
func classify(err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		step := "connect"
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			step = "connect (timeout)"
		}
		return &sendError{rule: notify.ErrTransport, step: step, cause: err}
	}
	code := se.ErrorCode()
	step := se.Reason.String()
	switch se.Reason {
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose, gomail.ErrWriteContent:
		if code >= 500 && code < 600 {
			return &sendError{rule: notify.ErrPermanent, step: step, code: code, cause: err}
		}
	case gomail.ErrNoUnencoded, gomail.ErrGetRcpts:
		return &sendError{rule: notify.ErrPermanent, step: step, code: code, cause: err}
	}
	return &sendError{rule: notify.ErrTransport, step: step, code: code, cause: err}
}
