package kita

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// ImportCSV reads a city's open-data list of Kitas; it is [Import] without
// options, returning only the Kitas.
//
// The file is UTF-8 (or the mapping's [Encoding]), with or without a
// byte-order mark, with LF or CRLF line ends, separated by semicolons or
// commas (see [CSVMapping.Comma]; a first line "sep=;" as spreadsheet
// programs write it names the separator), with fields quoted as in RFC
// 4180; the first line (after "sep=") is the header. Empty lines are
// skipped. Files larger than [MaxCSVBytes] or with more than [MaxCSVRows]
// data rows are rejected as a whole.
//
// Several rows with the same id describe one facility. Without a primary
// rule ([DuplicateRule]) they are merged in file order: the care hours are
// the union of all rows; the minimum age is the lowest; every other column
// takes the first non-empty value, and a later row with a different
// non-empty value is a conflict ([CodeCSVConflict]) — so places may stand in
// one row and be left empty in the others, but two rows must not disagree.
// With a primary rule the primary row describes the facility.
//
// Every Kita is then validated ([Kita.Validate] with m.Allowed). Problems
// are collected over the whole file (up to [MaxCSVProblems]) and returned
// together as a [problem.List] whose fields name the line and column, as
// "line 12: column plz" (the column as the mapping names it); a problem of a
// merged facility names the first line of its id. Kitas come in the order of
// their first row. On any problem no Kita is returned.
func ImportCSV(r io.Reader, m CSVMapping) ([]Kita, error) {
	res, err := Import(r, m, ImportOptions{})
	return res.Kitas, err
}

// Area is a city's extent, for plausibility checks of coordinates; a
// district.Directory with boundaries or an outline is one.
type Area interface {
	Contains(p geo.Point) bool
}

// DistrictFinder finds the district of a facility from its address and
// point; a district.Directory is one. Any error leaves the district empty
// and is a notice in the report ([CodeCSVDistrictUndecided]); a point
// outside the city is a problem only through [ImportOptions.Area].
type DistrictFinder interface {
	DistrictOf(addr geo.Address, p geo.Point) (string, error)
}

// candidates is an error that names the districts a place may lie in
// (district.AmbiguousError), for the report's notice.
type candidates interface {
	error
	CandidateIDs() []string
}

// ImportOptions are the runtime companions of a mapping.
type ImportOptions struct {
	// Area is the city's extent. Without it a point must lie in Germany.
	Area Area
	// Districts decides the district of facilities whose file has no
	// district column; undecided districts are notices in the report.
	Districts DistrictFinder
}

// RowProblem is one problem of an import, as a structured value.
type RowProblem struct {
	// Line is the file's line (1 is the header; 0 for the whole file).
	Line int `json:"line"`
	// Column is the header name of the column, if one is to blame.
	Column string `json:"column,omitempty"`
	// Field is the Kita field when no column is to blame ("address.city").
	Field string       `json:"field,omitempty"`
	Code  problem.Code `json:"code"`
	// Params are the rule's parameters, never the cell's value.
	Params map[string]string `json:"params,omitempty"`
}

// ImportReport says what an import read and did.
type ImportReport struct {
	// Encoding is the encoding the file was read in.
	Encoding string `json:"encoding"`
	// Separator is the field separator used.
	Separator string `json:"separator"`
	// Rows is the number of data rows read (blank rows not counted).
	Rows int `json:"rows"`
	// Facilities is the number of distinct facilities (ids).
	Facilities int `json:"facilities"`
	// Merged is the number of rows merged into another row's facility.
	Merged int `json:"merged"`
	// Defaults counts, per field, the facilities that took a default.
	Defaults map[string]int `json:"defaults,omitempty"`
	// CarrierMaintained lists, per facility id, the fields its carrier is
	// to maintain because they came from a default.
	CarrierMaintained map[string][]string `json:"carrier_maintained,omitempty"`
	// Problems are the reasons the import failed; empty on success.
	Problems []RowProblem `json:"problems,omitempty"`
	// Notices are remarks that do not stop the import (an undecided
	// district, say).
	Notices []RowProblem `json:"notices,omitempty"`
	// DryRun is true when nothing was changed on purpose.
	DryRun bool `json:"dry_run,omitempty"`
}

