package district_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

func loadFile(t testing.TB, path string) *district.Directory {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	d, err := district.Load(bytes.NewReader(data))
	require.NoError(t, err)
	return d
}

func bochum(t testing.TB) *district.Directory {
	return loadFile(t, "../municipality/bochum/districts.json")
}

func TestBochumFile(t *testing.T) {
	d := bochum(t)
	t.Run("it has the six Stadtbezirke in order", func(t *testing.T) {
		var names []string
		for _, x := range d.All() {
			names = append(names, x.ID+" "+x.Name)
		}
		assert.Equal(t, []string{"I Mitte", "II Wattenscheid", "III Nord", "IV Ost", "V Süd", "VI Südwest"}, names)
	})
	t.Run("it says that it is indicative", func(t *testing.T) {
		assert.Contains(t, d.Note(), "INDICATIVE")
		assert.Equal(t, "Bochum", d.City())
	})
	t.Run("it maps every residential postal code to at least one district", func(t *testing.T) {
		codes := strings.Fields("44787 44789 44791 44793 44795 44797 44799 44801 44803 44805 44807 44809 44866 44867 44869 44879 44892 44894")
		assert.Equal(t, codes, d.PostalCodes())
		for _, c := range codes {
			ds, err := d.Candidates(c)
			require.NoError(t, err, c)
			assert.NotEmpty(t, ds, c)
		}
	})
	t.Run("44791 lies in Mitte and Nord", func(t *testing.T) {
		ds, err := d.Candidates("44791")
		require.NoError(t, err)
		assert.Equal(t, []string{"I", "III"}, ids(ds))
	})
}

func ids(ds []district.District) []string {
	out := make([]string, len(ds))
	for i, x := range ds {
		out[i] = x.ID
	}
	return out
}

func TestResolveBochum(t *testing.T) {
	d := bochum(t)
	tests := []struct {
		name     string
		addr     geo.Address
		district string
	}{
		{"a unique code decides alone", geo.Address{Street: "Willy-Brandt-Platz", HouseNumber: "2", PostalCode: "44787"}, "I"},
		{"Wattenscheid codes go to II", geo.Address{Street: "Hochstraße", HouseNumber: "1", PostalCode: "44866"}, "II"},
		{"44805 goes to Nord", geo.Address{Street: "Irgendweg", PostalCode: "44805"}, "III"},
		{"44892 goes to Ost", geo.Address{Street: "Irgendweg", PostalCode: "44892"}, "IV"},
		{"44801 goes to Süd", geo.Address{Street: "Irgendweg", PostalCode: "44801"}, "V"},
		{"44879 goes to Südwest", geo.Address{Street: "Irgendweg", PostalCode: "44879"}, "VI"},
		{"a split code is decided by a whole-street rule", geo.Address{Street: "Harpener Hellweg", HouseNumber: "5", PostalCode: "44791"}, "III"},
		{"a whole-street rule needs no house number", geo.Address{Street: "Nordring", PostalCode: "44791"}, "I"},
		{"a low number of a divided street goes to one side", geo.Address{Street: "Castroper Straße", HouseNumber: "120", PostalCode: "44791"}, "I"},
		{"a high number of a divided street goes to the other", geo.Address{Street: "Castroper Str.", HouseNumber: "250a", PostalCode: "44791"}, "III"},
		{"the street spelling does not matter", geo.Address{Street: "CASTROPER STRASSE", HouseNumber: "199", PostalCode: "44791"}, "I"},
		{"a house number inside the street line is found", geo.Address{Street: "Castroper Straße 200", PostalCode: "44791"}, "III"},
		{"odd numbers of a border street go to one side", geo.Address{Street: "Universitätsstraße", HouseNumber: "13", PostalCode: "44799"}, "I"},
		{"even numbers of a border street go to the other", geo.Address{Street: "Universitätsstraße", HouseNumber: "14", PostalCode: "44799"}, "V"},
		{"beyond the border stretch the street is in Süd", geo.Address{Street: "Universitaetsstrasse", HouseNumber: "61", PostalCode: "44799"}, "V"},
		{"a surrounding space in the code is ignored", geo.Address{Street: "x", PostalCode: " 44807 "}, "I"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Resolve(tc.addr)
			require.NoError(t, err)
			assert.Equal(t, tc.district, got.ID)
		})
	}

	ambiguous := []struct {
		name       string
		addr       geo.Address
		candidates []string
	}{
		{"a street without rules in a split code", geo.Address{Street: "Unbekannte Straße", HouseNumber: "1", PostalCode: "44791"}, []string{"I", "III"}},
		{"a divided street without a house number", geo.Address{Street: "Castroper Straße", PostalCode: "44791"}, []string{"I", "III"}},
		{"a divided street in the other split code", geo.Address{Street: "Wittener Straße", PostalCode: "44803"}, []string{"I", "IV"}},
		{"a street of another split code", geo.Address{Street: "Königsallee", HouseNumber: "5", PostalCode: "44793"}, []string{"I", "VI"}},
	}
	for _, tc := range ambiguous {
		t.Run("it does not guess "+tc.name, func(t *testing.T) {
			_, err := d.Resolve(tc.addr)
			require.ErrorIs(t, err, district.ErrAmbiguous)
			var ae *district.AmbiguousError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.candidates, ids(ae.Candidates))
			assert.NotContains(t, err.Error(), tc.addr.Street, "the error keeps the address to itself")
			assert.NotContains(t, err.Error(), tc.addr.PostalCode)
		})
	}

	for _, code := range []string{"10115", "", "4478", "abcde"} {
		t.Run(fmt.Sprintf("it rejects the unknown postal code %q", code), func(t *testing.T) {
			_, err := d.Resolve(geo.Address{Street: "Hauptstraße", PostalCode: code})
			require.ErrorIs(t, err, district.ErrUnknownPostalCode)
			_, err = d.Candidates(code)
			require.ErrorIs(t, err, district.ErrUnknownPostalCode)
		})
	}
}

