package sweep

import (
	"context"
	"errors"
	"runtime"
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
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, total)
	var mu sync.Mutex
	runs := make([]*runner.Runs, n)
	left := make([]int, n)
	for i, sc := range points {
		left[i] = 2 * sc.Replications
	}
	var (
		next, repsDone, pointsDone atomic.Int64
		failed                     atomic.Bool
		errMu                      sync.Mutex
		firstErr                   error
		firstAt                    = total
	)
	fail := func(k int, err error) {
		errMu.Lock()
		if k < firstAt {
			firstAt, firstErr = k, err
		}
		errMu.Unlock()
		failed.Store(true)
	}
	one := func(k int) {
		p := sort.SearchInts(start, k+1) - 1
		i := k - start[p]
		sc, rep := points[p], i/2
		if i%2 == 1 {
			sc = bases[p]
		}
		res, err := model.Run(sc, rep, model.Options{})
		if err != nil {
			fail(k, err)
			return
		}
		mu.Lock()
		if runs[p] == nil {
			r := points[p].Replications
			runs[p] = &runner.Runs{Scenario: make([]model.Result, r), Baseline: make([]model.Result, r)}
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
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				k := int(next.Add(1) - 1)
				if k >= total {
					return
				}
				if ctx.Err() != nil {
					fail(k, ErrStopped)
					return
				}
				one(k)
			}
		}()
	}
	wg.Wait()
	return firstErr
}
