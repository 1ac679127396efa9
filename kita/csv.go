package kita

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/internal/enum"
	"github.com/kitaportal/kitaportal/problem"
)

// Limits of [ImportCSV]. Every Kita of North Rhine-Westphalia (about
// 10,500) fits many times over.
const (
	// MaxCSVBytes is the largest CSV file accepted: 16 MiB.
	MaxCSVBytes = 16 << 20
	// MaxCSVRows is the most data rows (after the header) accepted.
	MaxCSVRows = 50000
	// MaxCSVProblems is how many problems an import reports before it stops.
	MaxCSVProblems = 1000
)

// Sentinel errors of the CSV import.
var (
	// ErrCSV: a row or cell of the CSV file is malformed.
	ErrCSV = errors.New("kita: malformed CSV")
	// ErrCSVLimit: the CSV file exceeds [MaxCSVBytes], [MaxCSVRows] or
	// [MaxCSVProblems].
	ErrCSVLimit = errors.New("kita: CSV file exceeds a limit")
	// ErrCSVMapping: the [CSVMapping] itself is unusable.
	ErrCSVMapping = errors.New("kita: invalid CSV mapping")
)

// Stable codes of the CSV import.
const (
	CodeCSVTooLarge        problem.Code = "kita.csv_too_large"
	CodeCSVTooManyRows     problem.Code = "kita.csv_too_many_rows"
	CodeCSVTooManyProblems problem.Code = "kita.csv_too_many_problems"
	CodeCSVNoRows          problem.Code = "kita.csv_no_rows"
	CodeCSVSyntax          problem.Code = "kita.csv_syntax"
	CodeCSVEncoding        problem.Code = "kita.csv_encoding"
	CodeCSVColumnMissing   problem.Code = "kita.csv_column_missing"
	CodeCSVColumnDuplicate problem.Code = "kita.csv_column_duplicate"
	CodeCSVFieldCount      problem.Code = "kita.csv_field_count"
	CodeCSVNumber          problem.Code = "kita.csv_number"
	CodeCSVHours           problem.Code = "kita.csv_hours"
	CodeCSVPostalCode      problem.Code = "kita.csv_postal_code"
	CodeCSVCarrierKind     problem.Code = "kita.csv_carrier_kind"
	CodeCSVCoordinates     problem.Code = "kita.csv_coordinates"
	CodeCSVConflict        problem.Code = "kita.csv_conflict"
	CodeCSVMapping         problem.Code = "kita.csv_mapping_invalid"
	CodeCSVNoPrimary       problem.Code = "kita.csv_no_primary_row"
	CodeCSVPlaces          problem.Code = "kita.csv_places_mismatch"
	CodeCSVOpening         problem.Code = "kita.csv_opening_hours"
	CodeCSVSeparatorLine   problem.Code = "kita.csv_separator_line"
	CodeCSVEncodingLayout  problem.Code = "kita.csv_encoding_not_layouts"
	// Plausibility of coordinates.
	CodeCSVOutside   problem.Code = "kita.csv_point_outside"
	CodeCSVSwapped   problem.Code = "kita.csv_lat_lon_swapped"
	CodeCSVZone      problem.Code = "kita.csv_wrong_utm_zone"
	CodeCSVThousands problem.Code = "kita.csv_thousands_separator"
	// Notices: not problems, the import goes on.
	CodeCSVDistrictUndecided problem.Code = "kita.csv_district_undecided"
)

// CoordinateSystem names the grid of a CSV file's coordinates.
type CoordinateSystem int

// The coordinate systems of German open data.
const (
	// WGS84 latitude and longitude in decimal degrees (columns Lat, Lon).
	WGS84 CoordinateSystem = iota + 1
	// UTM32 is ETRS89 / UTM zone 32N, EPSG:25832: easting and northing in
	// metres (columns Easting, Northing); western Germany.
	UTM32
	// UTM33 is ETRS89 / UTM zone 33N, EPSG:25833; eastern Germany.
	UTM33
	// GK2, GK3 and GK4 are Gauss–Krüger zones 2–4 on the DHDN, EPSG:31466–
	// 31468 (Rechtswert in Easting, Hochwert in Northing), in older exports.
	GK2
	GK3
	GK4
)

