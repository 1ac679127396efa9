package allocation

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/kitaportal/kitaportal/problem"
)

// ErrSynthetic: a size of a synthetic instance is out of range.
var ErrSynthetic = errors.New("allocation: synthetic instance size out of range")

// CodeSyntheticSize is the code of a size out of range.
const CodeSyntheticSize problem.Code = "allocation.synthetic_size"

// Synthetic sizes a generated instance, for test suites and analysts who
// need realistic inputs without personal data: a Bochum year is
// Synthetic{Applicants: 8861, Facilities: 190, Choices: 5, Capacity: 11435}.
type Synthetic struct {
	Applicants int `json:"applicants"`
	Facilities int `json:"facilities"`
	// Choices is how many Kitas each applicant ranks (fewer when there are
	// fewer Kitas; with 3 or fewer, a random number up to it).
	Choices int `json:"choices"`
	// Capacity is the total of places, spread evenly over the Kitas.
	Capacity int `json:"capacity"`
	// Bands gives about half the Kitas age-band quotas.
	Bands bool `json:"bands"`
	// Families is the per cent (0 to 100) of children in families placed
	// together (twins, and siblings with the same list); as many again are
	// in sibling families not placed together, whose younger child ranks
	// the elder's first choice first.
	Families int `json:"families"`
	// Hours splits every Kita's places into pools of 35, 45 and 25 weekly
	// hours, and every choice names one or two of its Kita's hours, in
	// order (format v2).
	Hours bool `json:"hours"`
	// Months lets a Kita's places become free in August, November or
	// February, and gives every child a start month (format v2).
	Months bool `json:"months"`
}

// MaxSynthetic bounds each size of a [Synthetic] instance.
const MaxSynthetic = 5_000_000

// Generate builds the instance deterministically from seed: popular Kitas
// are chosen more often, attributes are random, the policy mixes tiers and
// points (hardship and age tiers; sibling, working parents, single parent,
// district and residence points), with the lottery seeded by seed.
func (s Synthetic) Generate(seed uint64) (Instance, error) {
	var c problem.Collector
	for _, f := range []struct {
		name string
		v    int
		min  int
	}{{"applicants", s.Applicants, 1}, {"facilities", s.Facilities, 1}, {"choices", s.Choices, 1}, {"capacity", s.Capacity, 0}} {
		if f.v < f.min || f.v > MaxSynthetic {
			c.Add(f.name, CodeSyntheticSize, ErrSynthetic, "min", strconv.Itoa(f.min), "max", strconv.Itoa(MaxSynthetic))
		}
	}
	if s.Families < 0 || s.Families > 100 {
		c.Add("families", CodeSyntheticSize, ErrSynthetic, "min", "0", "max", "100")
	}
	if err := c.Err(); err != nil {
		return Instance{}, err
	}
	return generate(genSpec{applicants: s.Applicants, facilities: s.Facilities, choices: s.Choices, capacity: s.Capacity, bands: s.Bands, families: s.Families, hours: s.Hours, months: s.Months}, seed), nil
}

