package model_test

import (
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// TestServiceRules: what each service allows (docs/scenario.md, "Services").
func TestServiceRules(t *testing.T) {
	formula, err := autoscale.Parse("f", "$TargetLowPriorityNodes = 1;")
	if err != nil {
		t.Fatal(err)
	}
	scaleSet := func(sc *model.Scenario) *model.Pool {
		p := &sc.Pools[0]
		p.Service = model.ScaleSet
		return p
	}
	tests := []rule{
		{"max_price on a Batch pool", func(sc *model.Scenario) { sc.Pools[0].MaxPrice = 0.05 },
			"pools.0.max_price", "pools.main.max_price", "Azure Batch has no max price"},
		{"max_price -1 on a Batch pool", func(sc *model.Scenario) { sc.Pools[0].MaxPrice = -1 },
			"pools.0.max_price", "pools.main.max_price", "evicted for capacity only"},
		{"max_price on an ML cluster", func(sc *model.Scenario) {
			p := &sc.Pools[0]
			p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 0
			p.Service, p.Cluster, p.MaxPrice = model.ML, &model.Cluster{Tier: model.LowPriority, MaxInstances: 2}, 0.05
		}, "pools.0.max_price", "pools.main.max_price", "an Azure ML compute cluster has no max price"},
		{"eviction policy on a Batch pool", func(sc *model.Scenario) { sc.Pools[0].Policy = model.Deallocate },
			"pools.0.preemption.eviction_policy", "pools.main.preemption.eviction_policy", "the service manages it (Stop-Deallocate)"},
		{"a Priority Mix on a Batch pool", func(sc *model.Scenario) {
			sc.Pools[0].PriorityMix = &model.PriorityMix{BaseRegular: 2, Percent: 50}
		}, "pools.0.priority_mix", "pools.main.priority_mix", "Spot Priority Mix is a feature of VM scale sets"},
		{"restore_timeout on a Batch pool", func(sc *model.Scenario) { sc.Pools[0].RestoreTimeout = time.Hour },
			"pools.0.restore_timeout", "pools.main.restore_timeout", "Try & Restore is a feature of VM scale sets"},
		{"bill_boot = false with a Batch pool", func(sc *model.Scenario) { sc.Billing.SkipBoot = true },
			"billing.bill_boot", "billing.bill_boot", `pool "main" is an Azure Batch pool, which bills every node from its allocation`},
		{"a cluster needs aml", func(sc *model.Scenario) {
			sc.Pools[0].TargetDedicatedNodes, sc.Pools[0].TargetLowPriorityNodes = 0, 0
			sc.Pools[0].Cluster = &model.Cluster{MaxInstances: 2}
		}, "pools.0.cluster", "pools.main.cluster", `it needs service = "aml"`},
		{"aml needs a cluster", func(sc *model.Scenario) { sc.Pools[0].Service = model.ML },
			"pools.0.service", "pools.main.service", "needs a [pools.cluster] table"},
		{"restore timeout with autoscale", func(sc *model.Scenario) {
			p := scaleSet(sc)
			p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 0
			p.Autoscale = &model.Autoscale{Formula: formula, Interval: 15 * time.Minute}
			p.RestoreTimeout = time.Hour
		}, "pools.0.restore_timeout", "pools.main.restore_timeout", "cannot be combined with autoscale"},
		{"restore timeout too short", func(sc *model.Scenario) { scaleSet(sc).RestoreTimeout = time.Minute },
			"pools.0.restore_timeout", "pools.main.restore_timeout", "must be at least 15m"},
		{"a mix with targets", func(sc *model.Scenario) {
			p := scaleSet(sc)
			p.TargetDedicatedNodes = 0
			p.PriorityMix, p.InstanceCount = &model.PriorityMix{BaseRegular: 2, Percent: 50}, 10
		}, "pools.0.target_low_priority_nodes", "pools.main.target_low_priority_nodes", "cannot be used with [pools.priority_mix]"},
		{"a mix's percentage", func(sc *model.Scenario) {
			p := scaleSet(sc)
			p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 0
			p.PriorityMix, p.InstanceCount = &model.PriorityMix{BaseRegular: 2, Percent: 150}, 10
		}, "pools.0.priority_mix.regular_priority_percentage_above_base", "pools.main.priority_mix.regular_priority_percentage_above_base", "must be between 0 and 100"},
		{"instance_count without a mix", func(sc *model.Scenario) {
			p := scaleSet(sc)
			p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.InstanceCount = 0, 0, 10
		}, "pools.0.instance_count", "pools.main.instance_count", "needs a [pools.priority_mix]"},
		{"disk price with a scale set that deletes", func(sc *model.Scenario) {
			p := scaleSet(sc)
			p.Policy, p.DiskPrice = model.Delete, 0.01
		}, "pools.0.preemption.disk_price_per_hour", "pools.main.preemption.disk_price_per_hour", "only applies with eviction_policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := refScenario()
			tt.change(sc)
			checkProblem(t, sc.Validate(), tt.key, tt.path, tt.msg)
		})
	}
	// What a scale set may set, it may set.
	sc := refScenario()
	p := scaleSet(sc)
	p.MaxPrice, p.Policy, p.DiskPrice, p.RestoreTimeout = 0.05, model.Deallocate, 0.01, time.Hour
	sc.Billing.SkipBoot = true
	if err := sc.Validate(); err != nil {
		t.Fatalf("scale set: %v", err)
	}
}

