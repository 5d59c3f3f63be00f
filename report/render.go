package report

import (
	"fmt"
	"runtime"
	"sync"
)

// chartJob is one chart to draw: its file name, title and drawing function.
type chartJob struct {
	name, title string
	draw        func() ([]byte, error)
}

// renderCharts draws the jobs concurrently (at most GOMAXPROCS at a time)
// and returns the charts in the jobs' order: each chart is drawn from its
// own inputs alone, so its bytes do not depend on how many run at once.
// The error is that of the first failing job, by order.
func renderCharts(jobs []chartJob) ([]Chart, error) {
	out := make([]Chart, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(1, min(runtime.GOMAXPROCS(0), len(jobs))))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			b, err := j.draw()
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", j.name, err)
				return
			}
			out[i] = Chart{Name: j.name, Title: j.title, PNG: b}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
