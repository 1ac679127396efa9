package contract_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/problem"
	datePkg "github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerate(t *testing.T) {
	r := bochumRules(t)
	t.Run("a valid Kita draft gives a contract ending the day before school entry", func(t *testing.T) {
		c, err := contract.Generate(validDraft(), r)
		require.NoError(t, err)
		assert.True(t, c.Valid())
		assert.Equal(t, d(2030, time.July, 31), c.End())
		assert.Equal(t, 4, c.SettlingInWeeks(), "an under-3 gets the U3 settling-in period")
		require.NotEmpty(t, c.Fees().Bands)
		require.Len(t, c.Clauses(), len(contract.DefaultClauseTexts(contract.German)))
		assert.Contains(t, c.Clauses()[0].Text, "Kita Sonnenblume Weitmar")
		assert.Contains(t, c.Clauses()[5].Text, "31.07.2030")
	})
	t.Run("the contract cannot be changed through its accessors", func(t *testing.T) {
		c, err := contract.Generate(validDraft(), r)
		require.NoError(t, err)
		c.Guardians()[0].Name = "x"
		c.Fees().Bands[0].Reasons[0] = contract.ReasonCut
		assert.Equal(t, "Ayşe Ößmann-Çelik", c.Guardians()[0].Name)
		assert.Equal(t, contract.ReasonUnderSplit, c.Fees().Bands[0].Reasons[0])
	})
	t.Run("an English contract is filled in English", func(t *testing.T) {
		dr := validDraft()
		dr.Language = contract.English
		c, err := contract.Generate(dr, r)
		require.NoError(t, err)
		assert.Contains(t, c.Clauses()[0].Text, "represented by the Kita head")
	})
	t.Run("a Tagespflege contract needs no carrier", func(t *testing.T) {
		dr := validDraft()
		dr.Kind = contract.Tagespflege
		dr.Provider = contract.Provider{Name: "Renate Müßig", Address: addr}
		c, err := contract.Generate(dr, r)
		require.NoError(t, err)
		assert.Contains(t, c.Clauses()[0].Text, "Tagespflegeperson Renate Müßig")
	})
}

