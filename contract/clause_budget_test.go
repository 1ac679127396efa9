package contract_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/problem"
)

// TestHostileClauses parses clause templates of a few hundred bytes that
// would grow past a gigabyte: parsing fills each clause in
// once, and that filling-in keeps to a budget.
func TestHostileClauses(t *testing.T) {
	doubling := func(fn string) string {
		return `{{$x := "Kita"}}` + strings.Repeat(`{{$x = `+fn+` $x $x}}`, 40) + `{{len $x}}`
	}
	cases := []struct {
		name, body string
		code       problem.Code
	}{
		{"a printf doubling chain", doubling(`printf "%s%s"`), contract.CodeClauseTooLong},
		{"a print doubling chain", doubling(`print`), contract.CodeClauseTooLong},
		{"a printf width of a million", `{{printf "%1000000d" 1}}`, contract.CodeClauseExecution},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused when the clause is parsed", func(t *testing.T) {
			body := c.body
			require.Less(t, len(body), 2000)
			_, err := contract.ParseClauses([]contract.ClauseText{{Key: "a", Title: "A", Body: body}}, []contract.ClauseText{{Key: "a", Title: "A", Body: "ok"}})
			require.ErrorIs(t, err, contract.ErrClause)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has("de[0].body", c.code), "got %v", l)
		})
	}
}
