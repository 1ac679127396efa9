package postgres

import (
	"slices"
	"time"

	"github.com/kitaportal/kitaportal/kita"
)

// editsDoc is the stored document of kita.Edits in kita_edits.doc, pinned
// by testdata/edits.golden.json. The Kita id and the version are columns;
// the free places are stored by band without groups, and a zero report
// instant as 0001-01-01T00:00:00Z.
type editsDoc struct {
	Profile      profileDoc  `json:"profile"`
	Closed       bool        `json:"closed"`
	FreePlaces   capacityDoc `json:"free_places"`
	FreePlacesAt time.Time   `json:"free_places_at"`
	// Pools are absent when the edits keep the catalogue's pools, a list
	// (perhaps empty) when they replace them.
	Pools *[]poolDoc `json:"pools,omitempty"`
}

// poolDoc is a stored kita.Pool (band as 1 for u3, 2 for o3).
type poolDoc struct {
	Band     int    `json:"band"`
	Hours    int    `json:"hours"`
	From     string `json:"from"`
	Capacity int    `json:"capacity"`
}

// toPoolDocs are the stored pools of edits (nil: keep the catalogue's).
func toPoolDocs(pools []kita.Pool) *[]poolDoc {
	if pools == nil {
		return nil
	}
	out := make([]poolDoc, len(pools))
	for i, p := range pools {
		out[i] = poolDoc{Band: int(p.Band), Hours: int(p.Hours), From: p.From, Capacity: p.Capacity}
	}
	return &out
}

// pools are the domain pools of stored edits.
func (d editsDoc) pools() []kita.Pool {
	if d.Pools == nil {
		return nil
	}
	out := make([]kita.Pool, len(*d.Pools))
	for i, p := range *d.Pools {
		out[i] = kita.Pool{Band: kita.Band(p.Band), Hours: kita.Hours(p.Hours), From: p.From, Capacity: p.Capacity}
	}
	return out
}

// profileDoc is a stored kita.PublicProfile.
type profileDoc struct {
	Head            string   `json:"head,omitempty"`
	Text            string   `json:"text,omitempty"`
	Concept         string   `json:"concept,omitempty"`
	Languages       []string `json:"languages,omitempty"`
	InclusionPlaces int      `json:"inclusion_places,omitempty"`
	FamilyCentre    bool     `json:"family_centre,omitempty"`
}

// capacityDoc is a stored kita.Capacity without its groups.
type capacityDoc struct {
	Under3 int `json:"u3"`
	From3  int `json:"o3"`
}

// toEditsDoc is the stored document of e.
func toEditsDoc(e kita.Edits) editsDoc {
	p := e.Profile
	return editsDoc{
		Profile: profileDoc{
			Head: p.Head, Text: p.Text, Concept: p.Concept, Languages: slices.Clone(p.Languages),
			InclusionPlaces: p.InclusionPlaces, FamilyCentre: p.FamilyCentre,
		},
		Closed:       e.Closed,
		FreePlaces:   capacityDoc{Under3: e.FreePlaces.Under3, From3: e.FreePlaces.From3},
		FreePlacesAt: utc(e.FreePlacesAt),
		Pools:        toPoolDocs(e.Pools),
	}
}

// edits is the domain value of the Kita kitaID at the stored version v.
func (d editsDoc) edits(kitaID string, v int64) kita.Edits {
	p := d.Profile
	return kita.Edits{
		KitaID: kitaID,
		Profile: kita.PublicProfile{
			Head: p.Head, Text: p.Text, Concept: p.Concept, Languages: slices.Clone(p.Languages),
			InclusionPlaces: p.InclusionPlaces, FamilyCentre: p.FamilyCentre,
		},
		Closed:       d.Closed,
		FreePlaces:   kita.Capacity{Under3: d.FreePlaces.Under3, From3: d.FreePlaces.From3},
		FreePlacesAt: utc(d.FreePlacesAt),
		Pools:        d.pools(),
		Version:      v,
	}
}
