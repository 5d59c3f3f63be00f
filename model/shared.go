package model

import (
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

// SharedDraws holds the first-attempt task durations of one replication, so
// that the runs of that replication (its scenario, its dedicated-only
// baseline) draw each only once. They draw the same ones: a duration is a
// function of (job, task, attempt) on the replication's streams, and a
// baseline has its scenario's jobs. The first run to need a task's first
// duration draws it and the others read it, so every run gets exactly the
// numbers it would have drawn.
//
// Pass the same SharedDraws in the Options of every run of a replication,
// one run after another (it is not safe for concurrent use). A run of
// another replication, or of a scenario with other jobs, starts it afresh,
// so one SharedDraws can serve a worker's replications in turn.
type SharedDraws struct {
	seed  uint64
	jobs  []*Job       // the jobs the durations are of
	first [][]sim.Time // first[j][t]: job j's task t's first-attempt duration
}

// MaxSharedTasks is the most tasks a job may have for its durations to be
// shared: 8 bytes each are held per worker (128 MiB at most). At 10^5
// nodes x 100 tasks a node (bench/scaling.sh), 10^7 tasks, drawing them
// again for the baseline would be 6 % of the run.
const MaxSharedTasks = 1 << 24

// SharedBytes is what a SharedDraws holds at most for a replication of sc.
func (sc *Scenario) SharedBytes() int {
	b := 0
	for i := range sc.Jobs {
		if sharesDurations(&sc.Jobs[i]) {
			b += 8 * sc.Jobs[i].Tasks
		}
	}
	return b
}

// sharesDurations reports whether the first-attempt durations of j's tasks
// are kept in a SharedDraws: drawn ones (a fixed duration costs nothing to
// draw again) of plain tasks (a mini-batch's are sums of its inputs'), for a
// job of at most MaxSharedTasks tasks.
func sharesDurations(j *Job) bool {
	return j.Duration.Kind != dist.Fixed && j.MiniBatch == nil && j.Tasks <= MaxSharedTasks
}

// durations returns where the first-attempt durations of job idx (cfg) of a
// replication of seed are kept, or nil if they are not shared.
func (s *SharedDraws) durations(seed uint64, jobs []Job, idx int) *[]sim.Time {
	if s == nil || !sharesDurations(&jobs[idx]) {
		return nil
	}
	if s.seed != seed || !s.same(jobs) {
		s.seed = seed
		s.jobs = s.jobs[:0]
		for i := range jobs {
			s.jobs = append(s.jobs, &jobs[i])
		}
		if cap(s.first) < len(jobs) {
			s.first = make([][]sim.Time, len(jobs))
		}
		s.first = s.first[:len(jobs)]
		for i := range s.first {
			s.first[i] = s.first[i][:0]
		}
	}
	if f := &s.first[idx]; len(*f) == 0 && cap(*f) < jobs[idx].Tasks {
		// Grown by append, a large job's durations would be copied a few
		// times, holding the old and the new array at once.
		*f = make([]sim.Time, 0, jobs[idx].Tasks)
	}
	return &s.first[idx]
}

// same reports whether the durations held are of these jobs.
func (s *SharedDraws) same(jobs []Job) bool {
	if len(s.jobs) != len(jobs) {
		return false
	}
	for i := range jobs {
		if s.jobs[i] != &jobs[i] {
			return false
		}
	}
	return true
}
