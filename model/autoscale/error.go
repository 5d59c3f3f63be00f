package autoscale

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a formula's file: 1-based line and 1-based column,
// counted in characters (runes). A tab counts as one column.
type Pos struct {
	Line, Col int
}

// String renders p as "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Error is a positioned parse, type or evaluation error.
type Error struct {
	Name string // file or formula name given to Parse; may be empty
	Pos  Pos
	Msg  string
	// Source is the text of the formula line holding Pos (without its
	// newline), used by Verbose to draw a caret. Empty if unknown.
	Source string
	// caretCol is the 1-based column of the caret within Source, which
	// differs from Pos.Col on the first line of a formula given to ParseAt.
	caretCol int
}

// Error renders e as "name:line:col: msg", or "line:col: msg" without a name.
func (e *Error) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s:%s: %s", e.Name, e.Pos, e.Msg)
}

// Verbose renders e like Error, followed by the offending source line and a
// caret under the error's column:
//
//	f.txt:1:7: undefined variable x
//	    a = x + 1
//	        ^
func (e *Error) Verbose() string {
	if e.Source == "" {
		return e.Error()
	}
	col := e.caretCol
	if col < 1 {
		col = e.Pos.Col
	}
	var pad strings.Builder
	i := 1
	for _, r := range e.Source {
		if i >= col {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
		i++
	}
	for ; i < col; i++ {
		pad.WriteByte(' ')
	}
	return fmt.Sprintf("%s\n    %s\n    %s^", e.Error(), e.Source, pad.String())
}

// ErrorList is a list of errors sorted by position. Parse and ParseAt return
// one when the formula has problems; its Err method gives nil when empty.
type ErrorList []*Error

// Add appends an error at pos with message msg.
func (l *ErrorList) Add(name string, pos Pos, msg string) {
	*l = append(*l, &Error{Name: name, Pos: pos, Msg: msg})
}

// Len, Swap and Less implement sort.Interface by (line, col, message).
func (l ErrorList) Len() int      { return len(l) }
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l ErrorList) Less(i, j int) bool {
	a, b := l[i], l[j]
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Col != b.Pos.Col {
		return a.Pos.Col < b.Pos.Col
	}
	return a.Msg < b.Msg
}

// Sort sorts l by position.
func (l ErrorList) Sort() { sort.Stable(l) }

// Error renders the first error and, if there are more, how many:
// "f:1:2: msg (and 3 more errors)".
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns l as an error, or nil if l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// source locates byte offsets of one formula inside its file.
type source struct {
	name      string
	text      string
	line, col int // ParseAt offsets: position of the formula's first byte
}

// pos converts a byte offset in s.text to a file position.
func (s *source) pos(off int) Pos {
	if off > len(s.text) {
		off = len(s.text)
	}
	line := 1 + strings.Count(s.text[:off], "\n")
	start := strings.LastIndexByte(s.text[:off], '\n') + 1
	col := 1 + utf8.RuneCountInString(s.text[start:off])
	p := Pos{Line: line + s.line - 1, Col: col}
	if line == 1 {
		p.Col += s.col - 1
	}
	return p
}

// errorAt builds a positioned error at byte offset off.
func (s *source) errorAt(off int, format string, args ...any) *Error {
	if off > len(s.text) {
		off = len(s.text)
	}
	start := strings.LastIndexByte(s.text[:off], '\n') + 1
	end := strings.IndexByte(s.text[start:], '\n')
	if end < 0 {
		end = len(s.text)
	} else {
		end += start
	}
	line := strings.TrimSuffix(s.text[start:end], "\r")
	return &Error{
		Name:     s.name,
		Pos:      s.pos(off),
		Msg:      fmt.Sprintf(format, args...),
		Source:   line,
		caretCol: 1 + utf8.RuneCountInString(s.text[start:off]),
	}
}
