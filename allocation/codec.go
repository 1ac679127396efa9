package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kitaportal/kitaportal/problem"
)

// MaxInputSize bounds what [Decode] and [DecodeResult] read: 1 GiB, enough
// for every child of a large German state.
const MaxInputSize = 1 << 30

// resultJSON is the wire form of a Result: unplaced applicants are null.
type resultJSON struct {
	Mechanism    Mechanism                `json:"mechanism"`
	Seed         uint64                   `json:"seed"`
	Placements   map[string]*string       `json:"placements"`
	Priorities   map[string][]string      `json:"priorities"`
	Cutoffs      map[string][]Cutoff      `json:"cutoffs"`
	Statistics   Statistics               `json:"statistics"`
	Explanations map[string][]Explanation `json:"explanations,omitempty"`
	Unstable     *Instability             `json:"unstable,omitempty"`
	Pools        map[string]int           `json:"pools,omitempty"`
}

// DecodeResult reads a result in the interchange format, as strictly as
// [Decode]: unknown fields, fields given twice, invalid UTF-8, values of
// the wrong type and trailing data yield a [problem.List] with the field
// path. An unknown mechanism name is an error.
func DecodeResult(r io.Reader) (Result, error) {
	var w resultJSON
	if err := decodeStrict(r, &w); err != nil {
		return Result{}, err
	}
	if w.Mechanism != 0 && !w.Mechanism.Valid() {
		var c problem.Collector
		c.Add("mechanism", CodeInvalidMechanism, ErrMechanism, "allowed", strings.Join(mechanismNames[1:], ", "))
		return Result{}, c.Err()
	}
	return w.result(), nil
}

func (w *resultJSON) result() Result {
	res := Result{Mechanism: w.Mechanism, Seed: w.Seed, Priorities: w.Priorities,
		Cutoffs: w.Cutoffs, Statistics: w.Statistics, Explanations: w.Explanations,
		Unstable: w.Unstable, Pools: w.Pools, Placements: make(map[string]string, len(w.Placements))}
	for a, f := range w.Placements {
		if f == nil {
			res.Placements[a] = ""
		} else {
			res.Placements[a] = *f
		}
	}
	return res
}

// MarshalJSON encodes the result in the interchange format, unplaced
// applicants as null. Map keys are sorted, so the output is deterministic.
func (r Result) MarshalJSON() ([]byte, error) {
	w := resultJSON{Mechanism: r.Mechanism, Seed: r.Seed, Priorities: r.Priorities,
		Cutoffs: r.Cutoffs, Statistics: r.Statistics, Explanations: r.Explanations,
		Unstable: r.Unstable, Pools: r.Pools, Placements: make(map[string]*string, len(r.Placements))}
	for a, f := range r.Placements {
		if f != "" {
			w.Placements[a] = &f
		} else {
			w.Placements[a] = nil
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes the interchange format leniently (unknown fields
// are ignored); use [DecodeResult] for untrusted input.
func (r *Result) UnmarshalJSON(data []byte) error {
	var w resultJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*r = w.result()
	return nil
}

// decodeStrict decodes one JSON value into v with encoding/json/v2's
// semantics (github.com/go-json-experiment/json): unknown fields, names
// given twice, invalid UTF-8 and trailing data are errors.
func decodeStrict(r io.Reader, v any) error {
	var c problem.Collector
	lr := &io.LimitedReader{R: r, N: MaxInputSize + 1}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(lr); err != nil {
		c.Add("", CodeMalformedJSON, ErrMalformed, "offset", strconv.Itoa(buf.Len()))
		return c.Err()
	}
	if buf.Len() > MaxInputSize {
		c.Add("", CodeTooLarge, ErrMalformed, "max", strconv.Itoa(MaxInputSize))
		return c.Err()
	}
	err := jsonv2.Unmarshal(buf.Bytes(), v, jsonv2.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	var sem *jsonv2.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.As(err, &sem) && sem.Err == jsonv2.ErrUnknownName:
		c.Add(pointerPath(sem.JSONPointer), CodeUnknownField, ErrMalformed)
	case errors.As(err, &sem):
		c.Add(pointerPath(sem.JSONPointer), CodeMalformedJSON, ErrMalformed, "offset", strconv.FormatInt(sem.ByteOffset, 10))
	case errors.As(err, &syn) && syn.Err == jsontext.ErrDuplicateName:
		c.Add(pointerPath(syn.JSONPointer), CodeDuplicateField, ErrMalformed)
	case errors.As(err, &syn):
		c.Add(pointerPath(syn.JSONPointer), CodeMalformedJSON, ErrMalformed, "offset", strconv.FormatInt(syn.ByteOffset, 10))
	default:
		// The message may quote input, so it is not kept.
		c.Add("", CodeMalformedJSON, ErrMalformed, "offset", "0")
	}
	return c.Err()
}

// pointerPath renders a JSON pointer as a field path: names joined by
// dots, numbers (array indices, or ids used as keys) in brackets.
func pointerPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.ParseUint(tok, 10, 64); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// MarshalJSON encodes the statistics; "together" appears whenever the
// instance has together-families, also when none was placed.
func (s Statistics) MarshalJSON() ([]byte, error) {
	type plain Statistics
	w := struct {
		plain
		Together *int `json:"together,omitempty"`
	}{plain: plain(s)}
	if s.Families > 0 {
		w.Together = &s.Together
	}
	return json.Marshal(w)
}
