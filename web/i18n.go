package web

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/problem"
)

//go:embed locales
var builtinLocales embed.FS

// Languages are the languages of the portal's pages, German first: German
// is the binding version, every other page says so.
var Languages = []string{"de", "en", "tr", "ar", "uk", "ru", "pl"}

// rtl are the languages written right to left.
var rtl = map[string]bool{"ar": true}

// ErrLocale: a locale file is malformed or names an unknown language.
var ErrLocale = errors.New("web: invalid locale file")

// texts holds the page catalogue (go-i18n, CLDR plural rules) and the
// problem texts of every language.
type texts struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	problems   *problem.Translator
	matcher    language.Matcher
}

// loadTexts reads pages.<lang>.toml and problems.<lang>.toml from the
// built-in locales and then from city (nil: none), whose files override
// single keys of the built-in ones.
func loadTexts(city fs.FS) (*texts, error) {
	b := i18n.NewBundle(language.German)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	cats := app.Catalogs()
	sub, _ := fs.Sub(builtinLocales, "locales") // the folder is embedded
	for _, fsys := range []fs.FS{sub, city} {
		if fsys == nil {
			continue
		}
		files, err := fs.Glob(fsys, "*.toml")
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			kind, lang, ok := localeName(name)
			if !ok {
				return nil, fmt.Errorf("%w: %s (want pages.<lang>.toml or problems.<lang>.toml)", ErrLocale, name)
			}
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			switch kind {
			case "pages":
				if _, err := b.ParseMessageFileBytes(data, name); err != nil {
					return nil, fmt.Errorf("%w: %s: %v", ErrLocale, name, err)
				}
			case "problems":
				m := map[string]string{}
				if err := toml.Unmarshal(data, &m); err != nil {
					return nil, fmt.Errorf("%w: %s: %v", ErrLocale, name, err)
				}
				c := problem.Catalog{lang: {}}
				for k, v := range m {
					c[lang][problem.Code(k)] = v
				}
				cats = append(cats, c)
			}
		}
	}
	t := &texts{bundle: b, localizers: map[string]*i18n.Localizer{}, problems: problem.NewTranslator(cats...)}
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		t.localizers[l] = i18n.NewLocalizer(b, l)
		tags[i] = language.Make(l)
	}
	t.matcher = language.NewMatcher(tags)
	return t, nil
}

// localeName splits "pages.tr.toml" into its kind and a known language.
func localeName(name string) (kind, lang string, ok bool) {
	parts := strings.Split(path.Base(name), ".")
	if len(parts) != 3 || (parts[0] != "pages" && parts[0] != "problems") || !slices.Contains(Languages, parts[1]) {
		return "", "", false
	}
	return parts[0], parts[1], true
}

// lang picks the page language: the visitor's choice (cookie), else the
// browser's Accept-Language, else German.
func (t *texts) lang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && slices.Contains(Languages, c.Value) {
		return c.Value
	}
	_, i, conf := t.matcher.Match(parseAccept(r.Header.Get("Accept-Language"))...)
	if conf == language.No {
		return "de"
	}
	return Languages[i]
}

func parseAccept(h string) []language.Tag {
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil {
		return nil
	}
	return tags
}

// T returns the text of a page key in lang; data fills its template, and
// a "Count" in data picks the plural form. A missing key shows as the key
// itself (the locale tests make sure none is missing).
func (t *texts) T(lang, id string, data map[string]any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		cfg.PluralCount = fmt.Sprint(n) // named integer types (kita.Hours) too
	}
	s, err := t.localizers[lang].Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// problemText returns the text of one problem in lang: the portal's
// catalogue by code where it has one (the validator's own texts exist in
// German and English only), else the problem's own text.
func (t *texts) problemText(p problem.Problem, lang string) string {
	if t.problems.Has(p.Code, lang) {
		return t.problems.Message(problem.Problem{Code: p.Code, Params: p.Params}, lang)
	}
	return t.problems.Message(p, lang)
}

// errorText returns the text of any error in lang (never internals).
func (t *texts) errorText(err error, lang string) string {
	var l problem.List
	if errors.As(err, &l) {
		out := make([]string, len(l))
		for i, p := range l {
			out[i] = t.problemText(p, lang)
		}
		return strings.Join(out, " ")
	}
	code := problem.CodeOf(err)
	if code == "" {
		code = problem.CodeInternal
	}
	return t.problems.Message(problem.Problem{Code: code}, lang)
}