// genSpec sizes a generated instance.
type genSpec struct {
	applicants, facilities, choices int
	capacity                        int  // total places, spread over facilities
	bands                           bool // give about half the facilities band quotas
	explicit                        bool // random explicit priority orders instead of a policy
	families                        int  // per cent of children in together-families (as many in sibling families)
	hours, months                   bool // pools by hours and months, hours on every choice, start months
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
	if spec.hours || spec.months {
		genPools(&inst, spec.hours, spec.months, rng)
	}
	if spec.families > 0 {
		genFamilies(&inst, spec.families, rng)
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

// genFamilies groups neighbouring applicants into families: about pct per
// cent of the children into together-families of two (one in ten of
// three), with the first child's choices, and as many into sibling
// families not placed together, whose younger child ranks the elder's
// first choice first.
func genFamilies(inst *Instance, pct int, rng *rand.Rand) {
	apps := inst.Applicants
	for a := 0; a+1 < len(apps); {
		x := rng.IntN(200)
		size := 2
		if x%10 == 0 && a+2 < len(apps) {
			size = 3
		}
		switch {
		case x < pct: // together
			fam := Family{ID: "f" + strconv.Itoa(len(inst.Families)), Together: true}
			for i := a; i < a+size; i++ {
				if i > a {
					apps[i].Choices = apps[a].Choices
					apps[i].ChoiceHours = apps[a].ChoiceHours
					apps[i].Start = apps[a].Start
				}
				fam.Children = append(fam.Children, apps[i].ID)
			}
			inst.Families = append(inst.Families, fam)
			a += size
		case x < 2*pct: // siblings
			if len(apps[a].Choices) > 0 && !slices.Contains(apps[a+1].Choices, apps[a].Choices[0]) {
				apps[a+1].Choices = append([]string{apps[a].Choices[0]}, apps[a+1].Choices...)
				if len(apps[a+1].ChoiceHours) > 0 || len(apps[a].ChoiceHours) > 0 {
					var h []int
					if len(apps[a].ChoiceHours) > 0 {
						h = apps[a].ChoiceHours[0]
					}
					apps[a+1].ChoiceHours = append([][]int{h}, apps[a+1].ChoiceHours...)
				}
			}
			inst.Families = append(inst.Families, Family{ID: "f" + strconv.Itoa(len(inst.Families)),
				Children: []string{apps[a].ID, apps[a+1].ID}})
			a += 2
		default:
			a++
		}
	}
	if len(inst.Families) > 0 {
		inst.Format = FormatV2
	}
}

// genPools turns every Kita's places (and band quotas) into pools by weekly
// hours and the month they become free, weighted as cities report them
// (most places from August, most of 35 or 45 hours), and gives every
// choice one or two of its Kita's hours and every child a start month.
func genPools(inst *Instance, hours, months bool, rng *rand.Rand) {
	hs, hw := []int{45}, []int{1}
	if hours {
		hs, hw = []int{35, 45, 25}, []int{5, 4, 1}
	}
	ms, mw := []string{"2027-08"}, []int{1}
	if months {
		ms, mw = []string{"2027-08", "2027-11", "2028-02"}, []int{7, 2, 1}
	}
	pick := func(w []int) int {
		total := 0
		for _, x := range w {
			total += x
		}
		x := rng.IntN(total)
		for i, y := range w {
			if x < y {
				return i
			}
			x -= y
		}
		return 0
	}
	offered := make(map[string][]int, len(inst.Facilities))
	for f := range inst.Facilities {
		fac := &inst.Facilities[f]
		groups := []struct {
			band Band
			n    int
		}{{0, fac.Capacity}}
		if fac.CapacityByBand != nil {
			groups = groups[:0]
			for _, b := range Bands {
				groups = append(groups, struct {
					band Band
					n    int
				}{b, fac.CapacityByBand[b]})
			}
		}
		fac.CapacityByBand = nil
		fac.Pools = []Pool{}
		for _, g := range groups {
			count := make([]int, len(hs)*len(ms))
			for range g.n {
				count[pick(hw)*len(ms)+pick(mw)]++
			}
			for i, n := range count {
				if n > 0 {
					fac.Pools = append(fac.Pools, Pool{Band: g.band, Hours: hs[i/len(ms)], From: ms[i%len(ms)], Capacity: n})
					if !slices.Contains(offered[fac.ID], hs[i/len(ms)]) {
						offered[fac.ID] = append(offered[fac.ID], hs[i/len(ms)])
					}
				}
			}
		}
	}
	for a := range inst.Applicants {
		ap := &inst.Applicants[a]
		if months {
			ap.Start = ms[pick(mw)]
		}
		if !hours {
			continue
		}
		ap.ChoiceHours = make([][]int, len(ap.Choices))
		for j, id := range ap.Choices {
			off := offered[id]
			if len(off) == 0 {
				continue // a Kita without places: any hours
			}
			first := off[rng.IntN(len(off))]
			ap.ChoiceHours[j] = []int{first}
			if second := off[rng.IntN(len(off))]; second != first && rng.IntN(2) == 0 {
				ap.ChoiceHours[j] = append(ap.ChoiceHours[j], second)
			}
		}
	}
	inst.Format = FormatV2
}
