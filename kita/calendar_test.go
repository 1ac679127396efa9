package kita_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

func d(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }

// september is a fictitious state: Kita year 1 September to 31 August,
// school for children who turn 6 by 30 June, starting 1 September.
var september = kita.Calendar{
	YearStart:    kita.MonthDay{Month: time.September, Day: 1},
	SchoolAge:    6,
	SchoolCutoff: kita.MonthDay{Month: time.June, Day: 30},
	SchoolStart:  kita.MonthDay{Month: time.September, Day: 1},
}

func TestYearOf(t *testing.T) {
	tests := []struct {
		name  string
		cal   kita.Calendar
		day   date.Date
		label string
		first date.Date
		last  date.Date
	}{
		{"31 July is the last day of the NRW year", kita.NRW, d(2021, 7, 31), "2020/2021", d(2020, 8, 1), d(2021, 7, 31)},
		{"1 August begins the next NRW year", kita.NRW, d(2021, 8, 1), "2021/2022", d(2021, 8, 1), d(2022, 7, 31)},
		{"1 January lies in the year begun the August before", kita.NRW, d(2024, 1, 1), "2023/2024", d(2023, 8, 1), d(2024, 7, 31)},
		{"29 February lies in its year", kita.NRW, d(2024, 2, 29), "2023/2024", d(2023, 8, 1), d(2024, 7, 31)},
		{"31 August ends a September year", september, d(2021, 8, 31), "2020/2021", d(2020, 9, 1), d(2021, 8, 31)},
		{"1 September begins a September year", september, d(2021, 9, 1), "2021/2022", d(2021, 9, 1), d(2022, 8, 31)},
		{"1 August is still in the old September year", september, d(2021, 8, 1), "2020/2021", d(2020, 9, 1), d(2021, 8, 31)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := tc.cal.YearOf(tc.day)
			assert.Equal(t, tc.label, y.Label())
			assert.Equal(t, tc.first, y.First())
			assert.Equal(t, tc.last, y.Last())
			assert.True(t, y.Contains(tc.day))
			assert.False(t, y.Contains(y.First().Add(-1)))
			assert.False(t, y.Contains(y.Last().Add(1)))
		})
	}
}

func TestYearNextPrev(t *testing.T) {
	y := kita.NRW.YearStarting(2024)
	t.Run("Next follows on the day after Last", func(t *testing.T) {
		assert.Equal(t, y.Last().Add(1), y.Next().First())
		assert.Equal(t, "2025/2026", y.Next().Label())
	})
	t.Run("Prev ends the day before First", func(t *testing.T) {
		assert.Equal(t, y.First().Add(-1), y.Prev().Last())
		assert.Equal(t, "2023/2024", y.Prev().Label())
	})
	t.Run("Next and Prev undo each other and years compare with ==", func(t *testing.T) {
		assert.Equal(t, y, y.Next().Prev())
		assert.True(t, y.Prev().Before(y))
		assert.False(t, y.Before(y))
		assert.Equal(t, 2024, y.StartYear())
	})
	t.Run("the zero year is unset", func(t *testing.T) {
		var z kita.Year
		assert.True(t, z.IsZero())
		assert.Empty(t, z.Label())
		assert.False(t, z.Contains(d(1970, 1, 1)))
	})
}

func TestParseYear(t *testing.T) {
	for _, label := range []string{"2020/2021", "2020/21", " 2020/21 ", "1999/00", "1999/2000"} {
		t.Run(fmt.Sprintf("it reads %q", label), func(t *testing.T) {
			y, err := kita.NRW.ParseYear(label)
			require.NoError(t, err)
			back, err := kita.NRW.ParseYear(y.Label())
			require.NoError(t, err)
			assert.Equal(t, y, back, "the label round-trips")
			assert.Equal(t, y.First().Month(), time.August)
		})
	}
	for _, label := range []string{"", "2020", "2020/2022", "2020/22", "2020-2021", "20/21", "2020/+1", "202a/21", "+202/21", "1899/1900", "2020/2021/2022", "2020/ 21"} {
		t.Run(fmt.Sprintf("it rejects %q", label), func(t *testing.T) {
			_, err := kita.NRW.ParseYear(label)
			require.ErrorIs(t, err, kita.ErrYearLabel)
		})
	}
	t.Run("it rejects labels of a calendar whose year starts on 1 January", func(t *testing.T) {
		c := kita.NRW
		c.YearStart = kita.MonthDay{Month: time.January, Day: 1}
		_, err := c.ParseYear("2020/2021")
		require.ErrorIs(t, err, kita.ErrYearLabel)
	})
	t.Run("a September calendar parses to its own first day", func(t *testing.T) {
		y, err := september.ParseYear("2020/21")
		require.NoError(t, err)
		assert.Equal(t, d(2020, 9, 1), y.First())
	})
}