// TestPriorityMix: the regular count of n instances, and the split each
// scale action makes without rebalancing.
func TestPriorityMix(t *testing.T) {
	m := model.PriorityMix{BaseRegular: 5, Percent: 25}
	for _, tt := range []struct{ n, regular int }{{0, 0}, {3, 3}, {5, 5}, {6, 6}, {9, 6}, {10, 7}, {25, 10}} {
		if got := m.Regular(tt.n); got != tt.regular {
			t.Errorf("Regular(%d) = %d, want %d", tt.n, got, tt.regular)
		}
	}
	for _, tt := range []struct {
		name         string
		n, reg, spot int
		wantR, wantS int
		mix          model.PriorityMix
	}{
		{"creation", 25, 0, 0, 10, 15, m},
		{"scale-out keeps the mix for the new size", 25, 5, 3, 10, 15, m},
		{"scale-out after evictions adds Spot, never converts", 25, 10, 5, 10, 15, m},
		{"scale-out with more regular than the mix wants adds only Spot", 12, 10, 0, 10, 2, m},
		{"scale-in drops Spot first", 9, 10, 15, 6, 3, m},
		{"scale-in with too few Spot drops regular too", 4, 10, 1, 4, 0, m},
		{"no change", 25, 10, 15, 10, 15, m},
		{"all Spot above the base", 8, 0, 0, 2, 6, model.PriorityMix{BaseRegular: 2}},
	} {
		d, l := tt.mix.Targets(tt.n, tt.reg, tt.spot)
		if d != tt.wantR || l != tt.wantS {
			t.Errorf("%s: Targets(%d, %d, %d) = %d, %d; want %d, %d", tt.name, tt.n, tt.reg, tt.spot, d, l, tt.wantR, tt.wantS)
		}
	}
}

// TestMixedScaleSet: a scale set of 10 instances, 5 regular as its base
// and Spot above it (0 % regular), allocates 5 + 5 at t = 0; its baseline
// is 10 regular instances.
func TestMixedScaleSet(t *testing.T) {
	sc := refScenario()
	p := &sc.Pools[0]
	p.Service, p.TargetDedicatedNodes, p.TargetLowPriorityNodes = model.ScaleSet, 0, 0
	p.PriorityMix, p.InstanceCount = &model.PriorityMix{BaseRegular: 5}, 10
	p.Lifetime = nil
	for _, s := range []*model.Scenario{sc, sc.Baseline()} {
		res, err := model.Run(s, 0, model.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// 2000 tasks of 10 min on 10 nodes booting 5 min: 200 rounds.
		if want := 5*time.Minute + 200*10*time.Minute; !res.Finished || res.Completion != want {
			t.Fatalf("%s: completion %v, want %v", s.Name, res.Completion, want)
		}
		ded, low := res.NodeHours[model.Dedicated][model.Running], res.NodeHours[model.LowPriority][model.Running]
		wantDed, wantLow := 5*2000.0/60, 5*2000.0/60
		if s != sc {
			wantDed, wantLow = 10*2000.0/60, 0
		}
		if math.Abs(ded-wantDed) > 1e-9 || math.Abs(low-wantLow) > 1e-9 {
			t.Fatalf("%s: running node-hours %.3f dedicated, %.3f low-priority; want %.3f, %.3f", s.Name, ded, low, wantDed, wantLow)
		}
	}
}

// TestScaleSetEvictions: what happens to an instance evicted at 1 h with
// capacity back at 1 h + blackout, on each service.
func TestScaleSetEvictions(t *testing.T) {
	tests := []struct {
		name      string
		service   model.Service
		policy    model.EvictionPolicy
		restore   time.Duration
		blackout  time.Duration
		allocs    int           // low-priority allocations (restorations included)
		preempted time.Duration // time the node spent in state preempted
		disk      float64
	}{
		{"Batch recreates the node", model.Batch, model.ServicePolicy, 0, 3 * time.Hour, 2, 3 * time.Hour, 0},
		{"a scale set that deletes loses it", model.ScaleSet, model.Delete, 0, 30 * time.Minute, 1, 0, 0},
		{"a scale set that deallocates keeps it stopped, disk billed", model.ScaleSet, model.Deallocate, 0, 30 * time.Minute, 1, 9 * time.Hour, 0.09},
		{"Try & Restore restores it in time", model.ScaleSet, model.Delete, time.Hour, 30 * time.Minute, 2, 30 * time.Minute, 0},
		{"Try & Restore gives up after its timeout", model.ScaleSet, model.Delete, time.Hour, 3 * time.Hour, 1, time.Hour, 0},
		{"given up deallocated, it stays stopped", model.ScaleSet, model.Deallocate, time.Hour, 3 * time.Hour, 1, 9 * time.Hour, 0.09},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := refScenario()
			p := &sc.Pools[0]
			p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 1, 1
			p.StartDelay, p.Lifetime = dist.Const(0), nil
			p.Service, p.Policy, p.RestoreTimeout = tt.service, tt.policy, tt.restore
			if tt.policy == model.Deallocate {
				p.DiskPrice = 0.01
			}
			p.Capacity.Trace = &preempt.Trace{Rows: []preempt.Eviction{{At: time.Hour, Count: 1, Blackout: tt.blackout}}}
			sc.Jobs[0].Tasks, sc.Jobs[0].Duration, sc.Jobs[0].DedicatedOnly = 1, dist.Const(10*time.Hour), true
			var w lowWatch
			res, err := model.Run(sc, 0, model.Options{Observer: &w})
			if err != nil {
				t.Fatal(err)
			}
			preempted := time.Duration(res.NodeHours[model.LowPriority][model.Preempted] * float64(time.Hour))
			if len(w.allocs) != tt.allocs || (preempted-tt.preempted).Abs() > time.Millisecond || math.Abs(res.CostDisk-tt.disk) > 1e-9 {
				t.Fatalf("allocations %v, preempted %v, disk $%v; want %d allocations, %v preempted, disk $%v", w.allocs, preempted, res.CostDisk, tt.allocs, tt.preempted, tt.disk)
			}
		})
	}
}

