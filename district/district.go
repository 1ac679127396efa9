package district

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// Sentinel errors.
var (
	// ErrUnknownPostalCode: the postal code belongs to no district of the city.
	ErrUnknownPostalCode = errors.New("district: unknown postal code")
	// ErrAmbiguous: the address lies in a split postal code and no street
	// rule decides it; the error is an [*AmbiguousError].
	ErrAmbiguous = errors.New("district: address matches several districts")
	// ErrFormat: a directory file is not JSON of the documented shape.
	ErrFormat = errors.New("district: malformed directory file")
	// ErrInvalid: a district or rule breaks a rule of the directory.
	ErrInvalid = errors.New("district: invalid directory")
)

// Stable codes of the directory rules.
const (
	CodeIDMissing       problem.Code = "district.id_missing"
	CodeIDDuplicate     problem.Code = "district.id_duplicate"
	CodeNumberInvalid   problem.Code = "district.number_invalid"
	CodeNumberDuplicate problem.Code = "district.number_duplicate"
	CodeNameMissing     problem.Code = "district.name_missing"
	CodePostalCode      problem.Code = "district.postal_code_invalid"
	CodePostalDuplicate problem.Code = "district.postal_code_duplicate"
	CodeNoDistricts     problem.Code = "district.postal_code_without_district"
	CodeUnknownDistrict problem.Code = "district.unknown_district"
	CodeStreetMissing   problem.Code = "district.street_missing"
	CodeStreetDistrict  problem.Code = "district.street_district_not_in_code"
	CodeRange           problem.Code = "district.house_number_range_invalid"
	CodeParity          problem.Code = "district.parity_invalid"
	CodeOverlap         problem.Code = "district.street_rules_overlap"
	CodeEmpty           problem.Code = "district.no_districts"
)

// District is a Stadtbezirk.
type District struct {
	// ID is the district's stable key, such as "I" (Bochum uses Roman numerals).
	ID string `json:"id"`
	// Number orders the districts (1 for I) and is unique.
	Number int `json:"number"`
	// Name is the district's name, such as "Mitte".
	Name string `json:"name"`
}

// Parity restricts a street rule to even or odd house numbers; the zero value
// means both.
type Parity int

// The parities.
const (
	Even Parity = iota + 1
	Odd
)

// Valid reports whether p is Even or Odd.
func (p Parity) Valid() bool { return p == Even || p == Odd }

// String returns "even", "odd" or "" for both.
func (p Parity) String() string {
	switch p {
	case Even:
		return "even"
	case Odd:
		return "odd"
	}
	return ""
}

// MarshalText encodes "even", "odd" or "".
func (p Parity) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes "even", "odd" or "" (both).
func (p *Parity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "":
		*p = 0
	case "even":
		*p = Even
	case "odd":
		*p = Odd
	default:
		return errors.New("district: unknown parity")
	}
	return nil
}

// StreetRule assigns a street, or part of it, within a split postal code to
// one district.
type StreetRule struct {
	// Street is compared after geo.NormalizeStreet ("Herner Str." equals
	// "Herner Straße").
	Street string `json:"street"`
	// District is the id of the district; it must be one of the postal
	// code's districts.
	District string `json:"district"`
	// From and To bound the house numbers (inclusive; 0: open end). A rule
	// with a bound needs a house number to apply.
	From int `json:"from,omitempty"`
	To   int `json:"to,omitempty"`
	// Parity restricts the rule to even or odd numbers (zero: both).
	Parity Parity `json:"parity,omitzero"`
}

func (r StreetRule) bounded() bool { return r.From != 0 || r.To != 0 || r.Parity != 0 }

func (r StreetRule) matches(n int, hasNumber bool) bool {
	if !r.bounded() {
		return true
	}
	if !hasNumber {
		return false
	}
	switch {
	case r.From != 0 && n < r.From, r.To != 0 && n > r.To,
		r.Parity == Even && n%2 != 0, r.Parity == Odd && n%2 == 0:
		return false
	}
	return true
}

// PostalRule maps a postal code to the districts it lies in: one district
// decides every address; several make the code split, decided by Streets.
type PostalRule struct {
	PostalCode string       `json:"postal_code"`
	Districts  []string     `json:"districts"`
	Streets    []StreetRule `json:"streets,omitempty"`
}

