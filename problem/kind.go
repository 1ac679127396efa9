package problem

import (
	"errors"
	"strings"
)

// Kind classifies an error for the edge that answers a caller: an HTTP
// layer maps every error of kitaportal to a status with one switch over
// [KindOf].
type Kind int

// The kinds.
const (
	// Unknown: not classified (an internal or infrastructure error).
	Unknown Kind = iota
	// Invalid: the input is wrong; a problem.List says where.
	Invalid
	// NotFound: the record does not exist or the actor may not know it
	// (a denial looks the same).
	NotFound
	// Conflict: the record changed meanwhile; read it again and retry.
	Conflict
	// Exists: the record (or the same child's application) exists already.
	Exists
	// WrongState: the record's state does not allow the step (an offer
	// lapsed, a deadline passed, no place left).
	WrongState
	// Unavailable: a service the step needs is not available now.
	Unavailable
)

var kindNames = [...]string{"unknown", "invalid", "not_found", "conflict", "exists", "wrong_state", "unavailable"}

// Valid reports whether k is a known kind other than Unknown.
func (k Kind) Valid() bool { return k > Unknown && int(k) < len(kindNames) }

// String returns the stable name.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// Sentinel is a rule-named error value with a kind and a stable code, whose
// German and English texts live in a package's Messages catalog under that
// code. Compare with errors.Is; never match its text.
type Sentinel struct {
	kind Kind
	code Code
	text string
}

// NewSentinel returns a sentinel error; text is the Go error string
// ("pkg: what went wrong"), code the catalog key.
func NewSentinel(kind Kind, code Code, text string) *Sentinel {
	return &Sentinel{kind: kind, code: code, text: text}
}

// Error returns the Go error string.
func (s *Sentinel) Error() string { return s.text }

// Kind returns the sentinel's kind.
func (s *Sentinel) Kind() Kind { return s.kind }

// Code returns the sentinel's stable code.
func (s *Sentinel) Code() Code { return s.code }

// KindOf classifies err: Invalid for a problem.List (or anything that is
// ErrInvalid), the kind of the first [Sentinel] in its chain, and Unknown
// otherwise.
func KindOf(err error) Kind {
	if err == nil {
		return Unknown
	}
	if errors.Is(err, ErrInvalid) {
		return Invalid
	}
	var s *Sentinel
	if errors.As(err, &s) {
		return s.kind
	}
	return Unknown
}

// CodeOf returns the stable code of the first [Sentinel] in err's chain,
// or "".
func CodeOf(err error) Code {
	var s *Sentinel
	if errors.As(err, &s) {
		return s.code
	}
	return ""
}

// Error returns the text of err for a caller in lang: the problems of a
// List one per line, a [Sentinel]'s catalog text, and for any other error
// the catalog text of [CodeInternal] (no internals, no personal data).
func (t *Translator) Error(err error, lang string) string {
	var l List
	if errors.As(err, &l) {
		return strings.Join(t.Messages(l, lang), "\n")
	}
	code := CodeOf(err)
	if code == "" {
		code = CodeInternal
	}
	return t.Message(Problem{Code: code}, lang)
}

// CodeInternal is the code of an error that is not the caller's to fix.
const CodeInternal Code = "problem.internal"

// Messages holds the texts of this package's own codes.
var Messages = Catalog{
	"de": {CodeInternal: "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut."},
	"en": {CodeInternal: "An internal error occurred. Please try again later."},
}

// Has reports whether the translator holds a text for code in lang itself
// (no fallback to another language).
func (t *Translator) Has(code Code, lang string) bool {
	_, ok := t.catalogs[lang][code]
	return ok
}
