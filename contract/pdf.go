package contract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
)

const (
	pageAlias = "{nb}"
	lineH     = 5.0
)

// Renderer turns contracts into PDF documents (A4, compressed fonts
// embedded). It stays on the fpdf library's public API: the fonts are
// prepared once, when the module is built (internal/fontgen), as subsets
// of the Go fonts, and of DejaVu Sans for what they lack, in single-byte
// encodings, so that a document only copies the compressed fonts it uses
// instead of parsing and subsetting a font per document. A character no
// font has (a CJK character, an emoji) is drawn as U+FFFD; it never makes
// a contract impossible. Create the renderer once with [NewRenderer]; it
// is safe for concurrent use. The same contract always gives the same
// bytes: the document's dates come from [Contract.CreatedAt] and nothing
// reads a clock.
type Renderer struct {
	fonts *fontSet
}

// NewRenderer returns a renderer. The embedded fonts are loaded and
// checked once per process, on the first call, and shared read-only by all
// renderers.
func NewRenderer() (*Renderer, error) {
	fs, err := sharedFonts()
	if err != nil {
		return nil, err
	}
	return &Renderer{fonts: fs}, nil
}

// sharedFonts loads the fonts and renders a page with every font of both
// styles.
var sharedFonts = sync.OnceValues(func() (*fontSet, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	f := (&Renderer{fonts: fs}).newPDF()
	d := newDoc(f, fs)
	f.AddPage()
	for s := range numStyles {
		d.font(s, 10)
		for k := range fs.defs[s] {
			d.put(5, []glyph{{int16(k), fs.sample[k]}})
		}
	}
	if err := f.Output(io.Discard); err != nil {
		return nil, fmt.Errorf("%w: %w", errFonts, err)
	}
	return fs, nil
})

// errNoRenderer: a Renderer not made by NewRenderer has no fonts.
var errNoRenderer = errors.New("contract: renderer not made by NewRenderer")

// newPDF starts a document with the contract's page setup.
func (r *Renderer) newPDF() *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	// Compressing the two pages' content would take a new zlib writer
	// (about 1 MB) per page and double the time of a contract for about
	// 7 KB; the fonts are stored compressed.
	f.SetCompression(false)
	f.SetCatalogSort(true)
	f.SetProducer("kitaportal contract", false)
	f.SetCreator("kitaportal", false)
	f.AliasNbPages(pageAlias)
	f.SetMargins(20, 18, 20)
	f.SetAutoPageBreak(true, 20)
	return f
}

