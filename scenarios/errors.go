package scenarios

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a scenario file. Line and Col start at 1; a zero
// Line means the position is unknown. Flag, when set, names the command-line
// override the value came from instead.
type Pos struct {
	File      string
	Line, Col int
	Flag      string
}

func (p Pos) String() string {
	switch {
	case p.Flag != "":
		return p.Flag
	case p.Line > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	}
	return p.File
}

// Error is one problem in a scenario: where, which key, what.
type Error struct {
	Pos  Pos
	Path string // the key path, pools and jobs by name ("pools.main.max_price")
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%v: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("%v: %s: %s", e.Pos, e.Path, e.Msg)
}

// ErrorList collects the problems of one document.
type ErrorList []*Error

// Add appends an error.
func (l *ErrorList) Add(pos Pos, path, format string, a ...any) {
	*l = append(*l, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, a...)})
}

// Sort orders the list by position (command-line overrides last).
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if (a.Flag == "") != (b.Flag == "") {
			return a.Flag == ""
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Error prints one problem per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns nil for an empty list and the list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}