func TestSecondCity(t *testing.T) {
	d := loadFile(t, "testdata/musterstadt.json")
	tests := []struct {
		name, street, number, want string
	}{
		{"odd numbers of the Lange Straße are Nord", "Lange Straße", "7", "nord"},
		{"even numbers of the Lange Straße are Süd", "Lange Strasse", "8b", "sued"},
		{"the Kaiweg is in Hafen", "Kaiweg", "", "hafen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Resolve(geo.Address{Street: tc.street, HouseNumber: tc.number, PostalCode: "12346", City: "Musterstadt"})
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.ID)
		})
	}
	t.Run("a split code into three districts lists all three when undecided, by number", func(t *testing.T) {
		_, err := d.Resolve(geo.Address{Street: "Lange Straße", PostalCode: "12346"})
		var ae *district.AmbiguousError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, []string{"nord", "sued", "hafen"}, ids(ae.Candidates))
	})
	t.Run("Get finds a district by id", func(t *testing.T) {
		x, ok := d.Get("hafen")
		require.True(t, ok)
		assert.Equal(t, 3, x.Number)
		_, ok = d.Get("mitte")
		assert.False(t, ok)
	})
}

func TestNew(t *testing.T) {
	good := []district.District{{ID: "I", Number: 1, Name: "Mitte"}, {ID: "II", Number: 2, Name: "Nord"}}
	tests := []struct {
		name      string
		districts []district.District
		rules     []district.PostalRule
		field     string
		code      problem.Code
	}{
		{"no districts", nil, nil, "districts", district.CodeEmpty},
		{"a district without id", []district.District{{Number: 1, Name: "x"}}, nil, "districts[0].id", district.CodeIDMissing},
		{"a repeated id", []district.District{good[0], {ID: "I", Number: 2, Name: "y"}}, nil, "districts[1].id", district.CodeIDDuplicate},
		{"a number below 1", []district.District{{ID: "I", Name: "x"}}, nil, "districts[0].number", district.CodeNumberInvalid},
		{"a repeated number", []district.District{good[0], {ID: "II", Number: 1, Name: "y"}}, nil, "districts[1].number", district.CodeNumberDuplicate},
		{"a district without name", []district.District{{ID: "I", Number: 1}}, nil, "districts[0].name", district.CodeNameMissing},
		{"a malformed postal code", good, []district.PostalRule{{PostalCode: "4478", Districts: []string{"I"}}}, "postal_codes[0].postal_code", district.CodePostalCode},
		{"a repeated postal code", good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"I"}}, {PostalCode: "44787", Districts: []string{"II"}}}, "postal_codes[1].postal_code", district.CodePostalDuplicate},
		{"a code without districts", good, []district.PostalRule{{PostalCode: "44787"}}, "postal_codes[0].districts", district.CodeNoDistricts},
		{"a code with an unknown district", good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"IX"}}}, "postal_codes[0].districts[0]", district.CodeUnknownDistrict},
		{"a street rule for a district outside the code", good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"I"}, Streets: []district.StreetRule{{Street: "A", District: "II"}}}}, "postal_codes[0].streets[0].district", district.CodeStreetDistrict},
		{"a street rule without street", good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"I"}, Streets: []district.StreetRule{{Street: " - ", District: "I"}}}}, "postal_codes[0].streets[0].street", district.CodeStreetMissing},
		{"a reversed range", good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"I"}, Streets: []district.StreetRule{{Street: "A", District: "I", From: 9, To: 3}}}}, "postal_codes[0].streets[0].from", district.CodeRange},
		{"overlapping rules for different districts", good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"I", "II"}, Streets: []district.StreetRule{
			{Street: "A-Straße", District: "I", To: 10}, {Street: "A-Str.", District: "II", From: 10}}}}, "postal_codes[0].streets[1]", district.CodeOverlap},
		{"a whole-street rule beside a part rule", good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"I", "II"}, Streets: []district.StreetRule{
			{Street: "A", District: "I", Parity: district.Even}, {Street: "A", District: "II"}}}}, "postal_codes[0].streets[1]", district.CodeOverlap},
	}
	for _, tc := range tests {
		t.Run("it rejects "+tc.name, func(t *testing.T) {
			_, err := district.New(tc.districts, tc.rules)
			require.ErrorIs(t, err, problem.ErrInvalid)
			require.ErrorIs(t, err, district.ErrInvalid)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has(tc.field, tc.code), "got %v", l)
		})
	}
	t.Run("it accepts even and odd sides and adjacent ranges", func(t *testing.T) {
		_, err := district.New(good, []district.PostalRule{{PostalCode: "44787", Districts: []string{"I", "II"}, Streets: []district.StreetRule{
			{Street: "A", District: "I", Parity: district.Even}, {Street: "A", District: "II", Parity: district.Odd},
			{Street: "B", District: "I", To: 9}, {Street: "B", District: "II", From: 10},
			{Street: "C", District: "I", From: 4, To: 4, Parity: district.Even}, {Street: "C", District: "II", From: 3, To: 5, Parity: district.Odd},
		}}})
		require.NoError(t, err)
	})
	t.Run("it reports every problem at once", func(t *testing.T) {
		_, err := district.New([]district.District{{}}, []district.PostalRule{{PostalCode: "x"}})
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.GreaterOrEqual(t, len(l), 5)
	})
}

