package importer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spotsim/spotsim/scenarios/internal/msg"
)

// Error is one problem in an imported file: the file, where in it (a JSON
// or YAML path such as $.properties.vmSize, or a line) and what is wrong.
type Error struct {
	File string
	Path string // "$.Items[3].retailPrice"; "" when the problem is the whole file or a line
	Line int    // 1-based line, for line-based inputs (CSV, log lines) and syntax errors; 0 = none
	Col  int    // 1-based column of a syntax error; 0 = none
	Msg  string
}

// Error renders the problem on one line: "pool.json: $.vmSize: missing",
// "tasks.log:12: ...", "prices.json: ...".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(":" + strconv.Itoa(e.Col))
		}
	}
	if e.Path != "" {
		b.WriteString(": " + e.Path)
	}
	b.WriteString(": " + e.Msg)
	return msg.OneLine(b.String())
}

func errorf(file, path, format string, a ...any) *Error {
	return &Error{File: file, Path: path, Msg: fmt.Sprintf(format, a...)}
}

func lineErrorf(file string, line int, format string, a ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, a...)}
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if i < len(s) && (s[i]&0xC0) != 0x80 {
			return s[:i] + "..."
		}
	}
	return s[:max] + "..."
}
