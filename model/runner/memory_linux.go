package runner

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// physicalMemory returns the machine's memory in bytes, or 0 if unknown.
func physicalMemory() uint64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return uint64(si.Totalram) * uint64(si.Unit)
}

// containerMemory returns the cgroup v2 memory limit of this process's
// group (a container's, a Kubernetes pod's, a Slurm job's), or 0 if none.
func containerMemory() uint64 {
	data, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil { // "max": no limit
		return 0
	}
	return n
}

// addressSpace returns the process's address-space limit (ulimit -v), or 0
// if none.
func addressSpace() uint64 {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) != nil || rl.Cur == ^uint64(0) {
		return 0
	}
	return rl.Cur
}

// mapped returns the address space this process has mapped so far
// (VmSize: the Go runtime reserves much of it at start, over a GiB on
// amd64, before any heap), or 0 if unknown.
func mapped() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmSize:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