func TestLoadRejectsMalformedFiles(t *testing.T) {
	tests := []struct{ name, json string }{
		{"not JSON", "{"},
		{"an unknown field", `{"districts": [], "postal_code": []}`},
		{"a wrong type", `{"districts": [{"id": 1}]}`},
		{"a bad parity", `{"districts": [{"id":"I","number":1,"name":"M"}], "postal_codes": [{"postal_code":"44787","districts":["I"],"streets":[{"street":"A","district":"I","parity":"both"}]}]}`},
		{"trailing data", `{"districts": [{"id":"I","number":1,"name":"M"}]} {}`},
		{"an empty file", ""},
	}
	for _, tc := range tests {
		t.Run("it rejects "+tc.name, func(t *testing.T) {
			_, err := district.Load(strings.NewReader(tc.json))
			require.ErrorIs(t, err, district.ErrFormat)
		})
	}
	t.Run("it rejects a file larger than the limit", func(t *testing.T) {
		_, err := district.Load(bytes.NewReader(bytes.Repeat([]byte(" "), district.MaxFileBytes+1)))
		require.ErrorIs(t, err, district.ErrFormat)
	})
	t.Run("it reports rule problems as a list", func(t *testing.T) {
		_, err := district.Load(strings.NewReader(`{"districts": [{"id":"I","number":1,"name":"M"}], "postal_codes": [{"postal_code":"44787","districts":["II"]}]}`))
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("postal_codes[0].districts[0]", district.CodeUnknownDistrict))
	})
}

func TestMessages(t *testing.T) {
	tr := problem.NewTranslator(district.Messages)
	for _, code := range district.AllCodes() {
		for _, lang := range []string{"de", "en"} {
			t.Run(fmt.Sprintf("%s has a %s text", code, lang), func(t *testing.T) {
				_, ok := district.Messages[lang][code]
				assert.True(t, ok)
				assert.NotEqual(t, string(code), tr.Message(problem.Problem{Code: code}, lang))
			})
		}
	}
}

func FuzzDistrictLoad(f *testing.F) {
	for _, p := range []string{"../municipality/bochum/districts.json", "testdata/musterstadt.json"} {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{"districts":[{"id":"I","number":1,"name":"M"}],"postal_codes":[{"postal_code":"44787","districts":["I","I"]}]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := district.Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		// A loaded directory resolves every code it knows without panicking,
		// and unique codes always decide.
		for _, code := range d.PostalCodes() {
			ds, err := d.Candidates(code)
			require.NoError(t, err)
			got, err := d.Resolve(geo.Address{Street: "Teststraße", HouseNumber: "1", PostalCode: code})
			if len(ds) == 1 {
				require.NoError(t, err)
				require.Equal(t, ds[0], got)
			} else if err != nil {
				require.ErrorIs(t, err, district.ErrAmbiguous)
			}
		}
	})
}
