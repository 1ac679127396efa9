package notify

import (
	"crypto/rand"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/kitaportal/kitaportal/internal/mailaddr"
	"github.com/kitaportal/kitaportal/problem"
)

// NewID returns a new message id: a UUIDv7, so that ids sort roughly by
// creation time. Its random bits come from crypto/rand, read ahead a few
// kilobytes at a time (idRandom) rather than 16 bytes per id. Safe for
// concurrent use.
func NewID() string { return uuid.Must(uuid.NewV7FromReader(&idRandom)).String() }

// idRandom is the randomness of NewID.
var idRandom randomAhead

// randomAhead reads crypto/rand ahead into a buffer and hands its bytes
// out once each, clearing them as it does; safe for concurrent use. One
// read of the operating system's randomness serves 256 ids.
type randomAhead struct {
	mu       sync.Mutex
	buf      [4096]byte
	off, end int // buf[off:end] is not handed out yet
}

// Read fills p with random bytes; it never fails (crypto/rand.Read does
// not return an error).
func (r *randomAhead) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for n < len(p) {
		if r.off == r.end {
			_, _ = rand.Read(r.buf[:])
			r.off, r.end = 0, len(r.buf)
		}
		c := copy(p[n:], r.buf[r.off:r.end])
		clear(r.buf[r.off : r.off+c])
		r.off += c
		n += c
	}
	return n, nil
}

// Validate checks m before it is enqueued and returns every problem as a
// [problem.List] whose problems unwrap to [ErrMessage]. Problems name
// fields, never their values. Title and Body are required unless m
// carries the Content they are rendered from.
func (m Message) Validate() error {
	var c problem.Collector
	if strings.TrimSpace(m.ID) == "" {
		c.Add("id", CodeIDRequired, ErrMessage)
	}
	if !m.Kind.Valid() {
		c.Add("kind", CodeKindInvalid, ErrMessage)
	}
	if !m.Status.Valid() {
		c.Add("status", CodeStatusInvalid, ErrMessage)
	}
	switch {
	case strings.TrimSpace(m.To) == "":
		c.Add("to", CodeRecipientRequired, ErrMessage)
	case !validAddress(m.To):
		c.Add("to", CodeRecipientInvalid, ErrMessage)
	}
	if !validLang(m.Lang) {
		c.Add("lang", CodeLangInvalid, ErrMessage)
	}
	if m.Content == nil && strings.TrimSpace(m.Title) == "" {
		c.Add("title", CodeTitleRequired, ErrMessage)
	}
	if m.Content == nil && strings.TrimSpace(m.Body) == "" {
		c.Add("body", CodeBodyRequired, ErrMessage)
	}
	if m.CreatedAt.IsZero() {
		c.Add("created_at", CodeCreatedRequired, ErrMessage)
	}
	return c.Err()
}

// ValidateNew checks a message about to enter the outbox: everything
// [Message.Validate] checks, and that it is Pending, unclaimed, untried.
// Outbox adapters call it in Enqueue.
func (m Message) ValidateNew() error {
	var c problem.Collector
	c.Merge("", m.Validate())
	if m.Status.Valid() && (m.Status != Pending || m.Attempts != 0 || m.ClaimToken != "" || !m.SentAt.IsZero()) {
		c.Add("status", CodeNotNew, ErrMessage)
	}
	return c.Err()
}

// validAddress reports whether s is a bare e-mail address ("a@b.de", not
// "Name <a@b.de>"); an address of the everyday shape without parsing.
func validAddress(s string) bool {
	if mailaddr.Plain(s) {
		return true
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// Draft is what a service knows of a message before it is rendered.
type Draft struct {
	// ID of the message; "" draws a new one with [NewID].
	ID   string
	Kind Kind
	// Subject is the id of the application or referral the message is about.
	Subject  string
	FamilyID string
	To       string
	ToName   string
	// Lang is the recipient's language; templates fall back to German.
	Lang string
	// Data fills the kind's templates (ConfirmationData, ReferralData, ...).
	Data any
}

// Compose renders d with the templates and returns a Pending message due
// at now, ready to be enqueued in the same atomic step as the change it
// reports. Template and message problems come as one [problem.List].
func (t *Templates) Compose(d Draft, now time.Time) (Message, error) {
	subject, body, err := t.Render(d.Kind, d.Lang, d.Data)
	if err != nil {
		return Message{}, err
	}
	if d.ID == "" {
		d.ID = NewID()
	}
	now = now.UTC()
	m := Message{
		ID:          d.ID,
		Kind:        d.Kind,
		Subject:     d.Subject,
		FamilyID:    d.FamilyID,
		To:          d.To,
		ToName:      d.ToName,
		Lang:        d.Lang,
		Title:       subject,
		Body:        body,
		Status:      Pending,
		CreatedAt:   now,
		NextAttempt: now,
	}
	if err := m.Validate(); err != nil {
		return Message{}, err
	}
	return m, nil
}
