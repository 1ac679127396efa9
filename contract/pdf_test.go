package contract_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kitaportal/kitaportal/contract"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext missing: apt-get install poppler-utils")
		}
		t.Skip("pdftotext missing: apt-get install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "c.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o600))
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	require.NoError(t, err)
	return string(out)
}

func TestRender(t *testing.T) {
	rr, err := contract.NewRenderer()
	require.NoError(t, err)
	r := bochumRules(t)
	for _, lang := range []contract.Language{contract.German, contract.English} {
		dr := validDraft()
		dr.Language = lang
		c, err := contract.Generate(dr, r)
		require.NoError(t, err)
		var a, b bytes.Buffer
		require.NoError(t, rr.Render(&a, c))
		require.NoError(t, rr.Render(&b, c))

		t.Run("two renders of the "+lang.String()+" contract are byte-identical", func(t *testing.T) {
			assert.True(t, bytes.Equal(a.Bytes(), b.Bytes()))
			assert.True(t, bytes.HasPrefix(a.Bytes(), []byte("%PDF-")))
			assert.Less(t, a.Len(), 40_000, "PDF size")
		})
		t.Run("the "+lang.String()+" text survives extraction", func(t *testing.T) {
			text := pdftotext(t, a.Bytes())
			flat := strings.Join(strings.Fields(text), " ")
			for _, want := range []string{"Jürgen Ößmann-Çelik", "Ayşe Ößmann-Çelik", "Kita Sonnenblume Weitmar",
				"Gülşen Straßburger", "Hohenzollern-Sigmaringen-Ößmann", "35", "§ 20", "Seite 1 von 2"} {
				if lang == contract.English && want == "Seite 1 von 2" {
					want = "Page 1 of 2"
				}
				assert.Contains(t, flat, want)
			}
			for _, band := range c.Fees().Bands {
				assert.Contains(t, text, contract.FormatEuro(band.Fee, lang))
				assert.Contains(t, text, contract.FormatEuro(band.MealFee, lang))
			}
			if lang == contract.German {
				assert.Contains(t, text, "112,50 €")
				assert.Contains(t, text, "71,25 €")
			} else {
				assert.Contains(t, flat, "Only the German text of this contract is binding")
			}
		})
	}
}

func TestRenderConcurrently(t *testing.T) {
	rr, err := contract.NewRenderer()
	require.NoError(t, err)
	r := bochumRules(t)
	var contracts []contract.Contract
	var want [][]byte
	for _, lang := range []contract.Language{contract.German, contract.English} {
		dr := validDraft()
		dr.Language = lang
		c, err := contract.Generate(dr, r)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, rr.Render(&buf, c))
		contracts = append(contracts, c)
		want = append(want, buf.Bytes())
	}
	require.False(t, bytes.Equal(want[0], want[1]))

	t.Run("renders on many goroutines sharing one renderer are byte-identical", func(t *testing.T) {
		const goroutines, each = 8, 6
		got := make([][][]byte, goroutines)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for i := range each {
					var buf bytes.Buffer
					if err := rr.Render(&buf, contracts[(g+i)%2]); err != nil {
						t.Error(err)
						return
					}
					got[g] = append(got[g], buf.Bytes())
				}
			})
		}
		wg.Wait()
		for g := range goroutines {
			require.Len(t, got[g], each)
			for i, pdf := range got[g] {
				assert.True(t, bytes.Equal(want[(g+i)%2], pdf), "goroutine %d, render %d", g, i)
			}
		}
	})
}

func TestWriteFile(t *testing.T) {
	rr, err := contract.NewRenderer()
	require.NoError(t, err)
	dir := t.TempDir()
	t.Run("a generated contract is written atomically", func(t *testing.T) {
		c, err := contract.Generate(validDraft(), bochumRules(t))
		require.NoError(t, err)
		path := filepath.Join(dir, "ok.pdf")
		require.NoError(t, rr.WriteFile(path, c))
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
		entries, _ := os.ReadDir(dir)
		assert.Len(t, entries, 1, "no temporary file is left")
	})
	t.Run("a renderer not made by NewRenderer writes nothing and says why", func(t *testing.T) {
		c, err := contract.Generate(validDraft(), bochumRules(t))
		require.NoError(t, err)
		var zero contract.Renderer
		var buf bytes.Buffer
		require.Error(t, zero.Render(&buf, c))
		assert.Zero(t, buf.Len())
		path := filepath.Join(dir, "zero.pdf")
		require.Error(t, zero.WriteFile(path, c))
		_, statErr := os.Stat(path)
		assert.True(t, os.IsNotExist(statErr))
	})
	t.Run("bad input writes no file", func(t *testing.T) {
		dr := validDraft()
		dr.Guardians = nil
		c, err := contract.Generate(dr, bochumRules(t))
		require.Error(t, err)
		path := filepath.Join(dir, "bad.pdf")
		assert.ErrorIs(t, rr.WriteFile(path, c), contract.ErrNotGenerated)
		var buf bytes.Buffer
		assert.ErrorIs(t, rr.Render(&buf, c), contract.ErrNotGenerated)
		assert.Zero(t, buf.Len())
		_, statErr := os.Stat(path)
		assert.True(t, os.IsNotExist(statErr))
		entries, _ := os.ReadDir(dir)
		assert.Len(t, entries, 1)
	})
}

// BenchmarkRender renders Bochum contracts on all cores (11,435 places a
// year) and reports contracts per second and the PDF size.
func BenchmarkRender(b *testing.B) {
	c, err := contract.Generate(validDraft(), bochumRules(b))
	require.NoError(b, err)
	renderParallel(b, c)
}

