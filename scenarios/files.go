package scenarios

import (
	"bufio"
	"bytes"
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
	root, err := filepath.EvalSymlinks(f.dir)
	if err != nil {
		return nil, err
	}
	full, err := filepath.EvalSymlinks(filepath.Join(root, name))
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %v", name, unwrapPathErr(err))
	}
	if rel, err := filepath.Rel(root, full); err != nil || !filepath.IsLocal(rel) {
		return nil, fmt.Errorf("%q leads outside the scenario's folder (through a symbolic link)", name)
	}
	st, err := os.Stat(full)
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
	data, err := readAtMost(full, MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %v", name, unwrapPathErr(err))
	}
	f.read += int64(len(data))
	return data, nil
}

// readAtMost reads a file that must hold at most max bytes; it stops
// there even if the file grew since it was checked, or never ends.
func readAtMost(name string, max int64) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
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
			return nil, fmt.Errorf("%s:%d: column 1: negative duration %s", name, line, field)
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

func parseDurationField(s string) (time.Duration, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if v != v || v*1e9 > 9e18 || v*1e9 < -9e18 {
			return 0, fmt.Errorf("%q is out of range", s)
		}
		return time.Duration(v * float64(time.Second)), nil
	}
	return dist.ParseDuration(s)
}
