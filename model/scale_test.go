package model_test

import (
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/dist"
)

var monday = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

func autoscaled(t *testing.T, formula string, interval time.Duration) *model.Scenario {
	t.Helper()
	f, err := autoscale.Parse("test", formula)
	if err != nil {
		t.Fatal(err)
	}
	sc := refScenario()
	sc.Start = monday
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 0
	p.StartDelay = dist.Const(0)
	p.Autoscale = &model.Autoscale{Formula: f, Interval: interval, SampleLag: model.DefaultSampleLag}
	return sc
}

// allocations records when nodes (or incarnations) are allocated, by kind,
// and when the first preemption happened.
type allocations struct {
	at             [2][]time.Duration
	firstPreempted time.Duration
}

func (a *allocations) NodeState(now time.Duration, pool int, k model.Kind, from, to model.State) {
	if to == model.Creating {
		a.at[k] = append(a.at[k], now)
	}
	if to == model.Preempted && a.firstPreempted == 0 {
		a.firstPreempted = now
	}
}

// TestAutoscaleFollowsPendingTasks: tasks submitted at 2h0m10s are first
// sampled at 2h0m30s, visible a minute later, and first read by the
// evaluation at 2h15m, which must allocate one node per pending task then,
// and not before.
func TestAutoscaleFollowsPendingTasks(t *testing.T) {
	sc := autoscaled(t, `$TargetDedicatedNodes = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 3) < 50 ? 0 : max($PendingTasks.GetSample(1));`, 15*time.Minute)
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration, sc.Jobs[0].Submit = 20, dist.Const(time.Hour), 2*time.Hour+10*time.Second
	var a allocations
	res, err := model.Run(sc, 0, model.Options{Observer: &a, KeepSeries: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.at[model.Dedicated]) != 20 || a.at[model.Dedicated][0] != 2*time.Hour+15*time.Minute || a.at[model.Dedicated][19] != 2*time.Hour+15*time.Minute {
		t.Fatalf("allocations %v", a.at[model.Dedicated])
	}
	if !res.Finished || res.Completion != 3*time.Hour+15*time.Minute {
		t.Fatalf("finished %v at %v", res.Finished, res.Completion)
	}
	// Evaluations at 0, 15m, ..., 3h: 13 of them (the tasks end at 3h15m,
	// before that evaluation); the series says what each saw.
	if res.Autoscale.Evaluations != 13 || len(res.Autoscale.Series) != 13 {
		t.Fatalf("evaluations %d, series %d", res.Autoscale.Evaluations, len(res.Autoscale.Series))
	}
	if p := res.Autoscale.Series[9]; p.At != 2*time.Hour+15*time.Minute || p.TargetDedicated != 20 || p.Dedicated != 20 {
		t.Fatalf("series at 2h15m: %+v", p)
	}
	if p := res.Autoscale.Series[8]; p.TargetDedicated != 0 {
		t.Fatalf("series at 2h: %+v", p)
	}
}

// TestAutoscaleDynamicMix: the Azure guide's formula that replaces
// preempted low-priority capacity with dedicated nodes. With preemptions,
// dedicated nodes appear after the first ones; without, none ever does.
func TestAutoscaleDynamicMix(t *testing.T) {
	const formula = `maxNumberofVMs = 10;
$TargetDedicatedNodes = min(maxNumberofVMs, $PreemptedNodeCount.GetSample(180 * TimeInterval_Second));
$TargetLowPriorityNodes = min(maxNumberofVMs, maxNumberofVMs - $TargetDedicatedNodes);`
	for _, preempt := range []bool{true, false} {
		sc := autoscaled(t, formula, 5*time.Minute)
		p := &sc.Pools[0]
		p.Lifetime = nil
		if preempt {
			p.Lifetime = expLife(time.Hour)
			p.ReplacementDelay = dist.Const(30 * time.Minute)
		}
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 400, dist.Const(20*time.Minute)
		var a allocations
		res, err := model.Run(sc, 1, model.Options{Observer: &a, KeepSeries: true})
		if err != nil {
			t.Fatal(err)
		}
		// At t = 0 the only sample is the pool's creation (0 preempted): the
		// pool starts with 10 low-priority nodes, as Azure documents; then
		// the dedicated target follows the preempted count.
		series := res.Autoscale.Series
		if series[0].TargetDedicated != 0 || series[0].TargetLowPriority != 10 {
			t.Fatalf("first evaluation: %+v", series[0])
		}
		firstPreempted, laterDed := a.firstPreempted, 0
		for _, pt := range series {
			if pt.TargetDedicated > 0 && (firstPreempted == 0 || pt.At <= firstPreempted) {
				t.Fatalf("dedicated target %d at %v before the first preemption (%v)", pt.TargetDedicated, pt.At, firstPreempted)
			}
			laterDed = max(laterDed, pt.TargetDedicated)
		}
		var laterAlloc []time.Duration
		laterAlloc = append(laterAlloc, a.at[model.Dedicated]...)
		if !preempt {
			if laterDed != 0 || len(laterAlloc) != 0 || res.Preemptions != 0 {
				t.Fatalf("no preemption: dedicated target %d, dedicated allocations %v", laterDed, laterAlloc)
			}
			continue
		}
		if firstPreempted == 0 || laterDed == 0 || len(laterAlloc) == 0 || laterAlloc[0] <= firstPreempted {
			t.Fatalf("with preemption: first seen %v, max dedicated target %d, dedicated allocations %v", firstPreempted, laterDed, laterAlloc)
		}
		if res.Autoscale.Failures != 0 {
			t.Fatalf("failures %d: %s", res.Autoscale.Failures, res.Autoscale.FirstError)
		}
	}
}

// TestAutoscaleBaselineAllDedicated: the baseline of an autoscaling pool
// runs the same formula with every node it asks for dedicated.
func TestAutoscaleBaselineAllDedicated(t *testing.T) {
	sc := autoscaled(t, `$TargetDedicatedNodes = 1; $TargetLowPriorityNodes = 3;`, 15*time.Minute)
	sc.Jobs[0].Tasks = 40
	var a allocations
	res, _ := model.Run(sc.Baseline(), 0, model.Options{Observer: &a})
	if len(a.at[model.Dedicated]) != 4 || len(a.at[model.LowPriority]) != 0 || res.CostLowPriority != 0 {
		t.Fatalf("baseline allocations %v, low-priority cost %v", a.at, res.CostLowPriority)
	}
	var b allocations
	model.Run(sc, 0, model.Options{Observer: &b})
	if len(b.at[model.Dedicated]) != 1 || len(b.at[model.LowPriority]) < 3 {
		t.Fatalf("scenario allocations %v", b.at)
	}
}

// TestNodeDeallocationOption: 4 nodes run 8 tasks of 20 min; at 30 min the
// formula removes every node, with each option.
func TestNodeDeallocationOption(t *testing.T) {
	tests := []struct {
		option           string
		finished         bool
		done, failed     int
		completion       time.Duration
		requeued         int
		billedNodeMinute float64 // node-minutes billed
	}{
		{"terminate", true, 4, 4, 30 * time.Minute, 0, 4 * 30},
		{"requeue", false, 4, 0, 2 * time.Hour, 4, 4 * 30},
		{"taskcompletion", true, 8, 0, 40 * time.Minute, 0, 4 * 40},
		{"retaineddata", true, 8, 0, 40 * time.Minute, 0, 4 * 40},
	}
	for _, tt := range tests {
		sc := autoscaled(t, `$TargetDedicatedNodes = (time() - time("2025-01-06T00:00:00Z")) < 30 * TimeInterval_Minute ? 4 : 0;
$NodeDeallocationOption = `+tt.option+`;`, 5*time.Minute)
		sc.Horizon = 2 * time.Hour
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 8, dist.Const(20*time.Minute)
		res, err := model.Run(sc, 0, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		billed := res.CostDedicated / sc.Pools[0].Size.DedicatedPrice * 60
		if res.Finished != tt.finished || res.TasksDone != tt.done || res.TasksFailed != tt.failed ||
			res.Completion != tt.completion || res.Requeued != tt.requeued || billed < tt.billedNodeMinute-1e-6 || billed > tt.billedNodeMinute+1e-6 {
			t.Errorf("%s: finished %v done %d failed %d at %v requeued %d billed %.2f node-min", tt.option,
				res.Finished, res.TasksDone, res.TasksFailed, res.Completion, res.Requeued, billed)
		}
	}
}

func TestQuotaCapsGrowth(t *testing.T) {
	sc := refScenario()
	sc.Quotas = model.Quotas{DedicatedCores: 4 * 3, LowPriorityCores: 4 * 5}
	var a allocations
	res, err := model.Run(sc, 0, model.Options{Observer: &a})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.at[model.Dedicated]) != 2 || res.QuotaCapped != 1 {
		t.Fatalf("dedicated %d, capped %d", len(a.at[model.Dedicated]), res.QuotaCapped)
	}
	lowAtZero := 0
	for _, at := range a.at[model.LowPriority] {
		if at == 0 {
			lowAtZero++
		}
	}
	if lowAtZero != 5 {
		t.Fatalf("low-priority nodes at t=0: %d, want 5 (20 cores / 4)", lowAtZero)
	}
}
