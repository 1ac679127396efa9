package allocation

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kitaportal/kitaportal/problem"
)

// Decode reads one instance in the interchange format (see the package
// documentation). It streams: the input is never held whole in memory.
// Unknown fields, fields given twice, values of the wrong type, invalid
// UTF-8, trailing data, malformed JSON and input larger than
// [MaxInputSize] yield a [problem.List] naming the field path and byte
// offset; Decode does not validate the instance (see [Validate]). Field
// names match exactly (case-sensitive).
func Decode(r io.Reader) (Instance, error) {
	lr := &io.LimitedReader{R: r, N: MaxInputSize + 1}
	d := instanceDecoder{dec: jsontext.NewDecoder(lr), intern: make(map[string]string)}
	var inst Instance
	err := d.instance(&inst)
	if err == nil {
		if _, tail := d.dec.ReadToken(); tail != io.EOF {
			err = d.malformed()
		}
	}
	if lr.N <= 0 {
		var c problem.Collector
		c.Add("", CodeTooLarge, ErrMalformed, "max", strconv.Itoa(MaxInputSize))
		return Instance{}, c.Err()
	}
	if err != nil {
		var c problem.Collector
		var de *decodeError
		if !errors.As(err, &de) {
			de = &decodeError{code: CodeMalformedJSON, offset: d.dec.InputOffset()}
		}
		if de.code == CodeMalformedJSON {
			c.Add(de.path, de.code, ErrMalformed, "offset", strconv.FormatInt(de.offset, 10))
		} else {
			c.Add(de.path, de.code, ErrMalformed)
		}
		return Instance{}, c.Err()
	}
	return inst, nil
}

// decodeError is a decoding problem whose field path is built on the way
// back up the call stack, so that the path costs nothing while decoding
// succeeds.
type decodeError struct {
	path   string
	code   problem.Code
	offset int64
}

func (e *decodeError) Error() string { return "allocation: " + string(e.code) + " at " + e.path }

// at prefixes err's path with a field name.
func at(err error, name string) error {
	if de, ok := err.(*decodeError); ok {
		if de.path == "" || de.path[0] == '[' {
			de.path = name + de.path
		} else {
			de.path = name + "." + de.path
		}
	}
	return err
}

// atIndex prefixes err's path with an array index or map key.
func atIndex(err error, i string) error {
	if de, ok := err.(*decodeError); ok {
		if de.path == "" || de.path[0] == '[' {
			de.path = "[" + i + "]" + de.path
		} else {
			de.path = "[" + i + "]." + de.path
		}
	}
	return err
}

// instanceDecoder decodes the interchange format token by token, straight
// into the model's types. Repeated strings (Kita ids in choices, districts)
// are interned, so a large state's file holds each only once.
type instanceDecoder struct {
	dec    *jsontext.Decoder
	intern map[string]string
}

// malformed returns the error of a syntax or type problem at the current
// offset.
func (d *instanceDecoder) malformed() error {
	return &decodeError{code: CodeMalformedJSON, offset: d.dec.InputOffset()}
}

// syntax turns an error of the jsontext decoder into a decodeError.
func (d *instanceDecoder) syntax(err error) error {
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		if se.Err == jsontext.ErrDuplicateName {
			return &decodeError{path: se.JSONPointer.LastToken(), code: CodeDuplicateField}
		}
		return &decodeError{code: CodeMalformedJSON, offset: se.ByteOffset}
	}
	return d.malformed()
}

// object reads an object (or null) and calls field for every member name,
// raw and quoted; field must read the member's value.
func (d *instanceDecoder) object(field func(name []byte) error) (null bool, err error) {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return false, d.syntax(err)
	}
	switch tok.Kind() {
	case 'n':
		return true, nil
	case '{':
	default:
		return false, d.malformed()
	}
	for {
		switch d.dec.PeekKind() {
		case '}':
			if _, err := d.dec.ReadToken(); err != nil {
				return false, d.syntax(err)
			}
			return false, nil
		case '"':
		default:
			_, err := d.dec.ReadToken()
			if err == nil {
				err = d.malformed()
			}
			return false, d.syntax(err)
		}
		name, err := d.dec.ReadValue()
		if err != nil {
			return false, d.syntax(err)
		}
		if bytes.IndexByte(name, '\\') >= 0 {
			if name, err = jsontext.AppendUnquote(nil, name); err != nil {
				return false, d.malformed()
			}
			name, _ = jsontext.AppendQuote(nil, name)
		}
		if err := field(name); err != nil {
			return false, err
		}
	}
}

