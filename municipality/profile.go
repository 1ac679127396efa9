package municipality

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"time"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// ErrProfile: the profile's data is incomplete or contradicts itself.
var ErrProfile = errors.New("municipality: invalid profile")

// Retention are the Löschfristen of the city (Art. 5 (1) e, Art. 17 DSGVO).
type Retention struct {
	// AnonymizeAfterMonths: applications that never led to a contract are
	// anonymized this many months after their Kita year ended.
	AnonymizeAfterMonths int `json:"anonymize_after_months"`
	// ContractedAfterMonths: contracted applications are anonymized this
	// many months after the child's Kita time ended (school entry).
	ContractedAfterMonths int `json:"contracted_after_months"`
}

// Profile is every rule of one city.
type Profile struct {
	// Name is the city's name ("Bochum").
	Name string
	// Location is the city's time zone; "today" is taken there.
	Location *time.Location
	// Registration are the rules of the Voranmeldung.
	Registration registration.Rules
	// Policy is the priority policy of allocation rounds.
	Policy allocation.Policy
	// Mechanism is the allocation mechanism of the rounds.
	Mechanism allocation.Mechanism
	// Districts are the Stadtbezirke and the address rules.
	Districts *district.Directory
	// Offices are the Fachberatung offices, one per district.
	Offices *tagespflege.Offices
	// Contract are the rules of care contracts (fees, clauses, periods).
	Contract contract.Rules
	// GroupForms are the group forms of the state (NRW: KiBiz annex).
	GroupForms []kita.GroupFormRule
	// Templates are the message templates (nil: the built-in ones).
	Templates *notify.Templates
	// Retention are the retention periods.
	Retention Retention
	// CatalogueLayout is the layout of the city's open-data list of Kitas
	// (catalogue-layout.json, optional; nil without it).
	CatalogueLayout *kita.CSVMapping
}

// LayoutFile is the optional file of a profile directory that holds the
// layout of the city's open-data list of Kitas (a kita.CSVMapping).
const LayoutFile = "catalogue-layout.json"

// Validate checks that the parts are there and fit together.
func (p Profile) Validate() error {
	var c problem.Collector
	if p.Name == "" {
		c.Add("name", "municipality.name_missing", ErrProfile)
	}
	if p.Location == nil {
		c.Add("time_zone", "municipality.time_zone", ErrProfile)
	}
	c.Merge("registration", p.Registration.Validate())
	if p.Districts == nil {
		c.Add("districts", "municipality.districts_missing", ErrProfile)
	}
	if p.Offices == nil && p.Registration.Tagespflege {
		c.Add("offices", "municipality.offices_missing", ErrProfile)
	}
	if p.Districts != nil && p.Offices != nil && p.Registration.Tagespflege {
		for _, d := range p.Districts.All() {
			if _, ok := p.Offices.ForDistrict(d.ID); !ok {
				c.Add("offices", "municipality.office_missing", ErrProfile, "district", d.ID)
			}
		}
	}
	if !p.Mechanism.Valid() {
		c.Add("mechanism", "municipality.mechanism", ErrProfile)
	}
	c.Merge("contract", p.Contract.Validate())
	if p.Contract.Calendar != p.Registration.Calendar {
		c.Add("contract.calendar", "municipality.calendar_mismatch", ErrProfile)
	}
	if p.Retention.AnonymizeAfterMonths < 1 || p.Retention.ContractedAfterMonths < 1 {
		c.Add("retention", "municipality.retention", ErrProfile)
	}
	return c.Err()
}

// Settings is the JSON form of the scalar parts of a profile (profile.json).
type Settings struct {
	Name         string               `json:"name"`
	TimeZone     string               `json:"time_zone"`
	Registration registration.Rules   `json:"registration"`
	Policy       allocation.Policy    `json:"policy"`
	Mechanism    allocation.Mechanism `json:"mechanism"`
	Contract     ContractSettings     `json:"contract"`
	Retention    Retention            `json:"retention"`
	// GroupForms default to the NRW group forms when empty.
	GroupForms []kita.GroupFormRule `json:"group_forms,omitempty"`
}

// ContractSettings are the scalar contract rules of profile.json.
type ContractSettings struct {
	SettlingInWeeksUnder3 int `json:"settling_in_weeks_under3"`
	SettlingInWeeksFrom3  int `json:"settling_in_weeks_from3"`
	ClosureDays           int `json:"closure_days"`
	NoticeMonths          int `json:"notice_months"`
}

// MaxFileBytes is the largest profile file [Load] reads.
const MaxFileBytes = 4 << 20

