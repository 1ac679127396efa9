package budget_test

import (
	"context"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/internal/budget"
)

var small = budget.Limits{Steps: 1000, Work: 1 << 16, FormatWidth: 100, Time: time.Minute}

// run parses src with a budget's functions and steps and executes it.
func run(t *testing.T, src string) (string, error) {
	t.Helper()
	b := budget.New(small)
	tmpl, err := template.New("t").Funcs(b.Funcs(nil)).Parse(src)
	require.NoError(t, err)
	budget.InsertSteps(tmpl.Tree.Root)
	b.Reset(context.Background())
	var out strings.Builder
	err = tmpl.Execute(&out, map[string][]int{"List": make([]int, 40)})
	return out.String(), err
}

func TestBudget(t *testing.T) {
	tests := []struct {
		name, src string
		want      error
	}{
		{"a doubling chain spends the work budget", `{{$x := "ab"}}` + strings.Repeat(`{{$x = printf "%s%s" $x $x}}`, 40), budget.ErrWork},
		{"a huge printf width is refused", `{{printf "%101d" 1}}`, budget.ErrFormat},
		{"a width taken from an argument is refused", `{{printf "%*d" 5 1}}`, budget.ErrFormat},
		{"nested loops that write nothing spend steps", `{{range .List}}{{range $.List}}{{end}}{{end}}`, budget.ErrSteps},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.src)
			assert.ErrorIs(t, err, tc.want)
		})
	}
	t.Run("an ordinary template renders unchanged", func(t *testing.T) {
		out, err := run(t, `{{range $i, $_ := .List}}{{if lt $i 3}}{{printf "%03d" $i}} {{end}}{{end}}{{html "<b>"}}`)
		require.NoError(t, err)
		assert.Equal(t, "000 001 002 &lt;b&gt;", out)
	})
	t.Run("a passed deadline ends the execution", func(t *testing.T) {
		b := budget.New(small)
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		b.Reset(ctx)
		assert.ErrorIs(t, b.Tick(), budget.ErrTimeout)
	})
	t.Run("a cancelled context ends the execution", func(t *testing.T) {
		b := budget.New(small)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		b.Reset(ctx)
		assert.ErrorIs(t, b.Tick(), budget.ErrCancelled)
	})
}

func TestCheckFormat(t *testing.T) {
	for format, verbs := range map[string]int{"%s": 1, "%%": 0, "%5.2f %-10s %[1]d": 3, "100%% %v": 1, "%+#08x": 1} {
		n, err := budget.CheckFormat(format, 100)
		require.NoError(t, err, format)
		assert.Equal(t, verbs, n, format)
	}
	for _, format := range []string{"%101d", "%.101f", "%*d", "%5.*f", "%1000000s"} {
		_, err := budget.CheckFormat(format, 100)
		assert.ErrorIs(t, err, budget.ErrFormat, format)
	}
}
