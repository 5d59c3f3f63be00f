package autoscale

import (
	"sort"
	"strings"
)

// VarKind says how a service-defined variable may be used.
type VarKind uint8

const (
	// VarTarget is a read-write node target ($TargetDedicatedNodes): a
	// double that reads as the pool's current target until assigned.
	VarTarget VarKind = iota
	// VarOption is the read-write $NodeDeallocationOption: a string that
	// must be one of requeue, terminate, taskcompletion, retaineddata.
	VarOption
	// VarMetric is a read-only sampled metric ($CPUPercent): only its
	// methods (GetSample, Count, ...) may be used.
	VarMetric
	// VarCount is a read-only sampled node count ($CurrentDedicatedNodes):
	// it has the methods of a metric and also reads as a double, its
	// current value, as Azure's own examples use it.
	VarCount
	// VarValue is a read-only plain double ($TaskSlotsPerNode).
	VarValue
)

// Var describes one service-defined variable.
type Var struct {
	Name string  // with its $
	Kind VarKind //
	// Alias is the full name this variable is an alias of ("" if none):
	// $TargetDedicated is an alias of $TargetDedicatedNodes.
	Alias string
	// Simulated reports whether spotsim's simulation produces real values
	// for it; unsimulated metrics read as constant 0 histories.
	Simulated bool
	Doc       string // one line
}

// Type returns the type of the variable when read as a value: double for
// targets, counts and plain values, string for the deallocation option and
// metric for sampled metrics.
func (v *Var) Type() Type {
	switch v.Kind {
	case VarOption:
		return TypeString
	case VarMetric:
		return TypeMetric
	}
	return TypeDouble
}

// ReadOnly reports whether formulas may not assign the variable.
func (v *Var) ReadOnly() bool { return v.Kind != VarTarget && v.Kind != VarOption }

// Sampled reports whether the variable has a sample history (and so the
// methods GetSample, GetSamplePercent, GetSamplePeriod, Count and
// HistoryBeginTime).
func (v *Var) Sampled() bool { return v.Kind == VarMetric || v.Kind == VarCount }

// Canonical returns the full name of v: its alias target, or its own name.
func (v *Var) Canonical() string {
	if v.Alias != "" {
		return v.Alias
	}
	return v.Name
}

// Variables lists every service-defined variable, read-write ones first,
// in the order of Azure's documentation.
var Variables = []*Var{
	{Name: "$TargetDedicatedNodes", Kind: VarTarget, Simulated: true, Doc: "target number of dedicated nodes; reads as the current target until assigned"},
	{Name: "$TargetLowPriorityNodes", Kind: VarTarget, Simulated: true, Doc: "target number of low-priority (Spot) nodes; reads as the current target until assigned"},
	{Name: "$NodeDeallocationOption", Kind: VarOption, Simulated: true, Doc: "what happens to running tasks when nodes are removed: requeue (default), terminate, taskcompletion or retaineddata"},
	{Name: "$TargetDedicated", Kind: VarTarget, Alias: "$TargetDedicatedNodes", Simulated: true, Doc: "alias of $TargetDedicatedNodes (the full name wins if both are assigned)"},
	{Name: "$TargetLowPriority", Kind: VarTarget, Alias: "$TargetLowPriorityNodes", Simulated: true, Doc: "alias of $TargetLowPriorityNodes (the full name wins if both are assigned)"},

	{Name: "$CPUPercent", Kind: VarMetric, Simulated: true, Doc: "average CPU usage in percent: 100 × busy task slots / task slots of usable nodes"},
	{Name: "$WallClockSeconds", Kind: VarMetric, Doc: "number of seconds consumed (not simulated: constant 0)"},
	{Name: "$MemoryBytes", Kind: VarMetric, Doc: "average number of megabytes used (not simulated: constant 0)"},
	{Name: "$DiskBytes", Kind: VarMetric, Doc: "average number of gigabytes used on local disks (not simulated: constant 0)"},
	{Name: "$DiskReadBytes", Kind: VarMetric, Doc: "number of bytes read (not simulated: constant 0)"},
	{Name: "$DiskWriteBytes", Kind: VarMetric, Doc: "number of bytes written (not simulated: constant 0)"},
	{Name: "$DiskReadOps", Kind: VarMetric, Doc: "count of read disk operations (not simulated: constant 0)"},
	{Name: "$DiskWriteOps", Kind: VarMetric, Doc: "count of write disk operations (not simulated: constant 0)"},
	{Name: "$NetworkInBytes", Kind: VarMetric, Doc: "number of inbound bytes (not simulated: constant 0)"},
	{Name: "$NetworkOutBytes", Kind: VarMetric, Doc: "number of outbound bytes (not simulated: constant 0)"},
	{Name: "$SampleNodeCount", Kind: VarMetric, Simulated: true, Doc: "count of compute nodes in the sample"},
	{Name: "$ActiveTasks", Kind: VarMetric, Simulated: true, Doc: "tasks ready to run but not running (dependencies satisfied; multi-instance tasks count their instances)"},
	{Name: "$RunningTasks", Kind: VarMetric, Simulated: true, Doc: "tasks in the running state"},
	{Name: "$PendingTasks", Kind: VarMetric, Simulated: true, Doc: "$ActiveTasks + $RunningTasks"},
	{Name: "$SucceededTasks", Kind: VarMetric, Simulated: true, Doc: "tasks that finished successfully"},
	{Name: "$FailedTasks", Kind: VarMetric, Simulated: true, Doc: "tasks that failed"},
	{Name: "$TaskSlotsPerNode", Kind: VarValue, Simulated: true, Doc: "task slots per node of the pool (a plain number)"},
	{Name: "$CurrentDedicatedNodes", Kind: VarCount, Simulated: true, Doc: "current number of dedicated nodes; a number, and a sampled history"},
	{Name: "$CurrentLowPriorityNodes", Kind: VarCount, Simulated: true, Doc: "current number of low-priority nodes including preempted ones; a number, and a sampled history"},
	{Name: "$PreemptedNodeCount", Kind: VarCount, Simulated: true, Doc: "number of nodes in the preempted state; a number, and a sampled history"},
	{Name: "$UsableNodeCount", Kind: VarCount, Simulated: true, Doc: "number of usable (idle or running) nodes; a number, and a sampled history"},
	{Name: "$CurrentDedicated", Kind: VarCount, Alias: "$CurrentDedicatedNodes", Simulated: true, Doc: "old alias of $CurrentDedicatedNodes"},
}

