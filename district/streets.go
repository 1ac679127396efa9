package district

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// StreetEntry is one line of a street directory (Straßenverzeichnis): a
// street, or a range of its house numbers, in one district.
type StreetEntry struct {
	// Street is compared after geo.NormalizeStreet.
	Street string `json:"street"`
	// PostalCode restricts the entry to addresses with that code (empty:
	// any), for streets of the same name in several parts of a city.
	PostalCode string `json:"postal_code,omitempty"`
	// From and To bound the house numbers (inclusive; 0: open end).
	From int `json:"from,omitempty"`
	To   int `json:"to,omitempty"`
	// Parity restricts the entry to even or odd numbers (zero: both).
	Parity Parity `json:"parity,omitzero"`
	// District is the id of the district.
	District string `json:"district"`
}

// checkStreets validates a street directory and indexes it by street.
func checkStreets(p *problem.Collector, d *Directory, entries []StreetEntry) map[string][]StreetEntry {
	out := map[string][]StreetEntry{}
	type seen struct {
		i int
		e StreetEntry
	}
	byKey := map[string][]seen{}
	for i, e := range entries {
		f := "streets[" + strconv.Itoa(i) + "]"
		key := geo.NormalizeStreet(e.Street)
		if key == "" {
			p.Add(f+".street", CodeStreetMissing, ErrInvalid)
		}
		if e.PostalCode != "" && !validPostalCode(e.PostalCode) {
			p.Add(f+".postal_code", CodeStreetPostal, ErrInvalid)
		}
		if _, ok := d.byID[e.District]; !ok {
			p.Add(f+".district", CodeUnknownDistrict, ErrInvalid)
		}
		if e.From < 0 || e.To < 0 || (e.To != 0 && e.From > e.To) {
			p.Add(f+".from", CodeRange, ErrInvalid)
		}
		if e.Parity != 0 && !e.Parity.Valid() {
			p.Add(f+".parity", CodeParity, ErrInvalid)
		}
		a := StreetRule{From: e.From, To: e.To, Parity: e.Parity}
		for _, o := range byKey[key] {
			samePlace := o.e.PostalCode == "" || e.PostalCode == "" || o.e.PostalCode == e.PostalCode
			if o.e.District != e.District && samePlace && overlap(StreetRule{From: o.e.From, To: o.e.To, Parity: o.e.Parity}, a) {
				p.Add(f, CodeOverlap, ErrInvalid, "other", strconv.Itoa(o.i))
			}
		}
		byKey[key] = append(byKey[key], seen{i, e})
		out[key] = append(out[key], e)
	}
	return out
}

// MaxStreetEntries is the most entries [ReadStreets] accepts (Berlin has
// about 10,000 streets; ranges multiply them).
const MaxStreetEntries = 500000

// ReadStreets reads a street directory as CSV (UTF-8, separated by ';' or
// ','), with a header naming the columns street, from, to, parity,
// postal_code and district in any order (only street and district are
// required):
//
//	street;postal_code;from;to;parity;district
//	Castroper Straße;44791;1;199;;I
//	Castroper Straße;44791;200;;;III
//	Hauptstraße;;;;even;II
//
// parity is "even", "odd" or empty (German "gerade" and "ungerade" are
// accepted). A malformed file gives a [problem.List] with fields like
// "line 3: column from" and code [CodeStreetFile]; the entries are checked
// by [Build].
func ReadStreets(r io.Reader) ([]StreetEntry, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20+1))
	if err != nil {
		return nil, errors.Join(ErrFormat, err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	rd := csv.NewReader(bytes.NewReader(data))
	rd.Comma = ';'
	if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(",")) > bytes.Count(first, []byte(";")) {
		rd.Comma = ','
	}
	rd.FieldsPerRecord = -1
	var p problem.Collector
	bad := lineProblems(&p, CodeStreetFile)
	header, err := rd.Read()
	if err != nil {
		bad(1, "")
		return nil, p.Err()
	}
	cols := map[string]int{}
	for i, h := range header {
		cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, req := range []string{"street", "district"} {
		if _, ok := cols[req]; !ok {
			bad(1, req)
		}
	}
	if p.Len() > 0 {
		return nil, p.Err()
	}
	get := func(row []string, name string) string {
		if i, ok := cols[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var out []StreetEntry
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0 // FieldPos is undefined after an error
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			bad(line, "")
			if p.Len() > 100 {
				break
			}
			continue
		}
		line, _ := rd.FieldPos(0)
		if len(out) >= MaxStreetEntries {
			bad(line, "")
			break
		}
		e := StreetEntry{Street: get(row, "street"), PostalCode: get(row, "postal_code"), District: get(row, "district")}
		for _, n := range []struct {
			name string
			to   *int
		}{{"from", &e.From}, {"to", &e.To}} {
			if v := get(row, n.name); v != "" {
				x, err := strconv.Atoi(v)
				if err != nil {
					bad(line, n.name)
				}
				*n.to = x
			}
		}
		switch strings.ToLower(get(row, "parity")) {
		case "":
		case "even", "gerade":
			e.Parity = Even
		case "odd", "ungerade":
			e.Parity = Odd
		default:
			bad(line, "parity")
		}
		out = append(out, e)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// lineProblems returns a function that records a problem of a line (and
// column) of a text file, with the field "line 3: column from".
func lineProblems(p *problem.Collector, code problem.Code) func(line int, col string) {
	return func(line int, col string) {
		f := "line " + strconv.Itoa(line)
		if col != "" {
			f += ": column " + col
		}
		p.Add(f, code, ErrFormat)
	}
}
