package model_test

import (
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// amlScenario is a batch deployment of inputs on a low-priority cluster of
// at most 2 instances running 2 mini-batches each.
func amlScenario(inputs int, mb model.MiniBatch, retries int, timeout time.Duration) *model.Scenario {
	sc := refScenario()
	sc.Horizon = 48 * time.Hour
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.TaskSlotsPerNode = 0, 0, 2
	p.StartDelay, p.Lifetime = dist.Const(time.Minute), nil
	p.Cluster = &model.Cluster{Tier: model.LowPriority, MaxInstances: 2, IdleTimeBeforeScaleDown: 120 * time.Second}
	p.Service = model.ML
	mb.Inputs = inputs
	sc.Jobs[0] = model.NewMiniBatchJob(model.Job{Name: "score", Pool: "main"}, mb, retries, timeout)
	return sc
}

func TestMiniBatchErrorThreshold(t *testing.T) {
	// Every mini-batch (2 inputs of 1 min) times out at 90 s; with 3
	// retries each fails after 4 attempts, and the third failed one takes
	// the failed inputs to 6 > 5: the job is aborted.
	mb := model.MiniBatch{Concurrency: 1, Size: 2, PerInput: dist.Const(time.Minute), InstanceCount: 1, ErrorThreshold: 5}
	sc := amlScenario(20, mb, 3, 90*time.Second)
	sc.Pools[0].TaskSlotsPerNode = 1
	res, err := model.Run(sc, 0, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Aborted != 1 || res.Timeouts != 12 || res.TasksDone != 0 || res.TasksFailed != 10 {
		t.Fatalf("aborted %d, timeouts %d, done %d, failed %d", res.Aborted, res.Timeouts, res.TasksDone, res.TasksFailed)
	}
	// With threshold -1 it never aborts: every mini-batch fails on its own.
	sc.Jobs[0].MiniBatch.ErrorThreshold = -1
	res, _ = model.Run(sc, 0, model.Options{})
	if res.Aborted != 0 || res.Timeouts != 40 || res.TasksFailed != 10 {
		t.Fatalf("threshold -1: aborted %d, timeouts %d, failed %d", res.Aborted, res.Timeouts, res.TasksFailed)
	}
}

// TestClusterPreemptionCancels: evicting the whole cluster at 30 min
// cancels the job; with resubmit it completes, and only the mini-batches
// not finished by then run again.
func TestClusterPreemptionCancels(t *testing.T) {
	mb := model.MiniBatch{Concurrency: 2, Size: 2, PerInput: dist.Const(5 * time.Minute), InstanceCount: 2, ErrorThreshold: -1}
	for _, resubmit := range []bool{false, true} {
		sc := amlScenario(40, mb, 3, time.Hour)
		p := &sc.Pools[0]
		p.Capacity.Trace = &preempt.Trace{Rows: []preempt.Eviction{{At: 30 * time.Minute, Count: -1, Fraction: 1}}}
		p.Cluster.Resubmit, p.Cluster.ResubmitDelay = resubmit, 10*time.Minute
		res, err := model.Run(sc, 0, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// 2 nodes × 2 slots from 1 min on: mini-batches of 10 min end at
		// 11 and 21 min, so 8 are done and 4 are running at 30 min.
		if res.Cancellations != 1 || res.Preemptions != 2 || res.Requeued != 4 {
			t.Fatalf("resubmit %v: cancellations %d, preemptions %d, requeued %d", resubmit, res.Cancellations, res.Preemptions, res.Requeued)
		}
		if !resubmit {
			if res.TasksDone != 8 || res.TasksFailed != 12 {
				t.Fatalf("cancelled: done %d, failed %d", res.TasksDone, res.TasksFailed)
			}
			continue
		}
		// Resubmitted at 40 min, nodes usable at 41 min, 12 left: 3 rounds.
		if !res.Finished || res.TasksDone != 20 || res.TasksFailed != 0 || res.Completion != 71*time.Minute {
			t.Fatalf("resubmitted: finished %v, done %d, failed %d, at %v", res.Finished, res.TasksDone, res.TasksFailed, res.Completion)
		}
	}
}

// TestClusterScalesDownWhenIdle: between two jobs the cluster releases
// its idle nodes after idle_time_before_scale_down, then scales up again.
func TestClusterScalesDownWhenIdle(t *testing.T) {
	mb := model.MiniBatch{Concurrency: 2, Size: 1, PerInput: dist.Const(10 * time.Minute), InstanceCount: 2, ErrorThreshold: -1}
	sc := amlScenario(4, mb, 3, time.Hour)
	mb.Inputs = 4
	second := model.NewMiniBatchJob(model.Job{Name: "later", Pool: "main", Submit: 2 * time.Hour}, mb, 3, time.Hour)
	sc.Jobs = append(sc.Jobs, second)
	var w lowWatch
	res, err := model.Run(sc, 0, model.Options{Observer: &w})
	if err != nil {
		t.Fatal(err)
	}
	// First job: 2 nodes from 0, usable at 1 min, done at 11 min; idle
	// nodes leave at 13 min; the second job allocates 2 again at 2 h.
	if len(w.allocs) != 4 || w.allocs[2] != 2*time.Hour || !res.Finished || res.Completion != 2*time.Hour+11*time.Minute {
		t.Fatalf("allocations %v, finished %v at %v", w.allocs, res.Finished, res.Completion)
	}
	if idle := res.NodeHours[model.LowPriority][model.Idle]; idle > 5.0/60 {
		t.Fatalf("idle node-hours %.3f: idle nodes were not released", idle)
	}
}
