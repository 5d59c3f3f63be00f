package sweep

import (
	"context"
	"errors"
	"reflect"
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

// TestRunPointsArePairs: every point's runs are exactly spotsim run's
// (runner.Pair) for its scenario, whatever the workers, both for a
// baseline that draws and for one that draws nothing (fixed durations and
// delays, simulated once and reused: runner.Replicator).
func TestRunPointsArePairs(t *testing.T) {
	fixed := []scenarios.Set{{Path: "simulation.replications", Value: "5"}, {Path: "jobs.render.duration", Value: `"10m"`},
		{Path: "pools.main.allocation_delay", Value: `"4m"`}}
	drawn := []scenarios.Set{{Path: "simulation.replications", Value: "5"}}
	var pts []*model.Scenario
	for _, sets := range [][]scenarios.Set{drawn, fixed, drawn} {
		sc, err := scenarios.Load("../testdata/small.toml", sets...)
		if err != nil {
			t.Fatal(err)
		}
		pts = append(pts, sc)
	}
	if b, err := model.Run(pts[1].Baseline(), 0, model.Options{}); err != nil || b.Draws != 0 {
		t.Fatalf("the fixed point's baseline draws: %d draws, %v", b.Draws, err)
	}
	for _, workers := range []int{1, 3} {
		var mu sync.Mutex
		got := map[int]*runner.Runs{}
		if err := runPoints(context.Background(), pts, workers, nil, func(p int, r *runner.Runs) {
			mu.Lock()
			defer mu.Unlock()
			got[p] = r
		}); err != nil {
			t.Fatal(err)
		}
		for p, sc := range pts {
			want, err := runner.Pair(sc, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[p], want) {
				t.Errorf("%d workers: point %d's runs are not spotsim run's", workers, p)
			}
		}
	}
}

// BenchmarkRunPoints: a sweep's point loop, 4 points of the small scenario
// at 50 replications each, with their baselines, on one worker.
func BenchmarkRunPoints(b *testing.B) {
	var pts []*model.Scenario
	for _, low := range []string{"2", "4", "6", "8"} {
		sc, err := scenarios.Load("../testdata/small.toml", scenarios.Set{Path: "simulation.replications", Value: "50"},
			scenarios.Set{Path: "pools.main.target_low_priority_nodes", Value: low})
		if err != nil {
			b.Fatal(err)
		}
		pts = append(pts, sc)
	}
	for b.Loop() {
		if err := runPoints(context.Background(), pts, 1, nil, func(int, *runner.Runs) {}); err != nil {
			b.Fatal(err)
		}
	}
}
