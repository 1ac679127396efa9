package allocation

import "testing"

// Bochum: one Kindergartenjahr of Voranmeldungen in Bochum.
var bochumYear = genSpec{applicants: 8_861, facilities: 190, choices: 5, capacity: 11_435, bands: true}

// NRW: every Voranmeldung of North Rhine-Westphalia in one round.
var nrw = genSpec{applicants: 750_000, facilities: 10_500, choices: 5, capacity: 650_000, bands: true}

func benchmarkRun(b *testing.B, spec genSpec, m Mechanism) {
	inst := generate(spec, 2026)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(inst, Options{Mechanism: m}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBochumYear(b *testing.B) {
	for _, m := range []Mechanism{DeferredAcceptance, KitaProposing, ImmediateAcceptance} {
		b.Run(m.String(), func(b *testing.B) { benchmarkRun(b, bochumYear, m) })
	}
}

func BenchmarkNRW(b *testing.B) {
	benchmarkRun(b, nrw, DeferredAcceptance)
}
