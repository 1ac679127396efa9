package kita

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/geo"
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
)

// CoordinateSystem names the grid of a CSV file's coordinates.
type CoordinateSystem int

// The coordinate systems of German open data.
const (
	// WGS84 latitude and longitude in decimal degrees (columns Lat, Lon).
	WGS84 CoordinateSystem = iota + 1
	// UTM32 is ETRS89 / UTM zone 32N, EPSG:25832: easting and northing in
	// metres (columns Easting, Northing).
	UTM32
)

// Valid reports whether s is a known system.
func (s CoordinateSystem) Valid() bool { return s == WGS84 || s == UTM32 }

// String returns "wgs84" or "utm32".
func (s CoordinateSystem) String() string {
	switch s {
	case WGS84:
		return "wgs84"
	case UTM32:
		return "utm32"
	}
	return "unset"
}

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
	ID          string `json:"id"`   // required
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
	// Lat and Lon are read with WGS84, Easting and Northing with UTM32.
	Lat      string `json:"lat"`
	Lon      string `json:"lon"`
	Easting  string `json:"easting"`
	Northing string `json:"northing"`
	// MinAge and MaxAge in the mapping's AgeUnit.
	MinAge string `json:"min_age"`
	MaxAge string `json:"max_age"`
	// Hours holds the weekly care hours offered, as "25/35/45" (separated by
	// slash, comma, semicolon, bar or space; a trailing "h" is allowed).
	Hours      string `json:"hours"` // required
	CapacityU3 string `json:"capacity_u3"`
	CapacityO3 string `json:"capacity_o3"`
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
}

