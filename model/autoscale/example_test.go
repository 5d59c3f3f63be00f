package autoscale_test

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
)

// Parse a formula, evaluate it against a pool with 12 pending tasks and 2
// dedicated nodes, and apply the targets.
func Example() {
	f, err := autoscale.Parse("pool.formula", `
		// Half a node per pending task, between 1 and 10 nodes, on Spot.
		pending = avg($PendingTasks.GetSample(TimeInterval_Minute * 5, 70));
		$TargetLowPriorityNodes = max(1, min(10, pending / 2 + 0.5));
		$TargetDedicatedNodes = $CurrentDedicatedNodes > 2 ? 2 : $CurrentDedicatedNodes;
		$NodeDeallocationOption = taskcompletion;
	`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(f)

	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	r, err := f.Eval(autoscale.ConstEnv(now, map[string]float64{
		"$PendingTasks":          12,
		"$CurrentDedicatedNodes": 2,
	}))
	if err != nil {
		fmt.Println(err) // the pool keeps its targets
		return
	}
	fmt.Println(r)
	dedicated, spot := r.Targets()
	fmt.Println("dedicated:", dedicated, "spot:", spot, "on removal:", r.NodeDeallocationOption)
	// Output:
	// pending = avg($PendingTasks.GetSample(TimeInterval_Minute * 5, 70));
	// $TargetLowPriorityNodes = max(1, min(10, pending / 2 + 0.5));
	// $TargetDedicatedNodes = $CurrentDedicatedNodes > 2 ? 2 : $CurrentDedicatedNodes;
	// $NodeDeallocationOption = taskcompletion;
	// $TargetDedicatedNodes=2;$TargetLowPriorityNodes=6.5;$NodeDeallocationOption=taskcompletion;pending=12
	// dedicated: 2 spot: 6 on removal: taskcompletion
}

// A GetSample call that requires more samples than the history holds fails
// the whole evaluation, with the position of the call.
func ExampleFormula_Eval_samplePercent() {
	f, _ := autoscale.Parse("pool.formula", "$TargetDedicatedNodes = max($CPUPercent.GetSample(TimeInterval_Minute * 10, 95));")
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	cpu := &autoscale.History{}
	for i := 19; i >= 2; i-- { // 18 of 20 samples: the last minute has not arrived
		cpu.Add(now.Add(-time.Duration(i)*30*time.Second), 50)
	}
	env := &testEnv{now: now, hists: map[string]*autoscale.History{"$CPUPercent": cpu}}
	_, err := f.Eval(env)
	fmt.Println(err)
	// Output:
	// pool.formula:1:29: $CPUPercent.GetSample: only 90% of the samples in the window are available, 95% required
}
