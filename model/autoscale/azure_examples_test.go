package autoscale_test

import (
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
)

// The example formulas of Azure Batch's autoscale documentation
// (learn.microsoft.com/azure/batch/batch-automatic-scaling, its earlier
// revisions and the Enable-AzBatchAutoScale PowerShell page), each
// evaluated against states whose answers were worked out by hand.

const pendingTasksFormula = `startingNumberOfVMs = 1;
maxNumberofVMs = 25;
pendingTaskSamplePercent = $PendingTasks.GetSamplePercent(180 * TimeInterval_Second);
pendingTaskSamples = pendingTaskSamplePercent < 70 ? startingNumberOfVMs : avg($PendingTasks.GetSample(180 * TimeInterval_Second));
$TargetDedicatedNodes=min(maxNumberofVMs, pendingTaskSamples);
$NodeDeallocationOption = taskcompletion;`

const preemptedFormula = `maxNumberofVMs = 25;
$TargetDedicatedNodes = min(maxNumberofVMs, $PreemptedNodeCount.GetSample(180 * TimeInterval_Second));
$TargetLowPriorityNodes = min(maxNumberofVMs , maxNumberofVMs - $TargetDedicatedNodes);
$NodeDeallocationOption = taskcompletion;`

const cpuFormula = `$totalDedicatedNodes =
    (min($CPUPercent.GetSample(TimeInterval_Minute * 10)) > 0.7) ?
    ($CurrentDedicatedNodes * 1.1) : $CurrentDedicatedNodes;
$totalDedicatedNodes =
    (avg($CPUPercent.GetSample(TimeInterval_Minute * 60)) < 0.2) ?
    ($CurrentDedicatedNodes * 0.9) : $totalDedicatedNodes;
$TargetDedicatedNodes = min(400, $totalDedicatedNodes)`

const timeFormula = `$curTime = time();
$workHours = $curTime.hour >= 8 && $curTime.hour < 18;
$isWeekday = $curTime.weekday >= 1 && $curTime.weekday <= 5;
$isWorkingWeekdayHour = $workHours && $isWeekday;
$TargetDedicatedNodes = $isWorkingWeekdayHour ? 20:10;
$NodeDeallocationOption = taskcompletion;`

const taskFormula = `// Get pending tasks for the past 15 minutes.
$samples = $PendingTasks.GetSamplePercent(TimeInterval_Minute * 15);
// If we have fewer than 70 percent data points, we use the last sample point,
// otherwise we use the maximum of last sample point and the history average.
$tasks = $samples < 70 ? max(0,$PendingTasks.GetSample(1)) : max( $PendingTasks.GetSample(1), avg($PendingTasks.GetSample(TimeInterval_Minute * 15)));
// If number of pending tasks is not 0, set targetVM to pending tasks, otherwise
// half of current dedicated.
$targetVMs = $tasks > 0? $tasks:max(0, $TargetDedicatedNodes/2);
// The pool size is capped at 20, if target VM value is more than that, set it
// to 20. This value should be adjusted according to your use case.
$TargetDedicatedNodes = max(0, min($targetVMs, 20));
// Set node deallocation mode - let running tasks finish before removing a node
$NodeDeallocationOption = taskcompletion;`

const parallelFormula = `// Determine whether 70 percent of the samples have been recorded in the past
// 15 minutes; if not, use last sample
$samples = $ActiveTasks.GetSamplePercent(TimeInterval_Minute * 15);
$tasks = $samples < 70 ? max(0,$ActiveTasks.GetSample(1)) : max( $ActiveTasks.GetSample(1),avg($ActiveTasks.GetSample(TimeInterval_Minute * 15)));
// Set the number of nodes to add to one-fourth the number of active tasks
// (the TaskSlotsPerNode property on this pool is set to 4, adjust
// this number for your use case)
$cores = $TargetDedicatedNodes * $TaskSlotsPerNode;
$extraVMs = (($tasks - $cores) + 3) / 4;
$targetVMs = ($TargetDedicatedNodes + $extraVMs);
// Attempt to grow the number of compute nodes to match the number of active
// tasks, with a maximum of 3
$TargetDedicatedNodes = max(0,min($targetVMs,3));
// Keep the nodes active until the tasks finish
$NodeDeallocationOption = taskcompletion;`

