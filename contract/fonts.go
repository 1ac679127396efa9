package contract

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

//go:generate go run ./internal/fontgen -out fonts

// fontFS holds the contract fonts made by internal/fontgen: for each
// encoding N the map encN.map and, per style, the font definition
// (regularN.json, boldN.json) and the compressed subset font (.z).
//
//go:embed fonts/*.map fonts/*.json fonts/*.z
var fontFS embed.FS

// Font styles of the contract.
const (
	regular = iota
	bold
	numStyles
)

var styleNames = [numStyles]string{"regular", "bold"}

// fpdfStyles are the fpdf style strings of the styles.
var fpdfStyles = [numStyles]string{"", "B"}

// substitute stands for a character no font has (a CJK character, an
// emoji): U+FFFD REPLACEMENT CHARACTER, drawn as a mark and read back by
// text extraction as U+FFFD.
const substitute = unicode.ReplacementChar

// errFonts: the embedded fonts do not fit together.
var errFonts = errors.New("contract: font check")

// fontDef is one font of one encoding and style, as fpdf takes it.
type fontDef struct {
	json, z []byte
	cw      [256]int // advance widths in 1/1000 em by code
}

// fontSet is the contract's font: single-byte encodings that together hold
// every character of the main font (Go) and the fallback font (DejaVu
// Sans), each a small subset font per style. A document embeds only the
// encodings it uses. It is read-only after loadFonts and shared by all
// documents.
type fontSet struct {
	// code maps a character of the Basic Multilingual Plane to its place:
	// encoding<<8 | code, plus 1 (0: not in the fonts). ASCII is in every
	// encoding and not in this table.
	code []uint16
	defs [numStyles][]fontDef
	// ascii tells the encodings (of the main font) that have ASCII at its
	// codes; the others (of the fallback font) hold only characters the
	// main font lacks.
	ascii []bool
	// sample is a code of each encoding that has a character.
	sample []byte
}

// loadFonts reads the embedded encodings and font definitions and checks
// that they fit together.
func loadFonts() (*fontSet, error) {
	fs := &fontSet{code: make([]uint16, 0x10000)}
	for k := 0; ; k++ {
		m, err := fontFS.ReadFile(fmt.Sprintf("fonts/enc%d.map", k))
		if err != nil {
			if k == 0 {
				return nil, fmt.Errorf("%w: %w", errFonts, err)
			}
			break
		}
		if err := fs.addEncoding(k, m); err != nil {
			return nil, err
		}
	}
	if fs.code[substitute] == 0 {
		return nil, fmt.Errorf("%w: no glyph for U+FFFD", errFonts)
	}
	if !fs.ascii[0] {
		return nil, fmt.Errorf("%w: no ASCII in encoding 0", errFonts)
	}
	for k := range fs.defs[regular] {
		for c := ' '; c < firstOwnCode && fs.ascii[k]; c++ {
			if fs.defs[regular][k].cw[c] != fs.defs[regular][0].cw[c] || fs.defs[bold][k].cw[c] != fs.defs[bold][0].cw[c] {
				return nil, fmt.Errorf("%w: ASCII widths differ between encodings", errFonts)
			}
		}
	}
	return fs, nil
}

// firstOwnCode is the first code of an encoding's own characters in the
// encodings of the main font; codes 0x20 to 0x7E are ASCII there.
const firstOwnCode = 0x7F

func (fs *fontSet) addEncoding(k int, m []byte) error {
	if k > 0xFE {
		return fmt.Errorf("%w: too many encodings", errFonts)
	}
	ascii, sample := 0, -1
	sc := bufio.NewScanner(bytes.NewReader(m))
	for sc.Scan() {
		var code, r int
		var name string
		if _, err := fmt.Sscanf(sc.Text(), "!%x U+%x %s", &code, &r, &name); err != nil {
			return fmt.Errorf("%w: enc%d.map: %w", errFonts, k, err)
		}
		switch {
		case name == ".notdef" || code < ' ' || code > 0xFF || r > 0xFFFF:
		case r < firstOwnCode:
			if r == code {
				ascii++
			}
		case fs.code[r] == 0:
			fs.code[r] = uint16(k<<8|code) + 1
			if sample < 0 {
				sample = code
			}
		}
	}
	if sample < 0 || ascii != 0 && ascii != firstOwnCode-' ' {
		return fmt.Errorf("%w: enc%d.map: no character of its own or part of ASCII", errFonts, k)
	}
	fs.ascii = append(fs.ascii, ascii > 0)
	fs.sample = append(fs.sample, byte(sample))
	for s, name := range styleNames {
		var d fontDef
		var err error
		base := fmt.Sprintf("fonts/%s%d", name, k)
		if d.json, err = fontFS.ReadFile(base + ".json"); err != nil {
			return fmt.Errorf("%w: %w", errFonts, err)
		}
		if d.z, err = fontFS.ReadFile(base + ".z"); err != nil {
			return fmt.Errorf("%w: %w", errFonts, err)
		}
		var def struct{ Cw []int }
		if err := json.Unmarshal(d.json, &def); err != nil || len(def.Cw) != 256 {
			return fmt.Errorf("%w: %s.json: widths unreadable", errFonts, base)
		}
		copy(d.cw[:], def.Cw)
		fs.defs[s] = append(fs.defs[s], d)
	}
	return nil
}

