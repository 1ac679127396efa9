package registration_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/stretchr/testify/require"
)

// bochumYear is the number of applications of a Bochum year (35,703): the
// in-memory store of the submission benchmarks is sized for it, as a city
// sizes its own (memory.NewSized), whatever the number of submissions a
// run makes.
const bochumYear = 35_703

// newYearFixture is the fixture on a store sized for a Bochum year. The
// set-up's garbage is collected before the benchmark's loop starts, so
// that the collector's cycles inside the loop follow from the
// submissions alone (where set-up left the collector's pacing moved a
// cycle of a year's heap into or out of the loop from run to run).
func newYearFixture(b *testing.B) *fixture {
	st, err := memory.NewSized(bochumYear)
	require.NoError(b, err)
	fx := newFixtureIn(b, st)
	runtime.GC()
	return fx
}

// BenchmarkSubmit measures submissions through the application layer with the
// in-memory store: decoding is not included; validation against profile and
// catalogue, the reference number, the application, its confirmation
// rendered from the template and queued in the outbox are. Each submission
// is another family's, as at a counter during the registration weeks (one
// family's own applications are read by the step: a family of thousands of
// children would measure that list, not a submission).
func BenchmarkSubmit(b *testing.B) {
	fx := newYearFixture(b)
	in := validInput()
	in.Child.BirthDate = in.Child.BirthDate.AddDate(1, 0, 0)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		in.Child.GivenName = fmt.Sprintf("Kind %d", i)
		family := fmt.Sprint("family-", i)
		if _, err := fx.svc.SubmitAtCounter(fx.ctx, guardian(family), family, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}

// BenchmarkSubmitTagespflege adds the referral and its message.
func BenchmarkSubmitTagespflege(b *testing.B) {
	fx := newYearFixture(b)
	in := validInput()
	in.Child.BirthDate = in.Child.BirthDate.AddDate(1, 4, 0)
	in.Tagespflege = &registration.TagespflegeWish{District: "III"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		in.Child.GivenName = fmt.Sprintf("Kind %d", i)
		family := fmt.Sprint("family-", i)
		if _, err := fx.svc.SubmitAtCounter(fx.ctx, guardian(family), family, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}