// ImportResult is the outcome of [Import].
type ImportResult struct {
	Kitas  []Kita
	Report ImportReport
}

// Import reads a city's open-data list of Kitas like [ImportCSV] and
// reports what it read. On problems Kitas is nil, the error is a
// [problem.List] and the report lists the same problems as structured
// values; the report is filled in either case.
func Import(r io.Reader, m CSVMapping, opt ImportOptions) (ImportResult, error) {
	if err := m.Validate(); err != nil {
		return ImportResult{}, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return ImportResult{}, errors.Join(ErrCSV, err)
	}
	im := importer{m: m, opt: opt}
	for word, k := range m.CarrierKinds {
		if nw := normWord(word); nw != "" {
			im.kinds = append(im.kinds, kindWord{nw, k})
		}
	}
	// Longer words first, equal lengths by word order: the longest
	// contained word wins, the same every time.
	slices.SortFunc(im.kinds, func(a, b kindWord) int {
		if len(a.word) != len(b.word) {
			return len(b.word) - len(a.word)
		}
		return strings.Compare(a.word, b.word)
	})
	if len(data) > MaxCSVBytes {
		im.add(0, "", "file", CodeCSVTooLarge, ErrCSVLimit, "max", strconv.Itoa(MaxCSVBytes))
		return im.result(nil)
	}
	kitas := im.run(data)
	return im.result(kitas)
}

// CatalogueImport are the options of [Catalogue.Import].
type CatalogueImport struct {
	ImportOptions
	// DryRun checks the file and reports without changing the catalogue.
	DryRun bool
}

// ImportCSV reads a city's open-data list like [ImportCSV], checking hours
// against the catalogue's options, and replaces the whole catalogue with it
// only if the whole file is good.
func (c *Catalogue) ImportCSV(r io.Reader, m CSVMapping) error {
	_, err := c.Import(r, m, CatalogueImport{})
	return err
}

// Import reads a city's open-data list like [Import], checking hours
// against the catalogue's options, and replaces the whole catalogue with it
// only if the whole file is good and o.DryRun is false: all or nothing.
func (c *Catalogue) Import(r io.Reader, m CSVMapping, o CatalogueImport) (ImportReport, error) {
	m.Allowed = c.allowed
	res, err := Import(r, m, o.ImportOptions)
	res.Report.DryRun = o.DryRun
	if err != nil || o.DryRun {
		return res.Report, err
	}
	return res.Report, c.Replace(res.Kitas)
}

// errTooMany stops an import that has collected MaxCSVProblems.
var errTooMany = errors.New("too many problems")

type importer struct {
	m       CSVMapping
	opt     ImportOptions
	p       problem.Collector
	report  ImportReport
	lineOff int            // lines before the header that the reader does not see ("sep=")
	cols    map[string]int // mapping key -> index in the header
	order   []columnRef    // mapped columns in CSVColumns order
	primary int            // index of the duplicate rule's primary column, or -1
	kinds   []kindWord     // the mapping's carrier-kind words, folded once
}

type kindWord struct {
	word string
	kind CarrierKind
}

func (im *importer) add(line int, column, field string, code problem.Code, rule error, params ...string) {
	if im.p.Len() >= MaxCSVProblems {
		panic(errTooMany)
	}
	im.p.Add(where(line, column, field), code, rule, params...)
	im.report.Problems = append(im.report.Problems, rowProblem(line, column, field, code, params))
}

func (im *importer) notice(line int, column, field string, code problem.Code, params ...string) {
	im.report.Notices = append(im.report.Notices, rowProblem(line, column, field, code, params))
}

func rowProblem(line int, column, field string, code problem.Code, params []string) RowProblem {
	rp := RowProblem{Line: line, Column: column, Code: code}
	if field != "file" {
		rp.Field = field
	}
	if len(params) > 1 {
		rp.Params = map[string]string{}
		for i := 0; i+1 < len(params); i += 2 {
			rp.Params[params[i]] = params[i+1]
		}
	}
	return rp
}