// BenchmarkRenderScripts renders contracts whose names need many fonts
// (Greek, Cyrillic, Vietnamese from the fallback font, more Latin, a
// substitute).
func BenchmarkRenderScripts(b *testing.B) {
	dr := validDraft()
	dr.Child.Name = "Σωκράτης Παπαδόπουλος-Kuznetsova"
	dr.Guardians[0].Name = "Наталья Кузнецова 👶"
	dr.Guardians[1].Name = "Nguyễn Thị Hương Ŋ Ħ Ŀ ŉ ☺"
	c, err := contract.Generate(dr, bochumRules(b))
	require.NoError(b, err)
	renderParallel(b, c)
}

func renderParallel(b *testing.B, c contract.Contract) {
	rr, err := contract.NewRenderer()
	require.NoError(b, err)
	var size atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var buf bytes.Buffer
		for pb.Next() {
			buf.Reset()
			if err := rr.Render(&buf, c); err != nil {
				b.Error(err)
				return
			}
			size.Store(int64(buf.Len()))
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contracts/s")
	b.ReportMetric(float64(size.Load()), "pdfbytes/op")
}

// BenchmarkRenderSerial renders one contract after another on one goroutine.
func BenchmarkRenderSerial(b *testing.B) {
	rr, err := contract.NewRenderer()
	require.NoError(b, err)
	c, err := contract.Generate(validDraft(), bochumRules(b))
	require.NoError(b, err)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := rr.Render(&buf, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "contracts/s")
	b.ReportMetric(float64(buf.Len()), "pdfbytes/op")
}

func TestRenderNamesInAnyScript(t *testing.T) {
	rr, err := contract.NewRenderer()
	require.NoError(t, err)
	tests := []struct {
		name, child, guardian string
		want                  []string // read back by pdftotext
		substitutes           bool     // U+FFFD stands for characters the fonts lack
	}{
		{"a child name with a character outside the Basic Multilingual Plane renders, the rest of it is read back",
			"𠮷野 Sakura Ößmann", "Ayşe Ößmann-Çelik", []string{"Sakura Ößmann", "Ayşe Ößmann-Çelik"}, true},
		{"an emoji in a guardian name renders, the rest of it is read back",
			"Jürgen Yılmaz", "Ayşe 👶 Yılmaz", []string{"Jürgen Yılmaz", "Ayşe", "Yılmaz"}, true},
		{"an emoji sequence with joiners, modifiers and variation selectors gives one substitute",
			"Mia Kowalska", "Łucja 👨‍👩‍👧 👋🏽 ❤️ Kowalska", []string{"Mia Kowalska", "Łucja � � � Kowalska"}, true},
		{"a CJK name renders as substitutes and the Latin part is read back",
			"王 小明 (Xiaoming Wang)", "李 娜 Li", []string{"(Xiaoming Wang)", "Li"}, true},
		{"Greek and Cyrillic names come back exactly",
			"Σωκράτης Παπαδόπουλος", "Наталья Кузнецова-Ёлкина", []string{"Σωκράτης Παπαδόπουλος", "Наталья Кузнецова-Ёлкина"}, false},
		{"Vietnamese, Armenian and Georgian names come back exactly from the fallback font",
			"Nguyễn Thị Hương", "Արամ Խաչատրյան ნინო ბერიძე", []string{"Nguyễn Thị Hương", "Արամ Խաչատրյան ნინო ბერიძე"}, false},
		{"a letter with a mark that has no precomposed form keeps the mark",
			"Zoë n\u0308 Müller", "Ayşe Çelik", []string{"Zoë n\u0308 Müller"}, false},
		{"letters typed as base and combining mark come back composed",
			"Ju\u0308rgen O\u0308ßmann", "Ays\u0327e Çelik", []string{"Jürgen Ößmann", "Ayşe Çelik"}, false},
		{"the names of German, Turkish, Polish, Czech, Romanian and Hungarian families come back exactly",
			"Žofie Řezníčková-Ďurková", "Ștefan Țăranu Őrsi Gyűrű Małgorzata Świątek", []string{"Žofie Řezníčková-Ďurková", "Ștefan Țăranu Őrsi Gyűrű Małgorzata Świątek"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dr := validDraft()
			dr.Child.Name = tt.child
			dr.Guardians[0].Name = tt.guardian
			c, err := contract.Generate(dr, bochumRules(t))
			require.NoError(t, err)
			var a, b bytes.Buffer
			require.NoError(t, rr.Render(&a, c))
			require.NoError(t, rr.Render(&b, c))
			assert.True(t, bytes.Equal(a.Bytes(), b.Bytes()), "byte-identical")
			flat := strings.Join(strings.Fields(pdftotext(t, a.Bytes())), " ")
			for _, w := range tt.want {
				assert.Contains(t, flat, w)
			}
			assert.Equal(t, tt.substitutes, strings.ContainsRune(flat, '\uFFFD'))
		})
	}
}

// FuzzRenderName renders a contract for any child and guardian name that
// Generate accepts: no panic, no error, a PDF.
func FuzzRenderName(f *testing.F) {
	rr, err := contract.NewRenderer()
	require.NoError(f, err)
	rules := bochumRules(f)
	for _, s := range []string{"Ayşe Ößmann-Çelik", "𠮷野 👶", "a\nb\tc\u200d\ufe0f", "Наталья", "\xff\xfe", strings.Repeat("W", 300)} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, child, guardian string) {
		dr := validDraft()
		dr.Child.Name = child
		dr.Guardians[0].Name = guardian
		c, err := contract.Generate(dr, rules)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		require.NoError(t, rr.Render(&buf, c))
		require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	})
}