func TestSchoolEntry(t *testing.T) {
	tests := []struct {
		name   string
		cal    kita.Calendar
		birth  date.Date
		entry  date.Date
		kitaTo date.Date
	}{
		{"a child turning 6 on 30 September starts school that August", kita.NRW, d(2019, 9, 30), d(2025, 8, 1), d(2025, 7, 31)},
		{"a child turning 6 on 1 October starts a year later", kita.NRW, d(2019, 10, 1), d(2026, 8, 1), d(2026, 7, 31)},
		{"a child turning 6 on 1 January starts that August", kita.NRW, d(2019, 1, 1), d(2025, 8, 1), d(2025, 7, 31)},
		{"a child born on 29 February turns 6 on 1 March", kita.NRW, d(2020, 2, 29), d(2026, 8, 1), d(2026, 7, 31)},
		{"a September-state child turning 6 on 30 June starts that September", september, d(2019, 6, 30), d(2025, 9, 1), d(2025, 8, 31)},
		{"a September-state child turning 6 on 1 July starts a year later", september, d(2019, 7, 1), d(2026, 9, 1), d(2026, 8, 31)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.entry, tc.cal.SchoolEntry(tc.birth))
			assert.Equal(t, tc.kitaTo, tc.cal.KitaEnd(tc.birth))
			assert.False(t, tc.cal.SchoolAgeOn(tc.birth, tc.kitaTo))
			assert.True(t, tc.cal.SchoolAgeOn(tc.birth, tc.entry))
		})
	}
}

func TestYearsUntilSchool(t *testing.T) {
	tests := []struct {
		name   string
		birth  date.Date
		from   date.Date
		labels []string
	}{
		{"a child starting at 3 has three Kita years", d(2019, 9, 30), d(2022, 9, 30), []string{"2022/2023", "2023/2024", "2024/2025"}},
		{"a 1 October birthday adds a year", d(2019, 10, 1), d(2022, 10, 1), []string{"2022/2023", "2023/2024", "2024/2025", "2025/2026"}},
		{"the last day before school still counts its year", d(2019, 9, 30), d(2025, 7, 31), []string{"2024/2025"}},
		{"a child of school age has none", d(2019, 9, 30), d(2025, 8, 1), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var labels []string
			for _, y := range kita.NRW.YearsUntilSchool(tc.birth, tc.from) {
				labels = append(labels, y.Label())
			}
			assert.Equal(t, tc.labels, labels)
		})
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		name      string
		birth, on date.Date
		want      kita.Age
	}{
		{"the day before the first birthday is 0;11", d(2020, 8, 1), d(2021, 7, 31), kita.Age{Years: 0, Months: 11}},
		{"the first birthday is 1;00", d(2020, 8, 1), d(2021, 8, 1), kita.Age{Years: 1}},
		{"a 29 February child is not yet 1 on 28 February", d(2020, 2, 29), d(2021, 2, 28), kita.Age{Months: 11}},
		{"a 29 February child is 1 on 1 March", d(2020, 2, 29), d(2021, 3, 1), kita.Age{Years: 1}},
		{"a 29 February child is 4 on 29 February", d(2020, 2, 29), d(2024, 2, 29), kita.Age{Years: 4}},
		{"a 31 January child completes a month on 1 March", d(2021, 1, 31), d(2021, 3, 1), kita.Age{Months: 1}},
		{"a 31 January child has no month on 28 February", d(2021, 1, 31), d(2021, 2, 28), kita.Age{}},
		{"before birth the age is zero", d(2021, 1, 31), d(2020, 2, 28), kita.Age{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, kita.AgeOn(tc.birth, tc.on))
		})
	}
	t.Run("anniversaries of a 29 February child fall on 1 March in common years", func(t *testing.T) {
		assert.Equal(t, d(2021, 3, 1), kita.Anniversary(d(2020, 2, 29), 1))
		assert.Equal(t, d(2024, 2, 29), kita.Anniversary(d(2020, 2, 29), 4))
		assert.Equal(t, d(2021, 3, 1), kita.ClaimDate(d(2020, 2, 29)))
	})
	t.Run("the band changes on the third birthday", func(t *testing.T) {
		assert.Equal(t, kita.Under3, kita.BandOn(d(2020, 8, 1), d(2023, 7, 31)))
		assert.Equal(t, kita.From3, kita.BandOn(d(2020, 8, 1), d(2023, 8, 1)))
		assert.Equal(t, "2;05", kita.Age{Years: 2, Months: 5}.String())
	})
}

