package notify_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
)

var start = notify.DateOf(2021, time.August, 1)

func confirmation() notify.ConfirmationData {
	return notify.ConfirmationData{
		Reference: "BO-2021-000123",
		ChildName: "Mia Schäfer",
		StartDate: start,
		Hours:     45,
		Kitas: []notify.KitaLine{
			{Rank: 1, Name: "Kita Sonnenblume", Address: "Hustadtring 12"},
			{Rank: 2, Name: "Kita Regenbogen"},
			{Rank: 3, Name: "Kita Löwenzahn"},
		},
	}
}

// sample returns data for every kind.
func sample() map[notify.Kind]any {
	return map[notify.Kind]any{
		notify.Confirmation: confirmation(),
		notify.Referral: notify.ReferralData{
			Reference: "BO-2021-000123", District: "Wattenscheid", OfficeName: "Fachberatung Wattenscheid",
			ChildName: "Mia", ChildBirth: notify.DateOf(2019, time.May, 3), StartDate: start, Hours: 35,
			Guardian: notify.Contact{Name: "Anna Schäfer", Email: "anna@example.org", Phone: "0234 1"},
			Language: "Deutsch",
		},
		notify.Offer: &notify.OfferData{
			Reference: "BO-2021-000123", ChildName: "Mia", KitaName: "Kita Sonnenblume", StartDate: start,
			Hours: 35, RespondBy: notify.DateOf(2021, time.June, 1), Link: "https://kita.bochum.example/angebot",
		},
		notify.Withdrawal:    notify.WithdrawalData{Reference: "BO-2021-000123", ChildName: "Mia", WithdrawnOn: start},
		notify.ContractReady: notify.ContractReadyData{Reference: "BO-2021-000123", ChildName: "Mia", KitaName: "Kita Sonnenblume", StartDate: start, Hours: 35},
	}
}

func codes(t *testing.T, err error) []problem.Code {
	t.Helper()
	var list problem.List
	require.ErrorAs(t, err, &list)
	return list.Codes()
}

func TestDefaultTemplates(t *testing.T) {
	tmpl := notify.DefaultTemplates()
	assert.Equal(t, []string{"ar", "de", "en", "pl", "ru", "tr", "uk"}, tmpl.Languages())

	for kind, data := range sample() {
		for _, lang := range []string{"de", "en"} {
			t.Run(kind.String()+" renders in "+lang+" on one subject line with the reference", func(t *testing.T) {
				subject, body, err := tmpl.Render(kind, lang, data)
				require.NoError(t, err)
				assert.NotContains(t, subject, "\n")
				assert.Contains(t, subject+body, "BO-2021-000123")
				assert.NotContains(t, body, "<no value>")
			})
		}
	}
}

func TestRenderConfirmation(t *testing.T) {
	tmpl := notify.DefaultTemplates()

	t.Run("the Kitas are listed in rank order", func(t *testing.T) {
		_, body, err := tmpl.Render(notify.Confirmation, "de", confirmation())
		require.NoError(t, err)
		assert.Contains(t, body, "Sie haben folgende Kitas in dieser Reihenfolge gewählt:\n"+
			"  1. Kita Sonnenblume, Hustadtring 12\n  2. Kita Regenbogen\n  3. Kita Löwenzahn\n")
		assert.NotContains(t, body, "Kindertagespflege", "no Tagespflege section without a request")
		assert.NotContains(t, body, "§ 5 KiBiz", "no short-notice warning unless flagged")
	})

	t.Run("a Tagespflege request names the district and the Fachberatung's contact", func(t *testing.T) {
		d := confirmation()
		d.Kitas = nil
		d.Tagespflege = &notify.ReferralLine{District: "Ost", Office: notify.Contact{Name: "Fachberatung Ost", Phone: "0234 99"}}
		_, body, err := tmpl.Render(notify.Confirmation, "de", &d)
		require.NoError(t, err)
		assert.Contains(t, body, "Stadtbezirk\nOst")
		assert.Contains(t, body, "  Fachberatung Ost\n  Telefon: 0234 99\n")
		assert.NotContains(t, body, "E-Mail:")
		assert.NotContains(t, body, "folgende Kitas")
	})

	t.Run("warnings are shown, the notice period with the city's months and legal basis", func(t *testing.T) {
		d := confirmation()
		d.ShortNotice = true
		d.NoticeMonths, d.NoticeBasis = 6, "§ 5 KiBiz"
		d.Warnings = []string{"Die Kita Löwenzahn nimmt Kinder erst ab zwei Jahren auf."}
		_, body, err := tmpl.Render(notify.Confirmation, "de", d)
		require.NoError(t, err)
		assert.Contains(t, body, "mindestens 6 Monate")
		assert.Contains(t, body, "(§ 5 KiBiz)")
		d.NoticeMonths, d.NoticeBasis = 4, ""
		_, body, err = tmpl.Render(notify.Confirmation, "de", d)
		require.NoError(t, err)
		assert.Contains(t, body, "mindestens 4 Monate")
		assert.NotContains(t, body, "KiBiz", "a city outside NRW quotes no NRW law")
		assert.Contains(t, body, "Hinweis: Die Kita Löwenzahn nimmt Kinder erst ab zwei Jahren auf.")
	})

	t.Run("a language without templates falls back to German", func(t *testing.T) {
		subject, _, err := tmpl.Render(notify.Confirmation, "fr", confirmation())
		require.NoError(t, err)
		assert.Equal(t, "Eingangsbestätigung Ihrer Voranmeldung BO-2021-000123", subject)
	})

	t.Run("a line break in the data cannot add a header to the subject", func(t *testing.T) {
		d := confirmation()
		d.Reference = "BO-1\r\nBcc: x@example.org"
		subject, _, err := tmpl.Render(notify.Confirmation, "de", d)
		require.NoError(t, err)
		assert.NotContains(t, subject, "\n")
		assert.NotContains(t, subject, "\r")
	})
}

