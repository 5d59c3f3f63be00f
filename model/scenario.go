package model

import (
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/preempt"
	"github.com/spotsim/spotsim/model/price"
)

// FillType is a pool's task scheduling policy (Azure's nodeFillType).
type FillType int

const (
	Spread FillType = iota // balance tasks across nodes (the Azure default)
	Pack                   // fill a node's slots before using the next node
)

func (f FillType) String() string {
	if f == Pack {
		return "pack"
	}
	return "spread"
}

// Scenario is a validated simulation configuration: what runs where, and
// how many replications of it to simulate.
type Scenario struct {
	Name         string
	Description  string
	Seed         uint64
	Replications int
	// Horizon is when a replication is stopped if its work has not finished;
	// it is then reported as unfinished.
	Horizon time.Duration
	// Start is the wall-clock time of t = 0: what autoscale formulas see as
	// time() (the day of the week and hour matter to some formulas).
	Start   time.Time
	Billing Billing
	Quotas  Quotas
	Pools   []Pool
	Jobs    []Job
}

// Billing says how node time turns into money.
type Billing struct {
	// Granularity is the unit each allocation's billed time is rounded up
	// to (1 s = per-second billing).
	Granularity time.Duration
	// Minimum is the least time billed for one allocation (0 = none).
	Minimum time.Duration
	// SkipBoot, when set, starts billing when a node becomes usable instead
	// of at its allocation (creating and starting are not billed).
	SkipBoot bool
}

// EvictionPolicy says what an eviction does to a low-priority VM.
type EvictionPolicy uint8

const (
	// ServicePolicy is the service's own (Pool.Eviction): an Azure Batch
	// pool or an Azure ML cluster manages evictions itself and recreates the
	// node (as Delete); a scale set deallocates (Azure's default for Spot VMs).
	ServicePolicy EvictionPolicy = iota
	// Delete removes the VM and its disks; a replacement is allocated anew.
	Delete
	// Deallocate stops the VM and keeps its disk (billed at the pool's disk
	// price) until the same node restarts, with its restart delay.
	Deallocate
)

func (e EvictionPolicy) String() string {
	switch e {
	case Deallocate:
		return "deallocate"
	case Delete:
		return "delete"
	}
	return "the service's"
}

// Capacity describes how hard low-priority capacity is to get and keep,
// beyond each incarnation's own lifetime.
type Capacity struct {
	// AllocationFailure is the probability that a low-priority allocation
	// request fails; the node then waits RetryDelay and asks again.
	AllocationFailure float64
	RetryDelay        dist.Dist
	// Availability alternates available and unavailable spells: when
	// unavailable, every low-priority node is evicted and none allocated.
	Availability *preempt.OnOff
	// Crunches evict a fraction of the low-priority nodes at once and block
	// allocations for a while, at random times.
	Crunches *preempt.Crunches
	// Trace replays recorded evictions (it replaces Lifetime).
	Trace *preempt.Trace
}

// SpotPrice is the low-priority price process of a pool; with neither field
// set the price is fixed at the VM size's low-priority price.
type SpotPrice struct {
	OU    *price.OU   // mean-reverting, capped at the dedicated price
	Trace *price.Path // replayed, step-wise
}

// Quotas are the account's core quotas, shared by all pools; 0 means no
// limit. A resize beyond quota allocates up to it (Result.QuotaCapped).
// DedicatedSet and LowPrioritySet say the scenario set each ([quotas]): an
// unset quota is no limit, and QuotaFits warns when the pool exceeds
// Azure's default (DefaultQuotas).
type Quotas struct {
	DedicatedCores, LowPriorityCores int
	DedicatedSet, LowPrioritySet     bool
}

// Autoscale is a pool's autoscale formula and its evaluation schedule.
type Autoscale struct {
	Formula *autoscale.Formula
	// Interval between evaluations (Azure: default 15 min, 5 min to 168 h).
	// The first evaluation is at t = 0.
	Interval time.Duration
	// SampleLag is how long a metric sample takes to become visible to the
	// formula (DefaultSampleLag: Azure's "approximately one minute").
	SampleLag time.Duration
	// AllDedicated makes every node the formula asks for dedicated: the
	// rule of the dedicated-only baseline (see Baseline).
	AllDedicated bool
}

// Autoscale evaluation limits, as Azure's.
const (
	MinAutoscaleInterval = 5 * time.Minute
	MaxAutoscaleInterval = 168 * time.Hour
)

