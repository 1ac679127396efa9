package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
)

// districtCmd prints the district of an address or a point by the
// profile's resolution order, or the candidates when it cannot decide.
func districtCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("district", stderr)
	profileName := fs.String("profile", "", "profile `dir`ectory, or bochum")
	address := fs.String("address", "", `"Street 12, 44787 City"`)
	point := fs.String("point", "", "`LAT,LON` in WGS84 degrees")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	const name = "kitaportal district"
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return exitUsage
	case *profileName == "":
		fmt.Fprintf(stderr, "%s: -profile is required\n", name)
		return exitUsage
	case *address == "" && *point == "":
		fmt.Fprintf(stderr, "%s: -address or -point is required\n", name)
		return exitUsage
	}
	var q district.Query
	if *address != "" {
		a, ok := parseAddress(*address)
		if !ok {
			fmt.Fprintf(stderr, "%s: -address must read \"Street 12, 44787 City\"\n", name)
			return exitUsage
		}
		q.Address = a
	}
	if *point != "" {
		p, ok := parsePoint(*point)
		if !ok {
			fmt.Fprintf(stderr, "%s: -point must read LAT,LON in degrees (51.4818,7.2162)\n", name)
			return exitUsage
		}
		q.Point = p
	}
	p, err := loadProfile(*profileName)
	if err != nil {
		reportIn(stderr, *profileName, err, profileMessages...)
		return exitFail
	}
	if q.Address == (geo.Address{}) && !slices.Contains(p.Districts.Order(), district.Geometry) {
		fmt.Fprintf(stderr, "%s: the profile %s has no district boundaries, so a point alone cannot be placed; give -address, or add the city's boundaries (docs/city-data.md)\n", name, *profileName)
		return exitFail
	}
	r, err := p.Districts.Locate(q)
	var amb *district.AmbiguousError
	switch {
	case errors.As(err, &amb):
		names := make([]string, len(amb.Candidates))
		for i, c := range amb.Candidates {
			names[i] = c.ID + " " + c.Name
		}
		fmt.Fprintf(stdout, "ambiguous: %s\n", strings.Join(names, ", "))
		return exitFail
	case errors.Is(err, district.ErrOutside):
		fmt.Fprintln(stdout, "outside the city: not resident")
		return exitFail
	case err != nil:
		fmt.Fprintf(stdout, "undecided: %v\n", err)
		return exitFail
	}
	how := r.Method.String()
	if r.Area != "" {
		how += ", " + r.Area
	}
	fmt.Fprintf(stdout, "%s %s (%s)\n", r.District.ID, r.District.Name, how)
	return exitOK
}

var addressLine = regexp.MustCompile(`^(.+?),?\s+(\d{5})\s+(\S.*)$`)

// parseAddress reads "Kortumstraße 12, 44787 Bochum".
func parseAddress(s string) (geo.Address, bool) {
	m := addressLine.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return geo.Address{}, false
	}
	street, number := geo.SplitStreet(strings.TrimSuffix(strings.TrimSpace(m[1]), ","))
	return geo.Address{Street: street, HouseNumber: number, PostalCode: m[2], City: strings.TrimSpace(m[3])}, true
}

// parsePoint reads "51.4818,7.2162".
func parsePoint(s string) (geo.Point, bool) {
	lat, lon, ok := strings.Cut(s, ",")
	if !ok {
		return geo.Point{}, false
	}
	x, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	p := geo.Point{Lat: x, Lon: y}
	return p, err1 == nil && err2 == nil && p.Valid() && !p.IsZero()
}