// where is the problem's field path: "line 12: column plz", "line 12",
// "line 12: address.city" or "file".
func where(line int, column, field string) string {
	if line == 0 {
		return "file"
	}
	s := "line " + strconv.Itoa(line)
	switch {
	case column != "":
		s += ": column " + column
	case field != "":
		s += ": " + field
	}
	return s
}

func (im *importer) result(kitas []Kita) (ImportResult, error) {
	if err := im.p.Err(); err != nil {
		return ImportResult{Report: im.report}, err
	}
	return ImportResult{Kitas: kitas, Report: im.report}, nil
}

// cell is one value of a facility with the line it came from.
type cell struct {
	v    string
	line int
}

// row is the mapped cells of one data row.
type row struct {
	line    int
	cells   map[string]cell
	primary bool
}

// record is one facility gathered from one or more rows.
type record struct {
	id    string
	line  int // first line
	rows  []row
	cells map[string]cell
	hours []cell // every hours cell, for the union
	ages  []cell // every min-age cell, for the minimum
}

// decode turns the file into UTF-8 and strips a byte-order mark and a
// "sep=" line; it returns the separator that line names (0: none).
func (im *importer) decode(data []byte) ([]byte, rune) {
	enc := im.m.Encoding
	if enc == 0 {
		enc = UTF8
	}
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		data, enc = data[3:], UTF8
		im.report.Encoding = "utf-8 (byte-order mark)"
	} else {
		im.report.Encoding = enc.String()
	}
	if enc != UTF8 && utf8.Valid(data) && slices.ContainsFunc(data, func(b byte) bool { return b >= 0x80 }) {
		// Umlauts in valid UTF-8: decoding it once more would garble
		// every one of them, so the layout's encoding must be wrong.
		im.add(0, "", "file", CodeCSVEncodingLayout, ErrCSV, "encoding", enc.String())
		return nil, 0
	}
	switch enc {
	case Windows1252:
		data, _ = charmap.Windows1252.NewDecoder().Bytes(data)
	case Latin1:
		data, _ = charmap.ISO8859_1.NewDecoder().Bytes(data)
	}
	first, rest, found := bytes.Cut(data, []byte("\n"))
	line := strings.TrimSpace(strings.Trim(strings.TrimSpace(string(first)), `"`))
	if !strings.HasPrefix(strings.ToLower(line), "sep=") {
		return data, 0
	}
	im.lineOff = 1
	sep := strings.TrimPrefix(line[4:], `"`)
	r, size := utf8.DecodeRuneInString(sep)
	if !found {
		rest = nil
	}
	switch {
	case size == 0 || !strings.ContainsRune(";,\t|", r):
		im.add(1, "", "file", CodeCSVSeparatorLine, ErrCSV)
	case im.m.Comma != 0 && im.m.Comma != r:
		im.add(1, "", "file", CodeCSVSeparatorLine, ErrCSV)
	}
	return rest, r
}

