//go:build unix

package scenarios

import (
	"os"
	"syscall"
)

// openFlags open a file for reading without blocking on a named pipe.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
