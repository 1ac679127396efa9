package registration

import (
	"fmt"
	"slices"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

// RoundOptions configure an allocation round over the stored applications.
type RoundOptions struct {
	// Round numbers the round within the Kita year (1: the main round in spring).
	Round int
	// Mechanism is the allocation algorithm (deferred acceptance by default).
	Mechanism allocation.Mechanism
	// Policy is the city's priority policy (its Seed makes the lottery reproducible).
	Policy allocation.Policy
	// IncludeLate admits applications submitted after the deadline; the
	// main round leaves them to later rounds (the waiting list).
	IncludeLate bool
}

// ErrRoundPublished: the round of that Kita year and number is published
// already; a round is published once (run the next number for a later round).
var ErrRoundPublished = problem.NewSentinel(problem.WrongState, "registration.round_published", "registration: round published already")

// AuditRound is the audit action of a published round (one entry per
// round; each offer has its own change entry).
const AuditRound = "round"

// RoundReport is what a round did.
type RoundReport struct {
	Year  string
	Round int
	// Result is the engine's result with priorities and cut-offs.
	Result allocation.Result
	// Instance is the engine's input (ids only, no names), for verification.
	Instance allocation.Instance
	// Offers counts offers written; Skipped those not written because the
	// application changed meanwhile (withdrawn, say).
	Offers  int
	Skipped int
}

// toEngineBand maps the kita band to the engine's band.
func toEngineBand(b kita.Band) allocation.Band {
	if b == kita.Under3 {
		return allocation.BandU3
	}
	return allocation.BandO3
}

// RoundStatuses are the statuses of the applications a round reads:
// those waiting, and those that accepted a place and keep waiting for
// better choices (an upgrade; [Application.Waiting]). An application with
// an open offer takes part in no round: one open offer per child.
var RoundStatuses = []Status{Confirmed, Declined, Accepted}

// Instance builds the allocation engine's input from the open applications
// of a Kita year (read with [RoundStatuses]) and the ledger's places. It
// carries ids and the scored facts only, never names. Only free places
// are offered: a place taken by an open offer or an accepted place stays
// taken. An application that accepted a place and keeps waiting takes
// part with the choices ranked above it only. The children of one family
// in the round are a family of the engine: those asking to be kept
// together (Input.Together) a together-family, the others siblings (see
// [Application.Together]). A Kita with pools in the catalogue (kita.Pool)
// is given with its pools and the ledger's free places of each; a child
// choosing it names the hours of the family's ranking that the Kita's
// pools of its band offer (none: any) and its start month, in format v2;
// the other Kitas of the round keep their places by band.
func (s *Checker) Instance(apps []Application, places []Places, opts RoundOptions) allocation.Instance {
	inst := allocation.Instance{Policy: opts.Policy}
	free := map[string]map[allocation.Band]int{}
	poolFree := map[PlaceKey]int{}
	for _, p := range places {
		if p.Hours != 0 || p.From != "" {
			k := p.PlaceKey
			k.Year = "" // the ledger holds one Kita year
			poolFree[k] = p.Free()
			continue
		}
		if free[p.KitaID] == nil {
			free[p.KitaID] = map[allocation.Band]int{allocation.BandU3: 0, allocation.BandO3: 0}
		}
		free[p.KitaID][toEngineBand(p.Band)] += p.Free()
	}
	chosen := map[string]bool{}
	inst.Applicants = make([]allocation.Applicant, 0, len(apps))
	in := make([]member, 0, len(apps))
	for _, a := range apps {
		if a.HasFlag(FlagLate) && !opts.IncludeLate || !a.status.Open() && !a.Waiting() {
			continue
		}
		choices := a.OpenChoices()
		if len(choices) == 0 {
			continue
		}
		working := len(a.Guardians) > 0
		for _, g := range a.Guardians {
			working = working && g.Working
		}
		hours, pooled := s.choiceHours(a, choices)
		start := ""
		if pooled {
			start, inst.Format = Month(a.Start), allocation.FormatV2 // pools, hours and start months are fields of version 2
		}
		inst.Applicants = append(inst.Applicants, allocation.Applicant{
			ID:             a.ID,
			Choices:        choices,
			ChoiceHours:    hours,
			Start:          start,
			Band:           toEngineBand(bandOf(a)),
			WorkingParents: working,
			SingleParent:   a.Criteria.SingleParent,
			Hardship:       a.Criteria.Hardship,
			BirthDate:      a.Child.BirthDate.String(),
			RegisteredAt:   a.SubmittedAt,
			District:       a.District,
			Resident:       !a.HasFlag(FlagNonResident),
			Siblings:       siblingsAmong(a.Criteria.SiblingKitaIDs, choices),
		})
		for _, c := range choices {
			chosen[c] = true
		}
		if a.FamilyID != "" {
			in = append(in, member{id: a.ID, family: a.FamilyID, together: a.Together, open: choices, hours: hours})
		}
	}
	if inst.Families = familiesOf(in); len(inst.Families) > 0 {
		inst.Format = allocation.FormatV2 // families are a field of version 2
	}
	ids := make([]string, 0, len(chosen))
	for id := range chosen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		k, _ := s.catalogue.Get(id)
		if len(k.Pools) > 0 {
			inst.Facilities = append(inst.Facilities, poolFacility(k, poolFree))
			continue
		}
		byBand := free[id]
		if byBand == nil {
			byBand = map[allocation.Band]int{allocation.BandU3: 0, allocation.BandO3: 0}
		}
		inst.Facilities = append(inst.Facilities, allocation.Facility{
			ID: id, District: k.District,
			Capacity:       byBand[allocation.BandU3] + byBand[allocation.BandO3],
			CapacityByBand: byBand,
		})
	}
	return inst
}