func (im *importer) run(data []byte) (kitas []Kita) {
	defer func() {
		if r := recover(); r != nil {
			if r != errTooMany {
				panic(r)
			}
			im.p.Add("file", CodeCSVTooManyProblems, ErrCSVLimit, "max", strconv.Itoa(MaxCSVProblems))
			im.report.Problems = append(im.report.Problems, RowProblem{Code: CodeCSVTooManyProblems,
				Params: map[string]string{"max": strconv.Itoa(MaxCSVProblems)}})
			kitas = nil
		}
	}()
	data, sep := im.decode(data)
	if im.p.Len() > 0 {
		return nil
	}
	rd := csv.NewReader(bytes.NewReader(data))
	rd.Comma = im.m.Comma
	if rd.Comma == 0 {
		rd.Comma = sep
	}
	if rd.Comma == 0 {
		rd.Comma = detectComma(data)
	}
	im.report.Separator = string(rd.Comma)
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err == io.EOF {
		im.add(0, "", "file", CodeCSVNoRows, ErrCSV)
		return nil
	}
	if err != nil {
		im.syntax(err, 1)
		return nil
	}
	width := len(header)
	if !im.header(header) {
		return nil
	}
	var (
		records []*record
		byID    = map[string]*record{}
	)
	for {
		fields, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			im.syntax(err, 0) // FieldPos is undefined after an error
			continue
		}
		if blank(fields) {
			continue
		}
		im.report.Rows++
		if im.report.Rows > MaxCSVRows {
			im.p = problem.Collector{}
			im.report.Problems = nil
			im.add(0, "", "file", CodeCSVTooManyRows, ErrCSVLimit, "max", strconv.Itoa(MaxCSVRows))
			return nil
		}
		line, _ := rd.FieldPos(0)
		line += im.lineOff
		if len(fields) != width {
			im.add(line, "", "", CodeCSVFieldCount, ErrCSV, "want", strconv.Itoa(width))
			continue
		}
		rw, ok := im.row(fields, rd, line)
		if !ok {
			continue
		}
		id := im.id(rw)
		rec := byID[id]
		if rec == nil || id == "" {
			rec = &record{id: id, line: line}
			records = append(records, rec)
			if id != "" {
				byID[id] = rec
			}
		} else {
			im.report.Merged++
		}
		rec.rows = append(rec.rows, rw)
	}
	im.report.Facilities = len(records)
	if len(records) == 0 && im.p.Len() == 0 {
		im.add(0, "", "file", CodeCSVNoRows, ErrCSV)
	}
	kitas = make([]Kita, 0, len(records))
	for _, rec := range records {
		if !im.merge(rec) {
			continue
		}
		k, ok := im.kita(rec)
		if !ok {
			continue
		}
		if err := k.Validate(im.m.Allowed); err != nil {
			var l problem.List
			errors.As(err, &l)
			for _, pr := range l {
				col, field := im.locate(pr.Field)
				im.add(rec.line, col, field, pr.Code, pr.Rule, flatten(pr.Params)...)
			}
			continue
		}
		kitas = append(kitas, k)
	}
	if im.p.Len() > 0 {
		return nil
	}
	return kitas
}

// row reads the mapped cells of a data row.
func (im *importer) row(fields []string, rd *csv.Reader, line int) (row, bool) {
	rw := row{line: line, cells: map[string]cell{}}
	ok := true
	for _, f := range im.order {
		i := im.cols[f.key]
		l, _ := rd.FieldPos(i)
		l += im.lineOff
		if !utf8.ValidString(fields[i]) {
			im.add(l, f.name, "", CodeCSVEncoding, ErrCSV)
			ok = false
			continue
		}
		if v := strings.TrimSpace(fields[i]); v != "" {
			rw.cells[f.key] = cell{v: v, line: l}
		}
	}
	if im.primary >= 0 {
		v := strings.TrimSpace(fields[im.primary])
		if want := im.m.Duplicates.PrimaryValue; want != "" {
			rw.primary = v == want
		} else {
			rw.primary = v != ""
		}
	}
	return rw, ok
}

// id is the row's id: its id cell, or one made from its name and address.
func (im *importer) id(rw row) string {
	if im.m.GenerateIDs == "" {
		return rw.cells["id"].v
	}
	key := normWord(rw.cells["name"].v) + "\x00" + geo.NormalizeStreet(rw.cells["street"].v) + "\x00" +
		strings.ToLower(rw.cells["house_number"].v) + "\x00" + rw.cells["postal_code"].v + rw.cells["postal_code_city"].v
	sum := sha256.Sum256([]byte(key))
	return im.m.GenerateIDs + hex.EncodeToString(sum[:5])
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
		line = pe.Line + im.lineOff
		im.add(line, "", "position "+strconv.Itoa(pe.Column), CodeCSVSyntax, ErrCSV)
		return
	}
	im.add(line, "", "", CodeCSVSyntax, ErrCSV)
}