func TestRenderProblems(t *testing.T) {
	tests := []struct {
		name string
		kind notify.Kind
		data any
		want problem.Code
	}{
		{"an unset kind is refused", 0, confirmation(), notify.CodeKindInvalid},
		{"data of another kind is refused", notify.Offer, confirmation(), notify.CodeDataMismatch},
		{"a nil pointer is refused", notify.Confirmation, (*notify.ConfirmationData)(nil), notify.CodeDataMismatch},
		{"no data is refused", notify.Referral, nil, notify.CodeDataMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := notify.DefaultTemplates().Render(tc.kind, "de", tc.data)
			require.ErrorIs(t, err, notify.ErrTemplate)
			require.ErrorIs(t, err, problem.ErrInvalid)
			assert.Equal(t, []problem.Code{tc.want}, codes(t, err))
		})
	}
}

func TestParseTemplates(t *testing.T) {
	t.Run("a city replaces one template and keeps the others", func(t *testing.T) {
		tmpl, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{
			"de": {notify.Confirmation: {Subject: "Voranmeldung {{.Reference}} ist da", Body: "Kitas: {{range .Kitas}}{{.Name}};{{end}} Beginn {{date .StartDate}} ({{isodate .StartDate}})"}},
			"fr": {notify.Withdrawal: {Subject: "Retirée {{.Reference}}", Body: "Votre préinscription est retirée."}},
		})
		require.NoError(t, err)
		subject, body, err := tmpl.Render(notify.Confirmation, "de", confirmation())
		require.NoError(t, err)
		assert.Equal(t, "Voranmeldung BO-2021-000123 ist da", subject)
		assert.Equal(t, "Kitas: Kita Sonnenblume;Kita Regenbogen;Kita Löwenzahn; Beginn 01.08.2021 (2021-08-01)", body)

		subject, _, err = tmpl.Render(notify.Confirmation, "en", confirmation())
		require.NoError(t, err)
		assert.Equal(t, "Confirmation of your pre-registration BO-2021-000123", subject)

		subject, _, err = tmpl.Render(notify.Withdrawal, "fr", sample()[notify.Withdrawal])
		require.NoError(t, err)
		assert.Equal(t, "Retirée BO-2021-000123", subject)
		assert.Equal(t, []string{"ar", "de", "en", "fr", "pl", "ru", "tr", "uk"}, tmpl.Languages())

		orig, _, err := notify.DefaultTemplates().Render(notify.Confirmation, "de", confirmation())
		require.NoError(t, err)
		assert.Equal(t, "Eingangsbestätigung Ihrer Voranmeldung BO-2021-000123", orig, "the defaults stay untouched")
	})

	t.Run("join joins the warnings", func(t *testing.T) {
		tmpl, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{
			"en": {notify.Confirmation: {Subject: "x", Body: `{{join .Warnings " | "}}`}},
		})
		require.NoError(t, err)
		d := confirmation()
		d.Warnings = []string{"a", "b"}
		_, body, err := tmpl.Render(notify.Confirmation, "en", d)
		require.NoError(t, err)
		assert.Equal(t, "a | b", body)
	})

	ok := "{{.Reference}}"
	tests := []struct {
		name  string
		src   notify.Source
		lang  string
		kind  notify.Kind
		field string
		want  problem.Code
	}{
		{"a syntax error names its line", notify.Source{Subject: ok, Body: "Zeile 1\n{{if .Reference}"}, "de", notify.Confirmation, "de.confirmation.body", notify.CodeTemplateSyntax},
		{"an unknown function is a syntax error", notify.Source{Subject: "{{readFile \"/etc/passwd\"}}", Body: ok}, "de", notify.Confirmation, "de.confirmation.subject", notify.CodeTemplateSyntax},
		{"a template over 64 KiB is refused", notify.Source{Subject: ok, Body: strings.Repeat("x", notify.MaxTemplateSize+1)}, "de", notify.Offer, "de.offer.body", notify.CodeTemplateTooLarge},
		{"define is forbidden", notify.Source{Subject: ok, Body: `{{define "x"}}a{{end}}b`}, "de", notify.Confirmation, "de.confirmation.body", notify.CodeTemplateForbidden},
		{"calling a template is forbidden", notify.Source{Subject: ok, Body: `{{template "x"}}`}, "de", notify.Confirmation, "de.confirmation.body", notify.CodeTemplateForbidden},
		{"block is forbidden", notify.Source{Subject: ok, Body: `{{block "x" .}}a{{end}}`}, "de", notify.Confirmation, "de.confirmation.body", notify.CodeTemplateForbidden},
		{"ranging over a number is forbidden", notify.Source{Subject: ok, Body: `{{range 1000000000}}{{end}}`}, "de", notify.Confirmation, "de.confirmation.body", notify.CodeTemplateForbidden},
		{"ranges nested three deep are forbidden", notify.Source{Subject: ok, Body: `{{range .Kitas}}{{range $.Kitas}}{{range $.Kitas}}x{{end}}{{end}}{{end}}`}, "de", notify.Confirmation, "de.confirmation.body", notify.CodeTemplateForbidden},
		{"a forbidden construct inside if is found", notify.Source{Subject: ok, Body: `{{if .Kitas}}{{with .Kitas}}{{range 5}}{{end}}{{end}}{{end}}`}, "de", notify.Confirmation, "de.confirmation.body", notify.CodeTemplateForbidden},
		{"a missing body is refused", notify.Source{Subject: ok}, "de", notify.Confirmation, "de.confirmation", notify.CodeTemplateIncomplete},
		{"a malformed language is refused", notify.Source{Subject: ok, Body: ok}, "../etc", notify.Confirmation, "../etc", notify.CodeLangInvalid},
		{"an unknown kind is refused", notify.Source{Subject: ok, Body: ok}, "de", notify.Kind(42), "de.unset", notify.CodeKindInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{tc.lang: {tc.kind: tc.src}})
			require.ErrorIs(t, err, notify.ErrTemplate)
			var list problem.List
			require.ErrorAs(t, err, &list)
			require.Len(t, list, 1)
			assert.Equal(t, tc.want, list[0].Code)
			assert.Equal(t, tc.field, list[0].Field)
		})
	}

	t.Run("every problem is reported at once", func(t *testing.T) {
		_, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{
			"de": {notify.Confirmation: {Subject: "{{", Body: "{{template \"x\"}}"}, notify.Offer: {Subject: ok}},
		})
		assert.Equal(t, []problem.Code{notify.CodeTemplateSyntax, notify.CodeTemplateForbidden, notify.CodeTemplateIncomplete}, codes(t, err))
	})

	t.Run("a syntax error keeps the line but not the template text", func(t *testing.T) {
		_, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{
			"de": {notify.Confirmation: {Subject: ok, Body: "a\nb\n{{geheim}}"}},
		})
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.Equal(t, "3", list[0].Params["line"])
		assert.NotContains(t, err.Error(), "geheim")
	})
}

