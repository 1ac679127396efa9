package contract_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBochumSampleScheduleLoads(t *testing.T) {
	s := bochumFees(t)
	assert.True(t, s.Sample, "the shipped schedule must be labelled a sample")
	assert.Contains(t, s.Note, "SAMPLE")
	assert.Equal(t, kita.AgeSplit(2), s.AgeSplit)
	assert.Equal(t, []kita.Hours{25, 35, 45}, s.Hours)
	require.Len(t, s.Periods, 2)
	assert.True(t, s.Periods[0].ExemptBelow.Equal(dec("25000")))
	assert.True(t, s.Periods[1].ExemptBelow.Equal(dec("40000")))
	assert.True(t, s.Periods[1].CutPercent.Equal(dec("25")))
	assert.True(t, s.Periods[1].ValidFrom.Equal(d(2025, time.August, 1)))
	last := s.Periods[1].Brackets[len(s.Periods[1].Brackets)-1]
	assert.True(t, last.From.Equal(dec("125000")) && last.To.IsZero(), "the top bracket is open above 125,000 €")

	t.Run("and survives a JSON round trip", func(t *testing.T) {
		b, err := json.Marshal(s)
		require.NoError(t, err)
		again, err := contract.LoadFeeSchedule(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Equal(t, len(s.Periods), len(again.Periods))
	})
}

// feeFreeByBrief is the rule as the law's wording puts it: fee-free from the
// Kita year beginning in the calendar year the child turns 4, if the 4th
// birthday is on or before 30 September, else from the next one.
func feeFreeByBrief(birth date.Date) date.Date {
	y := birth.Year() + 4
	if kita.Anniversary(birth, 4).After(d(y, time.September, 30)) {
		y++
	}
	return d(y, time.August, 1)
}

func TestFeeFreeYears(t *testing.T) {
	s := bochumFees(t)
	cases := []struct {
		name  string
		birth date.Date
		want  date.Date
	}{
		{"a child turning 4 on 30 September is fee-free from that 1 August", d(2021, time.September, 30), d(2025, time.August, 1)},
		{"a child turning 4 on 1 October waits one more year", d(2021, time.October, 1), d(2026, time.August, 1)},
		{"a child turning 4 in January is fee-free from the August after", d(2021, time.January, 15), d(2025, time.August, 1)},
		{"a child turning 4 on 1 August is fee-free from that day", d(2021, time.August, 1), d(2025, time.August, 1)},
		{"a leap-day child counts its birthday on 1 March", d(2020, time.February, 29), d(2024, time.August, 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, s.FeeFreeFrom(kita.NRW, c.birth))
		})
	}
	t.Run("the data rule agrees with the law's wording for every birthday of four years", func(t *testing.T) {
		for b := d(2019, time.January, 1); b.Before(d(2023, time.January, 1)); b = b.Add(1) {
			require.Equal(t, feeFreeByBrief(b), s.FeeFreeFrom(kita.NRW, b), "birth %s", b)
		}
	})
	t.Run("no fee-free years means none", func(t *testing.T) {
		s := s
		s.FeeFreeYearsBeforeSchool = 0
		assert.True(t, s.FeeFreeFrom(kita.NRW, d(2021, time.May, 1)).IsZero())
	})
}

