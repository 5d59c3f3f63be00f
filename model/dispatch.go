package model

// Scheduling: which queued task runs next, and on which free slots.
//
// Usable nodes with free slots sit in FIFO lists by kind and by number of
// free slots (poolRun.free). spread takes a node with the most free slots,
// pack one with the fewest; among equals the one listed first. A pick is
// O(slots per node), never O(nodes).

// dispatch starts queued work on free slots until one or the other runs
// out. Jobs are served by priority; a job whose next task cannot be placed
// (it needs dedicated nodes, or k nodes at once) lets later jobs use the
// free slots: there is no reservation.
func (p *poolRun) dispatch() {
	if p.released || p.dispatching {
		return
	}
	p.dispatching = true
	if p.cluster != nil {
		p.cluster.scale()
	}
	for _, j := range p.jobs {
		if p.freeSlots == [2]int{} {
			break // no job can start anything
		}
		if j.manager { // the job manager goes first, but waiting for it blocks nothing else
			if nodes := p.pickNodes(1, j.cfg.Manager.AllowLowPriority); nodes != nil {
				j.manager = false
				t := int32(j.cfg.Tasks)
				p.start(nodes, j, t, j.state[t])
			}
		}
		k, allowLow := max(1, j.cfg.NodesPerTask), !j.cfg.DedicatedOnly
		for j.queuedTasks() > 0 {
			nodes := p.pickNodes(k, allowLow)
			if nodes == nil {
				break
			}
			t, st := j.take()
			p.start(nodes, j, t, st)
		}
	}
	p.dispatching = false
}

// relays reports whether a run ending on n frees the pool's only free slot:
// every slot of n is taken, no listed node has a free one, and a dispatch
// would do nothing but fill it (no cluster to scale, not released).
func (p *poolRun) relays(n *node) bool {
	return !relayOff && n.state == Running && int(n.busy) == len(n.slots) && p.freeSlots == [2]int{} &&
		p.cluster == nil && !p.released && !p.dispatching
}

// relayOff turns relay off (tests compare runs with and without it).
var relayOff bool

// relay hands slot s of n, the pool's only free slot (relays), whose run
// has ended and been accounted, to the task dispatch would start on it, or
// vacates it when there is none. Jobs in dispatch's order: a queued job
// manager that may run on n's kind, else the job's next task if it takes
// one node of n's kind (a gang cannot start on one free node); n leaves no
// list and, with one slot, passes through idle at once, as vacate then
// take would make it.
func (p *poolRun) relay(n *node, s int) {
	for _, j := range p.jobs {
		var t int32
		var st *taskState
		switch {
		case j.manager && (j.cfg.Manager.AllowLowPriority || n.kind == Dedicated):
			j.manager = false
			t = int32(j.cfg.Tasks)
			st = j.state[t]
		case j.queuedTasks() > 0 && j.cfg.NodesPerTask <= 1 && (!j.cfg.DedicatedOnly || n.kind == Dedicated):
			t, st = j.take()
		default:
			continue
		}
		if n.busy == 1 && p.r.obs != nil {
			// Through idle and back, for the observer. Unobserved, that
			// changes nothing: no cluster watches idle nodes (relays), and
			// the running state's time, an integer sum, is the same.
			p.setState(n, Idle)
			p.setState(n, Running)
		}
		r := p.r
		sl := &n.slots[s]
		length := j.begin(sl, t, st, false)
		sl.ev = r.eng.After(length, r, encode(evTaskDone, s, n.gidx))
		return
	}
	p.vacate(n, s)
	p.dispatch()
}

// pickNodes returns k distinct usable nodes with a free slot (of a
// dedicated kind unless allowLow), in pick order, or nil.
func (p *poolRun) pickNodes(k int, allowLow bool) []*node {
	if k == 1 {
		if n := p.pick(allowLow, 0); n != nil {
			p.one[0] = n
			return p.one[:]
		}
		return nil
	}
	p.picks++         // marks this pick's nodes (node.picked)
	if p.picks == 0 { // wrapped: a mark left by an old pick could equal a new one
		for _, n := range p.nodes {
			n.picked = 0
		}
		p.picks = 1
	}
	var out []*node
	for len(out) < k {
		n := p.pick(allowLow, p.picks)
		if n == nil {
			return nil
		}
		n.picked = p.picks
		out = append(out, n)
	}
	return out
}

// pick returns the next node by the pool's fill policy, skipping the nodes
// marked taken (node.picked; 0: none are).
func (p *poolRun) pick(allowLow bool, taken uint32) *node {
	kinds := 1
	if allowLow {
		kinds = 2
	}
	if p.freeSlots[0] == 0 && (kinds == 1 || p.freeSlots[1] == 0) {
		return nil
	}
	slots := len(p.free[0]) - 1
	for step := 0; step < slots; step++ {
		b := slots - step // spread: most free slots first
		if p.cfg.Scheduling == Pack {
			b = 1 + step
		}
		var best *node
		for k := 0; k < kinds; k++ {
			for n := p.free[k][b].head; n != nil; n = n.next {
				if taken != 0 && n.picked == taken {
					continue
				}
				if best == nil || n.listed < best.listed {
					best = n
				}
				break
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// list adds a usable node with free slots to its bucket's tail.
func (p *poolRun) list(n *node) {
	k := n.freeSlots()
	if !n.usable() || k == 0 || n.bucket != 0 {
		return
	}
	l := &p.free[n.kind][k]
	p.freeSlots[n.kind] += k
	p.seq++
	n.bucket, n.listed = int16(k), p.seq
	n.prev, n.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = n
	} else {
		l.head = n
	}
	l.tail = n
}

// unlist removes n from its bucket, if it is in one.
func (p *poolRun) unlist(n *node) {
	if n.bucket == 0 {
		return
	}
	l := &p.free[n.kind][n.bucket]
	p.freeSlots[n.kind] -= int(n.bucket)
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		l.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		l.tail = n.prev
	}
	n.prev, n.next, n.bucket = nil, nil, 0
}

// take occupies a free slot of n and returns its index.
func (p *poolRun) take(n *node) int {
	s := 0
	for n.slots[s].job >= 0 {
		s++
	}
	p.unlist(n)
	n.busy++
	p.runningTasks++
	if n.busy == 1 {
		p.setState(n, Running)
	}
	p.list(n)
	return s
}

// vacate releases slot s of n; a leaving node that has finished its tasks
// leaves the pool.
func (p *poolRun) vacate(n *node, s int) {
	n.slots[s] = slot{job: -1}
	p.unlist(n)
	n.busy--
	p.runningTasks--
	switch {
	case n.state == Leaving && n.busy == 0:
		p.end(n, Released, EndLeft)
	case n.state == Leaving:
	case n.busy == 0:
		p.setState(n, Idle)
		p.list(n)
	default:
		p.list(n)
	}
}
