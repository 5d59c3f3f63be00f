package sweep

import (
	"context"
	"errors"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
)

// Progress, when not nil, is called after every replication of a sweep
// with the points finished, the replications done (scenario and baseline
// runs alike) and their totals. It may be called from several goroutines
// at once.
type Progress func(pointsDone, points, repsDone, reps int)

// ErrStopped is what the point loop returns when its context was cancelled
// before every point was done.
var ErrStopped = errors.New("sweep stopped before every point was done")

// runPoints runs every point paired with its own dedicated-only baseline,
// spreading all their replications over workers goroutines (<= 0: one per
// CPU). As soon as a point's replications are all in, done is called with
// its index and runs (from any goroutine, at most once per point, in no
// particular order) and the runs are let go, so memory holds only the
// points in flight. Results depend on the points only, never on the worker
// count. The first error, by replication order, is returned.
//
// Once ctx is done no replication starts, the ones running finish, done is
// still called for every point they complete, and ErrStopped is returned
// (unless a replication failed first). A point whose replications are not
// all in is dropped; running it again gives the same result.
func runPoints(ctx context.Context, points []*model.Scenario, workers int, progress Progress, done func(point int, runs *runner.Runs)) error {
	n := len(points)
	start := make([]int, n+1) // flat index of each point's first replication
	bases := make([]*model.Scenario, n)
	for i, sc := range points {
		start[i+1] = start[i] + 2*sc.Replications
		bases[i] = sc.Baseline()
	}
	total := start[n]
	var mu sync.Mutex
	runs := make([]*runner.Collector, n)
	left := make([]int, n)
	for i, sc := range points {
		left[i] = 2 * sc.Replications
	}
	var repsDone, pointsDone atomic.Int64
	stop := func() error {
		if ctx.Err() != nil {
			return ErrStopped
		}
		return nil
	}
	// Each hands out replications in point order, so a point is in flight
	// from its first replication started to its last one done; the
	// results are cut to records as they arrive (runner.Collector).
	return runner.Each(total, workers, stop, func(k int) error {
		p := sort.SearchInts(start, k+1) - 1
		i := k - start[p]
		sc, rep, side := points[p], i/2, runner.ScenarioSide
		if i%2 == 1 {
			sc, side = bases[p], runner.BaselineSide
		}
		res, err := model.Run(sc, rep, model.Options{})
		if err != nil {
			return err
		}
		mu.Lock()
		if runs[p] == nil {
			runs[p] = runner.NewCollector(points[p].Replications, points[p], bases[p], nil)
		}
		c := runs[p]
		err = c.Put(side, rep, &res)
		left[p]--
		last := err == nil && left[p] == 0
		if last {
			runs[p] = nil
		}
		mu.Unlock()
		if err != nil {
			return err
		}
		if last {
			done(p, c.Runs())
			pointsDone.Add(1)
		}
		if progress != nil {
			progress(int(pointsDone.Load()), n, int(repsDone.Add(1)), total)
		}
		return nil
	})
}
