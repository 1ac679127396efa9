// Copyright ©2026 The kitaportal Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/goregular"
)

func preparedDoc(t *testing.T, add func(f *Fpdf), text string) []byte {
	t.Helper()
	f := New("P", "mm", "A4", "")
	f.SetCreationDate(time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC))
	f.SetModificationDate(time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC))
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	add(f)
	f.AddPage()
	f.SetFont("go", "", 10)
	f.MultiCell(0, 5, text+" {nb}", "", "L", false)
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPreparedUTF8Font(t *testing.T) {
	font, err := ParseUTF8Font(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	const text = "Jürgen Ößmann-Çelik, Ayşe, 112,50 € – § 20"
	want := preparedDoc(t, func(f *Fpdf) { f.AddUTF8FontFromBytes("go", "", goregular.TTF) }, text)

	t.Run("a prepared font gives the same document as parsing the bytes", func(t *testing.T) {
		got := preparedDoc(t, func(f *Fpdf) { f.AddPreparedUTF8Font("go", "", font) }, text)
		if !bytes.Equal(want, got) {
			t.Error("documents differ")
		}
	})
	t.Run("documents on many goroutines share one prepared font", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				s := text
				if i%2 == 1 {
					s = "çğışöü ÇĞİŞÖÜ"
				}
				got := preparedDoc(t, func(f *Fpdf) { f.AddPreparedUTF8Font("go", "", font) }, s)
				if i%2 == 0 && !bytes.Equal(want, got) {
					t.Error("documents differ")
				}
			})
		}
		wg.Wait()
	})
	t.Run("the font bytes are not modified", func(t *testing.T) {
		if !bytes.Equal(font.file.fileReader.array, goregular.TTF) {
			t.Error("font bytes changed")
		}
	})
	t.Run("a malformed font is an error", func(t *testing.T) {
		for _, b := range [][]byte{nil, []byte("not a font"), goregular.TTF[:200]} {
			if _, err := ParseUTF8Font(b); err == nil {
				t.Errorf("no error for %d bytes", len(b))
			}
		}
	})
}
