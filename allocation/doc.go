// Package allocation is kitaportal's engine for coordinated placement: it
// turns the ranked Kita choices of one allocation round into places, under
// a city's priority policy stated as data, and verifies results.
//
// It is a pure engine over plain inputs. It imports no other kitaportal
// package except problem (no registration, no store), so that test suites
// and other cities can use it alone; the round that reads Voranmeldungen,
// calls [Run] and writes offers lives on the registration side.
//
// # Glossary
//
//   - Kita (Kindertagesstätte): a day-care facility; [Facility].
//   - Träger: the carrier running a Kita (city, church, association).
//   - Jugendamt: the city's youth office; it runs the allocation and
//     confirms hardship cases.
//   - Voranmeldung: a family's pre-registration with up to five ranked
//     Kitas; here an [Applicant].
//   - Kindergartenjahr: the Kita year, in NRW from 1 August to 31 July; the
//     age band (u3: under three, o3: three and older) is taken at its start.
//   - Geschwisterkind: a child whose sibling already attends the Kita
//     ([KindSibling]), or, in a [Family], is placed there in the same
//     round.
//   - Zwillinge, Geschwister: twins, siblings; a [Family] of the round,
//     placed together (one Kita for all or none) or each on its own.
//   - Stichtag, Platzvergabe, Zusage: cut-off date, allocation, offer.
//   - Betreuungsumfang: weekly care hours (25, 35, 45); a [Pool] offers
//     places of one. Platzkontingent: such a share of a Kita's places.
//
// # Model
//
// An [Instance] lists applicants (ranked choices, age band, the attributes
// a policy scores), facilities (capacity, optional band quotas, optional
// explicit priority order), a [Policy] and fixed placements of earlier
// rounds. Every facility orders the applicants who chose it strictly:
// by the policy's tier criteria (lexicographically, in policy order), then
// the sum of its points criteria, then a seeded lottery number (lower
// first), then the applicant id. A facility with an explicit Priority uses
// that order instead. Options.Explain returns, per Kita and applicant, the
// tier values, points and lottery number behind each rank.
//
// Band quotas: a facility with CapacityByBand has one seat pool per band;
// a u3 child competes only for u3 seats, an o3 child only for o3 seats, and
// a free seat of the other band is no wasted seat. Without quotas there is
// one pool and any child takes any seat.
//
// Pools: a facility with Pools splits its places by band, weekly care
// hours and the month from which they are free. A choice may name the
// hours the family accepts there, best first (Applicant.ChoiceHours), and
// an applicant the month it needs the place from (Applicant.Start). A
// child's options are, Kita by Kita, the fitting pools in its hour order;
// [DeferredAcceptance] runs over the options, so a child prefers Kita A
// with 35 hours over Kita A with 45 hours over Kita B, and the result is
// stable per pool. Result.Pools names each child's pool. Together-families
// name the same hours and apply to one (Kita, hours) at a time, each child
// taking the first pool of those hours that fits it.
//
// Later rounds: applicants in Instance.Fixed keep the seat they accepted
// earlier, use up one place of their pool, take no part in the round and
// are never displaced; the round fills the remaining places among the
// others.
//
// Families: Instance.Families groups children of this round. A
// together-family's children share one ranked list (their choices must be
// equal) and are placed at the same Kita, each in a place of its own pool,
// or not at all. The other families' children are placed one by one, but
// a child placed at a Kita gives its siblings the sibling criterion there
// in the same round. [DeferredAcceptance] places families in the spirit of
// Roth and Peranson (1999): single applicants first, then the families;
// a family whose child is displaced withdraws all its children; scans for
// blocking applicants and families then let them propose again, until
// none blocks, until a scan finds the placements of an earlier scan again
// (a cycle, which would only repeat), or at most 64 times. Couples, and
// siblings who rank higher where the other is placed, can make a stable
// outcome impossible; the result then says so (Result.Unstable, naming the
// families involved, those that move in the cycle among them) and keeps
// every family together. Without families the engine is plain deferred
// acceptance. [Positions] shows a family its rank and the last admitted
// rank at each Kita it chose ([PositionsOf]: many families over one
// build of the instance, as a round's dry run explains its changes);
// [Diff] lists the applicants whose placement differs between two results.
//
// The mechanisms are child-proposing deferred acceptance ([DeferredAcceptance],
// stable, best for every family among stable matchings, strategy-proof for
// families), Kita-proposing deferred acceptance ([KitaProposing]) and
// immediate acceptance ([ImmediateAcceptance], the "Boston" mechanism, for
// comparison: it shows justified envy). Each facility's [Cutoff] per pool
// names the rank of the last admitted applicant, so a family can be told
// why it was not placed at a higher choice. [Verify] checks a result
// against its instance and returns typed [Violation]s naming the
// applicants and Kitas involved.
//
// # Compiled instances and outcomes
//
// [Run] is three steps that can be taken one by one: [Compile] validates an
// instance once, maps its ids to dense int32 indices (an open-addressing
// index over the ids' FNV-1a hashes, the same the lottery draws from,
// built in parts, one per processor; a string that shares its memory with
// a Kita id or a district, as the strings [Decode] interns do, is found by
// its address without hashing its bytes) and
// computes every Kita's priority order (one packed integer key per choice,
// written as the choices are grouped by Kita, then sorted per Kita by
// spreading the keys over about as many buckets as keys and sorting each
// bucket by insertion, linear for keys spread as lottery numbers are; each
// choice's rank is then written block by block of the choices, so that the
// writes stay in the cache; these steps split over the processors; a valid
// input's choices are checked and flattened, and each applicant's values
// that do not depend on the Kita computed, in parallel after the ids are
// indexed (the parallel steps cut their range into more pieces than
// processors, taken in turn, so that a processor held up by the garbage
// collector or by the host leaves its share to the others), and only an
// input with a problem goes through the loop that
// reports the problems in order). When deferred acceptance needs no more
// (no explicit orders, families or pools, and each packed key has room
// for its choice's index), Compile stops at each applicant's packed
// value; every choice's key is filled when first needed, by deferred
// acceptance on a spare processor while its first turns, in applicant
// order, use them; and the Kitas' orders and ranks are built when an
// outcome first needs them ([Outcome.Result], or [Outcome.WriteJSON] with
// explanations), each once, safely for concurrent callers; an outcome's
// statistics and cut-offs are then taken by keys (the rank of a pool's
// last admitted counted in one pass over the choices). Deferred acceptance then compares
// keys: per pool the admitted keys, in any order while places are left,
// then a 4-ary heap with the worst key on top and kept beside the pool;
// it keeps no state per applicant: its queue holds the choices to be
// proposed next (each applicant's first, then the one after each evicted
// choice, unless that was the applicant's last), each round of them taken
// in the order their keys lie in memory (the matching does not depend on
// the order of the proposals), and the choices left in the pools at the
// end are the placements; its scratch is carved from the per-applicant
// values the keys were made of.
// [Compiled.Allocate] runs a mechanism
// on flat arrays (choices, per-facility priority orders; per pool the
// admitted ranks as bits and the worst admitted rank, per Kita the
// applicant at each admitted rank, the applicants waiting to propose in a
// queue read a few places ahead, its scratch carved from the sort keys
// Compile no longer needs, or a heap of rank
// and applicant together when families' sibling boosts change ranks, with the
// worst rank of a full pool kept beside it; a
// repair scan after families are placed visits, at each pool whose
// holders changed, only the stretch of its priority order strictly between the
// lowest and the current worst admitted rank since the last scan; a child's
// pool options are read from each Kita's pools that fit its band, by hours,
// one word per pool, and each pool's options are put in priority order from
// one word per choice at its place in its Kita's order, on one processor
// while the first pass of the families' deferred acceptance runs on the
// other) without
// maps or allocations per proposal; [Outcome.Result] turns the outcome into a
// [Result] of maps keyed by id, while [Outcome.WriteJSON] writes the
// interchange format directly, compact, with priorities and explanations
// only when Options.Explain asks for them (a state's placements built in
// chunks on every processor, written in order). Every step is linear in the
// number of choices, except the per-Kita sort (n log n in the applicants
// of one Kita). `kitaportal allocate` takes the steps one by one, from
// [DecodeFile] to WriteJSON.
//
// [Synthetic] generates realistic instances without personal data (a
// Bochum year, all of North Rhine-Westphalia, optionally with twins and
// siblings) for test suites and benchmarks; `kitaportal simulate` writes
// them as files.
//
// # Error contract
//
// [Decode], [DecodeBuffered], [DecodeFile], [DecodeResult], [Validate], [Compile], [Compiled.Allocate],
// [Run], [Verify], [Positions] and [PositionsOf] return nil or a [problem.List]: every
// problem of the input at once (decoding stops at the first), each with a field path
// in JSON names and array indices ("applicants[3].choices[1]",
// "facilities[2].capacity_by_band.u3", "fixed[c17]"), a stable code such as
// "allocation.unknown_facility" and a rule sentinel ([ErrUnknownFacility],
// ...) for errors.Is. Families add "allocation.family_too_small",
// "family_member_twice", "family_member_fixed", "family_choices_differ"
// ([ErrFamily]) and "families_need_deferred_acceptance" ([ErrMechanism]);
// the format "allocation.invalid_format" and "allocation.needs_v2"
// ([ErrFormat]); pools "allocation.pools_and_quotas", "invalid_hours",
// "invalid_month", "duplicate_hours", "hours_not_offered",
// "fixed_with_pools" and
// "pools_need_deferred_acceptance". Texts in German and English come from [Messages].
// Error strings and parameters never contain input values other than ids in
// field paths. No input makes the package panic.
//
// # JSON interchange format
//
// An instance (see FORMAT.md for a complete example):
//
//	{
//	  "applicants": [{
//	    "id": "c1",                          // required, unique
//	    "choices": ["k1", "k7"],             // facility ids, best first
//	    "band": "u3",                        // "u3" | "o3"; required at Kitas with quotas
//	    "working_parents": true, "single_parent": false, "hardship": false,
//	    "birth_date": "2023-04-01",          // needed by the age criterion
//	    "registered_at": "2025-01-10T08:00:00Z", // needed by registration_date
//	    "district": "Mitte", "resident": true,
//	    "siblings": ["k7"],                  // Kitas a sibling attends
//	    "start": "2027-08"                   // v2, optional: needs the place from
//	  }],                                    // v2: a choice may be {"kita": "k1", "hours": [35, 45]}
//	  "facilities": [{
//	    "id": "k1", "district": "Mitte", "capacity": 20,
//	    "capacity_by_band": {"u3": 6, "o3": 14}, // optional, must add up to capacity
//	    "priority": ["c9", "c1"],                 // optional explicit order, best first
//	    "pools": [{"band": "u3", "hours": 35, "from": "2027-08", "capacity": 6}] // v2, instead of quotas
//	  }],
//	  "policy": {
//	    "criteria": [
//	      {"kind": "hardship", "mode": "tier"},
//	      {"kind": "sibling", "mode": "points", "points": 40}
//	    ],
//	    "lottery": "per_child",              // "per_child" | "per_facility"
//	    "seed": 2026
//	  },
//	  "fixed": {"c5": "k1"},                 // optional: earlier rounds' placements
//	  "format": "kitaportal.allocation/v2",  // optional; needed for families
//	  "meta": {"city": "Bochum"},            // optional, any object, ignored
//	  "families": [{"id": "f1", "children": ["c1", "c2"], "together": true}]
//	}
//
// Criterion kinds: working_parents, single_parent, hardship, resident,
// district (lives in the Kita's district), sibling (local: counts only at a
// Kita a sibling attends), age (older first) and registration_date (earlier
// first); the last two only as tiers. Field names match exactly; unknown
// fields, fields given twice, values of the wrong type and invalid UTF-8
// are rejected with their path; input is limited to [MaxInputSize].
// [Decode] streams and interns repeated strings (Kita ids, districts,
// birth dates), so a whole state's file is never held in memory.
// [DecodeBuffered] (input read whole) and [DecodeFile] (a file mapped
// into memory where the system allows, so that it takes no room on the
// heap) cut the applicants array at applicant boundaries and decode the
// parts on all cores with a scanner made for the format; the rest of the
// instance is decoded first, so that the scanners intern into a table
// seeded with the Kitas' ids and districts and the choices share memory
// with them as Decode's do. They return exactly Decode's instance, and
// any input the scanner does not take is decoded again by Decode, so
// their problems are Decode's to the byte offset.
//
// A result ([Outcome.WriteJSON] writes it on one line; priorities and
// explanations only with Options.Explain, [Result.MarshalJSON] always
// includes the priorities):
//
//	{
//	  "mechanism": "deferred-acceptance", "seed": 2026,
//	  "placements": {"c1": "k1", "c2": null},
//	  "priorities": {"k1": ["c9", "c1"]},
//	  "cutoffs": {"k1": [{"band": "u3", "capacity": 6, "admitted": 6, "rank": 8, "applicant": "c1"}]},
//	  "statistics": {"applicants": 2, "fixed": 0, "placed": 1, "unplaced": 1,
//	                 "first_choice": 1, "by_choice": [1, 0],
//	                 "families": 1, "together": 1}, // together-families, those placed
//	  "unstable": {"families": ["f1"], "applicants": ["c9"]}, // only when no stable outcome was reached
//	  "pools": {"c1": 0},                    // at Kitas with pools: the index of each child's pool
//	  "explanations": {"k1": [{"applicant": "c9", "rank": 1, "tiers": [...],
//	                   "points": [...], "total": 40, "lottery": 123}]}
//	}
package allocation
