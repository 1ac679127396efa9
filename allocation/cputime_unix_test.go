//go:build unix

package allocation

import (
	"syscall"
	"time"
)

// cpuTime is the processor time (user and system) the process has used so
// far: on a shared machine a steadier measure of work than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
