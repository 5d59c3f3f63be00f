package scenarios

import (
	"strconv"
	"strings"
)

// locate scans TOML source and returns the position of every key, indexed by
// its path: segments joined by ".", elements of arrays (of tables, or inline)
// by their index ("pools.1.preemption.mean"). It is only used to place error
// messages, so on text it cannot follow it records what it has and stops;
// it never fails.
func locate(src string) map[string]Pos {
	pos, _ := locateAll(src)
	return pos
}

// locateAll is locate plus, for every string value, where its text starts
// (after the opening quotes, and after the newline that TOML trims at the
// start of a multi-line string): formula errors are placed from there.
func locateAll(src string) (keys, strs map[string]Pos) {
	l := &locator{src: src, line: 1, col: 1, out: map[string]Pos{}, strs: map[string]Pos{}, arrays: map[string]int{}}
	l.document()
	return l.out, l.strs
}

type locator struct {
	src       string
	i         int
	line, col int
	out       map[string]Pos
	strs      map[string]Pos // string value path -> where its text starts
	arrays    map[string]int // array-of-tables path -> elements seen
	table     []string       // current table path, resolved
}

func (l *locator) eof() bool  { return l.i >= len(l.src) }
func (l *locator) peek() byte { return l.src[l.i] }

func (l *locator) advance() {
	if l.src[l.i] == '\n' {
		l.line++
		l.col = 1
	} else if l.src[l.i]&0xC0 != 0x80 { // count runes, not UTF-8 continuation bytes
		l.col++
	}
	l.i++
}

func (l *locator) pos() Pos { return Pos{Line: l.line, Col: l.col} }

// space skips blanks and comments; newlines too when nl is set.
func (l *locator) space(nl bool) {
	for !l.eof() {
		switch c := l.peek(); {
		case c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n'):
			l.advance()
		case c == '#':
			for !l.eof() && l.peek() != '\n' {
				l.advance()
			}
		default:
			return
		}
	}
}

func (l *locator) document() {
	for {
		l.space(true)
		if l.eof() {
			return
		}
		start := l.i
		if l.peek() == '[' {
			l.header()
		} else {
			l.keyval(l.table)
		}
		if l.i == start { // no progress: give up quietly
			return
		}
	}
}

func join(path []string) string { return strings.Join(path, ".") }

// resolve maps header segments onto a path, adding the current index after
// every segment that names an array of tables.
func (l *locator) resolve(keys []string) []string {
	var path []string
	for _, k := range keys {
		path = append(path, k)
		if n, ok := l.arrays[join(path)]; ok {
			path = append(path, strconv.Itoa(n-1))
		}
	}
	return path
}

func (l *locator) header() {
	p := l.pos()
	l.advance()
	array := !l.eof() && l.peek() == '['
	if array {
		l.advance()
	}
	keys, _ := l.key()
	for !l.eof() && l.peek() == ']' {
		l.advance()
	}
	if len(keys) == 0 {
		return
	}
	if array {
		parent := l.resolve(keys[:len(keys)-1])
		arr := join(append(parent, keys[len(keys)-1]))
		if _, ok := l.out[arr]; !ok { // the array itself is where its first element starts
			l.out[arr] = p
		}
		l.arrays[arr]++
		l.table = append(append(parent, keys[len(keys)-1]), strconv.Itoa(l.arrays[arr]-1))
	} else {
		l.table = l.resolve(keys)
	}
	l.record(l.table, p)
}

func (l *locator) record(path []string, p Pos) {
	k := join(path)
	if _, ok := l.out[k]; !ok {
		l.out[k] = p
	}
}

// key reads a dotted key and returns its segments and where it starts.
func (l *locator) key() ([]string, Pos) {
	var keys []string
	l.space(false)
	p := l.pos()
	for !l.eof() {
		l.space(false)
		if l.eof() {
			break
		}
		c := l.peek()
		switch {
		case c == '"' || c == '\'':
			s, _ := l.str()
			if u, err := strconv.Unquote(`"` + s + `"`); c == '"' && err == nil { // as the decoder reads it
				s = u
			}
			keys = append(keys, s)
		case isBare(c):
			st := l.i
			for !l.eof() && isBare(l.peek()) {
				l.advance()
			}
			keys = append(keys, l.src[st:l.i])
		default:
			return keys, p
		}
		l.space(false)
		if l.eof() || l.peek() != '.' {
			return keys, p
		}
		l.advance()
	}
	return keys, p
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (l *locator) keyval(table []string) {
	keys, p := l.key()
	if len(keys) == 0 {
		return
	}
	path := append(append([]string(nil), table...), keys...)
	l.record(path, p)
	l.space(false)
	if l.eof() || l.peek() != '=' {
		return
	}
	l.advance()
	l.space(false)
	l.value(path)
}

// value skips a value, recording the keys of inline tables inside it.
func (l *locator) value(path []string) {
	if l.eof() {
		return
	}
	switch l.peek() {
	case '"', '\'':
		l.strValue(path)
	case '{':
		l.advance()
		for {
			l.space(true)
			if l.eof() {
				return
			}
			if l.peek() == '}' {
				l.advance()
				return
			}
			st := l.i
			l.keyval(path)
			l.space(true)
			if !l.eof() && l.peek() == ',' {
				l.advance()
			} else if l.i == st {
				return
			}
		}
	case '[':
		l.advance()
		for n := 0; ; n++ {
			l.space(true)
			if l.eof() {
				return
			}
			if l.peek() == ']' {
				l.advance()
				return
			}
			el := append(append([]string(nil), path...), strconv.Itoa(n))
			l.record(el, l.pos())
			st := l.i
			l.value(el)
			l.space(true)
			if !l.eof() && l.peek() == ',' {
				l.advance()
			} else if l.i == st {
				return
			}
		}
	default:
		for !l.eof() {
			c := l.peek()
			if c == ',' || c == ']' || c == '}' || c == '\n' || c == '#' {
				return
			}
			l.advance()
		}
	}
}

// strValue reads a string value and records where its text starts.
func (l *locator) strValue(path []string) {
	q := l.peek()
	multi := strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3))
	save := *l
	n := 1
	if multi {
		n = 3
	}
	for k := 0; k < n && !l.eof(); k++ {
		l.advance()
	}
	if multi && !l.eof() && l.peek() == '\n' {
		l.advance()
	} else if multi && strings.HasPrefix(l.src[l.i:], "\r\n") {
		l.advance()
		l.advance()
	}
	l.strs[join(path)] = l.pos()
	l.i, l.line, l.col = save.i, save.line, save.col
	l.str()
}

// str reads a basic, literal or multi-line string and returns its raw text.
func (l *locator) str() (string, bool) {
	q := l.peek()
	multi := strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3))
	n := 1
	if multi {
		n = 3
	}
	for k := 0; k < n; k++ {
		l.advance()
	}
	st := l.i
	for !l.eof() {
		c := l.peek()
		if c == '\\' && q == '"' {
			l.advance()
			if !l.eof() {
				l.advance()
			}
			continue
		}
		if c == '\n' && !multi {
			return l.src[st:l.i], false
		}
		if c == q && (!multi || strings.HasPrefix(l.src[l.i:], strings.Repeat(string(q), 3))) {
			s := l.src[st:l.i]
			for k := 0; k < n && !l.eof(); k++ {
				l.advance()
			}
			return s, true
		}
		l.advance()
	}
	return l.src[st:], false
}
