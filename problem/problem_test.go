package problem_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
)

var errTooMany = errors.New("test: too many")

func TestCollector(t *testing.T) {
	t.Run("an empty collector is no error", func(t *testing.T) {
		var c problem.Collector
		assert.NoError(t, c.Err())
	})
	t.Run("every problem is kept, matched by its rule and by ErrInvalid", func(t *testing.T) {
		var c problem.Collector
		c.Add("kitas", "x.too_many", errTooMany, "max", "5")
		c.Add("child.name", "required", problem.ErrField)
		err := c.Err()
		require.Error(t, err)
		assert.ErrorIs(t, err, problem.ErrInvalid)
		assert.ErrorIs(t, err, errTooMany)
		assert.ErrorIs(t, err, problem.ErrField)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.Len(t, l, 2)
		assert.Equal(t, "invalid input: kitas: x.too_many; child.name: required", err.Error())
		assert.True(t, l.Has("kitas", "x.too_many"))
		assert.False(t, l.Has("child", "x.too_many"))
	})
	t.Run("merging nests field paths", func(t *testing.T) {
		var inner problem.Collector
		inner.Add("[2].email", "email", problem.ErrField)
		inner.Add("name", "required", problem.ErrField)
		var c problem.Collector
		c.Merge("guardians", inner.Err())
		c.Merge("x", errTooMany)
		c.Merge("y", nil)
		var l problem.List
		require.ErrorAs(t, c.Err(), &l)
		assert.Equal(t, []string{"guardians[2].email", "guardians.name", "x"}, []string{l[0].Field, l[1].Field, l[2].Field})
		assert.ErrorIs(t, c.Err(), errTooMany)
	})
}

func TestTranslator(t *testing.T) {
	tr := problem.NewTranslator(problem.Catalog{
		"de": {"x.too_many": "höchstens {max} Kitas"},
		"en": {"x.too_many": "at most {max} Kitas"},
	})
	p := problem.Problem{Field: "kitas", Code: "x.too_many", Params: map[string]string{"max": "5"}}
	assert.Equal(t, "höchstens 5 Kitas", tr.Message(p, "de"))
	assert.Equal(t, "at most 5 Kitas", tr.Message(p, "en"))
	assert.Equal(t, "höchstens 5 Kitas", tr.Message(p, "fr"), "unknown languages fall back to German")
	assert.Equal(t, "unknown.code", tr.Message(problem.Problem{Code: "unknown.code"}, "de"))
	assert.Equal(t, []string{"de", "en"}, tr.Languages())
}

type form struct {
	Name  string `json:"name" validate:"required,max=5"`
	Email string `json:"email" validate:"required,email"`
	Inner struct {
		Code string `json:"code" validate:"len=3"`
	} `json:"inner"`
}

func TestStruct(t *testing.T) {
	t.Run("struct tags give problems with JSON paths, validator codes and translated texts", func(t *testing.T) {
		f := form{Name: "Jürgen Ößmann", Email: "nope"}
		f.Inner.Code = "ab"
		err := problem.Struct(f)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("name", "max"))
		assert.True(t, l.Has("email", "email"))
		assert.True(t, l.Has("inner.code", "len"))
		assert.ErrorIs(t, err, problem.ErrField)
		assert.NotContains(t, err.Error(), "Jürgen", "no input value in the error")
		tr := problem.NewTranslator()
		for _, p := range l {
			assert.NotEqual(t, string(p.Code), tr.Message(p, "de"))
			assert.NotEqual(t, tr.Message(p, "de"), tr.Message(p, "en"))
			assert.NotContains(t, tr.Message(p, "de"), "Jürgen")
		}
	})
	t.Run("a valid struct is no error", func(t *testing.T) {
		f := form{Name: "Mia", Email: "mia@example.org"}
		f.Inner.Code = "abc"
		assert.NoError(t, problem.Struct(f))
	})
}

type household struct {
	Members []string `json:"members" validate:"max=2"`
	Phone   string   `json:"phone" validate:"omitempty,e164|numeric"`
	Age     int      `json:"age" validate:"max=7"`
}

func TestStructTexts(t *testing.T) {
	tr := problem.NewTranslator(problem.Catalog{
		"de": {"label.members": "Mitglieder"},
		"en": {"label.members": "members"},
	})
	err := problem.Struct(household{Members: []string{"a", "b", "c"}, Phone: "0234 / 1", Age: 9})
	var l problem.List
	require.ErrorAs(t, err, &l)
	msg := map[string]map[string]string{}
	for _, p := range l {
		msg[p.Field] = map[string]string{"de": tr.Message(p, "de"), "en": tr.Message(p, "en")}
	}
	t.Run("a limit on a list counts entries and names the field's label", func(t *testing.T) {
		assert.Equal(t, "Bei „Mitglieder“ sind zu viele Angaben (höchstens 2).", msg["members"]["de"])
		assert.Equal(t, "“members” has too many entries (at most 2).", msg["members"]["en"])
	})
	t.Run("an alternative of tags is a sentence, not the validator's raw text", func(t *testing.T) {
		assert.Equal(t, "Bitte geben Sie eine gültige Telefonnummer an: nur Ziffern, international mit + am Anfang.", msg["phone"]["de"])
		assert.NotContains(t, msg["phone"]["en"], "Key:")
	})
	t.Run("a field without a label of its own is called an entry", func(t *testing.T) {
		assert.Equal(t, "„Angabe“ darf höchstens 7 sein.", msg["age"]["de"])
		assert.Equal(t, "“entry” may be at most 7.", msg["age"]["en"])
	})
	t.Run("the most specific label wins, list indices dropped", func(t *testing.T) {
		tr := problem.NewTranslator(problem.Catalog{"de": {"label.guardians.phone": "Telefonnummer der Eltern"}})
		p := problem.Problem{Field: "guardians[1].phone", Code: "numeric"}
		assert.Equal(t, "„Telefonnummer der Eltern“ darf nur Ziffern enthalten.", tr.Message(p, "de"))
		assert.Equal(t, "“phone number” may contain digits only.", tr.Message(p, "en"))
	})
}

func ExampleCollector() {
	var c problem.Collector
	c.Add("kitas", "registration.too_many_choices", errTooMany, "max", "5")
	err := c.Err()
	tr := problem.NewTranslator(problem.Catalog{"de": {"registration.too_many_choices": "Sie können höchstens {max} Kitas wählen."}})
	var l problem.List
	if errors.As(err, &l) {
		for _, m := range tr.Messages(l, "de") {
			fmt.Println(m)
		}
	}
	fmt.Println(errors.Is(err, errTooMany), errors.Is(err, problem.ErrInvalid))
	// Output:
	// kitas: Sie können höchstens 5 Kitas wählen.
	// true true
}

func TestMessagesCatalog(t *testing.T) {
	t.Run("every text and label has a German and an English version", func(t *testing.T) {
		for code := range problem.Messages["de"] {
			assert.NotEmpty(t, problem.Messages["en"][code], code)
		}
		assert.Len(t, problem.Messages["en"], len(problem.Messages["de"]))
	})
}
