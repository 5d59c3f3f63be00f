package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/spotsim/spotsim/model/runner"
)

// progressEvery is how often a long run prints a progress line when stderr
// is not a terminal (a log, a batch job's output).
const progressEvery = 30 * time.Second

// progress shows how far a run or a sweep is on stderr. On a terminal it
// redraws one line, once the work has lasted more than about two seconds.
// Elsewhere, once started by announce, it prints a line every
// progressEvery (a log keeps every line, so not more often), and nothing
// for work that ends sooner.
type progress struct {
	e     *env
	name  string
	start time.Time
	every time.Duration // without a terminal; tests shorten it
	mu    sync.Mutex
	last  time.Time
	shown bool
	what  func() string // the latest state, for the periodic line
	stop  chan struct{}
	wall  time.Duration // the estimated wall time, once announced
	// reference is set for a sweep with a reference, whose replications
	// run once, before the points', and are counted in its runs.
	reference bool
}

func newProgress(e *env, name string) *progress {
	return &progress{e: e, name: name, start: time.Now(), every: progressEvery}
}

// announce prints the estimate of the work, in one line, when it is
// expected to take longer than runner.AnnounceAfter, and starts the
// periodic progress lines when stderr is not a terminal. done stops them.
func (p *progress) announce(est runner.Estimate) {
	p.mu.Lock()
	p.wall = est.Wall()
	p.mu.Unlock()
	if est.Wall() > runner.AnnounceAfter {
		fmt.Fprintf(p.e.stderr, "spotsim: %s: %s; Ctrl-C stops it\n", p.name, est)
	}
	if p.e.stderrIsTTY || p.every <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		return
	}
	p.stop = make(chan struct{})
	go p.tick(p.stop)
}

// tick prints the periodic line until stop is closed.
func (p *progress) tick(stop chan struct{}) {
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			p.mu.Lock()
			what := "started"
			if p.what != nil {
				what = p.what()
			}
			fmt.Fprintf(p.e.stderr, "spotsim: %s: %s after %s (about %s expected in all)\n",
				p.name, what, now.Sub(p.start).Round(time.Second), runner.Span(p.wall))
			p.mu.Unlock()
		}
	}
}

// update reports runs done, for spotsim run: every replication is two
// runs (the scenario and its baseline), three with a reference, and the
// count says so.
func (p *progress) update(done, total int) {
	p.show(done, total, func() string {
		return fmt.Sprintf("%d/%d runs (the scenario, baseline and any reference of every replication)", done, total)
	})
}

// sweep reports points and runs done, for spotsim sweep (a point's
// replications are two runs each: the point and its baseline; a
// reference's replications run once for the sweep).
func (p *progress) sweep(pointsDone, points, done, total int) {
	what := "each point's replications and their baselines"
	if p.reference {
		what = "the reference's replications, once, then " + what
	}
	p.show(done, total, func() string {
		return fmt.Sprintf("%d/%d points, %d/%d runs (%s)", pointsDone, points, done, total, what)
	})
}

// show records the state and, on a terminal, prints what, the rate and the
// time left, at most five times a second.
func (p *progress) show(done, total int, what func() string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	el := now.Sub(p.start)
	rated := func() string {
		if done == 0 {
			return what()
		}
		rate := float64(done) / el.Seconds()
		left := time.Duration(float64(total-done) / rate * float64(time.Second)).Round(time.Second)
		return fmt.Sprintf("%s, %.0f/s, %v left", what(), rate, left)
	}
	p.what = what
	if !p.e.stderrIsTTY || el < 2*time.Second || now.Sub(p.last) < 200*time.Millisecond || done == 0 {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.e.stderr, "\r%s: %s   ", p.name, rated())
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}
