package registration

import (
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/kita"
)

// poolFacility is the engine's Kita with pools: each of the catalogue's
// pools of k with the ledger's free places of it (free, by PlaceKey
// without the year; none known: 0), in the Kita's order of pools.
func poolFacility(k kita.Kita, free map[PlaceKey]int) allocation.Facility {
	f := allocation.Facility{ID: k.ID, District: k.District, Pools: make([]allocation.Pool, len(k.Pools))}
	for i, p := range k.Pools {
		n := free[poolKey(k.ID, "", p)]
		f.Pools[i] = allocation.Pool{Band: toEngineBand(p.Band), Hours: int(p.Hours), From: p.From, Capacity: n}
		f.Capacity += n
	}
	return f
}

// choiceHours are the engine's hours of a's choices (aligned with
// choices): at a Kita with pools the family's ranked hours that the
// Kita's pools of the child's band offer (none: any of them), at one
// without pools none. It reports whether any choice is at a Kita with
// pools.
func (s *Checker) choiceHours(a Application, choices []string) ([][]int, bool) {
	var out [][]int
	pooled := false
	for j, id := range choices {
		k, ok := s.catalogue.Get(id)
		if !ok || len(k.Pools) == 0 {
			continue
		}
		pooled = true
		hs := fromHours(a.HoursAt(k))
		if len(hs) == 0 {
			continue
		}
		if out == nil {
			out = make([][]int, len(choices))
		}
		out[j] = hs
	}
	return out, pooled
}

// OfferedPools returns, for each applicant a round placed in a pool of a
// Kita with pools in the catalogue (Result.Pools), the Kita's pool as the
// catalogue names it: band, care hours and month. Offers of a round carry
// it ([Application.MakePoolOffer]); a Kita without pools in the catalogue
// offers band places.
func (s *Checker) OfferedPools(inst allocation.Instance, res allocation.Result) map[string]kita.Pool {
	if len(res.Pools) == 0 {
		return nil
	}
	facs := make(map[string]*allocation.Facility, len(inst.Facilities))
	for i := range inst.Facilities {
		facs[inst.Facilities[i].ID] = &inst.Facilities[i]
	}
	out := make(map[string]kita.Pool, len(res.Pools))
	for id, q := range res.Pools {
		f := facs[res.Placements[id]]
		if f == nil || q < 0 || q >= len(f.Pools) {
			continue
		}
		if k, ok := s.catalogue.Get(f.ID); !ok || len(k.Pools) == 0 {
			continue
		}
		p := f.Pools[q]
		out[id] = kita.Pool{Band: fromEngineBand(p.Band), Hours: kita.Hours(p.Hours), From: p.From, Capacity: 1}
	}
	return out
}

// fromEngineBand maps the engine's band to the kita band.
func fromEngineBand(b allocation.Band) kita.Band {
	if b == allocation.BandU3 {
		return kita.Under3
	}
	return kita.From3
}
