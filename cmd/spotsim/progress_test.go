package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/runner"
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
		if tty && (!strings.Contains(out, "grid: 1/4 points, 50/200 runs (each point's replications and their baselines), ") || !strings.Contains(out, " left") || !strings.HasSuffix(out, "\r\033[K")) {
			t.Errorf("terminal progress: %q", out)
		}
	}
}

// TestSweepProgressNamesReference: a sweep with a reference says that its
// runs count the reference's replications, run once before the points'.
func TestSweepProgressNamesReference(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&env{stderr: &b, stderrIsTTY: true}, "grid")
	p.reference = true
	p.start = p.start.Add(-3 * time.Second)
	p.sweep(1, 4, 250, 1000)
	p.done()
	if want := "grid: 1/4 points, 250/1000 runs (the reference's replications, once, then each point's replications and their baselines), "; !strings.Contains(b.String(), want) {
		t.Errorf("progress %q lacks %q", b.String(), want)
	}
}

// TestProgressWithoutTerminal: without a terminal, a run estimated to be
// long is announced in one line before it starts, and once started a
// progress line follows every interval (30 s; shortened here), each on its
// own line; done stops them.
func TestProgressWithoutTerminal(t *testing.T) {
	var b syncBuffer
	p := newProgress(&env{stderr: &b}, "big")
	p.every = 20 * time.Millisecond
	p.announce(runner.Estimate{Replications: 10, Workers: 1, Events: 1e9, TaskRuns: 5e8, Bytes: 1 << 30})
	p.update(3, 20)
	for deadline := time.Now().Add(10 * time.Second); strings.Count(b.String(), "\n") < 3 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	p.done()
	time.Sleep(40 * time.Millisecond)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("%d lines: %q", len(lines), b.String())
	}
	if want := "spotsim: big: about 1.0 billion events (500.0 million task runs) in 10 replications"; !strings.HasPrefix(lines[0], want) || !strings.HasSuffix(lines[0], "; Ctrl-C stops it") {
		t.Errorf("announcement %q, want %q...", lines[0], want)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "spotsim: big: 3/20 runs (the scenario, baseline and any reference of every replication) after ") || !strings.HasSuffix(l, " (about 8 min expected in all)") {
			t.Errorf("progress line %q", l)
		}
	}
	n := len(lines)
	time.Sleep(50 * time.Millisecond)
	if got := strings.Count(b.String(), "\n"); got != n {
		t.Errorf("%d lines after done, %d before", got, n)
	}
	// A short run says nothing.
	var q syncBuffer
	p = newProgress(&env{stderr: &q}, "small")
	p.announce(runner.Estimate{Replications: 10, Workers: 1, Events: 1e6})
	p.update(20, 20)
	p.done()
	if q.String() != "" {
		t.Errorf("a short run: %q", q.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
