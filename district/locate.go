package district

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/internal/enum"
	"github.com/kitaportal/kitaportal/problem"
)

// More sentinel errors.
var (
	// ErrOutside: the point or address lies outside the city, so the family
	// is not resident (a postal code unknown to the city also matches
	// [ErrUnknownPostalCode]).
	ErrOutside = errors.New("district: outside the city")
	// ErrUndecided: no method of the resolution order applies to the query
	// (no point for geometry, no street and postal code for the others).
	ErrUndecided = errors.New("district: no method of the resolution order applies")
)

// More stable codes of the directory rules.
const (
	CodeMethod        problem.Code = "district.method_invalid"
	CodeMethodTwice   problem.Code = "district.method_duplicate"
	CodeMethodNoData  problem.Code = "district.method_without_data"
	CodeOutline       problem.Code = "district.outline_invalid"
	CodeAreaDistrict  problem.Code = "district.area_unknown_district"
	CodeAreaGeometry  problem.Code = "district.area_geometry_invalid"
	CodeAreaMissing   problem.Code = "district.area_missing"
	CodeStreetPostal  problem.Code = "district.street_postal_code_invalid"
	CodeBoundaryFile  problem.Code = "district.boundaries_malformed"
	CodeStreetFile    problem.Code = "district.streets_malformed"
	CodeFileReference problem.Code = "district.file_reference"
)

// Method is one way of finding an address's district.
type Method int

// The methods, in the order the issue of wrong districts taught: exact
// geometry first, the street directory next, the postal-code table last.
const (
	// Geometry: the district whose boundary contains the point.
	Geometry Method = iota + 1
	// Streets: the street directory (street, house-number range, parity).
	Streets
	// PostalCode: the postal-code table with its street rules.
	PostalCode
)

var methodNames = [...]string{"", "geometry", "streets", "postal_code"}

// Valid reports whether m is a known method.
func (m Method) Valid() bool { return m >= Geometry && m <= PostalCode }

// String returns "geometry", "streets" or "postal_code".
func (m Method) String() string { return enum.Name(methodNames[:], m) }

// MarshalText encodes the method's name.
func (m Method) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes "geometry", "streets" or "postal_code".
func (m *Method) UnmarshalText(b []byte) error {
	v, ok := enum.Parse[Method](methodNames[:], string(b))
	if !ok {
		return errors.New("district: unknown resolution method")
	}
	*m = v
	return nil
}

// DefaultOrder is the resolution order used when a directory names none,
// restricted to the methods it has data for.
var DefaultOrder = []Method{Geometry, Streets, PostalCode}

// Area is a part of a district with its boundary: the district itself or one
// of its statistical districts (Bochum: 30 statistische Bezirke in 6
// Stadtbezirke).
type Area struct {
	// District is the id of the district the area belongs to.
	District string
	// Name names the area ("Leithe"); optional.
	Name string
	// Region is the boundary.
	Region geo.Region
}

// Config is everything a directory can hold; only Districts is required.
type Config struct {
	Districts   []District
	PostalCodes []PostalRule
	// Areas are district boundaries for points.
	Areas []Area
	// Streets is the street directory (Straßenverzeichnis).
	Streets []StreetEntry
	// Outline bounds the city for plausibility checks when there are no
	// Areas (with Areas, the city is their union).
	Outline geo.BBox
	// Order is the resolution order (nil: [DefaultOrder] restricted to the
	// methods with data). A method without data is a problem.
	Order []Method
	// ToleranceM lets a point up to this many metres outside every area
	// count as inside the nearest one, for boundaries drawn coarser than
	// the points (Bochum's real Kita list has a Kita 6 m outside the
	// published statistical districts). Points near areas of two
	// districts are ambiguous. 0: exact containment.
	ToleranceM float64
}

