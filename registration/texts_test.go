package registration_test

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// goAndJSONNames are the names of Input's types and fields, Go and JSON,
// that must never show in a text meant for a family. Names that are
// ordinary words ("Kitas", "Child") are left out.
func goAndJSONNames(t reflect.Type, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.PkgPath() == "github.com/rickb777/date" {
		return
	}
	identifier := regexp.MustCompile(`^[A-Z][a-z]+[A-Z]`)
	out[t.Name()] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if identifier.MatchString(f.Name) {
			out[f.Name] = true
		}
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); strings.Contains(name, "_") {
			out[name] = true
		}
		goAndJSONNames(f.Type, out)
	}
}

// everyProblem collects the problems of inputs that break every rule a
// family can break through the form, and of malformed documents.
func everyProblem(t *testing.T) problem.List {
	fx := newFixture(t)
	var all problem.List
	add := func(err error) {
		var l problem.List
		require.True(t, errors.As(err, &l), "want a problem list, got %v", err)
		all = append(all, l...)
	}
	submit := func(in registration.Input) {
		_, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		add(err)
	}
	submit(registration.Input{})

	in := validInput()
	in.IdempotencyKey = "Schlüssel"
	in.Child.GivenName = strings.Repeat("A", 101)
	in.Child.FamilyName = "-- .."
	in.Guardians[0].Email = "keine-adresse"
	in.Guardians[0].Phone = "0234 / 12 34"
	in.Guardians[0].Language = "fr"
	in.Guardians[0].GivenName = "Ay\ue000şe"
	in.Address.PostalCode = "4478a"
	in.Address.Street = strings.Repeat("x", 101)
	in.Kitas = make([]string, 51)
	in.Kitas[0] = strings.Repeat("k", 65)
	in.Criteria.Hardship = true
	in.Tagespflege = &registration.TagespflegeWish{District: "Nirgendwo"}
	in.Consent = false
	submit(in)

	in = validInput()
	in.Guardians = append(in.Guardians, in.Guardians[0], in.Guardians[0])
	in.Guardians[1].Email = ""
	in.Criteria.SiblingKitaIDs = []string{"k9"}
	in.Hours = 7
	in.Address.PostalCode = "447"
	submit(in)

	in = validInput()
	in.Guardians = []registration.GuardianInput{}
	submit(in)

	doc := validDocument(t)
	for _, d := range []string{
		strings.Replace(doc, `"2024-02-29"`, `"2025-02-29"`, 1),
		strings.Replace(doc, `"consent":true`, `"consent":true,"consent":false`, 1),
		strings.Replace(doc, `"consent":true`, `"Consent":true`, 1),
		strings.Replace(doc, `"hours":35`, `"hours":"35"`, 1),
		strings.Repeat(" ", registration.MaxInputBytes+1),
	} {
		_, err := registration.Decode(strings.NewReader(d))
		add(err)
	}
	return all
}

func TestProblemTextsAreSentences(t *testing.T) {
	list := everyProblem(t)
	codes := map[problem.Code]bool{}
	for _, p := range list {
		codes[p.Code] = true
	}
	for _, want := range []problem.Code{"required", "max", "email", "e164|numeric", "oneof", "printascii", "numeric", "len", "min",
		registration.CodeNameCharacters, registration.CodeNameLetters, "registration.invalid_date", "registration.duplicate_field",
		"registration.unknown_field", "registration.malformed", "registration.too_large"} {
		require.True(t, codes[want], "the inputs must produce %s; got %v", want, list.Codes())
	}

	names := map[string]bool{}
	goAndJSONNames(reflect.TypeFor[registration.Input](), names)
	tr := problem.NewTranslator(registration.Messages)
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, p := range list {
		for _, lang := range []string{"de", "en"} {
			text := tr.Message(p, lang)
			t.Run(string(p.Code)+" at "+p.Field+" in "+lang+" is a sentence with the field's label", func(t *testing.T) {
				assert.NotEqual(t, string(p.Code), text, "a text exists")
				assert.NotContains(t, text, "Key:")
				assert.NotContains(t, text, "Error:")
				assert.NotRegexp(t, placeholder, text, "every placeholder is filled")
				for n := range names {
					assert.NotContains(t, text, n, "no Go or JSON field name")
				}
				assert.Regexp(t, `^[A-ZÄÖÜ„“"]`, text, "starts like a sentence")
				assert.Regexp(t, `[.)]$`, text, "ends like a sentence")
				if strings.Contains(tr.Message(problem.Problem{Code: p.Code}, lang), "{label}") {
					assert.NotContains(t, text, "„Angabe“")
					assert.NotContains(t, text, "“entry”", "the field has a label of its own")
				}
			})
		}
	}
	t.Run("a wrong e-mail address reads as the form's sentence", func(t *testing.T) {
		assert.Equal(t, "Bitte geben Sie eine gültige E-Mail-Adresse an.", tr.Message(problem.Problem{Field: "guardians[0].email", Code: "email"}, "de"))
		assert.Equal(t, "Please enter a valid e-mail address.", tr.Message(problem.Problem{Field: "guardians[0].email", Code: "email"}, "en"))
	})
	t.Run("a missing first name names the child's first name", func(t *testing.T) {
		assert.Equal(t, "Bitte füllen Sie das Feld „Vorname des Kindes“ aus.", tr.Message(problem.Problem{Field: "child.given_name", Code: "required"}, "de"))
		assert.Equal(t, "Please fill in the field “child's first name”.", tr.Message(problem.Problem{Field: "child.given_name", Code: "required"}, "en"))
	})
}
