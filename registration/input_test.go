package registration_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// validDocument is validInput as the portal's form sends it.
func validDocument(t testing.TB) string {
	b, err := json.Marshal(validInput())
	require.NoError(t, err)
	return string(b)
}

func TestDecodeStrict(t *testing.T) {
	doc := validDocument(t)
	cases := []struct {
		name, doc string
		field     string
		code      problem.Code
	}{
		{"a 29 February outside a leap year is an impossible date", strings.Replace(doc, `"2024-02-29"`, `"2025-02-29"`, 1), "child.birth_date", "registration.invalid_date"},
		{"a thirteenth month is an impossible date", strings.Replace(doc, `"2027-08-01"`, `"2025-13-01"`, 1), "start", "registration.invalid_date"},
		{"a date the date library cannot parse is an impossible date", strings.Replace(doc, `"2024-02-29"`, `"00000-00"`, 1), "child.birth_date", "registration.invalid_date"},
		{"a date with a time of day is not a date", strings.Replace(doc, `"2024-02-29"`, `"2024-02-29T00:00:00Z"`, 1), "child.birth_date", "registration.invalid_date"},
		{"a date as a number is not a date", strings.Replace(doc, `"2024-02-29"`, `20240229`, 1), "child.birth_date", "registration.invalid_date"},
		{"a member given twice is rejected, not the last one taken", strings.Replace(doc, `"consent":true`, `"consent":true,"consent":false`, 1), "consent", "registration.duplicate_field"},
		{"member names match case-sensitively", strings.Replace(doc, `"consent":true`, `"Consent":true`, 1), "Consent", "registration.unknown_field"},
		{"an unknown member inside a guardian names its path", strings.Replace(doc, `"working":true`, `"working":true,"fax":"1"`, 1), "guardians[0].fax", "registration.unknown_field"},
		{"an unknown member that is not a name is not quoted", strings.Replace(doc, `"consent":true`, `"consent":true,"Anna Schmidt, 1.2.2024":1`, 1), "?", "registration.unknown_field"},
		{"a value of the wrong type names its path", strings.Replace(doc, `"hours":35`, `"hours":"35"`, 1), "hours", "registration.malformed"},
		{"trailing data after the document is rejected", doc + `{}`, "", "registration.malformed"},
		{"invalid UTF-8 is rejected", strings.Replace(doc, `"Jürgen"`, "\"J\xffrgen\"", 1), "child.given_name", "registration.malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := registration.Decode(strings.NewReader(tc.doc))
			require.ErrorIs(t, err, problem.ErrInvalid)
			assert.ErrorIs(t, err, registration.ErrMalformed)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tc.field, tc.code), "want %s at %q, got %v", tc.code, tc.field, list)
			assert.NotContains(t, err.Error(), "Jürgen")
			assert.NotContains(t, err.Error(), "2025")
		})
	}
	t.Run("a valid document decodes to the input it was made from", func(t *testing.T) {
		in, err := registration.Decode(strings.NewReader(doc))
		require.NoError(t, err)
		assert.Equal(t, validInput(), in)
	})
	t.Run("the last day of February in a leap year is a date", func(t *testing.T) {
		in, err := registration.Decode(strings.NewReader(doc))
		require.NoError(t, err)
		assert.Equal(t, date.New(2024, time.February, 29), in.Child.BirthDate)
	})
	t.Run("an empty or null date is the zero date, left to the required check", func(t *testing.T) {
		for _, v := range []string{`""`, `null`} {
			in, err := registration.Decode(strings.NewReader(strings.Replace(doc, `"2024-02-29"`, v, 1)))
			require.NoError(t, err)
			assert.True(t, in.Child.BirthDate.IsZero())
		}
	})
	t.Run("a document over the size limit is rejected", func(t *testing.T) {
		_, err := registration.Decode(bytes.NewReader(make([]byte, registration.MaxInputBytes+1)))
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("", "registration.too_large"))
	})
}

