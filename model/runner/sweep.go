package runner

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/sim"
)

// SweepProgress, when not nil, is called after every replication of a sweep
// with the points finished, the replications done (scenario and baseline
// runs alike) and their totals. It may be called from several goroutines at
// once.
type SweepProgress func(pointsDone, points, repsDone, reps int)

// Sweep runs every point of a sweep paired with its own dedicated-only
// baseline, spreading all their replications over workers goroutines
// (<= 0: one per CPU). As soon as a point's replications are all in, done
// is called with its index and runs (from any goroutine, at most once per
// point, in no particular order) and the runs are let go, so memory holds
// only the points in flight. Results depend on the points only, never on
// the worker count. The first error, by replication order, is returned.
func Sweep(points []*model.Scenario, workers int, progress SweepProgress, done func(point int, runs *Runs)) error {
	return SweepUntil(points, workers, nil, progress, done)
}

// ErrStopped is what SweepUntil returns when it was stopped before every
// point was done.
var ErrStopped = errors.New("sweep stopped before every point was done")

// SweepUntil is Sweep that stops early once stop is closed (nil: never):
// no replication starts after that, the ones running finish, done is still
// called for every point they complete, and ErrStopped is returned (unless
// a replication failed first). A point whose replications are not all in
// is dropped; running it again gives the same result.
func SweepUntil(points []*model.Scenario, workers int, stop <-chan struct{}, progress SweepProgress, done func(point int, runs *Runs)) error {
	n := len(points)
	start := make([]int, n+1) // flat index of each point's first replication
	bases := make([]*model.Scenario, n)
	for i, sc := range points {
		start[i+1] = start[i] + 2*sc.Replications
		bases[i] = sc.Baseline()
	}
	total := start[n]
	var mu sync.Mutex
	runs := make([]*Runs, n)
	left := make([]int, n)
	for i, sc := range points {
		left[i] = 2 * sc.Replications
	}
	var repsDone, pointsDone atomic.Int64
	_, err := sim.Replicate(total, workers, func(k int) (struct{}, error) {
		if stop != nil {
			select {
			case <-stop:
				return struct{}{}, ErrStopped
			default:
			}
		}
		p := sort.SearchInts(start, k+1) - 1
		i := k - start[p]
		sc, rep := points[p], i/2
		if i%2 == 1 {
			sc = bases[p]
		}
		res, err := model.Run(sc, rep, model.Options{})
		if err != nil {
			return struct{}{}, err
		}
		mu.Lock()
		if runs[p] == nil {
			r := points[p].Replications
			runs[p] = &Runs{Scenario: make([]model.Result, r), Baseline: make([]model.Result, r)}
		}
		pr := runs[p]
		if i%2 == 1 {
			pr.Baseline[rep] = res
		} else {
			pr.Scenario[rep] = res
		}
		left[p]--
		last := left[p] == 0
		if last {
			runs[p] = nil
		}
		mu.Unlock()
		if last {
			done(p, pr)
			pointsDone.Add(1)
		}
		if progress != nil {
			progress(int(pointsDone.Load()), n, int(repsDone.Add(1)), total)
		}
		return struct{}{}, nil
	})
	return err
}
