package model

import (
	"sort"

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
	next      int32   // next task never started
	front     []int32 // requeued tasks; the head of the queue is the last element
	done      int     // tasks that succeeded
	failed    int     // tasks that ended failed (terminated by a resize)
	completed sim.Time
}

func newJobRun(r *run, idx int, cfg *Job, p *poolRun) *jobRun {
	p.jobsLeft++
	return &jobRun{r: r, idx: idx, cfg: cfg, pool: p, st: sim.StreamOf("duration/" + cfg.Name)}
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

func (j *jobRun) queued() int { return len(j.front) + j.cfg.Tasks - int(j.next) }

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
func (j *jobRun) requeue(t int32) { j.front = append(j.front, t) }

// duration is the length of task t: a function of (job, task, attempt)
// only, never of when or where it runs (common random numbers).
func (j *jobRun) duration(t int32) sim.Time {
	return j.cfg.Duration.Quantile(j.r.streams.Uniform(j.st, uint64(t), 0))
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
	if j.done+j.failed < j.cfg.Tasks {
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
