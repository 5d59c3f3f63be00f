// Package runner runs the replications of a scenario and of its
// dedicated-only baseline, in parallel, and gathers them by index so the
// results never depend on the number of workers. A replication's result is
// cut to a compact Record as it arrives (record.go): memory grows by
// RecordBytes a replication, not by a model.Result.
package runner

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/spotsim/spotsim/model"
)

// Runs holds the per-replication records of a scenario and its baseline;
// Scenario.Records[i] and Baseline.Records[i] share replication i's random
// streams. Reference, when a reference was run (Options.Reference), shares
// them too; it is nil otherwise.
type Runs struct {
	Scenario, Baseline *Side
	Reference          *Side
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
// reference) through one Replicator: they share their first-attempt task
// durations, and a side whose run drew no random number is simulated once
// or a few times (once per worker at most), whatever the replications.
// Which runs are simulated depends on scheduling; the results do not.
func PairWith(sc *model.Scenario, opt Options) (*Runs, error) {
	n := sc.Replications
	// Each result is cut to its Record as it arrives and let go: the
	// replications are held at RecordBytes each (see EstimateRun).
	sides := []*model.Scenario{sc, sc.Baseline()}
	if opt.Reference != nil {
		sides = append(sides, opt.Reference)
	}
	c := NewCollector(n, sides[0], sides[1], opt.Reference)
	total := len(sides) * n
	rp := NewReplicator(sides...)
	var done atomic.Int64
	var observe func(rep, side int) model.Observer
	if opt.Observe != nil {
		observe = func(rep, side int) model.Observer {
			if side < 2 {
				return opt.Observe(rep, side == 1)
			}
			return nil
		}
	}
	err := Each(n, opt.Workers, nil, func(rep int) error {
		return rp.Run(rep, observe, func(side int, res *model.Result) error {
			if err := c.Put(side, rep, res); err != nil {
				return err
			}
			if opt.Progress != nil {
				opt.Progress(int(done.Add(1)), total)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return c.Runs(), nil
}

// Replicator runs the setups of a replication (a scenario, its baseline,
// a reference: its sides) one after the other, as PairWith and a sweep's
// points do: they share their first-attempt task durations
// (model.SharedDraws), and once a side's run that drew no random number
// (model.Result.Draws 0) is in, that side's unobserved runs take its result
// (model.Result.ForReplication) instead of being simulated. Results are
// those of model.Run whatever the scheduling; only the work differs. It is
// safe for concurrent use.
type Replicator struct {
	sides    []*model.Scenario
	invalid  []error                        // each side's Validate, run once (Options.Validated)
	seedFree []atomic.Pointer[model.Result] // a run of that side that drew nothing, once one is in
}

// NewReplicator returns the Replicator of these sides, in the order Run
// runs them. It validates each side once, for all replications: the sides
// must not change while it is in use.
func NewReplicator(sides ...*model.Scenario) *Replicator {
	r := &Replicator{sides: sides, invalid: make([]error, len(sides)), seedFree: make([]atomic.Pointer[model.Result], len(sides))}
	for i, s := range sides {
		r.invalid[i] = s.Validate()
	}
	return r
}

// sharedDraws holds a SharedDraws for each replication in flight.
var sharedDraws = sync.Pool{New: func() any { return new(model.SharedDraws) }}

// Run runs replication rep of every side in order and hands each result to
// put with its side's index; it stops at the first error. observe, when
// not nil, gives a run its observer (nil for none); an observed run is
// always simulated.
func (r *Replicator) Run(rep int, observe func(rep, side int) model.Observer, put func(side int, res *model.Result) error) error {
	sd := sharedDraws.Get().(*model.SharedDraws)
	defer sharedDraws.Put(sd)
	for side, s := range r.sides {
		if err := r.invalid[side]; err != nil {
			return err // what model.Run would return
		}
		mo := model.Options{Shared: sd, Validated: true}
		if observe != nil {
			mo.Observer = observe(rep, side)
		}
		var res model.Result
		if free := r.seedFree[side].Load(); free != nil && mo.Observer == nil {
			res = free.ForReplication(rep)
		} else {
			var err error
			if res, err = model.Run(s, rep, mo); err != nil {
				return err
			}
			if res.Draws == 0 {
				kept := res
				r.seedFree[side].CompareAndSwap(nil, &kept)
			}
		}
		if err := put(side, &res); err != nil {
			return err
		}
	}
	return nil
}

// Records runs every replication of sc alone (no baseline) on workers
// goroutines (<= 0: one per CPU) and returns their records.
func Records(sc *model.Scenario, workers int) (*Side, error) {
	s := NewSide(sc, sc.Replications)
	var mu sync.Mutex
	err := Each(sc.Replications, workers, nil, func(i int) error {
		res, err := model.Run(sc, i, model.Options{})
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		return s.Put(i, &res)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Window is how far ahead of the lowest unfinished index Each hands out
// work: results that arrive before an earlier one wait for it (to be
// folded in order), and there are never more than Window of them.
const Window = 4096

// Each calls run(k) for every k in [0, n) on up to workers goroutines
// (<= 0: one per CPU). It hands out indices in order, never Window or more
// ahead of the lowest one not yet finished. It stops handing them out at
// the first error, or when stop (if not nil) returns one, which then
// stands for the index not started. Once the calls started have finished
// it returns the error of the lowest index, independent of scheduling.
func Each(n, workers int, stop func() error, run func(k int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	var (
		mu       sync.Mutex
		wake     = sync.NewCond(&mu)
		next     int          // the next index to hand out
		low      int          // every index below is finished
		finished [Window]bool // finished[k%Window] for k in [low, next)
		failed   bool
		firstErr error
		firstAt  = n
	)
	fail := func(k int, err error) { // with mu held
		if k < firstAt {
			firstAt, firstErr = k, err
		}
		failed = true
		wake.Broadcast()
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for {
				for !failed && next < n && next >= low+Window {
					wake.Wait()
				}
				if failed || next >= n {
					return
				}
				k := next
				if stop != nil {
					if err := stop(); err != nil {
						fail(k, err)
						return
					}
				}
				next++
				mu.Unlock()
				err := run(k)
				mu.Lock()
				if err != nil {
					fail(k, err)
				}
				finished[k%Window] = true
				for low < next && finished[low%Window] {
					finished[low%Window] = false
					low++
				}
				wake.Broadcast()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// Replay runs replication rep of sc again, with an observer or series kept
// (opt). A replication depends only on the scenario, its seed and rep, so
// the result is the one Pair returned for it; charts use this to follow one
// replication closely without recording every replication.
func Replay(sc *model.Scenario, rep int, opt model.Options) (model.Result, error) {
	return model.Run(sc, rep, opt)
}
