package contract

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kitaportal/kitaportal/internal/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

const (
	fontFamily = "go"
	pageAlias  = "{nb}"
	lineH      = 5.0
)

// Renderer turns contracts into PDF documents (A4, the Go fonts embedded as
// subsets, compressed). It uses the patched fpdf copy in internal/fpdf
// (see its PATCHES.md): upstream fpdf parses both fonts again for every
// document, which alone limits it to a few hundred contracts per second. Create it once with [NewRenderer]; it is safe for
// concurrent use. The same contract always gives the same bytes: the
// document's dates come from [Contract.CreatedAt] and nothing reads a
// clock.
type Renderer struct {
	// regular and bold are parsed once and shared read-only by all
	// documents; each document keeps its own subset of the glyphs.
	regular, bold *fpdf.UTF8Font
}

// NewRenderer parses and checks the embedded fonts once and returns a
// renderer.
func NewRenderer() (*Renderer, error) {
	regular, err := fpdf.ParseUTF8Font(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("contract: font check: %w", err)
	}
	bold, err := fpdf.ParseUTF8Font(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("contract: font check: %w", err)
	}
	r := &Renderer{regular: regular, bold: bold}
	f := r.newDoc()
	f.AddPage()
	f.SetFont(fontFamily, "B", 10)
	f.Cell(10, 10, "Prüfung €")
	if err := f.Output(io.Discard); err != nil {
		return nil, fmt.Errorf("contract: font check: %w", err)
	}
	return r, nil
}

func (r *Renderer) newDoc() *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetProducer("kitaportal contract", false)
	f.SetCreator("kitaportal", false)
	f.AliasNbPages(pageAlias)
	f.AddPreparedUTF8Font(fontFamily, "", r.regular)
	f.AddPreparedUTF8Font(fontFamily, "B", r.bold)
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
	if !c.generated {
		return ErrNotGenerated
	}
	l := c.d.Language
	w := wordsDE
	if l == English {
		w = wordsEN
	}
	f := r.newDoc()
	f.SetCreationDate(c.d.CreatedAt)
	f.SetModificationDate(c.d.CreatedAt)
	f.SetTitle(w.title+" "+c.d.Number, true)
	f.SetFooterFunc(func() {
		f.SetY(-14)
		f.SetFont(fontFamily, "", 8)
		f.CellFormat(85, 5, w.number+" "+c.d.Number, "", 0, "L", false, 0, "")
		f.CellFormat(0, 5, fmt.Sprintf("%s %d %s %s", w.page, f.PageNo(), w.of, pageAlias), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	pw, _ := f.GetPageSize()
	lm, _, rm, _ := f.GetMargins()
	width := pw - lm - rm

	f.SetFont(fontFamily, "B", 16)
	f.MultiCell(width, 8, w.title, "", "L", false)
	f.SetFont(fontFamily, "", 9)
	f.MultiCell(width, lineH, fmt.Sprintf("%s %s, %s %s", w.number, c.d.Number, w.created, FormatDate(dateOf(c.d.CreatedAt), l)), "", "L", false)
	if w.translationNote != "" {
		f.SetFont(fontFamily, "B", 9)
		f.MultiCell(width, lineH, w.translationNote, "", "L", false)
	}
	heading := func(s string) {
		f.Ln(3)
		f.SetFont(fontFamily, "B", 11)
		f.MultiCell(width, 6, s, "", "L", false)
		f.SetFont(fontFamily, "", 10)
	}
	row := func(label, value string) {
		f.SetFont(fontFamily, "", 10)
		y := f.GetY()
		f.MultiCell(45, lineH, label, "", "L", false)
		y2 := f.GetY()
		if f.PageNo() > 0 && y2 > y {
			f.SetXY(lm+45, y)
		}
		f.MultiCell(width-45, lineH, value, "", "L", false)
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
	f.SetFont(fontFamily, "B", 9)
	for i, h := range []string{w.period, w.fee, w.mealFee, w.reason} {
		align := "L"
		if i == 1 || i == 2 {
			align = "R"
		}
		f.CellFormat(cols[i], 6, h, "B", 0, align, false, 0, "")
	}
	f.Ln(-1)
	f.SetFont(fontFamily, "", 9)
	for _, b := range c.fees.Bands {
		f.CellFormat(cols[0], lineH, FormatDate(b.From, German)+" – "+FormatDate(b.To, German), "", 0, "L", false, 0, "")
		f.CellFormat(cols[1], lineH, FormatEuro(b.Fee, l), "", 0, "R", false, 0, "")
		f.CellFormat(cols[2], lineH, FormatEuro(b.MealFee, l), "", 0, "R", false, 0, "")
		f.SetX(f.GetX() + 2)
		f.MultiCell(cols[3]-2, lineH, b.Explain(l), "", "L", false)
	}
	f.SetFont(fontFamily, "", 8)
	f.MultiCell(width, 4, w.feeNote, "", "L", false)

	heading(w.clauses)
	for i, cl := range c.clauses {
		f.SetFont(fontFamily, "B", 10)
		f.MultiCell(width, lineH, fmt.Sprintf("§ %d %s", i+1, cl.Title), "", "L", false)
		f.SetFont(fontFamily, "", 10)
		f.MultiCell(width, lineH, cl.Text, "", "L", false)
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
		f.SetFont(fontFamily, "", 8)
		f.CellFormat(70, 4, w.placeDate, "", 0, "L", false, 0, "")
		f.MultiCell(width-70, 4, s, "", "L", false)
	}
	if err := f.Output(out); err != nil {
		out.Reset()
		return fmt.Errorf("contract: render: %w", err)
	}
	return nil
}
