package model

import (
	"fmt"
	"sync"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

// Event kinds, carried in the low bits of an event's argument.
const (
	evAllocated  = iota // creating -> starting
	evStarted           // starting -> idle
	evTaskDone          // a task finished on a slot
	evPreempt           // a low-priority incarnation is evicted
	evReplace           // a preempted node is allocated again
	evSubmit            // a job's tasks enter its pool's queue
	evHorizon           // the run is stopped unfinished
	evSample            // a pool's autoscale metrics are sampled
	evEvaluate          // a pool's autoscale formula is evaluated
	evCapacity          // a spot-market event of a pool (sub-kind in the slot bits)
	evIdleCheck         // a cluster node may have been idle long enough
	evPolicy            // a pool's policy decides (policyrun.go)
	evRestoreEnd        // Try & Restore gives an evicted scale-set instance up
	evResize            // a timed resize (slot 2i) or its timeout (2i+1)
	evKinds
)

const (
	kindBits = 4
	slotBits = 9 // Limits.SlotsPerNode <= 1<<slotBits
)

func encode(kind, slot int, idx int32) int64 {
	return int64(idx)<<(kindBits+slotBits) | int64(slot)<<kindBits | int64(kind)
}

func decode(arg int64) (kind, slot int, idx int32) {
	return int(arg & (1<<kindBits - 1)), int(arg>>kindBits) & (1<<slotBits - 1), int32(arg >> (kindBits + slotBits))
}

// Observer is told of node state changes as they happen. It is optional; a
// nil Observer costs one comparison per change.
type Observer interface {
	NodeState(now time.Duration, pool int, kind Kind, from, to State)
}

// BillObserver, when the Options' Observer also implements it, is told of
// every charge as it is made: cost USD for the node time [from, to) of a
// node of pool (an allocation's billed time, rounded as billed, or a
// deallocated disk's time).
type BillObserver interface {
	Billed(pool int, kind Kind, from, to time.Duration, cost float64)
}

// BillOnlyObserver is a BillObserver that wants the charges alone: when
// the Options' Observer implements it, Run does not call its NodeState,
// which would cost a call at every state change of every node.
type BillOnlyObserver interface {
	BillObserver
	OnlyBills()
}

// IncarnationObserver, when the Options' Observer also implements it, is
// told of every incarnation of every node: when it is allocated, with the
// lifetime drawn for it (-1 when it has none: a dedicated node, or a pool
// without a lifetime model), and when it ends, with the cause. Node is the
// node's id within its pool, inc its incarnation (from 1).
type IncarnationObserver interface {
	Incarnated(pool, node, inc int, at, life time.Duration)
	Ended(pool, node, inc int, at time.Duration, cause EndCause)
}

// LossObserver, when the Options' Observer also implements it, is told of
// every task run a preemption or a node's removal throws back to the queue:
// lost is the run's unsaved time (it ran during [now − lost, now]), nodes
// the nodes it held (slots/slots per node, times its gang's nodes), and
// coreHours the work lost (what Result.WorkLostCoreHours sums).
type LossObserver interface {
	WorkLost(now time.Duration, pool int, lost time.Duration, nodes, coreHours float64)
}

// Options tune one replication.
type Options struct {
	Observer Observer
	// KeepSeries keeps every autoscale evaluation in Result.Autoscale.Series
	// (memory grows with the run's length, so only ask for it when needed).
	KeepSeries bool
	// Shared, when set, shares the first-attempt task durations with the
	// other runs of the replication given the same one (SharedDraws).
	Shared *SharedDraws
	// Validated says the scenario has passed Validate and has not changed
	// since, so Run need not check it again: a runner validates a scenario
	// once for all its replications. Running an invalid scenario so may
	// panic.
	Validated bool
}

// run is the state of one replication.
type run struct {
	sc       *Scenario
	eng      *sim.Engine
	streams  sim.Streams
	pools    []*poolRun
	jobs     []*jobRun
	nodes    nodeArena
	jobsLeft int
	obs      Observer
	billObs  BillObserver
	incObs   IncarnationObserver
	lossObs  LossObserver
	opt      Options
	res      Result
	finished bool
	preload  int32 // what Preload read, so that its reads are not optimised away
}

// Run simulates replication rep of the scenario and returns its result.
func Run(sc *Scenario, rep int, opt Options) (Result, error) {
	if !opt.Validated {
		if err := sc.Validate(); err != nil {
			return Result{}, err
		}
	}
	r := &run{
		sc:      sc,
		eng:     engines.Get().(*sim.Engine),
		streams: sim.NewStreams(sim.ReplicationSeed(sc.Seed, rep)),
		obs:     opt.Observer,
		opt:     opt,
	}
	r.billObs, _ = opt.Observer.(BillObserver)
	if _, ok := opt.Observer.(BillOnlyObserver); ok {
		r.obs = nil
	}
	r.incObs, _ = opt.Observer.(IncarnationObserver)
	r.lossObs, _ = opt.Observer.(LossObserver)
	r.res.Replication = rep
	byName := map[string]*poolRun{}
	for i := range sc.Pools {
		p := newPoolRun(r, i, &sc.Pools[i])
		r.pools = append(r.pools, p)
		byName[p.cfg.Name] = p
	}
	for i := range sc.Jobs {
		j := newJobRun(r, i, &sc.Jobs[i], byName[sc.Jobs[i].Pool])
		r.jobs = append(r.jobs, j)
		r.res.TasksTotal += j.units
	}
	r.jobsLeft = len(r.jobs)
	for _, p := range r.pools {
		if p.jobsLeft == 0 {
			return Result{}, fmt.Errorf("pool %q has no jobs", p.cfg.Name)
		}
		p.startMarket()
		switch {
		case p.cfg.Cluster != nil:
			p.cluster = &clusterRun{p: p, cfg: p.cfg.Cluster}
			p.cluster.scale()
		case p.cfg.Autoscale != nil:
			p.scaler = newScaler(p)
		case p.cfg.Sizing != nil:
			p.policy = newPolicyRun(p)
			p.policy.decide()
		default:
			d, l := p.cfg.initialTargets()
			p.resize(d, l, "")
			p.scheduleResizes()
		}
	}
	for _, j := range r.jobs {
		r.eng.At(j.cfg.Submit, r, encode(evSubmit, 0, int32(j.idx)))
	}
	r.eng.At(sc.Horizon, r, encode(evHorizon, 0, 0))
	r.eng.Run()
	r.finish()
	r.nodes.release()
	r.eng.Reset()
	engines.Put(r.eng)
	return r.res, nil
}

// engines recycles engines from one run to the next: a run's queue grows
// to its pending events, and a worker running replication after
// replication then allocates it once (sim.Engine.Reset).
var engines = sync.Pool{New: func() any { return sim.New() }}

// Preload reads the node a task's end is on, which Handle is going to
// read: the engine calls it for several events at once, so that in a large
// pool their nodes' cache misses overlap (sim.Preloader).
func (r *run) Preload(arg int64) {
	if kind, s, idx := decode(arg); kind == evTaskDone {
		n := r.nodes.at(idx)
		r.preload += int32(n.busy) + n.slots[s].task
	}
}

// Handle dispatches the run's events.
func (r *run) Handle(now sim.Time, arg int64) {
	kind, s, idx := decode(arg)
	switch kind {
	case evAllocated:
		n := r.nodes.at(idx)
		n.ev = 0
		n.pool.setState(n, Starting)
		n.ev = r.eng.After(r.draw(&n.pool.sStart, n.pool.stStart, uint64(n.id), uint64(n.inc)), r, encode(evStarted, 0, n.gidx))
	case evStarted:
		n := r.nodes.at(idx)
		n.ev = 0
		if !n.pool.cfg.BillsBoot(r.sc.Billing) {
			n.billing, n.billFrom = true, now
		}
		n.pool.setState(n, Idle)
		n.pool.list(n)
		n.pool.dispatch()
	case evTaskDone:
		r.taskEnd(r.nodes.at(idx), s)
	case evPreempt:
		n := r.nodes.at(idx)
		if uint32(s) != n.inc&(1<<slotBits-1) || now != n.lifeEnd {
			return // another incarnation's: cannot happen, as end cancels it
		}
		n.evict = 0
		n.pool.preempt(n, EndLifetime)
	case evReplace:
		n := r.nodes.at(idx)
		n.ev = 0
		n.pool.request(n)
	case evSubmit:
		r.jobs[idx].submit()
	case evHorizon:
		r.eng.Stop()
	case evIdleCheck:
		n := r.nodes.at(idx)
		if n.pool.cluster != nil && !n.pool.released {
			n.pool.cluster.idleCheck(n)
		}
	case evCapacity:
		r.pools[idx].market.handle(s)
	case evSample:
		r.pools[idx].scaler.sample()
	case evEvaluate:
		r.pools[idx].scaler.evaluate()
	case evResize:
		r.pools[idx].timedResize(s/2, s%2 == 1)
	case evRestoreEnd:
		n := r.nodes.at(idx)
		n.restoreEv = 0
		if n.state == Preempted {
			n.pool.abandon(n)
		}
	case evPolicy:
		r.pools[idx].policy.decide()
	}
}

// draw samples s with the uniform keyed (st, i, j). A fixed duration needs
// no uniform, and skipping it shifts nothing: draws are counter-based.
func (r *run) draw(s *dist.Sampler, st sim.Stream, i, j uint64) sim.Time {
	if v, ok := s.Fixed(); ok {
		return v
	}
	return s.Quantile(r.streams.Uniform(st, i, j))
}

// liveNodes counts the nodes of every pool that are not released.
func (r *run) liveNodes() int {
	n := 0
	for _, p := range r.pools {
		n += len(p.nodes) - p.count[Dedicated][Released] - p.count[LowPriority][Released]
	}
	return n
}

// quotaRoom returns how many more nodes of a kind, of the given cores each,
// the core quota allows.
func (r *run) quotaRoom(k Kind, cores int) int {
	q := r.sc.Quotas.DedicatedCores
	if k == LowPriority {
		q = r.sc.Quotas.LowPriorityCores
	}
	if q == 0 {
		return Limits.Nodes
	}
	used := 0
	for _, p := range r.pools {
		c := &p.count[k]
		used += (c[Creating] + c[Starting] + c[Idle] + c[Running] + c[Preempted] + c[Leaving]) * p.cfg.Size.Cores
	}
	return max(0, (q-used)/cores)
}

// finish closes the books at the current time.
func (r *run) finish() {
	now := r.eng.Now()
	for _, p := range r.pools {
		p.release()
	}
	res := &r.res
	res.Finished = r.finished
	res.Completion = now
	if !r.finished {
		res.Completion = r.sc.Horizon
	}
	for _, p := range r.pools {
		res.CostDedicated += p.cost[Dedicated]
		res.CostLowPriority += p.cost[LowPriority]
		res.CostDisk += p.diskCost
		for k := range p.stateTime {
			for s := range p.stateTime[k] {
				res.NodeHours[k][s] += float64(p.stateTime[k][s]) / float64(time.Hour)
			}
		}
		for k := range p.stateTime {
			// Every slot of a node that runs tasks or may take one: idle,
			// running and leavingpool (still finishing its tasks). Tasks
			// only run on such nodes, so busy <= slotTime.
			st := &p.stateTime[k]
			res.slotTime += (st[Idle] + st[Running] + st[Leaving]).Hours() * float64(p.cfg.TaskSlotsPerNode)
		}
	}
	res.Cost = res.CostDedicated + res.CostLowPriority + res.CostDisk
	if res.slotTime > 0 {
		res.Utilisation = res.busy / res.slotTime
		if res.Utilisation > 1 && res.Utilisation < 1+1e-9 {
			// busy <= slotTime exactly; the two float sums, added in
			// different orders, can round a full 1 up by an ulp or so.
			res.Utilisation = 1
		}
	}
	used := make([]float64, len(r.pools)) // node-hours of each pool's jobs
	for _, j := range r.jobs {
		used[j.pool.idx] += j.nodeTime.Hours()
	}
	for _, j := range r.jobs {
		jr := JobResult{Name: j.cfg.Name, TasksDone: j.done, TasksFailed: j.failed, Finished: j.done+j.failed == j.units,
			NodeHours: j.nodeTime.Hours()}
		if jr.Finished {
			jr.Completion = j.completed
		}
		if p := j.pool; used[p.idx] > 0 {
			jr.CostShare = (p.cost[Dedicated] + p.cost[LowPriority] + p.diskCost) * jr.NodeHours / used[p.idx]
		}
		res.Jobs = append(res.Jobs, jr)
	}
	res.Events = r.eng.Fired()
	res.Draws = r.streams.Draws()
	if r.opt.KeepSeries {
		for _, p := range r.pools {
			res.Markets = append(res.Markets, p.market.series(res.Completion))
		}
	}
}
