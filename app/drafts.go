package app

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/problem"
)

// Draft is a dry run of an allocation round: what the engine decided,
// kept until it is published ([Registrations.Publish]) or superseded by a
// newer dry run of the same round. It holds ids and the engine's scored
// facts only, never names (the instance is registration's, see
// registration.Checker.Instance); erasing a family removes its
// applications from every stored draft ([Drafts.EraseFromDrafts]).
type Draft struct {
	// ID identifies the draft (the App's ids).
	ID string
	// Year is the Kita year's label ("2027/2028"); Round its number in
	// the year (1: the main round).
	Year  string
	Round int
	// Number counts the dry runs of the round: 1, 2, ...; the highest is
	// the newest, the only one that may be published.
	Number int
	// Mechanism and IncludeLate are the round's options; the policy is
	// Instance.Policy.
	Mechanism   allocation.Mechanism
	IncludeLate bool
	// Seed is the lottery's seed the result was drawn with.
	Seed uint64
	// Instance is the engine's input; Result its output.
	Instance allocation.Instance
	Result   allocation.Result
	// Baseline is the id of the draft Changes compare against: the
	// previous dry run of the same round or, without one, the last
	// published round of the year; "" for none (every placed child is a
	// change then).
	Baseline string
	// Changes are the children whose outcome differs from Baseline's.
	Changes []DraftChange
	// CreatedAt and CreatedBy record the dry run (the actor as "role:id").
	CreatedAt time.Time
	CreatedBy string
	// Published is nil until the draft's offers are written.
	Published *Publication
}

// DraftChange is one child whose outcome differs from the baseline, with
// its positions in this draft: "rank 41 at Kita A, last admitted rank 30".
type DraftChange struct {
	// ApplicationID is the child's application; FamilyID its family.
	ApplicationID string
	FamilyID      string
	// Before and After are the Kita ids of the baseline and of this draft
	// ("" for no place).
	Before string
	After  string
	// Positions are the child's rank and the last admitted rank on each
	// Kita's list it chose, in this draft (none when the child is no
	// longer part of the round: withdrawn or placed meanwhile).
	Positions []allocation.Position
}

// Publication is how a draft's offers were written.
type Publication struct {
	// At and By record the publication (the actor as "role:id").
	At time.Time
	By string
	// Offers counts offers written; Skipped those whose application
	// changed after the dry run (withdrawn, say).
	Offers  int
	Skipped int
}

// DraftQuery selects the newest draft of a Kita year.
type DraftQuery struct {
	// Year is required.
	Year string
	// Round, when positive, keeps the drafts of that round only.
	Round int
	// Published keeps published drafts only.
	Published bool
}

// Drafts persists [Draft]s, inside a step ([Tx.Drafts]). A draft is
// written whole at the dry run (and by an erasure); its publication is
// recorded apart, as a draft is large (a Bochum year: some MB) and its
// publication small. The steps that write them are ordered by the
// round's markers; an adapter stores and returns drafts unchanged (deep
// copies).
type Drafts interface {
	// PutDraft stores d under d.ID, replacing a draft of that id.
	PutDraft(ctx context.Context, d Draft) error
	// PublishDraft records the publication of the draft id; ErrNoDraft
	// when none has that id.
	PublishDraft(ctx context.Context, id string, p Publication) error
	// Draft returns the draft of that id; ErrNoDraft when none.
	Draft(ctx context.Context, id string) (Draft, error)
	// NewestDraft returns the newest draft q selects: the highest round,
	// then the highest Number; ErrNoDraft when none.
	NewestDraft(ctx context.Context, q DraftQuery) (Draft, error)
	// NewestDraftID is NewestDraft's id alone, without reading the draft.
	NewestDraftID(ctx context.Context, q DraftQuery) (string, error)
	// EraseFromDrafts removes the applications from every stored draft
	// ([Draft.Without]) and returns how many drafts changed.
	EraseFromDrafts(ctx context.Context, applicationIDs ...string) (int, error)
}

