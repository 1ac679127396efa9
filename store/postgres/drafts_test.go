package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/store/postgres"
)

// TestStillDraft checks app.DraftChecker: a stored draft is still the one
// its dry run made, with its publication, until an erasure removes one of
// its applications; another number is another draft; an unknown id is
// app.ErrNoDraft.
func TestStillDraft(t *testing.T) {
	ctx := context.Background()
	s := newTestDB(t).store(t, 2)
	step := func(fn func(drafts app.Drafts) error) error {
		return s.Atomic(ctx, func(tx app.Tx) error { return fn(tx.Drafts()) })
	}
	still := func(d app.Draft) (same bool, pub *app.Publication, err error) {
		err = step(func(drafts app.Drafts) error {
			dc, ok := drafts.(app.DraftChecker)
			require.True(t, ok, "the step's drafts offer app.DraftChecker")
			same, pub, err = dc.StillDraft(ctx, d)
			return err
		})
		return same, pub, err
	}
	d := postgres.StoredDraft()
	published := *d.Published
	d.Published = nil
	require.NoError(t, step(func(drafts app.Drafts) error { return drafts.PutDraft(ctx, d) }))

	same, pub, err := still(d)
	require.NoError(t, err)
	assert.True(t, same, "the draft as stored")
	assert.Nil(t, pub, "not published yet")

	other := d
	other.Number++
	same, _, err = still(other)
	require.NoError(t, err)
	assert.False(t, same, "another number is another draft")

	require.NoError(t, step(func(drafts app.Drafts) error { return drafts.PublishDraft(ctx, d.ID, published) }))
	same, pub, err = still(d)
	require.NoError(t, err)
	assert.True(t, same, "a publication leaves the draft as it was")
	require.NotNil(t, pub)
	assert.Equal(t, published.Offers, pub.Offers)
	assert.True(t, published.At.Equal(pub.At))

	require.NoError(t, step(func(drafts app.Drafts) error {
		n, err := drafts.EraseFromDrafts(ctx, d.Instance.Applicants[1].ID)
		assert.Equal(t, 1, n)
		return err
	}))
	same, _, err = still(d)
	require.NoError(t, err)
	assert.False(t, same, "an erased application changed the stored draft")
	var erased app.Draft
	require.NoError(t, step(func(drafts app.Drafts) (err error) { erased, err = drafts.Draft(ctx, d.ID); return err }))
	same, _, err = still(erased)
	require.NoError(t, err)
	assert.True(t, same, "the draft as the erasure left it")

	unknown := d
	unknown.ID = "draft-unknown"
	_, _, err = still(unknown)
	require.ErrorIs(t, err, app.ErrNoDraft)
}
