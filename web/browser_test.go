package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/web/webtest"
)

// screenshots is where the browser tests write the pages' pictures
// (committed; the README links them).
const screenshots = "../docs/screenshots"

// need skips a test without a tool locally and fails it under CI=true.
func need(t *testing.T, what, hint string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI (%s)", what, hint)
	}
	t.Skipf("%s not found (%s)", what, hint)
}

// chromium finds Debian's chromium (or KITAPORTAL_CHROMIUM).
func chromium(t *testing.T) string {
	if p := os.Getenv("KITAPORTAL_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	need(t, "chromium", "apt-get install -y chromium")
	return ""
}

// axeSource reads axe-core (KITAPORTAL_AXE, as .ci/run installs it).
func axeSource(t *testing.T) string {
	p := os.Getenv("KITAPORTAL_AXE")
	if p == "" {
		p = "/tmp/kitaportal-npm/node_modules/axe-core/axe.min.js"
	}
	b, err := os.ReadFile(p)
	if err != nil {
		need(t, "axe-core", "npm install --prefix /tmp/kitaportal-npm axe-core@4; KITAPORTAL_AXE=.../axe.min.js")
	}
	return string(b)
}

// tab is one headless Chromium with a fresh profile, on one portal.
type tab struct {
	t         *testing.T
	ctx       context.Context
	srv       *webtest.Server
	axe       string
	downloads string
	prefix    string // of the screenshots' names
}

func newTab(t *testing.T, srv *webtest.Server, prefix string) *tab {
	t.Helper()
	exe, axe := chromium(t), axeSource(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.IgnoreCertErrors,
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	require.NoError(t, chromedp.Do(ctx)) // starts the browser
	tb := &tab{t: t, ctx: ctx, srv: srv, axe: axe, downloads: t.TempDir(), prefix: prefix}
	_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: tb.downloads,
	})
	require.NoError(t, err)
	tb.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/lang/de?back=/"))
	return tb
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, steps...))
}

func run[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(b.t, err)
	return v
}

// submit clicks sel, which sends a form, and waits until the page that
// answers it has loaded: a mark set on the old page is gone on the new one.
func (b *tab) submit(sel string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`window.kitaportalOldPage = true`), chromedp.Click(chromedp.CSS(sel)))
	b.until("the answer to "+sel, `!window.kitaportalOldPage && document.readyState === "complete"`)
}

// until waits for the expression to be true on the tab's page. While the
// page changes an evaluation may fail; it asks again.
func (b *tab) until(what, expr string) {
	b.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
	}
	b.t.Fatalf("waited in vain for %s", what)
}

// visit opens a page and checks it with axe.
func (b *tab) visit(path, wait string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.srv.URL+path), chromedp.WaitVisible(chromedp.CSS(wait)))
	b.check()
}

