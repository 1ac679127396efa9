package kita

import (
	"errors"
	"slices"
	"strconv"
)

// ErrHours: weekly care hours outside the options a profile allows.
var ErrHours = errors.New("kita: care hours not offered")

// Hours is a weekly Betreuungsumfang (care hours per week).
type Hours int

// String formats as "35".
func (h Hours) String() string { return strconv.Itoa(int(h)) }

// HoursOptions are the weekly care hours a city or Kita offers. In NRW they
// are 25, 35 and 45 hours a week (KiBiz).
type HoursOptions []Hours

// NRWHours are the weekly care hours of KiBiz NRW.
var NRWHours = HoursOptions{25, 35, 45}

// Allows reports whether h is one of the options.
func (o HoursOptions) Allows(h Hours) bool { return slices.Contains(o, h) }

// Check returns [ErrHours] for hours that are not an option: a value
// between two options is an error, never rounded.
func (o HoursOptions) Check(h Hours) error {
	if !o.Allows(h) {
		return ErrHours
	}
	return nil
}

// String returns the options as text ("25, 35, 45"), for parameters of
// messages.
func (o HoursOptions) String() string {
	s := ""
	for i, h := range o {
		if i > 0 {
			s += ", "
		}
		s += h.String()
	}
	return s
}
