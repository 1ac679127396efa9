package contract_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/kitaportal/kitaportal/contract"
)

func TestZZDump(t *testing.T) {
	dir := os.Getenv("DUMP_DIR")
	if dir == "" {
		t.Skip()
	}
	rr, _ := contract.NewRenderer()
	for _, lang := range []contract.Language{contract.German, contract.English} {
		dr := validDraft()
		dr.Language = lang
		c, err := contract.Generate(dr, bochumRules(t))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rr.Render(&b, c); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(dir+"/"+lang.String()+".pdf", b.Bytes(), 0o644)
	}
}
