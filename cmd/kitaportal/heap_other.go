//go:build !linux

package main

// warmHeap does nothing where transparent huge pages cannot be asked for.
func warmHeap(int64) {}
