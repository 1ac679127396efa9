package postgres

import (
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// referralDoc is the stored document of a tagespflege.Referral in
// referrals.doc, pinned by testdata/referral.golden.json. Statuses and
// close reasons are stored as their numbers (tagespflege.ReferralStatus,
// tagespflege.CloseReason), as the first schema did.
type referralDoc struct {
	ID            string             `json:"id"`
	ApplicationID string             `json:"application_id"`
	FamilyID      string             `json:"family_id"`
	Reference     string             `json:"reference"`
	District      string             `json:"district"`
	MinderID      string             `json:"minder_id,omitempty"`
	Start         date.Date          `json:"start,omitempty"`
	CloseReason   int                `json:"close_reason,omitempty"`
	CreatedAt     time.Time          `json:"created_at"`
	UpdatedAt     time.Time          `json:"updated_at"`
	Status        int                `json:"status"`
	Version       int64              `json:"version"`
	History       []referralEventDoc `json:"history"`
}

type referralEventDoc struct {
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Status   int       `json:"status"`
	Note     string    `json:"note,omitempty"`
	MinderID string    `json:"minder_id,omitempty"`
	Reason   int       `json:"reason,omitempty"`
}

// toReferralDoc is the stored document of r.
func toReferralDoc(r tagespflege.Referral) referralDoc {
	s := r.State()
	return referralDoc{
		ID: r.ID, ApplicationID: r.ApplicationID, FamilyID: r.FamilyID, Reference: r.Reference,
		District: r.District, MinderID: s.MinderID, Start: s.Start, CloseReason: int(s.CloseReason),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Status: int(s.Status), Version: s.Version,
		History: mapSlice(s.History, func(e tagespflege.Event) referralEventDoc {
			return referralEventDoc{At: e.At, Actor: e.Actor, Status: int(e.Status), Note: e.Note, MinderID: e.MinderID, Reason: int(e.Reason)}
		}),
	}
}

// referral rehydrates the domain value through tagespflege.RehydrateReferral,
// at the stored version v.
func (d referralDoc) referral(v int64) tagespflege.Referral {
	r := tagespflege.Referral{
		ID: d.ID, ApplicationID: d.ApplicationID, FamilyID: d.FamilyID, Reference: d.Reference,
		District: d.District, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
	return tagespflege.RehydrateReferral(r, tagespflege.ReferralState{
		Status: tagespflege.ReferralStatus(d.Status), Version: v,
		MinderID: d.MinderID, Start: d.Start, CloseReason: tagespflege.CloseReason(d.CloseReason),
		History: mapSlice(d.History, func(e referralEventDoc) tagespflege.Event {
			return tagespflege.Event{At: e.At, Actor: e.Actor, Status: tagespflege.ReferralStatus(e.Status), Note: e.Note, MinderID: e.MinderID, Reason: tagespflege.CloseReason(e.Reason)}
		}),
	})
}

// minderDoc is the stored document of a tagespflege.Minder in minders.doc,
// pinned by testdata/minder.golden.json.
type minderDoc struct {
	ID                string         `json:"id"`
	Name              string         `json:"name"`
	District          string         `json:"district"`
	Contact           contactDoc     `json:"contact"`
	Address           addressDoc     `json:"address"`
	Licence           licenceDoc     `json:"licence"`
	Capacity          int            `json:"capacity"`
	MaxContracts      int            `json:"max_contracts"`
	ExtendedContracts bool           `json:"extended_contracts,omitempty"`
	GroupID           string         `json:"group_id,omitempty"`
	Ages              ageRangeDoc    `json:"ages"`
	Hours             []kita.Hours   `json:"hours"`
	Placements        []placementDoc `json:"placements,omitempty"`
	CreatedAt         time.Time      `json:"created_at"`
	UpdatedAt         time.Time      `json:"updated_at"`
	Version           int64          `json:"version"`
}

type contactDoc struct {
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

type licenceDoc struct {
	ValidFrom date.Date `json:"valid_from"`
	ValidTo   date.Date `json:"valid_to"`
}

type ageRangeDoc struct {
	FromMonths int `json:"from_months"`
	ToMonths   int `json:"to_months"`
}

type placementDoc struct {
	ReferralID string    `json:"referral_id"`
	Start      date.Date `json:"start"`
}

// toMinderDoc is the stored document of m.
func toMinderDoc(m tagespflege.Minder) minderDoc {
	s := m.State()
	return minderDoc{
		ID: m.ID, Name: m.Name, District: m.District,
		Contact:  contactDoc{Email: m.Contact.Email, Phone: m.Contact.Phone},
		Address:  toAddressDoc(m.Address),
		Licence:  licenceDoc{ValidFrom: m.Licence.ValidFrom, ValidTo: m.Licence.ValidTo},
		Capacity: m.Capacity, MaxContracts: m.MaxContracts, ExtendedContracts: m.ExtendedContracts, GroupID: m.GroupID,
		Ages:  ageRangeDoc{FromMonths: m.Ages.FromMonths, ToMonths: m.Ages.ToMonths},
		Hours: m.Hours,
		Placements: mapSlice(s.Placements, func(p tagespflege.Placement) placementDoc {
			return placementDoc{ReferralID: p.ReferralID, Start: p.Start}
		}),
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Version,
	}
}

// minder rehydrates the domain value through tagespflege.RehydrateMinder,
// at the stored version v.
func (d minderDoc) minder(v int64) tagespflege.Minder {
	m := tagespflege.Minder{
		ID: d.ID, Name: d.Name, District: d.District,
		Contact:  tagespflege.Contact{Email: d.Contact.Email, Phone: d.Contact.Phone},
		Address:  d.Address.address(),
		Licence:  tagespflege.Licence{ValidFrom: d.Licence.ValidFrom, ValidTo: d.Licence.ValidTo},
		Capacity: d.Capacity, MaxContracts: d.MaxContracts, ExtendedContracts: d.ExtendedContracts, GroupID: d.GroupID,
		Ages:  tagespflege.AgeRange{FromMonths: d.Ages.FromMonths, ToMonths: d.Ages.ToMonths},
		Hours: d.Hours,
	}
	return tagespflege.RehydrateMinder(m, tagespflege.MinderState{
		Placements: mapSlice(d.Placements, func(p placementDoc) tagespflege.Placement {
			return tagespflege.Placement{ReferralID: p.ReferralID, Start: p.Start}
		}),
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: v,
	})
}

// groupDoc is the stored document of a tagespflege.Group (Großtagespflege)
// in tp_groups.doc, pinned by testdata/group.golden.json.
type groupDoc struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	District   string    `json:"district"`
	MinderIDs  []string  `json:"minder_ids,omitempty"`
	Capacity   int       `json:"capacity"`
	Placements []string  `json:"placements,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

// toGroupDoc is the stored document of g.
func toGroupDoc(g tagespflege.Group) groupDoc {
	s := g.State()
	return groupDoc{
		ID: g.ID, Name: g.Name, District: g.District, MinderIDs: g.MinderIDs, Capacity: g.Capacity,
		Placements: s.Placements, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Version: s.Version,
	}
}

// group rehydrates the domain value through tagespflege.RehydrateGroup, at
// the stored version v.
func (d groupDoc) group(v int64) tagespflege.Group {
	g := tagespflege.Group{ID: d.ID, Name: d.Name, District: d.District, MinderIDs: d.MinderIDs, Capacity: d.Capacity}
	return tagespflege.RehydrateGroup(g, tagespflege.GroupState{
		Placements: d.Placements, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: v,
	})
}