// TestTimedResizes follows Azure Batch's example, pool.Resize(0, 25) at a
// time, scaled down: 2 dedicated nodes, then at 1 h targets (0, 4) while no
// low-priority capacity is to be had until 2 h. The resize times out at
// 1 h 15 min: its 4 nodes are given up (a resize error) and the pool stays
// empty until a second resize at 3 h, which gets its nodes. The baseline
// follows the same schedule with every node dedicated, without errors.
func TestTimedResizes(t *testing.T) {
	sc := refScenario()
	sc.Horizon = 10 * time.Hour
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 2, 0
	p.StartDelay, p.Lifetime = dist.Const(0), nil
	p.Capacity.Trace = &preempt.Trace{Rows: []preempt.Eviction{{At: 50 * time.Minute, Count: 0, Blackout: 70 * time.Minute}}}
	p.Resizes = []model.Resize{
		{At: time.Hour, TargetDedicatedNodes: 0, TargetLowPriorityNodes: 4, Timeout: model.DefaultResizeTimeout},
		{At: 3 * time.Hour, TargetDedicatedNodes: 0, TargetLowPriorityNodes: 4, Timeout: model.DefaultResizeTimeout},
	}
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 20, dist.Const(30*time.Minute)
	var w lowWatch
	res, err := model.Run(sc, 0, model.Options{Observer: &w})
	if err != nil {
		t.Fatal(err)
	}
	// 2 dedicated nodes finish 2 tasks by 30 min; the resize at 1 h comes
	// before the second round's end at 1 h and requeues it. From 3 h, 4
	// nodes run the other 18 in 5 rounds: done at 5 h 30 min.
	if res.ResizeErrors != 1 || len(w.allocs) != 4 || w.allocs[0] != 3*time.Hour || !res.Finished || res.Completion != 5*time.Hour+30*time.Minute {
		t.Fatalf("resize errors %d, low-priority allocations %v, finished %v at %v", res.ResizeErrors, w.allocs, res.Finished, res.Completion)
	}
	b, err := model.Run(sc.Baseline(), 0, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Baseline: the resize to (4, 0) only adds nodes, so the second round
	// ends at 1 h (4 tasks done); 4 nodes run the other 16 in 4 rounds,
	// done at 3 h.
	if b.ResizeErrors != 0 || !b.Finished || b.Completion != 3*time.Hour {
		t.Fatalf("baseline: resize errors %d, finished %v at %v", b.ResizeErrors, b.Finished, b.Completion)
	}
	// A pool that autoscales refuses resizes.
	f, _ := autoscale.Parse("f", "$TargetDedicatedNodes = 1;")
	p.TargetDedicatedNodes, p.Autoscale = 0, &model.Autoscale{Formula: f, Interval: 15 * time.Minute}
	checkProblem(t, sc.Validate(), "pools.0.resize", "pools.main.resize", "a pool that autoscales refuses resizes")
}
