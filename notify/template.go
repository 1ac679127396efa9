package notify

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/kitaportal/kitaportal/internal/budget"
	"github.com/kitaportal/kitaportal/problem"
)

// Limits on city-supplied templates and on their output.
const (
	// MaxTemplateSize is the largest template source, in bytes.
	MaxTemplateSize = 64 << 10
	// MaxOutputSize is the largest rendered subject or body, in bytes.
	MaxOutputSize = 256 << 10
	// MaxRangeDepth is how deeply {{range}} actions may nest.
	MaxRangeDepth = 2
)

// FallbackLang is the language used where a template is missing.
const FallbackLang = "de"

// Source is the text of one message template: a subject and a body, both
// text/template source.
type Source struct {
	Subject string
	Body    string
}

// Templates holds the subject and body templates of every [Kind] per
// language. It is immutable after parsing and safe for concurrent use.
//
// Templates are text/template with a small function map and nothing else:
//
//	date    formats a [Date] as "02.01.2006"
//	isodate formats a [Date] as "2006-01-02"
//	join    joins a []string with a separator: {{join .Warnings ", "}}
//
// plus text/template's builtins (if, range, with, len, index, printf ...).
// No function reads files, the environment or the network, or runs code; a
// template cannot define or call other templates ({{define}}, {{template}},
// {{block}} are rejected, and so is the builtin call), may range only over
// a list of the message's data ({{range .Kitas}}, {{range $.Warnings}}; not
// over a number, a variable or a computed value), and may nest {{range}}
// at most [MaxRangeDepth] deep. Rendering keeps to a budget (see
// [MaxRenderSteps]), so it ends quickly whatever a city writes. Output is plain text (no HTML escaping); a rendered subject
// is folded onto one line.
type Templates struct {
	set map[string]map[Kind]*pair
}

type pair struct {
	subject, body *template.Template
	// fastSubject and fastBody are subject and body compiled for the
	// kind's data (see compiled); nil where a template uses more than
	// they cover.
	fastSubject, fastBody *compiled
	// runners are clones of subject and body whose functions spend the
	// budget of their runner, reused from one rendering to the next.
	runners sync.Pool
}

// runner renders one message at a time: clones of a pair's templates
// bound to one budget.
type runner struct {
	subject, body *template.Template
	b             *budget.Budget
	w             limitWriter
}

func (p *pair) runner() (*runner, error) {
	if r, ok := p.runners.Get().(*runner); ok {
		return r, nil
	}
	r := &runner{b: budget.New(limits)}
	r.w.b = r.b
	var err error
	if r.subject, err = p.subject.Clone(); err != nil {
		return nil, err
	}
	if r.body, err = p.body.Clone(); err != nil {
		return nil, err
	}
	fm := funcs(r.b)
	r.subject.Funcs(fm)
	r.body.Funcs(fm)
	return r, nil
}

//go:embed templates
var builtin embed.FS

var defaults = func() *Templates {
	sub, err := fs.Sub(builtin, "templates")
	if err != nil {
		panic(err)
	}
	src, err := sourcesFS(sub)
	if err != nil {
		panic("notify: built-in templates: " + err.Error())
	}
	t, err := parseAll(nil, src)
	if err != nil {
		panic("notify: built-in templates: " + err.Error())
	}
	return t
}()

// DefaultTemplates returns the built-in templates: German (binding),
// English, Turkish, Arabic, Ukrainian, Russian and Polish.
func DefaultTemplates() *Templates { return defaults }

// ParseTemplates parses a city's templates, by language and kind, over the
// built-in ones: a city may replace just the German confirmation and keep
// every other default. Every problem is reported at once as a [problem.List]
// whose problems unwrap to [ErrTemplate], with field paths such as
// "de.confirmation.body".
func ParseTemplates(src map[string]map[Kind]Source) (*Templates, error) {
	return parseAll(defaults, src)
}