// header finds the mapped columns; it reports missing and ambiguous ones.
func (im *importer) header(header []string) bool {
	pos := map[string][]int{}
	for i, h := range header {
		pos[normWord(h)] = append(pos[normWord(h)], i)
	}
	im.cols = map[string]int{}
	im.primary = -1
	ok := true
	find := func(name string) (int, bool) {
		switch idx := pos[normWord(name)]; len(idx) {
		case 0:
			im.add(1+im.lineOff, name, "", CodeCSVColumnMissing, ErrCSV)
		case 1:
			return idx[0], true
		default:
			im.add(1+im.lineOff, name, "", CodeCSVColumnDuplicate, ErrCSV)
		}
		ok = false
		return 0, false
	}
	for _, f := range im.m.Columns.fields() {
		if f.name == "" {
			continue
		}
		if i, found := find(f.name); found {
			im.cols[f.key] = i
			im.order = append(im.order, f)
		}
	}
	if c := im.m.Duplicates.PrimaryColumn; c != "" {
		if i, found := find(c); found {
			im.primary = i
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

// merge gathers the cells of a record's rows by the duplicate rule; it
// reports false when the rows cannot make one facility.
func (im *importer) merge(rec *record) bool {
	rec.cells = map[string]cell{}
	rows := rec.rows
	mergeAll := func(key string) bool { return slices.Contains(im.m.Duplicates.Merge, key) }
	if im.primary >= 0 {
		var primary []row
		for _, rw := range rows {
			if rw.primary {
				primary = append(primary, rw)
			}
		}
		col := im.m.Duplicates.PrimaryColumn
		switch len(primary) {
		case 0:
			im.add(rec.line, col, "", CodeCSVNoPrimary, ErrCSV)
			return false
		case 1:
		default:
			im.add(primary[1].line, col, "", CodeCSVConflict, ErrCSV, "first_line", strconv.Itoa(primary[0].line))
			return false
		}
		// The primary row first; the others only for the merged fields.
		others := slices.DeleteFunc(slices.Clone(rows), func(rw row) bool { return rw.line == primary[0].line })
		im.take(rec, primary[0], func(string) bool { return true })
		for _, rw := range others {
			im.take(rec, rw, mergeAll)
		}
		return true
	}
	before := im.p.Len()
	for _, rw := range rows {
		im.take(rec, rw, func(string) bool { return true })
	}
	return im.p.Len() == before
}

// take adds the cells of one row whose keys pass use.
func (im *importer) take(rec *record, rw row, use func(string) bool) {
	for _, f := range im.order {
		key := f.key
		c, ok := rw.cells[key]
		if !ok || !use(key) {
			continue
		}
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
		case prev.v != c.v && !slices.Contains(im.m.Duplicates.Merge, key):
			im.add(c.line, im.name(key), "", CodeCSVConflict, ErrCSV, "first_line", strconv.Itoa(prev.line))
		}
	}
}

// locate turns a Kita field path into the column it came from, or keeps
// the field when no column is to blame.
func (im *importer) locate(field string) (column, kitaField string) {
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
		name = pick(col.CapacityU3, col.Places)
	case "capacity.o3":
		name = pick(col.CapacityO3, col.Places)
	case "capacity":
		name = pick(col.CapacityU3, col.CapacityO3, col.Places)
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
	case "opening":
		name = col.Opening
	}
	if name == "" {
		return "", field
	}
	return name, ""
}

var postalCity = regexp.MustCompile(`^(?:D\s*-?\s*)?(\d{5})(?:\s+(\S.*))?$`)

// kita parses the cells of a record; ok is false when a cell was malformed.
func (im *importer) kita(rec *record) (Kita, bool) {
	before := im.p.Len()
	get := func(key string) string { return rec.cells[key].v }
	k := Kita{
		ID:       rec.id,
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
			im.add(c.line, im.m.Columns.PostalCodeCity, "", CodeCSVPostalCode, ErrCSV)
		} else {
			k.Address.PostalCode, k.Address.City = mm[1], strings.TrimSpace(mm[2])
		}
	}
	if k.Address.City == "" && k.Address != (geo.Address{}) {
		k.Address.City = im.m.City
	}

	pending := map[string]bool{}
	def := im.m.Defaults
	// Places and ages.
	k.Capacity = im.capacity(rec, pending)
	if c, ok := rec.cells["max_age"]; ok {
		k.MaxAgeMonths = im.age(c, "max_age")
	} else if def.MaxAgeMonths != nil {
		k.MaxAgeMonths = *def.MaxAgeMonths
		im.defaulted("max_age_months", FieldAges, pending)
	}
	for i, c := range rec.ages {
		a := im.age(c, "min_age")
		if i == 0 || a < k.MinAgeMonths {
			k.MinAgeMonths = a
		}
	}
	if len(rec.ages) == 0 && def.MinAgeMonths != nil {
		k.MinAgeMonths = *def.MinAgeMonths
		im.defaulted("min_age_months", FieldAges, pending)
	}

	// Hours: the union of all rows, in ascending order.
	for _, c := range rec.hours {
		hs, ok := parseHours(c.v)
		if !ok {
			im.add(c.line, im.m.Columns.Hours, "", CodeCSVHours, ErrCSV)
			continue
		}
		for _, h := range hs {
			if !slices.Contains(k.Hours, h) {
				k.Hours = append(k.Hours, h)
			}
		}
	}
	slices.Sort(k.Hours)
	if len(rec.hours) == 0 && len(def.Hours) > 0 {
		k.Hours = slices.Clone(def.Hours)
		im.defaulted("hours", FieldHours, pending)
	}

	// Opening hours.
	if c, ok := rec.cells["opening"]; ok {
		o, ok := parseOpening(c.v)
		if !ok {
			im.add(c.line, im.m.Columns.Opening, "", CodeCSVOpening, ErrCSV)
		}
		k.Opening = o
	} else if def.Opening != nil {
		k.Opening = *def.Opening
		k.Opening.Days = slices.Clone(def.Opening.Days)
		im.defaulted("opening", FieldOpening, pending)
	}

	k.Location = im.location(rec)
	if k.District == "" && im.m.Columns.District == "" && im.opt.Districts != nil && im.p.Len() == before {
		id, err := im.opt.Districts.DistrictOf(k.Address, k.Location)
		var c candidates
		switch {
		case errors.As(err, &c):
			im.notice(rec.line, "", "district", CodeCSVDistrictUndecided, "candidates", strings.Join(c.CandidateIDs(), ", "))
		case err != nil:
			im.notice(rec.line, "", "district", CodeCSVDistrictUndecided, "candidates", "–")
		}
		k.District = id
	}
	if len(pending) > 0 && k.ID != "" {
		if im.report.CarrierMaintained == nil {
			im.report.CarrierMaintained = map[string][]string{}
		}
		for _, f := range maintainable {
			if pending[f] {
				im.report.CarrierMaintained[k.ID] = append(im.report.CarrierMaintained[k.ID], f)
			}
		}
	}
	return k, im.p.Len() == before
}

