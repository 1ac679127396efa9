package registration_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

// TestAppendSubmissionMessagesUsesTheGivenRoom checks that
// AppendSubmissionMessages appends what SubmissionMessages returns (the
// same messages, texts and ids, for a confirmation and a referral
// message) after what dst holds, in dst's own room when it has enough,
// and in a list of its own when it has not.
func TestAppendSubmissionMessagesUsesTheGivenRoom(t *testing.T) {
	cat, err := kita.NewCatalogue(testKitas(), kita.NRWHours)
	require.NoError(t, err)
	dirs, offs := testDistricts(t)
	n := 0
	chk, err := registration.NewChecker(registration.Config{Rules: bochumRules(), Catalogue: cat, Districts: dirs, Offices: offs,
		Templates: notify.DefaultTemplates(), NewID: func() string { n++; return fmt.Sprint("id-", n) }})
	require.NoError(t, err)
	in := validInput()
	in.Child.BirthDate = date.New(2025, time.June, 1)
	in.Tagespflege = &registration.TagespflegeWish{District: "II"}
	draft, err := chk.Draft("f1", registration.Normalize(in), "guardian:f1", now)
	require.NoError(t, err)
	a := draft.Application
	a.Reference = chk.Reference(draft.Year, 1)

	first := n
	want, err := chk.SubmissionMessages(a, draft.Lines, now)
	require.NoError(t, err)
	require.Len(t, want, 2, "the confirmation and the referral message")
	want, err = notify.RenderAll(want)
	require.NoError(t, err)
	earlier := notify.Message{ID: "earlier"}

	for _, room := range []int{3, 1} {
		t.Run(fmt.Sprintf("with room for %d", room), func(t *testing.T) {
			dst := append(make([]notify.Message, 0, room), earlier)
			n = first
			got, err := chk.AppendSubmissionMessages(dst, a, draft.Lines, now)
			require.NoError(t, err)
			require.Len(t, got, 3)
			assert.Equal(t, &dst[0] == &got[0], room >= 3, "the given room is used where it has enough")
			assert.Equal(t, earlier, got[0])
			rendered, err := notify.RenderAll(got[1:])
			require.NoError(t, err)
			assert.Equal(t, want, rendered)
		})
	}
}
