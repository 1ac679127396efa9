package district

import (
	"bufio"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// Stable codes of the house-coordinate reader and of locating an address.
const (
	CodeHouseFile  problem.Code = "district.house_coordinates_malformed"
	CodeHouseLimit problem.Code = "district.house_coordinates_too_many"
	// CodeAddressUnreadable: an address lacks its street, house number or
	// five-digit postal code.
	CodeAddressUnreadable problem.Code = "district.address_unreadable"
	// CodeAddressUnknown: the house coordinates do not have the address.
	CodeAddressUnknown problem.Code = "district.address_unknown"
	// CodeNoHouseCoordinates: the city names no house coordinates.
	CodeNoHouseCoordinates problem.Code = "district.house_coordinates_missing"
)

// ErrAddress: an address cannot be located (unreadable, unknown, or the
// city has no house coordinates).
var ErrAddress = errors.New("district: address cannot be located")

// MaxHouseCoordinates is the most addresses [ReadHouseCoordinates] accepts
// (North Rhine-Westphalia has about 4.3 million addressed buildings).
const MaxHouseCoordinates = 6_000_000

// MaxHouseFileBytes bounds the size of a house-coordinate file (the whole
// of North Rhine-Westphalia is about 600 MB).
const MaxHouseFileBytes = 2 << 30

// maxHouseLine bounds the length of one line (an HK-DE line has about 150
// bytes).
const maxHouseLine = 64 << 10

// hkColumns are the columns of HK-DE in their order, used when a file has
// no header line (the format description names no header; the open-data
// files of North Rhine-Westphalia carry one, with PSN and AUD appended).
var hkColumns = []string{"NBA", "OI", "QUA", "LAN", "RBZ", "KRS", "GMD", "OTT", "SSS", "HNR", "ADZ", "EAST", "NORTH", "STN", "PLZ", "ONM", "ZON", "POT"}

// houseColumns are the columns the reader needs.
var houseColumns = []string{"HNR", "EAST", "NORTH", "STN", "PLZ"}

// Gazetteer finds the official coordinates of an address, read from house
// coordinates (Hauskoordinaten) by [ReadHouseCoordinates].
type Gazetteer struct {
	points map[string]geo.Point
}

// Houses returns the house coordinates the directory file names
// ("house_coordinates_file", read by [LoadFS]), or nil when it names none;
// a nil Gazetteer locates no address.
func (d *Directory) Houses() *Gazetteer {
	if d == nil {
		return nil
	}
	return d.houses
}

// WithHouses returns a copy of the directory that locates addresses with
// g (nil: none), for a city that reads its house coordinates itself.
func (d *Directory) WithHouses(g *Gazetteer) *Directory {
	c := *d
	c.houses = g
	return &c
}

// Len returns the number of addresses.
func (g *Gazetteer) Len() int {
	if g == nil {
		return 0
	}
	return len(g.points)
}

// Locate returns the point of an address and whether it is known. The
// street is compared after [geo.NormalizeStreet] ("Kortumstr." finds
// "Kortumstraße"), the house number without case and spaces ("12 A" finds
// "12a"); a street line with the number in it ("Kortumstraße 5") is split
// by [geo.SplitStreet] when HouseNumber is empty. The postal code must
// match: the same street name recurs in the parts of a city.
func (g *Gazetteer) Locate(a geo.Address) (geo.Point, bool) {
	if g == nil {
		return geo.Point{}, false
	}
	street, number := a.Street, a.HouseNumber
	if strings.TrimSpace(number) == "" {
		street, number = geo.SplitStreet(street)
	}
	p, ok := g.points[houseKey(strings.TrimSpace(a.PostalCode), street, number)]
	return p, ok
}

// Find locates a one-line address ("Kortumstraße 5, 44787 Bochum", see
// [geo.ParseAddressLine]). It returns a [problem.List] with field and the
// rule [ErrAddress]: code [CodeNoHouseCoordinates] on a nil Gazetteer,
// [CodeAddressUnreadable] for a line without street, number or postal
// code, [CodeAddressUnknown] for an address the house coordinates lack.
func (g *Gazetteer) Find(field, line string) (geo.Point, error) {
	code := CodeNoHouseCoordinates
	if g != nil {
		a, ok := geo.ParseAddressLine(line)
		if !ok {
			code = CodeAddressUnreadable
		} else if p, ok := g.Locate(a); ok {
			return p, nil
		} else {
			code = CodeAddressUnknown
		}
	}
	return geo.Point{}, problem.List{{Field: field, Code: code, Rule: ErrAddress}}
}

// houseKey folds an address into the key of [Gazetteer.points].
func houseKey(postalCode, street, number string) string {
	number = strings.ToLower(strings.Join(strings.Fields(number), ""))
	number = strings.TrimLeft(number, "0")
	return postalCode + "|" + geo.NormalizeStreet(street) + "|" + number
}

// ReadHouseCoordinates reads official house coordinates in the format
// HK-DE (Hauskoordinaten Deutschland) as the surveying offices publish
// them, North Rhine-Westphalia as open data: UTF-8 text, one address a
// line, fields separated by ';' and never quoted, lines starting with '#'
// are comments. The
// columns are those of HK-DE in their order
//
//	NBA;OI;QUA;LAN;RBZ;KRS;GMD;OTT;SSS;HNR;ADZ;EAST;NORTH;STN;PLZ;ONM;ZON;POT
//
// or, when the first line is a header naming them, in the order it gives
// (further columns are ignored). Only HNR (house number), ADZ (its
// addition, "a" of "12a"), EAST and NORTH (ETRS89/UTM), STN (street) and
// PLZ are read. Coordinates may use a decimal comma or point; an easting
// with the zone in front (32369001,248) is read in that zone (32 or 33),
// a plain one (369001.248) in zone 32, the zone of North Rhine-Westphalia
// (EPSG:25832). Lines with NBA "L" (to be deleted) are skipped; of two
// lines for the same address the first counts.
//
// A malformed file gives a [problem.List] with fields like "line 3: column
// EAST" and code [CodeHouseFile] (at most about 100 problems); more than
// [MaxHouseCoordinates] addresses or [MaxHouseFileBytes] bytes give
// [CodeHouseLimit]. The rule of every problem is [ErrFormat].
func ReadHouseCoordinates(r io.Reader) (*Gazetteer, error) {
	lr := &io.LimitedReader{R: r, N: MaxHouseFileBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 1<<16), maxHouseLine)

	var p problem.Collector
	bad := lineProblems(&p, CodeHouseFile)
	cols := map[string]int{}
	for i, c := range hkColumns {
		cols[c] = i
	}
	g := &Gazetteer{points: map[string]geo.Point{}}
	first := true
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if !utf8.ValidString(text) {
			bad(line, "")
			continue
		}
		row := strings.Split(text, ";")
		if first {
			first = false
			if isHouseHeader(row) {
				cols = map[string]int{}
				for i, h := range row {
					cols[strings.ToUpper(strings.TrimSpace(h))] = i
				}
				for _, c := range houseColumns {
					if _, ok := cols[c]; !ok {
						bad(line, c)
					}
				}
				if p.Len() > 0 {
					return nil, p.Err()
				}
				continue
			}
		}
		if len(g.points) >= MaxHouseCoordinates {
			p.Add("line "+strconv.Itoa(line), CodeHouseLimit, ErrFormat)
			break
		}
		readHouse(g, row, cols, line, bad)
		if p.Len() > 100 {
			break
		}
	}
	if err := sc.Err(); err != nil {
		bad(line+1, "")
	}
	if lr.N <= 0 {
		p.Add("file", CodeHouseLimit, ErrFormat)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return g, nil
}