func TestCalculate(t *testing.T) {
	s := bochumFees(t)
	base := contract.FeeQuery{
		Calendar: kita.NRW, BirthDate: d(2023, time.March, 15), Start: d(2024, time.August, 1),
		Hours: 35, Income: dec("52000"),
	}
	base.End = kita.NRW.KitaEnd(base.BirthDate)

	t.Run("the age split, the cut and the fee-free years each start a band", func(t *testing.T) {
		st, err := s.Calculate(base)
		require.NoError(t, err)
		got := bandsText(st)
		assert.Equal(t, []string{
			"01.08.2024–31.03.2025 150.00 0.00 under_split",
			"01.04.2025–31.07.2025 95.00 0.00 from_split",
			"01.08.2025–31.07.2027 71.25 0.00 from_split,cut",
			"01.08.2027–31.07.2029 0.00 0.00 fee_free_year",
		}, got)
		assert.Equal(t, 60, st.Months())
	})
	t.Run("a birthday on the first of a month switches that month", func(t *testing.T) {
		q := base
		q.BirthDate = d(2023, time.April, 1)
		q.End = d(2025, time.July, 31)
		st, err := s.Calculate(q)
		require.NoError(t, err)
		assert.Equal(t, d(2025, time.March, 31), st.Bands[0].To)
		assert.Equal(t, []contract.Reason{contract.ReasonFromSplit}, st.Bands[1].Reasons)
	})
	t.Run("an income below 40,000 € is exempt from August 2025 but not before", func(t *testing.T) {
		q := base
		q.Income = dec("39999.99")
		q.MealPlan = true
		st, err := s.Calculate(q)
		require.NoError(t, err)
		assert.Equal(t, []string{
			"01.08.2024–31.03.2025 100.00 65.00 under_split",
			"01.04.2025–31.07.2025 60.00 65.00 from_split",
			"01.08.2025–31.07.2027 0.00 70.00 exempt",
			"01.08.2027–31.07.2029 0.00 70.00 fee_free_year",
		}, bandsText(st))
	})
	t.Run("an income of exactly 25,000 € pays the first bracket", func(t *testing.T) {
		q := base
		q.Income = dec("25000")
		q.End = d(2024, time.August, 31)
		st, err := s.Calculate(q)
		require.NoError(t, err)
		assert.Equal(t, "55", st.Bands[0].Fee.String())
	})
	t.Run("a cut of 25 % is rounded half up to cents once", func(t *testing.T) {
		q := base
		q.Income = dec("200000")
		q.Hours = 25
		q.Start = d(2025, time.August, 1)
		q.End = d(2025, time.August, 31)
		st, err := s.Calculate(q)
		require.NoError(t, err)
		assert.Equal(t, "180", st.Bands[0].Fee.String()) // 240 × 0.75
	})
	t.Run("only the most expensive sibling pays", func(t *testing.T) {
		q := base
		q.End = d(2025, time.July, 31)
		q.Siblings = []contract.Sibling{{BirthDate: d(2021, time.May, 1), Hours: 45}}
		st, err := s.Calculate(q)
		require.NoError(t, err)
		// The sibling pays 130 € (45 h, from 2) and is fee-free from 1 August 2025.
		assert.Equal(t, []string{
			"01.08.2024–31.03.2025 150.00 0.00 under_split",
			"01.04.2025–31.07.2025 0.00 0.00 from_split,sibling_free",
		}, bandsText(st))
	})
	t.Run("a percentage off for further children", func(t *testing.T) {
		s := s
		s.Siblings = contract.PercentReduction
		s.SiblingPercent = dec("50")
		q := base
		q.End = d(2025, time.July, 31)
		q.Siblings = []contract.Sibling{{BirthDate: d(2021, time.May, 1), Hours: 45}}
		st, err := s.Calculate(q)
		require.NoError(t, err)
		assert.Equal(t, []string{
			"01.08.2024–31.03.2025 150.00 0.00 under_split",
			"01.04.2025–31.07.2025 47.50 0.00 from_split,sibling_reduced",
		}, bandsText(st))
	})
	t.Run("twins with equal fees: the one marked first pays", func(t *testing.T) {
		q := base
		q.End = d(2024, time.August, 31)
		q.Siblings = []contract.Sibling{{BirthDate: q.BirthDate, Hours: 35, First: true}}
		st, err := s.Calculate(q)
		require.NoError(t, err)
		assert.True(t, st.Bands[0].Fee.IsZero())
		q.Siblings[0].First, q.First = false, true
		st, err = s.Calculate(q)
		require.NoError(t, err)
		assert.Equal(t, "150", st.Bands[0].Fee.String())
	})
}

func bandsText(st contract.FeeStatement) []string {
	var out []string
	for _, b := range st.Bands {
		rs := make([]string, len(b.Reasons))
		for i, r := range b.Reasons {
			rs[i] = r.String()
		}
		out = append(out, b.From.Format("02.01.2006")+"–"+b.To.Format("02.01.2006")+" "+
			b.Fee.StringFixed(2)+" "+b.MealFee.StringFixed(2)+" "+strings.Join(rs, ","))
	}
	return out
}

