package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
)

// interpreted returns t with every template rendered by text/template.
func interpreted(t *Templates) *Templates {
	out := &Templates{set: map[string]map[Kind]*pair{}}
	for lang, kinds := range t.set {
		out.set[lang] = map[Kind]*pair{}
		for k, p := range kinds {
			out.set[lang][k] = &pair{subject: p.subject, body: p.body}
		}
	}
	return out
}

// messageData is every kind's data as the services fill it, in the
// shapes that take each branch of the built-in templates.
func messageData() map[Kind][]any {
	start := DateOf(2027, time.August, 1)
	kitas := []KitaLine{
		{Rank: 1, Name: "Kita Sonnenblume", Address: "Hustadtring 12, 44801 Bochum"},
		{Rank: 2, Name: "Städtische Kita Regenbogen"},
	}
	var fifty []KitaLine
	for i := range 50 {
		fifty = append(fifty, KitaLine{Rank: i + 1, Name: "Kita Nr. " + strings.Repeat("9", i%4), Address: "Herner Straße 299"})
	}
	tp := &ReferralLine{District: "Wattenscheid", Office: Contact{Name: "Fachberatung Kindertagespflege", Email: "fb@bochum.example", Phone: "0234 910"}}
	bare := &ReferralLine{District: "Mitte", Office: Contact{Name: "Fachberatung Mitte"}}
	return map[Kind][]any{
		Confirmation: {
			ConfirmationData{Reference: "BO-2027-000042", ChildName: "Jürgen Ößmann-Çelik", StartDate: start, Hours: 35, Kitas: kitas, NoticeMonths: 6},
			ConfirmationData{Reference: "BO-2027-000043", ChildName: "Ayşe Yılmaz", StartDate: start, Hours: 45, Tagespflege: tp, ShortNotice: true, NoticeMonths: 6, NoticeBasis: "§ 5 KiBiz", Warnings: []string{"Bitte Nachweis", "Zweiter Hinweis"}},
			ConfirmationData{Reference: "BO-2027-000044", ChildName: "Mia", Hours: 25, Tagespflege: bare, ShortNotice: true, NoticeMonths: 3},
			&ConfirmationData{Reference: "BO-2027-000045", ChildName: "Ali  Kaya\t", StartDate: start, Hours: 35, Kitas: fifty},
			ConfirmationData{},
		},
		Referral: {
			ReferralData{Reference: "BO-2027-000043", District: "Wattenscheid", OfficeName: "Fachberatung", ChildName: "Ayşe Yılmaz", ChildBirth: DateOf(2025, time.March, 3), StartDate: start, Hours: 45, Guardian: Contact{Name: "Elif Yılmaz", Email: "elif@example.org", Phone: "+49234123"}, Language: "Türkisch"},
			ReferralData{Reference: "BO-2027-000046", ChildName: "Mia", Guardian: Contact{Name: "Eva", Email: "eva@example.org"}},
		},
		Offer: {
			OfferData{Reference: "BO-2027-000042", ChildName: "Jürgen", KitaName: "Kita Sonnenblume", KitaAddress: "Hustadtring 12", StartDate: start, Hours: 35, RespondBy: DateOf(2027, time.March, 14), Link: "https://kita.bochum.example"},
			OfferData{Reference: "BO-2027-000047", ChildName: "Mia"},
		},
		OfferReminder: {
			OfferData{Reference: "BO-2027-000042", ChildName: "Jürgen", KitaName: "Kita Sonnenblume", StartDate: start, Hours: 35, RespondBy: DateOf(2027, time.March, 14), Link: "https://kita.bochum.example"},
		},
		Withdrawal: {
			WithdrawalData{Reference: "BO-2027-000042", ChildName: "Jürgen", WithdrawnOn: DateOf(2027, time.January, 2)},
		},
		ContractReady: {
			ContractReadyData{Reference: "BO-2027-000042", ChildName: "Jürgen", KitaName: "Kita Sonnenblume", StartDate: start, Hours: 35, Link: "https://kita.bochum.example/vertrag"},
			ContractReadyData{},
		},
	}
}

// TestBuiltInTemplatesAreCompiled: every built-in template of every
// language runs compiled, and writes byte for byte what text/template
// writes, for data taking every branch.
func TestBuiltInTemplatesAreCompiled(t *testing.T) {
	fast, slow := DefaultTemplates(), interpreted(DefaultTemplates())
	data := messageData()
	for _, lang := range fast.Languages() {
		for kind, p := range fast.set[lang] {
			require.NotNil(t, p.fastSubject, "%s %s subject", lang, kind)
			require.NotNil(t, p.fastBody, "%s %s body", lang, kind)
			require.NotEmpty(t, data[kind], "data for %s", kind)
			for i, d := range data[kind] {
				s1, b1, err1 := fast.Render(kind, lang, d)
				s2, b2, err2 := slow.Render(kind, lang, d)
				require.NoError(t, err2)
				require.NoError(t, err1, "%s %s #%d", lang, kind, i)
				require.Equal(t, s2, s1, "%s %s #%d subject", lang, kind, i)
				require.Equal(t, b2, b1, "%s %s #%d body", lang, kind, i)
			}
		}
	}
}