// Validate reports a mapping that cannot work, as a [problem.List] with
// fields like "columns.id" and rule [ErrCSVMapping].
func (m CSVMapping) Validate() error {
	var p problem.Collector
	col := m.Columns
	for field, name := range map[string]string{"columns.id": col.ID, "columns.name": col.Name, "columns.hours": col.Hours} {
		if strings.TrimSpace(name) == "" {
			p.Add(field, CodeCSVMapping, ErrCSVMapping)
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
	case UTM32:
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
	seen := map[string]string{}
	for _, f := range col.fields() {
		if f.name == "" {
			continue
		}
		key := normWord(f.name)
		if other, dup := seen[key]; dup {
			p.Add("columns."+f.key, CodeCSVMapping, ErrCSVMapping, "other", other)
			continue
		}
		seen[key] = f.key
	}
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
		{"capacity_u3", c.CapacityU3}, {"capacity_o3", c.CapacityO3},
	}
}

// normWord folds a header name or a city's word: lower case, inner runs of
// space as one space, trimmed.
func normWord(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// ImportCSV reads a city's open-data list of Kitas.
//
// The file is UTF-8, with or without a byte-order mark, separated by
// semicolons or commas (see [CSVMapping.Comma]), with fields quoted as in
// RFC 4180; the first line is the header. Empty lines are skipped. Files
// larger than [MaxCSVBytes] or with more than [MaxCSVRows] data rows are
// rejected as a whole.
//
// Several rows with the same id describe one facility and are merged in
// file order: the care hours are the union of all rows; the minimum age is
// the lowest; every other column takes the first non-empty value, and a
// later row with a different non-empty value is a conflict
// ([CodeCSVConflict]) — so places may stand in one row and be left empty in
// the others, but two rows must not disagree.
//
// Every Kita is then validated ([Kita.Validate] with m.Allowed). Problems
// are collected over the whole file (up to [MaxCSVProblems]) and returned
// together as a [problem.List] whose fields name the line and column, as
// "line 12: column plz" (the column as the mapping names it); a problem of a
// merged facility names the first line of its id. Kitas come in the order of
// their first row. On any problem no Kita is returned.
func ImportCSV(r io.Reader, m CSVMapping) ([]Kita, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, errors.Join(ErrCSV, err)
	}
	if len(data) > MaxCSVBytes {
		return nil, problem.List{{Field: "file", Code: CodeCSVTooLarge, Rule: ErrCSVLimit,
			Params: map[string]string{"max": strconv.Itoa(MaxCSVBytes)}}}
	}
	im := importer{m: m}
	return im.run(bytes.TrimPrefix(data, []byte("\uFEFF")))
}

// ImportCSV reads a city's open-data list like [ImportCSV], checking hours
// against the catalogue's options, and replaces the whole catalogue with it
// only if the whole file is good.
func (c *Catalogue) ImportCSV(r io.Reader, m CSVMapping) error {
	m.Allowed = c.allowed
	kitas, err := ImportCSV(r, m)
	if err != nil {
		return err
	}
	return c.Replace(kitas)
}

// errTooMany stops an import that has collected MaxCSVProblems.
var errTooMany = errors.New("too many problems")

type importer struct {
	m     CSVMapping
	p     problem.Collector
	cols  map[string]int // mapping key -> index in the header
	order []columnRef    // mapped columns in CSVColumns order
}

func (im *importer) add(field string, code problem.Code, rule error, params ...string) {
	if im.p.Len() >= MaxCSVProblems {
		panic(errTooMany)
	}
	im.p.Add(field, code, rule, params...)
}

func at(line int, column string) string {
	if column == "" {
		return "line " + strconv.Itoa(line)
	}
	return "line " + strconv.Itoa(line) + ": column " + column
}

// cell is one value of a facility with the line it came from.
type cell struct {
	v    string
	line int
}

// record is one facility gathered from one or more rows.
type record struct {
	line  int // first line
	cells map[string]cell
	hours []cell // every hours cell, for the union
	ages  []cell // every min-age cell, for the minimum
}

func (im *importer) run(data []byte) (kitas []Kita, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errTooMany {
				panic(r)
			}
			im.p.Add("file", CodeCSVTooManyProblems, ErrCSVLimit, "max", strconv.Itoa(MaxCSVProblems))
			kitas, err = nil, im.p.Err()
		}
	}()
	rd := csv.NewReader(bytes.NewReader(data))
	rd.Comma = im.m.Comma
	if rd.Comma == 0 {
		rd.Comma = detectComma(data)
	}
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err == io.EOF {
		im.add("file", CodeCSVNoRows, ErrCSV)
		return nil, im.p.Err()
	}
	if err != nil {
		im.syntax(err, 1)
		return nil, im.p.Err()
	}
	width := len(header)
	if !im.header(header) {
		return nil, im.p.Err()
	}
	var (
		records []*record
		byID    = map[string]*record{}
		rows    = 0
	)
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			im.syntax(err, 0) // FieldPos is undefined after an error
			continue
		}
		if blank(row) {
			continue
		}
		rows++
		if rows > MaxCSVRows {
			return nil, problem.List{{Field: "file", Code: CodeCSVTooManyRows, Rule: ErrCSVLimit,
				Params: map[string]string{"max": strconv.Itoa(MaxCSVRows)}}}
		}
		line, _ := rd.FieldPos(0)
		if len(row) != width {
			im.add(at(line, ""), CodeCSVFieldCount, ErrCSV, "want", strconv.Itoa(width))
			continue
		}
		ok := true
		for _, f := range im.order {
			if i := im.cols[f.key]; !utf8.ValidString(row[i]) {
				l, _ := rd.FieldPos(i)
				im.add(at(l, f.name), CodeCSVEncoding, ErrCSV)
				ok = false
			}
		}
		if !ok {
			continue
		}
		id := strings.TrimSpace(im.value(row, "id"))
		rec := byID[id]
		if rec == nil || id == "" {
			rec = &record{line: line, cells: map[string]cell{}}
			records = append(records, rec)
			if id != "" {
				byID[id] = rec
			}
		}
		im.merge(rec, row, rd)
	}
	if len(records) == 0 && im.p.Len() == 0 {
		im.add("file", CodeCSVNoRows, ErrCSV)
	}
	kitas = make([]Kita, 0, len(records))
	for _, rec := range records {
		k, ok := im.kita(rec)
		if !ok {
			continue
		}
		if err := k.Validate(im.m.Allowed); err != nil {
			var l problem.List
			errors.As(err, &l)
			for _, pr := range l {
				pr.Field = im.locate(rec, pr.Field)
				im.add(pr.Field, pr.Code, pr.Rule, flatten(pr.Params)...)
			}
			continue
		}
		kitas = append(kitas, k)
	}
	if err := im.p.Err(); err != nil {
		return nil, err
	}
	return kitas, nil
}

