package allocation

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"slices"
	"strconv"

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
	// Names given twice are detected per object by the decoders below, more
	// cheaply than by jsontext's general bookkeeping.
	d := instanceDecoder{dec: jsontext.NewDecoder(lr, jsontext.AllowDuplicateNames(true)), interner: newInterner(12)}
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
// into the model's types. Repeated strings (Kita ids in choices, districts,
// birth dates) are interned, so a large state's file holds each only once.
type instanceDecoder struct {
	dec *jsontext.Decoder
	interner
}

// interner keeps one copy of each repeated string and cuts string arrays
// from a shared slab.
type interner struct {
	intern map[string]string
	recent []string // direct-mapped cache in front of intern
	shift  int      // 64 - log2(len(recent))
	slabs
}

// slabs cuts string arrays from a shared backing store, so that a large
// state's arrays take a few large allocations instead of one each.
type slabs struct {
	slab []string
}

// newInterner returns an interner whose cache has 1<<bits slots: 16,384
// (14 bits) hold the Kita ids, districts and birth dates of a large state.
func newInterner(bits int) interner {
	return interner{intern: make(map[string]string), recent: make([]string, 1<<bits), shift: 64 - bits}
}

// of returns the interned copy of v.
func (n *interner) of(v []byte) string {
	// Most strings repeat (Kita ids, districts, dates) and are found in
	// the cache with one comparison; the hash reads at most 16 bytes.
	var h uint64
	if len(v) >= 8 {
		h = binary.LittleEndian.Uint64(v) ^ bits.RotateLeft64(binary.LittleEndian.Uint64(v[len(v)-8:]), 29)
	} else {
		for _, c := range v {
			h = h<<8 | uint64(c)
		}
	}
	h = (h ^ uint64(len(v))) * 0x9e3779b97f4a7c15
	slot := &n.recent[h>>n.shift]
	if *slot == string(v) {
		return *slot
	}
	s, ok := n.intern[string(v)]
	if !ok {
		s = string(v)
		n.intern[s] = s
	}
	*slot = s
	return s
}

// slabFrom starts a string array on the slab; append its strings to
// n.slab, then take it with slabTo.
func (n *slabs) slabFrom() int {
	if len(n.slab) > cap(n.slab)-16 {
		n.slab = make([]string, 0, 1<<14)
	}
	return len(n.slab)
}

// slabTo returns the strings appended since from, capped so that
// appending to one array never touches another.
func (n *slabs) slabTo(from int) []string {
	return n.slab[from:len(n.slab):len(n.slab)]
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
		return &decodeError{code: CodeMalformedJSON, offset: se.ByteOffset}
	}
	return d.malformed()
}

// begin reads the start of an object or array (open is '{' or '['), or
// null.
func (d *instanceDecoder) begin(open jsontext.Kind) (null bool, err error) {
	tok, err := d.dec.ReadToken()
	if err != nil {
		return false, d.syntax(err)
	}
	switch tok.Kind() {
	case 'n':
		return true, nil
	case open:
		return false, nil
	}
	return false, d.malformed()
}

// name reads the next member name of an object, raw and quoted; ok is
// false at the object's end, which it consumes.
func (d *instanceDecoder) name() (name []byte, ok bool, err error) {
	switch d.dec.PeekKind() {
	case '}':
		if _, err := d.dec.ReadToken(); err != nil {
			return nil, false, d.syntax(err)
		}
		return nil, false, nil
	case '"':
	default:
		_, err := d.dec.ReadToken()
		if err == nil {
			err = d.malformed()
		}
		return nil, false, d.syntax(err)
	}
	name, err = d.dec.ReadValue()
	if err != nil {
		return nil, false, d.syntax(err)
	}
	if bytes.IndexByte(name, '\\') >= 0 {
		if name, err = jsontext.AppendUnquote(nil, name); err != nil {
			return nil, false, d.malformed()
		}
		name, _ = jsontext.AppendQuote(nil, name)
	}
	return name, true, nil
}

// more reports whether an array has another element; at its end it
// consumes the end.
func (d *instanceDecoder) more() (bool, error) {
	if d.dec.PeekKind() != ']' {
		return true, nil
	}
	if _, err := d.dec.ReadToken(); err != nil {
		return false, d.syntax(err)
	}
	return false, nil
}

