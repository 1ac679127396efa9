//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package allocation

import "os"

// mapFile does not map files on this system: DecodeFile reads them.
func mapFile(*os.File) (data []byte, unmap func(), ok bool) { return nil, nil, false }
