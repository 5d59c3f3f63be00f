package sweep

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/scenarios"
)

func points(t *testing.T, n int) []*model.Scenario {
	t.Helper()
	var out []*model.Scenario
	for i := 0; i < n; i++ {
		sc, err := scenarios.Load("../testdata/small.toml", scenarios.Set{Path: "simulation.replications", Value: "3"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sc)
	}
	return out
}

// TestRunPointsStops: a cancelled context starts nothing; a cancel after the
// first point lets the replications in flight finish, reports every point they
// complete, whole, and returns ErrStopped.
func TestRunPointsStops(t *testing.T) {
	pts := points(t, 6)
	closed, cancel := context.WithCancel(context.Background())
	cancel()
	var called atomic.Int64 // done runs on the workers
	err := runPoints(closed, pts, 2, nil, func(int, *runner.Runs) { called.Add(1) })
	if !errors.Is(err, ErrStopped) || called.Load() != 0 {
		t.Fatalf("stopped before the start: %v, %d points done", err, called.Load())
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var once sync.Once
	var mu sync.Mutex
	done := map[int]bool{}
	err = runPoints(ctx, pts, 2, nil, func(p int, r *runner.Runs) {
		mu.Lock()
		defer mu.Unlock()
		if done[p] {
			t.Errorf("point %d twice", p)
		}
		done[p] = true
		for i := range r.Scenario.Records {
			if r.Scenario.Records[i].Completion == 0 || r.Baseline.Records[i].Completion == 0 {
				t.Errorf("point %d: replication %d missing", p, i)
			}
		}
		once.Do(stop)
	})
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("stopped after a point: %v", err)
	}
	if len(done) == 0 || len(done) == len(pts) {
		t.Errorf("%d of %d points done after a stop at the first", len(done), len(pts))
	}
	var all atomic.Int64
	if err := runPoints(context.Background(), pts, 2, nil, func(int, *runner.Runs) { all.Add(1) }); err != nil || all.Load() != int64(len(pts)) {
		t.Errorf("all points: %v, %d of %d points", err, all.Load(), len(pts))
	}
}
