// Package msg holds the text rules that the scenario loader's and the
// importers' error messages share.
package msg

import (
	"strconv"
	"strings"
	"unicode"
)

// OneLine escapes the control characters of s as Go would quote them (a
// newline inside a value becomes \n), so that an error stays one line.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
