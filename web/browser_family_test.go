package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/web/webtest"
)

func TestBrowserAfterSubmitting(t *testing.T) {
	t.Run("the Kita list follows the filters as the parent picks them, then the parent reorders the choices", func(t *testing.T) {
		srv := webtest.New(t)
		b := newTab(t, srv, "")
		kitas := kitasFor(t, srv.App, date.New(2025, 3, 14), date.New(2027, 8, 1), 2)

		// Live search: no button pressed, the list changes.
		b.visit("/kitas", "form[data-live]")
		all := run(b, chromedp.Text(chromedp.ID("results")))
		b.do(chromedp.SetValue(chromedp.ID("district"), "I"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("district").dispatchEvent(new Event("change", {bubbles: true}))`),
			chromedp.WaitVisible(chromedp.CSS(`#search-results[data-updated]`)))
		inI := run(b, chromedp.Text(chromedp.ID("results")))
		assert.NotEqual(t, all, inI, "the count follows the district")
		assert.Contains(t, run(b, chromedp.Location()), "district=I", "the address keeps the filters")
		assert.Equal(t, inI, run(b, chromedp.Text(chromedp.ID("search-status"))), "the count is announced")
		b.do(chromedp.SendKeys(chromedp.ID("postal_code"), "44787"),
			chromedp.WaitVisible(chromedp.CSS(`#search-results[data-updated="2"]`)))
		assert.Contains(t, run(b, chromedp.Text(chromedp.CSS("#search-results .results"))), "km")
		b.check()

		// A family registers, then changes the order of its choices.
		b.do(chromedp.Navigate(srv.URL+"/register?kita="+kitas[0]), chromedp.WaitVisible(chromedp.ID("role-guardian")))
		b.do(chromedp.Click(chromedp.CSS(".demo button[type=submit]")), chromedp.WaitVisible(chromedp.ID("registration-form")))
		b.typeRegistration("ayse.yilmaz@example.org", kitas[1])
		b.do(chromedp.Click(chromedp.ID("consent")), chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.CSS(".reference strong")))
		b.visit("/status", "section.app")
		b.do(chromedp.Click(chromedp.CSS(`a[href$="/choices"]`)), chromedp.WaitVisible(chromedp.ID("choices-form")))
		b.check()
		b.shot("choices")
		b.narrow()
		b.submit(`button[name=move][value="down:0"]`) // the form answers with the reordered choices
		assert.Equal(t, kitas[1], run(b, chromedp.Value(chromedp.ID("kitas-0"))))
		b.submit("#choices-form button.primary")
		b.do(chromedp.WaitVisible(chromedp.CSS("section.app")))
		b.check()
		names := run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("ol.choices li")].map(li => li.textContent)`))
		require.Len(t, names, 2)
		k1, _ := srv.App.Catalogue.Get(kitas[1])
		assert.True(t, strings.HasPrefix(names[0], k1.Name), "wish 1 is now %s: %v", k1.Name, names)
		apps, err := srv.App.Registrations.List(context.Background(), access.NewJugendamt("check"), registration.Query{})
		require.NoError(t, err)
		require.Len(t, apps, 1)
		assert.Equal(t, kitas[1], apps[0].Choices[0].KitaID)
	})
}
