package allocation

import (
	"testing"
	"time"
)

// reportCPU reports the processor time per operation since start, as
// cpu-ns/op: on a machine shared with other work, wall time (ns/op) grows
// with the load, processor time much less.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// Bochum: one Kindergartenjahr of Voranmeldungen in Bochum.
var bochumYear = genSpec{applicants: 8_861, facilities: 190, choices: 5, capacity: 11_435, bands: true}

// bochumFamilies: a Bochum year with about 5 % of the children in
// together-families and as many in sibling families.
var bochumFamilies = genSpec{applicants: 8_861, facilities: 190, choices: 5, capacity: 11_435, bands: true, families: 5}

// nrwFamilies: all of NRW with the same shares.
var nrwFamilies = genSpec{applicants: 750_000, facilities: 10_500, choices: 5, capacity: 650_000, bands: true, families: 5}

// NRW: every Voranmeldung of North Rhine-Westphalia in one round.
var nrw = genSpec{applicants: 750_000, facilities: 10_500, choices: 5, capacity: 650_000, bands: true}

// benchmarkEngine measures the engine alone: validation, priorities and
// the mechanism (Compile and Allocate), not the conversion to maps. Where
// deferred acceptance needs only every choice's priority key, the Kitas'
// whole orders are left to the outcome that needs them
// (BenchmarkNRWOrders measures them too).
func benchmarkEngine(b *testing.B, spec genSpec, m Mechanism) {
	benchmarkEngineThen(b, spec, m, nil)
}

// benchmarkEngineThen is benchmarkEngine calling then, unless nil, with
// each outcome.
func benchmarkEngineThen(b *testing.B, spec genSpec, m Mechanism, then func(*Outcome)) {
	inst := generate(spec, 2026)
	b.ReportAllocs()
	cpu := cpuTime()
	defer reportCPU(b, cpu)
	for b.Loop() {
		comp, err := Compile(inst)
		if err != nil {
			b.Fatal(err)
		}
		out, err := comp.Allocate(Options{Mechanism: m})
		if err != nil {
			b.Fatal(err)
		}
		if then != nil {
			then(out)
		}
	}
}

func BenchmarkBochumYear(b *testing.B) {
	for _, m := range []Mechanism{DeferredAcceptance, KitaProposing, ImmediateAcceptance} {
		b.Run(m.String(), func(b *testing.B) { benchmarkEngine(b, bochumYear, m) })
	}
}

func BenchmarkNRW(b *testing.B) {
	benchmarkEngine(b, nrw, DeferredAcceptance)
}

// BenchmarkNRWOrders is BenchmarkNRW with every Kita's whole priority
// order and every choice's rank built, as an outcome's cut-offs,
// statistics and explanations need them.
func BenchmarkNRWOrders(b *testing.B) {
	benchmarkEngineThen(b, nrw, DeferredAcceptance, func(o *Outcome) { o.e.ordered() })
}

// BenchmarkNRWResult is Run: the engine and a Result of maps keyed by id
// (placements, every Kita's priority order, cut-offs).
func BenchmarkNRWResult(b *testing.B) {
	inst := generate(nrw, 2026)
	b.ReportAllocs()
	cpu := cpuTime()
	defer reportCPU(b, cpu)
	for b.Loop() {
		if _, err := Run(inst, Options{Mechanism: DeferredAcceptance}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBochumYearFamilies(b *testing.B) {
	benchmarkEngine(b, bochumFamilies, DeferredAcceptance)
}

func BenchmarkNRWFamilies(b *testing.B) {
	benchmarkEngine(b, nrwFamilies, DeferredAcceptance)
}

// bochumHours: a Bochum year with pools by hours and months, hours on
// every choice and a start month for every child, about 5 % of the
// children in together-families and as many in sibling families.
var bochumHours = genSpec{applicants: 8_861, facilities: 190, choices: 5, capacity: 11_435, bands: true, families: 5, hours: true, months: true}

// nrwHours: all of NRW with the same pools, hours, months and families.
var nrwHours = genSpec{applicants: 750_000, facilities: 10_500, choices: 5, capacity: 650_000, bands: true, families: 5, hours: true, months: true}

func BenchmarkBochumYearHours(b *testing.B) {
	benchmarkEngine(b, bochumHours, DeferredAcceptance)
}

func BenchmarkNRWHours(b *testing.B) {
	benchmarkEngine(b, nrwHours, DeferredAcceptance)
}

// BenchmarkPositionsOfBochumYear explains every child of a Bochum year at
// once, as the first dry run of a year does for its changes: one build of
// the instance, then each child's rank and the last admitted rank on each
// of its lists.
func BenchmarkPositionsOfBochumYear(b *testing.B) {
	inst := generate(bochumYear, 2026)
	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(inst.Applicants))
	for i, a := range inst.Applicants {
		ids[i] = a.ID
	}
	b.ReportAllocs()
	cpu := cpuTime()
	defer reportCPU(b, cpu)
	for b.Loop() {
		if _, err := PositionsOf(inst, res, ids); err != nil {
			b.Fatal(err)
		}
	}
}
