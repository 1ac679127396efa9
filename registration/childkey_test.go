package registration

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
)

// TestChildKeyIsTheStoredHash checks that ChildKey still hashes the two
// name keys and the birth date as stored keys were made (SHA-256 of both
// keys and the date's ISO text, separated by NUL), for names as families
// type them and dates of every era the date type knows.
func TestChildKeyIsTheStoredHash(t *testing.T) {
	stored := func(given, family string, birth date.Date) string {
		h := sha256.New()
		h.Write([]byte(NameKey(given)))
		h.Write([]byte{0})
		h.Write([]byte(NameKey(family)))
		h.Write([]byte{0})
		h.Write([]byte(birth.String()))
		return hex.EncodeToString(h.Sum(nil))
	}
	births := []date.Date{
		date.New(2024, time.February, 29), date.New(2019, time.December, 31), date.New(2027, time.January, 1),
		date.New(0, time.January, 1), date.New(9999, time.December, 31), date.New(10000, time.January, 1),
		date.New(-1, time.March, 3), date.New(1, time.October, 10), date.Date{},
	}
	names := [][2]string{{"Jürgen", "Ößmann-Çelik"}, {"Anna Lena", "Schmidt"}, {"Małgorzata", "Yılmaz"}, {"Олена", "Шевченко"}, {"", ""},
		// Latin letters up to a character that takes the whole way, names
		// beyond any buffer, spaces Text folds.
		{"Anna  Lena", "Schmidt\u200b"}, {"Ana Gonza\u0301lez", " Öz "}, {strings.Repeat("Äß", 50), strings.Repeat("Œﬀ", 50)}}
	for _, b := range births {
		for _, n := range names {
			assert.Equal(t, stored(n[0], n[1], b), ChildKey(n[0], n[1], b), "%s %s %s", n[0], n[1], b)
		}
	}
	for d := date.New(1899, time.December, 25); d.Before(date.New(2101, time.January, 5)); d = d.Add(1) {
		if got := string(appendISODate(nil, d)); got != d.String() {
			t.Fatalf("%s written as %s", d, got)
		}
	}
}

// TestReferenceIsPrintedAsBefore checks the reference number and the
// name of its sequence against the formats they were printed with.
func TestReferenceIsPrintedAsBefore(t *testing.T) {
	for _, code := range []string{"BO", "K", "MÜNSTER"} {
		s := &Checker{rules: Rules{CityCode: code, Calendar: kita.NRW}}
		// Years repeat and come back: the names of the latest are kept.
		for _, start := range []int{2026, 2027, 2027, 999, 10000, 2026} {
			y := kita.NRW.YearStarting(start)
			for _, seq := range []int64{-7, 0, 1, 9, 42, 99999, 100000, 999999, 1000000, 1234567890} {
				assert.Equal(t, fmt.Sprintf("%s-%d-%06d", code, y.StartYear(), seq), s.Reference(y, seq))
			}
			assert.Equal(t, code+"-"+fmt.Sprint(y.StartYear()), s.SequenceName(y))
			assert.Equal(t, fmt.Sprintf("%d/%d", y.StartYear(), y.StartYear()+1), y.Label())
			assert.Equal(t, y.Label(), s.names(y).label)
		}
	}
}

// TestAKitaLineFollowsItsKita checks the kept address lines against
// lineOf while a Kita's name and address change, and for every shape of
// address lineOf knows.
func TestAKitaLineFollowsItsKita(t *testing.T) {
	s := &Checker{}
	k := kita.Kita{ID: "k1", Name: "Kita Sonnenschein", Address: geo.Address{Street: "Hauptstraße", HouseNumber: "12", PostalCode: "44787", City: "Bochum"}}
	steps := []func(k *kita.Kita){
		func(*kita.Kita) {},
		func(k *kita.Kita) { k.Name = "Kita Regenbogen" },
		func(k *kita.Kita) { k.Address.HouseNumber = "12a" },
		func(k *kita.Kita) { k.Address.PostalCode = "" },
		func(k *kita.Kita) { k.Address.HouseNumber = ""; k.Address.PostalCode = "44789" },
		func(k *kita.Kita) { k.Address.PostalCode = "" },
		func(k *kita.Kita) {
			k.Address = geo.Address{Street: "Hauptstraße", HouseNumber: "12", PostalCode: "44787", City: "Bochum"}
		},
	}
	for i, step := range steps {
		step(&k)
		for rank := 1; rank <= 2; rank++ {
			assert.Equal(t, lineOf(rank, k), s.line(rank, k), "step %d, rank %d", i, rank)
		}
		other := kita.Kita{ID: "k2", Name: "Kita am Park", Address: geo.Address{Street: "Parkweg", HouseNumber: "1", PostalCode: "44801", City: "Bochum"}}
		assert.Equal(t, lineOf(3, other), s.line(3, other), "step %d: another Kita keeps its own line", i)
	}
}

// TestDayBoundsFollowTheDay checks the kept bounds of a day against the
// ones check computed for every submission, while the day moves forward,
// back and across a year's end.
func TestDayBoundsFollowTheDay(t *testing.T) {
	for _, rules := range []Rules{
		{Calendar: kita.NRW, YearsAhead: 1, NoticeMonths: 6},
		{Calendar: kita.NRW, YearsAhead: 3},
	} {
		s := &Checker{rules: rules}
		for _, day := range []date.Date{
			date.New(2026, time.October, 1), date.New(2026, time.October, 1), date.New(2026, time.October, 2),
			date.New(2026, time.July, 31), date.New(2026, time.August, 1), date.New(2024, time.February, 29),
			date.New(2026, time.December, 31), date.New(2027, time.January, 1), date.New(2026, time.October, 1),
		} {
			last := rules.Calendar.YearOf(day)
			for range rules.YearsAhead {
				last = last.Next()
			}
			got := s.day(day)
			assert.Equal(t, day, got.today)
			assert.Equal(t, day.AddDate(1, 0, 0), got.unbornUntil, "%v", day)
			assert.Equal(t, day.AddDate(-rules.Calendar.SchoolAge-2, 0, 0), got.bornFrom, "%v", day)
			assert.Equal(t, last, got.lastYear, "%v", day)
			assert.Equal(t, day.AddDate(0, rules.NoticeMonths, 0), got.notice, "%v", day)
		}
	}
}
