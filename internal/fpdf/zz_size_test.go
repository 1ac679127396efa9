package fpdf

import (
	"os"
	"testing"
	"time"
	"compress/zlib"
	"bytes"
)

func TestZZSize(t *testing.T) {
	ttf, _ := os.ReadFile(os.Getenv("TTF"))
	p, err := ParseUTF8Font(ttf)
	if err != nil { t.Fatal(err) }
	c := p.file.clone()
	runes := map[int]int{}
	for _, r := range "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789äöüÄÖÜß€şçÇ§–.,;:()%/-" { runes[int(r)] = int(r) }
	for i := 1; i < 32; i++ { runes[i]=0 }
	out := c.GenerateCutFont(runes)
	for k, v := range c.outTablesData { t.Logf("%s %d", k, len(v)) }
	t.Logf("total %d lastrune %d", len(out), c.LastRune)
	for _, lvl := range []int{1, 6, 9} {
		st := time.Now()
		var b bytes.Buffer
		for i := 0; i < 100; i++ { b.Reset(); w, _ := zlib.NewWriterLevel(&b, lvl); w.Write(out); w.Close() }
		t.Logf("level %d: %d bytes, %v per op", lvl, b.Len(), time.Since(st)/100)
	}
	{
		st := time.Now()
		for i := 0; i < 1000; i++ { xmem.compress(out).release() }
		t.Logf("pooled font: %v per op", time.Since(st)/1000)
		m := make([]byte, 131072)
		st = time.Now()
		for i := 0; i < 1000; i++ { xmem.compress(m).release() }
		t.Logf("pooled cidmap: %v per op", time.Since(st)/1000)
		st = time.Now()
		for i := 0; i < 1000; i++ { c := p.file.clone(); c.GenerateCutFont(runes) }
		t.Logf("cut: %v per op", time.Since(st)/1000)
	}
	m := make([]byte, 131072)
	st := time.Now()
	var b bytes.Buffer
	for i := 0; i < 100; i++ { b.Reset(); w, _ := zlib.NewWriterLevel(&b, 1); w.Write(m); w.Close() }
	t.Logf("cidmap: %d bytes, %v per op", b.Len(), time.Since(st)/100)
}
