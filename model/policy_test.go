package model_test

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
	"github.com/spotsim/spotsim/scenarios"
	"github.com/spotsim/spotsim/sim"
)

var largePolicy = flag.Bool("policy.large", false, "run the deadline-fallback ordering test at 400 replications")

// policyScenario is a job of tasks fixed-length tasks on a pool of nodes
// sized by a policy, with a deadline.
func policyScenario(kind model.PolicyKind, nodes, tasks int, d, deadline time.Duration) *model.Scenario {
	sc := refScenario()
	sc.Horizon = 30 * 24 * time.Hour
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 0
	p.Lifetime = nil
	p.StartDelay = dist.Const(3 * time.Minute)
	p.Sizing = &model.Policy{Kind: kind, Nodes: nodes}
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration, sc.Jobs[0].Deadline = tasks, dist.Const(d), deadline
	return sc
}

// TestNoPreemptionEqualsSpotOnly: with spot capacity that never fails, the
// deadline-aware policies never leave spot, so each replication is the
// spot-only one exactly.
func TestNoPreemptionEqualsSpotOnly(t *testing.T) {
	for _, interval := range []time.Duration{0, 5 * time.Minute} {
		for _, kind := range []model.PolicyKind{model.Greedy, model.UniformProgress, model.Threshold} {
			sc := policyScenario(kind, 4, 400, 10*time.Minute, 17*time.Hour+5*time.Minute)
			sc.Pools[0].Sizing.Interval = interval
			sc.Pools[0].Sizing.Behind = 0.1
			spot := policyScenario(model.SpotOnly, 4, 400, 10*time.Minute, 17*time.Hour+5*time.Minute)
			for rep := 0; rep < 3; rep++ {
				got, err := model.Run(sc, rep, model.Options{})
				if err != nil {
					t.Fatal(err)
				}
				want, _ := model.Run(spot, rep, model.Options{})
				got.Events, want.Events = 0, 0 // decision points are events of their own
				if got.Completion != want.Completion || got.Cost != want.Cost || got.CostDedicated != 0 {
					t.Errorf("%v every %v, rep %d: completion %v cost %v (dedicated %v), spot-only %v %v",
						kind, interval, rep, got.Completion, got.Cost, got.CostDedicated, want.Completion, want.Cost)
				}
			}
		}
	}
}

// firstDedicated records when the first dedicated node is requested.
type firstDedicated struct{ at time.Duration }

func (f *firstDedicated) NodeState(now time.Duration, pool int, k model.Kind, from, to model.State) {
	if k == model.Dedicated && to == model.Creating && f.at < 0 {
		f.at = now
	}
}

// TestGreedyLastSafeMoment: with spot never available, greedy waits for it
// until the last moment from which dedicated nodes still finish by the
// deadline (boot + waves·run before it), switches then, and finishes at
// the deadline exactly when it decides continuously; every interval, at
// the last decision point before that moment.
func TestGreedyLastSafeMoment(t *testing.T) {
	const tasks, nodes = 120, 4
	run, boot := 10*time.Minute, 3*time.Minute
	need := boot + tasks/nodes*run // 5h03m
	for _, tt := range []struct {
		interval, deadline time.Duration
		switchAt           time.Duration
	}{
		{0, 20 * time.Hour, 20*time.Hour - need},
		{0, 7*time.Hour + 17*time.Second, 7*time.Hour + 17*time.Second - need},
		// every 5 min: at 14h55 the next point (15h00) would leave 4h59m < 5h03m
		{5 * time.Minute, 20 * time.Hour, 14*time.Hour + 55*time.Minute},
	} {
		sc := policyScenario(model.Greedy, nodes, tasks, run, tt.deadline)
		sc.Pools[0].Sizing.Interval = tt.interval
		sc.Pools[0].Capacity.Availability = &preempt.OnOff{Up: dist.Const(time.Hour), Down: dist.Const(1000 * time.Hour), StartUnavailable: true}
		obs := &firstDedicated{at: -1}
		res, err := model.Run(sc, 0, model.Options{Observer: obs})
		if err != nil {
			t.Fatal(err)
		}
		if obs.at != tt.switchAt {
			t.Errorf("every %v, deadline %v: switched at %v, want %v", tt.interval, tt.deadline, obs.at, tt.switchAt)
		}
		if want := tt.switchAt + need; res.Completion != want || !sc.Jobs[0].Met(res.Jobs[0]) {
			t.Errorf("every %v, deadline %v: completion %v (met %v), want %v", tt.interval, tt.deadline, res.Completion, sc.Jobs[0].Met(res.Jobs[0]), want)
		}
		if tt.interval == 0 && res.Completion != tt.deadline {
			t.Errorf("continuous: completion %v, want the deadline %v", res.Completion, tt.deadline)
		}
	}
}