func TestCalendarValidate(t *testing.T) {
	require.NoError(t, kita.NRW.Validate())
	require.NoError(t, september.Validate())
	bad := kita.Calendar{YearStart: kita.MonthDay{Month: time.February, Day: 29}, SchoolAge: 2,
		SchoolCutoff: kita.MonthDay{Month: 13, Day: 1}, SchoolStart: kita.MonthDay{Month: time.April, Day: 31}}
	err := bad.Validate()
	require.ErrorIs(t, err, kita.ErrCalendar)
	var l problem.List
	require.ErrorAs(t, err, &l)
	assert.Len(t, l, 4, "every setting is reported")
}

func FuzzParseYear(f *testing.F) {
	for _, s := range []string{"2020/2021", "2020/21", "1999/00", "", "2020/+1", "９９９９/10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, err := kita.NRW.ParseYear(s)
		if err != nil {
			require.ErrorIs(t, err, kita.ErrYearLabel)
			return
		}
		back, err := kita.NRW.ParseYear(y.Label())
		require.NoError(t, err)
		require.Equal(t, y, back)
		require.True(t, y.Contains(y.First()) && y.Contains(y.Last()))
	})
}

func ExampleCalendar_YearOf() {
	y := kita.NRW.YearOf(date.New(2025, time.March, 14))
	fmt.Println(y.Label(), y.First().Format("02.01.2006"), y.Last().Format("02.01.2006"))
	fmt.Println(kita.NRW.YearOf(date.New(2025, time.August, 1)))
	// Output:
	// 2024/2025 01.08.2024 31.07.2025
	// 2025/2026
}

func ExampleCalendar_SchoolEntry() {
	for _, birth := range []date.Date{date.New(2019, time.September, 30), date.New(2019, time.October, 1)} {
		fmt.Println("born", birth.Format("02.01.2006"),
			"school", kita.NRW.SchoolEntry(birth).Format("02.01.2006"),
			"Kita until", kita.NRW.KitaEnd(birth).Format("02.01.2006"))
	}
	// Output:
	// born 30.09.2019 school 01.08.2025 Kita until 31.07.2025
	// born 01.10.2019 school 01.08.2026 Kita until 31.07.2026
}

func TestParseDate(t *testing.T) {
	t.Run("a calendar date written YYYY-MM-DD is read", func(t *testing.T) {
		d, err := kita.ParseDate("2028-02-29")
		require.NoError(t, err)
		assert.Equal(t, date.New(2028, time.February, 29), d)
	})
	for _, s := range []string{"2025-02-29", "2025-13-01", "2025-1-01", "00000-00", "0000000-", "", "2025-02-28T00:00", "28.02.2025", "2025-02-28 "} {
		t.Run("refuses "+strconv.Quote(s)+" without rolling it over or panicking", func(t *testing.T) {
			_, err := kita.ParseDate(s)
			assert.ErrorIs(t, err, kita.ErrDate)
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-08-01", "00000-00", "0000000-", "2025-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := kita.ParseDate(s)
		if err == nil && d.Format(time.DateOnly) != s {
			t.Fatalf("%q read as %s", s, d)
		}
	})
}
