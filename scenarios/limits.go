package scenarios

import (
	"fmt"
	"strings"

	"github.com/spotsim/spotsim/model"
)

// Limits of a scenario document (docs/limits.md), so that a typo or a
// hostile file gets an error naming the key and the cap instead of
// exhausting memory or time. The model's own caps (nodes, tasks,
// replications, slots per node) are model.Limits.
const (
	// MaxDepth caps how deep tables, arrays and dotted keys nest. The TOML
	// decoder takes time cubic in the nesting of inline tables and quadratic
	// in the segments of a dotted key; scenarios need 5 levels.
	MaxDepth = 10
	// MaxKeyLen caps the length of one key (one segment of a dotted key).
	MaxKeyLen = 128
	// MaxKeys caps the keys, table headers and array elements of a document.
	MaxKeys = 100000
	// MaxNameLen caps the names of pools, jobs and VM sizes (Azure allows
	// 64 characters in a pool or job id).
	MaxNameLen = 64
	// MaxPools, MaxJobs and MaxVMSizes cap the [[pools]], [[jobs]] and
	// [[vm_sizes]] tables of a scenario.
	MaxPools   = 1000
	MaxJobs    = 10000
	MaxVMSizes = 1000
	// MaxSets caps the --set overrides applied to one scenario.
	MaxSets = 1000
	// MaxHorizon caps simulation.horizon: ten years (the model's rule).
	MaxHorizon = model.MaxHorizon
	// MaxErrors is how many problems a document reports; the rest are
	// counted on one more line.
	MaxErrors = 20
	// MaxDataBytes caps all the data files one scenario reads together
	// (each file is also capped by MaxFileBytes).
	MaxDataBytes = 256 << 20
)

// checkShape scans TOML text for the limits of nesting, key length and key
// count before it reaches the decoder, and returns the first one exceeded
// (nil if none). It follows TOML as far as it can and stops quietly where
// the text is not TOML: the decoder then reports the syntax error.
func checkShape(file, src string) *Error {
	s := &shape{src: src, line: 1, col: 1}
	s.document()
	if s.err != nil {
		s.err.Pos.File = file
	}
	return s.err
}

type shape struct {
	src       string
	i         int
	line, col int
	keys      int
	err       *Error
}

func (s *shape) eof() bool  { return s.i >= len(s.src) }
func (s *shape) peek() byte { return s.src[s.i] }
func (s *shape) pos() Pos   { return Pos{Line: s.line, Col: s.col} }

func (s *shape) advance() {
	if s.src[s.i] == '\n' {
		s.line++
		s.col = 1
	} else if s.src[s.i]&0xC0 != 0x80 {
		s.col++
	}
	s.i++
}

func (s *shape) fail(p Pos, format string, a ...any) {
	if s.err == nil {
		s.err = &Error{Pos: p, Msg: fmt.Sprintf(format, a...)}
	}
}

// at records one more key or element at depth d, starting at p, and
// reports whether the scan may go on.
func (s *shape) at(p Pos, d int) bool {
	s.keys++
	switch {
	case s.err != nil:
	case d > MaxDepth:
		s.fail(p, "nested more than %d deep (tables, arrays and dotted keys together): the limit of a scenario", MaxDepth)
	case s.keys > MaxKeys:
		s.fail(p, "more than %d keys and array elements: the limit of a scenario", MaxKeys)
	}
	return s.err == nil
}

func (s *shape) space(nl bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n'):
			s.advance()
		case c == '#':
			for !s.eof() && s.peek() != '\n' {
				s.advance()
			}
		default:
			return
		}
	}
}

func (s *shape) document() {
	base := 0 // depth of the current table
	for s.err == nil {
		s.space(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			p := s.pos()
			s.advance()
			array := !s.eof() && s.peek() == '['
			if array {
				s.advance()
			}
			base = s.key()
			if array {
				base++
			}
			if !s.at(p, base) {
				return
			}
			for !s.eof() && s.peek() == ']' {
				s.advance()
			}
		} else {
			s.keyval(base)
		}
		if s.i == start {
			return
		}
	}
}

