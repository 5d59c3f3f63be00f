package model

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

// DedicatedBound is the fastest a job can finish from its submission on
// its pool made wholly dedicated (the dedicated-only baseline, or a
// policy's nodes all dedicated), alone on the pool: node boot
// (allocation + start delay, less the time the pool had before the
// submission), then waves of the pool's task slots running the job's task
// runs one after another.
//
// It is Exact when every duration involved is fixed and nothing else
// varies a run (no failures, no wall-clock limit, no job manager, no
// mini-batches): completion is then exactly Boot + Waves·Run. Otherwise
// each duration is its mean, and the bound is on the mean completion time
// (random task lengths make some runs faster and the slowest task of each
// wave slower, so no single run is bounded).
type DedicatedBound struct {
	Time  time.Duration // Boot + Waves·Run
	Boot  time.Duration // node boot left after the submission
	Run   time.Duration // one task run: its work plus its checkpoints
	Waves int           // ⌈tasks / concurrent tasks⌉
	// Nodes and Slots are the pool's capacity; Concurrent the tasks it runs
	// at once (nodes·slots, or slots·⌊nodes/nodes per task⌋ for gangs).
	Nodes, Slots, Concurrent int
	Exact                    bool
}

// String says how the bound was found, for messages.
func (b DedicatedBound) String() string {
	how := "exactly"
	if !b.Exact {
		how = "at least, on average"
	}
	return fmt.Sprintf("%s %s: %s of boot, then %d wave(s) of %s on %d dedicated node(s) × %d slot(s)",
		how, dist.FormatDuration(b.Time), dist.FormatDuration(b.Boot), b.Waves, dist.FormatDuration(b.Run), b.Nodes, b.Slots)
}

// PoolCapacity is the most nodes a pool ever runs: its fixed targets
// together, its policy's nodes or its cluster's max_instances. An
// autoscaling pool has none that can be known before running its formula
// (ok false).
func PoolCapacity(p *Pool) (nodes int, ok bool) {
	switch {
	case p.Sizing != nil:
		return p.Sizing.Nodes, true
	case p.Cluster != nil:
		return p.Cluster.MaxInstances, true
	case p.Autoscale != nil:
		return 0, false
	}
	return p.TargetDedicatedNodes + p.TargetLowPriorityNodes, true
}

// runLength is the mean length of one uninterrupted run of a task of j
// (its work and the checkpoints it writes), and whether it is fixed.
func runLength(j *Job) (time.Duration, bool) {
	work, fixed := j.Duration.MeanDuration(), j.Duration.Kind == dist.Fixed
	if mb := j.MiniBatch; mb != nil {
		work, fixed = time.Duration(mb.Size)*mb.PerInput.MeanDuration(), false
	}
	if c := j.Checkpoint; c != nil {
		tl := timeline{work: sim.Time(work), tau: c.Interval, c: c.Cost}
		return tl.length(), fixed
	}
	return work, fixed
}

// DedicatedOnly returns the bound for job j of the scenario, or false when
// its pool's capacity is unknown (an autoscale formula) or zero.
func (s *Scenario) DedicatedOnly(j int) (DedicatedBound, bool) {
	job := &s.Jobs[j]
	var pool *Pool
	for i := range s.Pools {
		if s.Pools[i].Name == job.Pool {
			pool = &s.Pools[i]
		}
	}
	if pool == nil {
		return DedicatedBound{}, false
	}
	nodes, ok := PoolCapacity(pool)
	if !ok || nodes == 0 {
		return DedicatedBound{}, false
	}
	b := DedicatedBound{Nodes: nodes, Slots: pool.TaskSlotsPerNode}
	gang := max(job.NodesPerTask, 1)
	b.Concurrent = b.Slots * (nodes / gang)
	if b.Concurrent == 0 {
		return DedicatedBound{}, false
	}
	var fixedRun bool
	b.Run, fixedRun = runLength(job)
	b.Waves = (job.Tasks + b.Concurrent - 1) / b.Concurrent
	boot := pool.AllocationDelay.MeanDuration() + pool.StartDelay.MeanDuration()
	b.Boot = max(boot-job.Submit, 0)
	b.Time = b.Boot + time.Duration(b.Waves)*b.Run
	b.Exact = fixedRun && pool.AllocationDelay.Kind == dist.Fixed && pool.StartDelay.Kind == dist.Fixed &&
		job.FailureProbability == 0 && job.MaxWallClock == 0 && job.Manager == nil && job.MiniBatch == nil
	return b, true
}

// DeadlineShortfall reports, for job j with a deadline, how much shorter
// the deadline is than the job's dedicated-only completion time (its
// DedicatedBound), if it is: no policy can then meet it. It returns false
// when the deadline can be met or the bound is unknown.
func (s *Scenario) DeadlineShortfall(j int) (short time.Duration, b DedicatedBound, ok bool) {
	d := s.Jobs[j].Deadline
	if d <= 0 {
		return 0, DedicatedBound{}, false
	}
	b, known := s.DedicatedOnly(j)
	if !known || b.Time <= d {
		return 0, b, false
	}
	return b.Time - d, b, true
}

// Met reports whether a job that ended at completion (from t = 0) met its
// deadline, measured from its submission.
func (j *Job) Met(r JobResult) bool {
	return r.Finished && r.Completion-j.Submit <= j.Deadline
}
