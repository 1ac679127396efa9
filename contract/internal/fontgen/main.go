// Command fontgen makes the contract fonts in contract/fonts from the Go
// fonts (golang.org/x/image/font/gofont, regular and bold) and, for what
// they lack, DejaVu Sans (regular and bold, from the system's fonts).
//
// Every character both Go fonts have is given a place in one of a few
// single-byte encodings, each with ASCII at its usual codes: encoding 0
// holds what German contract texts use and the letters of the names most
// often met in Germany (see common), the others the rest (more Latin,
// Greek, Cyrillic, punctuation and symbols, U+FFFD) in code point order at
// 0x7F–0xFF. The characters of fallbackRanges that only DejaVu Sans has
// follow in encodings without ASCII (0x20–0xFF). For each encoding and
// style a subset of its font with just those characters is made with
// fonttools' pyftsubset (hinting dropped) and turned into an fpdf font
// definition (JSON) and compressed font file (.z) with fpdf.MakeFont. The
// encodings are written as fpdf map files (encN.map) for the renderer.
//
// Run with pyftsubset on PATH and the DejaVu fonts installed (Debian
// packages fonttools and fonts-dejavu-core):
//
//	go generate ./contract
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/charmap"
)

// firstCode is the first code of an encoding's own characters; codes below
// it are ASCII in every encoding.
const firstCode = 0x7F

type encoding [256]rune // 0: no character

