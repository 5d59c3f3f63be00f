package model

import (
	"github.com/spotsim/spotsim/sim"
)

// A task run is one start of a task on its node(s). Its timeline is fixed
// at the start: a restore R if the task ran before and checkpoints, then
// cycles of τ of work and a checkpoint C, with no checkpoint after the last
// piece of work. So what an interruption saves and loses is computed from
// the time elapsed, without an event per checkpoint.

// timeline describes one run: restore, work left, cycle length.
type timeline struct {
	restore sim.Time // R at the start (0 if none)
	work    sim.Time // work left at the start
	tau, c  sim.Time // checkpoint interval and cost (tau 0: no checkpoints)
}

// checkpoints is how many checkpoints the run writes if uninterrupted.
func (tl timeline) checkpoints() int64 {
	if tl.tau <= 0 || tl.work <= 0 {
		return 0
	}
	return int64((tl.work+tl.tau-1)/tl.tau) - 1
}

// length is the run's duration if uninterrupted.
func (tl timeline) length() sim.Time {
	return tl.restore + tl.work + sim.Time(tl.checkpoints())*tl.c
}

// at returns, e after the start, the work saved by completed checkpoints,
// the work done since the last one, and the time spent writing checkpoints.
func (tl timeline) at(e sim.Time) (saved, unsaved, ckpt sim.Time) {
	e -= tl.restore
	if e <= 0 {
		return 0, 0, 0
	}
	if tl.tau <= 0 {
		return 0, min(e, tl.work), 0
	}
	k := tl.checkpoints()
	cycles := min(int64(e/(tl.tau+tl.c)), k)
	rem := e - sim.Time(cycles)*(tl.tau+tl.c)
	saved = sim.Time(cycles) * tl.tau
	ckpt = sim.Time(cycles) * tl.c
	piece := tl.tau
	if cycles == k {
		piece = tl.work - saved // the last piece has no checkpoint after it
	}
	unsaved = min(rem, piece)
	if rem > piece && cycles < k {
		ckpt += rem - piece // inside a checkpoint when stopped: wasted
	}
	return saved, unsaved, ckpt
}

// timeline of task t of job j starting now; st is its history (nil: none).
func (j *jobRun) timeline(t int32, st *taskState) timeline {
	tl := timeline{work: j.duration(t, st)}
	if cp := j.cfg.Checkpoint; cp != nil && t < int32(j.cfg.Tasks) {
		tl.tau, tl.c = cp.Interval, cp.Cost
		if st != nil {
			tl.work -= st.saved
			if st.runs > 0 {
				tl.restore = cp.Restore
			}
		}
	}
	return tl
}

// start runs task t of job j, whose history is st (nil: none), on nodes
// (one slot each): a gang when there are several, whose first node carries
// the end event.
func (p *poolRun) start(nodes []*node, j *jobRun, t int32, st *taskState) {
	r := p.r
	var sl slot
	length := j.begin(&sl, t, st, len(nodes) > 1)
	for i, n := range nodes {
		s := p.take(n)
		n.slots[s] = sl
		if i == 0 {
			n.slots[s].ev = r.eng.After(length, r, encode(evTaskDone, s, n.gidx))
		}
	}
	if sl.gang {
		j.gangs[t] = append(j.gangs[t][:0], nodes...)
	}
}

// begin counts a run of task t of job j (history st, nil: none) starting
// now, writes what each of its slots holds (the end event aside) to sl, and
// returns how long the run lasts until its end event.
func (j *jobRun) begin(sl *slot, t int32, st *taskState, gang bool) sim.Time {
	tl := j.timeline(t, st)
	length := tl.length()
	outcome := uint8(outcomeDone)
	if j.cfg.FailureProbability > 0 && j.fails(t, st) { // most jobs never fail: no call
		outcome = outcomeFail
	}
	if w := j.cfg.MaxWallClock; w > 0 && length > w {
		length, outcome = w, outcomeTimeout
	}
	j.running++
	*sl = slot{job: int32(j.idx), task: t, start: j.r.eng.Now(), work: tl.work, outcome: outcome, restore: tl.restore > 0, gang: gang, hist: st != nil}
	return length
}

// taskEnd handles the end event of the run on slot s of node n.
func (r *run) taskEnd(n *node, s int) {
	sl := n.slots[s]
	j, p := r.jobs[sl.job], n.pool
	tl := j.timelineOfRun(sl)
	elapsed := r.eng.Now() - sl.start
	_, _, ckpt := tl.at(elapsed)
	if sl.outcome == outcomeDone {
		ckpt = sim.Time(tl.checkpoints()) * tl.c
	}
	if ckpt != 0 { // adding 0 to the sum, never -0, would leave it as it is
		r.res.CheckpointHours += ckpt.Hours()
	}
	if tl.restore > 0 {
		r.res.RestoreHours += min(tl.restore, elapsed).Hours()
	}
	// A successful run that does not end its job, on a node whose slots
	// are all taken in a pool with no free slot: the slot it frees is the
	// only one, and relay hands it on as vacate and dispatch would.
	relay := sl.outcome == outcomeDone && !sl.gang && j.done+j.failed+1 < j.units && p.relays(n)
	if relay {
		j.running--
		p.spent(j, n, elapsed)
	} else {
		p.stopRun(j, &sl, n, s, elapsed, nil)
	}
	var over bool
	switch sl.outcome {
	case outcomeDone:
		if sl.hist { // a run that began without history gained none
			delete(j.state, sl.task)
		}
		over = j.finishOne(true)
	default:
		if sl.outcome == outcomeTimeout {
			r.res.Timeouts++
		}
		over = j.retry(sl.task, tl, elapsed)
	}
	switch {
	case relay:
		p.relay(n, s)
	case !over:
		p.dispatch()
	}
}

