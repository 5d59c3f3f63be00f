package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgress: progress goes to a terminal only, once the work has run for
// a while, and names points and replications for a sweep.
func TestProgress(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var b bytes.Buffer
		p := newProgress(&env{stderr: &b, stderrIsTTY: tty}, "grid")
		p.sweep(1, 4, 50, 200) // too early: nothing yet
		if b.Len() != 0 {
			t.Errorf("tty %v: progress within the first seconds: %q", tty, b.String())
		}
		p.start = p.start.Add(-3 * time.Second) // as if the sweep had run 3 s
		p.sweep(1, 4, 50, 200)
		p.done()
		out := b.String()
		if !tty && out != "" {
			t.Errorf("not a terminal, yet progress: %q", out)
		}
		if tty && (!strings.Contains(out, "grid: 1/4 points, 50/200 replications, ") || !strings.Contains(out, " left") || !strings.HasSuffix(out, "\r\033[K")) {
			t.Errorf("terminal progress: %q", out)
		}
	}
}
