// Package csvtrace reads the CSV traces of packages preempt and price: a
// header row, size caps, positioned errors ("file:LINE: column N
// (header): message"), and time cells given as offsets, seconds or
// timestamps.
package csvtrace

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// ParseError is an error in a CSV trace, positioned at a line and, when it
// concerns one cell, at a column (1-based field number) with its header
// name. It prints as
//
//	name:LINE: column N (header): message
//
// or name:LINE: message for errors of a whole line.
type ParseError struct {
	File   string
	Line   int
	Col    int
	Header string
	Msg    string
}

func (e *ParseError) Error() string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	if e.Col > 0 {
		return fmt.Sprintf("%s:%d: column %d (%s): %s", e.File, e.Line, e.Col, e.Header, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Limits on trace files, applied when TraceOptions leaves them at 0.
const (
	DefaultMaxRows  = 1_000_000
	DefaultMaxBytes = 64 << 20
)

// table reads a CSV file with a header row, keeping positions.
type Table struct {
	name     string
	r        *csv.Reader
	lim      *limited
	header   []string
	Line     int // the line last read
	rows     int
	maxRows  int
	maxBytes int64
}

// limited reads at most n bytes and records whether the source had more.
type limited struct {
	r   io.Reader
	n   int64 // bytes left, counting one beyond the limit
	hit bool  // more than the limit was read
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n <= 0 {
		l.hit = true
	}
	return n, err
}

func New(r io.Reader, name string, maxRows int, maxBytes int64) *Table {
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	lim := &limited{r: r, n: maxBytes + 1}
	cr := csv.NewReader(skipBOM(lim))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	return &Table{name: name, r: cr, lim: lim, maxRows: maxRows, maxBytes: maxBytes}
}

// skipBOM drops a UTF-8 byte order mark at the start of r: it is not part
// of the first cell (a quoted header or a comment line would otherwise not
// be seen as one).
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	return br
}

func (t *Table) Errorf(line, col int, format string, args ...any) error {
	e := &ParseError{File: t.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	if col > 0 && col <= len(t.header) {
		e.Header = t.header[col-1]
	}
	return e
}

// next returns the next record and its line, io.EOF at the end.
func (t *Table) Next() ([]string, int, error) {
	rec, err := t.r.Read()
	if t.lim.hit {
		return nil, 0, &ParseError{File: t.name, Msg: fmt.Sprintf("file is larger than %d bytes", t.maxBytes)}
	}
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, 0, &ParseError{File: t.name, Line: pe.Line, Msg: fmt.Sprintf("%v (byte %d)", pe.Err, pe.Column)}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", t.name, err)
	}
	line, _ := t.r.FieldPos(0)
	t.Line = line
	if t.header != nil {
		t.rows++
		if t.rows > t.maxRows {
			return nil, 0, t.Errorf(line, 0, "more than %d rows", t.maxRows)
		}
		if len(rec) != len(t.header) {
			return nil, 0, t.Errorf(line, 0, "%d fields, the header has %d", len(rec), len(t.header))
		}
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec, line, nil
}

// readHeader reads the header row and maps each known column to its index.
// Names are case-insensitive; aliases map to their canonical name.
func (t *Table) ReadHeader(known []string, aliases map[string]string) (map[string]int, error) {
	rec, line, err := t.Next()
	if err == io.EOF {
		return nil, &ParseError{File: t.name, Line: 1, Msg: fmt.Sprintf("empty file: want a header row with %s", strings.Join(known, ", "))}
	}
	if err != nil {
		return nil, err
	}
	t.header = rec
	cols := map[string]int{}
	for i, h := range rec {
		name := strings.ToLower(h)
		if a, ok := aliases[name]; ok {
			name = a
		}
		ok := false
		for _, k := range known {
			ok = ok || k == name
		}
		if !ok {
			return nil, t.Errorf(line, i+1, "unknown column %q (want %s)", h, strings.Join(known, ", "))
		}
		if j, dup := cols[name]; dup {
			return nil, t.Errorf(line, i+1, "column %s repeats column %d", name, j+1)
		}
		cols[name] = i
	}
	return cols, nil
}

var secondsRE = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// clock turns time cells into offsets from a start.
type Clock struct {
	start time.Time
	set   bool // start is known
	first bool // no row read yet
}

func NewClock(start time.Time) *Clock { return &Clock{start: start, set: !start.IsZero(), first: true} }

// offset parses a time cell: seconds ("3600", "1.5"), a duration ("3h",
// "1d2h") or an RFC3339 timestamp, measured from the start.
func (c *Clock) Offset(cell string) (time.Duration, error) {
	first := c.first
	c.first = false
	if cell == "" {
		return 0, errors.New("empty time")
	}
	if secondsRE.MatchString(cell) {
		d, err := time.ParseDuration(cell + "s")
		if err != nil {
			return 0, errors.New("a number of seconds out of range")
		}
		return d, nil
	}
	if looksLikeTimestamp(cell) {
		ts, err := time.Parse(time.RFC3339Nano, cell)
		if err != nil {
			return 0, errors.New("not a valid RFC3339 timestamp")
		}
		if !c.set {
			if !first {
				return 0, errors.New("a timestamp needs the trace's start time when the first row is not a timestamp")
			}
			c.start, c.set = ts, true
		}
		d := ts.Sub(c.start)
		if d == math.MaxInt64 || d == math.MinInt64 {
			return 0, fmt.Errorf("a timestamp too far from the start %s", c.start.Format(time.RFC3339))
		}
		return d, nil
	}
	d, err := dist.ParseDuration(cell)
	if err != nil {
		return 0, errors.New(`not a time (want seconds, a duration like "3h" or an RFC3339 timestamp)`)
	}
	return d, nil
}

// looksLikeTimestamp reports whether s starts like an RFC3339 date.
func looksLikeTimestamp(s string) bool {
	return len(s) >= 10 && s[4] == '-' && s[7] == '-' && strings.IndexFunc(s[:4], func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// parseDuration parses a duration cell: seconds or a duration string.
func ParseDuration(cell string) (time.Duration, error) {
	if secondsRE.MatchString(cell) {
		d, err := time.ParseDuration(cell + "s")
		if err != nil {
			return 0, errors.New("a number of seconds out of range")
		}
		return d, nil
	}
	d, err := dist.ParseDuration(cell)
	if err != nil {
		return 0, errors.New(`not a duration (want seconds or a duration like "30m")`)
	}
	return d, nil
}
