package autoscale_test

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
)

func TestReach(t *testing.T) {
	const max = autoscale.MaxSamples
	for _, tt := range []struct {
		src  string
		want map[string]int
	}{
		{"$TargetDedicatedNodes = 3", map[string]int{}},
		// a bare read is the current value, not the history
		{"$TargetDedicatedNodes = $CurrentDedicatedNodes", map[string]int{}},
		{"n = $PendingTasks.GetSample(1)", map[string]int{"$PendingTasks": 1}},
		{"n = $PendingTasks.GetSample(180 * TimeInterval_Second)", map[string]int{"$PendingTasks": 6}},
		{"n = $PendingTasks.GetSample(180 * TimeInterval_Second, 70)", map[string]int{"$PendingTasks": 6}},
		{"n = $PendingTasks.GetSample(100 * TimeInterval_Second)", map[string]int{"$PendingTasks": 4}},
		{"n = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 10)", map[string]int{"$PendingTasks": 20}},
		{"n = $CPUPercent.GetSample(TimeInterval_Minute, TimeInterval_Minute * 6)", map[string]int{"$CPUPercent": 12}},
		// the longest query of a metric wins; aliases are the same metric
		{"a = $ActiveTasks.GetSample(5); b = $ActiveTasks.GetSample(TimeInterval_Hour)", map[string]int{"$ActiveTasks": 120}},
		// a user variable assigned once from a constant is a constant
		{"w = 2 * TimeInterval_Minute; n = $RunningTasks.GetSample(w)", map[string]int{"$RunningTasks": 4}},
		{"k = max(3, 4); n = $RunningTasks.GetSample(k)", map[string]int{"$RunningTasks": 4}},
		// ... but not one assigned twice
		{"w = TimeInterval_Minute; w = w * 2; n = $RunningTasks.GetSample(w)", map[string]int{"$RunningTasks": max}},
		// windows computed from metrics, absolute times, whole-history methods
		{"n = $RunningTasks.GetSample(val($PendingTasks.GetSample(1), 0))", map[string]int{"$RunningTasks": max, "$PendingTasks": 1}},
		{"n = $RunningTasks.GetSample(time() + (-1 * TimeInterval_Hour))", map[string]int{"$RunningTasks": max}},
		{"n = $RunningTasks.Count()", map[string]int{"$RunningTasks": max}},
		{"n = $RunningTasks.HistoryBeginTime()", map[string]int{"$RunningTasks": max}},
		{"n = $RunningTasks.GetSample(rand() * 10)", map[string]int{"$RunningTasks": max}},
		{"n = $RunningTasks.GetSamplePeriod()", map[string]int{"$RunningTasks": 0}},
		{"n = $RunningTasks.GetSample(10 * TimeInterval_Day)", map[string]int{"$RunningTasks": max}},
	} {
		f, err := autoscale.Parse("", tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got := f.Reach(30 * time.Second); !maps.Equal(got, tt.want) {
			t.Errorf("%s: Reach = %v, want %v", tt.src, got, tt.want)
		}
	}
}

// histEnv is an Env whose metrics have given histories.
type histEnv struct {
	now   time.Time
	hists map[string]*autoscale.History
}

func (e histEnv) Now() time.Time                               { return e.now }
func (e histEnv) Value(string) float64                         { return 4 }
func (e histEnv) Rand() float64                                { return 0.5 }
func (e histEnv) Metric(name string) *autoscale.History        { return e.hists[name] }
func (e histEnv) with(h map[string]*autoscale.History) histEnv { e.hists = h; return e }

// TestReachIsExact: every test formula, evaluated over histories capped at
// its Reach, gives the result it gives over full histories, for histories
// of random values, lengths and gaps.
func TestReachIsExact(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(1, 1))
	checked := 0
	// windows that are not whole periods, where an off-by-one shows
	extra := []string{
		"r = $ActiveTasks.GetSample(100 * TimeInterval_Second)",
		"r = $ActiveTasks.GetSamplePercent(45 * TimeInterval_Second, 200 * TimeInterval_Second)",
		"r = $ActiveTasks.GetSample(TimeInterval_Second * 10, TimeInterval_Second * 95, 0)",
	}
	for _, src := range append(testFormulas(), extra...) {
		f, err := autoscale.Parse("", src)
		if err != nil {
			continue
		}
		reach := f.Reach(autoscale.DefaultPeriod)
		for trial := 0; trial < 8; trial++ {
			full, capped := map[string]*autoscale.History{}, map[string]*autoscale.History{}
			// only the queried metrics: Eval asks for no other history
			for _, name := range slices.Sorted(maps.Keys(reach)) {
				full[name] = &autoscale.History{}
				capped[name] = &autoscale.History{Cap: max(1, reach[name])}
				samples := rng.IntN(autoscale.MaxSamples + 200)
				// off the evaluation's grid, so a window of w can hold w/period + 1 samples
				at := now.Add(-time.Duration(samples)*autoscale.DefaultPeriod - time.Duration(rng.Int64N(int64(autoscale.DefaultPeriod))))
				for i := 0; i < samples; i++ {
					at = at.Add(autoscale.DefaultPeriod * time.Duration(1+rng.IntN(2)*rng.IntN(2)))
					if at.After(now) {
						break
					}
					v := float64(rng.IntN(50))
					full[name].Add(at, v)
					capped[name].Add(at, v)
				}
			}
			env := histEnv{now: now}
			want, werr := f.Eval(env.with(full))
			got, gerr := f.Eval(env.with(capped))
			if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
				t.Fatalf("%s: error %v over full histories, %v over capped ones", src, werr, gerr)
			}
			if werr == nil && !slices.Equal(want.Assigned, got.Assigned) {
				t.Fatalf("%s: full histories give %v, capped ones %v", src, want.Assigned, got.Assigned)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d evaluations checked", checked)
	}
}

// TestEvaluatorAgreesWithEval: an Evaluator reused across evaluations gives
// what a fresh Formula.Eval gives, every time, for every test formula.
func TestEvaluatorAgreesWithEval(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for _, src := range testFormulas() {
		f, err := autoscale.Parse("", src)
		if err != nil {
			continue
		}
		e := f.Evaluator()
		for i, vars := range []map[string]float64{{}, {"$PendingTasks": 40, "$PreemptedNodeCount": 3}, {"$CPUPercent": 80, "$ActiveTasks": 7}, {}} {
			want, werr := f.Eval(autoscale.ConstEnv(now, vars))
			got, gerr := e.Eval(autoscale.ConstEnv(now, vars))
			if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
				t.Fatalf("%s (#%d): Eval error %v, Evaluator error %v", src, i, werr, gerr)
			}
			if werr != nil {
				continue
			}
			if got.TargetDedicatedNodes != want.TargetDedicatedNodes && !(got.TargetDedicatedNodes != got.TargetDedicatedNodes) ||
				got.TargetLowPriorityNodes != want.TargetLowPriorityNodes && !(got.TargetLowPriorityNodes != got.TargetLowPriorityNodes) ||
				got.NodeDeallocationOption != want.NodeDeallocationOption || got.Stopped != want.Stopped {
				t.Fatalf("%s (#%d): Evaluator %+v, Eval %+v", src, i, got, want)
			}
		}
	}
}

// TestEvaluatorAllocatesNothing: the documented pending-tasks formula,
// evaluated again and again, allocates nothing once warm.
func TestEvaluatorAllocatesNothing(t *testing.T) {
	f, err := autoscale.Parse("", `$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
$tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) : max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));
$targetVMs = $tasks > 0 ? $tasks : max(0, $TargetDedicatedNodes / 2);
cappedPoolSize = min(25, [$targetVMs, percentile($PendingTasks.GetSample(10), 50)]);
$TargetDedicatedNodes = max(0, min($targetVMs, cappedPoolSize));
$NodeDeallocationOption = taskcompletion;`)
	if err != nil {
		t.Fatal(err)
	}
	env := autoscale.ConstEnv(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), map[string]float64{"$PendingTasks": 12})
	e := f.Evaluator()
	if _, err := e.Eval(env); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { e.Eval(env) }); n != 0 {
		t.Errorf("%v allocations per evaluation, want 0", n)
	}
}
