package model_test

import (
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// expLife is an exponential lifetime with the given mean.
func expLife(mean time.Duration) *preempt.Lifetime {
	return preempt.Of(dist.Dist{Kind: dist.Exponential, Rate: float64(time.Hour) / float64(mean)})
}

func refScenario() *model.Scenario {
	size, _ := model.BuiltinCatalog().Lookup("Standard_D4s_v5")
	return &model.Scenario{
		Name: "ref", Seed: 1, Replications: 1, Horizon: 30 * 24 * time.Hour,
		Billing: model.Billing{Granularity: time.Second},
		Pools: []model.Pool{{
			Name: "main", Size: size, TargetDedicatedNodes: 2, TargetLowPriorityNodes: 20,
			TaskSlotsPerNode: 1, StartDelay: dist.Const(5 * time.Minute),
			Lifetime: expLife(4 * time.Hour),
		}},
		Jobs: []model.Job{{Name: "job", Pool: "main", Tasks: 2000, Duration: dist.Const(10 * time.Minute)}},
	}
}

// TestDedicatedExact checks DESIGN.md §6: n fixed tasks of length d on N
// nodes with s slots and no boot delay finish at ceil(n/(N·s))·d and cost
// N·price·completion.
func TestDedicatedExact(t *testing.T) {
	tests := []struct {
		nodes, slots, tasks int
		d                   time.Duration
		fill                model.FillType
	}{
		{1, 1, 1, time.Minute, model.Spread},
		{4, 1, 10, 10 * time.Minute, model.Spread},
		{3, 4, 25, 7 * time.Second, model.Pack},
		{3, 4, 25, 7 * time.Second, model.Spread},
		{10, 2, 2000, 90 * time.Second, model.Spread},
		{7, 3, 21, time.Hour, model.Pack},
	}
	for _, tt := range tests {
		sc := refScenario()
		p := &sc.Pools[0]
		p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.TaskSlotsPerNode, p.Scheduling = tt.nodes, 0, tt.slots, tt.fill
		p.StartDelay = dist.Const(0)
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = tt.tasks, dist.Const(tt.d)
		res, err := model.Run(sc, 0, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		waves := (tt.tasks + tt.nodes*tt.slots - 1) / (tt.nodes * tt.slots)
		want := time.Duration(waves) * tt.d
		wantCost := float64(tt.nodes) * p.Size.DedicatedPrice * want.Hours()
		if !res.Finished || res.Completion != want || math.Abs(res.Cost-wantCost) > 1e-9 || res.Preemptions != 0 {
			t.Errorf("%+v: completion %v cost %v finished %v; want %v and %v", tt, res.Completion, res.Cost, res.Finished, want, wantCost)
		}
	}
}

func TestPackAndSpreadPlaceDifferently(t *testing.T) {
	// 2 nodes × 4 slots, 2 long tasks: spread puts one on each node (both
	// running), pack puts both on the first (one idle node).
	for _, tt := range []struct {
		fill        model.FillType
		idleNodeHrs float64
	}{{model.Spread, 2.0 / 3600}, {model.Pack, 1 + 2.0/3600}} {
		sc := refScenario()
		p := &sc.Pools[0]
		p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.TaskSlotsPerNode, p.Scheduling = 2, 0, 4, tt.fill
		p.StartDelay = dist.Const(0)
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration, sc.Jobs[0].Submit = 2, dist.Const(time.Hour), time.Second
		res, err := model.Run(sc, 0, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.NodeHours[model.Dedicated][model.Idle]; math.Abs(got-tt.idleNodeHrs) > 1e-9 {
			t.Errorf("%v: idle node-hours %v, want %v", tt.fill, got, tt.idleNodeHrs)
		}
	}
}

func TestBillingGranularity(t *testing.T) {
	for _, tt := range []struct {
		g    time.Duration
		want time.Duration
	}{{time.Second, 61 * time.Second}, {time.Minute, 2 * time.Minute}, {time.Hour, time.Hour}} {
		sc := refScenario()
		sc.Billing.Granularity = tt.g
		p := &sc.Pools[0]
		p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 1, 0
		p.StartDelay = dist.Const(0)
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 1, dist.Const(61*time.Second)
		res, _ := model.Run(sc, 0, model.Options{})
		if want := tt.want.Hours() * p.Size.DedicatedPrice; math.Abs(res.Cost-want) > 1e-12 {
			t.Errorf("granularity %v: cost %v, want %v", tt.g, res.Cost, want)
		}
	}
}

func TestHorizonStopsUnfinished(t *testing.T) {
	sc := refScenario()
	sc.Horizon = time.Hour
	res, err := model.Run(sc, 0, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Finished || res.Completion != time.Hour || res.TasksDone == 0 || res.WorkDone() >= 1 {
		t.Fatalf("got finished=%v completion=%v done=%d", res.Finished, res.Completion, res.TasksDone)
	}
}

func TestPreemptionRequeues(t *testing.T) {
	sc := refScenario()
	sc.Pools[0].Lifetime = expLife(30 * time.Minute)
	res, err := model.Run(sc, 3, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Finished || res.TasksDone != 2000 || res.Preemptions == 0 || res.Requeued == 0 || res.Requeued > res.Preemptions || res.WorkLostCoreHours <= 0 {
		t.Fatalf("unexpected %+v", res)
	}
}

func TestMultipleJobsPriority(t *testing.T) {
	sc := refScenario()
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.StartDelay = 1, 0, dist.Const(0)
	sc.Jobs = []model.Job{
		{Name: "low", Pool: "main", Tasks: 10, Duration: dist.Const(time.Minute)},
		{Name: "high", Pool: "main", Tasks: 2, Duration: dist.Const(time.Minute), Submit: 90 * time.Second, Priority: 10},
	}
	res, err := model.Run(sc, 0, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// low runs 0-1m, 1m-2m; high arrives at 1.5m and runs 2m-4m; low resumes.
	if res.Jobs[1].Completion != 4*time.Minute || res.Jobs[0].Completion != 12*time.Minute {
		t.Fatalf("jobs %+v", res.Jobs)
	}
}
