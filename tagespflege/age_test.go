package tagespflege_test

import (
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
)

func TestEligibleAge(t *testing.T) {
	d := date.New
	tests := []struct {
		name         string
		birth, start date.Date
		want         bool
	}{
		{"a child starting on the day of birth is eligible", d(2026, time.May, 4), d(2026, time.May, 4), true},
		{"a child under one is eligible (care on need, § 24 (1))", d(2026, time.January, 10), d(2026, time.August, 1), true},
		{"a child between one and three is eligible (§ 24 (2))", d(2024, time.June, 1), d(2026, time.August, 1), true},
		{"a child starting the day before its third birthday is eligible", d(2023, time.August, 2), d(2026, time.August, 1), true},
		{"a child starting on its third birthday is not", d(2023, time.August, 1), d(2026, time.August, 1), false},
		{"a child older than three is not", d(2022, time.January, 1), d(2026, time.August, 1), false},
		{"a start before birth is not eligible", d(2026, time.September, 1), d(2026, time.August, 1), false},
		{"a leap-day child is eligible on 28 February of its third year", d(2024, time.February, 29), d(2027, time.February, 28), true},
		{"a leap-day child turns three on 1 March in a common year", d(2024, time.February, 29), d(2027, time.March, 1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tagespflege.EligibleAge(tc.birth, tc.start))
		})
	}
}

func TestEligibleAgeUntil(t *testing.T) {
	birth := date.New(2022, time.March, 15)
	start := date.New(2026, time.March, 14)
	tests := []struct {
		name  string
		upper int
		want  bool
	}{
		{"a four-year-old fits an upper bound of five", 5, true},
		{"a child the day before its fourth birthday fits an upper bound of four", 4, true},
		{"a four-year-old does not fit the default of three", 3, false},
		{"an upper bound of zero admits no child", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tagespflege.EligibleAgeUntil(birth, start, tc.upper))
		})
	}
}
