package municipality_test

import (
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
