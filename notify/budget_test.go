package notify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
)

func parseBody(body string) (*notify.Templates, error) {
	return notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{
		"de": {notify.Confirmation: {Subject: "Voranmeldung {{.Reference}}", Body: body}},
	})
}

// doubling is a template of a few hundred bytes whose variable would grow
// to gigabytes: each line doubles it.
func doubling(lines int, fn string) string {
	var b strings.Builder
	b.WriteString(`{{$x := "Kita"}}`)
	for range lines {
		b.WriteString(`{{$x = ` + fn + ` $x $x}}`)
	}
	b.WriteString(`{{len $x}}`)
	return b.String()
}

// manyWarnings is confirmation data with n warnings of size bytes each.
func manyWarnings(n, size int) notify.ConfirmationData {
	d := confirmation()
	for range n {
		d.Warnings = append(d.Warnings, strings.Repeat("w", size))
	}
	return d
}

func TestHostileTemplatesAreRefusedAtParse(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"range over a number literal", `{{range $i := 100000000}}x{{end}}`},
		{"range over a variable holding a number", `{{$n := 100000000}}{{range $n}}x{{end}}`},
		{"range over a number field of the data", `{{range .Hours}}x{{end}}`},
		{"range over a text field of the data", `{{range .ChildName}}x{{end}}`},
		{"range over a computed number", `{{range len .Kitas}}x{{end}}`},
		{"range over a variable holding a list", `{{$k := .Kitas}}{{range $k}}x{{end}}`},
		{"range over a field that does not exist", `{{range .Geheim}}x{{end}}`},
		{"range over a number inside with", `{{with .Tagespflege}}{{range $.NoticeMonths}}x{{end}}{{end}}`},
		{"a printf width of nine hundred thousand", `{{printf "%900000d" 1}}`},
		{"a printf precision of nine hundred thousand", `{{printf "%.900000f" 1.0}}`},
		{"a printf width taken from an argument", `{{printf "%*d" 900000 1}}`},
		{"the builtin call", `{{call .ChildName}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is forbidden", func(t *testing.T) {
			require.Less(t, len(tc.body), 500)
			_, err := parseBody(tc.body)
			require.ErrorIs(t, err, notify.ErrTemplate)
			assert.Equal(t, []problem.Code{notify.CodeTemplateForbidden}, codes(t, err))
		})
	}
	t.Run("ranges over the data's lists are allowed, nested and from the root", func(t *testing.T) {
		tmpl, err := parseBody(`{{range $i, $k := .Kitas}}{{range $.Warnings}}{{$k.Name}}:{{.}} {{end}}{{end}}{{with .Tagespflege}}{{range $.Kitas}}{{.Rank}}{{end}}{{end}}`)
		require.NoError(t, err)
		d := confirmation()
		d.Warnings = []string{"a"}
		_, body, err := tmpl.Render(notify.Confirmation, "de", d)
		require.NoError(t, err)
		assert.Equal(t, "Kita Sonnenblume:a Kita Regenbogen:a Kita Löwenzahn:a ", body)
	})
}

func TestHostileTemplatesFailWithinTheBudget(t *testing.T) {
	tests := []struct {
		name string
		body string
		data notify.ConfirmationData
		want problem.Code
	}{
		{"a printf doubling chain", doubling(30, `printf "%s%s"`), confirmation(), notify.CodeTemplateWork},
		{"a print doubling chain", doubling(30, `print`), confirmation(), notify.CodeTemplateWork},
		{"an html escaping chain", `{{$x := "\"\"\"\"\"\"\"\""}}` + strings.Repeat(`{{$x = html $x $x}}`, 20), confirmation(), notify.CodeTemplateWork},
		{"a printf width hidden in a variable", `{{$f := print "%9" "99999d"}}{{printf $f 1}}`, confirmation(), notify.CodeTemplateFormat},
		{"nested ranges over long lists that write nothing", `{{range .Warnings}}{{range $.Warnings}}{{end}}{{end}}`, manyWarnings(120, 1), notify.CodeTemplateBudget},
		{"nested ranges that write too much", `{{range .Warnings}}{{range $.Warnings}}{{.}}{{end}}{{end}}`, manyWarnings(20, 20<<10), notify.CodeOutputTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name+" ends with "+string(tc.want), func(t *testing.T) {
			tmpl, err := parseBody(tc.body)
			require.NoError(t, err, "the template parses; rendering is what the budget stops")
			_, _, err = tmpl.Render(notify.Confirmation, "de", tc.data)
			require.ErrorIs(t, err, notify.ErrTemplate)
			assert.Equal(t, []problem.Code{tc.want}, codes(t, err))
			assert.NotContains(t, err.Error(), "Mia")
			tr := problem.NewTranslator(notify.Messages)
			var list problem.List
			require.ErrorAs(t, err, &list)
			for _, lang := range []string{"de", "en"} {
				assert.NotContains(t, tr.Message(list[0], lang), "{max}")
			}
		})
	}
}

func TestRenderContext(t *testing.T) {
	tmpl := notify.DefaultTemplates()
	t.Run("a rendering whose deadline has passed ends with a timeout", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 0)
		defer cancel()
		_, _, err := tmpl.RenderContext(ctx, notify.Confirmation, "de", confirmation())
		require.ErrorIs(t, err, notify.ErrTemplate)
		assert.Equal(t, []problem.Code{notify.CodeTemplateTimeout}, codes(t, err))
	})
	t.Run("a cancelled rendering ends as cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, _, err := tmpl.RenderContext(ctx, notify.Confirmation, "de", confirmation())
		assert.Equal(t, []problem.Code{notify.CodeTemplateCancelled}, codes(t, err))
	})
	t.Run("a live context renders as Render does", func(t *testing.T) {
		s1, b1, err := tmpl.RenderContext(context.Background(), notify.Confirmation, "de", confirmation())
		require.NoError(t, err)
		s2, b2, err := tmpl.Render(notify.Confirmation, "de", confirmation())
		require.NoError(t, err)
		assert.Equal(t, s1, s2)
		assert.Equal(t, b1, b2)
	})
	t.Run("the longest built-in message keeps well within the budget", func(t *testing.T) {
		d := confirmation()
		for range 50 {
			d.Kitas = append(d.Kitas, d.Kitas[0])
		}
		d.Warnings = []string{"a", "b", "c"}
		_, _, err := tmpl.Render(notify.Confirmation, "de", d)
		require.NoError(t, err)
	})
}

// FuzzTemplate parses arbitrary confirmation bodies and renders those that
// parse: no template may panic or escape the budget, and every failure is
// a problem list of ErrTemplate that does not quote the data.
func FuzzTemplate(f *testing.F) {
	f.Add(`{{range .Kitas}}{{.Name}}{{end}}`)
	f.Add(`{{range $i := 100000000}}x{{end}}`)
	f.Add(doubling(30, `printf "%s%s"`))
	f.Add(`{{printf "%*d" 900000 1}}`)
	f.Add(`{{with .Tagespflege}}{{.Office.Name}}{{end}}{{join .Warnings ", "}}`)
	f.Add(`{{range .Warnings}}{{range $.Warnings}}{{.}}{{end}}{{end}}`)
	f.Add(`{{define "x"}}{{end}}`)
	f.Add(`{{(((((((((((.ChildName))))))))))}}`)
	data := confirmation()
	data.Warnings = []string{"Hinweis", "Zweiter Hinweis"}
	f.Fuzz(func(t *testing.T, body string) {
		tmpl, err := parseBody(body)
		if err != nil {
			if !assert.ErrorIs(t, err, notify.ErrTemplate) {
				t.FailNow()
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), notify.MaxRenderTime/20)
		defer cancel()
		_, _, err = tmpl.RenderContext(ctx, notify.Confirmation, "de", data)
		if err != nil {
			assert.ErrorIs(t, err, notify.ErrTemplate)
			assert.NotContains(t, err.Error(), "Mia")
		}
	})
}

// BenchmarkRenderConfirmation renders the built-in German confirmation
// with five Kitas and a Tagespflege request: one message of a Bochum
// year's some 6,000 confirmations, budget included.
func BenchmarkRenderConfirmation(b *testing.B) {
	tmpl := notify.DefaultTemplates()
	d := confirmation()
	d.Kitas = append(d.Kitas, d.Kitas[:2]...)
	d.Tagespflege = &notify.ReferralLine{District: "Wattenscheid", Office: notify.Contact{Name: "Fachberatung", Email: "fb@bochum.example"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := tmpl.Render(notify.Confirmation, "de", d); err != nil {
			b.Fatal(err)
		}
	}
}
