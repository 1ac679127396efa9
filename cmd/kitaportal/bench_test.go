package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kitaportal/kitaportal/allocation"
)

// benchSizes scale all of North Rhine-Westphalia (750,000 children, 10,500
// Kitas, 650,000 places, five choices each) down, keeping its proportions;
// "nrw" is `kitaportal simulate -size nrw`.
var benchSizes = []struct {
	name       string
	applicants int
}{{"50k", 50_000}, {"100k", 100_000}, {"200k", 200_000}, {"400k", 400_000}, {"nrw", 750_000}}

// simulatedFile writes `kitaportal simulate` of the given size into dir.
func simulatedFile(b *testing.B, dir string, applicants int) string {
	b.Helper()
	path := filepath.Join(dir, "instance-"+strconv.Itoa(applicants)+".json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	args := []string{"simulate", "-size", "nrw", "-seed", "2026",
		"-applicants", strconv.Itoa(applicants),
		"-facilities", strconv.Itoa(10_500 * applicants / 750_000),
		"-capacity", strconv.Itoa(650_000 * applicants / 750_000)}
	if code := run(args, f, io.Discard); code != exitOK {
		b.Fatalf("simulate: exit %d", code)
	}
	return path
}

// reportCPU reports the processor time per operation since start, as
// cpu-ns/op: on a machine shared with other work, wall time (ns/op) grows
// with the load, processor time much less.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkAllocateFile is the whole command: read and decode the file,
// validate, rank, allocate, write the compact result, with the command's
// garbage collector settings (tuneGC).
func BenchmarkAllocateFile(b *testing.B) {
	dir := b.TempDir()
	defer tuneGC()()
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			path := simulatedFile(b, dir, size.applicants)
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if code := run([]string{"allocate", "-instance", path}, io.Discard, io.Discard); code != exitOK {
					b.Fatalf("allocate: exit %d", code)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkDecodeFile is the floor of BenchmarkAllocateFile: reading the
// file alone (read), tokenising it (tokens) and decoding it into an
// Instance with the streaming decoder (decode), on all cores (buffered)
// and on all cores from the mapped file (file, as the command reads).
func BenchmarkDecodeFile(b *testing.B) {
	dir := b.TempDir()
	for _, size := range []int{50_000, 750_000} {
		path := simulatedFile(b, dir, size)
		name := strconv.Itoa(size/1000) + "k"
		if size == 750_000 {
			name = "nrw"
		}
		b.Run(name+"/read", func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			defer reportCPU(b, cpu)
			for b.Loop() {
				if _, err := os.ReadFile(path); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/tokens", func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			defer reportCPU(b, cpu)
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				dec := jsontext.NewDecoder(f)
				for {
					if _, err := dec.ReadToken(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
				f.Close()
			}
		})
		for _, dec := range []struct {
			name   string
			decode func(*os.File) (allocation.Instance, error)
		}{
			{"decode", func(f *os.File) (allocation.Instance, error) { return allocation.Decode(f) }},
			{"buffered", func(f *os.File) (allocation.Instance, error) { return allocation.DecodeBuffered(f) }},
			{"file", allocation.DecodeFile},
		} {
			b.Run(name+"/"+dec.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu := cpuTime()
				defer reportCPU(b, cpu)
				for b.Loop() {
					f, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := dec.decode(f); err != nil {
						b.Fatal(err)
					}
					f.Close()
				}
			})
		}
	}
}
