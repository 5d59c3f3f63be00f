package model_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/preempt"
)

// rule is one case of TestRules: a change to a valid scenario, and the one
// problem Validate must report, by key (index form), path and message.
type rule struct {
	name   string
	change func(sc *model.Scenario)
	key    string // index form, dot-joined
	path   string
	msg    string // a substring of the message
}

// TestRules: every rule of a scenario is Validate's, and names its key in
// both forms, so that package scenarios can place it in the file.
func TestRules(t *testing.T) {
	formula, err := autoscale.Parse("f", "$TargetDedicatedNodes = 1;")
	if err != nil {
		t.Fatal(err)
	}
	tests := []rule{
		{"replications", func(sc *model.Scenario) { sc.Replications = 0 },
			"simulation.replications", "simulation.replications", "must be between 1 and 1000000, got 0"},
		{"horizon", func(sc *model.Scenario) { sc.Horizon = model.MaxHorizon + time.Hour },
			"simulation.horizon", "simulation.horizon", "must be at most 3650d"},
		{"quota", func(sc *model.Scenario) { sc.Quotas.LowPriorityCores = -1 },
			"quotas.low_priority_cores", "quotas.low_priority_cores", "must be between 0 and"},
		{"granularity", func(sc *model.Scenario) { sc.Billing.Granularity = 0 },
			"billing.granularity", "billing.granularity", "must be at least 1ms"},
		{"targets", func(sc *model.Scenario) { sc.Pools[0].TargetLowPriorityNodes = -3 },
			"pools.0.target_low_priority_nodes", "pools.main.target_low_priority_nodes", "must be between 0 and 100000, got -3"},
		{"slots by cores", func(sc *model.Scenario) { sc.Pools[0].TaskSlotsPerNode = 17 },
			"pools.0.task_slots_per_node", "pools.main.task_slots_per_node", "must be between 1 and 16, got 17"},
		{"price", func(sc *model.Scenario) { sc.Pools[0].Size.LowPriorityPrice = -1 },
			"pools.0.low_priority_price", "pools.main.low_priority_price", "must be between 0 and 10000"},
		{"max price zero or -1 or above 0", func(sc *model.Scenario) { sc.Pools[0].Service, sc.Pools[0].MaxPrice = model.ScaleSet, -2 },
			"pools.0.max_price", "pools.main.max_price", "must be -1"},
		{"allocation failure", func(sc *model.Scenario) { sc.Pools[0].Capacity.AllocationFailure = 1 },
			"pools.0.capacity.allocation_failure_probability", "pools.main.capacity.allocation_failure_probability", "must be between 0 and 0.999"},
		{"crunches and a trace", func(sc *model.Scenario) {
			sc.Pools[0].Capacity.Trace = &preempt.Trace{}
			sc.Pools[0].Capacity.Crunches = &preempt.Crunches{}
		}, "pools.0.capacity.crunches", "pools.main.capacity.crunches", "replaces crunches"},
		{"disk price needs deallocate", func(sc *model.Scenario) { sc.Pools[0].DiskPrice = 0.01 },
			"pools.0.preemption.disk_price_per_hour", "pools.main.preemption.disk_price_per_hour", "only applies with eviction_policy = \"deallocate\""},
		{"autoscale and targets", func(sc *model.Scenario) {
			sc.Pools[0].TargetLowPriorityNodes = 0
			sc.Pools[0].Autoscale = &model.Autoscale{Formula: formula, Interval: 15 * time.Minute}
		}, "pools.0.target_dedicated_nodes", "pools.main.target_dedicated_nodes", "cannot be used with [pools.autoscale]"},
		{"autoscale interval", func(sc *model.Scenario) {
			sc.Pools[0].TargetDedicatedNodes, sc.Pools[0].TargetLowPriorityNodes = 0, 0
			sc.Pools[0].Autoscale = &model.Autoscale{Formula: formula, Interval: time.Minute}
		}, "pools.0.autoscale.interval", "pools.main.autoscale.interval", "must be between 5m and 168h"},
		{"cluster and targets", func(sc *model.Scenario) {
			sc.Pools[0].TargetLowPriorityNodes = 0
			sc.Pools[0].Cluster, sc.Pools[0].Service = &model.Cluster{MaxInstances: 1}, model.ML
		}, "pools.0.target_dedicated_nodes", "pools.main.target_dedicated_nodes", "cannot be used with [pools.cluster]"},
		{"cluster limits", func(sc *model.Scenario) {
			sc.Pools[0].TargetDedicatedNodes, sc.Pools[0].TargetLowPriorityNodes = 0, 0
			sc.Pools[0].Cluster, sc.Pools[0].Service = &model.Cluster{MinInstances: 3, MaxInstances: 2}, model.ML
		}, "pools.0.cluster.min_instances", "pools.main.cluster.min_instances", "3 is more than max_instances 2"},
		{"duplicate pool", func(sc *model.Scenario) {
			sc.Pools = append(sc.Pools, sc.Pools[0])
			sc.Jobs = append(sc.Jobs, sc.Jobs[0])
			sc.Jobs[1].Name = "other"
		}, "pools.1.name", "pools.main.name", `a pool named "main" is already defined`},
		{"unused pool", func(sc *model.Scenario) {
			sc.Pools = append(sc.Pools, sc.Pools[0])
			sc.Pools[1].Name = "spare"
		}, "pools.1", "pools.spare", "no job runs on this pool"},
		{"no such pool", func(sc *model.Scenario) { sc.Jobs[0].Pool = "gpu" },
			"jobs.0.pool", "jobs.job.pool", `no pool named "gpu" (pools: "main")`},
		{"tasks", func(sc *model.Scenario) { sc.Jobs[0].Tasks = 0 },
			"jobs.0.tasks", "jobs.job.tasks", "must be between 1 and 50000000, got 0"},
		{"gang larger than the pool", func(sc *model.Scenario) { sc.Jobs[0].NodesPerTask = 23 },
			"jobs.0.nodes_per_task", "jobs.job.nodes_per_task", `23 nodes per task, but pool "main" never has more than 22 nodes`},
		{"failure probability", func(sc *model.Scenario) { sc.Jobs[0].FailureProbability = 1 },
			"jobs.0.failure_probability", "jobs.job.failure_probability", "must be between 0 and 0.999"},
		{"checkpoint interval", func(sc *model.Scenario) { sc.Jobs[0].Checkpoint = &model.Checkpoint{} },
			"jobs.0.checkpoint.interval", "jobs.job.checkpoint.interval", "must be at least 1s"},
		{"policy nodes", func(sc *model.Scenario) { toPolicy(sc, model.Policy{Kind: model.Greedy}) },
			"pools.0.policy.nodes", "pools.main.policy.nodes", "must be between 1 and 100000, got 0"},
		{"policy interval", func(sc *model.Scenario) {
			toPolicy(sc, model.Policy{Kind: model.Greedy, Nodes: 2, Interval: time.Minute})
		},
			"pools.0.policy.interval", "pools.main.policy.interval", `must be "0s" (continuous, as a scale set) or between 5m and 168h`},
		{"policy behind", func(sc *model.Scenario) { toPolicy(sc, model.Policy{Kind: model.Threshold, Nodes: 2, Behind: 1}) },
			"pools.0.policy.behind", "pools.main.policy.behind", "must be at least 0 and less than 1"},
		{"policy and targets", func(sc *model.Scenario) {
			toPolicy(sc, model.Policy{Kind: model.Greedy, Nodes: 2})
			sc.Pools[0].TargetDedicatedNodes = 1
		}, "pools.0.policy", "pools.main.policy", "a policy sets the targets"},
		{"policy needs a deadline", func(sc *model.Scenario) {
			toPolicy(sc, model.Policy{Kind: model.UniformProgress, Nodes: 2})
			sc.Jobs[0].Deadline = 0
		}, "pools.0.policy.kind", "pools.main.policy.kind", `policy "uniform-progress" needs a deadline`},
		{"deadline too short", func(sc *model.Scenario) { sc.Jobs[0].Deadline = 15 * time.Hour },
			"jobs.0.deadline", "jobs.job.deadline", "15h is 15m shorter than the dedicated-only completion time (exactly 15h15m: 5m of boot, then 91 wave(s) of 10m on 22 dedicated node(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := refScenario()
			if err := sc.Validate(); err != nil {
				t.Fatalf("the valid scenario: %v", err)
			}
			tt.change(sc)
			checkProblem(t, sc.Validate(), tt.key, tt.path, tt.msg)
		})
	}
}

// checkProblem requires err to be Problems holding exactly one problem,
// with that key, path and a message holding msg.
func checkProblem(t *testing.T, err error, key, path, msg string) {
	t.Helper()
	var ps model.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want Problems, got %v", err)
	}
	if len(ps) != 1 {
		t.Fatalf("want one problem, got %d:\n%v", len(ps), err)
	}
	p := ps[0]
	if strings.Join(p.Key, ".") != key || p.Path != path || !strings.Contains(p.Msg, msg) {
		t.Fatalf("got key %q, path %q, message %q; want %q, %q, %q", strings.Join(p.Key, "."), p.Path, p.Msg, key, path, msg)
	}
	if p.Error() != path+": "+p.Msg {
		t.Fatalf("Error() = %q", p.Error())
	}
}

// toPolicy makes the reference pool a policy pool (no fixed targets) with
// a deadline its dedicated-only run meets.
func toPolicy(sc *model.Scenario, p model.Policy) {
	sc.Pools[0].TargetDedicatedNodes, sc.Pools[0].TargetLowPriorityNodes = 0, 0
	sc.Pools[0].Sizing = &p
	sc.Jobs[0].Deadline = 30 * 24 * time.Hour
}
