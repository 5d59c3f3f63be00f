//go:build unix

package outfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockName is the file an output folder is locked through while spotsim
// replaces or recovers its outputs.
const lockName = ".spotsim-lock"

// lock takes dir's lock, or fails at once when another process holds it.
// The returned function releases it.
func lock(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: another spotsim is writing its outputs there; wait for it or use another --out", dir)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
