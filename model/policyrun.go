package model

import (
	"fmt"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

// policyRun applies a pool's Policy during one replication.
type policyRun struct {
	p   *poolRun
	cfg *Policy
	job *jobRun // the pool's one job
	// run is one task run's expected length, boot a new node's expected
	// allocation and start delay (the restart overhead d of Wu et al.),
	// concurrent the tasks the pool's nodes run at once.
	run, boot   time.Duration
	concurrent  int
	onDedicated bool
	forGood     bool // a safety switch: dedicated until the end
	started     bool
	ev          sim.EventID
}

func newPolicyRun(p *poolRun) *policyRun {
	pr := &policyRun{p: p, cfg: p.cfg.Sizing}
	for _, j := range p.r.jobs {
		if j.pool == p {
			pr.job = j
			break
		}
	}
	pr.run, _ = runLength(pr.job.cfg)
	pr.boot = p.cfg.AllocationDelay.MeanDuration() + p.cfg.StartDelay.MeanDuration()
	pr.concurrent = max(1, p.cfg.TaskSlotsPerNode*(pr.cfg.Nodes/max(pr.job.cfg.NodesPerTask, 1)))
	return pr
}

// need is the time the job's k unfinished tasks take from now on freshly
// booted dedicated nodes: boot, then ⌈k / concurrent⌉ waves of runs. It
// counts running tasks whole and ignores checkpointed work, so it errs on
// the safe side by at most one run.
func (pr *policyRun) need(k int) time.Duration {
	return pr.boot + time.Duration((k+pr.concurrent-1)/pr.concurrent)*pr.run
}

// late reports whether waiting until the next decision point would leave
// less than need + extra before the deadline. Continuous policies decide
// again at once, so they are late when the time left is need + extra.
func (pr *policyRun) late(left, need time.Duration) bool {
	if pr.cfg.Interval == 0 {
		return left <= need
	}
	return left-pr.cfg.Interval < need
}

// wantDedicated applies the policy's rule now.
func (pr *policyRun) wantDedicated(now sim.Time) bool {
	j := pr.job
	switch pr.cfg.Kind {
	case SpotOnly:
		return false
	case DedicatedOnlyPolicy:
		return true
	}
	k := j.units - j.done - j.failed
	if k == 0 || now < j.cfg.Submit {
		return pr.onDedicated
	}
	elapsed := now - j.cfg.Submit
	d := j.cfg.Deadline
	left, need := d-elapsed, pr.need(k)
	if pr.cfg.Kind == Greedy {
		pr.forGood = pr.forGood || pr.late(left, need)
		return pr.forGood
	}
	// Uniform progress and the threshold policy. The safety net keeps a
	// second restart overhead in hand, as the paper's R(t) < C(t) + 2d.
	pr.forGood = pr.forGood || pr.late(left, need+pr.boot)
	if pr.forGood {
		return true
	}
	progress := float64(j.done) / float64(j.units)
	line := func(t time.Duration) float64 { return float64(t)/float64(d) - pr.cfg.Behind }
	available := !pr.p.market.blocked()
	if pr.onDedicated { // hysteresis: stay until ahead of the line 2d from now
		return !available || progress < line(elapsed+2*pr.boot)
	}
	return !available && progress < line(elapsed) // taking risks: spot whenever it is there
}

// decide is a decision point: set the targets, schedule the next one.
func (pr *policyRun) decide() {
	p, r := pr.p, pr.p.r
	if p.released {
		return
	}
	now := r.eng.Now()
	ded := pr.wantDedicated(now)
	if !pr.started || ded != pr.onDedicated {
		pr.started, pr.onDedicated = true, ded
		n := pr.cfg.Nodes
		if ded {
			p.resize(n, 0, "taskcompletion")
		} else {
			p.resize(0, n, "taskcompletion")
		}
	}
	if r.finished || p.released {
		return
	}
	next := now + pr.cfg.Interval
	if pr.cfg.Interval == 0 {
		next = now + PolicyTick
		if t, ok := pr.safetyDue(); ok && t > now && t < next {
			next = t // the last safe moment falls between two ticks
		}
	}
	pr.ev = r.eng.At(next, r, encode(evPolicy, 0, int32(p.idx)))
}

// safetyDue is when the safety switch falls due if no task ends before:
// the moment the time left equals what the work needs.
func (pr *policyRun) safetyDue() (sim.Time, bool) {
	j := pr.job
	if pr.forGood || pr.cfg.Kind < Greedy {
		return 0, false
	}
	need := pr.need(j.units - j.done - j.failed)
	if pr.cfg.Kind != Greedy {
		need += pr.boot
	}
	return j.cfg.Submit + j.cfg.Deadline - need, true
}

// policyProblems checks the pools that have a policy against their jobs,
// and the jobs' deadlines against their dedicated-only completion times.
func (s *Scenario) policyProblems() []error {
	var errs []error
	for i := range s.Pools {
		p := &s.Pools[i]
		pol := p.Sizing
		if pol == nil {
			continue
		}
		for _, k := range []string{"kind", "nodes", "interval", "behind"} {
			if msg, bad := pol.problems()[k]; bad {
				errs = append(errs, keyErr(msg, "pools", p.Name, "policy", k))
			}
		}
		if p.TargetDedicatedNodes != 0 || p.TargetLowPriorityNodes != 0 || p.Autoscale != nil || p.Cluster != nil {
			errs = append(errs, keyErr("a policy sets the targets: no fixed targets, autoscale formula or cluster with it", "pools", p.Name, "policy"))
		}
		var jobs []*Job
		for k := range s.Jobs {
			if s.Jobs[k].Pool == p.Name {
				jobs = append(jobs, &s.Jobs[k])
			}
		}
		switch {
		case len(jobs) > 1:
			errs = append(errs, keyErr(fmt.Sprintf("a policy follows one job's progress, but %d jobs run on pool %q", len(jobs), p.Name), "pools", p.Name, "policy"))
		case len(jobs) == 1 && pol.needsDeadline() && jobs[0].Deadline <= 0:
			errs = append(errs, keyErr(fmt.Sprintf("policy %q needs a deadline: give job %q one (deadline = \"52h\", from its submission)", pol.Kind, jobs[0].Name), "pools", p.Name, "policy", "kind"))
		}
	}
	for k := range s.Jobs {
		j := &s.Jobs[k]
		if j.Deadline < 0 {
			errs = append(errs, keyErr("must be positive", "jobs", j.Name, "deadline"))
		}
		if short, b, ok := s.DeadlineShortfall(k); ok {
			errs = append(errs, keyErr(DeadlineShortMessage(j, short, b), "jobs", j.Name, "deadline"))
		}
	}
	return errs
}

// DeadlineShortMessage says by how much a job's deadline falls short of
// its dedicated-only completion time.
func DeadlineShortMessage(j *Job, short time.Duration, b DedicatedBound) string {
	return fmt.Sprintf("%s is %s shorter than the dedicated-only completion time (%s), so no policy can meet it",
		dist.FormatDuration(j.Deadline), dist.FormatDuration(short), b)
}