// violation is one axe-core finding.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// check runs axe-core (WCAG 2.1 A and AA and best practices) on the page
// and fails on every violation of impact serious or critical.
func (b *tab) check() {
	b.t.Helper()
	b.until("the page to load", `document.readyState === "complete"`)
	b.do(chromedp.Evaluate[chromedp.Void](b.axe))
	vs := run(b, chromedp.Evaluate[[]violation](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.map(n => n.target.join(" "))})))`,
		chromedp.EvalAwaitPromise))
	loc := run(b, chromedp.Location())
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("axe on %s: %s (%s): %s at %v", loc, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

// narrow checks that the page fits 320 CSS pixels (a phone, or 1280 px at
// 400 % zoom; 200 % zoom is 640 px) without scrolling sideways.
func (b *tab) narrow() {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(320, 800))
	over := run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	b.do(chromedp.EmulateViewport(1280, 900))
	assert.LessOrEqual(b.t, over, 0, "%s scrolls sideways at 320 px", run(b, chromedp.Location()))
}

// shot writes the page at phone (375 px) and desktop (1280 px) width. In
// other languages than German only the pages that show the language's
// layout best (start, the form with its error summary, the offer).
func (b *tab) shot(name string) {
	b.t.Helper()
	if b.prefix != "" && name != "home" && name != "register-errors" && name != "status-offer" {
		return
	}
	require.NoError(b.t, os.MkdirAll(screenshots, 0o755))
	for _, s := range []struct {
		suffix string
		w      int64
	}{{"phone", 375}, {"desktop", 1280}} {
		b.do(chromedp.EmulateViewport(s.w, 800))
		png := run(b, chromedp.CaptureScreenshot()) // the viewport: what a visitor sees first
		require.NoError(b.t, os.WriteFile(filepath.Join(screenshots, b.prefix+name+"-"+s.suffix+".png"), png, 0o644))
	}
	b.do(chromedp.EmulateViewport(1280, 900))
}

// download waits for a finished download and returns its bytes.
func (b *tab) download() []byte {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(b.downloads)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				data, err := os.ReadFile(filepath.Join(b.downloads, e.Name()))
				if err == nil && len(data) > 0 {
					return data
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatal("no download")
	return nil
}

// demoLogin logs in with a role through the demo page.
func (b *tab) demoLogin(role string, set ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.visit("/demo", "#role-guardian")
	b.do(chromedp.Click(chromedp.ID("role-" + role)))
	b.do(set...)
	b.do(chromedp.Click(chromedp.CSS(".demo button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("form.logout")))
}

func TestBrowserParentJourney(t *testing.T) {
	for _, lang := range []string{"de", "ar"} {
		t.Run("a parent registers, corrects a mistake, accepts the offer and downloads the contract in "+lang, func(t *testing.T) {
			srv := webtest.New(t)
			prefix := ""
			if lang != "de" {
				prefix = lang + "-"
			}
			b := newTab(t, srv, prefix)
			birth, start := date.New(2025, 3, 14), date.New(2027, 8, 1)
			kitas := kitasFor(t, srv.App, birth, start, 2)
			if lang != "de" {
				b.do(chromedp.Navigate(srv.URL + "/lang/" + lang + "?back=/"))
			}
			b.visit("/", "main h1")
			dir := run(b, chromedp.Evaluate[string](`document.documentElement.dir + " " + document.documentElement.lang`))
			if lang == "ar" {
				assert.Equal(t, "rtl ar", dir)
				assert.Positive(t, run(b, chromedp.Evaluate[int](`document.querySelectorAll("p.binding").length`)), "German stays binding")
			} else {
				assert.Equal(t, "ltr de", dir)
			}
			b.shot("home")
			b.narrow()
			// The keyboard: the first Tab reaches the skip link, which leads to the content.
			b.do(chromedp.KeyEvent("\t"))
			assert.Equal(t, "skip", run(b, chromedp.Evaluate[string](`document.activeElement.className`)))
			if lang == "de" {
				b.visit("/leichte-sprache", "main h1")
				b.shot("leichte-sprache")
			}
			b.visit("/kitas?district=I&birth=2025-03-14&start=2027-08-01&hours=35", ".results li")
			b.shot("search")
			b.do(chromedp.Click(chromedp.CSS(".results li h3 a")), chromedp.WaitVisible(chromedp.CSS("dl.facts")))
			b.check()
			b.shot("kita")
			first := run(b, chromedp.Evaluate[string](`document.querySelector('a.button[href^="/register?kita="]').getAttribute("href")`))
			b.do(chromedp.Click(chromedp.CSS(`a.button[href^="/register?kita="]`)), chromedp.WaitVisible(chromedp.ID("role-guardian")))
			b.check()
			if lang == "de" {
				b.shot("demo-login")
			}
			b.do(chromedp.Click(chromedp.CSS(".demo button[type=submit]")), chromedp.WaitVisible(chromedp.ID("registration-form")))
			b.check()
			b.shot("register")
			b.narrow()
			assert.Equal(t, strings.TrimPrefix(first, "/register?kita="), run(b, chromedp.Value(chromedp.ID("kitas-0"))), "the chosen Kita is wish 1")

			// A parent types the form, with an e-mail address mistyped and
			// the consent forgotten.
			b.typeRegistration("ayse.yilmaz(at)example.org", kitas[1])
			b.do(chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.ID("error-summary")))
			b.check()
			b.shot("register-errors")
			assert.Equal(t, "error-summary", run(b, chromedp.Evaluate[string](`document.activeElement.id`)), "the summary takes the focus")
			links := run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#error-summary a")].map(a => a.getAttribute("href"))`))
			assert.Contains(t, links, "#guardians-0-email")
			assert.Contains(t, links, "#consent")
			for _, l := range links {
				assert.True(t, run(b, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q) !== null`, strings.TrimPrefix(l, "#")))), "the link %s has its field", l)
			}
			// The correction: the summary's link leads to the field.
			b.do(
				chromedp.Click(chromedp.CSS(`#error-summary a[href="#guardians-0-email"]`)),
				chromedp.Clear(chromedp.ID("guardians-0-email")),
				chromedp.SendKeys(chromedp.ID("guardians-0-email"), "ayse.yilmaz@example.org"),
				chromedp.Click(chromedp.ID("consent")),
				chromedp.Click(chromedp.CSS("button.primary")),
				chromedp.WaitVisible(chromedp.CSS(".reference strong")),
			)
			b.check()
			b.shot("confirmation")
			ref := run(b, chromedp.Text(chromedp.CSS(".reference strong")))
			assert.True(t, strings.HasPrefix(ref, "BO-"), ref)
			mail := run(b, chromedp.Text(chromedp.CSS("section.mail pre")))
			assert.Contains(t, mail, ref)

			// The Jugendamt runs the round through the application layer;
			// wish 1 has no place for a child under three, so the offer
			// is for wish 2 and the family may keep wish 1 waiting.
			setPlaces(t, srv, strings.TrimPrefix(first, "/register?kita="), 0)
			rep, err := srv.App.Registrations.RunRound(context.Background(), access.NewJugendamt("ja"), "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			require.Positive(t, rep.Offers)
			b.visit("/status", ".offer input[name=keep_waiting]")
			assert.Contains(t, run(b, chromedp.Text(chromedp.CSS(".positions"))), "1", "the status page shows the positions on each list")
			b.shot("status-offer")
			b.narrow()
			// Withdrawing asks first; "no" leads back.
			b.do(chromedp.Click(chromedp.CSS(`a[href$="/withdraw"]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/withdraw"]`)))
			b.check()
			b.do(chromedp.Click(chromedp.CSS(`main a[href="/status"]`)), chromedp.WaitVisible(chromedp.CSS(".offer")))
			// The label ticks the box; accepting keeps wish 1 waiting.
			b.do(chromedp.Click(chromedp.CSS(`.offer label[for^="wait-"]`)))
			assert.True(t, run(b, chromedp.Evaluate[bool](`document.querySelector(".offer input[name=keep_waiting]").checked`)))
			b.do(chromedp.Click(chromedp.CSS(".offer button.primary")), chromedp.WaitVisible(chromedp.CSS("form.contract")))
			b.check()
			apps, err := srv.App.Registrations.List(context.Background(), access.NewJugendamt("check"), registration.Query{Year: "2027/2028"})
			require.NoError(t, err)
			require.Len(t, apps, 1)
			assert.Equal(t, registration.Accepted, apps[0].Status())
			assert.True(t, apps[0].Waiting(), "wish 1 still waits")
			b.do(
				chromedp.SendKeys(chromedp.CSS("form.contract input[name=income]"), "42000"),
				chromedp.Click(chromedp.CSS("form.contract button")),
			)
			text := pdfText(t, b.download())
			assert.Contains(t, text, "Zeynep")
			assert.Contains(t, text, ref)
		})
	}
}