// timelineOfRun returns the timeline a running slot started with.
func (j *jobRun) timelineOfRun(sl slot) timeline {
	tl := timeline{work: sl.work}
	if cp := j.cfg.Checkpoint; cp != nil && sl.task < int32(j.cfg.Tasks) {
		tl.tau, tl.c = cp.Interval, cp.Cost
		if sl.restore {
			tl.restore = cp.Restore
		}
	}
	return tl
}

// members returns the nodes a run occupies: its gang, or just n.
func (j *jobRun) members(t int32, n *node) []*node {
	if g, ok := j.gangs[t]; ok {
		return g
	}
	return []*node{n}
}

// slotOf returns the slot of n running task t of job.
func (n *node) slotOf(job, task int32) int {
	for s := range n.slots {
		if n.slots[s].job == job && n.slots[s].task == task {
			return s
		}
	}
	return -1
}

// killed is a task run stopped before its end.
type killed struct {
	job, task int32
	elapsed   sim.Time
	tl        timeline
	nodes     int
}

// killTasks stops every run on n (a gang's on all its nodes) and frees
// their slots. n itself is left empty and unlisted, in its state: the
// caller (a preemption, a removal) moves it on; the other nodes of a gang
// carry on as usual.
func (p *poolRun) killTasks(n *node) []killed {
	r := p.r
	now := r.eng.Now()
	p.unlist(n)
	var out []killed
	for s := len(n.slots) - 1; s >= 0; s-- {
		sl := n.slots[s]
		if sl.job < 0 {
			continue
		}
		j := r.jobs[sl.job]
		k := killed{job: sl.job, task: sl.task, elapsed: now - sl.start, tl: j.timelineOfRun(sl)}
		k.nodes = p.stopRun(j, &sl, n, s, k.elapsed, n)
		out = append(out, k)
	}
	return out
}

// stopRun ends the run sl (on slot s of n, and on the rest of its gang):
// it accounts the run's node time and frees its slots. killed, when not
// nil, is the node being taken away: the run's pending end is cancelled and
// that node is emptied without a state change (its caller moves it on);
// every other node goes through vacate. It returns the nodes the run held.
// A run on one node touches no map and allocates nothing.
func (p *poolRun) stopRun(j *jobRun, sl *slot, n *node, s int, elapsed sim.Time, killed *node) int {
	j.running--
	if !sl.gang {
		p.freeSlot(j, n, s, elapsed, killed)
		return 1
	}
	g := j.gangs[sl.task]
	for _, m := range g {
		p.freeSlot(j, m, m.slotOf(sl.job, sl.task), elapsed, killed)
	}
	delete(j.gangs, sl.task)
	return len(g)
}

func (p *poolRun) freeSlot(j *jobRun, m *node, ms int, elapsed sim.Time, killed *node) {
	p.spent(j, m, elapsed)
	if killed == nil {
		p.vacate(m, ms)
		return
	}
	p.r.eng.Cancel(m.slots[ms].ev)
	if m != killed {
		p.vacate(m, ms)
		return
	}
	m.slots[ms] = slot{job: -1}
	m.busy--
	p.runningTasks--
}

// spent accounts elapsed of a run on one slot of m: the pool's busy slot
// time and the job's node time.
func (p *poolRun) spent(j *jobRun, m *node, elapsed sim.Time) {
	p.r.res.busy += elapsed.Hours()
	j.nodeTime += elapsed / sim.Time(len(m.slots))
}

// requeue puts preempted or removed runs back at the head of their jobs'
// queues (not a retry), keeping checkpointed work. noticeAt > 0 is how long
// before now an eviction notice came: a last checkpoint written then is
// kept when the job checkpoints on notice and the cost fits in the notice.
func (p *poolRun) requeue(ks []killed, notice sim.Time) {
	r := p.r
	for _, k := range ks {
		j := r.jobs[k.job]
		saved, unsaved, ckpt := k.tl.at(k.elapsed)
		if cp := j.cfg.Checkpoint; cp != nil && cp.OnNotice && notice > 0 && cp.Cost <= notice && k.elapsed > notice {
			s2, u2, _ := k.tl.at(k.elapsed - notice)
			if s2+u2 > saved {
				unsaved -= s2 + u2 - saved
				saved = s2 + u2
				ckpt += cp.Cost
				r.res.NoticeCheckpoints++
			}
		}
		if k.tl.restore > 0 {
			r.res.RestoreHours += min(k.tl.restore, k.elapsed).Hours()
		}
		r.res.CheckpointHours += ckpt.Hours()
		lost := max(unsaved, 0).Hours() * p.coresPerSlot * float64(k.nodes)
		r.res.WorkLostCoreHours += lost
		if r.lossObs != nil && lost > 0 {
			r.lossObs.WorkLost(r.eng.Now(), p.idx, max(unsaved, 0), float64(k.nodes)/float64(p.cfg.TaskSlotsPerNode), lost)
		}
		r.res.Requeued++
		st := j.taskState(k.task)
		st.saved += saved
		st.runs++
		j.requeue(k.task)
	}
}
