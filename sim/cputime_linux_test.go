package sim_test

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPU returns the CPU time used so far by the calling OS thread. With
// the goroutine locked to its thread, the difference of two readings is the
// CPU time the benchmark loop really got, which stays meaningful on a shared
// machine where wall time does not.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func lockThread() func() { runtime.LockOSThread(); return runtime.UnlockOSThread }