// ParseTemplatesFS reads a city's templates from fsys, laid out as
// <lang>/<kind>.subject.tmpl and <lang>/<kind>.body.tmpl (kind as in
// [Kind.String]: "de/confirmation.body.tmpl"), and parses them over the
// built-in ones like [ParseTemplates]. Files not ending in ".tmpl" are
// ignored. Only fsys is read; the templates themselves cannot read files.
func ParseTemplatesFS(fsys fs.FS) (*Templates, error) {
	src, err := sourcesFS(fsys)
	if err != nil {
		return nil, err
	}
	return parseAll(defaults, src)
}

// validLang reports whether lang is a language tag of the form
// ^[a-z]{2,3}(-[A-Z]{2})?$ ("de", "tr", "pt-BR"), checked without a
// regular expression: every message is checked.
func validLang(lang string) bool {
	n := len(lang)
	if i := strings.IndexByte(lang, '-'); i >= 0 {
		if n-i != 3 || !upper(lang[i+1]) || !upper(lang[i+2]) {
			return false
		}
		n = i
	}
	if n < 2 || n > 3 {
		return false
	}
	for _, c := range []byte(lang[:n]) {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func upper(c byte) bool { return c >= 'A' && c <= 'Z' }

func sourcesFS(fsys fs.FS) (map[string]map[Kind]Source, error) {
	src := map[string]map[Kind]Source{}
	var c problem.Collector
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".tmpl") {
			return nil
		}
		lang, file := path.Split(p)
		lang = strings.TrimSuffix(lang, "/")
		parts := strings.Split(strings.TrimSuffix(file, ".tmpl"), ".")
		kind, ok := Kind(0), false
		if len(parts) == 2 {
			kind, ok = ParseKind(parts[0])
		}
		if !ok || strings.Contains(lang, "/") || (parts[1] != "subject" && parts[1] != "body") {
			c.Add(p, CodeTemplateFile, ErrTemplate)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > MaxTemplateSize {
			c.Add(p, CodeTemplateTooLarge, ErrTemplate, "max", strconv.Itoa(MaxTemplateSize))
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if src[lang] == nil {
			src[lang] = map[Kind]Source{}
		}
		s := src[lang][kind]
		if parts[1] == "subject" {
			s.Subject = string(b)
		} else {
			s.Body = string(b)
		}
		src[lang][kind] = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return src, nil
}

// parseAll parses src over the templates of base (nil for none).
func parseAll(base *Templates, src map[string]map[Kind]Source) (*Templates, error) {
	t := &Templates{set: map[string]map[Kind]*pair{}}
	if base != nil {
		for lang, kinds := range base.set {
			t.set[lang] = maps.Clone(kinds)
		}
	}
	var c problem.Collector
	for _, lang := range slices.Sorted(maps.Keys(src)) {
		if !validLang(lang) {
			c.Add(lang, CodeLangInvalid, ErrTemplate)
			continue
		}
		kinds := src[lang]
		for _, kind := range slices.Sorted(maps.Keys(kinds)) {
			field := problem.Join(lang, kind.String())
			if !kind.Valid() {
				c.Add(field, CodeKindInvalid, ErrTemplate)
				continue
			}
			s := kinds[kind]
			if s.Subject == "" || s.Body == "" {
				c.Add(field, CodeTemplateIncomplete, ErrTemplate)
				continue
			}
			n := c.Len()
			subject := parseOne(&c, problem.Join(field, "subject"), kind, s.Subject)
			body := parseOne(&c, problem.Join(field, "body"), kind, s.Body)
			if c.Len() > n {
				continue
			}
			if t.set[lang] == nil {
				t.set[lang] = map[Kind]*pair{}
			}
			root := dataType(kind)
			t.set[lang][kind] = &pair{
				subject: subject, body: body,
				fastSubject: compile(root, subject.Tree.Root), fastBody: compile(root, body.Tree.Root),
			}
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

var lineRE = regexp.MustCompile(`:(\d+):`)

func parseOne(c *problem.Collector, field string, kind Kind, text string) *template.Template {
	if len(text) > MaxTemplateSize {
		c.Add(field, CodeTemplateTooLarge, ErrTemplate, "max", strconv.Itoa(MaxTemplateSize))
		return nil
	}
	tmpl, err := template.New(field).Funcs(parseFuncs).Option("missingkey=error").Parse(text)
	if err != nil {
		// The error text may quote the template, never the data; only the
		// line number is kept.
		line := "?"
		if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
			line = m[1]
		}
		c.Add(field, CodeTemplateSyntax, ErrTemplate, "line", line)
		return nil
	}
	if len(tmpl.Templates()) > 1 {
		c.Add(field, CodeTemplateForbidden, ErrTemplate, "construct", "define")
		return nil
	}
	root := dataType(kind)
	if construct := forbidden(tmpl.Tree.Root, root, root, 0); construct != "" {
		c.Add(field, CodeTemplateForbidden, ErrTemplate, "construct", construct)
		return nil
	}
	budget.InsertSteps(tmpl.Tree.Root)
	return tmpl
}

// Languages returns the languages that have at least one template, sorted.
func (t *Templates) Languages() []string {
	return slices.Sorted(maps.Keys(t.set))
}

// Render fills the templates of kind in lang with data and returns the
// subject (one line, trimmed) and the body. A language without a template
// for kind falls back to German ([FallbackLang]). data must be the kind's
// data type (ConfirmationData for [Confirmation], ReferralData for
// [Referral], ...), as a value or pointer. Problems come as a
// [problem.List] whose problems unwrap to [ErrTemplate]; they never quote
// data.
//
// Rendering keeps to the render budget ([MaxRenderSteps], [MaxRenderWork],
// [MaxRenderTime], [MaxOutputSize]); a template that needs more fails with
// a problem naming the limit.
func (t *Templates) Render(kind Kind, lang string, data any) (subject, body string, err error) {
	return t.RenderContext(context.Background(), kind, lang, data)
}

// RenderContext is [Templates.Render] with a context: a rendering ends
// with [CodeTemplateTimeout] when ctx's deadline or [MaxRenderTime] passes
// first, and with [CodeTemplateCancelled] when ctx is cancelled.
func (t *Templates) RenderContext(ctx context.Context, kind Kind, lang string, data any) (subject, body string, err error) {
	var c problem.Collector
	if !kind.Valid() {
		c.Add("kind", CodeKindInvalid, ErrTemplate)
		return "", "", c.Err()
	}
	if ok, want := checkData(kind, data); !ok {
		c.Add("data", CodeDataMismatch, ErrTemplate, "want", want)
		return "", "", c.Err()
	}
	p := t.set[lang][kind]
	if p == nil {
		p = t.set[FallbackLang][kind]
	}
	if p == nil {
		c.Add(kind.String(), CodeTemplateMissing, ErrTemplate)
		return "", "", c.Err()
	}
	r, err := p.runner()
	if err != nil {
		c.Add(kind.String(), CodeTemplateExec, ErrTemplate)
		return "", "", c.Err()
	}
	r.b.Reset(ctx)
	if v, ok := compiledData(p, data); ok {
		subject = r.w.finish(&c, "subject", p.fastSubject.run(r.w.reset(), r.b, v), true)
		if c.Len() == 0 {
			body = r.w.finish(&c, "body", p.fastBody.run(r.w.reset(), r.b, v), false)
		}
	} else {
		subject = r.w.finish(&c, "subject", r.subject.Execute(r.w.reset(), data), true)
		if c.Len() == 0 {
			body = r.w.finish(&c, "body", r.body.Execute(r.w.reset(), data), false)
		}
	}
	r.b.Release()
	r.w.release()
	p.runners.Put(r)
	if err := c.Err(); err != nil {
		return "", "", err
	}
	return subject, body, nil
}

// compiledData returns data for the pair's compiled templates, when it
// has them and data is not a nil pointer (which text/template reports).
func compiledData(p *pair, data any) (reflect.Value, bool) {
	if p.fastSubject == nil || p.fastBody == nil {
		return reflect.Value{}, false
	}
	v := reflect.ValueOf(data)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}, false
		}
		v = v.Elem()
	}
	return v, true
}

// limitWriter fails once more than [MaxOutputSize] bytes were written,
// which ends a template execution that would produce too much text; every
// write spends a step of the budget. A runner keeps its buffer from one
// rendering to the next.
type limitWriter struct {
	buf []byte
	b   *budget.Budget
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if err := w.write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *limitWriter) write(p []byte) error {
	if err := w.room(len(p)); err != nil {
		return err
	}
	w.buf = append(w.buf, p...)
	return nil
}

func (w *limitWriter) writeString(p string) error {
	if err := w.room(len(p)); err != nil {
		return err
	}
	w.buf = append(w.buf, p...)
	return nil
}

// room spends the step of a write of n bytes and checks they fit.
func (w *limitWriter) room(n int) error {
	if err := w.b.Tick(); err != nil {
		return err
	}
	if len(w.buf)+n > MaxOutputSize {
		return errTooLarge
	}
	return nil
}

// reset empties the buffer for the next template.
func (w *limitWriter) reset() *limitWriter {
	w.buf = w.buf[:0]
	return w
}

// release drops a buffer grown past what a message usually needs, so that
// a pooled runner keeps no large one alive.
func (w *limitWriter) release() {
	if cap(w.buf) > keptBuffer {
		w.buf = nil
	}
}

// keptBuffer is the largest buffer a runner keeps between renderings.
const keptBuffer = 16 << 10

// finish returns what a template wrote, as a text of its own (a subject
// folded onto one line), or records the problem of err.
func (w *limitWriter) finish(c *problem.Collector, field string, err error, subject bool) string {
	if err != nil {
		code, params := CodeTemplateExec, []string(nil)
		switch {
		case errors.Is(err, errTooLarge):
			code, params = CodeOutputTooLarge, []string{"max", strconv.Itoa(MaxOutputSize)}
		case errors.Is(err, budget.ErrSteps):
			code, params = CodeTemplateBudget, []string{"max", strconv.Itoa(MaxRenderSteps)}
		case errors.Is(err, budget.ErrWork):
			code, params = CodeTemplateWork, []string{"max", strconv.Itoa(MaxRenderWork)}
		case errors.Is(err, budget.ErrFormat):
			code, params = CodeTemplateFormat, []string{"max", strconv.Itoa(MaxFormatWidth)}
		case errors.Is(err, budget.ErrTimeout):
			code, params = CodeTemplateTimeout, []string{"max", MaxRenderTime.String()}
		case errors.Is(err, budget.ErrCancelled):
			code = CodeTemplateCancelled
		}
		c.Add(field, code, ErrTemplate, params...)
		return ""
	}
	if subject {
		return oneLine(w.buf)
	}
	return string(w.buf)
}

// oneLine is strings.Join(strings.Fields(string(b)), " ") in one
// allocation: the words of b separated by single spaces, each word copied
// whole.
func oneLine(b []byte) string {
	var out strings.Builder
	out.Grow(len(b))
	for len(b) > 0 {
		n := spaceAt(b)
		if n > 0 {
			b = b[n:]
			continue
		}
		if out.Len() > 0 {
			out.WriteByte(' ')
		}
		end := 0
		for end < len(b) && spaceAt(b[end:]) == 0 {
			if b[end] < utf8.RuneSelf {
				end++
			} else {
				_, n := utf8.DecodeRune(b[end:])
				end += n
			}
		}
		out.Write(b[:end])
		b = b[end:]
	}
	return out.String()
}

// spaceAt returns the length of the white space (unicode.IsSpace) that b
// starts with, 0 when it starts with anything else.
func spaceAt(b []byte) int {
	if c := b[0]; c < utf8.RuneSelf {
		if c == ' ' || c >= '\t' && c <= '\r' {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRune(b)
	if unicode.IsSpace(r) {
		return n
	}
	return 0
}