// object reads an object (or null) and calls member for every member
// name, raw and quoted; member must read the value and report a name given
// twice.
func (d *instanceDecoder) object(member func(name []byte) error) (null bool, err error) {
	if null, err := d.begin('{'); null || err != nil {
		return null, err
	}
	for {
		name, ok, err := d.name()
		if !ok || err != nil {
			return false, err
		}
		if err := member(name); err != nil {
			return false, err
		}
	}
}

// array reads an array (or null) and calls elem for every element with its
// index; elem must read the element.
func (d *instanceDecoder) array(elem func(i int) error) (null bool, err error) {
	if null, err := d.begin('['); null || err != nil {
		return null, err
	}
	for i := 0; ; i++ {
		if more, err := d.more(); !more || err != nil {
			return false, err
		}
		if err := elem(i); err != nil {
			return false, atIndex(err, strconv.Itoa(i))
		}
	}
}

// objects reads an array of objects, each by elem (null: nil; [] stays
// non-nil).
func objects[T any](d *instanceDecoder, elem func(*T) error) ([]T, error) {
	out := []T{}
	null, err := d.array(func(int) error {
		var zero T
		out = append(out, zero)
		return elem(&out[len(out)-1])
	})
	if null {
		return nil, err
	}
	return out, err
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
	return d.of(v), nil
}