// key reads a dotted key and returns its number of segments.
func (s *shape) key() int {
	n := 0
	for s.err == nil {
		s.space(false)
		if s.eof() {
			return n
		}
		p, st := s.pos(), s.i
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			s.str()
		case isBare(c):
			for !s.eof() && isBare(s.peek()) {
				s.advance()
			}
		default:
			return n
		}
		n++
		k := s.src[st:s.i]
		if q := k[0]; (q == '"' || q == '\'') && len(k) >= 2 && k[len(k)-1] == q {
			k = k[1 : len(k)-1]
		}
		if len(k) > MaxKeyLen {
			s.fail(p, "key %q… is %d bytes long, more than the limit of %d", k[:20], len(k), MaxKeyLen)
		}
		s.space(false)
		if s.eof() || s.peek() != '.' {
			return n
		}
		s.advance()
	}
	return n
}

func (s *shape) keyval(d int) {
	p := s.pos()
	n := s.key()
	if n == 0 || !s.at(p, d+n) {
		return
	}
	s.space(false)
	if s.eof() || s.peek() != '=' {
		return
	}
	s.advance()
	s.space(false)
	s.value(d + n)
}

// value skips a value at depth d, checking the keys and elements inside.
func (s *shape) value(d int) {
	if s.eof() || s.err != nil {
		return
	}
	switch s.peek() {
	case '"', '\'':
		s.str()
	case '{':
		s.advance()
		for s.err == nil {
			s.space(true)
			if s.eof() {
				return
			}
			if s.peek() == '}' {
				s.advance()
				return
			}
			st := s.i
			s.keyval(d)
			s.space(true)
			if !s.eof() && s.peek() == ',' {
				s.advance()
			} else if s.i == st {
				return
			}
		}
	case '[':
		s.advance()
		for s.err == nil {
			s.space(true)
			if s.eof() {
				return
			}
			if s.peek() == ']' {
				s.advance()
				return
			}
			if !s.at(s.pos(), d+1) {
				return
			}
			st := s.i
			s.value(d + 1)
			s.space(true)
			if !s.eof() && s.peek() == ',' {
				s.advance()
			} else if s.i == st {
				return
			}
		}
	default:
		for !s.eof() {
			c := s.peek()
			if c == ',' || c == ']' || c == '}' || c == '\n' || c == '#' {
				return
			}
			s.advance()
		}
	}
}

// str skips a basic, literal or multi-line string.
func (s *shape) str() {
	q := s.peek()
	n := 1
	if strings.HasPrefix(s.src[s.i:], strings.Repeat(string(q), 3)) {
		n = 3
	}
	for k := 0; k < n; k++ {
		s.advance()
	}
	for !s.eof() {
		c := s.peek()
		switch {
		case c == '\\' && q == '"':
			s.advance()
			if !s.eof() {
				s.advance()
			}
			continue
		case c == '\n' && n == 1:
			return
		case c == q && n == 1:
			s.advance()
			return
		case c == q: // a multi-line string ends at the last three of 3 to 5 quotes
			r := 0
			for !s.eof() && s.peek() == q && r < 5 {
				s.advance()
				r++
			}
			if r >= 3 {
				return
			}
			continue
		}
		s.advance()
	}
}

// TablesAtMost is Tables for an array of at most max tables: beyond it, an
// error names the key and the cap, and only the first max are decoded.
func (t *tbl) TablesAtMost(key string, max int) []*tbl {
	ts := t.Tables(key)
	if len(ts) > max {
		t.errorf(key, "%d tables, more than the limit of %d", len(ts), max)
		ts = ts[:max]
	}
	return ts
}

// Name reads the name of a pool, job or VM size: a non-empty string of at
// most MaxNameLen bytes ("" when absent or not a string).
func (t *tbl) Name() string {
	v := t.m["name"]
	n := t.Str("name", "")
	switch {
	case v == "":
		t.errorf("name", "must not be empty")
	case len(n) > MaxNameLen:
		t.limitf("name", "is %d bytes long, more than the limit of %d", len(n), MaxNameLen)
	}
	return n
}