// typeRegistration types the registration form as a parent does: the
// child, one guardian with the e-mail address given, the address, the
// start, the hours and the second wish (the consent is left to the test).
func (b *tab) typeRegistration(email, second string) {
	b.t.Helper()
	b.do(
		chromedp.SendKeys(chromedp.ID("child-given_name"), "Zeynep"),
		chromedp.SendKeys(chromedp.ID("child-family_name"), "Yılmaz"),
		chromedp.SetValue(chromedp.ID("child-birth_date"), "2025-03-14"),
		chromedp.SendKeys(chromedp.ID("guardians-0-given_name"), "Ayşe"),
		chromedp.SendKeys(chromedp.ID("guardians-0-family_name"), "Yılmaz"),
		chromedp.SendKeys(chromedp.ID("guardians-0-email"), email),
		chromedp.SendKeys(chromedp.ID("address-street"), "Herner Straße"),
		chromedp.SendKeys(chromedp.ID("address-house_number"), "12a"),
		chromedp.SendKeys(chromedp.ID("address-postal_code"), "44787"),
		chromedp.SendKeys(chromedp.ID("address-city"), "Bochum"),
		chromedp.SetValue(chromedp.ID("start"), "2027-08-01"),
		chromedp.SetValue(chromedp.ID("hours"), "35"),
		chromedp.SetValue(chromedp.ID("kitas-1"), second),
	)
}

// submitted registers a family directly through the application layer.
func submitted(t *testing.T, srv *webtest.Server, kitaID string, tp bool) registration.Application {
	t.Helper()
	g := access.NewGuardian("g-"+kitaID, "family-"+kitaID)
	in := registration.Input{
		Child:     registration.ChildInput{GivenName: "Mila", FamilyName: "Nowak", BirthDate: date.New(2025, 5, 2)},
		Guardians: []registration.GuardianInput{{GivenName: "Olena", FamilyName: "Nowak", Email: "olena.nowak@example.org", Language: "de", Working: true}},
		Address:   geo.Address{Street: "Kortumstraße", HouseNumber: "3", PostalCode: "44787", City: "Bochum"},
		Start:     date.New(2027, 8, 1), Hours: 35, Kitas: []string{kitaID}, Consent: true,
	}
	if tp {
		in.Tagespflege = &registration.TagespflegeWish{District: "I"}
	}
	rc, err := srv.App.Registrations.Submit(context.Background(), g, in)
	require.NoError(t, err)
	return rc.Application
}

