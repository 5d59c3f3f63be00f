package main

import (
	"fmt"
	"sync"
	"time"
)

// progress shows how far a run or a sweep is on stderr, when stderr is a
// terminal and the work has lasted more than about two seconds; otherwise
// it says nothing.
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

// update reports replications done, for spotsim run.
func (p *progress) update(done, total int) {
	p.show(done, total, func() string { return fmt.Sprintf("%d/%d replications", done, total) })
}

// sweep reports points and replications done, for spotsim sweep.
func (p *progress) sweep(pointsDone, points, done, total int) {
	p.show(done, total, func() string {
		return fmt.Sprintf("%d/%d points, %d/%d replications", pointsDone, points, done, total)
	})
}

// show prints what, the rate and the time left, at most five times a second.
func (p *progress) show(done, total int, what func() string) {
	if !p.e.stderrIsTTY {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	el := now.Sub(p.start)
	if el < 2*time.Second || now.Sub(p.last) < 200*time.Millisecond || done == 0 {
		return
	}
	p.last, p.shown = now, true
	rate := float64(done) / el.Seconds()
	left := time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second)
	fmt.Fprintf(p.e.stderr, "\r%s: %s, %.0f/s, %v left   ", p.name, what(), rate, left)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}