// Render writes c as PDF to w. The document is built in memory first, so
// on any error nothing at all is written to w. A Contract not made by
// [Generate] gives [ErrNotGenerated].
func (r *Renderer) Render(w io.Writer, c Contract) error {
	var buf bytes.Buffer
	if err := r.render(&buf, c); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteFile renders c into the file at path atomically: the PDF goes into a
// temporary file in the same directory, which is synced and renamed over
// path. On any error no file is left behind and an existing file at path
// stays as it was.
func (r *Renderer) WriteFile(path string, c Contract) (err error) {
	var buf bytes.Buffer
	if err := r.render(&buf, c); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".contract-*.pdf.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(buf.Bytes()); err != nil {
		return err
	}
	if err = tmp.Chmod(0o640); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// words are the fixed texts of the document in both languages.
type words struct {
	title, translationNote, number, created, parties, provider, carrier, representative,
	minder, guardian, child, name, born, address, care, start, end, hours, hoursUnit,
	settling, weeks, meals, mealYes, mealNo, fees, period, fee, mealFee, reason, feeNote,
	clauses, signatures, placeDate, page, of, kita, tagespflege string
}

var wordsDE = words{
	title: "Betreuungsvertrag", number: "Vertragsnummer", created: "erstellt am",
	parties: "Vertragsparteien", provider: "Einrichtung", carrier: "Träger", representative: "vertreten durch die Kita-Leitung",
	minder: "Tagespflegeperson", guardian: "Sorgeberechtigte/r", child: "Kind", name: "Name", born: "geboren am",
	address: "Anschrift", care: "Betreuung", start: "Beginn", end: "Ende", hours: "Betreuungsumfang",
	hoursUnit: "Stunden pro Woche", settling: "Eingewöhnung", weeks: "mindestens %d Wochen", meals: "Verpflegung",
	mealYes: "mit Mittagessen", mealNo: "ohne Mittagessen", fees: "Elternbeitrag nach der Beitragstabelle",
	period: "Zeitraum", fee: "Elternbeitrag", mealFee: "Essensgeld", reason: "Grund",
	feeNote: "Beträge monatlich; ein angefangener Monat zählt voll. Maßgeblich ist der Beitragsbescheid des Jugendamts.",
	clauses: "Vereinbarungen", signatures: "Unterschriften", placeDate: "Ort, Datum", page: "Seite", of: "von",
	kita: "Kita", tagespflege: "Kindertagespflege",
}

var wordsEN = words{
	title:           "Care contract (Betreuungsvertrag)",
	translationNote: "This is an English translation for information. Only the German text of this contract is binding.",
	number:          "Contract number", created: "created on",
	parties: "Parties", provider: "Facility", carrier: "Carrier (Träger)", representative: "represented by the Kita head",
	minder: "Child-minder (Tagespflegeperson)", guardian: "Guardian", child: "Child", name: "Name", born: "born on",
	address: "Address", care: "Care", start: "Start", end: "End", hours: "Care hours",
	hoursUnit: "hours per week", settling: "Settling-in", weeks: "at least %d weeks", meals: "Meals",
	mealYes: "with lunch", mealNo: "without lunch", fees: "Parent fee according to the fee schedule",
	period: "Period", fee: "Parent fee", mealFee: "Meal fee", reason: "Reason",
	feeNote: "Monthly amounts; a month begun counts in full. The youth office's fee notice is binding.",
	clauses: "Terms", signatures: "Signatures", placeDate: "Place, date", page: "Page", of: "of",
	kita: "Kita", tagespflege: "Kindertagespflege",
}

func addressLine(street, no, postal, city string) string {
	s := strings.TrimSpace(street + " " + no)
	return s + ", " + postal + " " + city
}

func (r *Renderer) render(out *bytes.Buffer, c Contract) error {
	if r == nil || r.fonts == nil {
		return errNoRenderer
	}
	if !c.generated {
		return ErrNotGenerated
	}
	l := c.d.Language
	w := wordsDE
	if l == English {
		w = wordsEN
	}
	f := r.newPDF()
	d := newDoc(f, r.fonts)
	f.SetCreationDate(c.d.CreatedAt)
	f.SetModificationDate(c.d.CreatedAt)
	f.SetTitle(w.title+" "+c.d.Number, true)
	f.SetFooterFunc(func() {
		d.aside(func() {
			f.SetY(-14)
			d.font(regular, 8)
			d.cell(85, 5, w.number+" "+c.d.Number, "", "L")
			d.cell(0, 5, fmt.Sprintf("%s %d %s %s", w.page, f.PageNo(), w.of, pageAlias), "", "R")
		})
	})
	f.AddPage()
	pw, _ := f.GetPageSize()
	lm, _, rm, _ := f.GetMargins()
	width := pw - lm - rm

	d.font(bold, 16)
	d.paragraph(width, 8, w.title)
	d.font(regular, 9)
	d.paragraph(width, lineH, fmt.Sprintf("%s %s, %s %s", w.number, c.d.Number, w.created, FormatDate(dateOf(c.d.CreatedAt), l)))
	if w.translationNote != "" {
		d.font(bold, 9)
		d.paragraph(width, lineH, w.translationNote)
	}
	heading := func(s string) {
		f.Ln(3)
		d.font(bold, 11)
		d.paragraph(width, 6, s)
		d.font(regular, 10)
	}
	row := func(label, value string) {
		d.font(regular, 10)
		y := f.GetY()
		d.paragraph(45, lineH, label)
		y2 := f.GetY()
		if f.PageNo() > 0 && y2 > y {
			f.SetXY(lm+45, y)
		}
		d.paragraph(width-45, lineH, value)
		if f.GetY() < y2 {
			f.SetY(y2)
		}
	}
	p := c.d.Provider
	heading(w.parties)
	if c.d.Kind == Kita {
		row(w.carrier, p.CarrierName)
		row(w.representative, p.Representative)
		row(w.provider, p.Name)
	} else {
		row(w.minder, p.Name)
	}
	row(w.address, addressLine(p.Address.Street, p.Address.HouseNumber, p.Address.PostalCode, p.Address.City))
	for i, g := range c.d.Guardians {
		label := w.guardian
		if len(c.d.Guardians) > 1 {
			label = fmt.Sprintf("%s %d", w.guardian, i+1)
		}
		row(label, g.Name)
		row(w.address, addressLine(g.Address.Street, g.Address.HouseNumber, g.Address.PostalCode, g.Address.City))
	}
	heading(w.child)
	ch := c.d.Child
	row(w.name, ch.Name)
	row(w.born, FormatDate(ch.BirthDate, l))
	row(w.address, addressLine(ch.Address.Street, ch.Address.HouseNumber, ch.Address.PostalCode, ch.Address.City))

	heading(w.care)
	kind := w.kita
	if c.d.Kind == Tagespflege {
		kind = w.tagespflege
	}
	row(w.start, FormatDate(c.d.Start, l)+" ("+kind+")")
	row(w.end, FormatDate(c.end, l))
	row(w.hours, fmt.Sprintf("%d %s", int(c.d.Hours), w.hoursUnit))
	row(w.settling, fmt.Sprintf(w.weeks, c.settling))
	meal := w.mealNo
	if c.d.MealPlan {
		meal = w.mealYes + ", " + FormatEuro(c.mealFee, l)
	}
	row(w.meals, meal)

	heading(w.fees)
	cols := []float64{44, 26, 24, width - 94}
	d.font(bold, 9)
	for i, h := range []string{w.period, w.fee, w.mealFee, w.reason} {
		align := "L"
		if i == 1 || i == 2 {
			align = "R"
		}
		d.cell(cols[i], 6, h, "B", align)
	}
	f.Ln(-1)
	d.font(regular, 9)
	for _, b := range c.fees.Bands {
		d.cell(cols[0], lineH, FormatDate(b.From, German)+" – "+FormatDate(b.To, German), "", "L")
		d.cell(cols[1], lineH, FormatEuro(b.Fee, l), "", "R")
		d.cell(cols[2], lineH, FormatEuro(b.MealFee, l), "", "R")
		f.SetX(f.GetX() + 2)
		d.paragraph(cols[3]-2, lineH, b.Explain(l))
	}
	d.font(regular, 8)
	d.paragraph(width, 4, w.feeNote)

	heading(w.clauses)
	for i, cl := range c.clauses {
		d.font(bold, 10)
		d.paragraph(width, lineH, fmt.Sprintf("§ %d %s", i+1, cl.Title))
		d.font(regular, 10)
		d.paragraph(width, lineH, cl.Text)
		f.Ln(1.5)
	}

	heading(w.signatures)
	signers := []string{p.Name}
	if c.d.Kind == Kita {
		signers[0] = p.Representative + " (" + p.CarrierName + ")"
	}
	for _, g := range c.d.Guardians {
		signers = append(signers, g.Name)
	}
	for _, s := range signers {
		if f.GetY() > 250 {
			f.AddPage()
		}
		f.Ln(12)
		y := f.GetY()
		f.Line(lm, y, lm+60, y)
		f.Line(lm+70, y, lm+width, y)
		d.font(regular, 8)
		d.cell(70, 4, w.placeDate, "", "L")
		d.paragraph(width-70, 4, s)
	}
	if err := f.Output(out); err != nil {
		out.Reset()
		return fmt.Errorf("contract: render: %w", err)
	}
	return nil
}