// TestDeadlineShortfall: a deadline shorter than the dedicated-only
// completion time is refused, saying by how much.
func TestDeadlineShortfall(t *testing.T) {
	sc := policyScenario(model.Greedy, 4, 120, 10*time.Minute, 5*time.Hour)
	err := sc.Validate()
	if err == nil || !strings.Contains(err.Error(), "jobs.job.deadline: 5h is 3m shorter than the dedicated-only completion time (exactly 5h3m") {
		t.Fatalf("got %v", err)
	}
	sc.Jobs[0].Deadline = 5*time.Hour + 3*time.Minute
	if err := sc.Validate(); err != nil {
		t.Fatalf("a deadline equal to the bound: %v", err)
	}
}

// policyStats runs reps replications of the built-in deadline-fallback with
// a policy and a deadline, returning the mean cost and the share meeting it.
func policyStats(t *testing.T, kind, deadline, overhead string, reps int, more ...scenarios.Set) (cost, met float64) {
	t.Helper()
	sets := append([]scenarios.Set{{Path: "pools.main.policy.kind", Value: kind},
		{Path: "jobs.train.deadline", Value: deadline}, {Path: "pools.main.start_delay", Value: overhead}}, more...)
	sc, err := scenarios.Load("deadline-fallback", sets...)
	if err != nil {
		t.Fatal(err)
	}
	type out struct {
		cost float64
		met  bool
	}
	rs, err := sim.Replicate(reps, 0, func(i int) (out, error) {
		res, err := model.Run(sc, i, model.Options{})
		return out{res.Cost, sc.Jobs[0].Met(res.Jobs[0])}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		cost += r.cost / float64(reps)
		if r.met {
			met += 1 / float64(reps)
		}
	}
	return cost, met
}

// TestPaperOrdering reproduces Wu et al.'s ordering on the built-in at both
// deadlines and both overheads: dedicated-only costs more than greedy,
// greedy more than uniform progress, and uniform progress meets the
// deadline at least as often as greedy.
func TestPaperOrdering(t *testing.T) {
	reps := 40
	if *largePolicy {
		reps = 400
	}
	for _, deadline := range []string{"52h", "70h"} {
		for _, overhead := range []string{"3m", "12m"} {
			ded, _ := policyStats(t, "dedicated-only", deadline, overhead, reps)
			gr, grMet := policyStats(t, "greedy", deadline, overhead, reps)
			up, upMet := policyStats(t, "uniform-progress", deadline, overhead, reps)
			t.Logf("deadline %s, overhead %s: cost dedicated-only %.2f, greedy %.2f (met %.2f), uniform progress %.2f (met %.2f)",
				deadline, overhead, ded, gr, grMet, up, upMet)
			if !(ded > gr && gr > up) {
				t.Errorf("deadline %s, overhead %s: cost dedicated-only %.2f, greedy %.2f, uniform progress %.2f: want that order", deadline, overhead, ded, gr, up)
			}
			if upMet < grMet {
				t.Errorf("deadline %s, overhead %s: uniform progress met the deadline in %.2f, greedy %.2f", deadline, overhead, upMet, grMet)
			}
		}
	}
}

// TestUncertainWork: when task lengths vary (log-normal, as long on
// average, sd 10 min), the policies' estimate of the work left is only a
// mean, and some runs miss; uniform progress, which keeps up with the line
// instead of betting the slack on spot, misses less often than greedy.
func TestUncertainWork(t *testing.T) {
	reps := 60
	if *largePolicy {
		reps = 400
	}
	dur := scenarios.Set{Path: "jobs.train.duration", Value: `{ dist = "lognormal", mean = "10m", stddev = "10m" }`}
	for _, deadline := range []string{"52h", "70h"} {
		gr, grMet := policyStats(t, "greedy", deadline, "3m", reps, dur)
		up, upMet := policyStats(t, "uniform-progress", deadline, "3m", reps, dur)
		t.Logf("deadline %s: greedy cost %.2f met %.2f, uniform progress cost %.2f met %.2f", deadline, gr, grMet, up, upMet)
		if upMet < grMet {
			t.Errorf("deadline %s: uniform progress met the deadline in %.2f, greedy %.2f", deadline, upMet, grMet)
		}
	}
}
