package model

// An Azure ML compute cluster is a pool of one tier that scales itself: up
// to the work queued, within its instance limits, and down by releasing
// nodes idle for idle_time_before_scale_down. When all of its nodes are
// preempted at once (or a single-node cluster loses its node), the jobs on
// it are cancelled; with resubmit they are submitted again after a delay,
// and only their unfinished mini-batches run again.

// clusterRun is a cluster's scaling state in one replication.
type clusterRun struct {
	p   *poolRun
	cfg *Cluster
}

// kind is the tier the cluster's nodes are of in this run (the baseline
// makes a low-priority cluster dedicated).
func (c *clusterRun) kind() Kind { return c.cfg.Tier }

// needed is how many nodes the queued and running work asks for.
func (c *clusterRun) needed() int {
	p := c.p
	slots := p.cfg.TaskSlotsPerNode
	n := 0
	for _, j := range p.jobs {
		w := (j.queued() + j.running + slots - 1) / slots
		if ic := j.cfg.instanceCount(); ic > 0 && w > ic {
			w = ic
		}
		n += w
	}
	return n
}

// scale grows the cluster to what the work needs (within its limits) and
// drops nodes not yet doing anything that it no longer needs.
func (c *clusterRun) scale() {
	p := c.p
	k := c.kind()
	target := min(max(c.needed(), c.cfg.MinInstances), c.cfg.MaxInstances)
	cur := p.current(k)
	switch {
	case target > cur:
		d, l := 0, 0
		if k == Dedicated {
			d = target
		} else {
			l = target
		}
		p.resize(d, l, "")
	case target < cur:
		excess := cur - target
		for _, st := range [...]State{Preempted, Creating, Starting} {
			for i := len(p.nodes) - 1; i >= 0 && excess > 0; i-- {
				if n := p.nodes[i]; n.kind == k && n.state == st {
					p.remove(n, "")
					excess--
				}
			}
		}
	}
}

// idle starts the idle timer of n.
func (c *clusterRun) idle(n *node) {
	r := c.p.r
	r.eng.After(c.cfg.IdleTimeBeforeScaleDown, r, encode(evIdleCheck, 0, n.gidx))
}

// idleCheck releases n if it has been idle for the whole idle time and the
// cluster is above its minimum.
func (c *clusterRun) idleCheck(n *node) {
	p := c.p
	now := p.r.eng.Now()
	if n.state != Idle || now-n.since < c.cfg.IdleTimeBeforeScaleDown || p.current(n.kind) <= c.cfg.MinInstances {
		return
	}
	p.remove(n, "")
}

// afterPreemption cancels the cluster's jobs when none of its nodes is
// left allocated.
func (c *clusterRun) afterPreemption() {
	p := c.p
	if p.allocated(c.kind()) > 0 {
		return
	}
	r := p.r
	for _, j := range append([]*jobRun(nil), p.jobs...) {
		if j.done+j.failed == j.units {
			continue
		}
		r.res.Cancellations++
		j.unsubmit()
		if c.cfg.Resubmit {
			r.eng.After(c.cfg.ResubmitDelay, r, encode(evSubmit, 0, int32(j.idx)))
			continue
		}
		for j.queued() > 0 { // cancelled for good: what is left fails
			if j.manager {
				j.manager = false
			} else {
				j.pop()
			}
			if j.finishOne(false) {
				return
			}
		}
	}
	c.scale() // no work left: drop the preempted nodes now
}

// unsubmit takes the job out of its pool's queue (its tasks stay queued in
// it, to run again if it is submitted again).
func (j *jobRun) unsubmit() {
	p := j.pool
	for i, o := range p.jobs {
		if o == j {
			p.jobs = append(p.jobs[:i], p.jobs[i+1:]...)
			return
		}
	}
}
