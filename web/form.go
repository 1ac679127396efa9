package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// formData is the registration form as typed, for (re-)rendering.
type formData struct {
	V          url.Values
	Choices    []string // one per rank, "" for an empty rank
	Kitas      []kita.Kita
	Districts  []district.District
	Hours      kita.HoursOptions
	Reasons    []registration.HardshipReason
	Tagespfl   bool
	MessageLng []string
	// GuardianRanks numbers the guardians' fieldsets (0, 1).
	GuardianRanks []int
}

// messageLanguages are the languages a guardian may choose for the
// messages: those registration accepts (GuardianInput.Language), every
// page language; the message templates exist in each.
var messageLanguages = Languages

// summaryItem is one line of the error summary: a link to the field.
type summaryItem struct {
	ID, Label, Text string
}

// Error returns the text of the summary item of a field, if any.
func (v *view) Error(id string) string {
	for _, s := range v.Summary {
		if s.ID == id {
			return s.Text
		}
	}
	return ""
}

// fieldIDs are the ids of the form's inputs; labelKeys their page keys.
var labelKeys = map[string]string{
	"child-given_name": "f_child_given", "child-family_name": "f_child_family", "child-birth_date": "f_child_birth",
	"child-unborn": "f_child_unborn", "tagespflege": "f_tagespflege", "criteria-hardship": "f_hardship",
	"criteria-single_parent": "f_single_parent", "guardians-0-working": "f_g_working", "guardians-1-working": "f_g_working",
	"address-street": "f_street", "address-house_number": "f_house_number", "address-postal_code": "f_postal_code",
	"address-city": "f_city", "start": "f_start", "hours": "f_hours", "hours_alternatives-0": "f_hours_alt", "tagespflege-district": "f_tp_district",
	"criteria-hardship_reason": "f_hardship_reason", "consent": "f_consent", "kitas-0": "f_kitas",
	"guardians-0-given_name": "f_g_given", "guardians-0-family_name": "f_g_family", "guardians-0-email": "f_g_email",
	"guardians-0-phone": "f_g_phone", "guardians-0-language": "f_g_language",
	"guardians-1-given_name": "f_g_given", "guardians-1-family_name": "f_g_family", "guardians-1-email": "f_g_email",
	"guardians-1-phone": "f_g_phone", "guardians-1-language": "f_g_language",
}

// fieldID turns a problem's field path into the id of its input:
// "guardians[0].email" → "guardians-0-email". A path without an input of
// its own goes to the nearest enclosing one, else to the form.
func fieldID(path string, maxChoices int) string {
	id := strings.NewReplacer("[", "-", "]", "", ".", "-").Replace(path)
	for id != "" {
		if _, ok := labelKeys[id]; ok {
			return id
		}
		if strings.HasPrefix(id, "kitas-") {
			if n, err := strconv.Atoi(strings.TrimPrefix(id, "kitas-")); err == nil && n < maxChoices {
				return id
			}
		}
		switch id {
		case "kitas":
			return "kitas-0"
		case "guardians":
			return "guardians-0-given_name"
		case "child":
			return "child-given_name"
		case "address":
			return "address-street"
		}
		i := strings.LastIndex(id, "-")
		if i < 0 {
			break
		}
		id = id[:i]
	}
	return "registration-form"
}

func (p *portal) form(v url.Values) formData {
	rules := p.app.Profile.Registration
	d := formData{
		V: v, Kitas: p.app.Catalogue.All(), Districts: p.app.Profile.Districts.All(), Hours: rules.Hours,
		Reasons: rules.HardshipReasons, Tagespfl: rules.Tagespflege, MessageLng: messageLanguages,
		GuardianRanks: []int{0, 1},
	}
	d.Choices = make([]string, rules.MaxChoices)
	copy(d.Choices, v["kita"])
	return d
}

// registerForm shows the empty form; ?kita=ID fills the first free rank
// (the search's "choose" link).
func (p *portal) registerForm(w http.ResponseWriter, r *http.Request, _ access.Actor, _ session) {
	v := url.Values{"key": {randomToken()}, "city": {p.app.Profile.Name}}
	if l := p.texts.lang(r); slices.Contains(messageLanguages, l) {
		v.Set("g0_language", l)
	}
	if id := r.URL.Query().Get("kita"); id != "" {
		if _, ok := p.app.Catalogue.Get(id); ok {
			v["kita"] = []string{id}
		}
	}
	p.render(w, r, http.StatusOK, "register", "register_title", p.form(v), nil)
}

// register submits the form, or moves a choice up or down ("move" button:
// works without JavaScript) and shows the form again. Every problem is
// shown at once, in a summary linked to the fields.
func (p *portal) register(w http.ResponseWriter, r *http.Request, a access.Actor, _ session) {
	v := r.PostForm
	max := p.app.Profile.Registration.MaxChoices
	choices := make([]string, max)
	copy(choices, v["kita"])
	if mv := v.Get("move"); mv != "" {
		move(choices, mv)
		v["kita"] = choices
		p.render(w, r, http.StatusOK, "register", "register_title", p.form(v), nil)
		return
	}
	// Ranks close up, so that a problem's index is the field's.
	choices = closeUp(choices)
	in, local := p.input(v, choices)
	lang := p.texts.lang(r)
	var list problem.List
	if len(local) > 0 {
		list = local // a date or number that does not parse: the form is wrong before any rule
	}
	rc, err := p.app.Registrations.Submit(r.Context(), a, in)
	if err == nil && len(local) == 0 {
		http.Redirect(w, r, "/register/"+rc.Application.ID, http.StatusSeeOther)
		return
	}
	if err != nil {
		var l problem.List
		if !errors.As(err, &l) {
			p.fail(w, r, err)
			return
		}
		for _, q := range l {
			if !list.Has(q.Field, q.Code) && !hasField(local, q.Field) {
				list = append(list, q)
			}
		}
	}
	v["kita"] = choices
	p.render(w, r, http.StatusUnprocessableEntity, "register", "register_title", p.form(v), p.summary(list, lang))
}

