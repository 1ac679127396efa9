package postgres

import (
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkDecodeApplications decodes the stored documents of a Bochum
// year (8,861 applications), as a round's dry run reads them.
func BenchmarkDecodeApplications(b *testing.B) {
	const year = 8861
	docs := make([][]byte, year)
	for i := range docs {
		a := storedApplication()
		a.ID = fmt.Sprintf("app-%06d", i)
		doc, err := json.Marshal(toApplicationDoc(a))
		if err != nil {
			b.Fatal(err)
		}
		docs[i] = doc
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, doc := range docs {
			if _, err := decodeApplication(3, doc); err != nil {
				b.Fatal(err)
			}
		}
	}
}
