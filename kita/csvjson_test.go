package kita_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/kita"
)

func TestCSVMappingJSON(t *testing.T) {
	t.Run("a city keeps its file layout as JSON configuration", func(t *testing.T) {
		doc := `{"columns": {"id": "Nr", "name": "Name", "hours": "Stunden", "lat": "Breite", "lon": "Länge",
			"street": "Adresse", "postal_code_city": "PLZ Ort", "capacity_u3": "U3", "capacity_o3": "UE3", "carrier_kind": "Art"},
			"comma": ",", "coordinates": "wgs84", "age_unit": "years",
			"carrier_kinds": {"städtisch": "municipal", "katholisch": "catholic"},
			"districts": {"Altstadt": "A"}, "city": "Musterstadt", "allowed": [20, 30]}`
		var m kita.CSVMapping
		require.NoError(t, json.Unmarshal([]byte(doc), &m))
		require.NoError(t, m.Validate())
		assert.Equal(t, ',', m.Comma)
		assert.Equal(t, kita.WGS84, m.Coordinates)
		assert.Equal(t, kita.Years, m.AgeUnit)
		assert.Equal(t, kita.Catholic, m.CarrierKinds["katholisch"])
		assert.Equal(t, kita.HoursOptions{20, 30}, m.Allowed)

		again, err := json.Marshal(m)
		require.NoError(t, err)
		var back kita.CSVMapping
		require.NoError(t, json.Unmarshal(again, &back))
		assert.Equal(t, m, back)
	})
	for _, bad := range []string{`{"comma": ";;"}`, `{"coordinates": "gauss-krueger"}`, `{"age_unit": "weeks"}`, `{"carrier_kinds": {"x": "pirate"}}`, `[]`} {
		t.Run("a malformed mapping is refused: "+bad, func(t *testing.T) {
			var m kita.CSVMapping
			assert.ErrorIs(t, json.Unmarshal([]byte(bad), &m), kita.ErrCSVMappingFormat)
		})
	}
}