func main() {
	out := flag.String("out", "fonts", "output directory")
	fallbackRegular := flag.String("fallback-regular", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fallback font, regular (Debian: fonts-dejavu-core)")
	fallbackBold := flag.String("fallback-bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fallback font, bold")
	flag.Parse()
	if err := run(*out, *fallbackRegular, *fallbackBold); err != nil {
		log.Fatal(err)
	}
}

var styleNames = [2]string{"regular", "bold"}

// family is a font in both styles and the tag letter of its subsets.
type family struct {
	tag  byte
	ttfs [2][]byte
}

func run(out, fallbackRegular, fallbackBold string) error {
	goFonts := family{'G', [2][]byte{goregular.TTF, gobold.TTF}}
	fallback := family{tag: 'D'}
	for s, path := range []string{fallbackRegular, fallbackBold} {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fallback.ttfs[s] = b
	}
	covered, err := shared(goFonts.ttfs)
	if err != nil {
		return err
	}
	encs, err := encodings(covered)
	if err != nil {
		return err
	}
	more, err := shared(fallback.ttfs)
	if err != nil {
		return err
	}
	fams := make([]family, len(encs))
	for k := range fams {
		fams[k] = goFonts
	}
	for _, e := range fallbackEncodings(more, covered) {
		encs = append(encs, e)
		fams = append(fams, fallback)
	}
	tmp, err := os.MkdirTemp("", "fontgen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// MakeFont takes the differences against cp1252.map beside the encoding.
	if err := writeMap(filepath.Join(tmp, "cp1252.map"), winAnsi()); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for k, enc := range encs {
		mapName := fmt.Sprintf("enc%d.map", k)
		for _, path := range []string{filepath.Join(tmp, mapName), filepath.Join(out, mapName)} {
			if err := writeMap(path, enc); err != nil {
				return err
			}
		}
		for st, ttf := range fams[k].ttfs {
			base := fmt.Sprintf("%s%d", styleNames[st], k)
			full := filepath.Join(tmp, base+"-full.ttf")
			if err := os.WriteFile(full, ttf, 0o644); err != nil {
				return err
			}
			sub := filepath.Join(tmp, base+".ttf")
			if err := subset(full, sub, enc); err != nil {
				return err
			}
			if err := fpdf.MakeFont(sub, filepath.Join(tmp, mapName), out, os.Stderr, true); err != nil {
				return fmt.Errorf("%s: %w", base, err)
			}
			// A subset font's name carries a six-letter tag of its own.
			tag := fmt.Sprintf("KP%c%c%c%c", fams[k].tag, "RB"[st], 'A'+k/26, 'A'+k%26)
			if err := rename(filepath.Join(out, base+".json"), tag); err != nil {
				return err
			}
		}
	}
	return nil
}

// shared lists the characters both styles of a font have.
func shared(ttfs [2][]byte) (map[rune]bool, error) {
	covered, err := coverage(ttfs[0])
	if err != nil {
		return nil, err
	}
	other, err := coverage(ttfs[1])
	if err != nil {
		return nil, err
	}
	for r := range covered {
		if !other[r] {
			delete(covered, r)
		}
	}
	return covered, nil
}

// fallbackRanges are the blocks taken from the fallback font: scripts
// written left to right without shaping, so that a glyph per character is
// right (Latin, Greek, Cyrillic, Armenian, Georgian, combining marks,
// punctuation and symbols).
var fallbackRanges = [][2]rune{
	{0x0080, 0x036F}, // Latin-1 to combining diacritical marks
	{0x0370, 0x052F}, // Greek, Cyrillic and its supplement
	{0x0530, 0x058F}, // Armenian
	{0x10A0, 0x10FF}, // Georgian
	{0x1E00, 0x1FFF}, // Latin Extended Additional (Vietnamese), Greek Extended
	{0x2000, 0x214F}, // punctuation, currency, letterlike symbols
	{0x2C60, 0x2C7F}, // Latin Extended-C
	{0xA720, 0xA7FF}, // Latin Extended-D
}

// fallbackEncodings puts the characters of the fallback font in
// fallbackRanges that the main font lacks into encodings of their own, in
// code point order, 224 each at 0x20–0xFF: no ASCII, which is always
// written in the main font.
func fallbackEncodings(more, main map[rune]bool) []encoding {
	var rest []rune
	for r := range more {
		if main[r] {
			continue
		}
		for _, rg := range fallbackRanges {
			if r >= rg[0] && r <= rg[1] {
				rest = append(rest, r)
				break
			}
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	var encs []encoding
	for len(rest) > 0 {
		var e encoding
		n := min(len(rest), 0x100-0x20)
		for i, r := range rest[:n] {
			e[0x20+i] = r
		}
		rest = rest[n:]
		encs = append(encs, e)
	}
	return encs
}

// coverage lists the printable characters of the Basic Multilingual Plane
// the font has a glyph for.
func coverage(ttf []byte) (map[rune]bool, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var b sfnt.Buffer
	c := map[rune]bool{}
	for r := rune(0x20); r <= 0xFFFF; r++ {
		if !unicode.IsPrint(r) && r != 0xA0 {
			continue
		}
		g, err := f.GlyphIndex(&b, r)
		if err != nil {
			return nil, err
		}
		if g != 0 {
			c[r] = true
		}
	}
	return c, nil
}

// common are the characters of encoding 0 besides ASCII: what German
// contract texts use and the letters of the names most often met in
// Germany (German, Western European, Turkish, Polish, Czech and Slovak,
// Croatian, Romanian, Hungarian), so that most contracts need one font per
// style. At most 129.
const common = "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ" +
	"€§–—„“”‘’…°×½«»\u00A0" +
	"ĞğŞşİı" + "ĄąĆćĘęŁłŃńŚśŹźŻż" + "ČčĎďĚěŇňŘřŠšŤťŮůŽžĽľ" + "Đđ" + "ĂăȘșȚț" + "ŐőŰű"

// encodings makes encoding 0 from ASCII and common, each character of
// Windows-1252 at its code there (fewer differences to WinAnsiEncoding),
// and puts the remaining covered characters in code point order into
// further encodings, 129 each after ASCII.
func encodings(covered map[rune]bool) ([]encoding, error) {
	ascii := func() (e encoding) {
		for code := 0x20; code < firstCode; code++ {
			e[code] = rune(code)
		}
		return e
	}
	first := ascii()
	in := map[rune]bool{}
	var later []rune
	for _, r := range common {
		if !covered[r] || in[r] {
			return nil, fmt.Errorf("U+%04X: not in both fonts or twice in the list", r)
		}
		in[r] = true
		b, ok := charmap.Windows1252.EncodeRune(r)
		if ok && b >= firstCode {
			first[b] = r
		} else {
			later = append(later, r)
		}
	}
	for code := firstCode; code <= 0xFF && len(later) > 0; code++ {
		if first[code] == 0 {
			first[code], later = later[0], later[1:]
		}
	}
	if len(later) > 0 {
		return nil, fmt.Errorf("%d characters too many for encoding 0", len(later))
	}
	var rest []rune
	for r := range covered {
		if r >= firstCode && !in[r] {
			rest = append(rest, r)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	encs := []encoding{first}
	for len(rest) > 0 {
		e := ascii()
		n := min(len(rest), 0x100-firstCode)
		for i, r := range rest[:n] {
			e[firstCode+i] = r
		}
		rest = rest[n:]
		encs = append(encs, e)
	}
	return encs, nil
}

// winAnsi is the reference encoding of the differences MakeFont writes.
func winAnsi() (e encoding) {
	for code := 0x20; code <= 0xFF; code++ {
		if r := charmap.Windows1252.DecodeByte(byte(code)); r != unicode.ReplacementChar && r != 0x7F {
			e[code] = r
		}
	}
	return e
}

// writeMap writes e in fpdf's map format ("!E4 U+00E4 uni00E4").
func writeMap(path string, e encoding) error {
	var b strings.Builder
	for code, r := range e {
		if r == 0 {
			fmt.Fprintf(&b, "!%02X U+%04X .notdef\n", code, code)
			continue
		}
		fmt.Fprintf(&b, "!%02X U+%04X uni%04X\n", code, r, r)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func subset(in, out string, e encoding) error {
	var codes []string
	for _, r := range e {
		if r != 0 {
			codes = append(codes, fmt.Sprintf("U+%04X", r))
		}
	}
	cmd := exec.Command("pyftsubset", in, "--unicodes="+strings.Join(codes, ","),
		"--no-hinting", "--layout-features=", "--no-recalc-timestamp", "--output-file="+out)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pyftsubset: %w", err)
	}
	return nil
}

func rename(path, tag string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var def map[string]json.RawMessage
	if err := json.Unmarshal(b, &def); err != nil {
		return err
	}
	var name string
	if err := json.Unmarshal(def["Name"], &name); err != nil {
		return err
	}
	if def["Name"], err = json.Marshal(tag + "+" + name); err != nil {
		return err
	}
	if b, err = json.Marshal(def); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
