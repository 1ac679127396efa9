package contract_test

import (
	"strings"
	"testing"

	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseClauses(t *testing.T) {
	one := func(body string) []contract.ClauseText {
		return []contract.ClauseText{{Key: "a", Title: "A", Body: body}}
	}
	t.Run("the default clauses parse in both languages", func(t *testing.T) {
		_, err := contract.ParseClauses(contract.DefaultClauseTexts(contract.German), contract.DefaultClauseTexts(contract.English))
		require.NoError(t, err)
	})
	cases := []struct {
		name, body string
		code       problem.Code
	}{
		{"a syntax error", "{{if .IsKita}}", contract.CodeClauseSyntax},
		{"a range loop", "{{range 1000000000}}{{end}}", contract.CodeClauseForbidden},
		{"a nested template", `{{define "x"}}y{{end}}{{template "x"}}`, contract.CodeClauseForbidden},
		{"the call builtin", "{{call .Provider}}", contract.CodeClauseForbidden},
		{"an unknown field", "{{.Income}}", contract.CodeClauseExecution},
		{"an unknown function", "{{readFile \"/etc/passwd\"}}", contract.CodeClauseSyntax},
		{"a source that is too long", strings.Repeat("x", contract.MaxClauseSource+1), contract.CodeClauseTooLong},
		{"an output that is too long", strings.Repeat(`{{printf "%9999s" ""}}`, 3), contract.CodeClauseTooLong},
	}
	for _, c := range cases {
		t.Run(c.name+" gives a problem list", func(t *testing.T) {
			_, err := contract.ParseClauses(one(c.body), one("ok"))
			require.Error(t, err)
			assert.ErrorIs(t, err, contract.ErrClause)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has("de[0].body", c.code), "got %v", l)
		})
	}
	t.Run("every broken clause is reported at once", func(t *testing.T) {
		_, err := contract.ParseClauses(
			[]contract.ClauseText{{Key: "a", Body: "{{"}, {Key: "a", Body: "{{range 3}}{{end}}"}},
			[]contract.ClauseText{{Key: "a", Body: "x"}})
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("de[0].body", contract.CodeClauseSyntax))
		assert.True(t, l.Has("de[1].key", contract.CodeClauseKey))
		assert.True(t, l.Has("de[1].body", contract.CodeClauseForbidden))
		assert.True(t, l.Has("en", contract.CodeClauseTranslation))
	})
	t.Run("a city's own clause is used in the contract", func(t *testing.T) {
		cs, err := contract.ParseClauses(one("Träger {{.Carrier}}: {{.Hours}} h"), one("Carrier {{.Carrier}}"))
		require.NoError(t, err)
		r := bochumRules(t)
		r.Clauses = cs
		c, err := contract.Generate(validDraft(), r)
		require.NoError(t, err)
		assert.Equal(t, "Träger Arbeiterwohlfahrt Unterbezirk Ruhr-Mitte: 35 h", c.Clauses()[0].Text)
	})
}

func FuzzClauseTemplate(f *testing.F) {
	for _, ct := range contract.DefaultClauseTexts(contract.German) {
		f.Add(ct.Body)
	}
	f.Add("{{range 10}}{{end}}")
	f.Add("{{template \"a\"}}")
	f.Add("{{with $x := .Child}}{{$x}}{{end}}")
	f.Add("{{index .Child 99}}")
	f.Add("{{slice .Child 5 1}}")
	f.Add("{{printf \"%v\" .}}")
	f.Fuzz(func(t *testing.T, body string) {
		cs, err := contract.ParseClauses([]contract.ClauseText{{Key: "k", Body: body}}, []contract.ClauseText{{Key: "k", Body: body}})
		if err != nil {
			return
		}
		r := bochumRules(t)
		r.Clauses = cs
		c, err := contract.Generate(validDraft(), r)
		if err == nil && len(c.Clauses()[0].Text) > contract.MaxClauseOutput {
			t.Fatal("output limit exceeded")
		}
	})
}
