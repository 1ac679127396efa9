package memory

// idList is an index entry kept in its map (the child index's, a
// family's lists): ids in the order they were added, n of them. The first
// is kept in the entry itself, the others in more, so that an entry of one
// id (nearly every child's of a Kita year, most families' applications
// and messages) allocates nothing. Like the lists of index, an entry is
// never changed in place below its length.
type idList struct {
	first string
	more  []string
	n     int
}

// all yields the ids in order.
func (c idList) all(yield func(string) bool) {
	if c.n == 0 || !yield(c.first) {
		return
	}
	for _, id := range c.more {
		if !yield(id) {
			return
		}
	}
}

// with returns the entry with id added.
func (c idList) with(id string) idList {
	if c.n == 0 {
		return idList{first: id, n: 1}
	}
	return idList{first: c.first, more: append(c.more, id), n: c.n + 1}
}

// cut returns the entry of its first n ids.
func (c idList) cut(n int) idList {
	if n == 0 {
		return idList{}
	}
	return idList{first: c.first, more: c.more[:n-1], n: n}
}

// without returns a new entry without id, and whether id was in c.
func (c idList) without(id string) (idList, bool) {
	var out idList
	found := false
	for x := range c.all {
		if x == id && !found {
			found = true
			continue
		}
		out = out.with(x)
	}
	return out, found
}

// list returns the ids as a list of their own.
func (c idList) list() []string {
	if c.n == 0 {
		return nil
	}
	return append([]string{c.first}, c.more...)
}
