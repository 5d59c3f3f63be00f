package model_test

import (
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
	"gonum.org/v1/gonum/stat"
)

// oneTask is one task of work on n low-priority nodes that are replaced at
// once and boot instantly, each living Exp(mttp).
func oneTask(n int, work, mttp time.Duration) *model.Scenario {
	sc := refScenario()
	sc.Horizon = 10000 * time.Hour
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, n
	p.StartDelay, p.ReplacementDelay = dist.Const(0), dist.Const(0)
	p.Lifetime = expLife(mttp)
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 1, dist.Const(work)
	return sc
}

// meanHours runs reps replications and returns the mean completion in
// hours and the half-width of its 99 % interval.
func meanHours(t *testing.T, sc *model.Scenario, reps int) (float64, float64) {
	t.Helper()
	hours, err := sim.Replicate(reps, 0, func(i int) (float64, error) {
		res, err := model.Run(sc, i, model.Options{})
		if !res.Finished {
			t.Errorf("replication %d unfinished", i)
		}
		return res.Completion.Hours(), err
	})
	if err != nil {
		t.Fatal(err)
	}
	m, sd := stat.MeanStdDev(hours, nil)
	return m, 2.576 * sd / math.Sqrt(float64(reps))
}

// daly is the expected time of a job of work ws checkpointed every tau at
// cost c, restoring in r after each preemption (rate 1/m), summed per
// segment (DESIGN.md §6): full segments take M·e^{R/M}(e^{(τ+C)/M} − 1);
// the last piece, with no checkpoint after it, M·e^{R/M}(e^{w/M} − 1).
func daly(ws, tau, c, r, m time.Duration) float64 {
	M, R := m.Hours(), r.Hours()
	seg := func(w float64) float64 { return M * math.Exp(R/M) * (math.Exp(w/M) - 1) }
	full := int(ws / tau)
	last := ws - time.Duration(full)*tau
	if last == 0 {
		full, last = full-1, tau
	}
	return float64(full)*seg((tau+c).Hours()) + seg(last.Hours())
}

func TestCheckpointDaly(t *testing.T) {
	tests := []struct {
		work, tau, c, r, mttp time.Duration
	}{
		{4 * time.Hour, 30 * time.Minute, 3 * time.Minute, 2 * time.Minute, 2 * time.Hour},
		{3 * time.Hour, 20 * time.Minute, 5 * time.Minute, 10 * time.Minute, time.Hour},
	}
	for _, tt := range tests {
		sc := oneTask(1, tt.work, tt.mttp)
		sc.Jobs[0].Checkpoint = &model.Checkpoint{Interval: tt.tau, Cost: tt.c, Restore: tt.r}
		mean, half := meanHours(t, sc, 20000)
		want := daly(tt.work, tt.tau, tt.c, tt.r, tt.mttp)
		if math.Abs(mean-want) > half {
			t.Errorf("%+v: mean %.4f h ± %.4f, Daly %.4f h", tt, mean, half, want)
		} else {
			t.Logf("%+v: mean %.4f h ± %.4f, Daly %.4f h", tt, mean, half, want)
		}
	}
}

// TestCheckpointIntervalSweep: the mean completion over a grid of τ is
// smallest within one grid step of Daly's optimum
// τ* = √(2CM)·[1 + ⅓√(C/2M) + ⅑(C/2M)] − C.
func TestCheckpointIntervalSweep(t *testing.T) {
	c, m := 2*time.Minute, time.Hour
	x := c.Hours() / (2 * m.Hours())
	tauStar := math.Sqrt(2*c.Hours()*m.Hours())*(1+math.Sqrt(x)/3+x/9) - c.Hours()
	step := 5 * time.Minute
	best, bestMean := time.Duration(0), math.Inf(1)
	for tau := 5 * time.Minute; tau <= 30*time.Minute; tau += step {
		sc := oneTask(1, 5*time.Hour, m)
		sc.Jobs[0].Checkpoint = &model.Checkpoint{Interval: tau, Cost: c, Restore: time.Minute}
		mean, _ := meanHours(t, sc, 6000)
		t.Logf("tau %v: mean %.4f h", tau, mean)
		if mean < bestMean {
			best, bestMean = tau, mean
		}
	}
	if math.Abs(best.Hours()-tauStar) > step.Hours() {
		t.Fatalf("best tau %v, Daly's optimum %.1f min", best, tauStar*60)
	}
	t.Logf("best tau %v, Daly's optimum %.1f min", best, tauStar*60)
}

// TestGangRestartRate: a task on k nodes at once restarts from scratch when
// any of them is preempted, so it behaves as one node with rate kλ:
// E[T] = (e^{kλt} − 1)/(kλ).
func TestGangRestartRate(t *testing.T) {
	const k = 4
	work, mttp := time.Hour, 8*time.Hour
	sc := oneTask(k, work, mttp)
	sc.Jobs[0].NodesPerTask = k
	mean, half := meanHours(t, sc, 20000)
	rate := k / mttp.Hours()
	want := (math.Exp(rate*work.Hours()) - 1) / rate
	if math.Abs(mean-want) > half {
		t.Fatalf("gang of %d: mean %.4f h ± %.4f, theory %.4f h", k, mean, half, want)
	}
	t.Logf("gang of %d: mean %.4f h ± %.4f, theory %.4f h", k, mean, half, want)
}

