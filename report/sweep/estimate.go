package sweep

import (
	"fmt"

	"github.com/spotsim/spotsim/model/runner"
)

// Estimate is what running the points of todo (indices into the plan) on
// workers goroutines (<= 0: one per CPU) is expected to cost: their events
// and task runs added up (runner.EstimateRun of each point), and the peak
// memory. The point loop keeps each point's replications only while the
// point is in flight, and holds at most inFlight points at once, so memory
// is that many of the largest points, never points × replications. A
// reference (Plan.Reference) adds its runs and the results it keeps for the
// whole sweep.
func (p *Plan) Estimate(todo []int, workers int) runner.Estimate {
	var e runner.Estimate
	largest, reps := 0.0, 0
	for _, k := range todo {
		pe := runner.EstimateRun(p.Points[k].Scenario, workers)
		e.Replications += pe.Replications
		e.TaskRuns += pe.TaskRuns
		e.Events += pe.Events
		e.Longest = max(e.Longest, pe.Longest)
		e.Workers = max(e.Workers, pe.Workers)
		largest = max(largest, pe.Bytes-runner.BaseBytes)
		reps = max(reps, pe.Replications)
	}
	e.Bytes = runner.BaseBytes + float64(inFlight(len(todo), reps, e.Workers))*largest
	if r := p.Reference; r != nil {
		// Run once before the points, its results kept until the last.
		re := runner.EstimateReference(r.Scenario, r.Replications)
		e.TaskRuns += re.TaskRuns
		e.Events += re.Events
		e.Longest = max(e.Longest, re.Longest)
		e.Bytes += re.Bytes
		e.ReferenceRuns = re.ReferenceRuns
	}
	return e
}

// inFlight is how many points, of n of up to reps replications, the point
// loop can hold at once on workers goroutines: it hands out replications
// in point order, so a point is in flight from its first replication
// started to its last one done.
func inFlight(n, reps, workers int) int {
	if n == 0 {
		return 0
	}
	return min(n, (workers+reps-1)/max(1, reps)+1)
}

// CheckMemory returns an error, in one line with the estimate and the
// limit, when e (an Estimate of the plan) is expected to hold more than
// runner.Headroom of limit.
func CheckMemory(e runner.Estimate, points int, limit float64) error {
	if e.Bytes <= runner.Headroom*limit {
		return nil
	}
	return fmt.Errorf("refusing to start: the sweep would need about %s of memory (%d points, %s replications and their baselines in all, each point's kept for its statistics while it runs%s), more than %.0f %% of the limit of %s (half the machine's memory, or less: GOMEMLIMIT, the container's, ulimit -v); use fewer replications per point",
		runner.Bytes(e.Bytes), points, runner.Count(float64(e.Replications)), referenceKept(e), 100*runner.Headroom, runner.Bytes(limit))
}

// referenceKept says that the reference's results are kept throughout.
func referenceKept(e runner.Estimate) string {
	if e.ReferenceRuns == 0 {
		return ""
	}
	return fmt.Sprintf("; the reference's %d runs kept for the whole sweep", e.ReferenceRuns)
}