func TestRenderLimits(t *testing.T) {
	tests := []struct {
		name string
		body string
		want problem.Code
	}{
		{"an unknown field fails at render time", `{{.Geheimnis}}`, notify.CodeTemplateExec},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{
				"de": {notify.Confirmation: {Subject: "s", Body: tc.body}},
			})
			require.NoError(t, err)
			_, _, err = tmpl.Render(notify.Confirmation, "de", confirmation())
			require.ErrorIs(t, err, notify.ErrTemplate)
			assert.Equal(t, []problem.Code{tc.want}, codes(t, err))
			assert.NotContains(t, err.Error(), "Mia")
		})
	}
}

func TestParseTemplatesFS(t *testing.T) {
	t.Run("templates are read from lang/kind.part.tmpl", func(t *testing.T) {
		fsys := fstest.MapFS{
			"de/offer.subject.tmpl": {Data: []byte("Angebot {{.Reference}}\n")},
			"de/offer.body.tmpl":    {Data: []byte("{{.KitaName}}")},
			"README.md":             {Data: []byte("ignored")},
		}
		tmpl, err := notify.ParseTemplatesFS(fsys)
		require.NoError(t, err)
		subject, body, err := tmpl.Render(notify.Offer, "de", sample()[notify.Offer])
		require.NoError(t, err)
		assert.Equal(t, "Angebot BO-2021-000123", subject)
		assert.Equal(t, "Kita Sonnenblume", body)
	})

	tests := []struct {
		name string
		fsys fstest.MapFS
		want []problem.Code
	}{
		{"an unknown kind in a file name is refused", fstest.MapFS{"de/invoice.body.tmpl": {Data: []byte("x")}}, []problem.Code{notify.CodeTemplateFile}},
		{"a file outside a language folder is refused", fstest.MapFS{"offer.body.tmpl": {Data: []byte("x")}}, []problem.Code{notify.CodeLangInvalid}},
		{"a part other than subject or body is refused", fstest.MapFS{"de/offer.footer.tmpl": {Data: []byte("x")}}, []problem.Code{notify.CodeTemplateFile}},
		{"a big file is refused before it is read", fstest.MapFS{"de/offer.body.tmpl": {Data: make([]byte, notify.MaxTemplateSize+1)}, "de/offer.subject.tmpl": {Data: []byte("x")}}, []problem.Code{notify.CodeTemplateTooLarge}},
		{"a subject without body is incomplete", fstest.MapFS{"en/offer.subject.tmpl": {Data: []byte("x")}}, []problem.Code{notify.CodeTemplateIncomplete}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := notify.ParseTemplatesFS(tc.fsys)
			require.ErrorIs(t, err, notify.ErrTemplate)
			assert.Equal(t, tc.want, codes(t, err))
		})
	}
}

