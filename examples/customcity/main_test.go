package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun runs the tour with the built-in Musterstadt and checks what a
// city official would look for in its output.
func TestRun(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-families", "40", "-seed", "7", "-out", out}, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	got := stdout.String()
	for _, want := range []string{
		"Kita year from: 01.09.",
		"weekly hours: 20, 30, 40, 50",
		"Kitas per application: at most 3",
		"Lindenallee 12, 99901 -> Altstadt",
		"Lindenallee 60, 99901 -> Nordviertel",
		"catalogue: 8 Kitas",
		"Kita year of a start on 01.09.2027: 2027/2028, from 01.09.2027 to 31.08.2028",
		"born 30.06.2022: school entry 01.09.2028",
		"born 01.07.2022: school entry 01.09.2029",
		"registered: MS-2027-000001, Kita year 2027/2028, status confirmed, district Altstadt",
		"confirmation to sara.beispiel@familie.example: Eingangsbestätigung Ihrer Voranmeldung MS-2027-000001",
		"a fourth Kita: rejected (invalid input: kitas: registration.too_many_choices, rule matched: true)",
		"de: kitas: Sie können höchstens 3 Kitas wählen.",
		"en: kitas: You can choose at most 3 Kitas.",
		"45 hours a week: rejected (invalid input: hours: registration.hours_not_offered, rule matched: true)",
		"(möglich: 20, 30, 40, 50 Stunden pro Woche)",
		"stored applications after the rejections: 1",
		"round 1 on 15.03.2027 (deferred-acceptance)",
		"verified: 0 violations",
		"offer for MS-2027-000001: Kita Lindenbaum (u3)",
		"contract MS-2027-000001-V: Kita Lindenbaum, 01.09.2027 to 31.08.2031, 30 hours a week, settling in 3 weeks",
		"01.09.2027 – 31.05.2028   9 months  fee    80,00 €",
		"01.09.2030 – 31.08.2031  12 months  fee     0,00 €",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
	b, err := os.ReadFile(filepath.Join(out, "MS-2027-000001-V.pdf"))
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("the contract PDF was not written: %v", err)
	}

	// The same seed gives the same tour.
	var again bytes.Buffer
	if err := run(context.Background(), []string{"-families", "40", "-seed", "7", "-out", out}, &again, &stderr); err != nil {
		t.Fatal(err)
	}
	if again.String() != got {
		t.Error("two runs with the same seed differ")
	}
}

// TestOwnCity loads the city from a folder, as a city trying its own rules
// would, and reports a broken file with every problem in both languages.
func TestOwnCity(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"profile.json", "districts.json", "offices.json", "fees.json", "kitas.csv", "kitas-layout.json"} {
		b, err := builtin.ReadFile("city/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "profile.json" {
			b = bytes.Replace(b, []byte(`"max_choices": 3`), []byte(`"max_choices": 0`), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-city", dir, "-families", "0"}, &stdout, &stderr)
	if err == nil {
		t.Fatal("a profile with max_choices 0 is refused")
	}
	for _, want := range []string{"registration.rules_max_choices", "zwischen 1 und 50", "between 1 and 50"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	// Repaired, the folder runs like the built-in city.
	b, _ := builtin.ReadFile("city/profile.json")
	if err := os.WriteFile(filepath.Join(dir, "profile.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"-city", dir, "-families", "0"}, &stdout, &stderr); err != nil {
		t.Fatalf("run -city: %v", err)
	}
	if !strings.Contains(stdout.String(), "Musterstadt, profile from "+dir) {
		t.Errorf("the profile's source is named:\n%s", stdout.String())
	}
}

func TestFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{{"-families", "-1"}, {"-no-such-flag"}, {"extra"}, {"-city", filepath.Join(t.TempDir(), "missing")}} {
		if err := run(context.Background(), args, &stdout, &stderr); err == nil {
			t.Errorf("%q is refused", args)
		}
	}
}