// DraftChecker is an optional capability of a step's [Drafts]: telling
// whether a stored draft is still the one a dry run made, without reading
// it back (a Bochum year's draft is some MB). A round run at once
// ([Registrations.RunRound]) publishes the draft its dry run holds.
type DraftChecker interface {
	// StillDraft reports whether the draft stored under d.ID is d: the
	// same year, round and number and the same applications (an erasure
	// removes some, [Drafts.EraseFromDrafts]); published is its
	// publication, nil before. ErrNoDraft when none has that id.
	StillDraft(ctx context.Context, d Draft) (same bool, published *Publication, err error)
}

// Errors of drafts and their publication.
var (
	// ErrNoDraft: no draft of that id (or none of the round) is stored.
	ErrNoDraft = problem.NewSentinel(problem.NotFound, "app.no_draft", "app: no such round draft")
	// ErrDraftSuperseded: a newer dry run of the round exists; only the
	// newest may be published.
	ErrDraftSuperseded = problem.NewSentinel(problem.Conflict, "app.draft_superseded", "app: a newer dry run of the round exists")
	// ErrPublishedElsewhere: the round is published already, from
	// another draft.
	ErrPublishedElsewhere = problem.NewSentinel(problem.Conflict, "app.round_published_elsewhere", "app: round published from another draft")
	// ErrNoRound: no published round holds the application, so it has no
	// position on any list yet.
	ErrNoRound = problem.NewSentinel(problem.WrongState, "app.no_round", "app: no published round holds the application")
)

// AuditDryRun is the audit action of a dry run (its reason names the
// round, as "round_1").
const AuditDryRun = "dry_run"

// roundMessages are the German and English texts of the draft codes.
var roundMessages = problem.Catalog{
	"de": {
		ErrNoDraft.Code():            "Dieser Probelauf ist nicht gespeichert.",
		ErrDraftSuperseded.Code():    "Für diese Vergaberunde gibt es einen neueren Probelauf; nur der neueste kann veröffentlicht werden.",
		ErrPublishedElsewhere.Code(): "Diese Vergaberunde ist bereits aus einem anderen Probelauf veröffentlicht.",
		ErrNoRound.Code():            "Für diese Anmeldung ist noch keine Vergaberunde veröffentlicht; eine Platzierung auf den Listen gibt es noch nicht.",
	},
	"en": {
		ErrNoDraft.Code():            "This dry run is not stored.",
		ErrDraftSuperseded.Code():    "There is a newer dry run of this round; only the newest can be published.",
		ErrPublishedElsewhere.Code(): "This round is published already, from another dry run.",
		ErrNoRound.Code():            "No allocation round holding this application is published yet; it has no position on the lists.",
	},
}

