//go:build unix

package outfile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lock takes dir's lock (flock on the folder itself, so no file is added
// to it), or fails at once when another process holds it. The returned
// function releases it.
func lock(dir string) (func(), error) {
	f, err := os.Open(dir)
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