// initialFormula is the C# example's formula with {0} = the pool's creation
// time (DateTime.ToString("r"), RFC 1123) and {1} = 4.
const initialFormula = `
    $TargetDedicatedNodes = 4;
    lifespan         = time() - time("Thu, 13 Oct 2016 19:18:47 GMT");
    span             = TimeInterval_Minute * 60;
    startup          = TimeInterval_Minute * 10;
    ratio            = 50;

    $TargetDedicatedNodes = (lifespan > startup ? (max($RunningTasks.GetSample(span, ratio), $ActiveTasks.GetSample(span, ratio)) == 0 ? 0 : $TargetDedicatedNodes) : 4);
    `

// powershellFormula is Enable-AzBatchAutoScale's example, which uses the
// old names $CurrentDedicated and $TargetDedicated.
const powershellFormula = `totalNodes=($CPUPercent.GetSamplePercent(TimeInterval_Minute*0,TimeInterval_Minute*10)<0.7?5:(min($CPUPercent.GetSample(TimeInterval_Minute*0, TimeInterval_Minute*10))>0.8?($CurrentDedicated*1.1):$CurrentDedicated));$TargetDedicated=min(100,totalNodes);`

// samplesFormula is the "GetSample() and sample ranges" section's example.
const samplesFormula = `$runningTasksSample = $RunningTasks.GetSample(1 * TimeInterval_Minute, 6 * TimeInterval_Minute);
$TargetDedicatedNodes = len($runningTasksSample);`

// azureFormulas lists every documented formula, for the round-trip test.
var azureFormulas = []string{pendingTasksFormula, preemptedFormula, cpuFormula, timeFormula,
	taskFormula, parallelFormula, initialFormula, powershellFormula, samplesFormula}

