package tagespflege

import (
	"slices"
	"strconv"
	"strings"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// Office is the Fachberatung Kindertagespflege of one Stadtbezirk: it
// receives the district's referrals, places children with minders and
// supervises them (§ 23 SGB VIII).
type Office struct {
	// District is the Stadtbezirk the office serves.
	District string `json:"district" validate:"required,max=64"`
	// Name is the office's public name.
	Name string `json:"name" validate:"required,max=200"`
	// Email receives the referral messages.
	Email   string      `json:"email" validate:"required,email,max=254"`
	Phone   string      `json:"phone" validate:"max=40"`
	Address geo.Address `json:"address"`
}

// Validate checks the office's fields and returns every problem as a
// [problem.List].
func (o Office) Validate() error { return problem.Struct(o) }

// Offices is the directory of Fachberatung offices, one per district. It is
// immutable and safe for concurrent use.
type Offices struct {
	byDistrict map[string]Office
	all        []Office
}

// NewOffices validates the offices (every field, and one office per
// district) and returns the directory, or a [problem.List] with field paths
// like "[2].email".
func NewOffices(offices []Office) (*Offices, error) {
	var c problem.Collector
	d := &Offices{byDistrict: make(map[string]Office, len(offices))}
	for i, o := range offices {
		field := "[" + strconv.Itoa(i) + "]"
		c.Merge(field, o.Validate())
		if o.District == "" {
			continue
		}
		if _, dup := d.byDistrict[o.District]; dup {
			c.Add(problem.Join(field, "district"), CodeDuplicateOffice, ErrDuplicate)
			continue
		}
		d.byDistrict[o.District] = o
		d.all = append(d.all, o)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(d.all, func(a, b Office) int { return strings.Compare(a.District, b.District) })
	return d, nil
}

// ForDistrict returns the office of the district.
func (d *Offices) ForDistrict(district string) (Office, bool) {
	if d == nil {
		return Office{}, false
	}
	o, ok := d.byDistrict[district]
	return o, ok
}

// All returns every office, sorted by district.
func (d *Offices) All() []Office {
	if d == nil {
		return nil
	}
	return slices.Clone(d.all)
}
