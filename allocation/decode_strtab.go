package allocation

import (
	"hash/maphash"
)

// strtab interns the strings of one scanner: an open-addressing set
// (linear probing, at most half full) keyed by a seeded hash of every
// byte, so that no input, however chosen, makes the probes long. A table
// seeded with the Kitas' ids and districts and then cloned for every
// scanner makes the applicants' choices and districts share memory with
// the Kitas' strings, as Decode's interning does.
type strtab struct {
	slots []strslot
	n     int // strings held
	hash  maphash.Seed
}

// strslot is one place of a strtab; an empty string marks it free (the
// empty string itself is never stored).
type strslot struct {
	h uint64
	s string
}

// newStrtab returns a table with room for about n strings before it grows.
func newStrtab(n int) *strtab {
	size := 64
	for size < 2*n {
		size *= 2
	}
	return &strtab{slots: make([]strslot, size), hash: maphash.MakeSeed()}
}

// clone returns a copy of t that grows on its own.
func (t *strtab) clone() *strtab {
	c := *t
	c.slots = append([]strslot(nil), t.slots...)
	return &c
}

// of returns the table's copy of v, adding one if there is none.
func (t *strtab) of(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	h := maphash.Bytes(t.hash, v)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.h == h && sl.s == string(v) {
			return sl.s
		}
		if len(sl.s) == 0 {
			s := string(v)
			t.put(sl, h, s)
			return s
		}
	}
}

// add puts s itself into the table unless an equal string is there.
func (t *strtab) add(s string) {
	if len(s) == 0 {
		return
	}
	h := maphash.String(t.hash, s)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.h == h && sl.s == s {
			return
		}
		if len(sl.s) == 0 {
			t.put(sl, h, s)
			return
		}
	}
}

// put fills the free slot sl and doubles the table when it is half full.
func (t *strtab) put(sl *strslot, h uint64, s string) {
	*sl = strslot{h, s}
	t.n++
	if 2*t.n <= len(t.slots) {
		return
	}
	old := t.slots
	t.slots = make([]strslot, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	for _, o := range old {
		if len(o.s) == 0 {
			continue
		}
		i := o.h & mask
		for len(t.slots[i].s) != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = o
	}
}
