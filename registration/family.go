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

// CodeTogetherHours is the problem code of a child asked to be kept
// together with a sibling whose ranked care hours differ.
const CodeTogetherHours problem.Code = "registration.together_hours"

// ErrTogetherHours: children kept together get the same care hours, so they
// rank the same hours in the same order (Input.Hours, then
// Input.HoursAlternatives).
var ErrTogetherHours = errors.New("registration: children kept together need the same care hours")

// CheckTogether reports, as a problem.List with the field "kitas", the
// code [CodeTogetherChoices] and the rule [ErrTogetherChoices], that a
// asks to be kept together with a child of its family whose Kitas (in
// rank order) differ; and with the field "hours", the code
// [CodeTogetherHours] and the rule [ErrTogetherHours], whose ranked care
// hours differ. family are the family's applications; a itself,
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
		var c problem.Collector
		if !slices.Equal(kitaIDs(o), kitaIDs(a)) {
			c.Add("kitas", CodeTogetherChoices, ErrTogetherChoices)
		}
		if !slices.Equal(o.RankedHours(), a.RankedHours()) {
			c.Add("hours", CodeTogetherHours, ErrTogetherHours)
		}
		if err := c.Err(); err != nil {
			return err
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

// member is an applicant of a round as its family sees it.
type member struct {
	id, family string
	together   bool
	// open are its open choices in the round, hours the care hours it
	// accepts at each (nil: any).
	open  []string
	hours [][]int
}

// familiesOf groups the applicants of a round by family (FamilyID): the
// children asking to be kept together form a together-family when at
// least two take part in the round with the same open choices; the
// family's other children of the round (and the together children whose
// open choices differ, after one declined an offer alone, say) form a
// sibling family, in which a placement gives the others the sibling
// criterion at that Kita. A family with one child in the round is none.
// Families are named by the family id ("/together" for the
// together-family); the order is that of ms.
func familiesOf(ms []member) []allocation.Family {
	next := make([]int, len(ms)) // index of the family's next member, or -1
	last := make(map[string]int, len(ms))
	var order []int
	for i, m := range ms {
		next[i] = -1
		if j, ok := last[m.family]; ok {
			next[j] = i
		} else {
			order = append(order, i)
		}
		last[m.family] = i
	}
	var out []allocation.Family
	for _, f := range order {
		if next[f] < 0 {
			continue // one child in the round
		}
		var together, siblings []int
		for i := f; i >= 0; i = next[i] {
			if ms[i].together {
				together = append(together, i)
			} else {
				siblings = append(siblings, i)
			}
		}
		if len(together) < 2 || !sameChoices(ms, together) {
			siblings, together = append(siblings, together...), nil
		}
		fam := ms[f].family
		if len(together) >= 2 {
			out = append(out, allocation.Family{ID: fam + "/together", Children: idsOf(ms, together), Together: true})
		}
		if len(siblings) >= 2 {
			out = append(out, allocation.Family{ID: fam, Children: idsOf(ms, siblings)})
		}
	}
	return out
}

// sameChoices reports whether the members at idx have equal open choices.
func sameChoices(ms []member, idx []int) bool {
	for _, i := range idx[1:] {
		if !slices.Equal(ms[i].open, ms[idx[0]].open) || !slices.EqualFunc(ms[i].hours, ms[idx[0]].hours, slices.Equal) {
			return false
		}
	}
	return true
}

// idsOf are the ids of the members at idx.
func idsOf(ms []member, idx []int) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = ms[i].id
	}
	return out
}