func TestNames(t *testing.T) {
	t.Run("format characters are stripped from names before they are stored", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Child.GivenName = "\u202eJür\u200bgen\u00ad\ufeff"
		in.Guardians[0].FamilyName = "\u2066Ößmann-Çelik\u2069"
		rc, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		assert.Equal(t, "Jürgen", rc.Application.Child.GivenName)
		assert.Equal(t, "Ößmann-Çelik", rc.Application.Guardians[0].FamilyName)
	})
	t.Run("a zero-width non-joiner inside a Persian name is kept", func(t *testing.T) {
		assert.Equal(t, "مهر\u200cناز", registration.Text("مهر\u200cناز"))
		assert.Equal(t, "Mehrnaz", registration.Text("Mehr\u200cnaz"))
	})
	cases := []struct {
		name  string
		edit  func(in *registration.Input)
		field string
		code  problem.Code
	}{
		{"a name of invisible characters only has no letter", func(in *registration.Input) { in.Child.GivenName = "\u200b\u200d\u00ad\ufeff" }, "child.given_name", "required"},
		{"a name of Hangul fillers only is empty", func(in *registration.Input) { in.Child.GivenName = "\u3164\u3164" }, "child.given_name", "required"},
		{"a name of punctuation only has no letter", func(in *registration.Input) { in.Child.FamilyName = "-- .." }, "child.family_name", registration.CodeNameLetters},
		{"a private-use character is rejected", func(in *registration.Input) { in.Guardians[0].GivenName = "Ay\ue000şe" }, "guardians[0].given_name", registration.CodeNameCharacters},
		{"a control character is rejected", func(in *registration.Input) { in.Child.GivenName = "Jür\x07gen" }, "child.given_name", registration.CodeNameCharacters},
		{"a control character in the street is rejected", func(in *registration.Input) { in.Address.Street = "Haupt\x1bstraße" }, "address.street", registration.CodeNameCharacters},
		{"invalid UTF-8 is rejected", func(in *registration.Input) { in.Child.FamilyName = "\xffÖßmann" }, "child.family_name", registration.CodeNameCharacters},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			in := validInput()
			tc.edit(&in)
			_, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tc.field, tc.code), "want %s at %s, got %v", tc.code, tc.field, list)
		})
	}
}

func TestChildKey(t *testing.T) {
	birth := date.New(2024, time.February, 29)
	key := func(given, family string) string { return registration.ChildKey(given, family, birth) }
	base := key("Anna", "Schmidt")
	same := map[string][2]string{
		"a zero-width space":            {"An\u200bna", "Schmidt"},
		"a soft hyphen":                 {"Anna", "Schmi\u00addt"},
		"a Cyrillic а for a Latin a":    {"\u0410nn\u0430", "Schmidt"},
		"fullwidth letters":             {"Ａｎｎａ", "Ｓｃｈｍｉｄｔ"},
		"another case":                  {"ANNA", "schmidt"},
		"a bidi override":               {"\u202dAnna\u202c", "Schmidt"},
		"a byte order mark":             {"\ufeffAnna", "Schmidt"},
		"a Greek capital alpha":         {"\u0391nna", "Schmidt"},
		"a combining sequence for a ü":  {"Anna", "Schmidt"},
		"extra white space":             {" Anna ", "Schmidt "},
		"a zero-width joiner in a name": {"Ann\u200da", "Schmidt"},
		"a variation selector":          {"An\ufe0fna", "Schmidt"},
		"a combining grapheme joiner":   {"An\u034fna", "Schmidt"},
	}
	for what, n := range same {
		t.Run(what+" does not evade the duplicate check", func(t *testing.T) {
			assert.Equal(t, base, key(n[0], n[1]))
		})
	}
	t.Run("a Turkish dotless ı counts as i: the two look alike (TR 39)", func(t *testing.T) {
		assert.Equal(t, key("Aydın", "Yıldız"), key("Aydin", "Yildiz"))
		assert.Equal(t, key("AYDIN", "YILDIZ"), key("Aydın", "Yıldız"))
	})
	t.Run("a combining umlaut is the same name as a precomposed one", func(t *testing.T) {
		assert.Equal(t, key("Jürgen", "Müller"), key("Ju\u0308rgen", "Mu\u0308ller"))
	})
	distinct := [][2]string{
		{"Müller", "Muller"},
		{"Müller", "Mueller"},
		{"Šimić", "Simic"},
		{"Çelik", "Celik"},
		{"Öztürk", "Ozturk"},
		{"Олена", "Олексій"},      // Ukrainian given names
		{"Ганна", "Гання"},        // differ in one Cyrillic letter
		{"محمد", "أحمد"},          // Arabic: Muhammad and Ahmad
		{"Zoë", "Zoe"},            // diaeresis
		{"Jürgen", "Jörgen"},      // two different vowels
		{"Anna", "Anne"},          // one letter
		{"Anna-Lena", "Annalena"}, // a hyphen is part of the name
	}
	for _, n := range distinct {
		t.Run(n[0]+" and "+n[1]+" stay distinct", func(t *testing.T) {
			assert.NotEqual(t, key(n[0], "Schmidt"), key(n[1], "Schmidt"))
		})
	}
	t.Run("the same name born on another day is another child", func(t *testing.T) {
		assert.NotEqual(t, base, registration.ChildKey("Anna", "Schmidt", birth.AddDate(0, 0, 1)))
	})
}

func TestDuplicateEvasion(t *testing.T) {
	t.Run("a Cyrillic letter and a zero-width space do not make a second application", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		_, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		in.Child.GivenName = "J\u0443\u200brgen" // Cyrillic у is not ü: a different name
		_, err = fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err, "a different vowel is a different child")
		in = validInput()
		in.Child.FamilyName = "\u00d6\u00dfm\u0430nn-\u00c7el\u200bik" // Cyrillic а, ZWSP
		_, err = fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		assert.ErrorIs(t, err, registration.ErrDuplicate)
	})
}
