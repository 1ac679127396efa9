package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/httpapi"
)

// checkAnswer fails on a server error or on an error answer that is not a
// problem document.
func checkAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("status %d: %s", w.Code, w.Body.Bytes())
	}
	if w.Code >= 400 {
		var p httpapi.Problem
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Status != w.Code || p.Type == "" || p.Detail == "" {
			t.Fatalf("status %d without a problem document: %s", w.Code, w.Body.Bytes())
		}
	}
}

// FuzzSubmit sends arbitrary documents, keys and languages to the submit
// endpoint: no panic, no server error, every refusal a problem document.
func FuzzSubmit(f *testing.F) {
	e := newEnv(f, nil, httpapi.Limits{PerClient: -1, PerFamily: -1})
	good, err := json.Marshal(e.input("Lotte", e.chosen, true))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, "k1", "de")
	f.Add([]byte(`{"child":{"birth_date":"00000-00"}}`), "k2", "en")
	f.Add([]byte(`{"kitas":[1,2],"hours":"x"}`), "", "fr;q=0.1")
	f.Add([]byte(`[]`), "\x00", "*")
	token := "Bearer " + e.dev.Token(access.NewGuardian("g", "F"))
	f.Fuzz(func(t *testing.T, body []byte, key, lang string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/applications", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", token)
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("Accept-Language", lang)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		checkAnswer(t, w)
	})
}

// FuzzSearch sends arbitrary query strings to the Kita search.
func FuzzSearch(f *testing.F) {
	e := newEnv(f, nil, httpapi.Limits{PerClient: -1, PerFamily: -1})
	f.Add("district=I&near=51.48,7.21&radius_km=2&hours=35&free=true")
	f.Add("birth_date=2025-03-03&start=2027-08-01&carrier=catholic&limit=5&offset=10")
	f.Add("near=NaN,Inf&radius_km=-1&limit=-3")
	f.Add("birth_date=00000-00&start=%ff")
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/kitas", nil)
		req.URL.RawQuery = query
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		checkAnswer(t, w)
	})
}
