package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/municipality"
)

// withHouses gives Bochum's districts the made-up house coordinates of the
// district package's test data.
func withHouses(t testing.TB) func(*municipality.Profile) {
	return func(p *municipality.Profile) {
		f, err := os.Open("../district/testdata/houses/hk_bochum.csv")
		require.NoError(t, err)
		defer f.Close()
		g, err := district.ReadHouseCoordinates(f)
		require.NoError(t, err)
		p.Districts = p.Districts.WithHouses(g)
	}
}

func TestSearchByAddress(t *testing.T) {
	e := newEnvWith(t, nil, httpapi.Limits{}, withHouses(t))
	addr := "Kortumstraße 5, 44787 Bochum"
	t.Run("the Kitas come ordered by distance from the located address", func(t *testing.T) {
		r := e.call(http.MethodGet, "/api/v1/kitas?limit=10&address="+url.QueryEscape(addr), nil, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var byAddress httpapi.SearchPage
		r.json(t, &byAddress)
		require.NotEmpty(t, byAddress.Items)

		p, ok := e.app.Profile.Districts.Houses().Locate(mustAddress(t, addr))
		require.True(t, ok)
		r = e.call(http.MethodGet, fmt.Sprintf("/api/v1/kitas?limit=10&near=%v,%v", p.Lat, p.Lon), nil, nil)
		require.Equal(t, http.StatusOK, r.status, string(r.body))
		var byPoint httpapi.SearchPage
		r.json(t, &byPoint)
		assert.Equal(t, byPoint, byAddress)
		for i := 1; i < len(byAddress.Items); i++ {
			assert.LessOrEqual(t, byAddress.Items[i-1].DistanceKm, byAddress.Items[i].DistanceKm)
		}
		assert.Positive(t, byAddress.Items[0].DistanceKm)
	})
	t.Run("an abbreviated street finds the same house", func(t *testing.T) {
		a := e.call(http.MethodGet, "/api/v1/kitas?limit=3&address="+url.QueryEscape(addr), nil, nil)
		b := e.call(http.MethodGet, "/api/v1/kitas?limit=3&address="+url.QueryEscape("kortumstr. 5, 44787"), nil, nil)
		require.Equal(t, http.StatusOK, b.status, string(b.body))
		assert.JSONEq(t, string(a.body), string(b.body))
	})
	for _, tc := range []struct {
		name  string
		query string
		code  string
	}{
		{"an address the city's house coordinates lack is a problem, never a fallback", "address=" + url.QueryEscape("Kortumstraße 99, 44787 Bochum"), "district.address_unknown"},
		{"an address without a house number is unreadable", "address=" + url.QueryEscape("Kortumstraße, 44787 Bochum"), "district.address_unreadable"},
		{"an address and a point at once are refused", "near=51.48,7.21&address=" + url.QueryEscape(addr), "kita.query_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(http.MethodGet, "/api/v1/kitas?"+tc.query, nil, nil)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
			p := r.problem(t)
			require.NotEmpty(t, p.Errors)
			assert.Equal(t, "address", p.Errors[0].Field)
			assert.Equal(t, tc.code, p.Errors[0].Code)
			assert.NotContains(t, string(r.body), "Kortum")
		})
	}
	t.Run("a city without house coordinates says so", func(t *testing.T) {
		plain := newEnv(t, nil, httpapi.Limits{})
		r := plain.call(http.MethodGet, "/api/v1/kitas?address="+url.QueryEscape(addr), nil, nil)
		require.Equal(t, http.StatusUnprocessableEntity, r.status, string(r.body))
		p := r.problem(t)
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "address", p.Errors[0].Field)
		assert.Equal(t, "district.house_coordinates_missing", p.Errors[0].Code)
	})
}

func mustAddress(t testing.TB, line string) geo.Address {
	t.Helper()
	a, ok := geo.ParseAddressLine(line)
	require.True(t, ok)
	return a
}