var systemNames = [...]string{"", "wgs84", "utm32", "utm33", "gk2", "gk3", "gk4"}

// Valid reports whether s is a known system.
func (s CoordinateSystem) Valid() bool { return s >= WGS84 && s <= GK4 }

// String returns "wgs84", "utm32", "utm33", "gk2", "gk3" or "gk4".
func (s CoordinateSystem) String() string { return enum.Name(systemNames[:], s) }

// metric reports whether s is a grid in metres.
func (s CoordinateSystem) metric() bool { return s.Valid() && s != WGS84 }

// toWGS84 converts grid coordinates of s to a WGS84 point.
func (s CoordinateSystem) toWGS84(x, y float64) (geo.Point, error) {
	switch s {
	case WGS84:
		p := geo.Point{Lat: x, Lon: y}
		if !p.Valid() || p.IsZero() {
			return geo.Point{}, geo.ErrCoordinates
		}
		return p, nil
	case UTM32:
		return geo.FromUTM32(x, y)
	case UTM33:
		return geo.FromUTM33(x, y)
	case GK2, GK3, GK4:
		return geo.FromGaussKrueger(int(s-GK2)+2, x, y)
	}
	return geo.Point{}, geo.ErrCoordinates
}

// Encoding is the character encoding of a CSV file.
type Encoding int

// The encodings of German open data. The zero value means UTF-8, and a
// file that is not valid UTF-8 is then reported cell by cell.
const (
	UTF8 Encoding = iota + 1
	// Windows1252 is what spreadsheet programs on Windows write ("ANSI").
	Windows1252
	// Latin1 is ISO 8859-1.
	Latin1
)

var encodingNames = [...]string{"", "utf-8", "windows-1252", "latin-1"}

// Valid reports whether e is a known encoding.
func (e Encoding) Valid() bool { return e >= UTF8 && e <= Latin1 }

// String returns "utf-8", "windows-1252" or "latin-1".
func (e Encoding) String() string { return enum.Name(encodingNames[:], e) }

// AgeUnit is the unit of the age columns of a CSV file.
type AgeUnit int

// The age units; the zero value means months.
const (
	// Months: whole months ("4").
	Months AgeUnit = iota + 1
	// Years: years, possibly with a decimal comma or point ("2", "0,5").
	Years
)

// Valid reports whether u is a known unit.
func (u AgeUnit) Valid() bool { return u == Months || u == Years }

// String returns "months" or "years".
func (u AgeUnit) String() string {
	switch u {
	case Months:
		return "months"
	case Years:
		return "years"
	}
	return "unset"
}

