package registration

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode"

	"github.com/rickb777/date"
	"golang.org/x/text/unicode/norm"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// MaxInputBytes is the largest application document [Decode] accepts.
const MaxInputBytes = 64 << 10

// Input is what a family submits: the Voranmeldung as the portal's form
// sends it. Its JSON form is the application document of the API.
type Input struct {
	// IdempotencyKey makes a resubmission of the same request return the
	// first result instead of creating a second application.
	IdempotencyKey string           `json:"idempotency_key" validate:"omitempty,max=100,printascii"`
	Child          ChildInput       `json:"child"`
	Guardians      []GuardianInput  `json:"guardians" validate:"required,min=1,max=2,dive"`
	Address        geo.Address      `json:"address"`
	Start          date.Date        `json:"start"`
	Hours          int              `json:"hours" validate:"required"`
	Kitas          []string         `json:"kitas" validate:"max=50,dive,required,max=64"`
	Tagespflege    *TagespflegeWish `json:"tagespflege,omitempty"`
	Criteria       CriteriaInput    `json:"criteria"`
	// Consent to the processing of the data for the allocation (Art. 6 (1) e DSGVO
	// and the city's information duty, Art. 13).
	Consent bool `json:"consent"`
}

// ChildInput is the child as submitted.
type ChildInput struct {
	GivenName  string    `json:"given_name" validate:"required,max=100"`
	FamilyName string    `json:"family_name" validate:"required,max=100"`
	BirthDate  date.Date `json:"birth_date"`
	Unborn     bool      `json:"unborn"`
}

// GuardianInput is a guardian as submitted.
type GuardianInput struct {
	GivenName  string `json:"given_name" validate:"required,max=100"`
	FamilyName string `json:"family_name" validate:"required,max=100"`
	Email      string `json:"email" validate:"required,email,max=254"`
	Phone      string `json:"phone" validate:"omitempty,max=30,e164|numeric"`
	Language   string `json:"language" validate:"required,oneof=de en"`
	Working    bool   `json:"working"`
}

// TagespflegeWish asks for Kindertagespflege in a district.
type TagespflegeWish struct {
	District string `json:"district" validate:"required,max=16"`
}

// CriteriaInput are the facts the city's policy scores, as submitted.
type CriteriaInput struct {
	SiblingKitaIDs []string       `json:"sibling_kita_ids" validate:"max=50,dive,required,max=64"`
	SingleParent   bool           `json:"single_parent"`
	Hardship       bool           `json:"hardship"`
	HardshipReason HardshipReason `json:"hardship_reason" validate:"max=32"`
}

// Decode reads an application document (JSON, at most [MaxInputBytes],
// unknown fields rejected). Malformed JSON gives a problem list with the
// code "registration.malformed" and the byte offset; nothing is guessed.
func Decode(r io.Reader) (Input, error) {
	var in Input
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return Input{}, err
	}
	var c problem.Collector
	if len(data) > MaxInputBytes {
		c.Add("", "registration.too_large", ErrMalformed, "max", "65536")
		return Input{}, c.Err()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := decodeSafely(dec, &in); err != nil {
		field := ""
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field = te.Field
		}
		c.Add(field, "registration.malformed", ErrMalformed, "offset", itoa(dec.InputOffset()))
		return Input{}, c.Err()
	}
	if dec.More() {
		c.Add("", "registration.malformed", ErrMalformed, "offset", itoa(dec.InputOffset()))
		return Input{}, c.Err()
	}
	return in, nil
}

// decodeSafely decodes one JSON value. github.com/rickb777/date v1.22.0
// panics on some malformed dates (such as "00000-00") instead of returning
// an error; such a panic is turned into ErrMalformed here, so that no input
// can crash the caller.
func decodeSafely(dec *json.Decoder, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrMalformed
		}
	}()
	return dec.Decode(v)
}

// ErrMalformed: the application document is not valid JSON of the expected shape.
var ErrMalformed = errors.New("registration: malformed application document")

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// normalize brings every text to Unicode NFC, trims it and folds inner
// white space, so that "Müller" typed with a combining umlaut is the same
// family as "Müller" typed precomposed.
func (in *Input) normalize() {
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	in.Child.GivenName = Text(in.Child.GivenName)
	in.Child.FamilyName = Text(in.Child.FamilyName)
	for i := range in.Guardians {
		g := &in.Guardians[i]
		g.GivenName = Text(g.GivenName)
		g.FamilyName = Text(g.FamilyName)
		g.Email = strings.TrimSpace(g.Email)
		g.Phone = strings.ReplaceAll(strings.TrimSpace(g.Phone), " ", "")
		g.Language = strings.ToLower(strings.TrimSpace(g.Language))
	}
	in.Address.Street = Text(in.Address.Street)
	in.Address.HouseNumber = Text(in.Address.HouseNumber)
	in.Address.PostalCode = strings.TrimSpace(in.Address.PostalCode)
	in.Address.City = Text(in.Address.City)
	for i := range in.Kitas {
		in.Kitas[i] = strings.TrimSpace(in.Kitas[i])
	}
	if in.Tagespflege != nil {
		in.Tagespflege.District = strings.TrimSpace(in.Tagespflege.District)
	}
}

// Text normalizes free text: Unicode NFC, control characters removed,
// white space trimmed and folded to single spaces.
func Text(s string) string {
	if plainASCII(s) {
		return s // nothing to normalize: the common case
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plainASCII reports whether s is printable ASCII without leading,
// trailing or double spaces, which Text would return unchanged.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}