// Pool is an Azure Batch pool: one VM size, a dedicated and a low-priority
// target, task slots per node.
type Pool struct {
	Name                   string
	Size                   VMSize
	TargetDedicatedNodes   int
	TargetLowPriorityNodes int
	TaskSlotsPerNode       int
	Scheduling             FillType
	// AllocationDelay is the time a node spends in state creating.
	AllocationDelay dist.Dist
	// StartDelay is the time a node spends in state starting (boot, start task).
	StartDelay dist.Dist
	// ReplacementDelay is the time from a preemption to the allocation of the
	// replacement incarnation (the node stays in state preempted meanwhile).
	ReplacementDelay dist.Dist
	// Lifetime is the time from a low-priority incarnation's allocation to its
	// preemption; nil means never preempted by its own lifetime.
	Lifetime *preempt.Lifetime
	// Capacity, Price and MaxPrice model the spot market around it.
	Capacity Capacity
	Price    SpotPrice
	// MaxPrice is the most the pool pays per low-priority node-hour: when
	// the price rises above it every low-priority node is evicted and none
	// is allocated until it falls back. Negative (-1) means pay up to the
	// dedicated price and never be evicted for price; so does 0, the zero
	// value (nothing is free: a max price of 0 would evict at once).
	MaxPrice float64
	// Notice is the eviction notice (Azure Scheduled Events: 30 s): the node
	// keeps running through it, and a task may write a last checkpoint.
	Notice time.Duration
	// Policy (ServicePolicy unless a scale set chooses), DiskPrice ($ per
	// node-hour while deallocated) and RestartDelay (time to start a
	// deallocated node again) describe evictions.
	Policy       EvictionPolicy
	DiskPrice    float64
	RestartDelay dist.Dist
	// Autoscale, when set, replaces the fixed targets: the pool starts empty
	// and the formula sets the targets at t = 0 and every Interval.
	Autoscale *Autoscale
	// Cluster, when set, makes the pool an Azure ML compute cluster that
	// scales itself (the fixed targets must be 0; Service must be ML).
	Cluster *Cluster
	// Service is what runs the pool: an Azure Batch pool (the zero value),
	// an Azure ML compute cluster or a VM scale set. It decides which keys
	// the pool may set and what an eviction does (service.go).
	Service Service
	// PriorityMix, on a scale set, chooses the priority of the instances
	// each scale action adds; InstanceCount is then the scale set's size
	// (and the fixed targets are 0).
	PriorityMix   *PriorityMix
	InstanceCount int
	// RestoreTimeout > 0, on a scale set, is Try & Restore: an evicted Spot
	// instance is restored when capacity allows, for up to this long after
	// its eviction (service.go).
	RestoreTimeout time.Duration
	// Resizes are timed resizes of a pool with fixed targets (resize.go),
	// in time order.
	Resizes []Resize
	// Sizing, when set, sizes the pool by a deadline-aware policy
	// (policy.go): scenario key [pools.policy].
	Sizing *Policy
}

// Cluster is an Azure ML compute cluster's scaling.
type Cluster struct {
	Tier                       Kind // every node's kind
	MinInstances, MaxInstances int
	// IdleTimeBeforeScaleDown releases a node idle that long (Azure ML's
	// default: 120 s), down to MinInstances.
	IdleTimeBeforeScaleDown time.Duration
	// Resubmit submits a job cancelled by a whole-cluster preemption again
	// after ResubmitDelay; its finished mini-batches stay done.
	Resubmit      bool
	ResubmitDelay time.Duration
}

// Job is a batch job: Tasks independent tasks on one pool.
type Job struct {
	Name     string
	Pool     string
	Tasks    int
	Duration dist.Dist
	Submit   time.Duration
	Priority int
	// Deadline, when positive, is when the job should be done, measured
	// from its submission (deadline.go).
	Deadline time.Duration
	// MaxTaskRetries is how many times a failed or timed-out task is tried
	// again (Azure's maxTaskRetryCount; -1 = without limit). A preemption
	// never uses one up.
	MaxTaskRetries int
	// MaxWallClock bounds one run of a task (0 = none): a run still going
	// then is stopped and counts as a failed attempt.
	MaxWallClock time.Duration
	// FailureProbability is the chance that an attempt fails at its end.
	FailureProbability float64
	// Checkpoint keeps progress across preemptions (nil: none).
	Checkpoint *Checkpoint
	// NodesPerTask > 1 makes every task a gang (multi-instance, MPI-style)
	// needing that many nodes at once.
	NodesPerTask int
	// DedicatedOnly keeps the job's tasks off low-priority nodes.
	DedicatedOnly bool
	// Manager is the job manager task (nil: none). It runs first.
	Manager *Manager
	// MiniBatch makes the job an Azure ML batch deployment: Tasks is then
	// the number of mini-batches, and a mini-batch's length is the sum of
	// its inputs' times (set by NewMiniBatchJob).
	MiniBatch *MiniBatch
}

