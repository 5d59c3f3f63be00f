package scenarios

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/spotsim/spotsim/scenarios/internal/msg"
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
		return shorten(p.Flag)
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

// Error renders the problem on one line: control characters that came
// from the input (a newline in a quoted key, a value or a flag) are escaped.
func (e *Error) Error() string {
	if e.Path == "" {
		return msg.OneLine(fmt.Sprintf("%v: %s", e.Pos, shorten(e.Msg)))
	}
	return msg.OneLine(fmt.Sprintf("%v: %s: %s", e.Pos, e.Path, shorten(e.Msg)))
}

// MaxShown is the longest run of non-blank bytes an error message shows
// whole; a longer one (a value echoed from the input) is cut to its first
// ShownHead bytes and "…".
const (
	MaxShown  = 80
	ShownHead = 60
)

// shorten cuts every run of non-blank bytes longer than MaxShown in s, so
// that a 3 MiB value is not echoed whole.
func shorten(s string) string {
	if len(s) <= MaxShown {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			i = len(s)
		}
		word := s[:i]
		if len(word) > MaxShown {
			cut := ShownHead
			for cut > 0 && !utf8.RuneStart(word[cut]) {
				cut--
			}
			word = word[:cut] + "…"
		}
		b.WriteString(word)
		if i < len(s) {
			b.WriteByte(s[i])
			i++
		}
		s = s[i:]
	}
	return b.String()
}

// ErrorList collects the problems of one document.
type ErrorList []*Error

// dropped stands for each problem past MaxErrors: counted, never
// formatted, so that a file of a million bad keys costs no more than a
// pointer for each.
var dropped = &Error{}

// Add appends an error. Past MaxErrors it only counts the problem.
func (l *ErrorList) Add(pos Pos, path, format string, a ...any) {
	if len(*l) >= MaxErrors {
		*l = append(*l, dropped)
		return
	}
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

// Err returns nil for an empty list and the list otherwise, sorted; past
// MaxErrors problems, a last line says how many more there are.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	if len(l) <= MaxErrors {
		l.Sort()
		return l
	}
	kept := append(ErrorList(nil), l[:MaxErrors]...)
	kept.Sort()
	pos := Pos{File: kept[0].Pos.File}
	if pos.File == "" {
		pos.Flag = kept[0].Pos.Flag
	}
	return append(kept, &Error{Pos: pos, Msg: fmt.Sprintf("%d more problems not shown", len(l)-MaxErrors)})
}
