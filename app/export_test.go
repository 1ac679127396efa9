package app

import "reflect"

// SubmitStepLeftClear reports whether the submission step the pool hands
// out next holds nothing but its step function: what a submission leaves
// in the pool (release clears it, so no personal data stays there). It
// puts the step back.
func SubmitStepLeftClear() bool {
	st := submitSteps.Get().(*submitStep)
	defer submitSteps.Put(st)
	rest := *st
	rest.run = nil
	return st.run != nil && reflect.ValueOf(rest).IsZero()
}
