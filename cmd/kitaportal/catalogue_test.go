package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/kita"
)

const (
	bochumFile = "../../municipality/bochum/testdata/bochum_daycare_centers.csv"
	geostadt   = "../../municipality/testdata/geostadt"
)

func TestCatalogueCommand(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		code        int
		stdout      []string
		stderr      []string
		emptyStdout bool
	}{
		{name: "catalogue needs check or import", args: []string{"catalogue", "-profile", "bochum"}, code: 2, stderr: []string{"check or import is required"}, emptyStdout: true},
		{name: "catalogue needs a profile and a file", args: []string{"catalogue", "check", "-csv", bochumFile}, code: 2, stderr: []string{"-profile and -csv are required"}, emptyStdout: true},
		{name: "import needs an output file", args: []string{"catalogue", "import", "-profile", "bochum", "-csv", bochumFile}, code: 2, stderr: []string{"-out is required"}, emptyStdout: true},
		{name: "check refuses an output file", args: []string{"catalogue", "check", "-profile", "bochum", "-csv", bochumFile, "-out", "x.json"}, code: 2, emptyStdout: true},
		{name: "a missing profile directory is named", args: []string{"catalogue", "check", "-profile", "testdata/nowhere", "-csv", bochumFile}, code: 1, stderr: []string{"testdata/nowhere", "profile.json"}, emptyStdout: true},
		{name: "check reads Bochum's real file with the shipped layout", args: []string{"catalogue", "check", "-profile", "bochum", "-csv", bochumFile}, code: 0,
			stdout: []string{"195 rows, 193 facilities, 2 rows merged", "defaults applied: capacity_o3 193, capacity_u3 193, hours 193, min_age_months 193",
				"to be maintained by the carriers: 193 facilities", "districts by: postal_code", "40 notices", "district: The Kita's district is not certain",
				"ok: the file can be imported (dry run, nothing changed)"}},
		{name: "check resolves districts by geometry where the profile has boundaries", args: []string{"catalogue", "check", "-profile", geostadt, "-csv", "testdata/geostadt-kitas.csv"}, code: 0,
			stdout: []string{"3 rows, 3 facilities", "districts by: geometry → streets → postal_code", "ok: the file can be imported"}},
		{name: "check names every plausibility problem with line and column", args: []string{"catalogue", "check", "-profile", geostadt, "-csv", "testdata/geostadt-kitas-bad.csv"}, code: 1,
			stdout: []string{"2 problems", "line 2: column Breite: Latitude and longitude are swapped.", "line 4: column Breite: The point lies outside the city (wgs84)."},
			stderr: []string{"2 problems, nothing imported"}},
		{name: "an explicit layout replaces the profile's", args: []string{"catalogue", "check", "-profile", "bochum", "-csv", bochumFile, "-layout", "testdata/boston.json"}, code: 1,
			stderr: []string{"boston.json"}, emptyStdout: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(tc.args...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			for _, s := range tc.stdout {
				assert.Contains(t, stdout, s)
			}
			for _, s := range tc.stderr {
				assert.Contains(t, stderr, s)
			}
			if tc.emptyStdout {
				assert.Empty(t, stdout)
			}
		})
	}

	t.Run("-json prints every facility with its WGS84 point and district", func(t *testing.T) {
		code, stdout, stderr := runArgs("catalogue", "check", "-profile", geostadt, "-csv", "testdata/geostadt-kitas.csv", "-json")
		require.Equal(t, 0, code, stderr)
		var doc struct {
			Report     kita.ImportReport `json:"report"`
			Facilities []facility        `json:"facilities"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
		assert.Equal(t, 3, doc.Report.Facilities)
		assert.True(t, doc.Report.DryRun)
		require.Len(t, doc.Facilities, 3)
		assert.Equal(t, facility{ID: "G3", Name: "Kita Insel", CarrierKind: "other", Lat: 50.075, Lon: 10.05, District: "hafen",
			Address: doc.Facilities[2].Address}, doc.Facilities[2], "a point in the hole of Nord lies in Hafen")
		assert.Equal(t, "Hafenstraße", doc.Facilities[2].Address.Street)
	})
	t.Run("import writes the catalogue only when the whole file is good", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "catalogue.json")
		code, _, stderr := runArgs("catalogue", "import", "-profile", geostadt, "-csv", "testdata/geostadt-kitas-bad.csv", "-out", out)
		require.Equal(t, 1, code)
		assert.Contains(t, stderr, "nothing imported")
		_, err := os.Stat(out)
		require.True(t, os.IsNotExist(err), "no file after a bad import")

		code, _, stderr = runArgs("catalogue", "import", "-profile", "bochum", "-csv", bochumFile, "-out", out)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stderr, "193 Kitas written")
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		var kitas []kita.Kita
		require.NoError(t, json.Unmarshal(data, &kitas))
		assert.Len(t, kitas, 193)
	})
}

func TestDistrictCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"a point inside a district", []string{"-profile", geostadt, "-point", "50.06,10.02"}, 0, "nord Nord (geometry, Nordstadt)\n", ""},
		{"a point in a hole", []string{"-profile", geostadt, "-point", "50.075, 10.05"}, 0, "hafen Hafen (geometry, Hafeninsel und Kai)\n", ""},
		{"a point outside the city", []string{"-profile", geostadt, "-point", "48.85,2.35"}, 1, "outside the city: not resident\n", ""},
		{"an address from the street directory", []string{"-profile", geostadt, "-address", "Hafenstr. 120, 12346 Geostadt"}, 0, "sued Süd (streets)\n", ""},
		{"an address from the postal-code table", []string{"-profile", "bochum", "-address", "Castroper Straße 250, 44791 Bochum"}, 0, "III Nord (postal_code)\n", ""},
		{"an undecidable address prints the candidates", []string{"-profile", "bochum", "-address", "Feldweg 3, 44791 Bochum"}, 1, "ambiguous: I Mitte, III Nord\n", ""},
		{"an address of another city", []string{"-profile", "bochum", "-address", "Königsallee 1, 40212 Düsseldorf"}, 1, "outside the city: not resident\n", ""},
		{"a point where the profile has no boundaries says so", []string{"-profile", "bochum", "-point", "51.4818,7.2162"}, 1, "", "no district boundaries"},
		{"neither address nor point", []string{"-profile", "bochum"}, 2, "", "-address or -point is required"},
		{"a malformed point", []string{"-profile", "bochum", "-point", "north"}, 2, "", "LAT,LON"},
		{"a malformed address", []string{"-profile", "bochum", "-address", "Bochum"}, 2, "", "Street 12, 44787 City"},
		{"no profile", []string{"-point", "51.4,7.2"}, 2, "", "-profile is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(append([]string{"district"}, tc.args...)...)
			assert.Equal(t, tc.code, code, "stderr: %s", stderr)
			assert.Equal(t, tc.stdout, stdout)
			assert.Contains(t, stderr, tc.stderr)
		})
	}
}
