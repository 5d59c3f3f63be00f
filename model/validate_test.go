package model_test

import (
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestRestartFromScratch checks DESIGN.md §6: one task of work t on one
// low-priority node with exponential preemption (rate λ) and replacement
// delay D has E[T] = (e^{λt} − 1)(1/λ + D). The 99 % interval of the
// simulated mean must contain it.
func TestRestartFromScratch(t *testing.T) {
	tests := []struct {
		work, mttp, repl time.Duration
		reps             int
	}{
		{time.Hour, time.Hour, 10 * time.Minute, 20000},
		{30 * time.Minute, 2 * time.Hour, time.Hour, 20000},
		{3 * time.Hour, 2 * time.Hour, 0, 20000},
	}
	for _, tt := range tests {
		sc := refScenario()
		sc.Replications = tt.reps
		sc.Horizon = 1000 * 24 * time.Hour
		p := &sc.Pools[0]
		p.TargetDedicatedNodes, p.TargetLowPriorityNodes = 0, 1
		p.StartDelay = dist.Const(0)
		p.ReplacementDelay = dist.Const(tt.repl)
		p.Lifetime = expLife(tt.mttp)
		sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 1, dist.Const(tt.work)
		hours, err := sim.Replicate(tt.reps, 0, func(i int) (float64, error) {
			res, err := model.Run(sc, i, model.Options{})
			if !res.Finished {
				t.Errorf("replication %d unfinished", i)
			}
			return res.Completion.Hours(), err
		})
		if err != nil {
			t.Fatal(err)
		}
		lam := 1 / tt.mttp.Hours()
		want := (math.Exp(lam*tt.work.Hours()) - 1) * (1/lam + tt.repl.Hours())
		mean, sd := stat.MeanStdDev(hours, nil)
		half := distuv.UnitNormal.Quantile(0.995) * sd / math.Sqrt(float64(len(hours)))
		if math.Abs(mean-want) > half {
			t.Errorf("work %v, mttp %v, D %v: mean %.4f h ± %.4f, theory %.4f h", tt.work, tt.mttp, tt.repl, mean, half, want)
		} else {
			t.Logf("work %v, mttp %v, D %v: mean %.4f h ± %.4f, theory %.4f h", tt.work, tt.mttp, tt.repl, mean, half, want)
		}
	}
}