// defaulted counts a default and marks the field for the carrier when the
// mapping says so.
func (im *importer) defaulted(field, group string, pending map[string]bool) {
	if im.report.Defaults == nil {
		im.report.Defaults = map[string]int{}
	}
	im.report.Defaults[field]++
	if slices.Contains(im.m.CarrierMaintained, group) {
		pending[group] = true
	}
}

// groupU3 is how many places a U3 group holds (KiBiz group form II).
const groupU3 = 10

// capacity reads places per band, or a total split by group counts, or the
// defaults.
func (im *importer) capacity(rec *record, pending map[string]bool) Capacity {
	var cp Capacity
	total, hasTotal := im.integer(rec, "places")
	u3, hasU3 := im.integer(rec, "capacity_u3")
	o3, hasO3 := im.integer(rec, "capacity_o3")
	gu3, hasGU3 := im.integer(rec, "groups_u3")
	go3, hasGO3 := im.integer(rec, "groups_o3")
	switch {
	case hasU3 || hasO3:
		cp.Under3, cp.From3 = u3, o3
		if hasTotal && total != u3+o3 {
			im.add(rec.cells["places"].line, im.m.Columns.Places, "", CodeCSVPlaces, ErrCSV)
		}
	case hasTotal:
		cp.Under3 = min(total, gu3*groupU3)
		cp.From3 = total - cp.Under3
		if hasGU3 && gu3 > 0 {
			cp.Groups = append(cp.Groups, Group{Form: FormII, Count: gu3})
		}
		if hasGO3 && go3 > 0 {
			cp.Groups = append(cp.Groups, Group{Form: FormIII, Count: go3})
		}
		if hasGU3 && gu3*groupU3 > total {
			im.add(rec.cells["groups_u3"].line, im.m.Columns.GroupsU3, "", CodeCSVPlaces, ErrCSV)
		}
	}
	if hasU3 || hasO3 || hasTotal {
		return cp
	}
	def := im.m.Defaults
	if def.CapacityU3 != nil {
		cp.Under3 = *def.CapacityU3
		im.defaulted("capacity_u3", FieldCapacity, pending)
	}
	if def.CapacityO3 != nil {
		cp.From3 = *def.CapacityO3
		im.defaulted("capacity_o3", FieldCapacity, pending)
	}
	return cp
}