func flatten(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, 0, 2*len(m))
	for _, k := range keys {
		out = append(out, k, m[k])
	}
	return out
}

func (im *importer) syntax(err error, line int) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line = pe.Line
		im.add(at(line, "")+" position "+strconv.Itoa(pe.Column), CodeCSVSyntax, ErrCSV)
		return
	}
	im.add(at(line, ""), CodeCSVSyntax, ErrCSV)
}

// header finds the mapped columns; it reports missing and ambiguous ones.
func (im *importer) header(header []string) bool {
	pos := map[string][]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		pos[normWord(h)] = append(pos[normWord(h)], i)
	}
	im.cols = map[string]int{}
	ok := true
	for _, f := range im.m.Columns.fields() {
		if f.name == "" {
			continue
		}
		switch idx := pos[normWord(f.name)]; len(idx) {
		case 0:
			im.add(at(1, f.name), CodeCSVColumnMissing, ErrCSV)
			ok = false
		case 1:
			im.cols[f.key] = idx[0]
			im.order = append(im.order, f)
		default:
			im.add(at(1, f.name), CodeCSVColumnDuplicate, ErrCSV)
			ok = false
		}
	}
	return ok
}

func (im *importer) name(key string) string {
	for _, f := range im.m.Columns.fields() {
		if f.key == key {
			return f.name
		}
	}
	return key
}

func (im *importer) value(row []string, key string) string {
	if i, ok := im.cols[key]; ok {
		return row[i]
	}
	return ""
}

func (im *importer) merge(rec *record, row []string, rd *csv.Reader) {
	for _, f := range im.order {
		key, i := f.key, im.cols[f.key]
		v := strings.TrimSpace(row[i])
		if v == "" {
			continue
		}
		line, _ := rd.FieldPos(i)
		c := cell{v: v, line: line}
		switch key {
		case "hours":
			rec.hours = append(rec.hours, c)
			continue
		case "min_age":
			rec.ages = append(rec.ages, c)
			continue
		}
		prev, seen := rec.cells[key]
		switch {
		case !seen:
			rec.cells[key] = c
		case prev.v != v:
			im.add(at(line, im.name(key)), CodeCSVConflict, ErrCSV, "first_line", strconv.Itoa(prev.line))
		}
	}
}

// locate turns a Kita field path into the line and column it came from.
func (im *importer) locate(rec *record, field string) string {
	col := im.m.Columns
	pick := func(names ...string) string {
		for _, n := range names {
			if n != "" {
				return n
			}
		}
		return ""
	}
	var name string
	switch base, _, _ := strings.Cut(field, "["); base {
	case "id":
		name = col.ID
	case "name":
		name = col.Name
	case "carrier.kind":
		name = col.CarrierKind
	case "hours":
		name = col.Hours
	case "capacity.u3":
		name = col.CapacityU3
	case "capacity.o3":
		name = col.CapacityO3
	case "capacity":
		name = pick(col.CapacityU3, col.CapacityO3)
	case "min_age_months":
		name = col.MinAge
	case "max_age_months":
		name = col.MaxAge
	case "location":
		name = pick(col.Lat, col.Easting)
	case "address.street":
		name = col.Street
	case "address.house_number":
		name = pick(col.HouseNumber, col.Street)
	case "address.postal_code":
		name = pick(col.PostalCode, col.PostalCodeCity)
	case "address.city":
		name = pick(col.City, col.PostalCodeCity)
	}
	if name == "" {
		return at(rec.line, "") + ": " + field
	}
	return at(rec.line, name)
}