// CSVColumns names the header of the column that holds each field; an
// empty name means the file has no such column. Names are matched without
// regard to case and surrounding spaces.
type CSVColumns struct {
	ID          string `json:"id"`   // required unless CSVMapping.GenerateIDs
	Name        string `json:"name"` // required
	CarrierID   string `json:"carrier_id"`
	CarrierName string `json:"carrier_name"`
	// CarrierKind holds the city's word for the kind of Träger, translated by
	// CSVMapping.CarrierKinds.
	CarrierKind string `json:"carrier_kind"`
	// Street holds "Hauptstraße 12a" (split by geo.SplitStreet), or the
	// street alone when HouseNumber is set.
	Street      string `json:"street"`
	HouseNumber string `json:"house_number"`
	// PostalCodeCity holds "44787 Bochum"; use it or PostalCode and City.
	PostalCodeCity string `json:"postal_code_city"`
	PostalCode     string `json:"postal_code"`
	City           string `json:"city"`
	District       string `json:"district"`
	// Lat and Lon are read with WGS84, Easting and Northing with the
	// metric grids (UTM32, UTM33, GK2–GK4: Rechtswert and Hochwert).
	Lat      string `json:"lat"`
	Lon      string `json:"lon"`
	Easting  string `json:"easting"`
	Northing string `json:"northing"`
	// MinAge and MaxAge in the mapping's AgeUnit.
	MinAge string `json:"min_age"`
	MaxAge string `json:"max_age"`
	// Hours holds the weekly care hours offered, as "25/35/45" (separated by
	// slash, comma, semicolon, bar or space; a trailing "h" is allowed).
	Hours      string `json:"hours,omitempty"` // required unless CSVMapping.Defaults.Hours
	CapacityU3 string `json:"capacity_u3,omitempty"`
	CapacityO3 string `json:"capacity_o3,omitempty"`
	// Places holds the total of places; with GroupsU3 (and optionally
	// GroupsO3), the number of groups for under-threes and for older
	// children, the total is split: each U3 group holds 10 places (KiBiz
	// group form II), the rest are Ü3 places.
	Places   string `json:"places,omitempty"`
	GroupsU3 string `json:"groups_u3,omitempty"`
	GroupsO3 string `json:"groups_o3,omitempty"`
	// Opening holds the opening hours on weekdays, as "07:00-16:30",
	// "7.30 – 16 Uhr" or "07:00 bis 14:00".
	Opening string `json:"opening,omitempty"`
}

// CSVDefaults are values for columns a file lacks or cells it leaves empty.
// A nil or empty field has no default.
type CSVDefaults struct {
	Hours        HoursOptions  `json:"hours,omitempty"`
	MinAgeMonths *int          `json:"min_age_months,omitempty"`
	MaxAgeMonths *int          `json:"max_age_months,omitempty"`
	CapacityU3   *int          `json:"capacity_u3,omitempty"`
	CapacityO3   *int          `json:"capacity_o3,omitempty"`
	Opening      *OpeningHours `json:"opening,omitempty"`
}

// The fields a city may leave to the carriers ([CSVMapping.CarrierMaintained]).
const (
	FieldHours    = "hours"
	FieldCapacity = "capacity"
	FieldAges     = "ages"
	FieldOpening  = "opening"
)

var maintainable = []string{FieldHours, FieldCapacity, FieldAges, FieldOpening}

// DuplicateRule says how rows with the same id become one facility.
type DuplicateRule struct {
	// PrimaryColumn and PrimaryValue pick the row that describes the
	// facility (Bochum: column "erstkateg" = "1" marks the primary
	// category of a Kita listed in two); without PrimaryValue the row where
	// the column has any value is the primary one. The other rows only
	// count as merged. Exactly one row of each id must be primary. Without
	// PrimaryColumn every row contributes, and two rows must not disagree
	// (see [ImportCSV]).
	PrimaryColumn string `json:"primary_column,omitempty"`
	PrimaryValue  string `json:"primary_value,omitempty"`
	// Merge names mapped fields (keys as in the JSON form of [CSVColumns],
	// such as "hours") that are gathered from every row even with a
	// primary row: hours become the union, the minimum age the lowest, any
	// other field the first non-empty value, without conflict.
	Merge []string `json:"merge,omitempty"`
}

