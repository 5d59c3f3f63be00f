package sweep

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
)

// Reference is the setup the user runs today ([reference], --reference:
// scenarios.Doc.Reference), which every point of a sweep is compared with.
// It is run once per sweep (once per shard), Replications times on the
// sweep's seed, and replication i of every point is paired with its
// replication i: the same random streams as spotsim run's reference, so a
// point equal to run's scenario gets the same numbers.
type Reference struct {
	Name, Description string
	Overrides         []string // PATH=VALUE, in the order applied
	Scenario          *model.Scenario
	// Replications is the most any point runs (the points' own when every
	// point runs the same number).
	Replications int
}

// runReference runs the reference's replications on workers goroutines,
// gathered by index; progress, when set, is told of each. A cancelled ctx
// starts no more and returns ErrStopped.
func runReference(ctx context.Context, ref *Reference, workers int, progress func(done int)) (*runner.Side, error) {
	var done atomic.Int64
	var mu sync.Mutex
	side := runner.NewSide(ref.Scenario, ref.Replications)
	stop := func() error {
		if ctx.Err() != nil {
			return ErrStopped
		}
		return nil
	}
	err := runner.Each(ref.Replications, workers, stop, func(i int) error {
		res, err := model.Run(ref.Scenario, i, model.Options{})
		if err != nil {
			return err
		}
		mu.Lock()
		err = side.Put(i, &res)
		mu.Unlock()
		if err == nil && progress != nil {
			progress(int(done.Add(1)))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return side, nil
}

// referenceRecord is the reference's record in the shard and sweep.json:
// its statistics as summary.json's "reference" has them (report.NewReference)
// and its completion time at the sweep's percentile and share meeting the
// deadline, as a point's.
func referenceRecord(ref *Reference, runs *runner.Side, percentile float64, deadline time.Duration) *report.SweepReference {
	r := &report.SweepReference{Reference: *report.NewReference(ref.Scenario, ref.Name, ref.Description, ref.Overrides, runs)}
	r.CompletionAtPercentile, r.MeetsDeadline = atPercentile(runs, percentile, deadline)
	return r
}

// atPercentile returns the percentile (in (0, 100]) of the completion times
// of runs, an unfinished run counting as never finishing (nil when the
// percentile falls on one), and, with a deadline, the share of runs
// finished by it.
func atPercentile(runs *runner.Side, percentile float64, deadline time.Duration) (at, meets *float64) {
	all := make([]float64, runs.Len())
	met := 0
	for i := range runs.Records {
		r := &runs.Records[i]
		all[i] = math.Inf(1)
		if r.Finished {
			all[i] = r.Completion.Hours()
			if deadline > 0 && r.Completion <= deadline {
				met++
			}
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	slices.Sort(all)
	if q := stat.Quantile(percentile/100, stat.Empirical, all, nil); !math.IsInf(q, 1) {
		at = &q
	}
	if deadline > 0 {
		share := float64(met) / float64(len(all))
		meets = &share
	}
	return at, meets
}
