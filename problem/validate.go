package problem

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/en"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	de_translations "github.com/go-playground/validator/v10/translations/de"
	en_translations "github.com/go-playground/validator/v10/translations/en"
)

type structValidator struct {
	v     *validator.Validate
	trans map[string]ut.Translator
}

// shared is built on first use; validator.Validate is safe for concurrent use
// and caches struct metadata, so one instance serves the whole process.
var shared = sync.OnceValue(func() *structValidator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	uni := ut.New(en.New(), en.New(), de.New())
	enT, _ := uni.GetTranslator("en")
	deT, _ := uni.GetTranslator("de")
	// The registrations only fail on duplicate keys, which cannot happen on
	// a fresh translator.
	_ = en_translations.RegisterDefaultTranslations(v, enT)
	_ = de_translations.RegisterDefaultTranslations(v, deT)
	return &structValidator{v: v, trans: map[string]ut.Translator{"en": enT, "de": deT}}
})

// Struct checks the `validate` tags of s (a struct or pointer to one) and
// returns the problems as a [List], field paths in JSON names, each with the
// validator's tag as code and [ErrField] as rule. Texts come from the
// validator's German and English translations.
func Struct(s any) error {
	sv := shared()
	err := sv.v.Struct(s)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return List{{Code: "invalid", Rule: ErrField}}
	}
	out := make(List, 0, len(ves))
	for _, fe := range ves {
		p := Problem{
			Field: fieldPath(fe.Namespace()),
			Code:  Code(fe.Tag()),
			Rule:  ErrField,
			text:  map[string]string{},
		}
		if fe.Param() != "" {
			p.Params = map[string]string{"param": fe.Param()}
		}
		for lang, tr := range sv.trans {
			p.text[lang] = fe.Translate(tr)
		}
		out = append(out, p)
	}
	return out
}

// fieldPath drops the root type name from a validator namespace:
// "Input.child.name" becomes "child.name".
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}
