package allocation

import (
	"bytes"
	"io"
	"io/fs"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// partSize is the least number of bytes of the applicants array given to
// one part: smaller inputs are decoded in one part, without goroutines.
const partSize = 1 << 20

// DecodeBuffered reads one instance whole into memory and decodes it on
// all of the processor's cores: the applicants array, most of a file, is
// cut into parts at applicant boundaries, the parts are decoded in
// parallel by a scanner made for the format, and the rest of the instance
// by [Decode]. The result is exactly Decode's, with the same interning and
// the same nil and empty slices. Any input the scanner does not take
// (every input Decode refuses, and a few it accepts, such as escaped
// member names) is decoded again, whole, by Decode, so problems (field
// paths, codes, order, byte offsets) are Decode's. An input larger than
// [MaxInputSize] is handed to Decode unread. Use Decode where the input
// cannot be held in memory.
func DecodeBuffered(r io.Reader) (Instance, error) {
	var buf bytes.Buffer
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := st.Stat(); err == nil && info.Mode().IsRegular() {
			if info.Size() > MaxInputSize {
				return Decode(r)
			}
			buf.Grow(int(info.Size()) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxInputSize+1)); err != nil {
		// Decode meets the same bytes, then the same error.
		return Decode(io.MultiReader(bytes.NewReader(buf.Bytes()), errorReader{err}))
	}
	data := buf.Bytes()
	if len(data) > MaxInputSize {
		return Decode(io.MultiReader(bytes.NewReader(data), r))
	}
	if inst, ok := decodeParts(data, partSize, false); ok {
		return inst, nil
	}
	return Decode(bytes.NewReader(data))
}

// errorReader fails every read with err.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

// decodeParts is the parallel decoding of DecodeBuffered, with parts of at
// least size bytes; ok is false on any doubt. With mapped, data is mapped
// memory: a fault reading it fails the part.
func decodeParts(data []byte, size int, mapped bool) (Instance, bool) {
	start, ok := applicantsArray(data)
	if !ok {
		return Instance{}, false
	}
	// Part boundaries: the '{' of an applicant after "}," (white space
	// between). A boundary found inside a string, or after the array's end,
	// is discarded below: the part before it, decoded from a true start,
	// does not end exactly there.
	bounds := []int{start + 1}
	for p := start + 1 + size; p < len(data); p += size {
		b := nextBoundary(data, max(p, bounds[len(bounds)-1]+1))
		if b < 0 {
			break
		}
		bounds = append(bounds, b)
		p = b
	}
	parts := make([]part, len(bounds))
	for i := range parts {
		parts[i].from, parts[i].stops = bounds[i], bounds[i+1:]
	}
	final, guess, ok := precount(data, parts, mapped)
	if !ok {
		return Instance{}, false
	}
	// The rest of the instance (Kitas, policy, …) first, where the array's
	// end was guessed: the Kitas' ids and districts seed the scanners'
	// strings, so that choices and districts share memory with them as
	// Decode's do (and the engine finds them by their address). A wrong
	// guess costs a second decoding of the rest below, nothing else.
	var inst Instance
	tab := newStrtab(0)
	if guess >= 0 {
		if inst, ok = decodeRest(data, start, guess); ok {
			tab = newStrtab(len(inst.Facilities) + 4096)
			for i := range inst.Facilities {
				tab.add(inst.Facilities[i].ID)
				tab.add(inst.Facilities[i].District)
			}
		} else {
			guess = -1
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(parts))
	var next sync.Mutex
	taken := 0
	work := func() {
		if mapped {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer recoverFault(func() {})
		}
		s := newScanner(data, tab)
		for {
			next.Lock()
			i := taken
			taken++
			next.Unlock()
			if i >= len(parts) {
				return
			}
			p := &parts[i]
			p.out = final[p.base : p.base : p.base+p.count]
			s.part(p)
		}
	}
	if workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers - 1 {
			wg.Go(work)
		}
		work()
		wg.Wait()
	}
	// Join the parts from the first: each ends where a later one begins
	// (the parts between started inside an applicant), until one ends the
	// array.
	var used []*part
	n, fits := 0, true
	for i := 0; ; {
		p := &parts[i]
		if !p.ok {
			return Instance{}, false
		}
		used = append(used, p)
		n += len(p.out)
		fits = fits && len(p.out) <= p.count
		if p.end >= 0 {
			break
		}
		i += slices.IndexFunc(parts[i:], func(q part) bool { return q.from == p.next })
	}
	end := used[len(used)-1].end
	var apps []Applicant
	if fits {
		// Every part decoded into its window of final: close the gaps.
		pos := 0
		for _, p := range used {
			if p.base != pos {
				copy(final[pos:], p.out)
			}
			pos += len(p.out)
		}
		apps = final[:n:n]
	} else {
		apps = make([]Applicant, 0, n)
		for _, p := range used {
			apps = append(apps, p.out...)
		}
	}
	if end != guess {
		if inst, ok = decodeRest(data, start, end); !ok {
			return Instance{}, false
		}
	}
	inst.Applicants = apps
	return inst, true
}

// decodeRest decodes the instance with an empty applicants array in place
// of data[start:end]; ok is false unless Decode takes it.
func decodeRest(data []byte, start, end int) (Instance, bool) {
	inst, err := Decode(io.MultiReader(bytes.NewReader(data[:start]), strings.NewReader("[]"), bytes.NewReader(data[end:])))
	if err != nil || inst.Applicants == nil || len(inst.Applicants) != 0 {
		return Instance{}, false
	}
	return inst, true
}

// part is one piece of the applicants array: from the applicant at from
// up to the first applicant that starts at one of stops (or the array's
// end).
type part struct {
	from        int
	stops       []int       // where the later parts start
	base, count int         // window in the joined slice: estimated applicants
	out         []Applicant // decoded applicants
	ok          bool        // decoded without doubt
	next        int         // offset after the last element's ',' and white space
	end         int         // offset after the array's ']', or -1
	endGuess    int         // precount's guess of end in this part, or -1
}

// precount estimates the applicants of every part by counting `{"id"`
// (the usual start of an applicant) and returns a slice holding all. It
// also guesses the offset after the applicants array's ']' (-1: no guess):
// the first ']' followed by the next member of the instance or by the
// instance's end. With mapped, a fault reading data makes ok false.
func precount(data []byte, parts []part, mapped bool) (final []Applicant, guess int, ok bool) {
	var wg sync.WaitGroup
	var faulted atomic.Bool
	for i := range parts {
		p := &parts[i]
		stop := len(data)
		if len(p.stops) > 0 {
			stop = p.stops[0]
		}
		wg.Go(func() {
			if mapped {
				defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
				defer recoverFault(func() { faulted.Store(true) })
			}
			p.count = bytes.Count(data[p.from:stop], []byte(`{"id"`))
			p.endGuess = arrayEnd(data, p.from, stop)
		})
	}
	wg.Wait()
	if faulted.Load() {
		return nil, 0, false
	}
	total, guess := 0, -1
	for i := range parts {
		parts[i].base = total
		total += parts[i].count
		if guess < 0 {
			guess = parts[i].endGuess
		}
	}
	return make([]Applicant, total), guess, true
}

// arrayEnd returns the offset after the first ']' in data[from:stop] that
// is followed, white space between, by ',' and the name of a member of the
// instance other than "applicants", or by '}' and the end of data; -1 if
// there is none. An applicant's own members never match, so in a valid
// instance this is the applicants array's end.
func arrayEnd(data []byte, from, stop int) int {
	for from < stop {
		i := bytes.IndexByte(data[from:stop], ']')
		if i < 0 {
			return -1
		}
		i += from
		from = i + 1
		j := skipSpace(data, i+1)
		switch {
		case j >= len(data):
		case data[j] == '}':
			if skipSpace(data, j+1) == len(data) {
				return i + 1
			}
		case data[j] == ',':
			j = skipSpace(data, j+1)
			if j+1 >= len(data) || data[j] != '"' || (data[j+1] != 'f' && data[j+1] != 'p' && data[j+1] != 'm') {
				continue // no member of the instance, such as an applicant's next member
			}
			for _, name := range []string{`"facilities"`, `"policy"`, `"fixed"`, `"families"`, `"format"`, `"meta"`} {
				if bytes.HasPrefix(data[j:], []byte(name)) {
					if k := skipSpace(data, j+len(name)); k < len(data) && data[k] == ':' {
						return i + 1
					}
				}
			}
		}
	}
	return -1
}

// applicantsArray finds the '[' of the instance's "applicants" member.
// Members before it are skipped, not checked: Decode checks them later.
func applicantsArray(data []byte) (int, bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return 0, false
	}
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '"' {
			return 0, false
		}
		j := bytes.IndexByte(data[i+1:], '"')
		if j < 0 {
			return 0, false
		}
		name := data[i+1 : i+1+j]
		if bytes.IndexByte(name, '\\') >= 0 {
			return 0, false
		}
		i = skipSpace(data, i+j+2)
		if i >= len(data) || data[i] != ':' {
			return 0, false
		}
		i = skipSpace(data, i+1)
		if string(name) == "applicants" {
			return i, i < len(data) && data[i] == '['
		}
		if i = skipValue(data, i); i < 0 {
			return 0, false
		}
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != ',' {
			return 0, false
		}
		i++
	}
}

// skipValue returns the offset after the value at i, or -1. It checks
// nothing but the nesting of strings, objects and arrays.
func skipValue(data []byte, i int) int {
	depth := 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '"':
			i++
			for i < len(data) && data[i] != '"' {
				if data[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(data) {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// nextBoundary returns the offset of the next '{' at or after p that
// follows "}," with white space between, or -1.
func nextBoundary(data []byte, p int) int {
	for p < len(data) {
		c := bytes.IndexByte(data[p:], ',')
		if c < 0 {
			return -1
		}
		c += p
		p = c + 1
		b := c - 1
		for b >= 0 && isSpace(data[b]) {
			b--
		}
		if b < 0 || data[b] != '}' {
			continue
		}
		o := skipSpace(data, c+1)
		if o < len(data) && data[o] == '{' {
			return o
		}
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}