// array reads an array (or null) and calls elem for every element with its
// index; elem must read the element.
func (d *instanceDecoder) array(elem func(i int) error) (null bool, err error) {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return false, d.syntax(err)
	}
	switch tok.Kind() {
	case 'n':
		return true, nil
	case '[':
	default:
		return false, d.malformed()
	}
	for i := 0; ; i++ {
		if d.dec.PeekKind() == ']' {
			if _, err := d.dec.ReadToken(); err != nil {
				return false, d.syntax(err)
			}
			return false, nil
		}
		if err := elem(i); err != nil {
			return false, atIndex(err, strconv.Itoa(i))
		}
	}
}

// unknown is the error of a member name the format does not know.
func unknown(name []byte) error {
	n, _ := strconv.Unquote(string(name))
	return &decodeError{path: n, code: CodeUnknownField}
}

// raw reads a scalar value: a string's contents (unquoted), or the literal
// of a number, true, false; null yields kind 'n'.
func (d *instanceDecoder) raw() (v []byte, kind jsontext.Kind, err error) {
	val, err := d.dec.ReadValue()
	if err != nil {
		return nil, 0, d.syntax(err)
	}
	switch k := val.Kind(); k {
	case '"':
		inner := val[1 : len(val)-1]
		if bytes.IndexByte(inner, '\\') >= 0 {
			inner, err = jsontext.AppendUnquote(nil, val)
			if err != nil {
				return nil, 0, d.malformed()
			}
		}
		return inner, k, nil
	case '{', '[':
		return nil, 0, d.malformed()
	default:
		return val, k, nil
	}
}

// str reads a string or null; interned strings share their memory.
func (d *instanceDecoder) str(interned bool) (string, error) {
	v, k, err := d.raw()
	switch {
	case err != nil:
		return "", err
	case k == 'n':
		return "", nil
	case k != '"':
		return "", d.malformed()
	case !interned:
		return string(v), nil
	}
	if s, ok := d.intern[string(v)]; ok {
		return s, nil
	}
	s := string(v)
	d.intern[s] = s
	return s, nil
}

// strs reads an array of strings (null: nil; [] stays non-nil).
func (d *instanceDecoder) strs(interned bool, capacity int) ([]string, error) {
	out := make([]string, 0, capacity)
	null, err := d.array(func(int) error {
		s, err := d.str(interned)
		out = append(out, s)
		return err
	})
	if null {
		return nil, err
	}
	return out, err
}

// boolean reads true, false or null (false).
func (d *instanceDecoder) boolean() (bool, error) {
	v, k, err := d.raw()
	switch {
	case err != nil:
		return false, err
	case k == 't':
		return true, nil
	case k == 'f', k == 'n':
		return false, nil
	}
	_ = v
	return false, d.malformed()
}

// integer reads an integer without fraction or exponent, in [lo, hi], or
// null (0).
func (d *instanceDecoder) integer(lo, hi int64) (int64, error) {
	v, k, err := d.raw()
	if err != nil || k == 'n' {
		return 0, err
	}
	if k != '0' {
		return 0, d.malformed()
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, d.malformed()
	}
	return n, nil
}

// unsigned reads a non-negative integer or null (0).
func (d *instanceDecoder) unsigned() (uint64, error) {
	v, k, err := d.raw()
	if err != nil || k == 'n' {
		return 0, err
	}
	if k != '0' {
		return 0, d.malformed()
	}
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		return 0, d.malformed()
	}
	return n, nil
}

