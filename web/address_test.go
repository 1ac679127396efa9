package web_test

import (
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/web/webtest"
)

func TestSearchFromAnAddress(t *testing.T) {
	f, err := os.Open("../district/testdata/houses/hk_bochum.csv")
	require.NoError(t, err)
	defer f.Close()
	houses, err := district.ReadHouseCoordinates(f)
	require.NoError(t, err)
	srv := webtest.NewWith(t, func(p *municipality.Profile) { p.Districts = p.Districts.WithHouses(houses) })
	v := newVisitor(t, srv)

	t.Run("with house coordinates the form asks for street and house number", func(t *testing.T) {
		resp, page := v.get("/kitas")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, page, `name="street"`)
		assert.Contains(t, page, `name="house_number"`)
		assert.Contains(t, page, "Entfernung von Ihrer Adresse")
	})
	t.Run("the distance is from the address, and the page says so", func(t *testing.T) {
		form := url.Values{"street": {"Kortumstr."}, "house_number": {"5"}, "postal_code": {"44787"}}
		resp, page := v.get("/kitas?" + form.Encode())
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, page, "Entfernungen von Ihrer Adresse")
		assert.NotContains(t, page, `role="alert"`)
		pt, ok := houses.Locate(geo.Address{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787"})
		require.True(t, ok)
		nearest := srv.App.Catalogue.Search(kita.Query{Near: &pt, Limit: 1}).Items
		require.NotEmpty(t, nearest)
		assert.Contains(t, page, "/kitas/"+nearest[0].Kita.ID)
	})
	t.Run("the postal code alone measures from its centre, and the page says so", func(t *testing.T) {
		_, page := v.get("/kitas?postal_code=44787")
		assert.Contains(t, page, "Entfernungen vom Mittelpunkt der Postleitzahl")
	})
	for _, tc := range []struct {
		name string
		form url.Values
		text string
	}{
		{"an address the city does not list is refused, not measured from the postal code", url.Values{"street": {"Kortumstraße"}, "house_number": {"99"}, "postal_code": {"44787"}}, "in den amtlichen Hauskoordinaten der Stadt nicht"},
		{"an address without a house number is incomplete", url.Values{"street": {"Kortumstraße"}, "postal_code": {"44787"}}, "Bitte geben Sie Straße, Hausnummer und Postleitzahl an."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, page := v.get("/kitas?" + tc.form.Encode())
			assert.Contains(t, page, `role="alert"`)
			assert.Contains(t, page, tc.text)
			assert.NotContains(t, page, "Entfernungen vom Mittelpunkt")
		})
	}
	t.Run("without house coordinates the form has no street and the page says the distance is from the postal code", func(t *testing.T) {
		plain := newVisitor(t, webtest.New(t))
		_, page := plain.get("/kitas?postal_code=44787")
		assert.NotContains(t, page, `name="street"`)
		assert.Contains(t, page, "Entfernungen vom Mittelpunkt der Postleitzahl")
		_, page = plain.get("/kitas?street=Kortumstra%C3%9Fe&house_number=5&postal_code=44787")
		assert.Contains(t, page, "Die Suche nach Adresse ist in dieser Stadt nicht möglich.")
	})
}