// CSVMapping tells [ImportCSV] how a city's open-data file is laid out.
type CSVMapping struct {
	Columns CSVColumns
	// Comma is the separator: ';', ',', '\t' or '|'; 0 detects it from the
	// header line (the most frequent of ';', ',' and tab outside quotes).
	Comma rune
	// Coordinates is the grid of the coordinate columns; zero means the file
	// has none.
	Coordinates CoordinateSystem
	// AgeUnit is the unit of MinAge and MaxAge; zero means months.
	AgeUnit AgeUnit
	// CarrierKinds translates the city's words for carrier kinds, such as
	// "städtisch" → Municipal, "katholisch" → Catholic. A cell matches a word
	// that equals it (ignoring case and spaces); failing that, the longest
	// word contained in it ("Kath. Kirchengemeinde" contains "kath."); failing
	// that, a stable name ("municipal").
	CarrierKinds map[string]CarrierKind
	// DefaultCarrierKind is used for a cell that matches no word (zero: such
	// a cell is a problem) and for empty cells.
	DefaultCarrierKind CarrierKind
	// Districts translates the city's district names to district ids
	// ("Bochum-Mitte" → "I"), ignoring case; other values are kept as they
	// are.
	Districts map[string]string
	// City is the town of every address when the file has no column for it.
	City string
	// Allowed are the care hours the city allows (nil: any from 1 to 60).
	// [Catalogue.ImportCSV] uses the catalogue's options instead.
	Allowed HoursOptions
	// Encoding of the file (zero: UTF-8). A UTF-8 byte-order mark always
	// means UTF-8.
	Encoding Encoding
	// Defaults fill columns the file lacks and cells it leaves empty.
	Defaults CSVDefaults
	// CarrierMaintained names the fields ("hours", "capacity", "ages",
	// "opening") the carriers maintain in the portal: a facility whose
	// value came from a default is listed in the report as waiting for its
	// carrier.
	CarrierMaintained []string
	// Duplicates is the rule for rows with the same id.
	Duplicates DuplicateRule
	// GenerateIDs, when the file has no id column, makes ids from this
	// prefix and a hash of name, street, house number and postal code, so
	// that the same facility keeps its id from one import to the next.
	GenerateIDs string
}

