package registration

import (
	"strconv"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/internal/mailaddr"
	"github.com/kitaportal/kitaportal/problem"
)

// The field checks below are the `validate` tags of [Input] and its parts
// written out in Go, field by field in the order of the struct, so that
// a submission is checked without reflection. They record exactly the
// problems [problem.Struct] records for the same input (field path, code,
// "param" and "unit"); TestFieldChecksMatchTheTags compares the two on
// every bad input of the tests and FuzzFieldChecks on any input. A field
// added to Input with a tag needs its check here too.

// checkFields checks the tags of a normalized input.
func checkFields(c *problem.Collector, in *Input) {
	if in.IdempotencyKey != "" { // omitempty,max=100,printascii
		if !maxRunes(c, at("idempotency_key"), in.IdempotencyKey, 100) && !printASCII(in.IdempotencyKey) {
			c.Add("idempotency_key", "printascii", problem.ErrField)
		}
	}
	requiredText(c, at("child.given_name"), in.Child.GivenName, 100)
	requiredText(c, at("child.family_name"), in.Child.FamilyName, 100)
	checkGuardians(c, in.Guardians)
	checkAddress(c, in.Address)
	if in.Hours == 0 { // required
		c.Add("hours", "required", problem.ErrField)
	}
	checkIDs(c, "kitas", in.Kitas)
	if in.Tagespflege != nil {
		requiredText(c, at("tagespflege.district"), in.Tagespflege.District, 16)
	}
	checkIDs(c, "criteria.sibling_kita_ids", in.Criteria.SiblingKitaIDs)
	maxRunes(c, at("criteria.hardship_reason"), string(in.Criteria.HardshipReason), 32)
}

// path is a field path, put together only when a problem names it:
// list[i].name, list[i] (name ""), or list alone (i < 0).
type path struct {
	list string
	i    int
	name string
}

func at(field string) path { return path{list: field, i: -1} }

func (p path) String() string {
	if p.i < 0 {
		return p.list
	}
	s := p.list + "[" + strconv.Itoa(p.i) + "]"
	if p.name != "" {
		s += "." + p.name
	}
	return s
}

// checkGuardians: required,min=1,max=2,dive.
func checkGuardians(c *problem.Collector, gs []GuardianInput) {
	switch {
	case gs == nil:
		c.Add("guardians", "required", problem.ErrField)
		return
	case len(gs) < 1:
		c.Add("guardians", "min", problem.ErrField, "param", "1", "unit", "items")
		return
	case len(gs) > 2:
		c.Add("guardians", "max", problem.ErrField, "param", "2", "unit", "items")
		return
	}
	for i := range gs {
		checkGuardian(c, i, &gs[i])
	}
}

func checkGuardian(c *problem.Collector, i int, g *GuardianInput) {
	f := func(name string) path { return path{list: "guardians", i: i, name: name} }
	requiredText(c, f("given_name"), g.GivenName, 100)
	requiredText(c, f("family_name"), g.FamilyName, 100)
	switch { // required,email,max=254
	case g.Email == "":
		c.Add(f("email").String(), "required", problem.ErrField)
	case !isEmail(g.Email):
		c.Add(f("email").String(), "email", problem.ErrField)
	default:
		maxRunes(c, f("email"), g.Email, 254)
	}
	if g.Phone != "" { // omitempty,max=30,e164|numeric
		if !maxRunes(c, f("phone"), g.Phone, 30) && !isE164(g.Phone) && !isNumeric(g.Phone) {
			c.Add(f("phone").String(), "e164|numeric", problem.ErrField)
		}
	}
	switch g.Language { // required,oneof=de en tr ar uk ru pl
	case "de", "en", "tr", "ar", "uk", "ru", "pl":
	case "":
		c.Add(f("language").String(), "required", problem.ErrField)
	default:
		c.Add(f("language").String(), "oneof", problem.ErrField, "param", "de en tr ar uk ru pl")
	}
}

// checkAddress checks the tags of [geo.Address].
func checkAddress(c *problem.Collector, a geo.Address) {
	requiredText(c, at("address.street"), a.Street, 100)
	maxRunes(c, at("address.house_number"), a.HouseNumber, 20)
	switch { // required,numeric,len=5
	case a.PostalCode == "":
		c.Add("address.postal_code", "required", problem.ErrField)
	case !isNumeric(a.PostalCode):
		c.Add("address.postal_code", "numeric", problem.ErrField)
	case utf8.RuneCountInString(a.PostalCode) != 5:
		c.Add("address.postal_code", "len", problem.ErrField, "param", "5")
	}
	requiredText(c, at("address.city"), a.City, 100)
}

// checkIDs: max=50,dive,required,max=64.
func checkIDs(c *problem.Collector, f string, ids []string) {
	if len(ids) > 50 {
		c.Add(f, "max", problem.ErrField, "param", "50", "unit", "items")
		return
	}
	for i, id := range ids {
		requiredText(c, path{list: f, i: i}, id, 64)
	}
}

// requiredText: required,max=n.
func requiredText(c *problem.Collector, f path, s string, n int) {
	if s == "" {
		c.Add(f.String(), "required", problem.ErrField)
		return
	}
	maxRunes(c, f, s, n)
}

// maxRunes records "max" when s has more than n characters, and reports
// whether it did.
func maxRunes(c *problem.Collector, f path, s string, n int) bool {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return false
	}
	c.Add(f.String(), "max", problem.ErrField, "param", strconv.Itoa(n))
	return true
}

// printASCII is the tag printascii: ^[\x20-\x7E]*$.
func printASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// isNumeric is the tag numeric on a text: ^[-+]?[0-9]+(?:\.[0-9]+)?$.
func isNumeric(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	n := digits(s)
	if n == 0 {
		return false
	}
	if s = s[n:]; s == "" {
		return true
	}
	return s[0] == '.' && digits(s[1:]) == len(s)-1 && len(s) > 1
}

// isE164 is the tag e164: ^\+?[1-9]\d{7,14}$.
func isE164(s string) bool {
	if s != "" && s[0] == '+' {
		s = s[1:]
	}
	return len(s) >= 8 && len(s) <= 15 && s[0] >= '1' && s[0] <= '9' && digits(s) == len(s)
}

// digits counts the ASCII digits at the start of s.
func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// isEmail is the tag email. An address of the everyday shape
// ([mailaddr.Plain]) is taken at once; any other text is judged by the
// validator itself.
func isEmail(s string) bool {
	return mailaddr.Plain(s) || problem.Valid(s, "email")
}