// text reads a string or null (nil) for an UnmarshalText method.
func (d *instanceDecoder) text() ([]byte, error) {
	v, k, err := d.raw()
	switch {
	case err != nil:
		return nil, err
	case k == 'n':
		return nil, nil
	case k != '"':
		return nil, d.malformed()
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// unmarshalText calls u.UnmarshalText on the next string; null leaves u
// unchanged.
func (d *instanceDecoder) unmarshalText(u interface{ UnmarshalText([]byte) error }) error {
	v, err := d.text()
	if err != nil || v == nil {
		return err
	}
	if u.UnmarshalText(v) != nil {
		return d.malformed()
	}
	return nil
}

const maxInt = int64(^uint(0) >> 1)

func (d *instanceDecoder) instance(inst *Instance) error {
	_, err := d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case `"applicants"`:
			var null bool
			inst.Applicants = inst.Applicants[:0]
			null, err = d.array(func(int) error {
				inst.Applicants = append(inst.Applicants, Applicant{})
				return d.applicant(&inst.Applicants[len(inst.Applicants)-1])
			})
			if null {
				inst.Applicants = nil
			}
		case `"facilities"`:
			var null bool
			inst.Facilities = inst.Facilities[:0]
			null, err = d.array(func(int) error {
				inst.Facilities = append(inst.Facilities, Facility{})
				return d.facility(&inst.Facilities[len(inst.Facilities)-1])
			})
			if null {
				inst.Facilities = nil
			}
		case `"policy"`:
			err = d.policy(&inst.Policy)
		case `"fixed"`:
			m := make(map[string]string)
			var null bool
			null, err = d.object(func(key []byte) error {
				k, _ := strconv.Unquote(string(key))
				v, err := d.str(true)
				m[k] = v
				return atIndex(err, k)
			})
			if null {
				m = nil
			}
			inst.Fixed = m
			if de, ok := err.(*decodeError); ok && de.code == CodeDuplicateField && !strings.HasPrefix(de.path, "[") {
				de.path = "[" + de.path + "]" // an applicant id, as in fixed[c5]
			}
		default:
			return unknown(name)
		}
		return at(err, string(name[1:len(name)-1]))
	})
	return err
}

func (d *instanceDecoder) applicant(a *Applicant) error {
	_, err := d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case `"id"`:
			a.ID, err = d.str(false)
		case `"choices"`:
			a.Choices, err = d.strs(true, 5)
		case `"band"`:
			err = d.unmarshalText(&a.Band)
		case `"working_parents"`:
			a.WorkingParents, err = d.boolean()
		case `"single_parent"`:
			a.SingleParent, err = d.boolean()
		case `"hardship"`:
			a.Hardship, err = d.boolean()
		case `"birth_date"`:
			a.BirthDate, err = d.str(false)
		case `"registered_at"`:
			err = d.unmarshalText(&a.RegisteredAt)
		case `"district"`:
			a.District, err = d.str(true)
		case `"resident"`:
			a.Resident, err = d.boolean()
		case `"siblings"`:
			a.Siblings, err = d.strs(true, 1)
		default:
			return unknown(name)
		}
		return at(err, string(name[1:len(name)-1]))
	})
	return err
}

func (d *instanceDecoder) facility(f *Facility) error {
	_, err := d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case `"id"`:
			f.ID, err = d.str(true)
		case `"district"`:
			f.District, err = d.str(true)
		case `"capacity"`:
			var n int64
			n, err = d.integer(-maxInt-1, maxInt)
			f.Capacity = int(n)
		case `"capacity_by_band"`:
			m := make(map[Band]int)
			var null bool
			null, err = d.object(func(key []byte) error {
				var b Band
				k, _ := strconv.Unquote(string(key))
				_ = b.UnmarshalText([]byte(k))
				n, err := d.integer(-maxInt-1, maxInt)
				m[b] = int(n)
				return at(err, k)
			})
			if null {
				m = nil
			}
			f.CapacityByBand = m
		case `"priority"`:
			f.Priority, err = d.strs(false, 0)
		default:
			return unknown(name)
		}
		return at(err, string(name[1:len(name)-1]))
	})
	return err
}

func (d *instanceDecoder) policy(p *Policy) error {
	_, err := d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case `"criteria"`:
			var null bool
			p.Criteria = p.Criteria[:0]
			null, err = d.array(func(int) error {
				p.Criteria = append(p.Criteria, Criterion{})
				return d.criterion(&p.Criteria[len(p.Criteria)-1])
			})
			if null {
				p.Criteria = nil
			}
		case `"lottery"`:
			err = d.unmarshalText(&p.Lottery)
		case `"seed"`:
			p.Seed, err = d.unsigned()
		default:
			return unknown(name)
		}
		return at(err, string(name[1:len(name)-1]))
	})
	return err
}

func (d *instanceDecoder) criterion(c *Criterion) error {
	_, err := d.object(func(name []byte) error {
		var err error
		switch string(name) {
		case `"kind"`:
			err = d.unmarshalText(&c.Kind)
		case `"mode"`:
			err = d.unmarshalText(&c.Mode)
		case `"points"`:
			var n int64
			n, err = d.integer(-maxInt-1, maxInt)
			c.Points = int(n)
		default:
			return unknown(name)
		}
		return at(err, string(name[1:len(name)-1]))
	})
	return err
}
