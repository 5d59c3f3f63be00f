package model_test

import (
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
)

// TestCPUPercentCountsLeavingNodes: $CPUPercent, like slot utilisation,
// counts the slots of leavingpool nodes, which still run their tasks, so it
// never exceeds 100. Four nodes run four 40-minute tasks; at 30 min the
// formula shrinks to two with taskcompletion, leaving two nodes running in
// leavingpool: four busy slots over four slots is 100 %. (Before, the
// leaving nodes' tasks counted but not their slots: 200 %, and the formula
// below asked for 9 nodes.)
func TestCPUPercentCountsLeavingNodes(t *testing.T) {
	sc := autoscaled(t, `early = (time() - time("2025-01-06T00:00:00Z")) < 30 * TimeInterval_Minute;
cpu = $CPUPercent.GetSamplePercent(TimeInterval_Minute * 10) > 0 ? max($CPUPercent.GetSample(TimeInterval_Minute * 10)) : 0;
$TargetDedicatedNodes = early ? 4 : (cpu > 100 ? 9 : 2);
$NodeDeallocationOption = taskcompletion;`, 5*time.Minute)
	sc.Horizon = 3 * time.Hour
	sc.Jobs[0].Tasks, sc.Jobs[0].Duration = 4, dist.Const(40*time.Minute)
	var a allocations
	res, err := model.Run(sc, 0, model.Options{Observer: &a, KeepSeries: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.at[model.Dedicated]) != 4 || res.Autoscale.Failures != 0 {
		t.Errorf("dedicated allocations at %v (%d failed evaluations), want 4 at 0", a.at[model.Dedicated], res.Autoscale.Failures)
	}
	leaving := false
	for _, sp := range res.Autoscale.Series {
		if sp.TargetDedicated == 9 {
			t.Fatalf("at %v the formula saw $CPUPercent above 100", sp.At)
		}
		leaving = leaving || (sp.TargetDedicated == 2 && sp.Dedicated == 2 && sp.At < 40*time.Minute)
	}
	if !leaving {
		t.Errorf("no evaluation saw the pool shrunk to 2 while tasks ran: %+v", res.Autoscale.Series)
	}
}
