package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/postgres"
	"github.com/kitaportal/kitaportal/tagespflege"
)

const envURL = "KITAPORTAL_POSTGRES_URL"

// postgresStore returns a store on a fresh, migrated schema of the test
// server, dropped when the test ends. Without a server the test is
// skipped, except under CI=true, where it fails.
func postgresStore(tb testing.TB, maxConns int32, opts ...postgres.Option) app.Store {
	tb.Helper()
	base := os.Getenv(envURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal(envURL + " is not set in CI; the PostgreSQL tests must run there")
		}
		tb.Skip("set " + envURL + "=postgres://... to run the PostgreSQL tests")
	}
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, base)
	require.NoError(tb, err)
	tb.Cleanup(admin.Close)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "httpapi_" + hex.EncodeToString(b)
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		_, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		assert.NoError(tb, err)
	})
	cfg, err := pgxpool.ParseConfig(base)
	require.NoError(tb, err)
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(tb, err)
	tb.Cleanup(pool.Close)
	s := postgres.New(pool, opts...)
	require.NoError(tb, s.Migrate(ctx))
	return s
}

// stores are the two adapters every end-to-end test runs on.
var stores = []struct {
	name string
	open func(t testing.TB) app.Store
}{
	{"memory", func(testing.TB) app.Store { return nil }},
	{"postgres", func(t testing.TB) app.Store { return postgresStore(t, 0) }},
}

// TestYearOverHTTP drives a Kita year through the API only: families
// submit and are confirmed, a carrier keeps its Kita and reads its inbox,
// the Fachberatung places a child with a minder, the Jugendamt runs the
// round, a family accepts its offer and downloads the contract, the
// Jugendamt reads the figures, the audit trail, an export, and erases a
// family. Every answer is checked against the OpenAPI description.
func TestYearOverHTTP(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) { year(t, newEnv(t, s.open(t), httpapi.Limits{})) })
	}
}

