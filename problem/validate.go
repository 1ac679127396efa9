package problem

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// shared is built on first use; validator.Validate is safe for concurrent use
// and caches struct metadata, so one instance serves the whole process.
var shared = sync.OnceValue(func() *validator.Validate {
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
	return v
})

// Struct checks the `validate` tags of s (a struct or pointer to one) and
// returns the problems as a [List], field paths in JSON names, each with
// [ErrField] as rule and the validator's tag as code ("required", "email",
// "max", "e164|numeric" ...). The tag's parameter (a limit, the allowed
// values) is the parameter "param"; a limit (max, min, len) on a list has
// the parameter "unit" "items", on a number "value", so that its text can
// say what is limited.
// Texts are sentences from [Messages] naming the field's label; the
// validator's own error text never reaches a caller.
func Struct(s any) error {
	err := shared().Struct(s)
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
		}
		if fe.Param() != "" {
			p.Params = map[string]string{"param": fe.Param()}
			if u := unit(fe.Tag(), fe.Kind()); u != "" {
				p.Params["unit"] = u
			}
		}
		out = append(out, p)
	}
	return out
}

// unit says what a length limit limits: "items" of a list, a number's
// "value", or "" for the characters of a text.
func unit(tag string, kind reflect.Kind) string {
	switch tag {
	case "max", "min", "len":
		switch kind {
		case reflect.Slice, reflect.Array, reflect.Map:
			return "items"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64:
			return "value"
		}
	}
	return ""
}

// fieldPath drops the root type name from a validator namespace:
// "Input.child.name" becomes "child.name".
func fieldPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

// Valid reports whether value passes the validator's tag ("email",
// "e164|numeric" ...): for a program that checks its fields in Go and
// leaves only the rare value to the validator.
func Valid(value any, tag string) bool {
	return shared().Var(value, tag) == nil
}
