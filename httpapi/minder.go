package httpapi

import (
	"time"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Minder is a child-minder (Tagespflegeperson) as the API answers it and
// as the Fachberatung registers it. The profile (name to hours) is what the
// Fachberatung enters; placements, timestamps and version are the
// portal's record of the minder's lifecycle: read-only, ignored in a
// request, except that a new minder must not bring placements.
type Minder struct {
	ID       string              `json:"id" doc:"The minder's id (generated when empty)."`
	Name     string              `json:"name" doc:"The minder's name as the Fachberatung shows it."`
	District string              `json:"district" doc:"The Stadtbezirk the minder works in."`
	Contact  tagespflege.Contact `json:"contact"`
	Address  geo.Address         `json:"address"`
	Licence  tagespflege.Licence `json:"licence" doc:"The Pflegeerlaubnis (§ 43 SGB VIII), at most five years."`
	Capacity int                 `json:"capacity" doc:"How many children the licence allows at once (1 to 5)."`
	// MaxContracts and ExtendedContracts are the licence's weekly contracts.
	MaxContracts      int                     `json:"max_contracts" doc:"Care contracts a week the licence allows (up to 8, or 10 when extended)."`
	ExtendedContracts bool                    `json:"extended_contracts,omitempty" doc:"The Jugendamt allowed up to 10 contracts a week."`
	GroupID           string                  `json:"group_id,omitempty" doc:"The Großtagespflege the minder belongs to."`
	Ages              tagespflege.AgeRange    `json:"ages"`
	Hours             []kita.Hours            `json:"hours" doc:"Weekly care hours the minder offers per child."`
	Placements        []tagespflege.Placement `json:"placements,omitempty" readOnly:"true" doc:"The children placed with the minder (read-only)."`
	CreatedAt         time.Time               `json:"created_at" readOnly:"true"`
	UpdatedAt         time.Time               `json:"updated_at" readOnly:"true"`
	Version           int64                   `json:"version" readOnly:"true" doc:"Counts the stored writes (read-only)."`
}

// minderOf is the API's view of m.
func minderOf(m tagespflege.Minder) Minder {
	s := m.State()
	return Minder{
		ID: m.ID, Name: m.Name, District: m.District, Contact: m.Contact, Address: m.Address, Licence: m.Licence,
		Capacity: m.Capacity, MaxContracts: m.MaxContracts, ExtendedContracts: m.ExtendedContracts, GroupID: m.GroupID,
		Ages: m.Ages, Hours: m.Hours, Placements: s.Placements, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Version,
	}
}

// profile is the minder the request registers: its profile only.
func (m Minder) profile() tagespflege.Minder {
	return tagespflege.Minder{
		ID: m.ID, Name: m.Name, District: m.District, Contact: m.Contact, Address: m.Address, Licence: m.Licence,
		Capacity: m.Capacity, MaxContracts: m.MaxContracts, ExtendedContracts: m.ExtendedContracts, GroupID: m.GroupID,
		Ages: m.Ages, Hours: m.Hours,
	}
}

// mapSlice maps every element of in through f into a new, never nil, slice.
func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}