// Build validates a configuration and returns the directory. Every problem
// comes back at once as a [problem.List], with fields like
// "areas[3].district", "streets[12].from" or "order[1]".
func Build(c Config) (*Directory, error) {
	var p problem.Collector
	d, err := New(c.Districts, c.PostalCodes)
	if err != nil {
		p.Merge("", err)
		d = &Directory{byID: map[string]int{}}
		for i, x := range c.Districts {
			d.byID[x.ID] = i
		}
	}
	covered := map[string]bool{}
	for i, a := range c.Areas {
		f := "areas[" + strconv.Itoa(i) + "]"
		if _, ok := d.byID[a.District]; !ok {
			p.Add(f+".district", CodeAreaDistrict, ErrInvalid)
		}
		if a.Region.IsZero() {
			p.Add(f+".region", CodeAreaGeometry, ErrInvalid)
		}
		covered[a.District] = true
	}
	if len(c.Areas) > 0 {
		for i, x := range c.Districts {
			if !covered[x.ID] {
				p.Add("districts["+strconv.Itoa(i)+"]", CodeAreaMissing, ErrInvalid)
			}
		}
	}
	streets := checkStreets(&p, d, c.Streets)
	if c.ToleranceM < 0 || c.ToleranceM > 1000 || c.ToleranceM != c.ToleranceM {
		p.Add("tolerance_m", CodeOutline, ErrInvalid)
	}
	if !c.Outline.IsZero() && !c.Outline.Valid() {
		p.Add("outline", CodeOutline, ErrInvalid)
	}
	has := map[Method]bool{Geometry: len(c.Areas) > 0, Streets: len(c.Streets) > 0, PostalCode: len(c.PostalCodes) > 0}
	order := c.Order
	if order == nil {
		for _, m := range DefaultOrder {
			if has[m] {
				order = append(order, m)
			}
		}
	}
	for i, m := range order {
		f := "order[" + strconv.Itoa(i) + "]"
		switch {
		case !m.Valid():
			p.Add(f, CodeMethod, ErrInvalid)
		case slices.Contains(order[:i], m):
			p.Add(f, CodeMethodTwice, ErrInvalid)
		case !has[m]:
			p.Add(f, CodeMethodNoData, ErrInvalid, "method", m.String())
		}
	}
	if len(order) == 0 && len(c.Districts) > 0 {
		p.Add("order", CodeMethodNoData, ErrInvalid, "method", "postal_code")
	}
	if err := sorted(&p); err != nil {
		return nil, err
	}
	d.order = slices.Clone(order)
	d.streets = streets
	d.outline = c.Outline
	d.tolerance = c.ToleranceM
	for _, a := range c.Areas {
		d.areas = append(d.areas, area{district: d.byID[a.District], name: a.Name, region: a.Region})
		d.city = geo.Union(d.city, a.Region)
	}
	return d, nil
}

// sorted returns the collected problems ordered by field.
func sorted(p *problem.Collector) error {
	err := p.Err()
	if l, ok := err.(problem.List); ok {
		slices.SortStableFunc(l, func(a, b problem.Problem) int { return strings.Compare(a.Field, b.Field) })
	}
	return err
}

type area struct {
	district int
	name     string
	region   geo.Region
}

// Areas returns the directory's areas with their boundaries, in the order
// configured (nil when the directory has no boundaries), for drawing a
// map of the districts.
func (d *Directory) Areas() []Area {
	var out []Area
	for _, a := range d.areas {
		out = append(out, Area{District: d.districts[a.district].ID, Name: a.name, Region: a.region})
	}
	return out
}

// Order returns the resolution order.
func (d *Directory) Order() []Method { return slices.Clone(d.order) }

// HasOutline reports whether the directory knows the city's extent (from
// its areas or its outline box), so that [Directory.Contains] means
// something.
func (d *Directory) HasOutline() bool { return !d.city.IsZero() || !d.outline.IsZero() }

// Contains reports whether p lies in the city: inside one of its areas, or,
// without areas, inside its outline box. Without either it reports false.
func (d *Directory) Contains(p geo.Point) bool {
	if !d.city.IsZero() {
		return d.city.Contains(p) || (d.tolerance > 0 && d.city.DistanceM(p) <= d.tolerance)
	}
	return !d.outline.IsZero() && d.outline.Contains(p)
}

// Bounds returns the box around the city (zero without areas and outline).
func (d *Directory) Bounds() geo.BBox {
	if !d.city.IsZero() {
		return d.city.Bounds()
	}
	return d.outline
}

// Query is what is known of a place: a point, an address or both.
type Query struct {
	Address geo.Address
	Point   geo.Point
}