func TestRetriesAndTimeouts(t *testing.T) {
	// Preemptions never use up a retry: with no retries allowed, a task
	// preempted many times still completes.
	sc := oneTask(1, time.Hour, 20*time.Minute)
	sc.Jobs[0].MaxTaskRetries = 0
	preemptions := 0
	for rep := 0; rep < 20; rep++ {
		res, _ := model.Run(sc, rep, model.Options{})
		if !res.Finished || res.TasksDone != 1 || res.Retries != 0 {
			t.Fatalf("preempted task: finished %v, done %d, retries %d", res.Finished, res.TasksDone, res.Retries)
		}
		preemptions += res.Preemptions
	}
	if preemptions < 20 {
		t.Fatalf("only %d preemptions in 20 runs", preemptions)
	}
	// A timeout does: 3 attempts of 2 h with a 1 h wall clock and 2 retries.
	sc = oneTask(1, 2*time.Hour, time.Hour)
	sc.Pools[0].Lifetime = nil
	sc.Jobs[0].MaxTaskRetries, sc.Jobs[0].MaxWallClock = 2, time.Hour
	res, _ := model.Run(sc, 0, model.Options{})
	if !res.Finished || res.TasksFailed != 1 || res.Retries != 2 || res.Timeouts != 3 || res.Completion != 3*time.Hour {
		t.Fatalf("timeouts: finished %v failed %d retries %d timeouts %d at %v", res.Finished, res.TasksFailed, res.Retries, res.Timeouts, res.Completion)
	}
	// Failures: with probability 1/2 and unlimited retries, a task takes 2
	// attempts on average.
	sc = refScenario()
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.StartDelay = 10, 0, dist.Const(0)
	sc.Jobs[0].Tasks, sc.Jobs[0].FailureProbability, sc.Jobs[0].MaxTaskRetries = 4000, 0.5, -1
	res, _ = model.Run(sc, 0, model.Options{})
	per := float64(res.Retries) / 4000 // geometric: mean 1, sd sqrt(2)
	if math.Abs(per-1) > 3*math.Sqrt(2.0/4000) || res.TasksDone != 4000 {
		t.Fatalf("retries per task %.3f, want 1", per)
	}
}

// placement records which kind of node each task start lands on.
type placement struct{ low, ded int }

func (pl *placement) NodeState(now time.Duration, pool int, k model.Kind, from, to model.State) {
	if to == model.Running && from == model.Idle {
		if k == model.LowPriority {
			pl.low++
		} else {
			pl.ded++
		}
	}
}

func TestDedicatedOnlyAndManager(t *testing.T) {
	sc := refScenario()
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.StartDelay, p.Lifetime = 1, 3, dist.Const(0), nil
	sc.Jobs[0].Tasks, sc.Jobs[0].DedicatedOnly = 5, true
	var pl placement
	res, _ := model.Run(sc, 0, model.Options{Observer: &pl})
	if pl.low != 0 || !res.Finished || res.Completion != 50*time.Minute {
		t.Fatalf("dedicated-only: %d starts on low-priority nodes, completion %v", pl.low, res.Completion)
	}
	// A job manager barred from low-priority nodes waits for a dedicated
	// one: with none, the job never finishes; its tasks still run.
	sc = refScenario()
	p = &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.StartDelay, p.Lifetime = 0, 2, dist.Const(0), nil
	sc.Horizon = 10 * time.Hour
	sc.Jobs[0].Tasks = 4
	sc.Jobs[0].Manager = &model.Manager{Duration: dist.Const(time.Hour)}
	res, _ = model.Run(sc, 0, model.Options{})
	if res.Finished || res.TasksDone != 4 || res.TasksTotal != 5 {
		t.Fatalf("manager without dedicated nodes: finished %v, done %d of %d", res.Finished, res.TasksDone, res.TasksTotal)
	}
	sc.Jobs[0].Manager.AllowLowPriority = true
	res, _ = model.Run(sc, 0, model.Options{})
	if !res.Finished || res.TasksDone != 5 || res.Completion != time.Hour {
		t.Fatalf("manager allowed on low-priority: finished %v, done %d at %v", res.Finished, res.TasksDone, res.Completion)
	}
}

func TestJobCostShare(t *testing.T) {
	sc := refScenario()
	p := &sc.Pools[0]
	p.TargetDedicatedNodes, p.TargetLowPriorityNodes, p.StartDelay = 2, 0, dist.Const(0)
	sc.Jobs = []model.Job{
		{Name: "a", Pool: "main", Tasks: 6, Duration: dist.Const(10 * time.Minute)},
		{Name: "b", Pool: "main", Tasks: 2, Duration: dist.Const(10 * time.Minute)},
	}
	res, _ := model.Run(sc, 0, model.Options{})
	a, b := res.Jobs[0], res.Jobs[1]
	if math.Abs(a.NodeHours-1) > 1e-9 || math.Abs(b.NodeHours-1.0/3) > 1e-9 || math.Abs(a.CostShare+b.CostShare-res.Cost) > 1e-12 || math.Abs(a.CostShare-3*b.CostShare) > 1e-12 {
		t.Fatalf("jobs %+v, cost %v", res.Jobs, res.Cost)
	}
}
