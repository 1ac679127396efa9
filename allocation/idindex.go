package allocation

import (
	"runtime"
	"sync"
	"unsafe"
)

// idIndex maps ids to their dense indices: open addressing over a
// power-of-two table, keyed by the ids' 64-bit FNV-1a hashes (the same the
// lottery draws from), checked against the id itself on a hit. It is built
// once and only read afterwards, so concurrent finds are safe.
type idIndex struct {
	hash  []uint64 // per index: its id's hash
	id    func(i int32) string
	slots []int32 // index+1; 0: empty
	mask  uint64

	// Ids by where their bytes are (see indexMemory): a string that
	// shares its memory with an indexed id (an interned choice, or the
	// very string of the Kita's id) is found without hashing its bytes.
	mem     []memSlot
	memMask uint64
}

// memSlot is an indexed id's memory: its address and length, and the
// index find returns for it.
type memSlot struct {
	addr uintptr // 0: empty
	n, i int32
}

// newIDIndex returns an empty index for n ids, id returning the id of an
// index, with every id's hash computed (in parallel when n is large).
func newIDIndex(n int, id func(i int32) string) *idIndex { return newIDIndexAlso(n, id, nil) }

// newIDIndexAlso is newIDIndex that also calls also, unless nil, with
// every index after hashing its id, on the goroutine that hashed it, so
// that other fields of the id's record are read while it is in the cache.
func newIDIndexAlso(n int, id func(i int32) string, also func(i int32)) *idIndex {
	size := 16
	for size < 2*n {
		size *= 2
	}
	x := &idIndex{hash: make([]uint64, n), id: id, slots: make([]int32, size), mask: uint64(size - 1)}
	parallel(n, 4*n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			x.hash[i] = fnv64(id(int32(i)))
			if also != nil {
				also(int32(i))
			}
		}
	})
	return x
}

// insert adds index i and reports whether its id was new. For a duplicate
// the later index wins; the input is then invalid and the index only
// serves further validation.
func (x *idIndex) insert(i int32) bool {
	h, id := x.hash[i], x.id(i)
	for s := h & x.mask; ; s = (s + 1) & x.mask {
		v := x.slots[s]
		if v == 0 {
			x.slots[s] = i + 1
			return true
		}
		if x.hash[v-1] == h && x.id(v-1) == id {
			x.slots[s] = i + 1
			return false
		}
	}
}

// insertAll adds every index and reports whether all ids were new. The
// table is split into parts, one per processor; a part's goroutine adds
// the ids whose first slot is in it, and an id whose probe would leave
// the part is added afterwards. An id is read only when its hash equals
// another's, and each goroutine reads the slot of the id some places
// ahead of the one it adds, so that it is in the cache in time. Unlike
// insert, a duplicate leaves the index as it is: the input is invalid,
// and the caller indexes the ids again with insert.
func (x *idIndex) insertAll() bool {
	var mu sync.Mutex
	var spill []int32
	ok := true
	parallelParts(len(x.slots), 2*len(x.hash), func(lo, hi int) {
		var out []int32
		fine := true
		const ahead = 16
		var sink int32
		for i, h := range x.hash {
			if i+ahead < len(x.hash) {
				if s := int(x.hash[i+ahead] & x.mask); s >= lo && s < hi {
					sink += x.slots[s]
				}
			}
			s := int(h & x.mask)
			if s < lo || s >= hi {
				continue
			}
			for ; ; s++ {
				if s == hi {
					out = append(out, int32(i))
					break
				}
				v := x.slots[s]
				if v == 0 {
					x.slots[s] = int32(i) + 1
					break
				}
				if x.hash[v-1] == h && x.id(v-1) == x.id(int32(i)) {
					fine = false
					break
				}
			}
		}
		runtime.KeepAlive(sink)
		mu.Lock()
		spill = append(spill, out...)
		ok = ok && fine
		mu.Unlock()
	})
	for _, i := range spill {
		ok = x.insert(i) && ok
	}
	return ok
}

// indexMemory indexes the ids by their memory too, once every id is
// inserted; find then answers strings that share an id's memory from
// there, with the index it would find by hashing (the later of equal ids).
func (x *idIndex) indexMemory() {
	n := len(x.hash)
	size := 16
	for size < 2*n {
		size *= 2
	}
	x.mem, x.memMask = make([]memSlot, size), uint64(size-1)
	for i := range n {
		id := x.id(int32(i))
		j, ok := x.find(id)
		if id == "" || !ok {
			continue
		}
		addr := uintptr(unsafe.Pointer(unsafe.StringData(id)))
		for s := memHash(addr) & x.memMask; ; s = (s + 1) & x.memMask {
			m := &x.mem[s]
			if m.addr == 0 {
				*m = memSlot{addr: addr, n: int32(len(id)), i: j}
				break
			}
			if m.addr == addr && int(m.n) == len(id) {
				break // the same string twice: already there
			}
		}
	}
}

func memHash(addr uintptr) uint64 { return uint64(addr) * 0x9e3779b97f4a7c15 >> 20 }

// find returns the index of id.
func (x *idIndex) find(id string) (int32, bool) {
	if i, ok := x.findMemory(id); ok {
		return i, true
	}
	return x.findHash(id)
}

// findMemory returns the index of id if id shares an indexed id's memory.
func (x *idIndex) findMemory(id string) (int32, bool) {
	if x.mem == nil || id == "" {
		return -1, false
	}
	addr := uintptr(unsafe.Pointer(unsafe.StringData(id)))
	for s := memHash(addr) & x.memMask; ; s = (s + 1) & x.memMask {
		m := &x.mem[s]
		if m.addr == addr && int(m.n) == len(id) {
			return m.i, true
		}
		if m.addr == 0 {
			return -1, false // not shared
		}
	}
}

// finder finds ids in an index for one goroutine, as find does, but
// stops looking them up by memory once many more strings did not share an
// id's memory than did (strings not interned with the ids).
type finder struct {
	x            *idIndex
	hits, misses int
}

func (f *finder) find(id string) (int32, bool) {
	if f.misses <= f.hits+256 {
		if i, ok := f.x.findMemory(id); ok {
			f.hits++
			return i, true
		}
		f.misses++
	}
	return f.x.findHash(id)
}

// findHash returns the index of id, found by its hash.
func (x *idIndex) findHash(id string) (int32, bool) {
	h := fnv64(id)
	for s := h & x.mask; ; s = (s + 1) & x.mask {
		v := x.slots[s]
		if v == 0 {
			return -1, false
		}
		if x.hash[v-1] == h && x.id(v-1) == id {
			return v - 1, true
		}
	}
}
