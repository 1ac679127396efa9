//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package allocation

import (
	"os"
	"syscall"
)

// mapFile maps f read-only; ok is false where it cannot.
func mapFile(f *os.File) (data []byte, unmap func(), ok bool) {
	size, ok := mappable(f)
	if !ok {
		return nil, nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { _ = syscall.Munmap(data) }, true
}