// strs reads an array of strings (null: nil; [] stays non-nil). The
// strings are cut from a shared slab, capped so that appending to one
// never touches another.
func (d *instanceDecoder) strs(interned bool) ([]string, error) {
	if null, err := d.begin('['); null || err != nil {
		return nil, err
	}
	from := d.slabFrom()
	for i := 0; ; i++ {
		more, err := d.more()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		s, err := d.str(interned)
		if err != nil {
			return nil, atIndex(err, strconv.Itoa(i))
		}
		d.slab = append(d.slab, s)
	}
	return d.slabTo(from), nil
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

// field is the error wrapper and duplicate check of the member key: bit is
// its bit in seen. (The raw name is no longer valid once the value has been
// read.)
func field(seen *uint32, bit uint32, key string, err error) error {
	if err != nil {
		return at(err, key)
	}
	if *seen&bit != 0 {
		return &decodeError{path: key, code: CodeDuplicateField}
	}
	*seen |= bit
	return nil
}

func (d *instanceDecoder) instance(inst *Instance) error {
	var seen uint32
	_, err := d.object(func(name []byte) error {
		var err error
		var bit uint32
		var key string
		switch string(name) {
		case `"applicants"`:
			bit, key = 1<<0, "applicants"
			inst.Applicants, err = d.applicants()
		case `"facilities"`:
			bit, key = 1<<1, "facilities"
			inst.Facilities, err = objects(d, d.facility)
		case `"policy"`:
			bit, key = 1<<2, "policy"
			err = d.policy(&inst.Policy)
		case `"fixed"`:
			bit, key = 1<<3, "fixed"
			inst.Fixed, err = d.fixed()
		case `"families"`:
			bit, key = 1<<4, "families"
			inst.Families, err = objects(d, d.family)
		case `"format"`:
			bit, key = 1<<5, "format"
			inst.Format, err = d.str(false)
		case `"meta"`:
			bit, key = 1<<6, "meta"
			err = d.meta()
		default:
			return unknown(name)
		}
		return field(&seen, bit, key, err)
	})
	return err
}

// fixed reads the map of fixed placements.
func (d *instanceDecoder) fixed() (map[string]string, error) {
	m := make(map[string]string)
	null, err := d.object(func(key []byte) error {
		k, _ := strconv.Unquote(string(key))
		if _, dup := m[k]; dup {
			return &decodeError{path: "[" + k + "]", code: CodeDuplicateField}
		}
		v, err := d.str(true)
		m[k] = v
		return atIndex(err, k)
	})
	if null {
		return nil, err
	}
	return m, err
}

// applicants reads the applicants in chunks, copied once into one slice
// at the end, so that a large state's array is not regrown and copied
// again and again.
func (d *instanceDecoder) applicants() ([]Applicant, error) {
	if null, err := d.begin('['); null || err != nil {
		return nil, err
	}
	var chunks [][]Applicant
	chunk := make([]Applicant, 0, 1<<10)
	n := 0
	for {
		more, err := d.more()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if len(chunk) == cap(chunk) {
			chunks = append(chunks, chunk)
			chunk = make([]Applicant, 0, min(2*cap(chunk), 1<<16))
		}
		chunk = append(chunk, Applicant{})
		if err := d.applicant(&chunk[len(chunk)-1]); err != nil {
			return nil, atIndex(err, strconv.Itoa(n))
		}
		n++
	}
	if len(chunks) == 0 {
		return chunk, nil
	}
	out := make([]Applicant, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, chunk...), nil
}

// applicant is the hot path: one call per child, so it loops without the
// closure of object.
func (d *instanceDecoder) applicant(a *Applicant) error {
	if null, err := d.begin('{'); null || err != nil {
		return err
	}
	var seen uint32
	for {
		name, ok, err := d.name()
		if !ok || err != nil {
			return err
		}
		var bit uint32
		var key string
		switch string(name) {
		case `"id"`:
			bit, key = 1<<0, "id"
			a.ID, err = d.str(false)
		case `"choices"`:
			bit, key = 1<<1, "choices"
			a.Choices, a.ChoiceHours, err = d.choices()
		case `"band"`:
			bit, key = 1<<2, "band"
			err = d.unmarshalText(&a.Band)
		case `"working_parents"`:
			bit, key = 1<<3, "working_parents"
			a.WorkingParents, err = d.boolean()
		case `"single_parent"`:
			bit, key = 1<<4, "single_parent"
			a.SingleParent, err = d.boolean()
		case `"hardship"`:
			bit, key = 1<<5, "hardship"
			a.Hardship, err = d.boolean()
		case `"birth_date"`:
			bit, key = 1<<6, "birth_date"
			a.BirthDate, err = d.str(true)
		case `"registered_at"`:
			bit, key = 1<<7, "registered_at"
			err = d.unmarshalText(&a.RegisteredAt)
		case `"district"`:
			bit, key = 1<<8, "district"
			a.District, err = d.str(true)
		case `"resident"`:
			bit, key = 1<<9, "resident"
			a.Resident, err = d.boolean()
		case `"siblings"`:
			bit, key = 1<<10, "siblings"
			a.Siblings, err = d.strs(true)
		case `"start"`:
			bit, key = 1<<11, "start"
			a.Start, err = d.str(true)
		default:
			return unknown(name)
		}
		if err := field(&seen, bit, key, err); err != nil {
			return err
		}
	}
}

func (d *instanceDecoder) facility(f *Facility) error {
	var seen uint32
	_, err := d.object(func(name []byte) error {
		var err error
		var bit uint32
		var key string
		switch string(name) {
		case `"id"`:
			bit, key = 1<<0, "id"
			f.ID, err = d.str(true)
		case `"district"`:
			bit, key = 1<<1, "district"
			f.District, err = d.str(true)
		case `"capacity"`:
			bit, key = 1<<2, "capacity"
			var n int64
			n, err = d.integer(-maxInt-1, maxInt)
			f.Capacity = int(n)
		case `"capacity_by_band"`:
			bit, key = 1<<3, "capacity_by_band"
			f.CapacityByBand, err = d.quotas()
		case `"priority"`:
			bit, key = 1<<4, "priority"
			f.Priority, err = d.strs(false)
		case `"pools"`:
			bit, key = 1<<5, "pools"
			f.Pools, err = objects(d, d.pool)
		default:
			return unknown(name)
		}
		return field(&seen, bit, key, err)
	})
	return err
}

// quotas reads capacity_by_band; unknown band names decode to an invalid
// Band, which validation reports.
func (d *instanceDecoder) quotas() (map[Band]int, error) {
	m := make(map[Band]int)
	var keys []string
	null, err := d.object(func(key []byte) error {
		k, _ := strconv.Unquote(string(key))
		if slices.Contains(keys, k) {
			return &decodeError{path: k, code: CodeDuplicateField}
		}
		keys = append(keys, k)
		var b Band
		_ = b.UnmarshalText([]byte(k))
		n, err := d.integer(-maxInt-1, maxInt)
		m[b] = int(n)
		return at(err, k)
	})
	if null {
		return nil, err
	}
	return m, err
}

func (d *instanceDecoder) policy(p *Policy) error {
	var seen uint32
	_, err := d.object(func(name []byte) error {
		var err error
		var bit uint32
		var key string
		switch string(name) {
		case `"criteria"`:
			bit, key = 1<<0, "criteria"
			p.Criteria, err = objects(d, d.criterion)
		case `"lottery"`:
			bit, key = 1<<1, "lottery"
			err = d.unmarshalText(&p.Lottery)
		case `"seed"`:
			bit, key = 1<<2, "seed"
			p.Seed, err = d.unsigned()
		default:
			return unknown(name)
		}
		return field(&seen, bit, key, err)
	})
	return err
}

func (d *instanceDecoder) criterion(c *Criterion) error {
	var seen uint32
	_, err := d.object(func(name []byte) error {
		var err error
		var bit uint32
		var key string
		switch string(name) {
		case `"kind"`:
			bit, key = 1<<0, "kind"
			err = d.unmarshalText(&c.Kind)
		case `"mode"`:
			bit, key = 1<<1, "mode"
			err = d.unmarshalText(&c.Mode)
		case `"points"`:
			bit, key = 1<<2, "points"
			var n int64
			n, err = d.integer(-maxInt-1, maxInt)
			c.Points = int(n)
		default:
			return unknown(name)
		}
		return field(&seen, bit, key, err)
	})
	return err
}

// meta skips the free "meta" object (or null); any other value is
// malformed.
func (d *instanceDecoder) meta() error {
	switch d.dec.PeekKind() {
	case '{', 'n':
	default:
		_, err := d.dec.ReadValue()
		if err != nil {
			return d.syntax(err)
		}
		return d.malformed()
	}
	if err := d.dec.SkipValue(); err != nil {
		return d.syntax(err)
	}
	return nil
}

func (d *instanceDecoder) family(f *Family) error {
	var seen uint32
	_, err := d.object(func(name []byte) error {
		var err error
		var bit uint32
		var key string
		switch string(name) {
		case `"id"`:
			bit, key = 1<<0, "id"
			f.ID, err = d.str(false)
		case `"children"`:
			bit, key = 1<<1, "children"
			f.Children, err = d.strs(false)
		case `"together"`:
			bit, key = 1<<2, "together"
			f.Together, err = d.boolean()
		default:
			return unknown(name)
		}
		return field(&seen, bit, key, err)
	})
	return err
}

// choices reads an applicant's choices: Kita ids, or objects
// {"kita": id, "hours": [h, ...]} (format v2). hours is nil unless an
// object names hours.
func (d *instanceDecoder) choices() (ids []string, hours [][]int, err error) {
	if d.dec.PeekKind() != '[' {
		ids, err = d.strs(true)
		return ids, nil, err
	}
	if _, err := d.begin('['); err != nil {
		return nil, nil, err
	}
	from := d.slabFrom()
	for i := 0; ; i++ {
		more, err := d.more()
		if err != nil {
			return nil, nil, err
		}
		if !more {
			return d.slabTo(from), hours, nil
		}
		if d.dec.PeekKind() != '{' {
			s, err := d.str(true)
			if err != nil {
				return nil, nil, atIndex(err, strconv.Itoa(i))
			}
			d.slab = append(d.slab, s)
			continue
		}
		var id string
		var hs []int
		var seen uint32
		_, err = d.object(func(name []byte) error {
			var err error
			var bit uint32
			var key string
			switch string(name) {
			case `"kita"`:
				bit, key = 1<<0, "kita"
				id, err = d.str(true)
			case `"hours"`:
				bit, key = 1<<1, "hours"
				hs = []int{}
				_, err = d.array(func(int) error {
					n, err := d.integer(-maxInt-1, maxInt)
					hs = append(hs, int(n))
					return err
				})
			default:
				return unknown(name)
			}
			return field(&seen, bit, key, err)
		})
		if err != nil {
			return nil, nil, atIndex(err, strconv.Itoa(i))
		}
		d.slab = append(d.slab, id)
		if len(hs) > 0 {
			for len(hours) < i {
				hours = append(hours, nil)
			}
			hours = append(hours, hs)
		}
	}
}

func (d *instanceDecoder) pool(p *Pool) error {
	var seen uint32
	_, err := d.object(func(name []byte) error {
		var err error
		var bit uint32
		var key string
		switch string(name) {
		case `"band"`:
			bit, key = 1<<0, "band"
			err = d.unmarshalText(&p.Band)
		case `"hours"`:
			bit, key = 1<<1, "hours"
			var n int64
			n, err = d.integer(-maxInt-1, maxInt)
			p.Hours = int(n)
		case `"from"`:
			bit, key = 1<<2, "from"
			p.From, err = d.str(true)
		case `"capacity"`:
			bit, key = 1<<3, "capacity"
			var n int64
			n, err = d.integer(-maxInt-1, maxInt)
			p.Capacity = int(n)
		default:
			return unknown(name)
		}
		return field(&seen, bit, key, err)
	})
	return err
}
