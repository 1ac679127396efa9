package fpdf_test

import (
	"bytes"
	"testing"
	"time"

	upstream "codeberg.org/go-pdf/fpdf"

	"github.com/kitaportal/kitaportal/internal/fpdf"
)

// TestSameOutputAsUpstream renders one document with the fork and with
// codeberg.org/go-pdf/fpdf v0.12.0 through the same calls: apart from the
// patches listed in PATCHES.md (none of which touch a document with core
// fonts), the bytes must be the same.
func TestSameOutputAsUpstream(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	render := func(pdf interface {
		SetCreationDate(time.Time)
		SetModificationDate(time.Time)
		SetCatalogSort(bool)
		AddPage()
		SetFont(string, string, float64)
		Cell(float64, float64, string)
		Ln(float64)
		MultiCell(float64, float64, string, string, string, bool)
	}) {
		pdf.SetCreationDate(at)
		pdf.SetModificationDate(at)
		pdf.SetCatalogSort(true)
		pdf.AddPage()
		pdf.SetFont("Helvetica", "B", 16)
		pdf.Cell(40, 10, "Betreuungsvertrag")
		pdf.Ln(12)
		pdf.SetFont("Helvetica", "", 11)
		for range 40 {
			pdf.MultiCell(0, 5, "Der Vertrag endet am 31. Juli vor der Einschulung. Die Eingewöhnung dauert mindestens vier Wochen.", "", "L", false)
		}
	}
	var a, b bytes.Buffer
	fork := fpdf.New("P", "mm", "A4", "")
	render(fork)
	if err := fork.Output(&a); err != nil {
		t.Fatal(err)
	}
	orig := upstream.New("P", "mm", "A4", "")
	render(orig)
	if err := orig.Output(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("the fork renders %d bytes, upstream %d; they must be equal", a.Len(), b.Len())
	}
}
