package model

import (
	"sort"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

// jobRun is a job during one replication. Its queue is the requeued tasks
// (a stack: the last one preempted is at the head) in front of the tasks
// never started (a counter), so memory is proportional to requeued tasks,
// not to the job's size.
type jobRun struct {
	r         *run
	idx       int
	cfg       *Job
	pool      *poolRun
	st        sim.Stream
	stFail    sim.Stream
	stManager sim.Stream
	next      int32   // next task never started
	front     []int32 // requeued tasks; the head of the queue is the last element
	units     int     // tasks, plus the job manager if there is one
	manager   bool    // the job manager task is still queued
	done      int     // tasks that succeeded
	failed    int     // tasks that ended failed (out of retries, or terminated)
	completed sim.Time
	nodeTime  sim.Time // node time its runs used (a slot is 1/slots of a node)
	running   int      // runs in progress
	failedIn  int      // failed inputs (mini-batches out of retries)

	// state holds the tasks that have history: retries used, runs, saved
	// work. Tasks without history (most of them) cost nothing.
	state map[int32]*taskState
	gangs map[int32][]*node // running multi-node tasks

	sDur, sManager, sPerInput dist.Sampler // its distributions, prepared for repeated draws
	// first, when not nil, holds the first-attempt durations of tasks
	// 0, 1, ... drawn so far by this replication's runs (Options.Shared).
	// Tasks first start in that order, so it is a prefix.
	first *[]sim.Time
}

// taskState is what a task carries from one run to the next.
type taskState struct {
	attempt uint32   // retries used: the attempt index of its durations
	runs    uint32   // runs so far (a restart restores the checkpoint)
	saved   sim.Time // work kept by checkpoints
}

func newJobRun(r *run, idx int, cfg *Job, p *poolRun) *jobRun {
	p.jobsLeft++
	j := &jobRun{r: r, idx: idx, cfg: cfg, pool: p, units: cfg.Tasks,
		st:        sim.StreamOf("duration/" + cfg.Name),
		stFail:    sim.StreamOf("fail/" + cfg.Name),
		stManager: sim.StreamOf("manager/" + cfg.Name),
		state:     map[int32]*taskState{}, gangs: map[int32][]*node{}}
	j.sDur = cfg.Duration.Sampler()
	j.first = r.opt.Shared.durations(r.streams.Seed(), r.sc.Jobs, idx)
	if cfg.Manager != nil {
		j.units++
		j.manager = true
		j.sManager = cfg.Manager.Duration.Sampler()
	}
	if cfg.MiniBatch != nil {
		j.sPerInput = cfg.MiniBatch.PerInput.Sampler()
	}
	return j
}

func (j *jobRun) taskState(t int32) *taskState {
	st := j.state[t]
	if st == nil {
		st = &taskState{}
		j.state[t] = st
	}
	return st
}

// attempt is the attempt index of a task with history st (nil: none).
func attempt(st *taskState) uint64 {
	if st != nil {
		return uint64(st.attempt)
	}
	return 0
}

// fails reports whether the current attempt of task t (history st) fails
// at its end.
func (j *jobRun) fails(t int32, st *taskState) bool {
	f := j.cfg.FailureProbability
	return f > 0 && j.r.streams.Uniform(j.stFail, uint64(t), attempt(st)) < f
}

// retry handles a failed or timed-out attempt: another attempt at the head
// of the queue while retries remain (keeping checkpointed work), else the
// task fails. It reports whether the run is over.
func (j *jobRun) retry(t int32, tl timeline, elapsed sim.Time) bool {
	st := j.taskState(t)
	saved, _, _ := tl.at(elapsed)
	st.saved += saved
	st.runs++
	if max := j.cfg.MaxTaskRetries; max >= 0 && int(st.attempt) >= max {
		delete(j.state, t)
		if mb := j.cfg.MiniBatch; mb != nil {
			j.failedIn += j.inputs(t)
			if mb.ErrorThreshold >= 0 && j.failedIn > mb.ErrorThreshold {
				return j.abort()
			}
		}
		return j.finishOne(false)
	}
	st.attempt++
	j.r.res.Retries++
	j.requeue(t)
	return false
}

// submit queues the job's tasks in its pool: after the jobs of higher
// priority, and after earlier-defined jobs of the same priority.
func (j *jobRun) submit() {
	p := j.pool
	i := sort.Search(len(p.jobs), func(i int) bool {
		o := p.jobs[i]
		return o.cfg.Priority < j.cfg.Priority || (o.cfg.Priority == j.cfg.Priority && o.idx > j.idx)
	})
	p.jobs = append(p.jobs, nil)
	copy(p.jobs[i+1:], p.jobs[i:])
	p.jobs[i] = j
	p.dispatch()
}

func (j *jobRun) queued() int {
	if j.manager {
		return j.queuedTasks() + 1
	}
	return j.queuedTasks()
}

// queuedTasks counts the queued tasks, the job manager aside.
func (j *jobRun) queuedTasks() int { return len(j.front) + j.cfg.Tasks - int(j.next) }

// take pops the task at the head of the queue (the job manager aside) with
// its history. Only a requeued task can have one: a task never started has
// none, so most starts touch no map.
func (j *jobRun) take() (int32, *taskState) {
	if n := len(j.front); n > 0 {
		t := j.front[n-1]
		j.front = j.front[:n-1]
		return t, j.state[t]
	}
	j.next++
	return j.next - 1, nil
}

// pop takes the task at the head of the queue (the job manager aside).
func (j *jobRun) pop() int32 {
	if n := len(j.front); n > 0 {
		t := j.front[n-1]
		j.front = j.front[:n-1]
		return t
	}
	j.next++
	return j.next - 1
}

// requeue puts task t back at the head of the queue.
func (j *jobRun) requeue(t int32) {
	if t == int32(j.cfg.Tasks) {
		j.manager = true
		return
	}
	j.front = append(j.front, t)
}

// duration is the work of task t's current attempt: a function of (job,
// task, attempt) only, never of when or where it runs (common random
// numbers).
func (j *jobRun) duration(t int32, st *taskState) sim.Time {
	a := attempt(st)
	if mb := j.cfg.MiniBatch; mb != nil { // the sum of its inputs' times
		var d sim.Time
		first := int(t) * mb.Size
		for i := 0; i < j.inputs(t); i++ {
			d += j.r.draw(&j.sPerInput, j.st, uint64(first+i), a)
		}
		return d
	}
	if t == int32(j.cfg.Tasks) {
		return j.r.draw(&j.sManager, j.stManager, 0, a)
	}
	if f := j.first; f != nil && a == 0 {
		switch {
		case int(t) < len(*f): // drawn by another run of the replication
			j.r.streams.Note(1)
			return (*f)[t]
		case int(t) == len(*f):
			d := j.r.draw(&j.sDur, j.st, uint64(t), a)
			*f = append(*f, d)
			return d
		}
	}
	return j.r.draw(&j.sDur, j.st, uint64(t), a)
}

// finishOne counts a task as ended (succeeded or failed) and completes the
// job, and possibly its pool and the run, when it was the last one. It
// reports whether the run is over.
func (j *jobRun) finishOne(succeeded bool) bool {
	r := j.r
	if succeeded {
		j.done++
		r.res.TasksDone++
		j.pool.succeeded++
	} else {
		j.failed++
		r.res.TasksFailed++
		j.pool.failed++
	}
	if j.done+j.failed < j.units {
		return false
	}
	j.completed = r.eng.Now()
	r.jobsLeft--
	j.pool.jobsLeft--
	if j.pool.jobsLeft == 0 {
		j.pool.release()
	}
	if r.jobsLeft == 0 {
		r.finished = true
		r.eng.Stop()
		return true
	}
	return false
}

// inputs is how many inputs mini-batch t holds (the last may be short).
func (j *jobRun) inputs(t int32) int {
	mb := j.cfg.MiniBatch
	return min(mb.Size, mb.Inputs-int(t)*mb.Size)
}

// abort ends a mini-batch job whose failed inputs passed its error
// threshold: its queued mini-batches fail, its running ones are stopped.
// It reports whether the run is over.
func (j *jobRun) abort() bool {
	r := j.r
	r.res.Aborted++
	j.unsubmit()
	for _, n := range j.pool.nodes {
		for s := range n.slots {
			if n.slots[s].job == int32(j.idx) && n.slots[s].ev != 0 {
				r.eng.Cancel(n.slots[s].ev)
				for _, m := range j.members(n.slots[s].task, n) {
					j.pool.vacate(m, m.slotOf(int32(j.idx), n.slots[s].task))
				}
			}
		}
	}
	j.running = 0
	left := j.units - j.done - j.failed
	for i := 0; i < left; i++ {
		if j.finishOne(false) {
			return true
		}
	}
	return false
}
