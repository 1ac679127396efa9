package kita

import (
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// ErrCSVMappingFormat: a CSV mapping file is not of the documented JSON form.
var ErrCSVMappingFormat = errors.New("kita: malformed CSV mapping file")

// MarshalText encodes "wgs84" or "utm32".
func (s CoordinateSystem) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "wgs84" or "utm32".
func (s *CoordinateSystem) UnmarshalText(p []byte) error {
	switch string(p) {
	case "wgs84":
		*s = WGS84
	case "utm32":
		*s = UTM32
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
	if err := json.Unmarshal(p, &f); err != nil {
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
	}
	return nil
}