func TestMessagesCatalog(t *testing.T) {
	all := []problem.Code{
		notify.CodeIDRequired, notify.CodeKindInvalid, notify.CodeStatusInvalid, notify.CodeRecipientRequired,
		notify.CodeRecipientInvalid, notify.CodeLangInvalid, notify.CodeTitleRequired, notify.CodeBodyRequired,
		notify.CodeCreatedRequired, notify.CodeNotNew, notify.CodeTemplateTooLarge, notify.CodeTemplateSyntax,
		notify.CodeTemplateForbidden, notify.CodeTemplateIncomplete, notify.CodeTemplateMissing, notify.CodeTemplateFile,
		notify.CodeTemplateExec, notify.CodeOutputTooLarge, notify.CodeDataMismatch,
		notify.CodeTemplateBudget, notify.CodeTemplateWork, notify.CodeTemplateFormat, notify.CodeTemplateTimeout,
		notify.CodeTemplateCancelled,
	}
	for _, lang := range []string{"de", "en"} {
		t.Run("every code has a "+lang+" text", func(t *testing.T) {
			for _, c := range all {
				assert.NotEmpty(t, notify.Messages[lang][c], c)
			}
			assert.Len(t, notify.Messages[lang], len(all))
		})
	}
	t.Run("a translated problem fills in its parameters", func(t *testing.T) {
		_, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{"de": {notify.Offer: {Subject: "x", Body: strings.Repeat("x", notify.MaxTemplateSize+1)}}})
		var list problem.List
		require.ErrorAs(t, err, &list)
		tr := problem.NewTranslator(notify.Messages)
		assert.Equal(t, "Die Vorlage ist größer als 65536 Bytes.", tr.Message(list[0], "de"))
	})
}

func FuzzParseTemplates(f *testing.F) {
	for _, s := range []string{
		"{{.Reference}}", "{{range .Kitas}}{{.Name}}{{end}}", `{{template "x"}}`, "{{range 10}}{{end}}",
		`{{define "a"}}{{template "a"}}{{end}}`, "{{", "{{.Kitas.Foo}}", `{{printf "%*d" 100000 1}}`,
		`{{index .Kitas 7}}`, `{{call .Reference}}`, `{{slice .Reference 3 1}}`, "{{date .StartDate}}",
		`{{range $i, $e := .Warnings}}{{$i}}{{end}}`, "{{break}}", "{{readFile \"/etc/passwd\"}}",
	} {
		f.Add(s, "de")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		tmpl, err := notify.ParseTemplates(map[string]map[notify.Kind]notify.Source{
			lang: {notify.Confirmation: {Subject: text, Body: text}},
		})
		if err != nil {
			if !errors.Is(err, notify.ErrTemplate) {
				t.Fatalf("parse error %v is not ErrTemplate", err)
			}
			return
		}
		d := confirmation()
		d.Tagespflege = &notify.ReferralLine{District: "Mitte"}
		d.Warnings = []string{"w"}
		subject, body, err := tmpl.Render(notify.Confirmation, lang, d)
		if err != nil {
			if !errors.Is(err, notify.ErrTemplate) {
				t.Fatalf("render error %v is not ErrTemplate", err)
			}
			return
		}
		if len(body) > notify.MaxOutputSize || strings.ContainsAny(subject, "\r\n") {
			t.Fatalf("output escaped its limits: %d bytes, subject %q", len(body), subject)
		}
	})
}
