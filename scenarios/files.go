package scenarios

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// MaxFileBytes and MaxFileRows cap what a scenario may read from a data file.
const (
	MaxFileBytes = 64 << 20
	MaxFileRows  = 1000000
)

// fileReader reads the data files a scenario refers to. A scenario may only
// read files inside its own folder: absolute paths, paths that climb out with
// "..", and symbolic links that lead outside are refused. Built-in scenarios
// (dir == "") read no files.
type fileReader struct {
	dir   string
	read  int64                      // bytes read so far, against MaxDataBytes
	cache map[string][]time.Duration // durations by file name, read once
}

func (f *fileReader) open(name string) ([]byte, error) {
	if f.dir == "" {
		return nil, fmt.Errorf("built-in scenarios cannot read files (%q)", name)
	}
	if filepath.IsAbs(name) || !filepath.IsLocal(name) {
		return nil, fmt.Errorf("%q is outside the scenario's folder: data files must sit beside the scenario or below it", name)
	}
	rootDir, err := filepath.EvalSymlinks(f.dir)
	if err != nil {
		return nil, err
	}
	rel, err := inside(rootDir, name)
	if err != nil {
		return nil, err
	}
	// The check above names the problem; os.Root makes it hold: the file is
	// opened under the folder's handle, and a link swapped in since (a race)
	// that leads out fails the open instead of reading outside.
	root, err := os.OpenRoot(rootDir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	fh, err := root.OpenFile(rel, openFlags, 0)
	if err != nil {
		if _, again := inside(rootDir, name); again != nil {
			return nil, again
		}
		return nil, fmt.Errorf("cannot read %q: %v", name, unwrapPathErr(err))
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %v", name, unwrapPathErr(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%q is not a regular file", name)
	}
	if st.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%q is %d bytes, more than the limit of %d", name, st.Size(), MaxFileBytes)
	}
	if f.read+st.Size() > MaxDataBytes {
		return nil, fmt.Errorf("%q: the scenario's data files add up to more than the limit of %d bytes", name, MaxDataBytes)
	}
	data, err := readAll(fh, MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %v", name, unwrapPathErr(err))
	}
	f.read += int64(len(data))
	return data, nil
}

// inside returns name, resolved through its symbolic links, relative to
// root, or an error if it leads outside root or does not exist.
func inside(root, name string) (string, error) {
	full, err := filepath.EvalSymlinks(filepath.Join(root, name))
	if err != nil {
		return "", fmt.Errorf("cannot read %q: %v", name, unwrapPathErr(err))
	}
	rel, err := filepath.Rel(root, full)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%q leads outside the scenario's folder (through a symbolic link)", name)
	}
	return rel, nil
}

// openRegular opens a file that must be a regular one. It opens without
// blocking, so that a named pipe with no writer is refused rather than
// waited on, and checks the handle it opened, not the name.
func openRegular(name string) (*os.File, error) {
	fh, err := os.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	if m := st.Mode(); !m.IsRegular() {
		fh.Close()
		what := "not a regular file"
		switch {
		case m.IsDir():
			what = "a folder"
		case m&os.ModeNamedPipe != 0:
			what = "a named pipe"
		case m&os.ModeDevice != 0:
			what = "a device"
		case m&os.ModeSocket != 0:
			what = "a socket"
		}
		return nil, fmt.Errorf("is %s, not a scenario file", what)
	}
	return fh, nil
}

// readAll reads what is left of fh, which must hold at most max bytes; it
// stops there even if the file grew since it was checked.
func readAll(fh *os.File, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(fh, max+1))
	if err == nil && int64(len(data)) > max {
		err = fmt.Errorf("more than the limit of %d bytes", max)
	}
	return data, err
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// durations reads a CSV whose first column holds durations, one per row:
// duration strings ("5m", "1d2h") or plain numbers of seconds. Blank lines
// and lines starting with '#' are skipped, and so is a first row that is not
// a duration (a header). The result is sorted.
func (f *fileReader) durations(name string) ([]time.Duration, error) {
	if d, ok := f.cache[name]; ok { // many jobs may share one file
		return d, nil
	}
	data, err := f.open(name)
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%s: binary data, not CSV", name)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte order mark is not part of the first value
	var out []time.Duration
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line, first := 0, true
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		field := strings.TrimSpace(strings.SplitN(text, ",", 2)[0])
		d, err := parseDurationField(field)
		if err != nil {
			if first {
				first = false
				continue // header
			}
			return nil, fmt.Errorf("%s:%d: column 1: %v", name, line, err)
		}
		first = false
		if d < 0 {
			return nil, fmt.Errorf("%s:%d: column 1: a negative duration", name, line)
		}
		if len(out) >= MaxFileRows {
			return nil, fmt.Errorf("%s: more than %d rows", name, MaxFileRows)
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no durations in it", name)
	}
	slices.Sort(out)
	if f.cache == nil {
		f.cache = map[string][]time.Duration{}
	}
	f.cache[name] = out
	return out, nil
}

// parseDurationField parses a cell of a durations file. Its errors never
// quote the cell: an error names the file, line and column, and must not
// print what a file holds.
func parseDurationField(s string) (time.Duration, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v != v || v*1e9 > 9e18 || v*1e9 < -9e18 {
			return 0, errors.New("a number of seconds out of range")
		}
		return time.Duration(v * float64(time.Second)), nil
	}
	d, err := dist.ParseDuration(s)
	if err != nil {
		return 0, errors.New(`not a duration (want seconds, or a number and a unit such as "90s", "15m", "1d2h")`)
	}
	return d, nil
}
