package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/municipality/bochum"
)

func TestServeRefusesAnIncompleteCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"with a store but without an authenticator", []string{"serve", "-postgres", "postgres://kita@db.example/kita"}, "-demo"},
		{"with a mail server but without an authenticator", []string{"serve", "-mail", "memory"}, "-demo"},
		{"with another city but without an authenticator", []string{"serve", "-profile", "./mycity"}, "-demo"},
		{"with both authenticators", []string{"serve", "-demo", "-oidc-issuer", "https://idp.example"}, "exclude"},
		{"without a mail transport outside a demonstration", []string{"serve", "-oidc-issuer", "https://idp.example", "-oidc-client", "portal"}, "-mail"},
		{"with a role that does not exist", []string{"serve", "-oidc-issuer", "https://idp.example", "-mail", "memory", "-oidc-roles", "admins=root"}, "admins=root"},
		{"with an argument left over", []string{"serve", "-demo", "now"}, "unexpected argument"},
		{"with an empty number block", []string{"serve", "-demo", "-postgres", "postgres://kita@db.example/kita", "-number-block", "0"}, "-number-block 0"},
		{"with number blocks but without a database", []string{"serve", "-demo", "-number-block", "16"}, "-number-block needs -postgres"},
		{"with fewer than no applications expected", []string{"serve", "-expect", "-1"}, "-expect -1"},
		{"with more applications expected than a store is sized for", []string{"serve", "-expect", "100000000"}, "-expect 100000000"},
		{"with a size for the in-memory store on a database", []string{"serve", "-demo", "-postgres", "postgres://kita@db.example/kita", "-expect", "1000"}, "-expect sizes the in-memory store"},
	} {
		t.Run("it refuses to start "+tc.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(tc.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.stderr)
		})
	}
}

func TestServeBareIsTheDemonstration(t *testing.T) {
	for _, args := range [][]string{{}, {"-addr", ":9090"}, {"-expect", "1000"}} {
		o, err := parseServe(args, io.Discard)
		require.NoError(t, err, args)
		assert.True(t, o.demo, "%v: the bare command is the demonstration", args)
		assert.Equal(t, "memory", o.mail, args)
		assert.Equal(t, "bochum", o.profile, args)
		assert.Empty(t, o.postgres, args)
	}
	o, err := parseServe(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 35_703, o.expect, "the in-memory store is sized for a Bochum year")
	o, err = parseServe([]string{"-expect", "0"}, io.Discard)
	require.NoError(t, err)
	assert.Zero(t, o.expect, "-expect 0: a store that grows as it fills")
	o, err = parseServe([]string{"-demo", "-postgres", "postgres://kita@db.example/kita"}, io.Discard)
	require.NoError(t, err)
	assert.True(t, o.demo, "-demo given explicitly still works with a store")
}

func TestServeDemo(t *testing.T) {
	_, srv := demoServer(t)

	for _, p := range []string{"/healthz", "/readyz", "/openapi.json", "/metrics", "/api/v1/kitas?district=I", "/", "/demo"} {
		res, err := http.Get(srv.URL + p)
		require.NoError(t, err)
		_ = res.Body.Close()
		assert.Equal(t, http.StatusOK, res.StatusCode, p)
	}
	// A first submission as a parent types it.
	res, out := submitFirst(t, srv.URL, "family-1")
	assert.Equal(t, http.StatusCreated, res.StatusCode, out)
}

// submitFirst posts a first application as a parent types it, for the
// family, and returns the answer and its body.
func submitFirst(t *testing.T, base, family string) (*http.Response, string) {
	t.Helper()
	cat, err := bochum.Catalogue()
	require.NoError(t, err)
	var kitaID string
	for _, k := range cat.All() {
		if k.Capacity.Under3 > 0 && k.Hours.Allows(35) && k.Takes(20) {
			kitaID = k.ID
			break
		}
	}
	body := `{"child":{"given_name":"Lotte","family_name":"Beispiel","birth_date":"2025-09-03"},
	"guardians":[{"given_name":"Eva","family_name":"Beispiel","email":"eva@beispiel.example","language":"de"}],
	"address":{"street":"Kortumstraße","house_number":"5","postal_code":"44787","city":"Bochum"},
	"start":"2027-08-01","hours":35,"kitas":["` + kitaID + `"],"consent":true}`
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/applications", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer dev:guardian:eva:"+family)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "first")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	out, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	return res, string(out)
}

