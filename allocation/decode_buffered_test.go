package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/problem"
)

// requireDecodesLikeDecode checks that DecodeBuffered, DecodeFile (with
// withFile) and the parallel path cut into parts of several sizes give
// exactly Decode's instance or problems for data. It returns whether the
// parallel path took data.
func requireDecodesLikeDecode(t testing.TB, data []byte, withFile bool) (parallel bool) {
	t.Helper()
	want, wantErr := Decode(bytes.NewReader(data))
	decoders := []func() (Instance, error){
		func() (Instance, error) { return DecodeBuffered(bytes.NewReader(data)) },
	}
	if withFile {
		path := filepath.Join(t.TempDir(), "instance.json")
		require.NoError(t, os.WriteFile(path, data, 0o600))
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		decoders = append(decoders, func() (Instance, error) { return DecodeFile(f) })
	}
	for _, decode := range decoders {
		got, gotErr := decode()
		if wantErr != nil {
			var wantList, gotList problem.List
			require.ErrorAs(t, wantErr, &wantList)
			require.ErrorAs(t, gotErr, &gotList)
			require.Equal(t, wantList, gotList)
		} else {
			require.NoError(t, gotErr)
			require.Equal(t, want, got)
		}
	}
	parallel = true
	for _, size := range []int{1, 16, 200, partSize} {
		inst, ok := decodeParts(data, size, false)
		if !ok {
			parallel = false
			continue
		}
		require.NoError(t, wantErr, "the parallel path took an input Decode refuses (parts of %d bytes)", size)
		require.Equal(t, want, inst, "parts of %d bytes", size)
	}
	return parallel
}

// oneApplicantPerLine writes inst as `kitaportal simulate` does: one
// applicant per line.
func oneApplicantPerLine(t testing.TB, inst Instance) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(`{"applicants":[`)
	for i, a := range inst.Applicants {
		line, err := json.Marshal(a)
		require.NoError(t, err)
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.Write(line)
	}
	rest, err := json.Marshal(struct {
		Facilities []Facility        `json:"facilities"`
		Families   []Family          `json:"families,omitempty"`
		Format     string            `json:"format,omitempty"`
		Policy     Policy            `json:"policy"`
		Fixed      map[string]string `json:"fixed,omitempty"`
	}{inst.Facilities, inst.Families, inst.Format, inst.Policy, inst.Fixed})
	require.NoError(t, err)
	b.WriteString("\n],\n")
	b.Write(rest[1:])
	b.WriteString("\n")
	return b.Bytes()
}

func TestDecodeBufferedDecodesGeneratedInstancesInParallelLikeDecode(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec genSpec
	}{
		{"a city with band quotas", genSpec{applicants: 300, facilities: 12, choices: 5, capacity: 250, bands: true}},
		{"a city with explicit priority orders", genSpec{applicants: 200, facilities: 8, choices: 3, capacity: 150, explicit: true}},
		{"a city with families", genSpec{applicants: 300, facilities: 10, choices: 4, capacity: 250, families: 30}},
		{"a city with pools by hours and months", genSpec{applicants: 300, facilities: 10, choices: 4, capacity: 250, hours: true, months: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inst := generate(tc.spec, 7)
			inst.Fixed = map[string]string{inst.Applicants[0].ID: inst.Facilities[0].ID}
			compact, err := json.Marshal(inst)
			require.NoError(t, err)
			indented, err := json.MarshalIndent(inst, "", "  ")
			require.NoError(t, err)
			for _, data := range [][]byte{compact, indented, oneApplicantPerLine(t, inst)} {
				require.True(t, requireDecodesLikeDecode(t, data, true), "the parallel path refused a valid instance")
			}
		})
	}
}

