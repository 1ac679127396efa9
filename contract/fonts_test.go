package contract

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParagraph compares paragraph with fpdf's MultiCell on texts in one
// encoding, where MultiCell can render them too.
func TestParagraph(t *testing.T) {
	rr, err := NewRenderer()
	require.NoError(t, err)
	lines := func(t *testing.T, width float64, write func(d *doc)) int {
		f := rr.newPDF()
		d := newDoc(f, rr.fonts)
		f.AddPage()
		d.font(regular, 10)
		d.use(0)
		y0 := f.GetY()
		write(d)
		require.NoError(t, f.Error())
		lm, _, _, _ := f.GetMargins()
		assert.Equal(t, lm, f.GetX(), "the position is back at the left margin")
		return int((f.GetY() - y0 + 0.001) / 5)
	}
	tests := []struct {
		name  string
		text  string
		width float64
	}{
		{"an empty text takes one line", "", 100},
		{"a short text takes one line", "Jürgen Ößmann-Çelik", 100},
		{"line breaks are kept and a trailing one dropped", "Ayşe\n\nÇelik\n", 100},
		{"a long text breaks at spaces", strings.Repeat("Elternbeitrag Straßburger ", 20), 50},
		{"a word longer than the line breaks inside", strings.Repeat("Wß", 60), 50},
		{"a long word after a short one moves to the next line", "Ab " + strings.Repeat("x", 200), 40},
	}
	for _, tt := range tests {
		t.Run(tt.name+" as with MultiCell", func(t *testing.T) {
			got := lines(t, tt.width, func(d *doc) { d.paragraph(tt.width, 5, tt.text) })
			want := lines(t, tt.width, func(d *doc) {
				var b []byte
				for _, g := range rr.fonts.glyphs(nil, tt.text) {
					require.Contains(t, []int16{anyEnc, 0}, g.enc)
					b = append(b, g.code)
				}
				d.f.MultiCell(tt.width, 5, string(b), "", "L", false)
			})
			assert.Equal(t, want, got)
		})
	}
	t.Run("a text of several scripts breaks at spaces within the width", func(t *testing.T) {
		// Each line holds one repetition: it fits, a space and "Ω" more do not.
		f := rr.newPDF()
		d := newDoc(f, rr.fonts)
		d.font(regular, 10)
		width := d.width(rr.fonts.glyphs(nil, "Ωμέγα Жук Łódź Ω")) + 2*f.GetCellMargin() - 0.01
		text := strings.Repeat("Ωμέγα Жук Łódź ", 12)
		got := lines(t, width, func(d *doc) { d.paragraph(width, 5, text) })
		assert.Equal(t, 12, got, "one repetition per line")
	})
}

func TestGlyphs(t *testing.T) {
	rr, err := NewRenderer()
	require.NoError(t, err)
	fs := rr.fonts
	enc := func(s string) []int16 {
		var out []int16
		for _, g := range fs.glyphs(nil, s) {
			out = append(out, g.enc)
		}
		return out
	}
	t.Run("ASCII fits every encoding", func(t *testing.T) {
		assert.Equal(t, []int16{anyEnc, anyEnc}, enc("A1"))
	})
	t.Run("German text and common name letters are in encoding 0", func(t *testing.T) {
		for _, e := range enc("äöüÄÖÜß€§–„“ şŞğĞıİ łŁ čřžů ășț őű") {
			assert.Contains(t, []int16{anyEnc, 0}, e)
		}
	})
	t.Run("Greek and Cyrillic are in further encodings", func(t *testing.T) {
		for _, e := range enc("Ωж") {
			assert.Greater(t, e, int16(0))
		}
	})
	t.Run("Vietnamese letters come from encodings of the fallback font, without ASCII", func(t *testing.T) {
		for _, e := range enc("ễị") {
			require.Greater(t, e, int16(0))
			assert.False(t, fs.ascii[e])
		}
	})
	t.Run("missing characters become one substitute each, controls and format characters vanish", func(t *testing.T) {
		sub := fs.glyphs(nil, "\uFFFD")
		require.Len(t, sub, 1)
		got := fs.glyphs(nil, "𠮷\x01\u200b👍🏽")
		assert.Equal(t, []glyph{sub[0], sub[0]}, got)
	})
	t.Run("invalid UTF-8 becomes the substitute", func(t *testing.T) {
		assert.Equal(t, fs.glyphs(nil, "\uFFFD"), fs.glyphs(nil, "\xff"))
	})
}

func TestParagraphAcrossPages(t *testing.T) {
	rr, err := NewRenderer()
	require.NoError(t, err)
	f := rr.newPDF()
	d := newDoc(f, rr.fonts)
	f.SetFooterFunc(func() {
		d.aside(func() {
			f.SetY(-14)
			d.font(bold, 8)
			d.cell(0, 5, "Fusszeile mit einem langen Text, der den Puffer der Seite überschreibt", "", "R")
		})
	})
	f.AddPage()
	d.font(regular, 11)
	_, pageHeight := f.GetPageSize()
	f.SetY(pageHeight - 20 - 4) // the first line breaks the page
	text := "Erste Zeile Ayşe Ößmann-Çelik " + strings.Repeat("und weiter ", 30)
	d.paragraph(100, 5, text)
	var out strings.Builder
	require.NoError(t, f.Output(&out))
	pdf := out.String()

	var texts []string
	for _, m := range regexp.MustCompile(`\((.*)\)Tj`).FindAllStringSubmatch(pdf, -1) {
		if !strings.HasPrefix(m[1], "Fusszeile") {
			texts = append(texts, strings.TrimSpace(m[1]))
		}
	}
	var want []byte
	for _, g := range rr.fonts.glyphs(nil, strings.TrimSpace(text)) {
		want = append(want, g.code)
	}

	t.Run("a footer interrupting a text leaves the text whole", func(t *testing.T) {
		assert.Equal(t, 2, f.PageNo())
		assert.Equal(t, 2, strings.Count(pdf, "(Fusszeile"))
		assert.Equal(t, string(want), strings.Join(texts, " "))
	})
	t.Run("the text goes on in its own size", func(t *testing.T) {
		assert.Equal(t, 2, strings.Count(pdf, " 8.00 Tf"), "only the footers are at 8 pt")
	})
}
