package web

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// pageKeys reads the keys of a page catalogue file.
func pageKeys(t *testing.T, lang string) map[string]any {
	t.Helper()
	m := map[string]any{}
	_, err := toml.DecodeFS(builtinLocales, "locales/pages."+lang+".toml", &m)
	require.NoError(t, err, lang)
	return m
}

// usedKeys are the page keys the templates and the handlers name.
func usedKeys(t *testing.T) []string {
	t.Helper()
	re := regexp.MustCompile(`\.T "([a-z0-9_]+)"|T\(lang, "([a-z0-9_]+)"|T\(p\.texts\.lang\(r\), "([a-z0-9_]+)"|"(f_[a-z0-9_]+)"|"([a-z_]+_title)"`)
	var keys []string
	files, _ := filepath.Glob("templates/*.html")
	gos, _ := filepath.Glob("*.go")
	for _, f := range append(files, gos...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			for _, k := range m[1:] {
				if k != "" && !strings.HasSuffix(k, "_") && !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
		}
	}
	// Keys built from names.
	keys = append(keys, "search_problem_hours", "search_problem_birth", "search_problem_postal_code", "lang_name")
	for s := registration.Status(1); s.Valid(); s++ {
		keys = append(keys, "status_"+s.String())
	}
	for c := registration.ChoiceStatus(1); c.Valid(); c++ {
		keys = append(keys, "choice_"+c.String())
	}
	for s := tagespflege.ReferralStatus(1); s.Valid(); s++ {
		keys = append(keys, "ref_"+s.String())
	}
	for c := tagespflege.CloseReason(1); c.Valid(); c++ {
		keys = append(keys, "close_"+c.String())
	}
	return keys
}

func TestEveryPageKeyInEveryLanguage(t *testing.T) {
	de := pageKeys(t, "de")
	t.Run("every key a page names is in the German catalogue", func(t *testing.T) {
		for _, k := range usedKeys(t) {
			_, ok := de[k]
			assert.True(t, ok, "pages.de.toml lacks %s", k)
		}
	})
	txt, err := loadTexts(nil)
	require.NoError(t, err)
	for _, lang := range Languages {
		t.Run("the "+lang+" catalogue has every German key and every plural form of the language", func(t *testing.T) {
			keys := pageKeys(t, lang)
			for k, v := range de {
				if strings.HasPrefix(k, "ls_") {
					continue // Leichte Sprache is German only
				}
				if _, ok := keys[k]; !assert.True(t, ok, "pages.%s.toml lacks %s", lang, k) {
					continue
				}
				if _, plural := v.(map[string]any); plural {
					for _, n := range []int{0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 100, 101, 102, 111} {
						_, err := txt.localizers[lang].Localize(&i18n.LocalizeConfig{MessageID: k, PluralCount: n, TemplateData: map[string]any{"Count": n}})
						assert.NoError(t, err, "%s %s %d", lang, k, n)
					}
				}
			}
			for k := range keys {
				_, ok := de[k]
				assert.True(t, ok, "pages.%s.toml has %s, which German lacks", lang, k)
			}
		})
	}
}

func TestEveryErrorCodeInEveryLanguage(t *testing.T) {
	txt, err := loadTexts(nil)
	require.NoError(t, err)
	var codes []problem.Code
	for _, c := range app.Catalogs() {
		for code := range c["de"] {
			codes = append(codes, code)
		}
	}
	own := map[string]string{}
	_, err = toml.DecodeFS(builtinLocales, "locales/problems.de.toml", &own)
	require.NoError(t, err)
	for code := range own {
		codes = append(codes, problem.Code(code))
	}
	require.Greater(t, len(codes), 200)
	for _, lang := range Languages {
		t.Run("every error code has a text in "+lang, func(t *testing.T) {
			for _, code := range codes {
				assert.True(t, txt.problems.Has(code, lang), "%s %s", lang, code)
			}
		})
	}
}

func TestEveryMessageTemplateInEveryLanguage(t *testing.T) {
	dir := "../notify/templates"
	de, err := os.ReadDir(filepath.Join(dir, "de"))
	require.NoError(t, err)
	require.NotEmpty(t, de)
	langs := notify.DefaultTemplates().Languages() // parses every built-in template
	for _, lang := range Languages {
		t.Run("every message kind has its "+lang+" subject and body", func(t *testing.T) {
			assert.Contains(t, langs, lang)
			for _, f := range de {
				_, err := os.Stat(filepath.Join(dir, lang, f.Name()))
				assert.NoError(t, err, "%s/%s", lang, f.Name())
			}
		})
	}
}
