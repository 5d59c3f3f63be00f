package model

import (
	"reflect"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
)

// sharedScenario: 4 dedicated + 12 low-priority nodes (Exp(3 h) lifetimes,
// so tasks are requeued) running 600 log-normal ~20-minute tasks.
func sharedScenario() *Scenario {
	size, _ := BuiltinCatalog().Lookup("Standard_D4s_v5")
	return &Scenario{
		Name: "shared", Seed: 5, Replications: 8, Horizon: 30 * 24 * time.Hour,
		Billing: Billing{Granularity: time.Second},
		Pools: []Pool{{
			Name: "main", Size: size, TargetDedicatedNodes: 4, TargetLowPriorityNodes: 12,
			TaskSlotsPerNode: 1, StartDelay: dist.Const(5 * time.Minute),
			Lifetime: preempt.Of(dist.Dist{Kind: dist.Exponential, Rate: 1.0 / 3}),
		}},
		Jobs: []Job{{Name: "job", Pool: "main", Tasks: 600,
			Duration: dist.Dist{Kind: dist.LogNormal, Mean: 20 * time.Minute, StdDev: 10 * time.Minute}}},
	}
}

// TestSharedDraws: the runs of a replication given one SharedDraws get the
// results they get alone, in either order and replication after
// replication, and the second one really reads the first one's durations
// (changed behind its back, they change its result).
func TestSharedDraws(t *testing.T) {
	sc := sharedScenario()
	base := sc.Baseline()
	run := func(s *Scenario, rep int, sd *SharedDraws) Result {
		t.Helper()
		res, err := Run(s, rep, Options{Shared: sd})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	sd := &SharedDraws{}
	for rep := 0; rep < 3; rep++ {
		alone := [2]Result{run(sc, rep, nil), run(base, rep, nil)}
		if alone[0].Requeued == 0 {
			t.Fatalf("replication %d requeued nothing", rep)
		}
		first, second := 0, 1
		if rep == 1 {
			first, second = 1, 0 // the baseline first
		}
		sides := [2]*Scenario{sc, base}
		got := [2]Result{}
		got[first] = run(sides[first], rep, sd)
		if n := len(sd.first[0]); n != sc.Jobs[0].Tasks {
			t.Fatalf("replication %d: %d shared durations after the first run, want %d", rep, n, sc.Jobs[0].Tasks)
		}
		got[second] = run(sides[second], rep, sd)
		for i := range got {
			if !reflect.DeepEqual(got[i], alone[i]) {
				t.Errorf("replication %d, %s: shared\n%+v\nalone\n%+v", rep, sides[i].Name, got[i], alone[i])
			}
		}
	}
	run(sc, 4, sd)
	for i := range sd.first[0] {
		sd.first[0][i] = time.Hour
	}
	if got, alone := run(base, 4, sd), run(base, 4, nil); got.Completion == alone.Completion {
		t.Errorf("the baseline did not read the shared durations: completion %v either way", got.Completion)
	}
	if n := sc.SharedBytes(); n != 8*600 {
		t.Errorf("SharedBytes = %d, want %d", n, 8*600)
	}
}