// Allocate runs the engine over the instance with the round's mechanism
// (deferred acceptance when unset); an instance without applicants places
// no one.
func Allocate(inst allocation.Instance, m allocation.Mechanism) (allocation.Result, error) {
	if m == 0 {
		m = allocation.DeferredAcceptance
	}
	if len(inst.Applicants) == 0 {
		return allocation.Result{Mechanism: m, Placements: map[string]string{}}, nil
	}
	return allocation.Run(inst, allocation.Options{Mechanism: m})
}

// RoundMarker is the name of the sequence that marks a round of a Kita
// year as published: drawing more than 1 from it means published already.
func RoundMarker(year string, round int) string {
	return fmt.Sprintf("round:%s:%d", year, round)
}

// PlacesOf are the ledger's capacities of a Kita year as the catalogue's
// Kitas give them: per age band, and at a Kita with pools (kita.Pool) per
// pool, its band's places then being 0 (places taken before the Kita had
// pools stay taken there until given back).
func PlacesOf(year string, kitas []kita.Kita) []Places {
	places := make([]Places, 0, 2*len(kitas))
	for _, k := range kitas {
		u3, o3 := k.Capacity.Under3, k.Capacity.From3
		if len(k.Pools) > 0 {
			u3, o3 = 0, 0
		}
		places = append(places,
			Places{PlaceKey: PlaceKey{KitaID: k.ID, Year: year, Band: kita.Under3}, Capacity: u3},
			Places{PlaceKey: PlaceKey{KitaID: k.ID, Year: year, Band: kita.From3}, Capacity: o3})
		for _, p := range k.Pools {
			places = append(places, Places{PlaceKey: poolKey(k.ID, year, p), Capacity: p.Capacity})
		}
	}
	return places
}

// poolKey names the places of a Kita's pool in the ledger.
func poolKey(kitaID, year string, p kita.Pool) PlaceKey {
	return PlaceKey{KitaID: kitaID, Year: year, Band: p.Band, Hours: p.Hours, From: p.From}
}

// siblingsAmong keeps the sibling Kitas that are still open choices (the
// engine knows only the Kitas of the round).
func siblingsAmong(siblings, open []string) []string {
	var out []string
	for _, k := range siblings {
		if slices.Contains(open, k) {
			out = append(out, k)
		}
	}
	return out
}