// Directory is a validated, read-only set of districts and postal rules,
// safe for concurrent use.
type Directory struct {
	districts []District // by Number
	byID      map[string]int
	rules     map[string]*rule
	cityName  string
	note      string
	order     []Method
	areas     []area
	city      geo.Region // union of the areas
	outline   geo.BBox
	tolerance float64
	streets   map[string][]StreetEntry // by geo.NormalizeStreet
	houses    *Gazetteer
}

type rule struct {
	districts []int // positions in Directory.districts, by Number
	streets   map[string][]StreetRule
}

// New validates districts and rules and returns the directory; it resolves
// by postal code only (see [Build] for boundaries and a street directory). Every problem
// comes back at once as a [problem.List] with fields such as "districts[2].id"
// or "postal_codes[0].streets[1].from".
func New(districts []District, rules []PostalRule) (*Directory, error) {
	var p problem.Collector
	d := &Directory{byID: map[string]int{}, rules: map[string]*rule{}}
	if len(districts) == 0 {
		p.Add("districts", CodeEmpty, ErrInvalid)
	}
	numbers := map[int]bool{}
	for i, dist := range districts {
		f := "districts[" + strconv.Itoa(i) + "]"
		switch _, dup := d.byID[dist.ID]; {
		case strings.TrimSpace(dist.ID) == "":
			p.Add(f+".id", CodeIDMissing, ErrInvalid)
		case dup:
			p.Add(f+".id", CodeIDDuplicate, ErrInvalid)
		default:
			d.byID[dist.ID] = -1
		}
		switch {
		case dist.Number < 1:
			p.Add(f+".number", CodeNumberInvalid, ErrInvalid)
		case numbers[dist.Number]:
			p.Add(f+".number", CodeNumberDuplicate, ErrInvalid)
		}
		numbers[dist.Number] = true
		if strings.TrimSpace(dist.Name) == "" {
			p.Add(f+".name", CodeNameMissing, ErrInvalid)
		}
	}
	seen := map[string]bool{}
	for i, r := range rules {
		f := "postal_codes[" + strconv.Itoa(i) + "]"
		if !validPostalCode(r.PostalCode) {
			p.Add(f+".postal_code", CodePostalCode, ErrInvalid)
		} else if seen[r.PostalCode] {
			p.Add(f+".postal_code", CodePostalDuplicate, ErrInvalid)
		}
		seen[r.PostalCode] = true
		if len(r.Districts) == 0 {
			p.Add(f+".districts", CodeNoDistricts, ErrInvalid)
		}
		inCode := map[string]bool{}
		for j, id := range r.Districts {
			ff := f + ".districts[" + strconv.Itoa(j) + "]"
			if _, ok := d.byID[id]; !ok {
				p.Add(ff, CodeUnknownDistrict, ErrInvalid)
			} else if inCode[id] {
				p.Add(ff, CodeIDDuplicate, ErrInvalid)
			}
			inCode[id] = true
		}
		for j, s := range r.Streets {
			ff := f + ".streets[" + strconv.Itoa(j) + "]"
			if geo.NormalizeStreet(s.Street) == "" {
				p.Add(ff+".street", CodeStreetMissing, ErrInvalid)
			}
			if !inCode[s.District] {
				p.Add(ff+".district", CodeStreetDistrict, ErrInvalid)
			}
			if s.From < 0 || s.To < 0 || (s.To != 0 && s.From > s.To) {
				p.Add(ff+".from", CodeRange, ErrInvalid)
			}
			if s.Parity != 0 && !s.Parity.Valid() {
				p.Add(ff+".parity", CodeParity, ErrInvalid)
			}
			for k, o := range r.Streets[:j] {
				if o.District != s.District && geo.NormalizeStreet(o.Street) == geo.NormalizeStreet(s.Street) && overlap(o, s) {
					p.Add(ff, CodeOverlap, ErrInvalid, "other", strconv.Itoa(k))
				}
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}

	d.districts = slices.Clone(districts)
	slices.SortFunc(d.districts, func(a, b District) int { return cmp.Compare(a.Number, b.Number) })
	for i, dist := range d.districts {
		d.byID[dist.ID] = i
	}
	for _, r := range rules {
		ru := &rule{streets: map[string][]StreetRule{}}
		for _, id := range r.Districts {
			ru.districts = append(ru.districts, d.byID[id])
		}
		slices.Sort(ru.districts)
		for _, s := range r.Streets {
			key := geo.NormalizeStreet(s.Street)
			ru.streets[key] = append(ru.streets[key], s)
		}
		d.rules[r.PostalCode] = ru
	}
	d.order = []Method{PostalCode}
	return d, nil
}

// overlap reports whether two street rules can both match one house number.
func overlap(a, b StreetRule) bool {
	if a.Parity != 0 && b.Parity != 0 && a.Parity != b.Parity {
		return false
	}
	const open = int(^uint(0) >> 1)
	hiA, hiB := a.To, b.To
	if hiA == 0 {
		hiA = open
	}
	if hiB == 0 {
		hiB = open
	}
	lo, hi := max(a.From, b.From), min(hiA, hiB)
	if lo > hi {
		return false
	}
	want := cmp.Or(a.Parity, b.Parity)
	if want == 0 || lo < hi {
		return true // two consecutive numbers hold one of each parity
	}
	return (lo%2 == 0) == (want == Even)
}

func validPostalCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MaxFileBytes is the largest directory file [Load] reads: 1 MiB.
const MaxFileBytes = 1 << 20

// File is the JSON format of a directory file:
//
//	{
//	  "city": "Bochum",
//	  "note": "indicative, not an official table: …",
//	  "districts": [
//	    {"id": "I", "number": 1, "name": "Mitte"},
//	    {"id": "III", "number": 3, "name": "Nord"}
//	  ],
//	  "postal_codes": [
//	    {"postal_code": "44787", "districts": ["I"]},
//	    {"postal_code": "44791", "districts": ["I", "III"],
//	     "streets": [
//	       {"street": "Herner Straße", "district": "III", "from": 100},
//	       {"street": "Herner Straße", "district": "I", "to": 99},
//	       {"street": "Castroper Straße", "district": "I", "parity": "even"}
//	     ]}
//	  ]
//	}
//
// Unknown fields are rejected, so a misspelt key does not silently drop a
// rule. Street rules: see [StreetRule].
//
// A file may also name how points and streets are resolved; such files are
// read with [LoadFS], which opens the files they name:
//
//	"order": ["geometry", "streets", "postal_code"],
//	"outline": {"min_lat": 51.41, "min_lon": 7.10, "max_lat": 51.54, "max_lon": 7.35},
//	"boundaries": {"file": "boundaries.geojson", "property": "Stadtbezir",
//	               "match": "number", "name_property": "Bezeichnun",
//	               "source": "…", "licence": "…"},
//	"streets_file": "streets.csv",
//	"house_coordinates_file": "hk_bochum.csv"
//
// See [Boundaries], [ReadBoundaries], [ReadStreets] and
// [ReadHouseCoordinates] ([Directory.Houses]).
type File struct {
	City        string       `json:"city"`
	Note        string       `json:"note"`
	Districts   []District   `json:"districts"`
	PostalCodes []PostalRule `json:"postal_codes"`
	Order       []Method     `json:"order,omitempty"`
	Outline     geo.BBox     `json:"outline,omitzero"`
	Boundaries  *Boundaries  `json:"boundaries,omitempty"`
	StreetsFile string       `json:"streets_file,omitempty"`
	// HousesFile names the official house coordinates (HK-DE), optional.
	HousesFile string `json:"house_coordinates_file,omitempty"`
}

func (f File) config() Config {
	c := Config{Districts: f.Districts, PostalCodes: f.PostalCodes, Order: f.Order, Outline: f.Outline}
	if f.Boundaries != nil {
		c.ToleranceM = f.Boundaries.ToleranceM
	}
	return c
}

func decodeFile(data []byte) (File, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return File{}, formatError(err)
	}
	if dec.More() {
		return File{}, fmt.Errorf("%w: data after the directory", ErrFormat)
	}
	return f, nil
}

// Load reads a directory file (see [File]) of at most [MaxFileBytes] and
// validates it like [Build]. A file that names boundary, street or house
// coordinate files must be read with [LoadFS]; Load reports them as [CodeFileReference]
// rather than ignoring them.
func Load(r io.Reader) (*Directory, error) {
	data, err := readAllLimited(r)
	if err != nil {
		return nil, err
	}
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	var p problem.Collector
	if f.Boundaries != nil {
		p.Add("boundaries", CodeFileReference, ErrFormat)
	}
	if f.StreetsFile != "" {
		p.Add("streets_file", CodeFileReference, ErrFormat)
	}
	if f.HousesFile != "" {
		p.Add("house_coordinates_file", CodeFileReference, ErrFormat)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	d, err := Build(f.config())
	if err != nil {
		return nil, err
	}
	d.cityName, d.note = f.City, f.Note
	return d, nil
}

// formatError describes a JSON error by position and schema field only.
func formatError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%w: syntax error at byte %d", ErrFormat, se.Offset)
	case errors.As(err, &te):
		return fmt.Errorf("%w: wrong type at %s", ErrFormat, te.Field)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return fmt.Errorf("%w: unknown field", ErrFormat)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: incomplete", ErrFormat)
	}
	return fmt.Errorf("%w: not a directory", ErrFormat)
}

