package allocation

import (
	"strconv"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// scanner decodes applicants straight from the bytes of an instance, as
// Decode does, but only ever accepts: any input it is not sure Decode
// takes (escapes it cannot check, unknown or repeated members, wrong
// types, malformed JSON) makes it return false, and the caller decodes the
// whole input with Decode.
type scanner struct {
	data []byte
	pos  int
	tab  *strtab // interned strings, this scanner's own
	slabs
}

// newScanner returns a scanner of data interning into a clone of tab.
func newScanner(data []byte, tab *strtab) *scanner {
	return &scanner{data: data, tab: tab.clone()}
}

// part decodes the applicants of p, appending to p.out: from p.from to the
// array's end or to the first element that starts where a later part
// starts.
func (s *scanner) part(p *part) {
	d := s.data
	p.end = -1
	s.pos = skipSpace(d, p.from)
	if s.pos < len(d) && d[s.pos] == ']' && p.from > 0 && d[p.from-1] == '[' {
		p.end, p.ok = s.pos+1, true
		return
	}
	for {
		p.out = append(p.out, Applicant{})
		if !s.applicant(&p.out[len(p.out)-1]) {
			return
		}
		s.pos = skipSpace(d, s.pos)
		if s.pos >= len(d) {
			return
		}
		switch d[s.pos] {
		case ']':
			p.end, p.ok = s.pos+1, true
			return
		case ',':
			s.pos = skipSpace(d, s.pos+1)
			for len(p.stops) > 0 && p.stops[0] < s.pos {
				p.stops = p.stops[1:] // not a true boundary: passed inside an applicant
			}
			if len(p.stops) > 0 && p.stops[0] == s.pos {
				p.next, p.ok = s.pos, true
				return
			}
		default:
			return
		}
	}
}

// member reads a member name, the colon and white space; ok is false for
// a name with escapes or without end.
func (s *scanner) member() (name []byte, ok bool) {
	d, i := s.data, s.pos
	if i >= len(d) || d[i] != '"' {
		return nil, false
	}
	for j := i + 1; j < len(d); j++ {
		switch c := d[j]; {
		case c == '"':
			name = d[i+1 : j]
			j = skipSpace(d, j+1)
			if j >= len(d) || d[j] != ':' {
				return nil, false
			}
			s.pos = skipSpace(d, j+1)
			return name, true
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// end consumes white space and the ',' after a member or element (more
// is true) or the closing '}' or ']' given.
func (s *scanner) end(closing byte) (more, ok bool) {
	d := s.data
	s.pos = skipSpace(d, s.pos)
	if s.pos >= len(d) {
		return false, false
	}
	switch d[s.pos] {
	case ',':
		s.pos = skipSpace(d, s.pos+1)
		return true, true
	case closing:
		s.pos++
		return false, true
	}
	return false, false
}

// literal consumes word (null, true, false) if it is next.
func (s *scanner) literal(word string) bool {
	if len(s.data)-s.pos >= len(word) && string(s.data[s.pos:s.pos+len(word)]) == word {
		s.pos += len(word)
		return true
	}
	return false
}

// open consumes c ('{' or '[') and white space; null is true for null.
func (s *scanner) open(c byte) (null, ok bool) {
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos = skipSpace(s.data, s.pos+1)
		return false, true
	}
	return s.literal("null"), false
}

// applicant reads one applicant object or null, as Decode's applicant.
func (s *scanner) applicant(a *Applicant) bool {
	if null, ok := s.open('{'); !ok {
		return null
	}
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return true
	}
	var seen uint32
	for {
		name, ok := s.member()
		if !ok {
			return false
		}
		var bit uint32
		switch string(name) {
		case "id":
			bit = 1 << 0
			a.ID, ok = s.str(false)
		case "choices":
			bit = 1 << 1
			a.Choices, a.ChoiceHours, ok = s.choices()
		case "band":
			bit = 1 << 2
			ok = s.text(&a.Band)
		case "working_parents":
			bit = 1 << 3
			a.WorkingParents, ok = s.boolean()
		case "single_parent":
			bit = 1 << 4
			a.SingleParent, ok = s.boolean()
		case "hardship":
			bit = 1 << 5
			a.Hardship, ok = s.boolean()
		case "birth_date":
			bit = 1 << 6
			a.BirthDate, ok = s.str(true)
		case "registered_at":
			bit = 1 << 7
			ok = s.text(&a.RegisteredAt)
		case "district":
			bit = 1 << 8
			a.District, ok = s.str(true)
		case "resident":
			bit = 1 << 9
			a.Resident, ok = s.boolean()
		case "siblings":
			bit = 1 << 10
			a.Siblings, ok = s.strs()
		case "start":
			bit = 1 << 11
			a.Start, ok = s.str(true)
		default:
			return false
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		more, ok := s.end('}')
		if !ok {
			return false
		}
		if !more {
			return true
		}
	}
}

// raw reads a string's contents, unquoted; ok is false for anything but a
// string Decode takes.
func (s *scanner) raw() (v []byte, ok bool) {
	d, i := s.data, s.pos
	if i >= len(d) || d[i] != '"' {
		return nil, false
	}
	j := i + 1
	for j < len(d) && d[j] != '"' && d[j] != '\\' && d[j] >= 0x20 && d[j] < 0x80 {
		j++
	}
	if j < len(d) && d[j] == '"' {
		s.pos = j + 1
		return d[i+1 : j], true
	}
	escaped, wide := false, false
	for ; j < len(d) && d[j] != '"'; j++ {
		switch c := d[j]; {
		case c == '\\':
			escaped = true
			j++
		case c < 0x20:
			return nil, false
		case c >= 0x80:
			wide = true
		}
	}
	if j >= len(d) {
		return nil, false
	}
	s.pos = j + 1
	switch {
	case escaped:
		q := jsontext.Value(d[i : j+1])
		if !q.IsValid() {
			return nil, false
		}
		v, err := jsontext.AppendUnquote(nil, q)
		return v, err == nil
	case wide:
		return d[i+1 : j], utf8.Valid(d[i+1 : j])
	}
	return d[i+1 : j], true
}

// str reads a string or null (""), interned or not.
func (s *scanner) str(interned bool) (string, bool) {
	if s.literal("null") {
		return "", true
	}
	v, ok := s.raw()
	switch {
	case !ok:
		return "", false
	case interned:
		return s.tab.of(v), true
	}
	return string(v), true
}

// strs reads an array of interned strings or null (nil); [] stays non-nil.
func (s *scanner) strs() ([]string, bool) {
	if null, ok := s.open('['); !ok {
		return nil, null
	}
	from := s.slabFrom()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return s.slabTo(from), true
	}
	for {
		v, ok := s.str(true)
		if !ok {
			return nil, false
		}
		s.slab = append(s.slab, v)
		more, ok := s.end(']')
		if !ok {
			return nil, false
		}
		if !more {
			return s.slabTo(from), true
		}
	}
}

// boolean reads true, false or null (false).
func (s *scanner) boolean() (bool, bool) {
	switch {
	case s.literal("true"):
		return true, true
	case s.literal("false"), s.literal("null"):
		return false, true
	}
	return false, false
}

// text calls u.UnmarshalText on the next string; null leaves u unchanged.
func (s *scanner) text(u interface{ UnmarshalText([]byte) error }) bool {
	if s.literal("null") {
		return true
	}
	v, ok := s.raw()
	return ok && u.UnmarshalText(v) == nil
}

// integer reads an integer without fraction or exponent, or null (0).
func (s *scanner) integer() (int, bool) {
	if s.literal("null") {
		return 0, true
	}
	d, i := s.data, s.pos
	j := i
	if j < len(d) && d[j] == '-' {
		j++
	}
	switch {
	case j < len(d) && d[j] == '0':
		j++
	case j < len(d) && d[j] >= '1' && d[j] <= '9':
		for j < len(d) && d[j] >= '0' && d[j] <= '9' {
			j++
		}
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(string(d[i:j]), 10, 64)
	if err != nil || n < -maxInt-1 || n > maxInt {
		return 0, false
	}
	s.pos = j
	return int(n), true
}

// choices reads an applicant's choices as Decode's choices does: Kita ids,
// or objects {"kita": id, "hours": [h, ...]}.
func (s *scanner) choices() (ids []string, hours [][]int, ok bool) {
	if s.pos >= len(s.data) || s.data[s.pos] != '[' {
		ids, ok = s.strs()
		return ids, nil, ok
	}
	s.pos = skipSpace(s.data, s.pos+1)
	from := s.slabFrom()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return s.slabTo(from), nil, true
	}
	for i := 0; ; i++ {
		var id string
		var hs []int
		if s.pos < len(s.data) && s.data[s.pos] == '{' {
			id, hs, ok = s.choice()
		} else {
			id, ok = s.str(true)
		}
		if !ok {
			return nil, nil, false
		}
		s.slab = append(s.slab, id)
		if len(hs) > 0 {
			for len(hours) < i {
				hours = append(hours, nil)
			}
			hours = append(hours, hs)
		}
		more, ok := s.end(']')
		if !ok {
			return nil, nil, false
		}
		if !more {
			return s.slabTo(from), hours, true
		}
	}
}

// choice reads one choice object {"kita": id, "hours": [h, ...]}.
func (s *scanner) choice() (id string, hs []int, ok bool) {
	s.pos = skipSpace(s.data, s.pos+1)
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return "", nil, true
	}
	var seen uint32
	for {
		name, ok := s.member()
		if !ok {
			return "", nil, false
		}
		var bit uint32
		switch string(name) {
		case "kita":
			bit = 1 << 0
			id, ok = s.str(true)
		case "hours":
			bit = 1 << 1
			hs, ok = s.hours()
		default:
			return "", nil, false
		}
		if !ok || seen&bit != 0 {
			return "", nil, false
		}
		seen |= bit
		more, ok := s.end('}')
		if !ok {
			return "", nil, false
		}
		if !more {
			return id, hs, true
		}
	}
}

// hours reads a choice's hours: an array of integers or null, both
// non-nil as in Decode.
func (s *scanner) hours() ([]int, bool) {
	hs := []int{}
	if null, ok := s.open('['); !ok {
		return hs, null
	}
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return hs, true
	}
	for {
		n, ok := s.integer()
		if !ok {
			return nil, false
		}
		hs = append(hs, n)
		more, ok := s.end(']')
		if !ok {
			return nil, false
		}
		if !more {
			return hs, true
		}
	}
}