func TestBrowserStaff(t *testing.T) {
	t.Run("a carrier's staff offers a place and reports free places", func(t *testing.T) {
		srv := webtest.New(t)
		kitas := kitasFor(t, srv.App, date.New(2025, 5, 2), date.New(2027, 8, 1), 1)
		k, _ := srv.App.Catalogue.Get(kitas[0])
		a := submitted(t, srv, k.ID, false)
		b := newTab(t, srv, "")
		b.demoLogin("carrier", chromedp.SetValue(chromedp.ID("carrier"), k.Carrier.ID))
		b.visit("/staff/carrier", "main h1")
		b.shot("carrier")
		b.do(chromedp.Click(chromedp.CSS(`form[action="/staff/carrier/offer"] button`)), chromedp.WaitNotPresent(chromedp.CSS(`form[action="/staff/carrier/offer"]`)))
		b.check()
		got, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), a.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Offered, got.Status())
		sel := fmt.Sprintf("#u3-%s", k.ID)
		b.do(chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), "2"),
			chromedp.Click(chromedp.CSS("form.free:has("+sel+") button")), chromedp.WaitVisible(chromedp.CSS(sel+`[value="2"]`)))
		k2, _ := srv.App.Catalogue.Get(k.ID)
		assert.Equal(t, 2, k2.FreePlaces.Under3)
		head := "#head-" + k.ID
		b.do(chromedp.Clear(chromedp.CSS(head)), chromedp.SendKeys(chromedp.CSS(head), "Maria Beispiel"),
			chromedp.Click(chromedp.CSS("form.profile:has("+head+") button")), chromedp.WaitVisible(chromedp.CSS(head+`[value="Maria Beispiel"]`)))
		b.check()
		k3, _ := srv.App.Catalogue.Get(k.ID)
		assert.Equal(t, "Maria Beispiel", k3.Profile.Head)
	})
	t.Run("a Fachberatung contacts a family and closes the referral", func(t *testing.T) {
		srv := webtest.New(t)
		kitas := kitasFor(t, srv.App, date.New(2025, 5, 2), date.New(2027, 8, 1), 1)
		a := submitted(t, srv, kitas[0], true)
		b := newTab(t, srv, "")
		b.demoLogin("fachberatung", chromedp.SetValue(chromedp.ID("district"), "I"))
		b.visit("/staff/referrals", "section.app")
		b.shot("referrals")
		b.submit(`form[action$="/contacted"] button`)
		b.check()
		ref, err := srv.App.Referrals.Get(context.Background(), access.NewJugendamt("check"), a.TP.ReferralID)
		require.NoError(t, err)
		assert.Equal(t, "contacted", ref.Status().String())
		b.do(chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)), chromedp.WaitNotPresent(chromedp.CSS(`form[action$="/close"]`)))
		ref, err = srv.App.Referrals.Get(context.Background(), access.NewJugendamt("check"), a.TP.ReferralID)
		require.NoError(t, err)
		assert.Equal(t, "closed", ref.Status().String())
	})
	t.Run("the Jugendamt runs a round and reads the year's report", func(t *testing.T) {
		srv := webtest.New(t)
		kitas := kitasFor(t, srv.App, date.New(2025, 5, 2), date.New(2027, 8, 1), 1)
		a := submitted(t, srv, kitas[0], false)
		b := newTab(t, srv, "")
		b.demoLogin("jugendamt")
		b.visit("/staff/round", "main h1")
		b.shot("round")
		// The dry run first: its figures and changed families, no offer yet.
		b.do(chromedp.SetValue(chromedp.ID("year"), "2027/2028"), chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.CSS("form.publish")))
		b.check()
		b.shot("round-draft")
		b.narrow()
		assert.Equal(t, 1, run(b, chromedp.Evaluate[int](`document.querySelectorAll("tr.change").length`)), "the one family is a change")
		assert.Contains(t, run(b, chromedp.Text(chromedp.CSS("tr.change ul.positions"))), "Rang 1")
		got, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), a.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Confirmed, got.Status(), "a dry run writes no offer")
		// Then exactly that dry run is published.
		b.do(chromedp.Click(chromedp.CSS("form.publish button.primary")), chromedp.WaitVisible(chromedp.CSS(".success")))
		b.check()
		assert.False(t, run(b, chromedp.Evaluate[bool](`document.querySelector("form.publish") !== null`)), "a published draft offers no second publication")
		got, err = srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), a.ID)
		require.NoError(t, err)
		assert.Equal(t, registration.Offered, got.Status())
		b.visit("/staff/report?year="+url.QueryEscape("2027/2028"), "svg.chart")
		b.shot("report")
		b.narrow()
		assert.Positive(t, run(b, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart rect.demand").length`)))
	})
}
