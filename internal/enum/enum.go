// Package enum holds the two helpers behind kitaportal's typed enums: the
// stable name of a value and the value of a name. An enum is an int type
// whose values 1..n have the names names[1..n]; names[0] is "" and the
// zero value is unset, never a silent default.
package enum

// Name returns the stable name of v, or "unset" for the zero value and
// values out of range.
func Name[T ~int](names []string, v T) string {
	if v < 1 || int(v) >= len(names) {
		return "unset"
	}
	return names[v]
}

// Parse returns the value named s; never the unset zero value.
func Parse[T ~int](names []string, s string) (T, bool) {
	for i := 1; i < len(names); i++ {
		if names[i] == s {
			return T(i), true
		}
	}
	return 0, false
}