// TestServeNumberBlocksOnPostgres runs serve on PostgreSQL with
// -number-block: three submissions draw their reference numbers from one
// block, reserved with one statement.
func TestServeNumberBlocksOnPostgres(t *testing.T) {
	base := os.Getenv("KITAPORTAL_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KITAPORTAL_POSTGRES_URL is not set in CI; the PostgreSQL tests must run there")
		}
		t.Skip("set KITAPORTAL_POSTGRES_URL=postgres://... to run the PostgreSQL tests")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	require.NoError(t, err)
	schema := fmt.Sprintf("serve_%d", time.Now().UnixNano())
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		assert.NoError(t, err)
		_ = admin.Close(context.Background())
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	o, err := parseServe([]string{"-demo", "-postgres", u.String(), "-number-block", "10"}, io.Discard)
	require.NoError(t, err)
	s, err := buildServe(ctx, o, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(s.close)
	srv := httptest.NewServer(s.handler)
	t.Cleanup(srv.Close)

	refs := map[string]bool{}
	for i := range 3 {
		res, out := submitFirst(t, srv.URL, fmt.Sprintf("family-%d", i))
		require.Equal(t, http.StatusCreated, res.StatusCode, out)
		var got struct {
			Reference string `json:"reference"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		refs[got.Reference] = true
	}
	assert.Len(t, refs, 3, "every submission has a number of its own")
	var reserved int64
	require.NoError(t, admin.QueryRow(ctx, "SELECT sum(value) FROM "+schema+".counters").Scan(&reserved))
	assert.Equal(t, int64(10), reserved, "one block of ten numbers reserved for three submissions")
}

func TestServeLoadsACityFromADirectory(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, fs.WalkDir(bochum.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		data, err := fs.ReadFile(bochum.Files(), path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.Base(path)), data, 0o644)
	}))
	layout, err := bochum.SampleLayout()
	require.NoError(t, err)
	data, err := json.Marshal(layout)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kitas-layout.json"), data, 0o644))
	_, _, err = loadCity(dir)
	require.Error(t, err, "kitas.csv is missing")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kitas.csv"), bochum.SampleCSV(), 0o644))
	p, cat, err := loadCity(dir)
	require.NoError(t, err)
	assert.Equal(t, bochum.SampleKitas, cat.Len())
	assert.NotEmpty(t, p.Districts)
}

func TestServePortalPages(t *testing.T) {
	s, srv := demoServer(t)

	res, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, string(body), "Voranmeldung", "the start page of the portal")

	minders, err := s.app.Referrals.Minders(context.Background(), access.SystemActor, "I")
	require.NoError(t, err)
	assert.NotEmpty(t, minders, "a demonstration of Bochum has child-minders to place with")
}

func TestServeSessionKey(t *testing.T) {
	t.Run("outside a demonstration the key must be configured", func(t *testing.T) {
		_, err := sessionKey("", false)
		assert.ErrorContains(t, err, "KITAPORTAL_SESSION_KEY")
	})
	t.Run("a short or malformed key is refused", func(t *testing.T) {
		for _, k := range []string{"c2hvcnQ=", "not base64!"} {
			_, err := sessionKey(k, false)
			assert.Error(t, err, k)
		}
	})
	t.Run("a configured key is used as it is", func(t *testing.T) {
		key, err := sessionKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", false)
		require.NoError(t, err)
		assert.Equal(t, "0123456789abcdef0123456789abcdef", string(key))
	})
	t.Run("a demonstration makes one up", func(t *testing.T) {
		key, err := sessionKey("", true)
		require.NoError(t, err)
		assert.Len(t, key, 32)
	})
}

// demoServer runs what `kitaportal serve -demo` serves on a test listener.
func demoServer(t *testing.T) (*served, *httptest.Server) {
	t.Helper()
	o, err := parseServe([]string{"-demo"}, io.Discard)
	require.NoError(t, err)
	s, err := buildServe(context.Background(), o, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(s.close)
	srv := httptest.NewServer(s.handler)
	t.Cleanup(srv.Close)
	return s, srv
}
