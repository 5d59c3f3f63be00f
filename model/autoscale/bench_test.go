package autoscale_test

import (
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
)

// BenchmarkEvaluator: one evaluation of each built-in scenario's formula by
// a warm Evaluator, against histories as long as the formula can see
// (Reach), as a simulated pool evaluates it every interval.
func BenchmarkEvaluator(b *testing.B) {
	for _, c := range []struct{ name, src string }{
		{"dynamic-mix", `maxNumberofVMs = 25;
$TargetDedicatedNodes = min(maxNumberofVMs, $PreemptedNodeCount.GetSample(180 * TimeInterval_Second));
$TargetLowPriorityNodes = min(maxNumberofVMs , maxNumberofVMs - $TargetDedicatedNodes);
$NodeDeallocationOption = taskcompletion;`},
		{"lowpri-only", `$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
$tasks = $samples < 70 ? max(0, $PendingTasks.GetSample(1)) :
    max($PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));
$TargetDedicatedNodes = 0;
$TargetLowPriorityNodes = min(30, $tasks);
$NodeDeallocationOption = taskcompletion;`},
	} {
		b.Run(c.name, func(b *testing.B) {
			f, err := autoscale.Parse(c.name, c.src)
			if err != nil {
				b.Fatal(err)
			}
			now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
			env := &benchEnv{now: now, hists: map[string]*autoscale.History{}}
			for name, n := range f.Reach(autoscale.DefaultPeriod) {
				h := &autoscale.History{Cap: max(1, n)}
				for i := 200; i >= 0; i-- {
					h.Add(now.Add(-time.Duration(i)*autoscale.DefaultPeriod), float64(i%7))
				}
				env.hists[name] = h
			}
			e := f.Evaluator()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Eval(env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type benchEnv struct {
	now   time.Time
	hists map[string]*autoscale.History
}

func (e *benchEnv) Now() time.Time                        { return e.now }
func (e *benchEnv) Metric(name string) *autoscale.History { return e.hists[name] }
func (e *benchEnv) Value(name string) float64             { return 3 }
func (e *benchEnv) Rand() float64                         { return 0.5 }