func TestGenerateRejects(t *testing.T) {
	r := bochumRules(t)
	cases := []struct {
		name   string
		change func(*contract.Draft)
		field  string
		code   problem.Code
		rule   error
	}{
		{"a missing guardian", func(d *contract.Draft) { d.Guardians = nil }, "guardians", contract.CodeGuardianMissing, contract.ErrGuardians},
		{"three guardians", func(d *contract.Draft) { d.Guardians = append(d.Guardians, d.Guardians[0]) }, "guardians", contract.CodeTooManyGuardians, contract.ErrGuardians},
		{"a start after the agreed end", func(d *contract.Draft) { d.End = d.Start.Add(-1) }, "start", contract.CodeStartAfterEnd, contract.ErrDates},
		{"an end after school entry", func(d *contract.Draft) { d.End = d2031() }, "end", contract.CodeEndAfterSchoolEntry, contract.ErrDates},
		{"a child of school age at the start", func(d *contract.Draft) { d.Child.BirthDate = d2019() }, "start", contract.CodeSchoolAgeAtStart, contract.ErrDates},
		{"a start before birth", func(d *contract.Draft) { d.Start = d.Child.BirthDate.Add(-1) }, "start", contract.CodeBornAfterStart, contract.ErrDates},
		{"hours not in the schedule", func(d *contract.Draft) { d.Hours = 30 }, "hours", contract.CodeHoursNotOffered, contract.ErrHours},
		{"a start the schedule does not cover", func(d *contract.Draft) {
			d.Start = datePkg.New(2020, time.June, 1)
			d.Child.BirthDate = datePkg.New(2019, time.May, 1)
		}, "start", contract.CodeFeeNotCovered, contract.ErrNotCovered},
		{"a Kita without its head", func(d *contract.Draft) { d.Provider.Representative = "" }, "provider.representative", contract.CodeRepresentative, contract.ErrParty},
		{"a guardian without name", func(d *contract.Draft) { d.Guardians[1].Name = " " }, "guardians[1].name", contract.CodeNameMissing, contract.ErrParty},
		{"a child address without postal code", func(d *contract.Draft) { d.Child.Address.PostalCode = "" }, "child.address.postal_code", "required", problem.ErrField},
		{"no creation instant", func(d *contract.Draft) { d.CreatedAt = time.Time{} }, "created_at", contract.CodeCreatedMissing, contract.ErrInput},
		{"an unset language", func(d *contract.Draft) { d.Language = 0 }, "language", contract.CodeLanguageInvalid, contract.ErrInput},
		{"a negative income", func(d *contract.Draft) { d.Income = dec("-1") }, "income", contract.CodeIncomeNegative, contract.ErrInput},
	}
	for _, c := range cases {
		t.Run(c.name+" is reported without personal data", func(t *testing.T) {
			dr := validDraft()
			c.change(&dr)
			got, err := contract.Generate(dr, r)
			require.Error(t, err)
			assert.False(t, got.Valid())
			assert.ErrorIs(t, err, problem.ErrInvalid)
			assert.ErrorIs(t, err, c.rule)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has(c.field, c.code), "got %v", l)
			for _, secret := range []string{"Jürgen", "Ößmann", "Königsallee", "44789", "2024", "52000"} {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
	t.Run("all problems of a draft are reported at once", func(t *testing.T) {
		dr := validDraft()
		dr.Guardians = nil
		dr.Hours = 30
		dr.Number = ""
		_, err := contract.Generate(dr, r)
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.Len(t, l, 3)
	})
}

func d2031() datePkg.Date { return d(2031, time.July, 31) }
func d2019() datePkg.Date { return d(2019, time.May, 1) }

func TestMessagesCoverEveryCode(t *testing.T) {
	codes := []problem.Code{contract.CodeNumberMissing, contract.CodeNumberTooLong, contract.CodeKindInvalid,
		contract.CodeLanguageInvalid, contract.CodeCreatedMissing, contract.CodeIncomeNegative, contract.CodeNameMissing,
		contract.CodeTextTooLong, contract.CodeRepresentative, contract.CodeCarrierMissing, contract.CodeGuardianMissing,
		contract.CodeTooManyGuardians, contract.CodeBirthDateMissing, contract.CodeStartMissing, contract.CodeBornAfterStart,
		contract.CodeSchoolAgeAtStart, contract.CodeStartAfterEnd, contract.CodeEndAfterSchoolEntry, contract.CodeHoursNotOffered,
		contract.CodeFeeNotCovered, contract.CodeBracketGap, contract.CodeSchedule, contract.CodeScheduleSyntax,
		contract.CodeClauseSyntax, contract.CodeClauseTooLong, contract.CodeClauseForbidden, contract.CodeClauseExecution,
		contract.CodeClauseKey, contract.CodeClauseTranslation, contract.CodeClauseCount, contract.CodeRules}
	for _, lang := range []string{"de", "en"} {
		t.Run("every code has a text in "+lang, func(t *testing.T) {
			assert.Len(t, contract.Messages[lang], len(codes))
			for _, c := range codes {
				assert.NotEmpty(t, contract.Messages[lang][c], string(c))
				assert.True(t, strings.HasPrefix(string(c), "contract."))
			}
		})
	}
	t.Run("a translator fills in the parameters", func(t *testing.T) {
		dr := validDraft()
		dr.Hours = 30
		_, err := contract.Generate(dr, bochumRules(t))
		var l problem.List
		require.ErrorAs(t, err, &l)
		tr := problem.NewTranslator(contract.Messages)
		assert.Contains(t, tr.Message(l[0], "de"), "25, 35, 45 Stunden")
	})
}