func (im *importer) carrierKind(rec *record) CarrierKind {
	c, ok := rec.cells["carrier_kind"]
	if !ok {
		return im.m.DefaultCarrierKind
	}
	w := normWord(c.v)
	for _, kw := range im.kinds {
		if kw.word == w {
			return kw.kind
		}
	}
	for _, kw := range im.kinds { // the longest contained word
		if strings.Contains(w, kw.word) {
			return kw.kind
		}
	}
	if k, ok := ParseCarrierKind(w); ok {
		return k
	}
	if im.m.DefaultCarrierKind != 0 {
		return im.m.DefaultCarrierKind
	}
	im.add(c.line, im.m.Columns.CarrierKind, "", CodeCSVCarrierKind, ErrCSV)
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

// integer reads a whole number of a cell; ok is false for an absent or
// malformed cell.
func (im *importer) integer(rec *record, key string) (int, bool) {
	c, ok := rec.cells[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(c.v)
	if err != nil || n < 0 || n > 100000 {
		im.add(c.line, im.name(key), "", CodeCSVNumber, ErrCSV)
		return 0, false
	}
	return n, true
}

// age reads an age cell in the mapping's unit and returns months.
func (im *importer) age(c cell, key string) int {
	if c.v == "" {
		return 0
	}
	if im.m.AgeUnit == Years {
		f, ok := decimal(c.v)
		if !ok || f < 0 || f > 10 {
			im.add(c.line, im.name(key), "", CodeCSVNumber, ErrCSV)
			return 0
		}
		return int(math.Round(f * 12))
	}
	n, err := strconv.Atoi(c.v)
	if err != nil || n < 0 || n > 120 {
		im.add(c.line, im.name(key), "", CodeCSVNumber, ErrCSV)
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

var openingRange = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr)?\s*(?:-|–|bis)\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr)?$`)

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// parseOpening reads "07:00-16:30", "7.30 – 16 Uhr", "07:00 bis 14:00" as
// weekday opening hours.
func parseOpening(s string) (OpeningHours, bool) {
	m := openingRange.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return OpeningHours{}, false
	}
	clock := func(h, min string) (string, bool) {
		hh, _ := strconv.Atoi(h)
		mm := 0
		if min != "" {
			mm, _ = strconv.Atoi(min)
		}
		if hh > 23 || mm > 59 {
			return "", false
		}
		return twoDigits(hh) + ":" + twoDigits(mm), true
	}
	opens, ok1 := clock(m[1], m[2])
	closes, ok2 := clock(m[3], m[4])
	if !ok1 || !ok2 {
		return OpeningHours{}, false
	}
	o := OpeningHours{Opens: opens, Close: closes}
	o.Days = slices.Clone(weekdays)
	return o, true
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
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
