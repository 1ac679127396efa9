// Copyright ©2026 The kitaportal Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

// kitaportal patch: parse a UTF-8 TrueType font once and add it to many
// documents. See PATCHES.md.

import (
	"errors"
	"fmt"
	"sync"
)

// UTF8Font is a UTF-8 TrueType font parsed once by [ParseUTF8Font] and
// added to any number of documents with [Fpdf.AddPreparedUTF8Font]. The
// parsed tables, the character widths and the font IDs are shared
// read-only; each document gets its own subsetting state. A UTF8Font is
// safe for concurrent use.
type UTF8Font struct {
	file *utf8FontFile // parsed and prepared for subsetting; never written again
	desc FontDescType
	up   int
	ut   int

	mu  sync.Mutex
	ids map[string]string // font ID by font key, as generateFontID computes it
}

// ParseUTF8Font parses a TrueType font for use with
// [Fpdf.AddPreparedUTF8Font]. The font bytes are kept and must not be
// modified afterwards.
func ParseUTF8Font(ttf []byte) (font *UTF8Font, err error) {
	defer func() { // the upstream parser indexes without bounds checks
		if r := recover(); r != nil {
			font, err = nil, fmt.Errorf("fpdf: malformed TrueType font: %v", r)
		}
	}()
	ttf = ttf[:len(ttf):len(ttf)] // the reader slices up to cap, not len
	utf := newUTF8Font(&fileReader{readerPosition: 0, array: ttf})
	if err := utf.parseFile(); err != nil {
		return nil, fmt.Errorf("fpdf: %w", err)
	}
	font = &UTF8Font{
		desc: FontDescType{
			Ascent:       utf.Ascent,
			Descent:      utf.Descent,
			CapHeight:    utf.CapHeight,
			Flags:        utf.Flags,
			FontBBox:     utf.Bbox,
			ItalicAngle:  utf.ItalicAngle,
			StemV:        utf.StemV,
			MissingWidth: round(utf.DefaultWidth),
		},
		up:  round(utf.UnderlinePosition),
		ut:  round(utf.UnderlineThickness),
		ids: map[string]string{},
	}
	// Subsetting re-reads the tables (and overwrites the widths with
	// unscaled ones); do it now, once, and keep the scaled widths.
	cw, dw := utf.CharWidths, utf.DefaultWidth
	if !utf.prepareCut() {
		return nil, errors.New("fpdf: font has no Unicode cmap")
	}
	utf.CharWidths, utf.DefaultWidth = cw, dw
	utf.cutPrepared = true
	font.file = utf
	return font, nil
}

// id returns the font ID of def (with def.Name set to the font key),
// computing it once per key.
func (p *UTF8Font) id(def fontDefType) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	id, ok := p.ids[def.Name]
	if !ok {
		id, _ = generateFontID(def)
		p.ids[def.Name] = id
	}
	return id
}

// clone returns a per-document copy of the parsed font: the tables read by
// subsetting are shared, the state that subsetting writes is fresh.
func (utf *utf8FontFile) clone() *utf8FontFile {
	c := *utf
	c.fileReader = &fileReader{readerPosition: 0, array: utf.fileReader.array}
	c.outTablesData = nil
	c.symbolData = nil
	c.CodeSymbolDictionary = nil
	c.LastRune = 0
	return &c
}

// AddPreparedUTF8Font makes font available under family and style, like
// [Fpdf.AddUTF8FontFromBytes] but without parsing the font again. The
// document is the same byte for byte.
func (f *Fpdf) AddPreparedUTF8Font(familyStr, styleStr string, font *UTF8Font) {
	if f.err != nil {
		return
	}
	if font == nil || font.file == nil {
		f.err = errors.New("fpdf: nil prepared font")
		return
	}
	fontkey := getFontKey(fontFamilyEscape(familyStr), styleStr)
	if _, ok := f.fonts[fontkey]; ok {
		return
	}
	var sbarr map[int]int
	if f.aliasNbPagesStr == "" {
		sbarr = makeSubsetRange(57)
	} else {
		sbarr = makeSubsetRange(32)
	}
	def := fontDefType{
		Tp:        "UTF8",
		Name:      fontkey,
		Desc:      font.desc,
		Up:        font.up,
		Ut:        font.ut,
		Cw:        font.file.CharWidths, // shared, read-only
		usedRunes: sbarr,
	}
	def.i = font.id(def)
	def.utf8File = font.file.clone()
	f.fonts[fontkey] = def
}
