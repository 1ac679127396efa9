package problem

import (
	"errors"
	"sort"
	"strings"
)

// ErrInvalid is matched by every [List]: the input was rejected and nothing
// was changed.
var ErrInvalid = errors.New("problem: invalid input")

// ErrField is the rule of problems found by struct-tag validation (a required
// field missing, a text too long, a malformed e-mail address).
var ErrField = errors.New("problem: invalid field")

// Code is a stable, machine-readable name of a broken rule, such as
// "required" or "registration.too_many_choices". Codes never change once
// released; clients may switch on them.
type Code string

// Problem is one broken rule at one field of an input.
type Problem struct {
	// Field is the path of the offending value, in the JSON names of the
	// input: "child.birth_date", "choices[5]", "line 12: column postcode".
	Field string
	// Code names the rule.
	Code Code
	// Params are the rule's parameters (limits, allowed values), never the
	// input itself.
	Params map[string]string
	// Rule is the sentinel error of the rule; Problem unwraps to it.
	Rule error
}

// Error returns "field: code", without any input value.
func (p Problem) Error() string {
	if p.Field == "" {
		return string(p.Code)
	}
	return p.Field + ": " + string(p.Code)
}

// Unwrap returns the rule's sentinel.
func (p Problem) Unwrap() error { return p.Rule }

// List is every problem of one input. It is the error type of every
// validating function in kitaportal.
type List []Problem

// Error lists the problems as "field: code" separated by "; ".
func (l List) Error() string {
	var b strings.Builder
	b.WriteString("invalid input: ")
	for i, p := range l {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Is reports whether target is [ErrInvalid].
func (l List) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the problems, so that errors.Is finds each rule.
func (l List) Unwrap() []error {
	errs := make([]error, len(l))
	for i, p := range l {
		errs[i] = p
	}
	return errs
}

// Has reports whether the list names code at field ("" matches any field).
func (l List) Has(field string, code Code) bool {
	for _, p := range l {
		if p.Code == code && (field == "" || p.Field == field) {
			return true
		}
	}
	return false
}

// Codes returns the codes of the list in order, for tests and logs.
func (l List) Codes() []Code {
	codes := make([]Code, len(l))
	for i, p := range l {
		codes[i] = p.Code
	}
	return codes
}

// Collector gathers problems while an input is checked. The zero value is
// ready to use.
type Collector struct {
	list List
}

// Add records a problem. params are key, value pairs.
func (c *Collector) Add(field string, code Code, rule error, params ...string) {
	p := Problem{Field: field, Code: code, Rule: rule}
	if len(params) > 0 {
		p.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			p.Params[params[i]] = params[i+1]
		}
	}
	c.list = append(c.list, p)
}

// Merge records every problem of err under the field prefix. An err that is
// not a [List] is recorded as one problem with code "invalid" and err as rule.
// A nil err adds nothing.
func (c *Collector) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	var l List
	if !errors.As(err, &l) {
		c.Add(prefix, "invalid", err)
		return
	}
	for _, p := range l {
		p.Field = Join(prefix, p.Field)
		c.list = append(c.list, p)
	}
}

// Len returns how many problems were recorded.
func (c *Collector) Len() int { return len(c.list) }

// Err returns the problems as a [List], or nil when there are none.
func (c *Collector) Err() error {
	if len(c.list) == 0 {
		return nil
	}
	out := make(List, len(c.list))
	copy(out, c.list)
	return out
}

// Join joins field path elements with a dot, dropping empty ones; an element
// starting with "[" is appended without a dot.
func Join(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// Catalog holds message templates by language ("de", "en") and code. A
// template names parameters in braces: "höchstens {max} Kitas".
type Catalog map[string]map[Code]string

// Translator turns problems into text in a language.
type Translator struct {
	catalogs Catalog
	fallback string
}

// NewTranslator merges [Messages] and catalogs; later catalogs override
// earlier ones. The fallback language ("de") is used where a language or
// code is missing.
func NewTranslator(catalogs ...Catalog) *Translator {
	t := &Translator{catalogs: Catalog{}, fallback: "de"}
	for _, c := range append([]Catalog{Messages}, catalogs...) {
		for lang, msgs := range c {
			if t.catalogs[lang] == nil {
				t.catalogs[lang] = map[Code]string{}
			}
			for code, text := range msgs {
				t.catalogs[lang][code] = text
			}
		}
	}
	return t
}

// Languages returns the languages the translator knows, sorted.
func (t *Translator) Languages() []string {
	langs := make([]string, 0, len(t.catalogs))
	for l := range t.catalogs {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// Message returns the text of p in lang (falling back to German), with its
// parameters filled in. A code without a template yields its code. The
// template "<code>.<unit>" is preferred where p has the parameter "unit"
// ("max.items" for a list's limit). The placeholder {label} names the field: the catalogs' "label.<path>" with
// list indices dropped, tried from the whole path down to its last element
// ("label.guardians.phone", then "label.phone"), else "label".
func (t *Translator) Message(p Problem, lang string) string {
	tmpl, ok := "", false
	if u := p.Params["unit"]; u != "" {
		tmpl, ok = t.text(p.Code+"."+Code(u), lang)
	}
	if !ok {
		tmpl, ok = t.text(p.Code, lang)
	}
	if !ok {
		return string(p.Code)
	}
	if len(p.Params) == 0 && !strings.Contains(tmpl, "{label}") {
		return tmpl
	}
	pairs := make([]string, 0, 2*len(p.Params)+2)
	for k, v := range p.Params {
		pairs = append(pairs, "{"+k+"}", v)
	}
	if strings.Contains(tmpl, "{label}") {
		pairs = append(pairs, "{label}", t.label(p.Field, lang))
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// label is the most specific label of field in lang; a German label is
// taken only where lang has none at all.
func (t *Translator) label(field, lang string) string {
	keys := labelKeys(field)
	for _, l := range []string{lang, t.fallback} {
		for _, key := range keys {
			if s, ok := t.catalogs[l][key]; ok {
				return s
			}
		}
	}
	return ""
}

// text is the template of code in lang, else in the fallback language.
func (t *Translator) text(code Code, lang string) (string, bool) {
	if s, ok := t.catalogs[lang][code]; ok {
		return s, true
	}
	s, ok := t.catalogs[t.fallback][code]
	return s, ok
}

// Messages returns "field: text" for every problem of l in lang.
func (t *Translator) Messages(l List, lang string) []string {
	out := make([]string, len(l))
	for i, p := range l {
		out[i] = Join(p.Field) + ": " + t.Message(p, lang)
		if p.Field == "" {
			out[i] = t.Message(p, lang)
		}
	}
	return out
}
