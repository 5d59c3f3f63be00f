package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/scenarios/internal/msg"
)

// tomlWriter writes a TOML document line by line, each value with a
// comment saying where it came from, aligned as the built-in scenarios are.
type tomlWriter struct {
	b strings.Builder
}

// commentCol is where trailing comments start.
const commentCol = 40

func (w *tomlWriter) comment(format string, a ...any) {
	for _, l := range strings.Split(fmt.Sprintf(format, a...), "\n") {
		w.b.WriteString(strings.TrimRight("# "+msg.OneLine(l), " ") + "\n")
	}
}

func (w *tomlWriter) blank() { w.b.WriteString("\n") }

func (w *tomlWriter) table(name string) {
	w.b.WriteString("\n[" + name + "]\n")
}

func (w *tomlWriter) array(name string) {
	w.b.WriteString("\n[[" + name + "]]\n")
}

// kv writes key = value (value already TOML) and an optional comment.
func (w *tomlWriter) kv(key, value, comment string) {
	line := key + " = " + value
	if comment != "" {
		if n := utf8.RuneCountInString(line); n < commentCol-1 {
			line += strings.Repeat(" ", commentCol-1-n)
		}
		line += " # " + msg.OneLine(comment)
	}
	w.b.WriteString(line + "\n")
}

func (w *tomlWriter) String() string { return w.b.String() }

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		case r == utf8.RuneError:
			b.WriteString(`\uFFFD`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tomlMultiline writes s so that TOML reads it back exactly: a literal
// multi-line string when it can hold s, a basic string otherwise.
func tomlMultiline(s string) string {
	ok := !strings.Contains(s, "'''") && !strings.HasSuffix(s, "'") && utf8.ValidString(s)
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			ok = false
		}
	}
	if !ok {
		return tomlString(s)
	}
	return "'''\n" + s + "'''"
}

func tomlInt(n int) string { return strconv.Itoa(n) }

// tomlFloat writes a number with at most 6 significant digits.
func tomlFloat(x float64) string {
	s := strconv.FormatFloat(x, 'g', 6, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	if strings.ContainsAny(s, "eE") {
		s = strconv.FormatFloat(x, 'f', -1, 64)
	}
	return s
}

// tomlPrice writes a price in $ per hour as the Retail Prices API does.
func tomlPrice(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func tomlDuration(d time.Duration) string { return tomlString(dist.FormatDuration(d)) }