// Result is a resolved district and how it was found.
type Result struct {
	District District
	Method   Method
	// Area names the area whose boundary held the point (Geometry only,
	// when the boundaries name their areas).
	Area string
}

// Locate finds the district of a place by trying the methods of the
// resolution order in turn; a method that does not apply (no point, no
// street entry for the address) passes on to the next.
//
//   - Geometry: a point outside the city (beyond the tolerance) gives
//     [ErrOutside]; a point in the areas of one district decides; in
//     several (overlapping boundaries, or within the tolerance of two) an
//     [*AmbiguousError].
//   - Streets: entries of the address's street (names compared after
//     geo.NormalizeStreet, the postal code where the entry names one, the
//     house number's range and parity) decide when they name one district
//     ([Build] refuses entries that overlap for different districts).
//   - PostalCode: as [Directory.Resolve] always did; a code the city does
//     not know gives an error matching both [ErrUnknownPostalCode] and
//     [ErrOutside].
//
// When no method applies, the error is [ErrUndecided]. Nothing is guessed.
func (d *Directory) Locate(q Query) (Result, error) {
	for _, m := range d.order {
		var (
			r   Result
			err error
			ok  bool
		)
		switch m {
		case Geometry:
			r, ok, err = d.byPoint(q.Point)
		case Streets:
			r, ok, err = d.byStreet(q.Address)
		case PostalCode:
			r, ok, err = d.byPostalCode(q.Address)
		}
		if ok || err != nil {
			return r, err
		}
	}
	return Result{}, ErrUndecided
}

// DistrictOf returns the id of the district of a place, for importers that
// only need the id (kita.DistrictFinder).
func (d *Directory) DistrictOf(addr geo.Address, p geo.Point) (string, error) {
	r, err := d.Locate(Query{Address: addr, Point: p})
	return r.District.ID, err
}

func (d *Directory) byPoint(p geo.Point) (Result, bool, error) {
	if p.IsZero() || len(d.areas) == 0 {
		return Result{}, false, nil
	}
	if !p.Valid() || !d.Contains(p) {
		return Result{}, false, ErrOutside
	}
	var found []int
	name := ""
	for _, a := range d.areas {
		if a.region.Contains(p) && !slices.Contains(found, a.district) {
			found = append(found, a.district)
			name = a.name
		}
	}
	if len(found) == 0 { // within the tolerance of one or more areas
		for _, a := range d.areas {
			if a.region.DistanceM(p) <= d.tolerance && !slices.Contains(found, a.district) {
				found = append(found, a.district)
				name = a.name
			}
		}
	}
	if len(found) > 1 {
		slices.Sort(found)
		return Result{}, false, &AmbiguousError{Candidates: d.pick(found)}
	}
	return Result{District: d.districts[found[0]], Method: Geometry, Area: name}, true, nil
}

func (d *Directory) byStreet(addr geo.Address) (Result, bool, error) {
	street, number := addr.Street, addr.HouseNumber
	if number == "" {
		street, number = geo.SplitStreet(street)
	}
	entries := d.streets[geo.NormalizeStreet(street)]
	if len(entries) == 0 {
		return Result{}, false, nil
	}
	n, hasNumber := geo.HouseNumberValue(number)
	code := strings.TrimSpace(addr.PostalCode)
	var found []int
	for _, e := range entries {
		if e.PostalCode != "" && e.PostalCode != code {
			continue
		}
		r := StreetRule{From: e.From, To: e.To, Parity: e.Parity}
		if p := d.byID[e.District]; r.matches(n, hasNumber) && !slices.Contains(found, p) {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return Result{}, false, nil
	case 1:
		return Result{District: d.districts[found[0]], Method: Streets}, true, nil
	}
	slices.Sort(found)
	return Result{}, false, &AmbiguousError{Candidates: d.pick(found)}
}

func (d *Directory) byPostalCode(addr geo.Address) (Result, bool, error) {
	if strings.TrimSpace(addr.PostalCode) == "" {
		// Missing is not outside: the table cannot decide, and says so.
		return Result{}, false, ErrUnknownPostalCode
	}
	dist, err := d.resolvePostal(addr)
	if err != nil {
		return Result{}, false, err
	}
	return Result{District: dist, Method: PostalCode}, true, nil
}