// sameRendering renders a city's confirmation body both ways and requires
// the same text or the same problems.
func sameRendering(t *testing.T, ctx context.Context, body string, d ConfirmationData) {
	t.Helper()
	fast, err := ParseTemplates(map[string]map[Kind]Source{"de": {Confirmation: {Subject: "Voranmeldung  {{.Reference}}\n", Body: body}}})
	if err != nil {
		return
	}
	slow := interpreted(fast)
	s1, b1, err1 := fast.RenderContext(ctx, Confirmation, "de", d)
	s2, b2, err2 := slow.RenderContext(ctx, Confirmation, "de", d)
	if ctx == context.Background() && (errors.Is(err1, ErrTemplate) && problemsOf(err1).Has("", CodeTemplateTimeout) ||
		errors.Is(err2, ErrTemplate) && problemsOf(err2).Has("", CodeTemplateTimeout)) {
		return // the clock of a loaded machine, not the template
	}
	assert.Equal(t, s2, s1)
	assert.Equal(t, b2, b1)
	assert.Equal(t, problemsOf(err2), problemsOf(err1))
}

func problemsOf(err error) problem.List {
	l, _ := err.(problem.List)
	return l
}

// TestCompiledTemplatesSpendTheBudgetAsTextTemplate: city templates the
// compiler covers end with the same problem as under text/template when
// they break a limit, and render the same otherwise.
func TestCompiledTemplatesSpendTheBudgetAsTextTemplate(t *testing.T) {
	many := func(n, size int) ConfirmationData {
		d := messageData()[Confirmation][1].(ConfirmationData)
		for range n {
			d.Warnings = append(d.Warnings, strings.Repeat("w", size))
		}
		return d
	}
	tests := []struct {
		name, body string
		data       ConfirmationData
		compiled   bool
	}{
		{"nested ranges that write nothing run out of steps", `{{range .Warnings}}{{range $.Warnings}}{{end}}{{end}}`, many(120, 1), true},
		{"nested ranges that write too much pass the output limit", `{{range .Warnings}}{{range $.Warnings}}{{.}}{{end}}{{end}}`, many(20, 20<<10), true},
		{"a join of long warnings spends the work budget", `{{range .Warnings}}{{join $.Warnings ", "}}{{end}}`, many(200, 1<<10), true},
		{"just under the step limit renders", `{{range .Warnings}}{{range $.Warnings}}{{end}}{{end}}`, many(68, 1), true},
		{"a field of a missing Tagespflege fails", `{{.Tagespflege.District}}`, many(0, 0), true},
		{"a nil Tagespflege is false and else runs", `{{with .Tagespflege}}{{.District}}{{else}}keine{{end}}{{if .ShortNotice}}kurz{{else if .Kitas}}{{len .Kitas}}{{end}}`, ConfirmationData{}, false},
		{"an unknown field fails", `{{.Geheimnis}}`, many(0, 0), false},
		{"a method of a date is text/template's", `{{.StartDate.IsZero}} {{.StartDate}} {{date .StartDate}} {{isodate $.StartDate}}`, many(0, 0), false},
		{"a date prints as ISO date", `{{.StartDate}}|{{with .Tagespflege}}{{.Office}}{{end}}`, many(0, 0), false},
		{"numbers, truth values and dots print as text/template does", `{{.Hours}}{{.ShortNotice}}{{range .Kitas}}{{.Rank}}{{.Name}}{{end}}{{with .NoticeBasis}}({{.}}){{end}}{{range .Warnings}}[{{.}}]{{else}}-{{end}}`, many(2, 3), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := ParseTemplates(map[string]map[Kind]Source{"de": {Confirmation: {Subject: "s", Body: tc.body}}})
			require.NoError(t, err)
			assert.Equal(t, tc.compiled, tmpl.set["de"][Confirmation].fastBody != nil, "compiled")
			sameRendering(t, context.Background(), tc.body, tc.data)
		})
	}
	t.Run("a passed deadline ends both at the first step", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 0)
		defer cancel()
		sameRendering(t, ctx, `{{.Reference}}`, many(0, 0))
	})
}

// FuzzCompiledTemplate: on any confirmation body, the compiled template
// and text/template write the same text or fail with the same problems.
func FuzzCompiledTemplate(f *testing.F) {
	f.Add(`{{range .Kitas}}{{.Rank}}. {{.Name}}{{if .Address}}, {{.Address}}{{end}}{{end}}`)
	f.Add(`{{with .Tagespflege}}{{.Office.Name}}{{else}}-{{end}}{{join .Warnings ", "}}`)
	f.Add(`{{range .Warnings}}{{range $.Warnings}}{{.}}{{end}}{{end}}`)
	f.Add(`{{- if .ShortNotice}} {{.NoticeMonths}} {{with .NoticeBasis}}({{.}}){{end}}{{- end}}`)
	f.Add(`{{date .StartDate}} {{isodate $.StartDate}} {{.StartDate}} {{$.Hours}} {{.}}`)
	d := messageData()[Confirmation][1].(ConfirmationData)
	f.Fuzz(func(t *testing.T, body string) {
		sameRendering(t, context.Background(), body, d)
	})
}

// TestOneLineIsFieldsJoined compares the subject's folding with
// strings.Fields and strings.Join on every text of up to two characters
// from a set of spaces, letters and broken UTF-8, and on subjects as
// templates write them.
func TestOneLineIsFieldsJoined(t *testing.T) {
	parts := []string{" ", "\t", "\n", "\r", "\v", "\f", "\u0085", "\u00a0", "\u2003", "\u3000", "a", "ß", "€", "👶", "\xff", "\xe2\x82", "x y"}
	texts := []string{"", "Eingangsbestätigung Ihrer Voranmeldung BO-2027-000042", "  Angebot:\n  Kita Sonnenschein \t (35 Std.)  ", "Подтверждение\u00a0заявки"}
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				texts = append(texts, a+b+c)
			}
		}
	}
	for _, s := range texts {
		if got, want := oneLine([]byte(s)), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("%q: %q, want %q", s, got, want)
		}
	}
}
