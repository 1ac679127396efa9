package municipality_test

import (
	"errors"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/problem"
)

// TestFictitiousCity loads Musterstadt, a clearly fictitious city whose Kita
// year starts on 1 September, with three choices and other hours, to prove
// that nothing Bochum-specific is hard-coded.
func TestFictitiousCity(t *testing.T) {
	p, err := municipality.Load(os.DirFS("testdata/musterstadt"))
	require.NoError(t, err)
	bo, err := bochum.Profile()
	require.NoError(t, err)

	t.Run("the Kita year follows the city's calendar, not NRW's", func(t *testing.T) {
		y := p.Registration.Calendar.YearOf(date.New(2027, time.August, 31))
		assert.Equal(t, "2026/2027", y.Label())
		assert.Equal(t, date.New(2027, time.August, 31), y.Last())
		assert.Equal(t, "2027/2028", p.Registration.Calendar.YearOf(date.New(2027, time.September, 1)).Label())
		assert.Equal(t, "2027/2028", bo.Registration.Calendar.YearOf(date.New(2027, time.August, 31)).Label())
	})
	t.Run("school entry follows the city's cut-off", func(t *testing.T) {
		cal := p.Registration.Calendar
		assert.Equal(t, date.New(2028, time.September, 1), cal.SchoolEntry(date.New(2022, time.June, 30)))
		assert.Equal(t, date.New(2029, time.September, 1), cal.SchoolEntry(date.New(2022, time.July, 1)))
	})
	t.Run("choices, hours and districts are the city's", func(t *testing.T) {
		assert.Equal(t, 3, p.Registration.MaxChoices)
		assert.True(t, p.Registration.Hours.Allows(20))
		assert.False(t, p.Registration.Hours.Allows(45))
		assert.NotEqual(t, len(bo.Districts.All()), len(p.Districts.All()))
	})
}

func TestLoadReportsEveryProblem(t *testing.T) {
	fsys := fstest.MapFS{
		"profile.json": {Data: []byte(`{"name": "", "time_zone": "Mars/Olympus"}`)},
		"offices.json": {Data: []byte(`not json`)},
	}
	_, err := municipality.Load(fsys)
	var list problem.List
	require.ErrorAs(t, err, &list)
	assert.ErrorIs(t, err, municipality.ErrProfile)
	assert.True(t, list.Has("profile.json: time_zone", "municipality.time_zone"))
	assert.True(t, list.Has("districts.json", "municipality.file_missing"))
	assert.True(t, list.Has("fees.json", "municipality.file_missing"))
	assert.True(t, list.Has("offices.json", "municipality.malformed"))
}

// FuzzLoad feeds arbitrary profile.json and offices.json files, beside a
// valid rest, to Load: it never panics, and a profile it returns validates.
func FuzzLoad(f *testing.F) {
	base := map[string][]byte{}
	for _, name := range []string{"profile.json", "districts.json", "offices.json", "fees.json"} {
		b, err := os.ReadFile("testdata/musterstadt/" + name)
		if err != nil {
			f.Fatal(err)
		}
		base[name] = b
	}
	f.Add(base["profile.json"], base["offices.json"])
	f.Add([]byte(`{"name":"X","time_zone":"Europe/Berlin","registration":{"max_choices":-1}}`), []byte(`[{}]`))
	f.Add([]byte(`{"registration":{"calendar":{"year_start":{"month":2,"day":29}}}}`), []byte(`[]`))
	f.Add([]byte(`null`), []byte(`null`))
	f.Fuzz(func(t *testing.T, profile, offices []byte) {
		fsys := fstest.MapFS{
			"profile.json":   {Data: profile},
			"districts.json": {Data: base["districts.json"]},
			"offices.json":   {Data: offices},
			"fees.json":      {Data: base["fees.json"]},
		}
		p, err := municipality.Load(fsys)
		if err != nil {
			if !errors.Is(err, problem.ErrInvalid) {
				t.Fatalf("Load error is not a problem list: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Load returned a profile that does not validate: %v", err)
		}
	})
}
