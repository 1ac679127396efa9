package allocation

// idIndex maps ids to their dense indices: open addressing over a
// power-of-two table, keyed by the ids' 64-bit FNV-1a hashes (the same the
// lottery draws from), checked against the id itself on a hit. It is built
// once and only read afterwards, so concurrent finds are safe.
type idIndex struct {
	hash  []uint64 // per index: its id's hash
	id    func(i int32) string
	slots []int32 // index+1; 0: empty
	mask  uint64
}

// newIDIndex returns an empty index for n ids, id returning the id of an
// index, with every id's hash computed (in parallel when n is large).
func newIDIndex(n int, id func(i int32) string) *idIndex {
	size := 16
	for size < 2*n {
		size *= 2
	}
	x := &idIndex{hash: make([]uint64, n), id: id, slots: make([]int32, size), mask: uint64(size - 1)}
	parallel(n, 4*n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			x.hash[i] = fnv64(id(int32(i)))
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

// find returns the index of id.
func (x *idIndex) find(id string) (int32, bool) {
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