var postalCity = regexp.MustCompile(`^(?:D\s*-?\s*)?(\d{5})(?:\s+(\S.*))?$`)

// kita parses the cells of a record; ok is false when a cell was malformed.
func (im *importer) kita(rec *record) (Kita, bool) {
	before := im.p.Len()
	get := func(key string) string { return rec.cells[key].v }
	k := Kita{
		ID:       get("id"),
		Name:     get("name"),
		District: get("district"),
		Carrier:  Carrier{ID: get("carrier_id"), Name: get("carrier_name")},
	}
	if d, ok := lookupFold(im.m.Districts, k.District); ok {
		k.District = d
	}
	k.Carrier.Kind = im.carrierKind(rec)

	// Address.
	if im.m.Columns.HouseNumber != "" {
		k.Address.Street, k.Address.HouseNumber = get("street"), get("house_number")
	} else {
		k.Address.Street, k.Address.HouseNumber = geo.SplitStreet(get("street"))
	}
	k.Address.PostalCode, k.Address.City = get("postal_code"), get("city")
	if c, ok := rec.cells["postal_code_city"]; ok {
		mm := postalCity.FindStringSubmatch(c.v)
		if mm == nil {
			im.add(at(c.line, im.m.Columns.PostalCodeCity), CodeCSVPostalCode, ErrCSV)
		} else {
			k.Address.PostalCode, k.Address.City = mm[1], strings.TrimSpace(mm[2])
		}
	}
	if k.Address.City == "" && k.Address != (geo.Address{}) {
		k.Address.City = im.m.City
	}

	// Places and ages.
	k.Capacity.Under3 = im.integer(rec, "capacity_u3")
	k.Capacity.From3 = im.integer(rec, "capacity_o3")
	k.MaxAgeMonths = im.age(rec.cells["max_age"], "max_age")
	for i, c := range rec.ages {
		a := im.age(c, "min_age")
		if i == 0 || a < k.MinAgeMonths {
			k.MinAgeMonths = a
		}
	}

	// Hours: the union of all rows, in ascending order.
	for _, c := range rec.hours {
		hs, ok := parseHours(c.v)
		if !ok {
			im.add(at(c.line, im.m.Columns.Hours), CodeCSVHours, ErrCSV)
			continue
		}
		for _, h := range hs {
			if !slices.Contains(k.Hours, h) {
				k.Hours = append(k.Hours, h)
			}
		}
	}
	slices.Sort(k.Hours)

	k.Location = im.location(rec)
	return k, im.p.Len() == before
}

func (im *importer) carrierKind(rec *record) CarrierKind {
	c, ok := rec.cells["carrier_kind"]
	if !ok {
		return im.m.DefaultCarrierKind
	}
	w := normWord(c.v)
	for word, k := range im.m.CarrierKinds {
		if normWord(word) == w {
			return k
		}
	}
	// Longest contained word; equal lengths by word order.
	best, kind := "", CarrierKind(0)
	for word, k := range im.m.CarrierKinds {
		nw := normWord(word)
		if nw != "" && strings.Contains(w, nw) && (len(nw) > len(best) || (len(nw) == len(best) && nw < best)) {
			best, kind = nw, k
		}
	}
	if kind != 0 {
		return kind
	}
	if k, ok := ParseCarrierKind(w); ok {
		return k
	}
	if im.m.DefaultCarrierKind != 0 {
		return im.m.DefaultCarrierKind
	}
	im.add(at(c.line, im.m.Columns.CarrierKind), CodeCSVCarrierKind, ErrCSV)
	return 0
}

