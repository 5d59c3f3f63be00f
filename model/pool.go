package model

import (
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

// poolRun is a pool during one replication.
type poolRun struct {
	r        *run
	idx      int
	cfg      *Pool
	nodes    []*node
	jobs     []*jobRun // submitted jobs, by priority (high first), then definition order
	jobsLeft int
	released bool

	// targets in force (from the scenario, or the last autoscale evaluation)
	targetDedicated, targetLowPriority int
	scaler                             *scaler     // nil unless the pool autoscales
	resizeSpan                         [][2]int    // nodes each timed resize added, by index in p.nodes
	cluster                            *clusterRun // nil unless the pool is an Azure ML cluster
	policy                             *policyRun  // nil unless the pool has a policy

	runningTasks      int // tasks running on the pool's nodes
	succeeded, failed int // tasks ended since the last metrics sample

	// free[kind][k] lists the usable nodes of a kind with exactly k free
	// slots, in the order they got there.
	free      [2][]nodeList
	freeSlots [2]int // free slots of the listed nodes, by kind
	seq       uint64 // listing order across kinds
	picks     uint32 // gang picks so far (pickNodes), wrapping to 1 (pickNodes clears the marks)

	dispatching bool     // dispatch is on the stack (it is not reentrant)
	one         [1]*node // pickNodes' result for one node, without allocating

	stAlloc, stStart, stLife, stReplace, stRestart, stFail, stRetry sim.Stream
	// the pool's delay distributions, prepared for repeated draws
	sAlloc, sStart, sReplace, sRestart, sRetry dist.Sampler
	sLife                                      dist.Sampler // when cfg.Lifetime is set
	coresPerSlot                               float64

	billed    [2]time.Duration // billed node time
	cost      [2]float64       // $ by kind
	diskCost  float64          // $ for deallocated disks
	market    market
	stateTime [2][NumStates]time.Duration
	count     [2][NumStates]int
}

type nodeList struct{ head, tail *node }

func newPoolRun(r *run, idx int, cfg *Pool) *poolRun {
	p := &poolRun{
		r: r, idx: idx, cfg: cfg,
		free:         [2][]nodeList{make([]nodeList, cfg.TaskSlotsPerNode+1), make([]nodeList, cfg.TaskSlotsPerNode+1)},
		stAlloc:      sim.StreamOf("alloc/" + cfg.Name),
		stStart:      sim.StreamOf("start/" + cfg.Name),
		stLife:       sim.StreamOf("lifetime/" + cfg.Name),
		stReplace:    sim.StreamOf("replace/" + cfg.Name),
		stRestart:    sim.StreamOf("restart/" + cfg.Name),
		stFail:       sim.StreamOf("alloc-fail/" + cfg.Name),
		stRetry:      sim.StreamOf("alloc-retry/" + cfg.Name),
		coresPerSlot: float64(cfg.Size.Cores) / float64(cfg.TaskSlotsPerNode),
		sAlloc:       cfg.AllocationDelay.Sampler(),
		sStart:       cfg.StartDelay.Sampler(),
		sReplace:     cfg.ReplacementDelay.Sampler(),
		sRestart:     cfg.RestartDelay.Sampler(),
		sRetry:       cfg.Capacity.RetryDelay.Sampler(),
	}
	if cfg.Lifetime != nil {
		p.sLife = cfg.Lifetime.Sampler()
	}
	return p
}

// resize sets the pool's targets and adds or removes nodes to meet them,
// dedicated ones first (so that node ids line up between a scenario and its
// baseline). Growth is capped by the scenario's core quotas. Removed
// running nodes follow opt, Azure's $NodeDeallocationOption ("" = requeue).
func (p *poolRun) resize(dedicated, lowPriority int, opt string) {
	p.targetDedicated, p.targetLowPriority = dedicated, lowPriority
	for k, target := range [2]int{dedicated, lowPriority} {
		kind := Kind(k)
		cur := p.current(kind)
		switch {
		case target > cur:
			add := target - cur
			if room := p.r.quotaRoom(kind, p.cfg.Size.Cores); add > room {
				add = room
				p.r.res.QuotaCapped++
			}
			add = min(add, Limits.Nodes-p.r.liveNodes()) // bounded memory, whatever the quotas
			for i := 0; i < add; i++ {
				p.addNode(kind)
			}
		case target < cur:
			p.shrink(kind, cur-target, opt)
		}
	}
	p.dispatch()
}

// allocated counts the nodes of a kind that hold a VM now.
func (p *poolRun) allocated(k Kind) int {
	c := &p.count[k]
	return c[Creating] + c[Starting] + c[Idle] + c[Running] + c[Leaving]
}

// current counts the nodes of a kind that a resize sees: every node in the
// pool but those already leaving it (low-priority ones include the
// preempted, as Azure's $CurrentLowPriorityNodes does).
func (p *poolRun) current(k Kind) int {
	c := &p.count[k]
	return c[Creating] + c[Starting] + c[Idle] + c[Running] + c[Preempted]
}

// removalOrder is the order in which a shrink picks nodes: those doing no
// work first, running ones last; within a state, the newest node first.
var removalOrder = [...]State{Preempted, Creating, Starting, Idle, Running}

func (p *poolRun) shrink(k Kind, n int, opt string) {
	for _, st := range removalOrder {
		// no node of the kind left in st: nothing more to find in it
		for i := len(p.nodes) - 1; i >= 0 && n > 0 && p.count[k][st] > 0; i-- {
			if nd := p.nodes[i]; nd.kind == k && nd.state == st {
				n--
				if p.remove(nd, opt) {
					return // the run is over
				}
			}
		}
	}
}

// remove takes n out of the pool. It reports whether that ended the run
// (terminated tasks can complete the last job).
func (p *poolRun) remove(n *node, opt string) bool {
	switch n.state {
	case Preempted, Creating, Starting, Idle:
		p.end(n, Released, EndRemoved)
		return false
	case Running:
	default:
		return false
	}
	switch opt {
	case "taskcompletion", "retaineddata":
		// No task-retained data is modelled: both wait for running tasks.
		p.unlist(n)
		p.setState(n, Leaving)
		return false
	case "terminate":
		for _, t := range p.end(n, Released, EndRemoved) {
			if p.r.jobs[t.job].finishOne(false) {
				return true
			}
		}
		return false
	default: // requeue
		p.requeue(p.end(n, Released, EndRemoved), 0)
		return false
	}
}

func (p *poolRun) addNode(k Kind) {
	n := p.r.nodes.add()
	n.id, n.pool, n.kind, n.state, n.since = int32(len(p.nodes)), p, k, Released, p.r.eng.Now()
	if k := p.cfg.TaskSlotsPerNode; k == 1 {
		n.slots = n.one[:]
	} else {
		n.slots = make([]slot, k)
	}
	for i := range n.slots {
		n.slots[i].job = -1
	}
	p.count[k][Released]++
	p.nodes = append(p.nodes, n)
	p.request(n)
}

// request asks for an incarnation of n: at once for a dedicated node; for a
// low-priority one, when the market has capacity and the request does not
// fail. Meanwhile the node is listed as preempted (waiting for capacity).
func (p *poolRun) request(n *node) {
	if n.abandoned {
		return
	}
	if n.kind == Dedicated {
		p.incarnate(n)
		return
	}
	r := p.r
	if p.market.blocked() {
		p.markWaiting(n)
		if !n.waiting {
			n.waiting = true
			p.market.waiting = append(p.market.waiting, n)
		}
		return
	}
	if f := p.cfg.Capacity.AllocationFailure; f > 0 {
		n.tries++
		if r.streams.Uniform(p.stFail, uint64(n.id), uint64(n.tries)) < f {
			p.markWaiting(n)
			delay := r.draw(&p.sRetry, p.stRetry, uint64(n.id), uint64(n.tries))
			n.ev = r.eng.After(delay, r, encode(evReplace, 0, n.gidx))
			return
		}
	}
	p.incarnate(n)
}

func (p *poolRun) markWaiting(n *node) {
	if n.state != Preempted {
		p.setState(n, Preempted)
	}
}

// incarnate allocates a new incarnation of n: it enters creating, and a
// low-priority incarnation draws its time to preemption, measured from now.
func (p *poolRun) incarnate(n *node) {
	r := p.r
	n.inc++
	n.alloc = r.eng.Now()
	n.billing, n.billFrom = p.cfg.BillsBoot(r.sc.Billing), n.alloc
	r.eng.Cancel(n.restoreEv) // restored in time (Try & Restore)
	n.restoreEv = 0
	id, inc := uint64(n.id), uint64(n.inc)
	if n.deallocated { // the same VM starts again: no new allocation
		p.payDisk(n)
		p.setState(n, Starting)
		n.ev = r.eng.After(r.draw(&p.sRestart, p.stRestart, id, inc), r, encode(evStarted, 0, n.gidx))
	} else {
		p.setState(n, Creating)
		n.ev = r.eng.After(r.draw(&p.sAlloc, p.stAlloc, id, inc), r, encode(evAllocated, 0, n.gidx))
	}
	life := time.Duration(-1)
	if n.kind == LowPriority && p.cfg.Lifetime != nil {
		life = p.sLife.Quantile(r.streams.Uniform(p.stLife, id, inc))
		// The event carries the incarnation (mod 2^slotBits) and Handle
		// checks it with the due time: a lifetime event can only end its
		// own incarnation.
		n.evict = r.eng.After(life, r, encode(evPreempt, int(n.inc&(1<<slotBits-1)), n.gidx))
		n.lifeEnd = n.alloc + life
		if n.lifeEnd < n.alloc { // saturated, as After does
			n.lifeEnd = sim.Never
		}
	}
	if r.incObs != nil {
		r.incObs.Incarnated(p.idx, int(n.id), int(n.inc), n.alloc, life)
	}
}

// setState moves n to state s, keeping the per-state tallies.
func (p *poolRun) setState(n *node, s State) {
	now := p.r.eng.Now()
	k, from := n.kind, n.state
	p.stateTime[k][from] += now - n.since
	c := &p.count[k]
	c[from]--
	c[s]++
	if p.r.obs != nil {
		p.r.obs.NodeState(now, p.idx, k, from, s)
	}
	n.state = s
	n.since = now
	if s == Idle && p.cluster != nil {
		p.cluster.idle(n)
	}
}

// bill charges the current incarnation of n from the start of its billing
// to now: at least the billing minimum, rounded up to the granularity, at
// the dedicated price or the spot price of the time.
func (p *poolRun) bill(n *node) {
	if !n.billing {
		return
	}
	n.billing = false
	b := &p.r.sc.Billing
	d := max(p.r.eng.Now()-n.billFrom, b.Minimum)
	if rem := d % b.Granularity; rem != 0 {
		d += b.Granularity - rem
	}
	p.billed[n.kind] += d
	cost := d.Hours() * p.cfg.Size.DedicatedPrice
	if n.kind == LowPriority {
		cost = p.market.price().Integrate(n.billFrom, n.billFrom+d)
	}
	p.cost[n.kind] += cost
	if p.r.billObs != nil {
		p.r.billObs.Billed(p.idx, n.kind, n.billFrom, n.billFrom+d, cost)
	}
}

// payDisk charges the disk of a deallocated node up to now.
func (p *poolRun) payDisk(n *node) {
	if !n.deallocated {
		return
	}
	now := p.r.eng.Now()
	cost := (now - n.deallocSince).Hours() * p.cfg.DiskPrice
	p.diskCost += cost
	n.deallocated = false
	if p.r.billObs != nil {
		p.r.billObs.Billed(p.idx, n.kind, n.deallocSince, now, cost)
	}
}

// EndCause says why an incarnation of a node ended.
type EndCause uint8

const (
	EndLifetime EndCause = iota // its drawn lifetime ran out
	EndCapacity                 // a capacity crunch or a row of an eviction trace
	EndSpell                    // an unavailable spell of the pool's availability
	EndPrice                    // the spot price rose above max_price
	EndRemoved                  // a resize or a cluster's scale-down took the node out
	EndLeft                     // a leavingpool node finished its last task
	EndReleased                 // the pool's work is done, or the run stopped
)

var endCauseNames = [...]string{"lifetime", "capacity", "spell", "price", "removed", "left", "released"}

func (c EndCause) String() string {
	if int(c) < len(endCauseNames) {
		return endCauseNames[c]
	}
	return "unknown"
}

// end is the one way out of a node's current state towards preempted or
// released, whatever the cause. It cancels every pending event of n (the
// state's own and the incarnation's lifetime), stops the runs on n and
// returns them for the caller to requeue, fail or drop, takes n out of the
// free lists, bills the incarnation if it holds a VM (or pays a deallocated
// disk when it does not) and moves n to state to. It makes no replacement
// and does not dispatch.
func (p *poolRun) end(n *node, to State, cause EndCause) []killed {
	r := p.r
	r.eng.Cancel(n.ev)
	r.eng.Cancel(n.evict)
	r.eng.Cancel(n.restoreEv)
	n.ev, n.evict, n.restoreEv = 0, 0, 0
	var ks []killed
	if n.busy > 0 {
		ks = p.killTasks(n)
	}
	p.unlist(n)
	if n.allocated() {
		p.bill(n)
		if r.incObs != nil {
			r.incObs.Ended(p.idx, int(n.id), int(n.inc), r.eng.Now(), cause)
		}
	} else {
		p.payDisk(n)
	}
	p.setState(n, to)
	return ks
}

// preempt evicts the current incarnation of n: its running tasks go back to
// the head of their job's queue (not a retry), billing stops, and a
// replacement under the same id is requested after the replacement delay
// (unless the node was leaving the pool anyway).
func (p *poolRun) preempt(n *node, cause EndCause) {
	if !n.allocated() {
		return
	}
	r := p.r
	to := Preempted
	if n.state == Leaving {
		to = Released
	}
	p.requeue(p.end(n, to, cause), p.cfg.Notice)
	r.res.Preemptions++
	if r.opt.KeepSeries {
		if cause == EndPrice {
			p.market.priceEvictions = append(p.market.priceEvictions, r.eng.Now())
		} else {
			p.market.evictions = append(p.market.evictions, r.eng.Now())
		}
	}
	if p.cfg.Notice > 0 {
		r.res.Notices++
	}
	if to == Released {
		p.dispatch()
		return
	}
	if p.cfg.Eviction() == Deallocate {
		n.deallocated, n.deallocSince = true, r.eng.Now()
	}
	if !p.cfg.Replaces() { // a scale set without Try & Restore
		p.abandon(n)
		p.dispatch()
		return
	}
	if p.cfg.RestoreTimeout > 0 {
		n.restoreEv = r.eng.After(p.cfg.RestoreTimeout, r, encode(evRestoreEnd, 0, n.gidx))
	}
	if p.cluster != nil {
		defer p.cluster.afterPreemption()
	}
	delay := r.draw(&p.sReplace, p.stReplace, uint64(n.id), uint64(n.inc))
	n.ev = r.eng.After(delay, r, encode(evReplace, 0, n.gidx))
	p.dispatch()
}

// release takes every node out of the pool, billing what is still allocated.
func (p *poolRun) release() {
	if p.released {
		return
	}
	p.released = true
	if p.scaler != nil {
		p.scaler.stop()
	}
	p.market.stop()
	for _, n := range p.nodes {
		if n.state != Released {
			p.end(n, Released, EndReleased)
		}
	}
}

// abandon gives up an evicted scale-set instance: one without Try & Restore
// at its eviction, or one Try & Restore did not restore within its
// timeout. Deleted, it leaves the pool (and frees its quota); deallocated,
// it stays in the pool as a stopped VM, counting toward the instance count
// and the quota and paying for its disk, until the pool is released.
func (p *poolRun) abandon(n *node) {
	n.abandoned = true
	p.r.eng.Cancel(n.ev) // a pending replacement or allocation retry
	n.ev = 0
	if !n.deallocated {
		p.end(n, Released, EndRemoved)
	}
}
