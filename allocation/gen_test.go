package allocation

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// genSpec sizes a generated instance.
type genSpec struct {
	applicants, facilities, choices int
	capacity                        int  // total places, spread over facilities
	bands                           bool // give about half the facilities band quotas
	explicit                        bool // random explicit priority orders instead of a policy
}

// generate builds an instance deterministically from seed: popular Kitas
// are chosen more often, attributes are random, the policy mixes tiers and
// points.
func generate(spec genSpec, seed uint64) Instance {
	rng := rand.New(rand.NewPCG(seed, 0x6b697461))
	inst := Instance{
		Applicants: make([]Applicant, spec.applicants),
		Facilities: make([]Facility, spec.facilities),
		Policy: Policy{
			Criteria: []Criterion{
				{Kind: KindHardship, Mode: ModeTier},
				{Kind: KindSibling, Mode: ModePoints, Points: 40},
				{Kind: KindWorkingParents, Mode: ModePoints, Points: 20},
				{Kind: KindSingleParent, Mode: ModePoints, Points: 15},
				{Kind: KindDistrict, Mode: ModePoints, Points: 10},
				{Kind: KindResident, Mode: ModePoints, Points: 30},
				{Kind: KindAge, Mode: ModeTier},
			},
			Lottery: LotteryPerChild,
			Seed:    seed,
		},
	}
	if seed%2 == 1 {
		inst.Policy.Lottery = LotteryPerFacility
	}
	districts := []string{"Mitte", "Nord", "Ost", "Süd", "West", "Wattenscheid"}
	left := spec.capacity
	for f := range inst.Facilities {
		n := spec.capacity / spec.facilities
		if f < spec.capacity%spec.facilities {
			n++
		}
		n = max(0, min(n, left))
		left -= n
		fac := Facility{ID: "k" + strconv.Itoa(f), District: districts[f%len(districts)], Capacity: n}
		if spec.bands && f%2 == 0 {
			u3 := rng.IntN(n + 1)
			fac.CapacityByBand = map[Band]int{BandU3: u3, BandO3: n - u3}
		}
		inst.Facilities[f] = fac
	}
	base := time.Date(2025, 1, 10, 8, 0, 0, 0, time.UTC)
	for a := range inst.Applicants {
		ap := Applicant{
			ID:             "c" + strconv.Itoa(a),
			Band:           Bands[rng.IntN(2)],
			WorkingParents: rng.IntN(2) == 0,
			SingleParent:   rng.IntN(6) == 0,
			Hardship:       rng.IntN(20) == 0,
			Resident:       rng.IntN(10) != 0,
			District:       districts[rng.IntN(len(districts))],
			BirthDate:      time.Date(2021+rng.IntN(4), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
			RegisteredAt:   base.Add(time.Duration(rng.IntN(90*24*3600)) * time.Second),
		}
		k := min(spec.choices, spec.facilities)
		if spec.choices <= 3 {
			k = rng.IntN(k + 1)
		}
		seen := make(map[int]bool, k)
		for len(ap.Choices) < k {
			// Popularity skew: squaring favours low facility numbers.
			x := rng.Float64()
			f := int(x * x * float64(spec.facilities))
			if seen[f] {
				f = rng.IntN(spec.facilities)
				if seen[f] {
					continue
				}
			}
			seen[f] = true
			ap.Choices = append(ap.Choices, inst.Facilities[f].ID)
		}
		if rng.IntN(8) == 0 {
			ap.Siblings = []string{inst.Facilities[rng.IntN(spec.facilities)].ID}
		}
		inst.Applicants[a] = ap
	}
	if spec.explicit {
		for f := range inst.Facilities {
			order := make([]string, len(inst.Applicants))
			for i, p := range rng.Perm(len(inst.Applicants)) {
				order[i] = inst.Applicants[p].ID
			}
			inst.Facilities[f].Priority = order
		}
	}
	return inst
}
