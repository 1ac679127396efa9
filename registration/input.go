package registration

import (
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/rickb777/date"
	"golang.org/x/text/unicode/norm"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

// MaxInputBytes is the largest application document [Decode] accepts.
const MaxInputBytes = 64 << 10

// Input is what a family submits: the Voranmeldung as the portal's form
// sends it. Its JSON form is the application document of the API.
type Input struct {
	// IdempotencyKey makes a resubmission of the same request return the
	// first result instead of creating a second application.
	IdempotencyKey string          `json:"idempotency_key" validate:"omitempty,max=100,printascii"`
	Child          ChildInput      `json:"child"`
	Guardians      []GuardianInput `json:"guardians" validate:"required,min=1,max=2,dive"`
	Address        geo.Address     `json:"address"`
	Start          date.Date       `json:"start"`
	Hours          int             `json:"hours" validate:"required"`
	// HoursAlternatives are further weekly care hours the family accepts,
	// in its order after Hours ("35, else 45"); empty: Hours only.
	HoursAlternatives []int            `json:"hours_alternatives,omitzero"`
	Kitas             []string         `json:"kitas" validate:"max=50,dive,required,max=64"`
	Tagespflege       *TagespflegeWish `json:"tagespflege,omitempty"`
	Criteria          CriteriaInput    `json:"criteria"`
	// Together asks to place the child at the same Kita as the family's
	// other children of the same Kita year who ask so too (twins, or
	// siblings the parents want kept together), or at none in a round.
	// Their Kitas must be the same, in the same order.
	Together bool `json:"together,omitzero"`
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
	Language   string `json:"language" validate:"required,oneof=de en tr ar uk ru pl"`
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

// Decode reads an application document: JSON of at most [MaxInputBytes].
// Parsing is strict, so that what a family sent is exactly what is
// checked: member names match case-sensitively, an unknown member, a
// member given twice, a value of the wrong type, invalid UTF-8 and an
// impossible date (2025-02-29, 2025-13-01) are problems with the field
// path ("child.birth_date", "guardians[0].email") and a code of their own
// ("registration.unknown_field", "registration.duplicate_field",
// "registration.invalid_date", "registration.malformed" with the byte
// offset). Every problem unwraps to [ErrMalformed]; nothing is guessed and
// no value of the document is repeated.
func Decode(r io.Reader) (Input, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return Input{}, err
	}
	return DecodeBytes(data)
}

// DecodeBytes is [Decode] of a document already read (an HTTP request's
// body): the same checks and problems, without copying it.
func DecodeBytes(data []byte) (Input, error) {
	var in Input
	var c problem.Collector
	if len(data) > MaxInputBytes {
		c.Add("", "registration.too_large", ErrMalformed, "max", "65536")
		return Input{}, c.Err()
	}
	if err := decodeSafely(data, &in); err != nil {
		decodeProblem(&c, err)
		return Input{}, c.Err()
	}
	return in, nil
}

// decodeOptions make the decoder strict: encoding/json/v2 semantics
// (case-sensitive names, duplicate names rejected, valid UTF-8 required)
// plus unknown members rejected and calendar dates parsed without rolling
// over.
var decodeOptions = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.WithUnmarshalers(json.UnmarshalFromFunc(unmarshalDate)),
)

// errDate is the cause of an impossible or malformed calendar date.
var errDate = errors.New("registration: not a calendar date")

// unmarshalDate reads a date as "YYYY-MM-DD" (four-digit years) and rejects
// a day that does not exist instead of rolling it over into the next month.
// An empty string or null is the zero date (left to the checks that
// require it).
func unmarshalDate(dec *jsontext.Decoder, d *date.Date) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		*d = date.Date{}
		return nil
	case '"':
	default:
		return errDate
	}
	s := tok.String()
	if s == "" {
		*d = date.Date{}
		return nil
	}
	v, err := kita.ParseDate(s)
	if err != nil {
		return errDate
	}
	*d = v
	return nil
}

// decodeSafely decodes one JSON document. Dates never reach
// github.com/rickb777/date's parser (which panics on some malformed dates
// such as "00000-00" in v1.22.0), but a panic from any other decoder is
// still turned into ErrMalformed here, so that no input can crash the
// caller.
func decodeSafely(data []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrMalformed
		}
	}()
	return json.Unmarshal(data, v, decodeOptions)
}

// decodeProblem records a decoding error as one problem with the field
// path of the offending member. The cause's text is never kept: it may
// quote the document.
func decodeProblem(c *problem.Collector, err error) {
	var (
		se   *json.SemanticError
		sx   *jsontext.SyntacticError
		ptr  jsontext.Pointer
		code problem.Code = "registration.malformed"
		off  int64
	)
	switch {
	case errors.As(err, &sx):
		ptr, off = sx.JSONPointer, sx.ByteOffset
		if errors.Is(sx.Err, jsontext.ErrDuplicateName) {
			code = "registration.duplicate_field"
		}
	case errors.As(err, &se):
		ptr, off = se.JSONPointer, se.ByteOffset
		switch {
		case errors.Is(se.Err, json.ErrUnknownName):
			code = "registration.unknown_field"
		case errors.Is(se.Err, errDate):
			code = "registration.invalid_date"
		}
	}
	c.Add(fieldOf(ptr), code, ErrMalformed, "offset", strconv.FormatInt(off, 10))
}

