package memory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestInstantsAreOrderedAsTheirTimes(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = time.FixedZone("CET", 3600)
	}
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	times := []time.Time{
		{}, // a message never claimed, never retried
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), // before int64 nanoseconds reach
		time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Unix(0, 0),
		base,
		base.Add(time.Nanosecond),
		base.In(berlin), // the same instant elsewhere
		base.Add(time.Hour).In(berlin),
		base.Add(-time.Nanosecond).In(time.FixedZone("", -11*3600)),
		time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), // after int64 nanoseconds reach
	}
	for _, a := range times {
		for _, b := range times {
			assert.Equal(t, a.Compare(b), instantOf(a).compare(instantOf(b)), "%v against %v", a, b)
			assert.Equal(t, a.After(b), instantOf(a).after(instantOf(b)), "%v after %v", a, b)
		}
	}
}
