package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

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
}

// DecodeResult reads a result in the interchange format, as strictly as
// [Decode]. An unknown mechanism name is an error.
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
		Placements: make(map[string]string, len(w.Placements))}
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
		Placements: make(map[string]*string, len(r.Placements))}
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
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		addJSONError(&c, err, dec.InputOffset())
		return c.Err()
	}
	if _, err := dec.Token(); err != io.EOF {
		c.Add("", CodeMalformedJSON, ErrMalformed, "offset", strconv.FormatInt(dec.InputOffset(), 10))
		return c.Err()
	}
	return nil
}

func addJSONError(c *problem.Collector, err error, offset int64) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		c.Add("", CodeMalformedJSON, ErrMalformed, "offset", strconv.FormatInt(syn.Offset, 10))
	case errors.As(err, &typ):
		c.Add(typ.Field, CodeMalformedJSON, ErrMalformed, "offset", strconv.FormatInt(typ.Offset, 10))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no type for this error; the field name is the
		// input's key, not a value.
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		c.Add(name, CodeUnknownField, ErrMalformed)
	default:
		// Unexpected EOF, or a value a field's decoder rejected (such as a
		// malformed registered_at); the message may quote input, so it is
		// not kept.
		c.Add("", CodeMalformedJSON, ErrMalformed, "offset", strconv.FormatInt(offset, 10))
	}
}