func TestDecodeBufferedGivesDecodesInstanceOrProblems(t *testing.T) {
	for _, tc := range []struct {
		name     string
		data     string
		parallel bool // the parallel path takes it
	}{
		{"an empty applicants array", `{"applicants":[]}`, true},
		{"an empty applicants array with white space", `{"applicants":[ ] }`, true},
		{"null applicants", `{"applicants":null}`, false},
		{"a null applicant", `{"applicants":[null,{"id":"a"}]}`, true},
		{"empty applicants", `{"applicants":[{},{ }]}`, true},
		{"white space everywhere", " {\"applicants\" : [ { \"id\" : \"a\" , \"choices\" : [ \"k\" , null ] } ,\n\t{ \"id\":\"b\"} ] , \"facilities\":[{\"id\":\"k\",\"capacity\":1}]} \n", true},
		{"members before the applicants", `{"format":"kitaportal.allocation/v2","meta":{"x":"]},{\"","y":[{}]},"facilities":[{"id":"k","capacity":1}],"applicants":[{"id":"a","choices":["k"]}],"policy":{"lottery":"per_child"}}`, true},
		{"a string that looks like a boundary", `{"applicants":[{"id":"},{"},{"id":"b","district":"}, {\"id\""},{"id":"c"}]}`, true},
		{"escapes and umlauts in values", `{"applicants":[{"id":"a\u00fc\n","district":"Gr\u00fcnau","start":"Süd"}]}`, true},
		{"every member null", `{"applicants":[{"id":null,"choices":null,"band":null,"working_parents":null,"single_parent":null,"hardship":null,"birth_date":null,"registered_at":null,"district":null,"resident":null,"siblings":null,"start":null}]}`, true},
		{"every member set", `{"applicants":[{"id":"a","choices":["k","l"],"band":"u3","working_parents":true,"single_parent":false,"hardship":true,"birth_date":"2024-02-29","registered_at":"2025-01-01T09:30:00+01:00","district":"Mitte","resident":true,"siblings":["k"],"start":"2026-11"}]}`, true},
		{"empty siblings and choices", `{"applicants":[{"choices":[],"siblings":[]}]}`, true},
		{"choices with hours", `{"applicants":[{"choices":[{"kita":"k","hours":[35,null,-0]},"l",null,{},{"hours":null},{"kita":"m","hours":[]},{"hours":[45],"kita":"n"}]}]}`, true},
		{"data after the instance", `{"applicants":[{"id":"a"}]} x`, false},
		{"a brace too many", `{"applicants":[{"id":"a"}]}}`, false},
		{"a truncated file", `{"applicants":[{"id":"a"},{"id":"b"`, false},
		{"a comma after the last applicant", `{"applicants":[{"id":"a"},]}`, false},
		{"a comma after the last member", `{"applicants":[{"id":"a",}]}`, false},
		{"a comma after the last choice", `{"applicants":[{"choices":["k",]}]}`, false},
		{"an applicant given as an array", `{"applicants":[[]]}`, false},
		{"applicants given as an object", `{"applicants":{}}`, false},
		{"applicants given twice", `{"applicants":[{"id":"a"}],"applicants":[{"id":"b"}]}`, false},
		{"a member given twice", `{"applicants":[{"id":"a","id":"b"}]}`, false},
		{"a choice's member given twice", `{"applicants":[{"choices":[{"kita":"k","kita":"l"}]}]}`, false},
		{"an unknown member", `{"applicants":[{"id":"a","name":"x"}]}`, false},
		{"an unknown member after the applicants", `{"applicants":[{"id":"a"}],"x":1}`, false},
		{"an escaped member name", `{"applicants":[{"i\u0064":"a"}]}`, false},
		{"a member name in another case", `{"applicants":[{"ID":"a"}]}`, false},
		{"a lone surrogate", `{"applicants":[{"id":"\ud800"}]}`, false},
		{"a surrogate pair", `{"applicants":[{"id":"\ud83d\ude00"}]}`, true},
		{"invalid UTF-8", "{\"applicants\":[{\"id\":\"\xff\"}]}", false},
		{"a control character", "{\"applicants\":[{\"id\":\"a\tb\"}]}", false},
		{"a bad escape", `{"applicants":[{"id":"\x"}]}`, false},
		{"a number for a flag", `{"applicants":[{"working_parents":1}]}`, false},
		{"a misspelt literal", `{"applicants":[{"resident":nul}]}`, false},
		{"a literal run on", `{"applicants":[{"resident":truex}]}`, false},
		{"a number for an id", `{"applicants":[{"id":1}]}`, false},
		{"a string for the choices", `{"applicants":[{"choices":"k"}]}`, false},
		{"an unknown band", `{"applicants":[{"band":"u6"}]}`, true},
		{"a date without time", `{"applicants":[{"registered_at":"2025-01-01"}]}`, false},
		{"hours with a fraction", `{"applicants":[{"choices":[{"kita":"k","hours":[1.0]}]}]}`, false},
		{"hours with an exponent", `{"applicants":[{"choices":[{"kita":"k","hours":[1e2]}]}]}`, false},
		{"hours with a leading zero", `{"applicants":[{"choices":[{"kita":"k","hours":[01]}]}]}`, false},
		{"hours beyond int64", `{"applicants":[{"choices":[{"kita":"k","hours":[9223372036854775808]}]}]}`, false},
		{"hours at int64's bounds", `{"applicants":[{"choices":[{"kita":"k","hours":[9223372036854775807,-9223372036854775808]}]}]}`, true},
		{"the applicants last", `{"facilities":[{"id":"k","capacity":1}],"applicants":[{"id":"a","choices":["k"]}]}`, true},
		{"the applicants last, white space after", "{\"facilities\":[{\"id\":\"k\",\"capacity\":1}],\"applicants\":[{\"id\":\"a\",\"choices\":[\"k\"]} ] }\n", true},
		{"an escaped member name after the applicants", `{"applicants":[{"id":"a","choices":["k"]}],"polic\u0079":{"lottery":"per_child"},"facilities":[{"id":"k","capacity":1}]}`, true},
		{"a member of the instance inside an applicant", `{"applicants":[{"id":"a","siblings":[],"policy":{}}],"policy":{}}`, false},
		{"a byte order mark", "\ufeff{\"applicants\":[]}", false},
		{"an array, not an instance", `[{"id":"a"}]`, false},
		{"nothing", ``, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.parallel, requireDecodesLikeDecode(t, []byte(tc.data), true))
		})
	}
}

