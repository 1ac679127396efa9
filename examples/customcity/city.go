package main

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// builtin is Musterstadt's folder, built into the program.
//
//go:embed city
var builtin embed.FS

// layoutFile names the description of the Kita list in a city's folder.
const layoutFile = "kitas-layout.json"

// city is what a city's folder holds: its profile and its Kitas.
type city struct {
	source    string
	profile   municipality.Profile
	catalogue *kita.Catalogue
	layout    layout
}

// layout is the JSON form of kitas-layout.json: which file holds the
// city's Kitas and how its columns are laid out. It is turned into a
// kita.CSVMapping; the words are the kita package's stable names.
type layout struct {
	Note         string            `json:"note"`
	File         string            `json:"file"`
	Separator    string            `json:"separator"`
	Coordinates  string            `json:"coordinates"`
	AgeUnit      string            `json:"age_unit"`
	City         string            `json:"city"`
	Columns      kita.CSVColumns   `json:"columns"`
	CarrierKinds map[string]string `json:"carrier_kinds"`
	Districts    map[string]string `json:"districts"`
}

// mapping turns the layout into the import's mapping, reporting every
// word it does not know.
func (l layout) mapping(allowed kita.HoursOptions) (kita.CSVMapping, error) {
	var c problem.Collector
	m := kita.CSVMapping{Columns: l.Columns, City: l.City, Districts: l.Districts, Allowed: allowed}
	switch l.Separator {
	case ",":
		m.Comma = ','
	case ";":
		m.Comma = ';'
	case "\t", "tab":
		m.Comma = '\t'
	case "|":
		m.Comma = '|'
	case "":
		// detected from the header line
	default:
		c.Add("separator", "layout.separator", kita.ErrCSVMapping)
	}
	switch l.Coordinates {
	case "wgs84":
		m.Coordinates = kita.WGS84
	case "utm32":
		m.Coordinates = kita.UTM32
	case "":
	default:
		c.Add("coordinates", "layout.coordinates", kita.ErrCSVMapping)
	}
	switch l.AgeUnit {
	case "years":
		m.AgeUnit = kita.Years
	case "months", "":
		m.AgeUnit = kita.Months
	default:
		c.Add("age_unit", "layout.age_unit", kita.ErrCSVMapping)
	}
	m.CarrierKinds = make(map[string]kita.CarrierKind, len(l.CarrierKinds))
	for word, name := range l.CarrierKinds {
		k, ok := kita.ParseCarrierKind(name)
		if !ok {
			c.Add("carrier_kinds."+word, "layout.carrier_kind", kita.ErrCSVMapping)
			continue
		}
		m.CarrierKinds[word] = k
	}
	c.Merge("", m.Validate())
	return m, c.Err()
}

// loadCity reads a city's folder: the built-in Musterstadt when dir is "".
func loadCity(dir string) (city, error) {
	var fsys fs.FS
	source := dir
	if dir == "" {
		sub, err := fs.Sub(builtin, "city")
		if err != nil {
			return city{}, err
		}
		fsys, source = sub, "built-in city/ (Musterstadt)"
	} else {
		fsys = os.DirFS(dir)
	}
	profile, err := municipality.Load(fsys)
	if err != nil {
		return city{}, fmt.Errorf("profile in %s:\n%s", source, explain(err))
	}
	data, err := fs.ReadFile(fsys, layoutFile)
	if err != nil {
		return city{}, fmt.Errorf("%s: %w", layoutFile, err)
	}
	var l layout
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return city{}, fmt.Errorf("%s: %w", layoutFile, err)
	}
	m, err := l.mapping(profile.Registration.Hours)
	if err != nil {
		return city{}, fmt.Errorf("%s:\n%s", layoutFile, explain(err))
	}
	csv, err := fs.ReadFile(fsys, l.File)
	if err != nil {
		return city{}, fmt.Errorf("%s names the Kita list: %w", layoutFile, err)
	}
	kitas, err := kita.ImportCSV(bytes.NewReader(csv), m)
	if err != nil {
		return city{}, fmt.Errorf("%s:\n%s", l.File, explain(err))
	}
	cat, err := kita.NewCatalogue(kitas, profile.Registration.Hours)
	if err != nil {
		return city{}, fmt.Errorf("%s:\n%s", l.File, explain(err))
	}
	for _, k := range kitas {
		if _, ok := profile.Districts.Get(k.District); !ok {
			return city{}, fmt.Errorf("%s: Kita %s lies in district %q, which districts.json does not name", l.File, k.ID, k.District)
		}
	}
	return city{source: source, profile: profile, catalogue: cat, layout: l}, nil
}

// translator knows the German and English texts of every package's codes.
var translator = problem.NewTranslator(
	kita.Messages, district.Messages, registration.Messages, tagespflege.Messages,
	allocation.Messages, contract.Messages, municipality.Messages,
	problem.Catalog{
		"de": {
			"layout.separator":    "Das Trennzeichen muss , ; | oder tab sein.",
			"layout.coordinates":  "Das Koordinatensystem muss wgs84 oder utm32 sein.",
			"layout.age_unit":     "Die Alterseinheit muss years oder months sein.",
			"layout.carrier_kind": "Unbekannte Trägerart (municipal, protestant, catholic, welfare, parents_initiative, company, other).",
		},
		"en": {
			"layout.separator":    "The separator must be , ; | or tab.",
			"layout.coordinates":  "The coordinate system must be wgs84 or utm32.",
			"layout.age_unit":     "The age unit must be years or months.",
			"layout.carrier_kind": "Unknown carrier kind (municipal, protestant, catholic, welfare, parents_initiative, company, other).",
		},
	},
)

// explain lists every problem of err in German and English.
func explain(err error) string {
	var list problem.List
	if !errors.As(err, &list) {
		return "  " + err.Error()
	}
	var b strings.Builder
	de, en := translator.Messages(list, "de"), translator.Messages(list, "en")
	for i, p := range list {
		fmt.Fprintf(&b, "  %s [%s]\n    de: %s\n    en: %s\n", p.Field, p.Code, de[i], en[i])
	}
	return strings.TrimRight(b.String(), "\n")
}
