// Package runner runs the replications of a scenario and of its
// dedicated-only baseline, in parallel, and gathers them by index so the
// results never depend on the number of workers.
package runner

import (
	"sync"
	"sync/atomic"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/sim"
)

// Runs holds the per-replication results of a scenario and its baseline;
// Scenario[i] and Baseline[i] share replication i's random streams.
// Reference[i], when a reference was run (Options.Reference), shares them
// too.
type Runs struct {
	Scenario, Baseline []model.Result
	Reference          []model.Result
}

// Progress, when not nil, is called after every replication (scenario or
// baseline) with the number done and the total. It may be called from
// several goroutines at once.
type Progress func(done, total int)

// Observe returns the observer of replication rep of the scenario (baseline
// false) or of its baseline, or nil for none. It is called once per
// replication, possibly from several goroutines at once, so the observers it
// hands out must not share mutable state.
type Observe func(rep int, baseline bool) model.Observer

// Options tune a paired run. The zero value runs on one goroutine per CPU,
// silently and without observers.
type Options struct {
	Workers  int // goroutines (<= 0: one per CPU)
	Progress Progress
	Observe  Observe
	// Reference, when set, is run too, replication by replication on the
	// same random streams (scenarios.Doc.Reference builds it); it is not
	// observed.
	Reference *model.Scenario
}

// Pair runs every replication of sc and of sc.Baseline() on workers
// goroutines (<= 0: one per CPU).
func Pair(sc *model.Scenario, workers int, progress Progress) (*Runs, error) {
	return PairWith(sc, Options{Workers: workers, Progress: progress})
}

// PairWith is Pair with observers and a reference: opt.Observe, when set, gives each
// replication its own observer (charts record node states through it).
//
// A worker runs all the runs of a replication (scenario, baseline,
// reference) one after the other, sharing their first-attempt task
// durations (model.SharedDraws): the baseline reads the scenario's. A run that drew no random number
// (model.Result.Draws 0) has the same result in every replication, so once
// one such run of a side is in, that side's unobserved runs are not
// simulated again but take its result (model.Result.ForReplication): a
// dedicated-only baseline of fixed delays and durations is simulated once
// or a few times (once per worker at most), whatever the replications.
// Which runs are simulated depends on scheduling; the results do not.
func PairWith(sc *model.Scenario, opt Options) (*Runs, error) {
	n := sc.Replications
	// Each result goes straight to its place: no 2n staging slice, so the
	// results are held once (see EstimateRun for what they take).
	runs := &Runs{Scenario: make([]model.Result, n), Baseline: make([]model.Result, n)}
	sides := []*model.Scenario{sc, sc.Baseline()}
	dsts := [][]model.Result{runs.Scenario, runs.Baseline}
	if opt.Reference != nil {
		runs.Reference = make([]model.Result, n)
		sides = append(sides, opt.Reference)
		dsts = append(dsts, runs.Reference)
	}
	total := len(sides) * n
	// seedFree[side] is a run of that side that drew nothing, once one is in.
	seedFree := make([]atomic.Pointer[model.Result], len(sides))
	var done atomic.Int64
	var shared sync.Pool // *model.SharedDraws, one per replication in flight
	_, err := sim.Replicate(n, opt.Workers, func(rep int) (struct{}, error) {
		sd, _ := shared.Get().(*model.SharedDraws)
		if sd == nil {
			sd = new(model.SharedDraws)
		}
		defer shared.Put(sd)
		for side, s := range sides {
			mo := model.Options{Shared: sd}
			if opt.Observe != nil && side < 2 {
				mo.Observer = opt.Observe(rep, side == 1)
			}
			dst := &dsts[side][rep]
			if free := seedFree[side].Load(); free != nil && mo.Observer == nil {
				*dst = free.ForReplication(rep)
			} else {
				res, err := model.Run(s, rep, mo)
				if err != nil {
					return struct{}{}, err
				}
				*dst = res
				if res.Draws == 0 {
					seedFree[side].CompareAndSwap(nil, &res)
				}
			}
			if opt.Progress != nil {
				opt.Progress(int(done.Add(1)), total)
			}
		}
		return struct{}{}, nil
	})
	if err != nil {
		return nil, err
	}
	return runs, nil
}

// Replay runs replication rep of sc again, with an observer or series kept
// (opt). A replication depends only on the scenario, its seed and rep, so
// the result is the one Pair returned for it; charts use this to follow one
// replication closely without recording every replication.
func Replay(sc *model.Scenario, rep int, opt model.Options) (model.Result, error) {
	return model.Run(sc, rep, opt)
}