func TestAzureExamples(t *testing.T) {
	lag := time.Minute // samples become visible about a minute after they are taken
	monday10 := time.Date(2016, 10, 17, 10, 0, 0, 0, time.UTC)
	created := time.Date(2016, 10, 13, 19, 18, 47, 0, time.UTC)

	tests := []struct {
		name    string
		src     string
		env     autoscale.Env
		want    string // Result.String()
		wantErr string
	}{
		// Pending tasks. With the usual one-minute lag the 180 s window
		// (now-180 s, now] holds the samples at now-150, -120, -90 and -60 s:
		// 4 of 6 possible = 66.7 % < 70, so the formula falls back to
		// startingNumberOfVMs = 1, and min(25, 1) = 1.
		{"pending/lagged", pendingTasksFormula,
			&testEnv{now: thursday, hists: map[string]*autoscale.History{"$PendingTasks": samples(thursday, lag, repeat(40, 20)...)}},
			"$TargetDedicatedNodes=1;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;maxNumberofVMs=25;pendingTaskSamplePercent=66.66666666666667;pendingTaskSamples=1;startingNumberOfVMs=1", ""},
		// With no lag the window holds now-150 … now: 6 of 6 = 100 %, and
		// avg(4, 6, 8, 10, 12, 14) = 54/6 = 9; min(25, 9) = 9.
		{"pending/fresh", pendingTasksFormula,
			&testEnv{now: thursday, hists: map[string]*autoscale.History{"$PendingTasks": samples(thursday, 0, 100, 4, 6, 8, 10, 12, 14)}},
			"$TargetDedicatedNodes=9;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;maxNumberofVMs=25;pendingTaskSamplePercent=100;pendingTaskSamples=9;startingNumberOfVMs=1", ""},
		// A constant 40 pending tasks: avg 40, and the target is capped at
		// min(25, 40) = 25.
		{"pending/capped", pendingTasksFormula,
			autoscale.ConstEnv(thursday, map[string]float64{"$PendingTasks": 40}),
			"$TargetDedicatedNodes=25;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;maxNumberofVMs=25;pendingTaskSamplePercent=100;pendingTaskSamples=40;startingNumberOfVMs=1", ""},

		// Preempted nodes. Window samples 3, 3, 4, 5 (newest first 5, 4, 3,
		// 3): min(25, 5, 4, 3, 3) = 3 dedicated; then min(25, 25 - 3) = 22
		// low-priority.
		{"preempted/three", preemptedFormula,
			&testEnv{now: thursday, hists: map[string]*autoscale.History{"$PreemptedNodeCount": samples(thursday, lag, 9, 3, 3, 4, 5)}},
			"$TargetDedicatedNodes=3;$TargetLowPriorityNodes=22;$NodeDeallocationOption=taskcompletion;maxNumberofVMs=25", ""},
		// A new pool with no preemptions (a constant 0 history): 0
		// dedicated and 25 low-priority, "a pool that starts with 25
		// low-priority nodes" as the documentation says.
		{"preempted/none", preemptedFormula,
			autoscale.ConstEnv(thursday, nil),
			"$TargetDedicatedNodes=0;$TargetLowPriorityNodes=25;$NodeDeallocationOption=taskcompletion;maxNumberofVMs=25", ""},

		// CPU. A constant 80 %: min(...) = 80 > 0.7, so 10 × 1.1 = 11 (the
		// product rounds to exactly 11.0); avg = 80 is not < 0.2, so 11
		// stays; min(400, 11) = 11.
		{"cpu/high", cpuFormula,
			autoscale.ConstEnv(thursday, map[string]float64{"$CPUPercent": 80, "$CurrentDedicatedNodes": 10}),
			"$TargetDedicatedNodes=11;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$totalDedicatedNodes=11", ""},
		// A constant 0.1 %: 0.1 > 0.7 fails, so 10; avg 0.1 < 0.2, so
		// 10 × 0.9 = 9.
		{"cpu/low", cpuFormula,
			autoscale.ConstEnv(thursday, map[string]float64{"$CPUPercent": 0.1, "$CurrentDedicatedNodes": 10}),
			"$TargetDedicatedNodes=9;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$totalDedicatedNodes=9", ""},

		// Time of day. Thursday 19:18 is a weekday outside 8-18: 10 nodes,
		// exactly the documented output.
		{"time/thursday-evening", timeFormula, autoscale.ConstEnv(thursday, nil),
			"$TargetDedicatedNodes=10;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$curTime=2016-10-13T19:18:47.805Z;$isWeekday=1;$isWorkingWeekdayHour=0;$workHours=0", ""},
		// Monday 10:00 is a working weekday hour: 20.
		{"time/monday-morning", timeFormula, autoscale.ConstEnv(monday10, nil),
			"$TargetDedicatedNodes=20;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$curTime=2016-10-17T10:00:00.000Z;$isWeekday=1;$isWorkingWeekdayHour=1;$workHours=1", ""},
		// Sunday 10:00: weekday 7, not a weekday: 10.
		{"time/sunday-morning", timeFormula, autoscale.ConstEnv(monday10.Add(-24*time.Hour), nil),
			"$TargetDedicatedNodes=10;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$curTime=2016-10-16T10:00:00.000Z;$isWeekday=0;$isWorkingWeekdayHour=0;$workHours=1", ""},

		// Task-based. No samples yet: 0 % < 70, so $tasks = max(0) = 0
		// (GetSample(1) of an empty history is an empty vector); then
		// max(0, 8/2) = 4 and max(0, min(4, 20)) = 4.
		{"tasks/empty", taskFormula,
			&testEnv{now: thursday, vals: map[string]float64{"$TargetDedicatedNodes": 8}},
			"$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=0;$targetVMs=4;$tasks=0", ""},
		// 30 samples taken, newest a minute old: the 15-minute window holds
		// 28 of 30 (93.3 %). Latest 30, average (27 × 12 + 30)/28 = 12.64…,
		// so $tasks = 30, capped to 20.
		{"tasks/busy", taskFormula,
			&testEnv{now: thursday, hists: map[string]*autoscale.History{"$PendingTasks": samples(thursday, lag, append(repeat(12, 29), 30)...)}},
			"$TargetDedicatedNodes=20;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$samples=93.33333333333333;$targetVMs=30;$tasks=30", ""},

		// Parallel tasks, 4 slots per node, current target 1. 9 active
		// tasks: cores = 4, extra = (9 - 4 + 3)/4 = 2, target 1 + 2 = 3.
		{"parallel/grow", parallelFormula,
			autoscale.ConstEnv(thursday, map[string]float64{"$ActiveTasks": 9, "$TaskSlotsPerNode": 4, "$TargetDedicatedNodes": 1}),
			"$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$cores=4;$extraVMs=2;$samples=100;$targetVMs=3;$tasks=9", ""},
		// 2 active tasks: extra = (2 - 4 + 3)/4 = 0.25, target 1.25, which
		// the pool truncates to 1.
		{"parallel/steady", parallelFormula,
			autoscale.ConstEnv(thursday, map[string]float64{"$ActiveTasks": 2, "$TaskSlotsPerNode": 4, "$TargetDedicatedNodes": 1}),
			"$TargetDedicatedNodes=1.25;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;$cores=4;$extraVMs=0.25;$samples=100;$targetVMs=1.25;$tasks=2", ""},

		// Initial pool size. Five minutes after creation lifespan (5 min) is
		// not > startup (10 min): 4.
		{"initial/startup", initialFormula, autoscale.ConstEnv(created.Add(5*time.Minute), nil),
			"$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;lifespan=00:05:00;ratio=50;span=01:00:00;startup=00:10:00", ""},
		// Two hours later with no running or active tasks: max(...) == 0, so 0.
		{"initial/idle", initialFormula, autoscale.ConstEnv(created.Add(2*time.Hour), nil),
			"$TargetDedicatedNodes=0;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;lifespan=02:00:00;ratio=50;span=01:00:00;startup=00:10:00", ""},
		// With 3 running tasks the target stays at the 4 assigned above.
		{"initial/busy", initialFormula, autoscale.ConstEnv(created.Add(2*time.Hour), map[string]float64{"$RunningTasks": 3}),
			"$TargetDedicatedNodes=4;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;lifespan=02:00:00;ratio=50;span=01:00:00;startup=00:10:00", ""},
		// Without samples GetSample(span, 50) finds 0 % and fails the
		// evaluation (the pool keeps its size).
		{"initial/no-samples", initialFormula, &testEnv{now: created.Add(2 * time.Hour)},
			"", "initial:8:56: $RunningTasks.GetSample: only 0% of the samples in the window are available, 50% required"},

		// PowerShell. A constant 90 % CPU: 100 % of samples (not < 0.7), min
		// 90 > 0.8, so $CurrentDedicated × 1.1 = 11;
		// $TargetDedicated = min(100, that); the alias sets the target.
		{"powershell/busy", powershellFormula,
			autoscale.ConstEnv(thursday, map[string]float64{"$CPUPercent": 90, "$CurrentDedicated": 10}),
			"$TargetDedicatedNodes=11;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$TargetDedicated=11;totalNodes=11", ""},
		// No samples: 0 % < 0.7, so 5.
		{"powershell/new", powershellFormula, &testEnv{now: thursday},
			"$TargetDedicatedNodes=5;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$TargetDedicated=5;totalNodes=5", ""},

		// Sample ranges: (now-6 min, now-1 min] holds exactly 10 samples of
		// a full history, as the documentation says.
		{"samples/range", samplesFormula, autoscale.ConstEnv(thursday, map[string]float64{"$RunningTasks": 1}),
			"$TargetDedicatedNodes=10;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue;$runningTasksSample=[1,1,1,1,1,1,1,1,1,1]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, _, _ := strings.Cut(tt.name, "/")
			f, err := autoscale.Parse(name, tt.src)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			r, err := f.Eval(tt.env)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Eval error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if got := r.String(); got != tt.want {
				t.Errorf("Eval =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestGetSampleDocumented checks the documentation's sample-percentage
// example: a 10-minute window holds 20 possible samples; if the last minute
// is missing only 18 are there (90 %), so GetSample(10 min, 95) fails and
// GetSample(10 min, 80) succeeds.
func TestGetSampleDocumented(t *testing.T) {
	env := &testEnv{now: thursday, hists: map[string]*autoscale.History{
		"$CPUPercent": samples(thursday, time.Minute, repeat(50, 40)...),
	}}
	for _, tt := range []struct{ src, want string }{
		{"n = len($CPUPercent.GetSample(TimeInterval_Minute * 10))", "n=18"},
		{"p = $CPUPercent.GetSamplePercent(TimeInterval_Minute * 10)", "p=90"},
		{"n = len($CPUPercent.GetSample(TimeInterval_Minute * 10, 80))", "n=18"},
		{"n = len($CPUPercent.GetSample(TimeInterval_Minute * 10, 95))", "1:9: $CPUPercent.GetSample: only 90% of the samples in the window are available, 95% required"},
	} {
		f, err := autoscale.Parse("", tt.src)
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.Eval(env)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = r.Assigned[0].String()
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.src, got, tt.want)
		}
	}
}
