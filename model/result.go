package model

import (
	"slices"
	"time"
)

// Result is what one replication measured.
type Result struct {
	Replication int
	// Finished reports whether every task completed before the horizon.
	Finished bool
	// Completion is when the last task finished (the horizon if unfinished).
	Completion time.Duration
	// Cost is the total bill in USD, split by node kind.
	Cost, CostDedicated, CostLowPriority float64
	// CostDisk is what the disks of deallocated low-priority nodes cost.
	CostDisk float64
	// Notices counts eviction notices delivered (one per eviction of an
	// allocated incarnation when the pool's notice is positive).
	Notices int
	// Preemptions counts evicted low-priority incarnations.
	Preemptions int
	// Requeued counts task runs put back in the queue by a preemption or a
	// node removal (not retries).
	Requeued int
	// Retries counts attempts started again after a failure or a timeout;
	// Timeouts the runs stopped by max_wall_clock.
	Retries, Timeouts int
	// CheckpointHours and RestoreHours are task time spent writing and
	// reading checkpoints; NoticeCheckpoints the last checkpoints written
	// during an eviction notice.
	CheckpointHours, RestoreHours float64
	NoticeCheckpoints             int
	// Cancellations counts jobs cancelled by a whole-cluster preemption;
	// Aborted the mini-batch jobs stopped by their error threshold.
	Cancellations, Aborted int
	// WorkLostCoreHours is the task time thrown away by preemptions, in
	// core-hours (a task holds cores/slots cores of its node).
	WorkLostCoreHours float64
	TasksDone         int
	TasksFailed       int // ended failed (terminated by a resize with $NodeDeallocationOption = terminate)
	TasksTotal        int
	// NodeHours is the time nodes spent in each state, by kind.
	NodeHours [2][NumStates]float64
	// Utilisation is busy slot time (task runs, finished or interrupted)
	// over the slot time of the nodes that run or can take tasks: idle,
	// running and leavingpool nodes, every slot. It is at most 1. (Creating,
	// starting and preempted nodes have no usable slots and are left out.)
	Utilisation float64
	Jobs        []JobResult
	// Events is how many engine events the replication handled.
	Events uint64
	// Draws is how many random numbers the replication used
	// (sim.Streams.Draws). Zero means that its result does not depend on its
	// seed: every replication of its scenario has that result
	// (ForReplication).
	Draws uint64
	// Autoscale tallies the formula evaluations of autoscaling pools.
	Autoscale AutoscaleResult
	// QuotaCapped counts the resizes whose growth a core quota cut short.
	QuotaCapped int
	// ResizeErrors counts the timed resizes that ended with nodes given up
	// at their resize timeout (Azure's resize error; the pool stays below
	// its targets).
	ResizeErrors int
	// Markets holds, with Options.KeepSeries, each pool's spot price path
	// up to the end of the run and its eviction times.
	Markets []MarketSeries

	// busy and slot time in hours (float64: a Duration overflows past 292
	// slot-years, which a large pool over a long horizon reaches)
	busy, slotTime float64
}

// JobResult is one job's outcome in a replication.
type JobResult struct {
	Name        string
	Finished    bool
	Completion  time.Duration
	TasksDone   int
	TasksFailed int
	// NodeHours is the node time its task runs used (a slot is 1/slots of
	// a node); CostShare its pool's cost split by NodeHours among the
	// pool's jobs.
	NodeHours, CostShare float64
}

// AutoscaleResult tallies autoscale evaluations over all pools.
type AutoscaleResult struct {
	Evaluations int
	Failures    int
	// FirstError is the message of the first failed evaluation, if any.
	FirstError string
	// MostTargets holds, for each pool by index, the largest target of
	// each kind (dedicated, low-priority) its autoscale formula set in the
	// run, after a Priority Mix split it: the most nodes the pool asked
	// Azure for, which Scenario.QuotaFitsRan checks against the default
	// quotas. nil when no pool autoscales.
	MostTargets [][2]int
	// Series holds every evaluation when Options.KeepSeries is set.
	Series []ScalePoint
}

// ScalePoint is one autoscale evaluation of a pool and the pool as it stood.
type ScalePoint struct {
	At                                        time.Duration
	Pool                                      int
	OK                                        bool
	TargetDedicated, TargetLowPriority        int // after the evaluation (unchanged when it failed)
	Dedicated, LowPriority, Preempted, Usable int // current counts, as the formula's $Current... read them
}

// ForReplication returns r, a result that drew no random number (Draws
// 0), as the result of replication rep of the same scenario run with the
// same options. A replication depends on rep only through its random
// streams, and r used none, so the two are the same but for Replication;
// the copy shares nothing mutable with r. It panics if r drew anything.
func (r *Result) ForReplication(rep int) Result {
	if r.Draws != 0 {
		panic("model: ForReplication of a result that depends on its seed")
	}
	c := *r
	c.Replication = rep
	c.Jobs = slices.Clone(r.Jobs)
	c.Markets = slices.Clone(r.Markets) // each MarketSeries is read-only
	c.Autoscale.Series = slices.Clone(r.Autoscale.Series)
	c.Autoscale.MostTargets = slices.Clone(r.Autoscale.MostTargets)
	return c
}

// WorkDone returns the share of tasks ended (succeeded or failed), in [0,1].
func (r *Result) WorkDone() float64 {
	if r.TasksTotal == 0 {
		return 1
	}
	return float64(r.TasksDone+r.TasksFailed) / float64(r.TasksTotal)
}

// MarketSeries is one pool's spot market over a run: the price steps
// (price Prices[i] from Times[i] on), the pool's max price (<= 0: none) and
// the times of its evictions.
type MarketSeries struct {
	Pool      string
	MaxPrice  float64
	Times     []time.Duration
	Prices    []float64
	Evictions []time.Duration
	// PriceEvictions are the evictions caused by the price rising above
	// MaxPrice; Evictions holds every other cause.
	PriceEvictions []time.Duration
}
