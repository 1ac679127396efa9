package kita

import (
	"slices"
	"time"

	"github.com/kitaportal/kitaportal/problem"
)

// Edits are the parts of a Kita its carrier maintains while the portal
// runs: the public profile, the closure for registrations and the free
// places last reported. A store persists them (one record per Kita, with a
// version for optimistic concurrency), so that a restarted or second
// instance of the portal applies them to its catalogue again.
type Edits struct {
	KitaID       string        `json:"kita_id"`
	Profile      PublicProfile `json:"profile"`
	Closed       bool          `json:"closed,omitempty"`
	FreePlaces   Capacity      `json:"free_places"`
	FreePlacesAt time.Time     `json:"free_places_at,omitzero"`
	// Pools, when not nil, replace the Kita's pools of places (an empty
	// list removes them); nil keeps the catalogue's.
	Pools []Pool `json:"pools,omitzero"`
	// Version is the stored version (0: never stored).
	Version int64 `json:"version"`
}

// EditsOf returns the editable parts of k, version 0.
func EditsOf(k Kita) Edits {
	p := k.Profile
	p.Languages = slices.Clone(p.Languages)
	free := k.FreePlaces
	free.Groups = nil
	return Edits{KitaID: k.ID, Profile: p, Closed: k.Closed, FreePlaces: free, FreePlacesAt: k.FreePlacesAt}
}

// WithEdits returns k with e applied, after checking e against k like
// [Catalogue.UpdateProfile] and [Catalogue.ReportFreePlaces] do; problems
// come back as a [problem.List] and k is returned unchanged.
func (k Kita) WithEdits(e Edits) (Kita, error) {
	var pc problem.Collector
	checkProfile(&pc, e.Profile, k.Capacity)
	checkFree(&pc, "free_places", e.FreePlaces, k.Capacity)
	if e.Pools != nil {
		checkPools(&pc, e.Pools, k.Hours, k.Capacity)
	}
	if err := pc.Err(); err != nil {
		return k, err
	}
	k = k.clone()
	k.Profile = e.Profile
	k.Profile.Languages = slices.Clone(e.Profile.Languages)
	k.Closed = e.Closed
	k.FreePlaces = e.FreePlaces
	k.FreePlaces.Groups = nil
	if e.Pools != nil {
		k.Pools = slices.Clone(e.Pools)
	}
	k.FreePlacesAt = e.FreePlacesAt.UTC()
	if e.FreePlacesAt.IsZero() {
		k.FreePlacesAt = time.Time{}
	}
	return k, nil
}

// ReportFree records free places reported at instant at into e: the rule
// of [Catalogue.ReportFreePlaces] (at set; a report older than the one held
// gives [ErrStaleReport]).
func (e *Edits) ReportFree(free Capacity, at time.Time) error {
	if at.IsZero() {
		var pc problem.Collector
		pc.Add("at", CodeReportTimeMissing, ErrMissing)
		return pc.Err()
	}
	if at.Before(e.FreePlacesAt) {
		return ErrStaleReport
	}
	free.Groups = nil
	e.FreePlaces = free
	e.FreePlacesAt = at.UTC()
	return nil
}

// Apply applies stored edits to the catalogue's Kita (checked like
// [Kita.WithEdits]). Unknown ids give [ErrNotFound].
func (c *Catalogue) Apply(e Edits) error {
	return c.update(e.KitaID, func(k Kita) (Kita, error) { return k.WithEdits(e) })
}
