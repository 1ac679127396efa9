package kita

import (
	"slices"
	"strconv"

	"github.com/kitaportal/kitaportal/problem"
)

// Pool is a share of a Kita's places by age band, weekly care hours and the
// month from which the places are free (Platzkontingent): "4 U3 places of
// 35 hours from August, 2 of 45 hours from January".
type Pool struct {
	Band  Band  `json:"band"`
	Hours Hours `json:"hours"`
	// From is the month "YYYY-MM" from which the places are free.
	From     string `json:"from"`
	Capacity int    `json:"capacity"`
}

// Stable codes of the pool rules.
const (
	// CodePoolInvalid: a pool's band, month or number of places is invalid.
	CodePoolInvalid problem.Code = "kita.pool_invalid"
	// CodePoolHours: a pool's hours are not among the Kita's care hours.
	CodePoolHours problem.Code = "kita.pool_hours"
	// CodePoolDuplicate: two pools have the same band, hours and month.
	CodePoolDuplicate problem.Code = "kita.pool_duplicate"
	// CodePoolSum: the pools of a band do not add up to its places.
	CodePoolSum problem.Code = "kita.pool_sum"
)

// ValidMonth reports whether s is a month "YYYY-MM" (years 1000 to 9999).
func ValidMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' || s[0] == '0' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	m, _ := strconv.Atoi(s[5:])
	return m >= 1 && m <= 12
}

// PoolsOf returns the Kita's pools of a band, in the Kita's order.
func (k Kita) PoolsOf(b Band) []Pool {
	var out []Pool
	for _, p := range k.Pools {
		if p.Band == b {
			out = append(out, p)
		}
	}
	return out
}

// PoolHours returns the care hours the Kita's pools of a band offer, in
// the order of the pools, each once; nil when the Kita has no pools.
func (k Kita) PoolHours(b Band) HoursOptions {
	var out HoursOptions
	for _, p := range k.Pools {
		if p.Band == b && !out.Allows(p.Hours) {
			out = append(out, p.Hours)
		}
	}
	return out
}

// checkPools enforces the pool rules: each pool has a valid band, care
// hours the Kita offers, a month "YYYY-MM" and places not negative; no two
// pools share band, hours and month; and the pools of each band add up to
// the band's places (Capacity stays the Kita's number of places, pools
// only split it), so that a Kita with pools has every place in one.
func checkPools(c *problem.Collector, pools []Pool, hours HoursOptions, cp Capacity) {
	if len(pools) == 0 {
		return
	}
	sum := map[Band]int{}
	for i, p := range pools {
		field := "pools[" + strconv.Itoa(i) + "]"
		if !p.Band.Valid() {
			c.Add(field+".band", CodePoolInvalid, ErrMalformed)
		}
		if !hours.Allows(p.Hours) {
			c.Add(field+".hours", CodePoolHours, ErrHours, "allowed", hours.String())
		}
		if !ValidMonth(p.From) {
			c.Add(field+".from", CodePoolInvalid, ErrMalformed)
		}
		if p.Capacity < 0 {
			c.Add(field+".capacity", CodePoolInvalid, ErrCapacity)
		}
		if slices.ContainsFunc(pools[:i], func(q Pool) bool { return q.Band == p.Band && q.Hours == p.Hours && q.From == p.From }) {
			c.Add(field, CodePoolDuplicate, ErrDuplicate)
		}
		sum[p.Band] += max(p.Capacity, 0)
	}
	for _, b := range []Band{Under3, From3} {
		if sum[b] != cp.Of(b) {
			c.Add("pools", CodePoolSum, ErrCapacity, "band", b.String(), "places", strconv.Itoa(cp.Of(b)), "sum", strconv.Itoa(sum[b]))
		}
	}
}