// fieldOf turns a JSON pointer ("/guardians/0/email") into a field path
// ("guardians[0].email"). A member name that is not a plain identifier
// (letters, digits, underscores, at most 40) is shown as "?": it is not a
// field of the document, and its text may be anything a sender typed.
func fieldOf(p jsontext.Pointer) string {
	var parts []string
	for tok := range p.Tokens() {
		switch {
		case tok != "" && strings.Trim(tok, "0123456789") == "" && len(parts) > 0:
			parts = append(parts, "["+tok+"]")
		case identifier.MatchString(tok):
			parts = append(parts, tok)
		default:
			parts = append(parts, "?")
		}
	}
	return problem.Join(parts...)
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,39}$`)

// ErrMalformed: the application document is not valid JSON of the expected shape.
var ErrMalformed = errors.New("registration: malformed application document")

// normalize brings every text to Unicode NFC, strips format characters,
// trims it and folds inner white space, so that "Müller" typed with a
// combining umlaut is the same family as "Müller" typed precomposed. It
// never writes into the caller's memory: the slices and the Tagespflege
// wish are copied before they are changed, so one Input may be submitted
// from several goroutines at once. A list that normalizing leaves as it
// is stays the caller's (changed): nothing writes into the lists of a
// normalized Input.
func (in *Input) normalize() {
	in.IdempotencyKey = strings.TrimSpace(in.IdempotencyKey)
	in.Child.GivenName = Text(in.Child.GivenName)
	in.Child.FamilyName = Text(in.Child.FamilyName)
	in.Guardians = changed(in.Guardians, func(g GuardianInput) GuardianInput {
		g.GivenName = Text(g.GivenName)
		g.FamilyName = Text(g.FamilyName)
		g.Email = strings.TrimSpace(g.Email)
		g.Phone = strings.ReplaceAll(strings.TrimSpace(g.Phone), " ", "")
		g.Language = strings.ToLower(strings.TrimSpace(g.Language))
		return g
	})
	in.Address.Street = Text(in.Address.Street)
	in.Address.HouseNumber = Text(in.Address.HouseNumber)
	in.Address.PostalCode = strings.TrimSpace(in.Address.PostalCode)
	in.Address.City = Text(in.Address.City)
	in.Kitas = changed(in.Kitas, strings.TrimSpace)
	in.Criteria.SiblingKitaIDs = slices.Clone(in.Criteria.SiblingKitaIDs)
	if in.Tagespflege != nil {
		tp := *in.Tagespflege
		tp.District = strings.TrimSpace(tp.District)
		in.Tagespflege = &tp
	}
}

// changed returns s with f applied to each element: s itself when f
// changes none, else a copy (s is never written to).
func changed[T comparable](s []T, f func(T) T) []T {
	for i, v := range s {
		if n := f(v); n != v {
			out := slices.Clone(s)
			out[i] = n
			for j := i + 1; j < len(out); j++ {
				out[j] = f(out[j])
			}
			return out
		}
	}
	return s
}

// Text normalizes free text: Unicode NFC, format characters (Unicode
// category Cf: bidi overrides and isolates, zero-width space, soft hyphen,
// byte order mark ...) and other invisible characters (variation
// selectors, combining grapheme joiner, Hangul fillers) removed, white space trimmed and folded to single
// spaces. A zero-width joiner or non-joiner stays only between two letters
// of a script that needs it (Arabic, Persian, Indic scripts). Other control
// characters and private-use characters are kept, so that validation can
// reject them instead of silently changing a name.
func Text(s string) string {
	if plainLatin(s) {
		return s // nothing to normalize: the common case
	}
	return text(s)
}

// text is [Text] step by step, for every text.
func text(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	var prev rune
	for i, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			prev = ' '
			continue
		case r == zwnj || r == zwj:
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if !joins(prev) || !joins(next) {
				continue
			}
		case invisible(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// invisible reports whether r is a format character (Unicode category
// Cf) or another default-ignorable code point that draws nothing: a
// variation selector, the combining grapheme joiner, a Hangul filler.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

const (
	zwnj = '\u200c' // zero-width non-joiner
	zwj  = '\u200d' // zero-width joiner
)

// joins reports whether r is a letter or mark of a script in which a
// zero-width (non-)joiner changes how a word is written: any script but
// Latin, Greek and Cyrillic, whose names never need one.
func joins(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsMark(r)) && !unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic)
}

// plainLatin reports whether s is made of printable ASCII and the
// characters U+00A1 to U+017F but the soft hyphen (the letters of
// Latin-1 and Latin Extended-A: "Jürgen", "Ößmann-Çelik", "Yılmaz",
// "Małgorzata"), without leading, trailing or double spaces. Text
// returns such a text unchanged: its characters are in NFC whatever
// their neighbours, and none is white space, invisible or a joiner
// (TestPlainLatinTextsAreTheirOwnText checks every pair of them).
func plainLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r < 0xa1 || r > 0x17f || r == 0xad {
				return false // also utf8.RuneError
			}
			i += n - 1
			continue
		}
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}