// isHouseHeader reports whether a first line names columns rather than
// holding an address.
func isHouseHeader(row []string) bool {
	for _, h := range row {
		if strings.EqualFold(strings.TrimSpace(h), "HNR") {
			return true
		}
	}
	return false
}

// readHouse adds one line's address to g, or reports its faults to bad.
func readHouse(g *Gazetteer, row []string, cols map[string]int, line int, bad func(int, string)) {
	get := func(name string) (string, bool) {
		i, ok := cols[name]
		if !ok || i >= len(row) {
			return "", false
		}
		return strings.TrimSpace(row[i]), true
	}
	if nba, _ := get("NBA"); strings.EqualFold(nba, "L") {
		return
	}
	faults := 0
	need := func(name string) string {
		v, ok := get(name)
		if !ok || v == "" {
			bad(line, name)
			faults++
		}
		return v
	}
	hnr, street, plz := need("HNR"), need("STN"), need("PLZ")
	east, north := need("EAST"), need("NORTH")
	adz, _ := get("ADZ")
	if hnr != "" && !digitsOnly(hnr) {
		bad(line, "HNR")
		faults++
	}
	if plz != "" && !validPostalCode(plz) {
		bad(line, "PLZ")
		faults++
	}
	if faults > 0 {
		return
	}
	pt, col := houseTM(east, north)
	if col != "" {
		bad(line, col)
		return
	}
	key := houseKey(plz, street, hnr+adz)
	if _, dup := g.points[key]; !dup {
		g.points[key] = pt
	}
}

// houseTM converts an HK-DE easting and northing to a WGS84 point, or names
// the faulty column.
func houseTM(east, north string) (geo.Point, string) {
	e, err := strconv.ParseFloat(strings.Replace(east, ",", ".", 1), 64)
	if err != nil || math.IsNaN(e) || math.IsInf(e, 0) {
		return geo.Point{}, "EAST"
	}
	n, err := strconv.ParseFloat(strings.Replace(north, ",", ".", 1), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return geo.Point{}, "NORTH"
	}
	from := geo.FromUTM32
	switch zone := math.Floor(e / 1e6); {
	case zone == 32:
		e -= 32e6
	case zone == 33:
		e -= 33e6
		from = geo.FromUTM33
	case zone != 0:
		return geo.Point{}, "EAST"
	}
	pt, err := from(e, n)
	if err != nil {
		return geo.Point{}, "EAST"
	}
	return pt, ""
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