var varsByName = func() map[string]*Var {
	m := make(map[string]*Var, len(Variables))
	for _, v := range Variables {
		m[v.Name] = v
	}
	return m
}()

// LookupVar returns the service-defined variable called name ("$CPUPercent").
func LookupVar(name string) (*Var, bool) {
	v, ok := varsByName[name]
	return v, ok
}

// similarVar returns the service variable whose name is closest to name,
// ignoring case, if at most two edits away, for "did you mean" hints.
func similarVar(name string) string {
	if !strings.HasPrefix(name, "$") {
		return ""
	}
	best, bestDist := "", 3
	for _, v := range Variables {
		if d := editDistance(strings.ToLower(v.Name), strings.ToLower(name)); d < bestDist {
			best, bestDist = v.Name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Deallocation options, the values of $NodeDeallocationOption.
const (
	Requeue        = "requeue"
	Terminate      = "terminate"
	TaskCompletion = "taskcompletion"
	RetainedData   = "retaineddata"
)

// keywords are the bare words usable as $NodeDeallocationOption values.
var keywords = map[string]bool{Requeue: true, Terminate: true, TaskCompletion: true, RetainedData: true}

// Tick is the resolution of timeinterval values: 100 ns, as in .NET.
const Tick = 100 // nanoseconds

// timeIntervals maps the TimeInterval_* constants to ticks.
var timeIntervals = map[string]int64{
	"TimeInterval_Zero":        0,
	"TimeInterval_100ns":       1,
	"TimeInterval_Microsecond": 10,
	"TimeInterval_Millisecond": 10_000,
	"TimeInterval_Second":      10_000_000,
	"TimeInterval_Minute":      60 * 10_000_000,
	"TimeInterval_Hour":        3600 * 10_000_000,
	"TimeInterval_Day":         86400 * 10_000_000,
	"TimeInterval_Week":        7 * 86400 * 10_000_000,
	"TimeInterval_Year":        365 * 86400 * 10_000_000,
}

// TimeIntervalConstants returns the names of the TimeInterval_* constants,
// shortest interval first.
func TimeIntervalConstants() []string {
	names := make([]string, 0, len(timeIntervals))
	for n := range timeIntervals {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return timeIntervals[names[i]] < timeIntervals[names[j]] })
	return names
}