// summary turns a problem list into the error summary's lines, each
// linked to its field.
func (p *portal) summary(list problem.List, lang string) []summaryItem {
	max := p.app.Profile.Registration.MaxChoices
	summary := make([]summaryItem, 0, len(list))
	for _, q := range list {
		id := fieldID(q.Field, max)
		label := ""
		if k, ok := labelKeys[id]; ok {
			label = p.texts.T(lang, k, nil)
		} else if strings.HasPrefix(id, "kitas-") {
			n, _ := strconv.Atoi(strings.TrimPrefix(id, "kitas-"))
			label = p.texts.T(lang, "f_choice", map[string]any{"Rank": n + 1})
		}
		summary = append(summary, summaryItem{ID: id, Label: label, Text: p.texts.problemText(q, lang)})
	}
	return summary
}

// move moves a choice one rank up or down as a "move" button says
// ("up:2", "down:0"); a value that names no rank moves nothing.
func move(choices []string, mv string) {
	dir, n, _ := strings.Cut(mv, ":")
	i, err := strconv.Atoi(n)
	if err != nil || i < 0 || i >= len(choices) {
		return
	}
	j := i - 1
	if dir == "down" {
		j = i + 1
	}
	if j >= 0 && j < len(choices) {
		choices[i], choices[j] = choices[j], choices[i]
	}
}

// closeUp moves the chosen Kitas to the first ranks, keeping their order
// and the number of ranks.
func closeUp(choices []string) []string {
	compact := make([]string, 0, len(choices))
	for _, c := range choices {
		if c != "" {
			compact = append(compact, c)
		}
	}
	return append(compact, make([]string, len(choices)-len(compact))...)
}

func hasField(l problem.List, field string) bool {
	for _, q := range l {
		if q.Field == field {
			return true
		}
	}
	return false
}

// codeFormat is the portal's code for a date or number the form cannot read.
const codeFormat problem.Code = "web.format"

// input builds the registration input from the form; dates and numbers
// that do not parse are problems of their own (with the field's path).
func (p *portal) input(v url.Values, choices []string) (registration.Input, problem.List) {
	var local problem.List
	day := func(field, s string) date.Date {
		if strings.TrimSpace(s) == "" {
			return date.Date{}
		}
		d, err := kita.ParseDate(strings.TrimSpace(s))
		if err != nil {
			local = append(local, problem.Problem{Field: field, Code: codeFormat, Rule: problem.ErrField, Params: map[string]string{"example": "2027-08-01"}})
		}
		return d
	}
	in := registration.Input{
		IdempotencyKey: v.Get("key"),
		Child: registration.ChildInput{
			GivenName: v.Get("child_given"), FamilyName: v.Get("child_family"),
			BirthDate: day("child.birth_date", v.Get("child_birth")), Unborn: v.Get("child_unborn") == "on",
		},
		Address: geo.Address{Street: v.Get("street"), HouseNumber: v.Get("house_number"), PostalCode: strings.TrimSpace(v.Get("postal_code")), City: v.Get("city")},
		Start:   day("start", v.Get("start")),
		Consent: v.Get("consent") == "on",
		Criteria: registration.CriteriaInput{
			SingleParent: v.Get("single_parent") == "on", Hardship: v.Get("hardship") == "on",
			HardshipReason: registration.HardshipReason(v.Get("hardship_reason")),
		},
	}
	if h := v.Get("hours"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil {
			local = append(local, problem.Problem{Field: "hours", Code: codeFormat, Rule: problem.ErrField, Params: map[string]string{"example": "35"}})
		}
		in.Hours = n
	}
	if h := v.Get("hours2"); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil {
			local = append(local, problem.Problem{Field: "hours_alternatives[0]", Code: codeFormat, Rule: problem.ErrField, Params: map[string]string{"example": "45"}})
		}
		in.HoursAlternatives = []int{n}
	}
	for g := range 2 {
		pre := "g" + strconv.Itoa(g) + "_"
		gi := registration.GuardianInput{
			GivenName: v.Get(pre + "given"), FamilyName: v.Get(pre + "family"), Email: strings.TrimSpace(v.Get(pre + "email")),
			Phone: strings.TrimSpace(v.Get(pre + "phone")), Language: v.Get(pre + "language"), Working: v.Get(pre+"working") == "on",
		}
		if g == 1 && gi.GivenName == "" && gi.FamilyName == "" && gi.Email == "" && gi.Phone == "" {
			continue // the second guardian is optional
		}
		in.Guardians = append(in.Guardians, gi)
	}
	for _, c := range choices {
		if c != "" {
			in.Kitas = append(in.Kitas, c)
		}
	}
	if v.Get("tagespflege") == "on" {
		in.Tagespflege = &registration.TagespflegeWish{District: v.Get("tp_district")}
	}
	return in, local
}