func lookupFold(m map[string]string, key string) (string, bool) {
	if key == "" {
		return "", false
	}
	if v, ok := m[key]; ok {
		return v, true
	}
	nk := normWord(key)
	for k, v := range m {
		if normWord(k) == nk {
			return v, true
		}
	}
	return "", false
}

func (im *importer) integer(rec *record, key string) int {
	c, ok := rec.cells[key]
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(c.v)
	if err != nil || n < 0 || n > 100000 {
		im.add(at(c.line, im.name(key)), CodeCSVNumber, ErrCSV)
		return 0
	}
	return n
}

// age reads an age cell in the mapping's unit and returns months.
func (im *importer) age(c cell, key string) int {
	if c.v == "" {
		return 0
	}
	if im.m.AgeUnit == Years {
		f, ok := decimal(c.v)
		if !ok || f < 0 || f > 10 {
			im.add(at(c.line, im.name(key)), CodeCSVNumber, ErrCSV)
			return 0
		}
		return int(math.Round(f * 12))
	}
	n, err := strconv.Atoi(c.v)
	if err != nil || n < 0 || n > 120 {
		im.add(at(c.line, im.name(key)), CodeCSVNumber, ErrCSV)
		return 0
	}
	return n
}

// decimal reads "51.4818" or the German "51,4818".
func decimal(s string) (float64, bool) {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func (im *importer) location(rec *record) geo.Point {
	var xk, yk string
	switch im.m.Coordinates {
	case WGS84:
		xk, yk = "lat", "lon"
	case UTM32:
		xk, yk = "easting", "northing"
	default:
		return geo.Point{}
	}
	xc, okx := rec.cells[xk]
	yc, oky := rec.cells[yk]
	if !okx && !oky {
		return geo.Point{}
	}
	x, okx := decimal(xc.v)
	if !okx {
		im.add(at(max(xc.line, rec.line), im.name(xk)), CodeCSVCoordinates, ErrCSV)
	}
	y, oky := decimal(yc.v)
	if !oky {
		im.add(at(max(yc.line, rec.line), im.name(yk)), CodeCSVCoordinates, ErrCSV)
	}
	if !okx || !oky {
		return geo.Point{}
	}
	if im.m.Coordinates == WGS84 {
		p := geo.Point{Lat: x, Lon: y}
		if !p.Valid() || p.IsZero() {
			im.add(at(xc.line, im.name(xk)), CodeCSVCoordinates, ErrCSV)
			return geo.Point{}
		}
		return p
	}
	p, err := geo.FromUTM32(x, y)
	if err != nil || p.IsZero() {
		im.add(at(xc.line, im.name(xk)), CodeCSVCoordinates, ErrCSV)
		return geo.Point{}
	}
	return p
}

// parseHours reads "25/35/45", "25, 35", "35h".
func parseHours(s string) ([]Hours, bool) {
	tokens := strings.FieldsFunc(s, func(r rune) bool {
		return r == '/' || r == ',' || r == ';' || r == '|' || r == ' ' || r == '\t'
	})
	if len(tokens) == 0 {
		return nil, false
	}
	out := make([]Hours, 0, len(tokens))
	for _, t := range tokens {
		t = strings.TrimSuffix(strings.TrimSuffix(t, "h"), "H")
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 || n > 168 || !digits(t) {
			return nil, false
		}
		out = append(out, Hours(n))
	}
	return out, true
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// detectComma picks the separator of the header line: the most frequent of
// ';', ',' and tab outside quotes (a tie prefers ';', the German
// spreadsheet default); none at all means ','.
func detectComma(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, b := range data {
		if b == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if b == '\n' {
			break
		}
		switch b {
		case ';', ',', '\t':
			counts[rune(b)]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{';', ',', '\t'} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}
