// Package outfile writes spotsim's outputs. Replace replaces the set of
// outputs in a folder as a unit (a staging folder, a manifest renamed as
// the commit point, and recovery by the next run), so that after a crash
// or a failure the folder holds the old set or the new one, never a mix.
// Write replaces one file atomically: the data goes to a temporary file in
// the destination folder, which is synced and renamed over the
// destination, so a reader (or a crash) sees the old file or the new one,
// never a truncated one.
package outfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write atomically replaces path with data.
func Write(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // make the rename itself durable; best effort
		d.Sync()
		d.Close()
	}
	return nil
}

// File is one output: a name inside the output folder and its content.
type File struct {
	Name string
	Data []byte
}

// WriteAll creates dir if needed and writes every file atomically, one by
// one: a crash between two files leaves some old and some new. Use Replace
// for a set of outputs that belong together.
func WriteAll(dir string, files []File) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := Write(filepath.Join(dir, f.Name), f.Data); err != nil {
			return err
		}
	}
	return nil
}