// Validate reports a mapping that cannot work, as a [problem.List] with
// fields like "columns.id" and rule [ErrCSVMapping].
func (m CSVMapping) Validate() error {
	var p problem.Collector
	col := m.Columns
	if strings.TrimSpace(col.ID) == "" && strings.TrimSpace(m.GenerateIDs) == "" {
		p.Add("columns.id", CodeCSVMapping, ErrCSVMapping)
	}
	if col.ID != "" && m.GenerateIDs != "" {
		p.Add("generate_ids", CodeCSVMapping, ErrCSVMapping)
	}
	if strings.TrimSpace(col.Name) == "" {
		p.Add("columns.name", CodeCSVMapping, ErrCSVMapping)
	}
	if strings.TrimSpace(col.Hours) == "" && len(m.Defaults.Hours) == 0 {
		p.Add("columns.hours", CodeCSVMapping, ErrCSVMapping)
	}
	if col.Places != "" && col.GroupsU3 == "" && col.CapacityU3 == "" {
		p.Add("columns.groups_u3", CodeCSVMapping, ErrCSVMapping)
	}
	if (col.GroupsU3 != "" || col.GroupsO3 != "") && col.Places == "" {
		p.Add("columns.places", CodeCSVMapping, ErrCSVMapping)
	}
	if m.Encoding != 0 && !m.Encoding.Valid() {
		p.Add("encoding", CodeCSVMapping, ErrCSVMapping)
	}
	for i, f := range m.CarrierMaintained {
		if !slices.Contains(maintainable, f) {
			p.Add("carrier_maintained["+strconv.Itoa(i)+"]", CodeCSVMapping, ErrCSVMapping)
		}
	}
	d := m.Duplicates
	if d.PrimaryColumn == "" && d.PrimaryValue != "" {
		p.Add("duplicates.primary_column", CodeCSVMapping, ErrCSVMapping)
	}
	keys := map[string]bool{}
	for _, f := range col.fields() {
		keys[f.key] = true
	}
	for i, k := range d.Merge {
		if !keys[k] || k == "id" {
			p.Add("duplicates.merge["+strconv.Itoa(i)+"]", CodeCSVMapping, ErrCSVMapping)
		}
	}
	def := m.Defaults
	for _, v := range []struct {
		field string
		n     *int
	}{{"defaults.min_age_months", def.MinAgeMonths}, {"defaults.max_age_months", def.MaxAgeMonths},
		{"defaults.capacity_u3", def.CapacityU3}, {"defaults.capacity_o3", def.CapacityO3}} {
		if v.n != nil && (*v.n < 0 || *v.n > 100000) {
			p.Add(v.field, CodeCSVMapping, ErrCSVMapping)
		}
	}
	if col.PostalCodeCity != "" && (col.PostalCode != "" || col.City != "") {
		p.Add("columns.postal_code_city", CodeCSVMapping, ErrCSVMapping)
	}
	if col.HouseNumber != "" && col.Street == "" {
		p.Add("columns.house_number", CodeCSVMapping, ErrCSVMapping)
	}
	switch m.Coordinates {
	case 0:
		if col.Lat != "" || col.Lon != "" || col.Easting != "" || col.Northing != "" {
			p.Add("coordinates", CodeCSVMapping, ErrCSVMapping)
		}
	case WGS84:
		if col.Lat == "" || col.Lon == "" || col.Easting != "" || col.Northing != "" {
			p.Add("columns.lat", CodeCSVMapping, ErrCSVMapping)
		}
	case UTM32, UTM33, GK2, GK3, GK4:
		if col.Easting == "" || col.Northing == "" || col.Lat != "" || col.Lon != "" {
			p.Add("columns.easting", CodeCSVMapping, ErrCSVMapping)
		}
	default:
		p.Add("coordinates", CodeCSVMapping, ErrCSVMapping)
	}
	if m.AgeUnit != 0 && !m.AgeUnit.Valid() {
		p.Add("age_unit", CodeCSVMapping, ErrCSVMapping)
	}
	switch m.Comma {
	case 0, ';', ',', '\t', '|':
	default:
		p.Add("comma", CodeCSVMapping, ErrCSVMapping)
	}
	for word, k := range m.CarrierKinds {
		if !k.Valid() || normWord(word) == "" {
			p.Add("carrier_kinds", CodeCSVMapping, ErrCSVMapping)
			break
		}
	}
	if m.DefaultCarrierKind != 0 && !m.DefaultCarrierKind.Valid() {
		p.Add("default_carrier_kind", CodeCSVMapping, ErrCSVMapping)
	}
	// One column may feed several fields (a name that is also the
	// carrier's, say), so the same header name may appear twice.
	return sortedErr(&p)
}

// sortedErr returns the collected problems ordered by field, so that
// problems found by ranging over maps come out the same every time.
func sortedErr(p *problem.Collector) error {
	err := p.Err()
	if l, ok := err.(problem.List); ok {
		slices.SortStableFunc(l, func(a, b problem.Problem) int { return strings.Compare(a.Field, b.Field) })
	}
	return err
}

type columnRef struct{ key, name string }

func (c CSVColumns) fields() []columnRef {
	return []columnRef{
		{"id", c.ID}, {"name", c.Name}, {"carrier_id", c.CarrierID}, {"carrier_name", c.CarrierName},
		{"carrier_kind", c.CarrierKind}, {"street", c.Street}, {"house_number", c.HouseNumber},
		{"postal_code_city", c.PostalCodeCity}, {"postal_code", c.PostalCode}, {"city", c.City},
		{"district", c.District}, {"lat", c.Lat}, {"lon", c.Lon}, {"easting", c.Easting},
		{"northing", c.Northing}, {"min_age", c.MinAge}, {"max_age", c.MaxAge}, {"hours", c.Hours},
		{"capacity_u3", c.CapacityU3}, {"capacity_o3", c.CapacityO3}, {"places", c.Places},
		{"groups_u3", c.GroupsU3}, {"groups_o3", c.GroupsO3}, {"opening", c.Opening},
	}
}

// normWord folds a header name or a city's word: lower case, inner runs of
// space as one space, trimmed.
func normWord(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
