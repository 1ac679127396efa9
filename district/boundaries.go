package district

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// MaxBoundaryBytes is the largest boundary file [ReadBoundaries] reads:
// 32 MiB (Bochum's 30 statistical districts take 130 KB).
const MaxBoundaryBytes = 32 << 20

// Boundaries tells [ReadBoundaries] how a GeoJSON file names the district
// of each feature.
type Boundaries struct {
	// File is the GeoJSON file, relative to the directory file (for
	// [LoadFS]).
	File string `json:"file,omitempty"`
	// Property is the feature property that names the district
	// ("Stadtbezir" in Bochum's statistical districts).
	Property string `json:"property"`
	// Match says what the property holds: "id" (the district's id, the
	// default) or "number" (the district's number, 1 for I).
	Match string `json:"match,omitempty"`
	// NameProperty optionally names the area ("Bezeichnun": "Leithe").
	NameProperty string `json:"name_property,omitempty"`
	// ToleranceM is [Config.ToleranceM].
	ToleranceM float64 `json:"tolerance_m,omitempty"`
	// Source and Licence say where the geometry comes from and under which
	// terms, for the city's records.
	Source  string `json:"source,omitempty"`
	Licence string `json:"licence,omitempty"`
}

// ReadBoundaries reads district boundaries from a GeoJSON FeatureCollection
// in WGS84 longitude/latitude (RFC 7946) whose features are Polygons or
// MultiPolygons (holes allowed; extra coordinate values such as heights are
// ignored). Each feature's b.Property names its district among districts,
// by id or by number (b.Match); several features of one district together
// make its boundary. Problems come back at once as a [problem.List] with
// fields like "features[4].properties.Stadtbezir" and code
// [CodeBoundaryFile] or [CodeAreaDistrict]; a file that is not GeoJSON gives
// [ErrFormat].
func ReadBoundaries(r io.Reader, b Boundaries, districts []District) ([]Area, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBoundaryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if len(data) > MaxBoundaryBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrFormat, MaxBoundaryBytes)
	}
	var fc featureCollection
	if err := json.Unmarshal(data, &fc); err != nil || fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("%w: not a GeoJSON feature collection", ErrFormat)
	}
	var p problem.Collector
	if strings.TrimSpace(b.Property) == "" {
		p.Add("property", CodeBoundaryFile, ErrInvalid)
	}
	if b.Match != "" && b.Match != "id" && b.Match != "number" {
		p.Add("match", CodeBoundaryFile, ErrInvalid)
	}
	if len(fc.Features) == 0 {
		p.Add("features", CodeBoundaryFile, ErrInvalid)
	}
	if p.Len() > 0 {
		return nil, p.Err()
	}
	byKey := map[string]string{}
	for _, d := range districts {
		if b.Match == "number" {
			byKey[strconv.Itoa(d.Number)] = d.ID
		} else {
			byKey[d.ID] = d.ID
		}
	}
	var out []Area
	for i, f := range fc.Features {
		field := "features[" + strconv.Itoa(i) + "]"
		key, ok := propString(f.Properties[b.Property])
		id, known := byKey[key]
		if !ok || !known {
			p.Add(field+".properties."+b.Property, CodeAreaDistrict, ErrInvalid)
		}
		reg, err := f.Geometry.region()
		if err != nil {
			p.Add(field+".geometry", CodeAreaGeometry, ErrInvalid)
			continue
		}
		name, _ := propString(f.Properties[b.NameProperty])
		out = append(out, Area{District: id, Name: name, Region: reg})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// propString reads a string or whole-number property.
func propString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), strings.TrimSpace(v) != ""
	case float64:
		if v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10), true
		}
	case json.Number:
		return v.String(), true
	}
	return "", false
}

