package kita

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/internal/enum"
)

// ErrCSVMappingFormat: a CSV mapping file is not of the documented JSON form.
var ErrCSVMappingFormat = errors.New("kita: malformed CSV mapping file")

// MarshalText encodes the system's name ("utm32").
func (s CoordinateSystem) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// epsg are the EPSG codes of the systems, accepted in place of the names.
var epsg = map[string]CoordinateSystem{
	"epsg:4326": WGS84, "epsg:25832": UTM32, "epsg:25833": UTM33,
	"epsg:31466": GK2, "epsg:31467": GK3, "epsg:31468": GK4,
}

// UnmarshalText decodes "wgs84", "utm32", "utm33", "gk2", "gk3", "gk4" or
// the EPSG code ("EPSG:25832").
func (s *CoordinateSystem) UnmarshalText(p []byte) error {
	name := strings.ToLower(string(p))
	if v, ok := epsg[name]; ok {
		*s = v
		return nil
	}
	v, ok := enum.Parse[CoordinateSystem](systemNames[:], name)
	if !ok {
		return ErrCSVMappingFormat
	}
	*s = v
	return nil
}

// MarshalText encodes "utf-8", "windows-1252" or "latin-1".
func (e Encoding) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText decodes "utf-8", "windows-1252" (or "cp1252") and
// "latin-1" (or "iso-8859-1").
func (e *Encoding) UnmarshalText(p []byte) error {
	switch strings.ToLower(string(p)) {
	case "utf-8", "utf8":
		*e = UTF8
	case "windows-1252", "cp1252":
		*e = Windows1252
	case "latin-1", "iso-8859-1", "latin1":
		*e = Latin1
	default:
		return ErrCSVMappingFormat
	}
	return nil
}

// MarshalText encodes "months" or "years".
func (u AgeUnit) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText decodes "months" or "years".
func (u *AgeUnit) UnmarshalText(p []byte) error {
	switch string(p) {
	case "months":
		*u = Months
	case "years":
		*u = Years
	default:
		return ErrCSVMappingFormat
	}
	return nil
}

// csvMappingJSON is the file form of a CSVMapping: the separator as a
// one-character string, enums by their stable names.
type csvMappingJSON struct {
	Columns            CSVColumns             `json:"columns"`
	Comma              string                 `json:"comma,omitempty"`
	Coordinates        CoordinateSystem       `json:"coordinates,omitzero"`
	AgeUnit            AgeUnit                `json:"age_unit,omitzero"`
	CarrierKinds       map[string]CarrierKind `json:"carrier_kinds,omitempty"`
	DefaultCarrierKind CarrierKind            `json:"default_carrier_kind,omitzero"`
	Districts          map[string]string      `json:"districts,omitempty"`
	City               string                 `json:"city,omitempty"`
	Allowed            HoursOptions           `json:"allowed,omitempty"`
	Encoding           Encoding               `json:"encoding,omitzero"`
	Defaults           CSVDefaults            `json:"defaults,omitzero"`
	CarrierMaintained  []string               `json:"carrier_maintained,omitempty"`
	Duplicates         DuplicateRule          `json:"duplicates,omitzero"`
	GenerateIDs        string                 `json:"generate_ids,omitempty"`
}

// MarshalJSON writes the mapping in its file form, so that a city keeps the
// layout of its open-data file as configuration:
//
//	{"columns": {"id": "Nr", "name": "Name", "hours": "Stunden", ...},
//	 "comma": ";", "coordinates": "utm32", "age_unit": "months",
//	 "carrier_kinds": {"städtisch": "municipal"}, "city": "Bochum"}
func (m CSVMapping) MarshalJSON() ([]byte, error) {
	f := csvMappingJSON{
		Columns: m.Columns, Coordinates: m.Coordinates, AgeUnit: m.AgeUnit, CarrierKinds: m.CarrierKinds,
		DefaultCarrierKind: m.DefaultCarrierKind, Districts: m.Districts, City: m.City, Allowed: m.Allowed,
		Encoding: m.Encoding, Defaults: m.Defaults, CarrierMaintained: m.CarrierMaintained, Duplicates: m.Duplicates,
		GenerateIDs: m.GenerateIDs,
	}
	if m.Comma != 0 {
		f.Comma = string(m.Comma)
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads the file form (see MarshalJSON); check the result
// with [CSVMapping.Validate].
func (m *CSVMapping) UnmarshalJSON(p []byte) error {
	var f csvMappingJSON
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return ErrCSVMappingFormat
	}
	var comma rune
	if f.Comma != "" {
		r, size := utf8.DecodeRuneInString(f.Comma)
		if size != len(f.Comma) || r == utf8.RuneError {
			return ErrCSVMappingFormat
		}
		comma = r
	}
	*m = CSVMapping{
		Columns: f.Columns, Comma: comma, Coordinates: f.Coordinates, AgeUnit: f.AgeUnit, CarrierKinds: f.CarrierKinds,
		DefaultCarrierKind: f.DefaultCarrierKind, Districts: f.Districts, City: f.City, Allowed: f.Allowed,
		Encoding: f.Encoding, Defaults: f.Defaults, CarrierMaintained: f.CarrierMaintained, Duplicates: f.Duplicates,
		GenerateIDs: f.GenerateIDs,
	}
	return nil
}