// MiniBatch is an Azure ML batch deployment's settings.
type MiniBatch struct {
	Inputs        int
	Size          int       // mini_batch_size: inputs per mini-batch
	PerInput      dist.Dist // time to score one input
	InstanceCount int       // resources.instance_count: nodes the job may use (0 = no limit)
	// Concurrency is max_concurrency_per_instance (Azure's default: 1),
	// which must equal the pool's task slots per node.
	Concurrency int
	// ErrorThreshold is how many failed inputs abort the job (-1: never).
	ErrorThreshold int
	OutputAction   string // "append_row" or "summary_only" (bookkeeping only)
}

// NewMiniBatchJob fills in a job for a batch deployment: one task per
// mini-batch, retried max_retries times, each run timed out after timeout.
func NewMiniBatchJob(j Job, mb MiniBatch, maxRetries int, timeout time.Duration) Job {
	j.MiniBatch = &mb
	if mb.Size > 0 { // else Validate says so
		j.Tasks = (mb.Inputs + mb.Size - 1) / mb.Size
	}
	j.MaxTaskRetries, j.MaxWallClock = maxRetries, timeout
	return j
}

// instanceCount is how many nodes the job may use on a cluster (0: any).
func (j *Job) instanceCount() int {
	if j.MiniBatch != nil {
		return j.MiniBatch.InstanceCount
	}
	return 0
}

// Checkpoint is a task's checkpointing: every Interval of work it writes a
// checkpoint taking Cost; a run after an interruption first restores the
// last one, taking Restore. Checkpoints go to durable storage, so they
// survive the node. With OnNotice, a last checkpoint is written during an
// eviction notice if Cost fits in it.
type Checkpoint struct {
	Interval, Cost, Restore time.Duration
	OnNotice                bool
}

// Manager is a job's job manager task.
type Manager struct {
	Duration dist.Dist
	// AllowLowPriority lets it run on a low-priority node (Azure's
	// allowLowPriorityNode); false keeps it on dedicated nodes.
	AllowLowPriority bool
}

// Baseline returns the dedicated-only counterfactual: the same scenario with
// every low-priority node made dedicated. Node ids, and so the random
// streams of allocation and start delays and of task durations, are the same
// (common random numbers). An autoscaling pool keeps its formula, and every
// node an evaluation asks for is made dedicated: the targets become
// (dedicated + low-priority, 0).
//
// Quotas cap the baseline by the same rule as the scenario: a pool with
// fixed targets gets, as dedicated nodes, exactly the nodes the scenario
// ran (each kind's target capped by that kind's quota, if the scenario set
// it: QuotaFits), so both sides compare the same pool. The baseline's
// dedicated quota is the dedicated plus the low-priority quota (no limit if
// either is): it never caps a fixed pool further, and caps a dynamic one
// (autoscale, cluster, policy) at the cores both quotas allow together.
func (s *Scenario) Baseline() *Scenario {
	b := *s
	b.Name = s.Name + " (dedicated-only baseline)"
	b.Pools = make([]Pool, len(s.Pools))
	ran := s.ranAs()
	for i, p := range s.Pools {
		if p.fixedTargets() {
			// the pool the scenario ran (quotas applied), all dedicated
			p.TargetDedicatedNodes = ran[i][Dedicated] + ran[i][LowPriority]
		} else {
			p.TargetDedicatedNodes += p.TargetLowPriorityNodes
		}
		p.TargetLowPriorityNodes = 0
		if p.Autoscale != nil {
			a := *p.Autoscale
			a.AllDedicated = true
			p.Autoscale = &a
		}
		if p.Cluster != nil {
			c := *p.Cluster
			c.Tier = Dedicated
			p.Cluster = &c
		}
		if len(p.Resizes) > 0 { // the same schedule, every node dedicated
			rs := make([]Resize, len(p.Resizes))
			for i, rz := range p.Resizes {
				rz.TargetDedicatedNodes += rz.TargetLowPriorityNodes
				rz.TargetLowPriorityNodes = 0
				rs[i] = rz
			}
			p.Resizes = rs
		}
		if p.PriorityMix != nil { // the same scale actions, every instance regular
			p.PriorityMix = &PriorityMix{BaseRegular: Limits.Nodes, Percent: 100}
		}
		if p.Sizing != nil {
			pol := *p.Sizing
			pol.Kind = DedicatedOnlyPolicy
			p.Sizing = &pol
		}
		b.Pools[i] = p
	}
	if s.Quotas.DedicatedCores > 0 {
		b.Quotas.DedicatedCores += s.Quotas.LowPriorityCores
		if s.Quotas.LowPriorityCores == 0 {
			b.Quotas.DedicatedCores = 0
		}
	}
	b.Quotas.LowPriorityCores = 0
	return &b
}

// Clone returns a deep copy of the parts a sweep or override may change.
func (s *Scenario) Clone() *Scenario {
	c := *s
	c.Pools = append([]Pool(nil), s.Pools...)
	c.Jobs = append([]Job(nil), s.Jobs...)
	return &c
}