// LoadFS reads a directory file (see [File]) from fsys together with the
// boundary, street and house coordinate files it names (paths relative to the directory
// file), and builds the directory like [Build]. Problems of every file come
// back at once, prefixed with the file's name.
func LoadFS(fsys fs.FS, name string) (*Directory, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("%w: %s cannot be read", ErrFormat, name)
	}
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	dir := name[:strings.LastIndex(name, "/")+1]
	var p problem.Collector
	c := f.config()
	if f.Boundaries != nil {
		path := dir + f.Boundaries.File
		rd, err := fsys.Open(path)
		if err != nil || f.Boundaries.File == "" {
			p.Add("boundaries.file", CodeFileReference, ErrFormat)
		} else {
			c.Areas, err = ReadBoundaries(rd, *f.Boundaries, f.Districts)
			rd.Close()
			p.Merge(f.Boundaries.File, asList(err, CodeBoundaryFile))
		}
	}
	if f.StreetsFile != "" {
		rd, err := fsys.Open(dir + f.StreetsFile)
		if err != nil {
			p.Add("streets_file", CodeFileReference, ErrFormat)
		} else {
			c.Streets, err = ReadStreets(rd)
			rd.Close()
			p.Merge(f.StreetsFile, asList(err, CodeStreetFile))
		}
	}
	var houses *Gazetteer
	if f.HousesFile != "" {
		rd, err := fsys.Open(dir + f.HousesFile)
		if err != nil {
			p.Add("house_coordinates_file", CodeFileReference, ErrFormat)
		} else {
			houses, err = ReadHouseCoordinates(rd)
			rd.Close()
			p.Merge(f.HousesFile, asList(err, CodeHouseFile))
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	d, err := Build(c)
	if err != nil {
		return nil, err
	}
	d.cityName, d.note, d.houses = f.City, f.Note, houses
	return d, nil
}

// asList turns a plain format error into a one-problem list, so that a
// collector can merge it.
func asList(err error, code problem.Code) error {
	if err == nil {
		return nil
	}
	if l := (problem.List{}); errors.As(err, &l) {
		return l
	}
	return problem.List{{Field: "file", Code: code, Rule: ErrFormat}}
}

// readAllLimited reads a directory file of at most [MaxFileBytes].
func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrFormat, MaxFileBytes)
	}
	return data, nil
}

// featureCollection is the part of RFC 7946 that boundaries use.
type featureCollection struct {
	Type     string `json:"type"`
	Features []struct {
		Properties map[string]any `json:"properties"`
		Geometry   geometry       `json:"geometry"`
	} `json:"features"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// position is [lon, lat, …]; further values (height, measure, null) are
// ignored.
type position []*float64

func (p position) point() (orb.Point, error) {
	if len(p) < 2 || p[0] == nil || p[1] == nil {
		return orb.Point{}, geo.ErrCoordinates
	}
	return orb.Point{*p[0], *p[1]}, nil
}

func ring(ps []position) (orb.Ring, error) {
	r := make(orb.Ring, 0, len(ps))
	for _, p := range ps {
		pt, err := p.point()
		if err != nil {
			return nil, err
		}
		r = append(r, pt)
	}
	return r, nil
}

func polygon(rings [][]position) (orb.Polygon, error) {
	poly := make(orb.Polygon, 0, len(rings))
	for _, rs := range rings {
		r, err := ring(rs)
		if err != nil {
			return nil, err
		}
		poly = append(poly, r)
	}
	return poly, nil
}

// region turns a Polygon or MultiPolygon into a geo.Region.
func (g geometry) region() (geo.Region, error) {
	switch g.Type {
	case "Polygon":
		var c [][]position
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return geo.Region{}, geo.ErrCoordinates
		}
		poly, err := polygon(c)
		if err != nil {
			return geo.Region{}, err
		}
		return geo.NewRegion(poly)
	case "MultiPolygon":
		var c [][][]position
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return geo.Region{}, geo.ErrCoordinates
		}
		mp := make(orb.MultiPolygon, 0, len(c))
		for _, pc := range c {
			poly, err := polygon(pc)
			if err != nil {
				return geo.Region{}, err
			}
			mp = append(mp, poly)
		}
		return geo.NewRegion(mp)
	}
	return geo.Region{}, geo.ErrCoordinates
}
