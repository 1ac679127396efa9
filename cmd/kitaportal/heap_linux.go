package main

import (
	"bytes"
	"os"
	"runtime"
	"runtime/metrics"
	"syscall"
)

// warmHeap prepares the heap for a command about to allocate about n
// bytes, most of them alive until it ends. A fresh process takes every
// page of its heap from the kernel one 4 KiB page fault at a time: for all
// of North Rhine-Westphalia (about 430 MB) some 110,000 faults, about a
// tenth of the command's processor time. Where transparent huge pages are
// given on request only (the "madvise" setting, the default of many
// distributions), warmHeap reserves n bytes on the heap, asks for huge
// pages there and frees them again untouched: the instance, the engine's
// arrays and the output then fill those pages, 2 MiB per fault (measured:
// 111,000 faults → 8,700, system time 0.4 → 0.2 s; peak +7 MB). With huge
// pages always or never, for small inputs, and in a process whose heap
// has already grown (whose pages are faulted in, and would have to be
// cleared for the reservation), it does nothing.
func warmHeap(n int64) {
	const least, most = 64 << 20, 400 << 20
	if n < least || !freshHeap(least) || !hugePagesOnRequest() {
		return
	}
	b := make([]byte, min(n, most))
	if syscall.Madvise(b, syscall.MADV_HUGEPAGE) != nil {
		return
	}
	b = nil
	runtime.GC() // frees b's pages for what comes
}

// hugePagesOnRequest reports whether the kernel gives transparent huge
// pages to memory that asks for them, and only to that.
func hugePagesOnRequest() bool {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && bytes.Contains(mode, []byte("[madvise]"))
}

// freshHeap reports whether the process has taken less than limit bytes
// of memory from the system so far.
func freshHeap(limit uint64) bool {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64() < limit
}
