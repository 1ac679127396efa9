package app_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/problem"
)

// TestErrorCodes walks every error code the public API can return: the
// sentinels of app.Errors and every code of every Messages catalog.
func TestErrorCodes(t *testing.T) {
	tr := problem.NewTranslator(app.Catalogs()...)
	t.Run("every sentinel has a kind, a code of its own and German and English text", func(t *testing.T) {
		seen := map[problem.Code]error{}
		for _, err := range app.Errors() {
			kind, code := problem.KindOf(err), problem.CodeOf(err)
			assert.True(t, kind.Valid(), "%v has no kind", err)
			require.NotEmpty(t, code, "%v has no code", err)
			if prev, ok := seen[code]; ok {
				t.Errorf("%v and %v share the code %s", err, prev, code)
			}
			seen[code] = err
			for _, lang := range []string{"de", "en"} {
				assert.True(t, tr.Has(code, lang), "%s has no %s text", code, lang)
				assert.NotEqual(t, string(code), tr.Error(err, lang))
			}
		}
	})
	t.Run("every catalog code has German and English text", func(t *testing.T) {
		n := 0
		for _, c := range app.Catalogs() {
			for _, lang := range []string{"de", "en"} {
				other := map[string]string{"de": "en", "en": "de"}[lang]
				for code, text := range c[lang] {
					n++
					assert.NotEmpty(t, text, code)
					assert.Contains(t, c[other], code, "%s has %s text but no %s text", code, lang, other)
				}
			}
		}
		assert.Greater(t, n, 100)
	})
	t.Run("an unclassified error reads as an internal error, without its text", func(t *testing.T) {
		err := assert.AnError
		assert.Equal(t, problem.Unknown, problem.KindOf(err))
		assert.NotContains(t, tr.Error(err, "en"), err.Error())
		assert.Contains(t, tr.Error(err, "de"), "interner Fehler")
	})
}