// Load reads a profile from a directory: profile.json ([Settings]),
// districts.json (district.LoadFS, with the boundary and street files it
// names), offices.json (a list of tagespflege.Office), fees.json
// (contract.LoadFeeSchedule) and, when present, catalogue-layout.json
// ([LayoutFile]) and templates/ (notify.ParseTemplatesFS). Every problem
// of every file is reported at once.
func Load(fsys fs.FS) (Profile, error) {
	var c problem.Collector
	var p Profile

	var s Settings
	if data, ok := readFile(&c, fsys, "profile.json"); ok {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			c.Add("profile.json", "municipality.malformed", ErrProfile)
		}
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil || s.TimeZone == "" {
		c.Add("profile.json: time_zone", "municipality.time_zone", ErrProfile)
		loc = nil
	}
	p.Name = s.Name
	p.Location = loc
	p.Registration = s.Registration
	p.Registration.Location = loc
	p.Policy = s.Policy
	p.Mechanism = s.Mechanism
	p.Retention = s.Retention
	p.GroupForms = s.GroupForms
	if len(p.GroupForms) == 0 {
		p.GroupForms = kita.NRWGroupForms
	}

	if _, ok := readFile(&c, fsys, "districts.json"); ok {
		d, err := district.LoadFS(fsys, "districts.json")
		c.Merge("districts.json", err)
		p.Districts = d
	}
	if data, err := fs.ReadFile(fsys, LayoutFile); err == nil {
		var m kita.CSVMapping
		if err := json.Unmarshal(data, &m); err != nil {
			c.Add(LayoutFile, "municipality.malformed", ErrProfile)
		} else if err := m.Validate(); err != nil {
			c.Merge(LayoutFile, err)
		} else {
			p.CatalogueLayout = &m
		}
	}
	if data, ok := readFile(&c, fsys, "offices.json"); ok {
		var offices []tagespflege.Office
		if err := json.Unmarshal(data, &offices); err != nil {
			c.Add("offices.json", "municipality.malformed", ErrProfile)
		} else {
			o, err := tagespflege.NewOffices(offices)
			c.Merge("offices.json", err)
			p.Offices = o
		}
	}
	if data, ok := readFile(&c, fsys, "fees.json"); ok {
		fees, err := contract.LoadFeeSchedule(bytes.NewReader(data))
		c.Merge("fees.json", err)
		p.Contract = contract.Rules{
			Calendar:              s.Registration.Calendar,
			Fees:                  fees,
			SettlingInWeeksUnder3: s.Contract.SettlingInWeeksUnder3,
			SettlingInWeeksFrom3:  s.Contract.SettlingInWeeksFrom3,
			ClosureDays:           s.Contract.ClosureDays,
			NoticeMonths:          s.Contract.NoticeMonths,
		}
	}
	if sub, err := fs.Sub(fsys, "templates"); err == nil {
		if entries, err := fs.ReadDir(sub, "."); err == nil && len(entries) > 0 {
			t, err := notify.ParseTemplatesFS(sub)
			c.Merge("templates", err)
			p.Templates = t
		}
	}
	if err := c.Err(); err != nil {
		return Profile{}, err
	}
	if p.Templates == nil {
		p.Templates = notify.DefaultTemplates()
	}
	if err := p.Validate(); err != nil {
		return Profile{}, err
	}
	return p, nil
}

func readFile(c *problem.Collector, fsys fs.FS, name string) ([]byte, bool) {
	f, err := fsys.Open(name)
	if err != nil {
		c.Add(name, "municipality.file_missing", ErrProfile)
		return nil, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		c.Add(name, "municipality.file_unreadable", ErrProfile)
		return nil, false
	}
	if len(data) > MaxFileBytes {
		c.Add(name, "municipality.file_too_large", ErrProfile, "max", "4194304")
		return nil, false
	}
	return data, true
}

// Messages are the German and English texts of the municipality codes.
var Messages = problem.Catalog{
	"de": {
		"municipality.name_missing":      "Der Name der Stadt fehlt.",
		"municipality.time_zone":         "Die Zeitzone fehlt oder ist unbekannt.",
		"municipality.districts_missing": "Die Stadtbezirke fehlen.",
		"municipality.offices_missing":   "Die Fachberatungen fehlen.",
		"municipality.office_missing":    "Für den Stadtbezirk {district} fehlt eine Fachberatung.",
		"municipality.mechanism":         "Das Vergabeverfahren ist unbekannt.",
		"municipality.calendar_mismatch": "Verträge und Voranmeldung müssen denselben Kalender verwenden.",
		"municipality.retention":         "Die Löschfristen müssen mindestens einen Monat betragen.",
		"municipality.malformed":         "Die Datei ist kein gültiges JSON der erwarteten Form.",
		"municipality.file_missing":      "Die Datei fehlt.",
		"municipality.file_unreadable":   "Die Datei kann nicht gelesen werden.",
		"municipality.file_too_large":    "Die Datei ist zu groß (höchstens {max} Bytes).",
	},
	"en": {
		"municipality.name_missing":      "The city's name is missing.",
		"municipality.time_zone":         "The time zone is missing or unknown.",
		"municipality.districts_missing": "The districts are missing.",
		"municipality.offices_missing":   "The Fachberatung offices are missing.",
		"municipality.office_missing":    "District {district} has no Fachberatung office.",
		"municipality.mechanism":         "The allocation mechanism is unknown.",
		"municipality.calendar_mismatch": "Contracts and registration must use the same calendar.",
		"municipality.retention":         "Retention periods must be at least one month.",
		"municipality.malformed":         "The file is not valid JSON of the expected shape.",
		"municipality.file_missing":      "The file is missing.",
		"municipality.file_unreadable":   "The file cannot be read.",
		"municipality.file_too_large":    "The file is too large (at most {max} bytes).",
	},
}