// glyph is one character of a text in the contract fonts.
type glyph struct {
	enc  int16 // encoding; anyEnc for ASCII
	code byte
}

const anyEnc = -1

// glyphs appends the glyphs of s to dst. s is composed first (NFC), so a
// letter typed as base and combining mark finds its precomposed glyph. A
// character the fonts lack becomes [substitute]; what only belongs to it (a
// combining mark, an emoji modifier, the next emoji of a zero-width-joiner
// sequence) adds no second substitute, and invisible format characters
// (variation selectors, joiners) are dropped. A tab becomes a space, a line
// break stays '\n', any other control character is dropped.
func (fs *fontSet) glyphs(dst []glyph, s string) []glyph {
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	sub := glyph{int16((fs.code[substitute] - 1) >> 8), byte(fs.code[substitute] - 1)}
	var afterSub, joined bool // the last glyph is a substitute; a joiner followed it
	for _, r := range s {
		switch {
		case r >= ' ' && r < firstOwnCode:
			dst = append(dst, glyph{anyEnc, byte(r)})
		case r == '\n':
			dst = append(dst, glyph{anyEnc, '\n'})
		case r == '\t':
			dst = append(dst, glyph{anyEnc, ' '})
		case unicode.IsControl(r):
			continue
		case r <= 0xFFFF && fs.code[r] != 0:
			c := fs.code[r] - 1
			dst = append(dst, glyph{int16(c >> 8), byte(c)})
		case unicode.In(r, unicode.Cf, unicode.Variation_Selector):
			joined = joined || afterSub && r == zeroWidthJoiner
			continue
		case afterSub && (joined || unicode.In(r, unicode.Mn, unicode.Me) || isEmojiModifier(r)):
			joined = false
			continue
		default:
			dst = append(dst, sub)
			afterSub, joined = true, false
			continue
		}
		afterSub, joined = false, false
	}
	return dst
}

const zeroWidthJoiner = '\u200D'

func isEmojiModifier(r rune) bool { return r >= 0x1F3FB && r <= 0x1F3FF }

// doc is one contract document: the fpdf document, its current style and
// size, and which fonts it has added.
type doc struct {
	f     *fpdf.Fpdf
	fs    *fontSet
	style int
	size  float64
	added [numStyles][]bool
	enc   int // encoding of the font set last in f, -1 before the first
	gs    []glyph
	line  []byte
}

func newDoc(f *fpdf.Fpdf, fs *fontSet) *doc {
	d := &doc{f: f, fs: fs, enc: -1, size: 10}
	for s := range d.added {
		d.added[s] = make([]bool, len(fs.defs[s]))
	}
	return d
}

// font sets the style and size of the text that follows.
func (d *doc) font(style int, size float64) {
	d.style, d.size = style, size
	d.enc = -1
}

// aside runs fn, which may set fonts and write text (a page footer, run by
// fpdf inside a page break in the middle of a text), and gives the
// interrupted text back its style, size and scratch space.
func (d *doc) aside(fn func()) {
	style, size, gs, line := d.style, d.size, d.gs, d.line
	d.gs, d.line = nil, nil
	fn()
	d.style, d.size, d.gs, d.line = style, size, gs, line
	d.enc = -1
}

func family(enc int) string { return "go" + strconv.Itoa(enc) }

// use makes encoding enc of the current style the font of f, adding the
// font to the document the first time.
func (d *doc) use(enc int) {
	if !d.added[d.style][enc] {
		def := d.fs.defs[d.style][enc]
		d.f.AddFontFromBytes(family(enc), fpdfStyles[d.style], def.json, def.z)
		d.added[d.style][enc] = true
	}
	if d.enc != enc {
		d.f.SetFont(family(enc), fpdfStyles[d.style], d.size)
		d.enc = enc
	}
}

