//go:build !linux

package runner

// The machine's, the container's and the address-space limits, and the
// address space mapped, are not known here: 0.
func physicalMemory() uint64  { return 0 }
func containerMemory() uint64 { return 0 }
func addressSpace() uint64    { return 0 }
func mapped() uint64          { return 0 }
