package registration

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
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

// Instance builds the allocation engine's input from the open applications
// of a Kita year and the free places of the ledger. It carries ids and the
// scored facts only, never names.
func (s *Service) Instance(ctx context.Context, actor access.Actor, year string, opts RoundOptions) (allocation.Instance, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return allocation.Instance{}, err
	}
	apps, err := s.store.Applications(ctx, Query{Year: year, Statuses: []Status{Confirmed, Declined}})
	if err != nil {
		return allocation.Instance{}, err
	}
	places, err := s.store.Places(ctx, year)
	if err != nil {
		return allocation.Instance{}, err
	}
	inst := allocation.Instance{Policy: opts.Policy}
	free := map[string]map[allocation.Band]int{}
	for _, p := range places {
		if free[p.KitaID] == nil {
			free[p.KitaID] = map[allocation.Band]int{allocation.BandU3: 0, allocation.BandO3: 0}
		}
		free[p.KitaID][toEngineBand(p.Band)] += p.Free()
	}
	chosen := map[string]bool{}
	for _, a := range apps {
		if a.HasFlag(FlagLate) && !opts.IncludeLate {
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
		inst.Applicants = append(inst.Applicants, allocation.Applicant{
			ID:             a.ID,
			Choices:        choices,
			Band:           toEngineBand(bandOf(a)),
			WorkingParents: working,
			SingleParent:   a.Criteria.SingleParent,
			Hardship:       a.Criteria.Hardship,
			BirthDate:      a.Child.BirthDate.String(),
			RegisteredAt:   a.SubmittedAt,
			District:       a.District,
			Resident:       a.District != "",
			Siblings:       siblingsAmong(a.Criteria.SiblingKitaIDs, choices),
		})
		for _, c := range choices {
			chosen[c] = true
		}
	}
	ids := make([]string, 0, len(chosen))
	for id := range chosen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		k, _ := s.catalogue.Get(id)
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
	return inst, nil
}

// RunRound runs an allocation round for a Kita year: it reads the open
// applications and the free places, lets the engine place the children
// under the city's policy, and publishes the result in ONE atomic step:
// an offer on every placed application with its place and message, an
// audit entry per offer and one for the round. A crash leaves the round
// unwritten, never half written. The step holds a marker of the round
// (year and number), so the same round is published once: running it
// again returns [ErrRoundPublished]; after a failure it can simply run
// again. Applications that changed after the engine's snapshot (withdrawn,
// say) or whose place is gone are skipped and counted in Skipped; accepted
// places are never touched; a later round fills what declines freed.
func (s *Service) RunRound(ctx context.Context, actor access.Actor, year string, opts RoundOptions) (RoundReport, error) {
	if opts.Mechanism == 0 {
		opts.Mechanism = allocation.DeferredAcceptance
	}
	if opts.Round <= 0 {
		opts.Round = 1
	}
	inst, err := s.Instance(ctx, actor, year, opts)
	if err != nil {
		return RoundReport{}, err
	}
	rep := RoundReport{Year: year, Round: opts.Round, Instance: inst}
	res := allocation.Result{Mechanism: opts.Mechanism, Placements: map[string]string{}}
	if len(inst.Applicants) > 0 {
		if res, err = allocation.Run(inst, allocation.Options{Mechanism: opts.Mechanism}); err != nil {
			return RoundReport{}, err
		}
	}
	rep.Result = res
	type offer struct{ app, kita string }
	var offers []offer
	for _, a := range inst.Applicants {
		if k := res.Placements[a.ID]; k != "" {
			offers = append(offers, offer{a.ID, k})
		}
	}
	now := s.clock().UTC()
	who := actor.String()
	written := 0
	err = s.store.Atomic(ctx, func(tx Tx) error {
		written = 0
		n, err := tx.NextSequence(ctx, fmt.Sprintf("round:%s:%d", year, opts.Round))
		if err != nil {
			return err
		}
		if n > 1 {
			return ErrRoundPublished
		}
		apps, err := readBatch(ctx, tx, offers, func(o offer) string { return o.app })
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for _, o := range offers {
			a, ok := apps[o.app]
			if !ok {
				continue // erased or gone since the round read it
			}
			err = s.makeOffer(ctx, tx, &a, o.kita, opts.Round, now, who, true)
			if errors.Is(err, ErrTransition) || errors.Is(err, ErrNoPlace) {
				continue // changed since the round read it
			}
			if err != nil {
				return err
			}
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: who, Action: AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "offer_round"}); err != nil {
				return err
			}
			m, err := s.lifecycleMessages(a, notify.Offer, now)
			if err != nil {
				return err
			}
			msgs = append(msgs, m...)
			written++
		}
		if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: who, Action: AuditRound, Reason: fmt.Sprintf("round_%d", opts.Round)}); err != nil {
			return err
		}
		// One call for the round's messages: a store may send them at once.
		return tx.Enqueue(ctx, msgs...)
	})
	if err != nil {
		return rep, err
	}
	rep.Offers = written
	rep.Skipped = len(offers) - written
	return rep, nil
}

// ExpireYear ends every application of a Kita year that is still waiting or
// holds an unanswered offer: the year is over. Offered places are given back.
func (s *Service) ExpireYear(ctx context.Context, actor access.Actor, year string) (int, error) {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return 0, err
	}
	now := s.clock().UTC()
	n := 0
	err := s.store.Atomic(ctx, func(tx Tx) error {
		n = 0
		apps, err := tx.Applications(ctx, Query{Year: year, Statuses: []Status{Confirmed, Declined, Offered}})
		if err != nil {
			return err
		}
		for _, a := range apps {
			if err := s.end(ctx, tx, &a, Expired, now, actor.String(), "year_ended"); err != nil {
				return err
			}
			if err := tx.Update(ctx, a); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, AuditEntry{At: now, Actor: actor.String(), Action: AuditChange, ApplicationID: a.ID, FamilyID: a.FamilyID, Reason: "year_ended"}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// SyncPlaces sets the ledger's capacity of a Kita year from the catalogue's
// capacities, keeping what is taken.
func (s *Service) SyncPlaces(ctx context.Context, actor access.Actor, year string, kitas []kita.Kita) error {
	if err := access.Can(actor, access.RunAllocation, access.Subject{}); err != nil {
		return err
	}
	places := make([]Places, 0, 2*len(kitas))
	for _, k := range kitas {
		places = append(places,
			Places{PlaceKey: PlaceKey{KitaID: k.ID, Year: year, Band: kita.Under3}, Capacity: k.Capacity.Under3},
			Places{PlaceKey: PlaceKey{KitaID: k.ID, Year: year, Band: kita.From3}, Capacity: k.Capacity.From3})
	}
	return s.store.SetPlaces(ctx, places...)
}

// readBatch reads the applications of a batch, in one call where the store
// offers [BatchReader].
func readBatch[T any](ctx context.Context, tx Tx, batch []T, id func(T) string) (map[string]Application, error) {
	ids := make([]string, len(batch))
	for i, b := range batch {
		ids[i] = id(b)
	}
	out := make(map[string]Application, len(ids))
	if br, ok := tx.(BatchReader); ok {
		apps, err := br.ApplicationsByID(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			out[a.ID] = a
		}
		return out, nil
	}
	for _, id := range ids {
		a, err := tx.Application(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = a
	}
	return out, nil
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