// City returns the city a loaded file names ("" for [New]).
func (d *Directory) City() string { return d.cityName }

// Note returns the note of a loaded file, which says where its rules come
// from and how far they are official.
func (d *Directory) Note() string { return d.note }

// Get returns the district with that id.
func (d *Directory) Get(id string) (District, bool) {
	i, ok := d.byID[id]
	if !ok {
		return District{}, false
	}
	return d.districts[i], true
}

// All returns the districts ordered by number.
func (d *Directory) All() []District { return slices.Clone(d.districts) }

// PostalCodes returns the postal codes the directory knows, sorted.
func (d *Directory) PostalCodes() []string {
	out := make([]string, 0, len(d.rules))
	for c := range d.rules {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Candidates returns the districts a postal code lies in, ordered by number;
// more than one means the code is split. An unknown code gives
// [ErrUnknownPostalCode].
func (d *Directory) Candidates(postalCode string) ([]District, error) {
	r, ok := d.rules[strings.TrimSpace(postalCode)]
	if !ok {
		return nil, ErrUnknownPostalCode
	}
	return d.pick(r.districts), nil
}

func (d *Directory) pick(pos []int) []District {
	out := make([]District, len(pos))
	for i, p := range pos {
		out[i] = d.districts[p]
	}
	return out
}

// AmbiguousError reports an address whose postal code is split and that no
// street rule decides. It matches [ErrAmbiguous].
type AmbiguousError struct {
	// Candidates are the districts the address may lie in, ordered by number.
	Candidates []District
}

// Error names the number of candidates, not the address.
func (e *AmbiguousError) Error() string {
	return ErrAmbiguous.Error() + " (" + strconv.Itoa(len(e.Candidates)) + " candidates)"
}

// Unwrap returns [ErrAmbiguous].
func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }

// CandidateIDs returns the ids of the candidates, for reports that name
// them without depending on this package.
func (e *AmbiguousError) CandidateIDs() []string {
	out := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		out[i] = c.ID
	}
	return out
}

