package main

import (
	"fmt"
	"sync"
	"time"
)

// progress shows replications done on stderr, when stderr is a terminal and
// the run has lasted more than about two seconds; otherwise it says nothing.
type progress struct {
	e     *env
	name  string
	start time.Time
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newProgress(e *env, name string) *progress {
	return &progress{e: e, name: name, start: time.Now()}
}

func (p *progress) update(done, total int) {
	if !p.e.stderrIsTTY {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	el := now.Sub(p.start)
	if el < 2*time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	rate := float64(done) / el.Seconds()
	left := time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second)
	fmt.Fprintf(p.e.stderr, "\r%s: %d/%d replications, %.0f/s, %v left   ", p.name, done, total, rate, left)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}