func TestCalculateRejects(t *testing.T) {
	s := bochumFees(t)
	gap := bochumFees(t)
	gap.Periods[0].Brackets[0].To = dec("30000")
	gap.Periods[0].Brackets[1].From = dec("37000") // 30,000–37,000 uncovered
	limited := bochumFees(t)
	limited.ValidUntil = d(2026, time.July, 31)
	q := contract.FeeQuery{Calendar: kita.NRW, BirthDate: d(2023, time.March, 15), Start: d(2024, time.August, 1),
		End: d(2029, time.July, 31), Hours: 35, Income: dec("33000")}
	cases := []struct {
		name   string
		s      contract.FeeSchedule
		change func(*contract.FeeQuery)
		code   problem.Code
		rule   error
	}{
		{"an income in a bracket gap", gap, func(*contract.FeeQuery) {}, contract.CodeBracketGap, contract.ErrNotCovered},
		{"a contract beyond the schedule's last day", limited, func(*contract.FeeQuery) {}, contract.CodeFeeNotCovered, contract.ErrNotCovered},
		{"a contract before the first period", s, func(q *contract.FeeQuery) { q.Start = d(2020, time.July, 1) }, contract.CodeFeeNotCovered, contract.ErrNotCovered},
		{"hours the schedule does not list", s, func(q *contract.FeeQuery) { q.Hours = 30 }, contract.CodeHoursNotOffered, contract.ErrHours},
	}
	for _, c := range cases {
		t.Run(c.name+" is a problem list", func(t *testing.T) {
			qq := q
			c.change(&qq)
			_, err := c.s.Calculate(qq)
			require.Error(t, err)
			assert.ErrorIs(t, err, problem.ErrInvalid)
			assert.ErrorIs(t, err, c.rule)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has("", c.code), "codes %v", l.Codes())
			assert.NotContains(t, err.Error(), "33000")
		})
	}
}

func TestLoadFeeScheduleRejects(t *testing.T) {
	good, err := os.ReadFile("../municipality/bochum/fees.json")
	require.NoError(t, err)
	cases := []struct {
		name, in, field string
	}{
		{"not JSON", "{", ""},
		{"an unknown field", `{"hourz":[25]}`, ""},
		{"no periods and no hours", `{"age_split":2,"siblings":"none"}`, "periods"},
		{"a period starting mid-month", strings.Replace(string(good), `"2025-08-01"`, `"2025-08-15"`, 1), "periods[1].valid_from"},
		{"an open bracket that is not the last", strings.Replace(string(good), `"to": "37000",`, ``, 1), "periods[0].brackets[0].to"},
		{"a month that does not exist", strings.Replace(string(good), `"2025-08-01"`, `"2025-13-01"`, 1), "periods[1].valid_from"},
		{"text that is no day", strings.Replace(string(good), `"2025-08-01"`, `"00000-00"`, 1), "periods[1].valid_from"},
		{"a last day that does not exist", strings.Replace(string(good), `"hours"`, `"valid_until": "2030-02-30", "hours"`, 1), "valid_until"},
		{"a cut above 100 %", strings.Replace(string(good), `"cut_percent": "25"`, `"cut_percent": "125"`, 1), "periods[1].cut_percent"},
	}
	for _, c := range cases {
		t.Run(c.name+" is rejected", func(t *testing.T) {
			_, err := contract.LoadFeeSchedule(strings.NewReader(c.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, contract.ErrSchedule)
			var l problem.List
			require.ErrorAs(t, err, &l)
			if c.field != "" {
				assert.True(t, l.Has(c.field, contract.CodeSchedule), "got %v", l)
			}
		})
	}
}

func FuzzLoadFeeSchedule(f *testing.F) {
	good, err := os.ReadFile("../municipality/bochum/fees.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"hours":[25],"age_split":2,"siblings":"none","periods":[{"valid_from":"2024-08-01","brackets":[{"from":"0","fees":[{"hours":25,"under_split":"1","from_split":"1"}]}]}]}`))
	f.Add([]byte(`{"periods":[{"brackets":[{"from":"-1e999999"}]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := contract.LoadFeeSchedule(bytes.NewReader(in))
		if err != nil {
			return
		}
		_, _ = s.Calculate(contract.FeeQuery{Calendar: kita.NRW, BirthDate: d(2022, time.May, 3),
			Start: d(2024, time.August, 1), End: d(2025, time.July, 31), Hours: s.Hours[0], Income: dec("60000")})
	})
}