// Resolve returns the district of an address by the directory's resolution
// order without a point (see [Directory.Locate]): the street directory, if
// there is one, then the postal code. A postal code in one district decides
// alone. In a split code the street rules of the address's street
// decide (street names compared after geo.NormalizeStreet, house numbers by
// their leading number: "12a" is 12): if all matching rules name the same
// district, that is it. Otherwise the result is an [*AmbiguousError] whose
// candidates are the districts of the matching rules (when several match) or
// all districts of the code (when none does) — the directory never guesses.
// An unknown postal code gives [ErrUnknownPostalCode] (and [ErrOutside]).
func (d *Directory) Resolve(addr geo.Address) (District, error) {
	r, err := d.Locate(Query{Address: addr})
	return r.District, err
}

// errUnknownCode is an unknown postal code: not in the city.
var errUnknownCode = fmt.Errorf("%w; %w", ErrUnknownPostalCode, ErrOutside)

func (d *Directory) resolvePostal(addr geo.Address) (District, error) {
	r, ok := d.rules[strings.TrimSpace(addr.PostalCode)]
	if !ok {
		return District{}, errUnknownCode
	}
	if len(r.districts) == 1 {
		return d.districts[r.districts[0]], nil
	}
	street, number := addr.Street, addr.HouseNumber
	if number == "" {
		street, number = geo.SplitStreet(street)
	}
	n, hasNumber := geo.HouseNumberValue(number)
	var found []int
	for _, s := range r.streets[geo.NormalizeStreet(street)] {
		if s.matches(n, hasNumber) {
			if p := d.byID[s.District]; !slices.Contains(found, p) {
				found = append(found, p)
			}
		}
	}
	if len(found) == 1 {
		return d.districts[found[0]], nil
	}
	if len(found) == 0 {
		found = r.districts
	}
	slices.Sort(found)
	return District{}, &AmbiguousError{Candidates: d.pick(found)}
}
