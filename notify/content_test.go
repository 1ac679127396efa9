package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestContentRendersWhatRenderGives renders every built-in template of
// every language through a Content (of Content and of ContentOf) and a
// Message carrying it, on data taking every branch, and requires the
// texts Render gives.
func TestContentRendersWhatRenderGives(t *testing.T) {
	tpl := DefaultTemplates()
	data := messageData()
	for _, lang := range append(tpl.Languages(), "xx") {
		for kind := Confirmation; kind.Valid(); kind++ {
			for i, d := range data[kind] {
				subject, body, err := tpl.Render(kind, lang, d)
				require.NoError(t, err)
				c, err := tpl.Content(kind, lang, d)
				require.NoError(t, err, "%s %s #%d", lang, kind, i)
				m, err := Message{ID: "m", Kind: kind, Lang: lang, Content: c}.Rendered()
				require.NoError(t, err)
				assert.Equal(t, subject, m.Title, "%s %s #%d", lang, kind, i)
				assert.Equal(t, body, m.Body, "%s %s #%d", lang, kind, i)
				assert.Nil(t, m.Content)
				typed, err := contentOfTyped(tpl, kind, lang, d)
				require.NoError(t, err, "%s %s #%d", lang, kind, i)
				m, err = Message{ID: "m", Kind: kind, Lang: lang, Content: typed}.Rendered()
				require.NoError(t, err)
				assert.Equal(t, subject, m.Title, "ContentOf %s %s #%d", lang, kind, i)
				assert.Equal(t, body, m.Body, "ContentOf %s %s #%d", lang, kind, i)
			}
		}
	}
}

// contentOfTyped calls ContentOf with d's own type, as a caller holding
// the kind's data type calls it.
func contentOfTyped(tpl *Templates, kind Kind, lang string, d any) (*Content, error) {
	switch d := d.(type) {
	case ConfirmationData:
		return ContentOf(tpl, kind, lang, d)
	case ReferralData:
		return ContentOf(tpl, kind, lang, d)
	case OfferData:
		return ContentOf(tpl, kind, lang, d)
	case WithdrawalData:
		return ContentOf(tpl, kind, lang, d)
	case ContractReadyData:
		return ContentOf(tpl, kind, lang, d)
	}
	return ContentOf(tpl, kind, lang, d)
}

// TestContentOfKeepsItsOwnCopyInOneAllocation checks that ContentOf
// allocates once for the content and its data (Content: twice, the data
// boxed and the content), that the content renders from its own copy of
// the data, and that data of a pointer or an interface type renders the
// same texts.
func TestContentOfKeepsItsOwnCopyInOneAllocation(t *testing.T) {
	tpl := DefaultTemplates()
	d := messageData()[Withdrawal][0].(WithdrawalData)
	subject, body, err := tpl.Render(Withdrawal, "en", d)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ContentOf(tpl, Withdrawal, "en", d); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 1.0, allocs)
	allocs = testing.AllocsPerRun(100, func() {
		if _, err := tpl.Content(Withdrawal, "en", d); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 2.0, allocs)

	c, err := ContentOf(tpl, Withdrawal, "en", d)
	require.NoError(t, err)
	ptr, err := ContentOf(tpl, Withdrawal, "en", &d)
	require.NoError(t, err)
	boxed, err := ContentOf[any](tpl, Withdrawal, "en", d)
	require.NoError(t, err)
	d.Reference = "BO-2099-999999"
	for name, c := range map[string]*Content{"value": c, "boxed": boxed} {
		s, b, err := c.Render(t.Context())
		require.NoError(t, err)
		assert.Equal(t, subject, s, name)
		assert.Equal(t, body, b, name)
	}
	s, _, err := ptr.Render(t.Context())
	require.NoError(t, err)
	assert.Contains(t, s, "BO-2099-999999", "a pointer is kept as it is")
}

// TestContentRefusesWhatRenderRefuses checks that Content and ContentOf
// find, before any rendering, the problems Render finds before it
// renders.
func TestContentRefusesWhatRenderRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    *Templates
		kind Kind
		data any
	}{
		{"an unknown kind", DefaultTemplates(), Kind(0), ConfirmationData{}},
		{"data of another kind", DefaultTemplates(), Confirmation, OfferData{}},
		{"a nil pointer to the kind's data", DefaultTemplates(), Confirmation, (*ConfirmationData)(nil)},
		{"a kind without a template", new(Templates), Confirmation, ConfirmationData{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, want := tc.t.Render(tc.kind, "en", tc.data)
			require.Error(t, want)
			c, err := tc.t.Content(tc.kind, "en", tc.data)
			assert.Nil(t, c)
			require.ErrorIs(t, err, ErrTemplate)
			assert.Equal(t, problemsOf(want), problemsOf(err))
			c, err = contentOfTyped(tc.t, tc.kind, "en", tc.data)
			assert.Nil(t, c)
			require.ErrorIs(t, err, ErrTemplate)
			assert.Equal(t, problemsOf(want), problemsOf(err), "ContentOf")
		})
	}
}

// TestAMessageWithContentNeedsNoTexts checks that Validate takes a
// message whose texts its Content renders, and asks for both texts of
// one without.
func TestAMessageWithContentNeedsNoTexts(t *testing.T) {
	c, err := DefaultTemplates().Content(Withdrawal, "de", messageData()[Withdrawal][0])
	require.NoError(t, err)
	m := Message{ID: "m", Kind: Withdrawal, Status: Pending, To: "eltern@example.org", Lang: "de", CreatedAt: time.Date(2027, time.March, 1, 9, 0, 0, 0, time.UTC), Content: c}
	require.NoError(t, m.ValidateNew())
	m.Content = nil
	got := problemsOf(m.ValidateNew())
	assert.True(t, got.Has("title", CodeTitleRequired))
	assert.True(t, got.Has("body", CodeBodyRequired))
}

// TestRenderAllLeavesItsListAsItIs checks that RenderAll renders into a
// new list, and gives back a list without contents as it is.
func TestRenderAllLeavesItsListAsItIs(t *testing.T) {
	c, err := DefaultTemplates().Content(Withdrawal, "en", messageData()[Withdrawal][0])
	require.NoError(t, err)
	plain := Message{ID: "a", Title: "T", Body: "B"}
	msgs := []Message{plain, {ID: "b", Lang: "en", Content: c}, plain}
	out, err := RenderAll(msgs)
	require.NoError(t, err)
	require.Len(t, out, 3)
	assert.Equal(t, plain, out[0])
	assert.Equal(t, plain, out[2])
	assert.True(t, strings.TrimSpace(out[1].Body) != "" && out[1].Content == nil)
	assert.Same(t, c, msgs[1].Content, "the given list keeps its content")
	same, err := RenderAll([]Message{plain})
	require.NoError(t, err)
	assert.Equal(t, []Message{plain}, same)
}