// Without returns d without the applications of ids: gone from the
// instance (applicants, families, fixed places), the result (placements,
// priorities, cut-off applicants, explanations, pools) and the changes.
// It reports whether anything was removed; d itself is not changed.
func (d Draft) Without(ids map[string]bool) (Draft, bool) {
	in := func(id string) bool { return ids[id] }
	found := slices.ContainsFunc(d.Instance.Applicants, func(a allocation.Applicant) bool { return in(a.ID) }) ||
		slices.ContainsFunc(d.Changes, func(c DraftChange) bool { return in(c.ApplicationID) })
	for id := range d.Result.Placements {
		found = found || in(id)
	}
	if !found {
		return d, false
	}
	d = d.Clone()
	d.Instance.Applicants = slices.DeleteFunc(d.Instance.Applicants, func(a allocation.Applicant) bool { return in(a.ID) })
	for i := range d.Instance.Families {
		d.Instance.Families[i].Children = slices.DeleteFunc(d.Instance.Families[i].Children, in)
	}
	d.Instance.Families = slices.DeleteFunc(d.Instance.Families, func(f allocation.Family) bool { return len(f.Children) == 0 })
	maps.DeleteFunc(d.Instance.Fixed, func(id, _ string) bool { return in(id) })
	for i := range d.Instance.Facilities {
		d.Instance.Facilities[i].Priority = slices.DeleteFunc(d.Instance.Facilities[i].Priority, in)
	}
	r := &d.Result
	maps.DeleteFunc(r.Placements, func(id, _ string) bool { return in(id) })
	maps.DeleteFunc(r.Pools, func(id string, _ int) bool { return in(id) })
	for k, order := range r.Priorities {
		r.Priorities[k] = slices.DeleteFunc(order, in)
	}
	for _, cs := range r.Cutoffs {
		for i := range cs {
			if in(cs[i].Applicant) {
				cs[i].Applicant = ""
			}
		}
	}
	for k, xs := range r.Explanations {
		r.Explanations[k] = slices.DeleteFunc(xs, func(x allocation.Explanation) bool { return in(x.Applicant) })
	}
	if r.Unstable != nil {
		r.Unstable.Applicants = slices.DeleteFunc(r.Unstable.Applicants, in)
	}
	if d.Changes = slices.DeleteFunc(d.Changes, func(c DraftChange) bool { return in(c.ApplicationID) }); len(d.Changes) == 0 {
		d.Changes = nil // as a draft without changes is stored
	}
	return d, true
}

// Clone returns a deep copy of d, for adapters that keep values in memory.
func (d Draft) Clone() Draft {
	inst := &d.Instance
	inst.Applicants = slices.Clone(inst.Applicants)
	for i := range inst.Applicants {
		a := &inst.Applicants[i]
		a.Choices = slices.Clone(a.Choices)
		a.Siblings = slices.Clone(a.Siblings)
		a.ChoiceHours = slices.Clone(a.ChoiceHours)
		for j := range a.ChoiceHours {
			a.ChoiceHours[j] = slices.Clone(a.ChoiceHours[j])
		}
	}
	inst.Facilities = slices.Clone(inst.Facilities)
	for i := range inst.Facilities {
		f := &inst.Facilities[i]
		f.CapacityByBand = maps.Clone(f.CapacityByBand)
		f.Priority = slices.Clone(f.Priority)
		f.Pools = slices.Clone(f.Pools)
	}
	inst.Policy.Criteria = slices.Clone(inst.Policy.Criteria)
	inst.Fixed = maps.Clone(inst.Fixed)
	inst.Families = slices.Clone(inst.Families)
	for i := range inst.Families {
		inst.Families[i].Children = slices.Clone(inst.Families[i].Children)
	}
	r := &d.Result
	r.Placements = maps.Clone(r.Placements)
	r.Pools = maps.Clone(r.Pools)
	r.Priorities = cloneValues(r.Priorities, slices.Clone)
	r.Cutoffs = cloneValues(r.Cutoffs, slices.Clone)
	r.Explanations = cloneValues(r.Explanations, func(xs []allocation.Explanation) []allocation.Explanation {
		xs = slices.Clone(xs)
		for i := range xs {
			xs[i].Tiers = slices.Clone(xs[i].Tiers)
			xs[i].Points = slices.Clone(xs[i].Points)
		}
		return xs
	})
	r.Statistics.ByChoice = slices.Clone(r.Statistics.ByChoice)
	if r.Unstable != nil {
		u := allocation.Instability{Families: slices.Clone(r.Unstable.Families), Applicants: slices.Clone(r.Unstable.Applicants)}
		r.Unstable = &u
	}
	d.Changes = slices.Clone(d.Changes)
	for i := range d.Changes {
		d.Changes[i].Positions = slices.Clone(d.Changes[i].Positions)
	}
	if d.Published != nil {
		p := *d.Published
		d.Published = &p
	}
	return d
}

// cloneValues copies m with every value copied by clone.
func cloneValues[K comparable, V any](m map[K]V, clone func(V) V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = clone(v)
	}
	return out
}