func TestDecodeBufferedSharesTheKitasStringsWithTheApplicantsAsDecodeDoes(t *testing.T) {
	inst := generate(genSpec{applicants: 3000, facilities: 40, choices: 4, capacity: 2500, bands: true}, 11)
	data := oneApplicantPerLine(t, inst)
	shared := func(inst Instance) (choices, districts int) {
		ids := make(map[*byte]bool)
		for _, f := range inst.Facilities {
			ids[unsafe.StringData(f.ID)] = true
			ids[unsafe.StringData(f.District)] = true
		}
		for _, a := range inst.Applicants {
			for _, c := range a.Choices {
				if ids[unsafe.StringData(c)] {
					choices++
				}
			}
			if ids[unsafe.StringData(a.District)] {
				districts++
			}
		}
		return choices, districts
	}
	want, err := Decode(bytes.NewReader(data))
	require.NoError(t, err)
	wantChoices, wantDistricts := shared(want)
	require.Equal(t, 3000*4, wantChoices, "Decode shares every choice with a Kita id")
	require.Positive(t, wantDistricts)
	got, err := DecodeBuffered(bytes.NewReader(data))
	require.NoError(t, err)
	choices, districts := shared(got)
	require.Equal(t, wantChoices, choices)
	require.Equal(t, wantDistricts, districts)
	for _, size := range []int{200, 4096} {
		got, ok := decodeParts(data, size, false)
		require.True(t, ok)
		choices, districts := shared(got)
		require.Equal(t, wantChoices, choices, "parts of %d bytes", size)
		require.Equal(t, wantDistricts, districts, "parts of %d bytes", size)
	}
}

// failingReader yields data, then fails.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestDecodeBufferedReportsAReadErrorAsDecodeDoes(t *testing.T) {
	data := []byte(`{"applicants":[{"id":"a"}`)
	broken := errors.New("disk gone")
	_, want := Decode(&failingReader{data, broken})
	_, got := DecodeBuffered(&failingReader{data, broken})
	var wantList, gotList problem.List
	require.ErrorAs(t, want, &wantList)
	require.ErrorAs(t, got, &gotList)
	require.Equal(t, wantList, gotList)
}

func TestDecodeFileSurvivesAFileCutShortWhileMapped(t *testing.T) {
	inst := generate(genSpec{applicants: 3000, facilities: 20, choices: 3, capacity: 2000}, 3)
	data := oneApplicantPerLine(t, inst)
	path := filepath.Join(t.TempDir(), "instance.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	defer f.Close()
	mapped, unmap, ok := mapFile(f)
	if !ok {
		t.Skip("files are not mapped on this system")
	}
	defer unmap()
	require.NoError(t, f.Truncate(0))
	_, ok = decodeMapped(mapped)
	require.False(t, ok, "a mapping of a file cut short decoded")
	_, err = DecodeFile(f)
	var list problem.List
	require.ErrorAs(t, err, &list, "an empty file is no instance")
}

// FuzzDecodeBufferedAgreesWithDecode: on any input, DecodeBuffered and the
// parallel path give exactly Decode's instance or problems.
func FuzzDecodeBufferedAgreesWithDecode(f *testing.F) {
	for seed := range uint64(4) {
		inst := generate(genSpec{applicants: 6, facilities: 3, choices: 3, capacity: 4, bands: seed%2 == 0, families: 30 * int(seed%2), hours: seed == 2, months: seed == 3}, seed)
		f.Add(oneApplicantPerLine(f, inst))
	}
	f.Add([]byte(`{"applicants":[{"id":"},{"},{"id":"b","district":"}, {\"id\""},null,{"id":"c","choices":[{"kita":"k","hours":[35,null]}]}]}`))
	f.Add([]byte(`{"meta":{"x":"]"},"applicants":[{"id":"a\u00fc"},{"i\u0064":"b"}],"facilities":[{"id":"k","capacity":1}]}`))
	f.Add([]byte(muensterHours))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !strings.Contains(string(data), "applicants") {
			return
		}
		requireDecodesLikeDecode(t, data, false)
	})
}
