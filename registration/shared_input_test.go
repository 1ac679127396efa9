package registration_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/registration"
)

// TestSubmitSharedInput submits one Input, whose texts all need
// normalizing, from several goroutines at once. Submit must not write into
// the caller's slices: under -race a write would be reported, and the
// caller's values must be unchanged afterwards.
func TestSubmitSharedInput(t *testing.T) {
	t.Run("one input submitted concurrently by several families is read, never written", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Guardians[0].GivenName = "  Ay\u200bşe  "
		in.Guardians[0].Email = " ayse@example.org "
		in.Guardians[0].Language = " DE "
		in.Kitas = []string{" k1", "k2 ", " k3 "}
		in.Tagespflege = nil
		in.Criteria.SiblingKitaIDs = []string{"k1"}
		want := fmt.Sprintf("%#v", in)

		errs := submitConcurrently(fx, in)
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		require.Positive(t, ok, "at least one submission goes through: %v", errs)
		assert.Equal(t, want, fmt.Sprintf("%#v", in), "the caller's input is unchanged")
		assert.Equal(t, " k1", in.Kitas[0])
		assert.Equal(t, "  Ay\u200bşe  ", in.Guardians[0].GivenName)
	})
	t.Run("one input already normalized, whose lists the submissions share, is never written", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Tagespflege = nil
		want := fmt.Sprintf("%#v", in)
		for _, err := range submitConcurrently(fx, in) {
			require.NoError(t, err)
		}
		assert.Equal(t, want, fmt.Sprintf("%#v", in), "the caller's input is unchanged")
	})
	t.Run("the submitted application holds the normalized texts", func(t *testing.T) {
		fx := newFixture(t)
		in := validInput()
		in.Kitas = []string{" k1", "k2 "}
		rc, err := fx.svc.SubmitAtCounter(fx.ctx, guardian("f1"), "f1", in)
		require.NoError(t, err)
		require.Len(t, rc.Application.Choices, 2)
		assert.Equal(t, "k1", rc.Application.Choices[0].KitaID)
		assert.Equal(t, []string{" k1", "k2 "}, in.Kitas)
	})
}

// submitConcurrently submits in for eight families at once and returns
// their errors.
func submitConcurrently(fx *fixture, in registration.Input) []error {
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			family := fmt.Sprintf("f%d", i)
			_, errs[i] = fx.svc.SubmitAtCounter(fx.ctx, guardian(family), family, in)
		})
	}
	wg.Wait()
	return errs
}
