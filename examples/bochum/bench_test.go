package main

import (
	"context"
	"io"
	"strconv"
	"testing"
)

// BenchmarkYear runs the whole simulated year in memory, contracts
// included, with Bochum's 8,861 children: the figure behind "go run
// ./examples/bochum".
func BenchmarkYear(b *testing.B) {
	args := []string{"-quiet", "-children", strconv.Itoa(8861)}
	b.ReportAllocs()
	for b.Loop() {
		if err := run(context.Background(), args, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
