package registration

import (
	"errors"
	"slices"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/problem"
)

// CodeTogetherChoices is the problem code of a child asked to be kept
// together with a sibling whose Kitas differ.
const CodeTogetherChoices problem.Code = "registration.together_choices"

// ErrTogetherChoices: children kept together (Input.Together) share one
// ranked list of Kitas; this child's Kitas differ from those of a child of
// the family kept together with it.
var ErrTogetherChoices = errors.New("registration: children kept together need the same Kitas")

// CheckTogether reports, as a problem.List with the field "kitas", the
// code [CodeTogetherChoices] and the rule [ErrTogetherChoices], that a
// asks to be kept together with a child of its family whose Kitas (in
// rank order) differ. family are the family's applications; a itself,
// another Kita year, a child not asking to be kept together and an ended
// application (withdrawn, expired) are not compared. Nil when a does not
// ask to be kept together.
func CheckTogether(a Application, family []Application) error {
	if !a.Together {
		return nil
	}
	for _, o := range family {
		if !togetherWith(a, o) {
			continue
		}
		if !slices.Equal(kitaIDs(o), kitaIDs(a)) {
			var c problem.Collector
			c.Add("kitas", CodeTogetherChoices, ErrTogetherChoices)
			return c.Err()
		}
	}
	return nil
}

// TogetherWith returns the applications of family that are kept together
// with a (the other children of a's family and Kita year that ask so, not
// ended): the ones whose Kitas change with a's.
func TogetherWith(a Application, family []Application) []Application {
	var out []Application
	if !a.Together {
		return nil
	}
	for _, o := range family {
		if togetherWith(a, o) {
			out = append(out, o)
		}
	}
	return out
}

// togetherWith reports whether o is another active child of a's family
// and Kita year that asks to be kept together.
func togetherWith(a, o Application) bool {
	return o.ID != a.ID && o.Together && o.FamilyID == a.FamilyID && o.Year == a.Year &&
		o.ChildKey != a.ChildKey && o.status != Withdrawn && o.status != Expired
}

// kitaIDs are the Kitas of a, in rank order, whatever their status.
func kitaIDs(a Application) []string {
	ids := make([]string, len(a.Choices))
	for i, c := range a.Choices {
		ids[i] = c.KitaID
	}
	return ids
}

// familiesOf groups the applicants of a round by family (FamilyID): the
// children asking to be kept together form a together-family when at
// least two take part in the round with the same open choices; the
// family's other children of the round (and the together children whose
// open choices differ, after one declined an offer alone, say) form a
// sibling family, in which a placement gives the others the sibling
// criterion at that Kita. A family with one child in the round is none.
// Families are named by the family id ("/together" for the
// together-family); the order is that of apps.
func familiesOf(apps []Application, open map[string][]string) []allocation.Family {
	byFamily := map[string][]Application{}
	var order []string
	for _, a := range apps {
		if a.FamilyID == "" {
			continue
		}
		if byFamily[a.FamilyID] == nil {
			order = append(order, a.FamilyID)
		}
		byFamily[a.FamilyID] = append(byFamily[a.FamilyID], a)
	}
	var out []allocation.Family
	for _, f := range order {
		kids := byFamily[f]
		if len(kids) < 2 {
			continue
		}
		var together, siblings []string
		for _, a := range kids {
			if a.Together {
				together = append(together, a.ID)
			} else {
				siblings = append(siblings, a.ID)
			}
		}
		if len(together) < 2 || !sameChoices(together, open) {
			siblings, together = append(siblings, together...), nil
		}
		if len(together) >= 2 {
			out = append(out, allocation.Family{ID: f + "/together", Children: together, Together: true})
		}
		if len(siblings) >= 2 {
			out = append(out, allocation.Family{ID: f, Children: siblings})
		}
	}
	return out
}

// sameChoices reports whether the applicants ids have equal open choices.
func sameChoices(ids []string, open map[string][]string) bool {
	for _, id := range ids[1:] {
		if !slices.Equal(open[id], open[ids[0]]) {
			return false
		}
	}
	return true
}
