package tagespflege_test

import (
	"testing"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func office(district string) tagespflege.Office {
	return tagespflege.Office{
		District: district,
		Name:     "Fachberatung Kindertagespflege " + district,
		Email:    "fb-" + district + "@example.org",
		Phone:    "0234 910-0",
		Address:  geo.Address{Street: "Willy-Brandt-Platz", HouseNumber: "2", PostalCode: "44787", City: "Bochum"},
	}
}

func testOffices(t *testing.T, districts ...string) *tagespflege.Offices {
	t.Helper()
	var list []tagespflege.Office
	for _, d := range districts {
		list = append(list, office(d))
	}
	o, err := tagespflege.NewOffices(list)
	require.NoError(t, err)
	return o
}

func TestNewOffices(t *testing.T) {
	t.Run("one office per district is found by its district", func(t *testing.T) {
		o := testOffices(t, "sued", "mitte", "nord")
		got, ok := o.ForDistrict("mitte")
		require.True(t, ok)
		assert.Equal(t, office("mitte"), got)
		_, ok = o.ForDistrict("ost")
		assert.False(t, ok)
		var districts []string
		for _, of := range o.All() {
			districts = append(districts, of.District)
		}
		assert.Equal(t, []string{"mitte", "nord", "sued"}, districts)
	})

	t.Run("every problem of every office is listed with its index", func(t *testing.T) {
		bad := office("nord")
		bad.Email = "kaputt"
		noName := office("ost")
		noName.Name = ""
		_, err := tagespflege.NewOffices([]tagespflege.Office{office("mitte"), bad, office("mitte"), noName})
		assert.ErrorIs(t, err, problem.ErrInvalid)
		assert.ErrorIs(t, err, tagespflege.ErrDuplicate)
		var list problem.List
		require.ErrorAs(t, err, &list)
		assert.True(t, list.Has("[1].email", "email"), list)
		assert.True(t, list.Has("[2].district", tagespflege.CodeDuplicateOffice), list)
		assert.True(t, list.Has("[3].name", "required"), list)
		assert.Len(t, list, 3)
	})

	t.Run("a nil directory knows no office", func(t *testing.T) {
		var o *tagespflege.Offices
		_, ok := o.ForDistrict("mitte")
		assert.False(t, ok)
		assert.Empty(t, o.All())
	})
}
