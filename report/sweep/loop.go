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
// CPU); a replication's two runs are run together, as spotsim run runs
// them (runner.Replicator: shared task durations, a baseline that draws
// nothing simulated once or a few times). As soon as a point's
// replications are all in, done is called with
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
	for i, sc := range points {
		start[i+1] = start[i] + sc.Replications
	}
	total := 2 * start[n] // runs: every replication and its baseline
	var mu sync.Mutex
	type pointRuns struct {
		rp   *runner.Replicator // the point and its baseline, run as spotsim run pairs them
		c    *runner.Collector
		left int // replications not yet in
	}
	flying := make([]*pointRuns, n)
	var runsDone, pointsDone atomic.Int64
	stop := func() error {
		if ctx.Err() != nil {
			return ErrStopped
		}
		return nil
	}
	// Each hands out replications in point order, so a point is in flight
	// from its first replication started to its last one done; the
	// results are cut to records as they arrive (runner.Collector).
	return runner.Each(start[n], workers, stop, func(k int) error {
		p := sort.SearchInts(start, k+1) - 1
		rep := k - start[p]
		mu.Lock()
		f := flying[p]
		if f == nil {
			sc := points[p]
			base := sc.Baseline()
			f = &pointRuns{rp: runner.NewReplicator(sc, base), c: runner.NewCollector(sc.Replications, sc, base, nil), left: sc.Replications}
			flying[p] = f
		}
		mu.Unlock()
		err := f.rp.Run(rep, nil, func(side int, res *model.Result) error { return f.c.Put(side, rep, res) })
		if err != nil {
			return err
		}
		mu.Lock()
		f.left--
		last := f.left == 0
		if last {
			flying[p] = nil
		}
		mu.Unlock()
		if last {
			done(p, f.c.Runs())
			pointsDone.Add(1)
		}
		if progress != nil {
			progress(int(pointsDone.Load()), n, int(runsDone.Add(2)), total)
		}
		return nil
	})
}
