package main

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

// hourWeights are the shares of a Kita's places by weekly care hours
// (NRW: 45 hours are asked for most under three, 35 hours most from three).
var hourWeights = map[kita.Band]map[kita.Hours]int{
	kita.Under3: {25: 1, 35: 4, 45: 5},
	kita.From3:  {25: 1, 35: 5, 45: 4},
}

// laterMonths are the months from which some places become free during
// the Kita year (a child leaving for school early, a group opening later).
var laterMonths = []string{"2027-10", "2027-11", "2028-01", "2028-02"}

// setPools lets each carrier split its Kitas' places into pools by care
// hours and by the month they become free (four Kitas in five; the
// others keep plain places), through the catalogue's edit use case. It
// returns how many Kitas have pools and how many places are free only
// from a later month.
func (s *simulation) setPools(ctx context.Context) (kitas, later int, err error) {
	r := rand.New(rand.NewPCG(s.o.seed, 11))
	for _, k := range s.catalogue.All() {
		if r.IntN(5) == 0 {
			continue
		}
		var pools []kita.Pool
		for _, b := range []kita.Band{kita.Under3, kita.From3} {
			n := k.Capacity.Of(b)
			if n == 0 {
				continue
			}
			split := splitByHours(n, k.Hours, hourWeights[b])
			for i, h := range k.Hours {
				c := split[i]
				// Some places of a larger pool are free only later.
				if c >= 4 && r.IntN(3) == 0 {
					m := 1 + r.IntN(c/4)
					pools = append(pools, kita.Pool{Band: b, Hours: h, From: laterMonths[r.IntN(len(laterMonths))], Capacity: m})
					c -= m
					later += m
				}
				pools = append(pools, kita.Pool{Band: b, Hours: h, From: "2027-08", Capacity: c})
			}
		}
		staff := access.NewCarrierStaff("staff-"+k.Carrier.ID, k.Carrier.ID)
		if err := s.portal.Catalogue.SetPools(ctx, staff, k.ID, pools); err != nil {
			return 0, 0, fmt.Errorf("pools of %s: %w", k.ID, err)
		}
		kitas++
	}
	return kitas, later, nil
}

// splitByHours splits n places over the hours by weight, largest
// remainder first; every hour keeps a pool, perhaps of no places.
func splitByHours(n int, hours kita.HoursOptions, weights map[kita.Hours]int) []int {
	total := 0
	for _, h := range hours {
		total += max(weights[h], 1)
	}
	out := make([]int, len(hours))
	left := n
	for i, h := range hours {
		out[i] = n * max(weights[h], 1) / total
		left -= out[i]
	}
	for i := 0; left > 0; i = (i + 1) % len(out) {
		out[i]++
		left--
	}
	return out
}

// alternatives are the further care hours a family accepts after its
// first wish (six families in ten name one): 25 hours, else 35; 35, else
// 45 (or 25); 45, else 35.
func (s *simulation) alternatives(first kita.Hours) []int {
	if s.hoursR.IntN(100) >= 60 {
		return nil
	}
	switch first {
	case 25:
		return []int{35}
	case 35:
		if s.hoursR.IntN(10) < 7 {
			return []int{45}
		}
		return []int{25}
	}
	return []int{35}
}

// countHours counts the children placed at Kitas with pools, by whether
// they got their first hours wish or a later one, and those whose place
// is free only from a later month.
func countHours(sum *summary, a registration.Application) {
	o := a.Offer()
	if o == nil || o.Hours == 0 {
		return
	}
	switch a.Status() {
	case registration.Offered, registration.Accepted, registration.Contracted:
	default:
		return
	}
	sum.poolPlaced++
	if o.Hours == a.Hours {
		sum.hoursFirst++
	} else {
		sum.hoursLater++
	}
	if o.From > "2027-08" {
		sum.laterPlaced++
	}
}