func year(t *testing.T, e *env) {
	famA, famB := guardian("A"), guardian("B")
	carrier := ptr(access.NewCarrierStaff("staff-1", "T01"))
	fb := ptr(access.NewFachberatung("fb-1", "I"))
	amt := ptr(access.NewJugendamt("amt-1"))

	// A family submits; the same Idempotency-Key returns the first result.
	r := e.call(http.MethodPost, "/api/v1/applications", famA, e.input("Lotte", e.chosen, false), "Idempotency-Key", "a-1")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	var a httpapi.Application
	r.json(t, &a)
	assert.Equal(t, "/api/v1/applications/"+a.ID, r.header.Get("Location"))
	assert.Equal(t, registration.Confirmed, a.Status, "the receipt is confirmed at once")
	again := e.call(http.MethodPost, "/api/v1/applications", famA, e.input("Lotte", e.chosen, false), "Idempotency-Key", "a-1")
	require.Equal(t, http.StatusOK, again.status, string(again.body))
	assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))

	// Another family asks for Kindertagespflege too.
	r = e.call(http.MethodPost, "/api/v1/applications", famB, e.input("Mia", e.chosen[:1], true), "Idempotency-Key", "b-1")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	var b httpapi.Application
	r.json(t, &b)
	require.NotNil(t, b.Tagespflege)

	// The family reads its confirmation as it received it.
	r = e.call(http.MethodGet, "/api/v1/families/A/messages", famA, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var msgs []app.Message
	r.json(t, &msgs)
	require.NotEmpty(t, msgs)
	assert.Contains(t, msgs[0].Body, a.Reference)

	// Changing the choices needs the version read.
	reordered := map[string]any{"kitas": []string{e.chosen[1], e.chosen[0]}}
	r = e.call(http.MethodPut, "/api/v1/applications/"+a.ID+"/choices", famA, reordered)
	assert.Equal(t, http.StatusPreconditionRequired, r.status)
	r = e.call(http.MethodPut, "/api/v1/applications/"+a.ID+"/choices", famA, reordered, "If-Match", `"99"`)
	assert.Equal(t, http.StatusPreconditionFailed, r.status)
	r = e.call(http.MethodPut, "/api/v1/applications/"+a.ID+"/choices", famA, reordered, "If-Match", `"`+itoa(a.Version)+`"`)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r.json(t, &a)
	assert.Equal(t, e.chosen[1], a.Choices[0].KitaID)
	assert.Equal(t, `"`+itoa(a.Version)+`"`, r.header.Get("ETag"))

	// The carrier keeps its Kita and reads its inbox in the Kita view.
	r = e.call(http.MethodPut, "/api/v1/kitas/"+e.chosen[0]+"/free-places", carrier, map[string]int{"u3": 2, "o3": 0})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r = e.call(http.MethodPut, "/api/v1/kitas/"+e.chosen[0]+"/profile", carrier, map[string]any{"head": "Frau Leitung", "languages": []string{"de", "tr"}})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	k, ok := e.cat.Get(e.chosen[0])
	require.True(t, ok)
	r = e.call(http.MethodGet, "/api/v1/kitas?free=true&district="+k.District+"&near=51.48,7.21", nil, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var page httpapi.SearchPage
	r.json(t, &page)
	require.NotZero(t, page.Total)
	assert.Equal(t, e.chosen[0], page.Items[0].Kita.ID, "the only Kita reporting free places")
	r = e.call(http.MethodGet, "/api/v1/applications?kita_id="+e.chosen[0], carrier, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var inbox []httpapi.Application
	r.json(t, &inbox)
	require.Len(t, inbox, 2)
	for _, x := range inbox {
		for _, c := range x.Choices {
			assert.Contains(t, e.chosen, c.KitaID, "the carrier sees only its own Kitas' choices")
		}
		assert.Empty(t, x.Criteria.HardshipReason)
	}

	// The Fachberatung contacts family B and places the child with a minder.
	r = e.call(http.MethodGet, "/api/v1/referrals?district=I", fb, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var refs []tagespflege.Referral
	r.json(t, &refs)
	require.Len(t, refs, 1)
	r = e.call(http.MethodPost, "/api/v1/referrals/"+refs[0].ID+"/contacted", fb, map[string]string{"note": "Rückruf vereinbart"})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	minder := sampleMinder(e)
	r = e.call(http.MethodPost, "/api/v1/districts/I/minders", fb, minder)
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	r = e.call(http.MethodPost, "/api/v1/referrals/"+refs[0].ID+"/place", fb, map[string]string{"minder_id": minder.ID, "start": e.start.String()})
	require.Equal(t, http.StatusOK, r.status, string(r.body))

	// The Jugendamt runs the main round in spring.
	e.clock.Set(time.Date(2027, time.March, 1, 9, 0, 0, 0, berlin))
	r = e.call(http.MethodPost, "/api/v1/rounds", amt, map[string]any{"year": "2027/28"})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "a year label of another form is refused")
	assert.Equal(t, "year", r.problem(t).Errors[0].Field)
	r = e.call(http.MethodPost, "/api/v1/rounds", amt, map[string]any{"year": "2027/2028"})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var round httpapi.RoundSummary
	r.json(t, &round)
	assert.Equal(t, 1, round.Offers)

	// Family A accepts and downloads the contract.
	r = e.call(http.MethodGet, "/api/v1/applications/"+a.ID, famA, nil)
	require.Equal(t, http.StatusOK, r.status)
	r.json(t, &a)
	require.Equal(t, registration.Offered, a.Status)
	r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/accept", famA, nil, "If-Match", r.header.Get("ETag"))
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/contract", famA, map[string]any{"income": "48000", "meal_plan": true})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	assert.Equal(t, "application/pdf", r.header.Get("Content-Type"))
	text := pdfText(t, r.body)
	assert.Contains(t, text, "Lotte")
	assert.Contains(t, text, "Betreuungsvertrag")
	r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/contracted", carrier, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))

	// The Jugendamt reads the figures, the audit trail and an export, and
	// erases family B at its request.
	r = e.call(http.MethodGet, "/api/v1/reports?year="+url.QueryEscape("2027/2028"), amt, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var rep app.YearReport
	r.json(t, &rep)
	assert.Equal(t, "2027/2028", rep.Year)
	assert.Equal(t, 1, rep.Placed, "family A's place")
	r = e.call(http.MethodGet, "/api/v1/reports/demand.csv?year="+url.QueryEscape("2027/2028"), amt, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/csv"))
	assert.Contains(t, string(r.body), "district")
	r = e.call(http.MethodGet, "/api/v1/audit?family_id=A", amt, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var audit []registration.AuditEntry
	r.json(t, &audit)
	assert.NotEmpty(t, audit)
	r = e.call(http.MethodGet, "/api/v1/families/B/export", amt, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	assert.Contains(t, string(r.body), "Mia")
	r = e.call(http.MethodDelete, "/api/v1/families/B", amt, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r = e.call(http.MethodGet, "/api/v1/families/B/export", amt, nil)
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	assert.NotContains(t, string(r.body), "Mia", "the erased family's names are gone")
	assert.Greater(t, e.checked, 25)
}

// pdfText reads a PDF back with pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is needed in CI")
		}
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	require.NoError(t, err)
	return string(out)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// sampleMinder is a child-minder of district I from Bochum's sample data.
func sampleMinder(e *env) tagespflege.Minder {
	for _, m := range bochum.Minders(1, e.clock.Now().UTC()) {
		if m.District == "I" {
			return m
		}
	}
	panic("no sample minder in district I")
}
