package runner_test

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
)

// TestRecordSizes: the sizes the memory estimate and docs/limits.md count.
func TestRecordSizes(t *testing.T) {
	if runner.RecordBytes != 128 || runner.JobRecordBytes != 32 {
		t.Errorf("Record %d bytes, JobRecord %d: docs/limits.md says 128 and 32", runner.RecordBytes, runner.JobRecordBytes)
	}
}

// TestKeptMemory: what PairWith keeps of 10^5 one-task replications and
// their baselines is their records, within 10 % of the two records of
// RecordBytes + JobRecordBytes a replication docs/limits.md gives. Keeping
// each model.Result (about 1 KiB a replication with its Jobs slice) fails
// it.
func TestKeptMemory(t *testing.T) {
	const n = 100000
	if testing.Short() {
		t.Skip("-short")
	}
	sc := load(t, scenario(n, 1, 0, 1, "1m", ""))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	runs, err := runner.Pair(sc, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	want := float64(2 * (runner.RecordBytes + runner.JobRecordBytes))
	if per > 1.1*want {
		t.Errorf("%.0f bytes kept a replication, want at most %.0f (+10 %%)", per, want)
	}
	runtime.KeepAlive(runs)
	t.Logf("%.0f bytes kept a replication (records: %.0f)", per, want)
}

// TestRunsWorkers: the records and totals do not depend on the worker
// count, though results arrive out of order: totals are folded in
// replication order.
func TestRunsWorkers(t *testing.T) {
	sc := load(t, scenario(300, 1, 6, 40, "20m", "1h"))
	var want *runner.Runs
	for _, w := range []int{1, 2, 5} {
		runs, err := runner.Pair(sc, w, nil)
		if err != nil {
			t.Fatal(err)
		}
		if runs.Scenario.Totals.NodeHours == ([2][model.NumStates]float64{}) || runs.Scenario.Records[7].Preemptions == 0 {
			t.Fatalf("nothing preempted: %+v", runs.Scenario.Records[7])
		}
		if want == nil {
			want = runs
		} else if !reflect.DeepEqual(runs, want) {
			t.Errorf("%d workers: the runs differ from 1 worker's", w)
		}
	}
}

// TestEachWindow: while index 0 is held up, the other workers run the
// indices below Window and stop there rather than run on; once it is done
// every index runs.
func TestEachWindow(t *testing.T) {
	release := make(chan struct{})
	var zeroDone atomic.Bool
	var seen, highest atomic.Int64
	err := runner.Each(3*runner.Window, 4, nil, func(k int) error {
		if k == 0 {
			<-release
			zeroDone.Store(true)
			return nil
		}
		if k >= runner.Window && !zeroDone.Load() {
			return fmt.Errorf("index %d handed out while 0 runs", k)
		}
		for {
			h := highest.Load()
			if int64(k) <= h || highest.CompareAndSwap(h, int64(k)) {
				break
			}
		}
		if seen.Add(1) == runner.Window-1 {
			close(release)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if highest.Load() != 3*runner.Window-1 || seen.Load() != 3*runner.Window-1 {
		t.Errorf("ran %d indices up to %d", seen.Load(), highest.Load())
	}
}

// TestEachErrors: the error of the lowest failing index is returned, and
// a stop error stands for the first index not started.
func TestEachErrors(t *testing.T) {
	err := runner.Each(1000, 4, nil, func(k int) error {
		if k == 37 || k == 500 {
			return fmt.Errorf("index %d", k)
		}
		return nil
	})
	if err == nil || err.Error() != "index 37" {
		t.Errorf("got %v, want index 37", err)
	}
	stopped := errors.New("stopped")
	ran := 0
	err = runner.Each(1000, 1, func() error {
		if ran == 10 {
			return stopped
		}
		return nil
	}, func(int) error { ran++; return nil })
	if err != stopped || ran != 10 {
		t.Errorf("got %v after %d, want stopped after 10", err, ran)
	}
}

// TestMostTargetsFolded: Totals.MostTargets is every pool's largest
// autoscale target of each kind over the replications, whatever order
// they arrive in; a side none of whose pools autoscales has none.
func TestMostTargetsFolded(t *testing.T) {
	sc := load(t, scenario(10, 1, 0, 1, "1m", ""))
	most := [][][2]int{{{1, 30}, {0, 0}}, {{4, 2}, {0, 7}}, {{2, 29}, {0, 0}}}
	for _, c := range []struct {
		name  string
		order []int
		most  [][][2]int
		want  [][2]int
	}{
		{"in order", []int{0, 1, 2}, most, [][2]int{{4, 30}, {0, 7}}},
		{"out of order", []int{2, 0, 1}, most, [][2]int{{4, 30}, {0, 7}}},
		{"no autoscaled pool", []int{1, 0, 2}, [][][2]int{nil, nil, nil}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := runner.NewSide(sc, len(c.order))
			for _, i := range c.order {
				r := model.Result{Replication: i, Finished: true, Jobs: make([]model.JobResult, len(sc.Jobs))}
				r.Autoscale.MostTargets = c.most[i]
				if err := s.Put(i, &r); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(s.MostTargets, c.want) {
				t.Errorf("MostTargets %v, want %v", s.MostTargets, c.want)
			}
		})
	}
}
