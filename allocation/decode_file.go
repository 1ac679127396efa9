package allocation

import (
	"io"
	"os"
	"runtime/debug"
)

// DecodeFile decodes the instance in f, read from its start, exactly as
// [DecodeBuffered] does. Where the system allows, it maps the file into
// memory instead of reading it: the file's bytes then take no room on the
// heap, so that a large state's file is decoded without a garbage
// collection. The mapping is released as DecodeFile returns; the file
// must not change while DecodeFile runs (a file cut short while mapped is
// decoded again by [Decode], which reports what it then reads).
func DecodeFile(f *os.File) (Instance, error) {
	data, unmap, ok := mapFile(f)
	if !ok {
		return DecodeBuffered(f)
	}
	inst, ok := decodeMapped(data)
	// Nothing decoded refers to the mapping; releasing it (the page table
	// entries of a whole state's file) need not hold up the caller.
	go unmap()
	if ok {
		return inst, nil
	}
	// Mapping does not move the file's offset: Decode reads from the start.
	return Decode(f)
}

// decodeMapped runs decodeParts over mapped memory: a fault reading it
// (the file was cut short) makes ok false instead of ending the program.
func decodeMapped(data []byte) (inst Instance, ok bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverFault(func() { inst, ok = Instance{}, false })
	return decodeParts(data, partSize, true)
}

// recoverFault calls failed when the goroutine panics on a memory fault;
// other panics go on.
func recoverFault(failed func()) {
	r := recover()
	if r == nil {
		return
	}
	if _, fault := r.(interface{ Addr() uintptr }); !fault {
		panic(r)
	}
	failed()
}

// mappable reports whether f can be mapped: a regular, non-empty file of at
// most MaxInputSize bytes, its offset at the start.
func mappable(f *os.File) (int, bool) {
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() == 0 || info.Size() > MaxInputSize {
		return 0, false
	}
	if off, err := f.Seek(0, io.SeekCurrent); err != nil || off != 0 {
		return 0, false
	}
	return int(info.Size()), true
}
