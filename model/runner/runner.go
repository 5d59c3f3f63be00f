// Package runner runs the replications of a scenario and of its
// dedicated-only baseline, in parallel, and gathers them by index so the
// results never depend on the number of workers.
package runner

import (
	"sync/atomic"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/sim"
)

// Runs holds the per-replication results of a scenario and its baseline;
// Scenario[i] and Baseline[i] share replication i's random streams.
type Runs struct {
	Scenario, Baseline []model.Result
}

// Progress, when not nil, is called after every replication (scenario or
// baseline) with the number done and the total. It may be called from
// several goroutines at once.
type Progress func(done, total int)

// Pair runs every replication of sc and of sc.Baseline() on workers
// goroutines (<= 0: one per CPU).
func Pair(sc *model.Scenario, workers int, progress Progress) (*Runs, error) {
	base := sc.Baseline()
	n := sc.Replications
	var done atomic.Int64
	results, err := sim.Replicate(2*n, workers, func(i int) (model.Result, error) {
		s, rep := sc, i/2
		if i%2 == 1 {
			s = base
		}
		res, err := model.Run(s, rep, model.Options{})
		if progress != nil {
			progress(int(done.Add(1)), 2*n)
		}
		return res, err
	})
	if err != nil {
		return nil, err
	}
	runs := &Runs{Scenario: make([]model.Result, n), Baseline: make([]model.Result, n)}
	for i := 0; i < n; i++ {
		runs.Scenario[i], runs.Baseline[i] = results[2*i], results[2*i+1]
	}
	return runs, nil
}