// width is the width of gs in user units at the current style and size.
func (d *doc) width(gs []glyph) float64 {
	defs := d.fs.defs[d.style]
	w := 0
	for _, g := range gs {
		w += defs[max(g.enc, 0)].cw[g.code]
	}
	return float64(w) * d.size / d.f.GetConversionRatio() / 1000
}

// put writes gs as one line at the current position: one cell per run of
// glyphs in the same encoding, ASCII joining the run of the main font it
// is in (or the next or last one). The first cell may break the page.
func (d *doc) put(h float64, gs []glyph) {
	ascii := d.fs.ascii
	base := 0 // the encoding ASCII is written in
	if d.enc >= 0 && ascii[d.enc] {
		base = d.enc
	}
	for _, g := range gs {
		if g.enc != anyEnc && ascii[g.enc] {
			base = int(g.enc)
			break
		}
	}
	for len(gs) > 0 {
		enc := base
		if gs[0].enc != anyEnc {
			enc = int(gs[0].enc)
		}
		if ascii[enc] {
			base = enc
		}
		n := 0
		d.line = d.line[:0]
		for n < len(gs) && (int(gs[n].enc) == enc || gs[n].enc == anyEnc && ascii[enc]) {
			d.line = append(d.line, gs[n].code)
			n++
		}
		d.use(enc)
		// A run of combining marks has no width; a cell of width 0
		// would reach to the right margin.
		w := max(d.width(gs[:n]), 1e-6)
		d.f.CellFormat(w, h, string(d.line), "", 0, "L", false, 0, "")
		gs = gs[n:]
	}
}

// available is w, or for 0 the width up to the right margin.
func (d *doc) available(w float64) float64 {
	if w == 0 {
		pw, _ := d.f.GetPageSize()
		_, _, rm, _ := d.f.GetMargins()
		w = pw - rm - d.f.GetX()
	}
	return w
}

// cell writes s on one line in a cell of width w (0: up to the right
// margin) at the current position, aligned "L" or "R", with fpdf's border
// string, and leaves the position right of the cell, like fpdf's
// CellFormat with ln 0.
func (d *doc) cell(w, h float64, s, border, align string) {
	w = d.available(w)
	d.gs = d.fs.glyphs(d.gs[:0], s)
	if border != "" {
		d.use(max(d.enc, 0))
		d.f.CellFormat(w, h, "", border, 0, "", false, 0, "")
		d.f.SetX(d.f.GetX() - w)
	}
	x := d.f.GetX()
	if align == "R" {
		d.f.SetX(x + w - d.width(d.gs) - 2*d.f.GetCellMargin())
	}
	d.put(h, d.gs)
	d.f.SetXY(x+w, d.f.GetY())
}

// paragraph writes s left-aligned in lines of width w (0: up to the right
// margin) from the current position, like fpdf's MultiCell with alignment
// "L": a line ends at '\n', else at the last space that fits, else (a word
// longer than the line) at the last character that fits. Afterwards the
// position is at the left margin below the text.
func (d *doc) paragraph(w, h float64, s string) {
	w = d.available(w)
	gs := d.fs.glyphs(d.gs[:0], s)
	d.gs = gs
	for len(gs) > 0 && gs[len(gs)-1] == (glyph{anyEnc, '\n'}) {
		gs = gs[:len(gs)-1]
	}
	x := d.f.GetX()
	defs := d.fs.defs[d.style]
	wmax := (w - 2*d.f.GetCellMargin()) * 1000 * d.f.GetConversionRatio() / d.size
	for {
		end, next, sep, l := len(gs), len(gs), -1, 0
	scan:
		for i, g := range gs {
			switch {
			case g == glyph{anyEnc, '\n'}:
				end, next = i, i+1
				break scan
			case g == glyph{anyEnc, ' '}:
				sep = i
			}
			l += defs[max(g.enc, 0)].cw[g.code]
			if float64(l) > wmax {
				switch {
				case sep >= 0:
					end, next = sep, sep+1
				case i == 0:
					end, next = 1, 1
				default:
					end, next = i, i
				}
				break scan
			}
		}
		d.f.SetX(x)
		d.put(h, gs[:end])
		d.f.SetXY(x, d.f.GetY()+h)
		gs = gs[next:]
		if len(gs) == 0 {
			break
		}
	}
	lm, _, _, _ := d.f.GetMargins()
	d.f.SetX(lm)
}
