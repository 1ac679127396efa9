package web

import "strconv"

// field is one input of a form as a template draws it: its label, hint
// and error linked by ids (aria-describedby), what was typed, and for a
// select its options.
type field struct {
	ID, Name, Label, Type, Mode, Auto, Hint, Value, Err string
	Checked                                             bool
	Options                                             []option
}

type option struct{ Value, Label string }

// Input returns a text, date, e-mail, phone or checkbox field of the
// registration form; typ "numeric" is a text field with a numeric keypad.
// label and hint are page keys (hint may be "").
func (v *view) Input(id, name, label, typ, auto, hint string) field {
	f := field{ID: id, Name: name, Label: v.T(label), Type: typ, Auto: auto, Err: v.Error(id)}
	if typ == "numeric" {
		f.Type, f.Mode = "text", "numeric"
	}
	if hint != "" {
		f.Hint = v.T(hint)
	}
	if d, ok := v.Data.(formData); ok {
		f.Value = d.V.Get(name)
		f.Checked = f.Value == "on"
	}
	return f
}

// Select returns a select of the registration form with the options of a
// kind: hours, districts, reasons, languages.
func (v *view) Select(id, name, label, kind string) field {
	f := v.Input(id, name, label, "", "", "")
	d, _ := v.Data.(formData)
	if kind != "languages" {
		f.Options = append(f.Options, option{"", v.T("please_choose")})
	}
	switch kind {
	case "hours":
		for _, h := range d.Hours {
			f.Options = append(f.Options, option{h.String(), v.T("hours_n", "Count", h)})
		}
	case "districts":
		for _, x := range d.Districts {
			f.Options = append(f.Options, option{x.ID, x.ID + " " + x.Name})
		}
	case "reasons":
		for _, r := range d.Reasons {
			f.Options = append(f.Options, option{string(r), v.T("hardship_" + string(r))})
		}
	case "languages":
		for _, l := range d.MessageLng {
			f.Options = append(f.Options, option{l, v.LangName(l)})
		}
	}
	return f
}

// Guardian returns the id and form-name prefixes of guardian i
// ("guardians-0-", "g0_").
func (v *view) Guardian(i int) [2]string {
	n := strconv.Itoa(i)
	return [2]string{"guardians-" + n + "-", "g" + n + "_"}
}
