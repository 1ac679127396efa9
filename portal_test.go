package kitaportal_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/notify"
)

func TestOpenNamesWhatIsMissing(t *testing.T) {
	profile, err := bochum.Profile()
	require.NoError(t, err)
	cat, err := bochum.Catalogue()
	require.NoError(t, err)
	t.Run("without a transport Open fails instead of dropping mail", func(t *testing.T) {
		_, err := kitaportal.Open(context.Background(), kitaportal.Config{Profile: profile, Catalogue: cat})
		require.ErrorIs(t, err, kitaportal.ErrNoTransport)
	})
	t.Run("without a catalogue Open fails", func(t *testing.T) {
		_, err := kitaportal.Open(context.Background(), kitaportal.Config{Profile: profile, Transport: notify.NewMemoryTransport()})
		require.ErrorIs(t, err, kitaportal.ErrNoCatalogue)
	})
	t.Run("with a transport named explicitly the in-memory store is the default", func(t *testing.T) {
		p, err := kitaportal.Open(context.Background(), kitaportal.Config{Profile: profile, Catalogue: cat, Transport: notify.NewMemoryTransport()})
		require.NoError(t, err)
		require.NotNil(t, p.Registrations)
	})
}
