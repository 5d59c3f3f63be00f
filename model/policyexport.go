package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/model/dist"
)

// Export is a pool policy written as an Azure Batch autoscale formula,
// with what the formula assumes about its job.
type Export struct {
	Pool, Job string
	Policy    Policy
	// Tasks is the job's size, Slots the pool's task slots per node; Run
	// and Boot are one task run's and one node boot's expected lengths.
	Tasks, Slots int
	Run, Boot    time.Duration
	Deadline     time.Duration
	// Submitted is the job's submission as the formula's time() sees it.
	Submitted time.Time
	// Interval is the formula's evaluation interval: the policy's, or
	// Azure's shortest (5 min) for a continuous policy.
	Interval time.Duration
}

// ExportPolicy returns the export of the policy of the named pool.
func (s *Scenario) ExportPolicy(pool string) (Export, error) {
	for i := range s.Pools {
		p := &s.Pools[i]
		if p.Name != pool {
			continue
		}
		if p.Sizing == nil {
			return Export{}, fmt.Errorf("pool %q has no [pools.policy]", pool)
		}
		var job *Job
		for k := range s.Jobs {
			if s.Jobs[k].Pool == pool {
				job = &s.Jobs[k]
			}
		}
		if job == nil {
			return Export{}, fmt.Errorf("no job runs on pool %q", pool)
		}
		e := Export{Pool: pool, Job: job.Name, Policy: *p.Sizing, Tasks: job.Tasks, Slots: p.TaskSlotsPerNode,
			Boot: p.AllocationDelay.MeanDuration() + p.StartDelay.MeanDuration(), Deadline: job.Deadline,
			Submitted: s.Start.Add(job.Submit), Interval: max(p.Sizing.Interval, MinAutoscaleInterval)}
		e.Run, _ = runLength(job)
		e.Slots *= p.Sizing.Nodes / max(job.NodesPerTask, 1) // concurrent tasks
		e.Slots = max(e.Slots, 1)
		return e, nil
	}
	return Export{}, fmt.Errorf("no pool named %q", pool)
}

func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'g', -1, 64) }

// Formula writes the policy as an autoscale formula that reads only what
// Azure Batch exposes: the lagged $PendingTasks samples (tasks not done
// yet), $PreemptedNodeCount (spot nodes waiting for capacity), the targets
// in force ($TargetDedicatedNodes: the mode it is in), time() and
// constants. docs/policies.md says where it differs from the policy.
func (e Export) Formula() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	pol := e.Policy
	w("// spotsim policy export: %s on pool %q for job %q", pol.Kind, e.Pool, e.Job)
	if pol.needsDeadline() {
		w("// (%d tasks, deadline %gh after its submission at %s).", e.Tasks, e.Deadline.Hours(), e.Submitted.UTC().Format(time.RFC3339))
	}
	w("// An Azure Batch autoscale formula: evaluate it every %s.", dist.FormatDuration(e.Interval))
	w("nodes = %d;", pol.Nodes)
	switch pol.Kind {
	case SpotOnly:
		w("$TargetDedicatedNodes = 0;")
		w("$TargetLowPriorityNodes = nodes;")
		w("$NodeDeallocationOption = taskcompletion;")
		return b.String()
	case DedicatedOnlyPolicy:
		w("$TargetDedicatedNodes = nodes;")
		w("$TargetLowPriorityNodes = 0;")
		w("$NodeDeallocationOption = taskcompletion;")
		return b.String()
	}
	w("tasks = %d;", e.Tasks)
	w("perWave = %d;                 // tasks run at once: nodes x task slots", e.Slots)
	w("run = TimeInterval_Second * %s;    // one task run (%s)", secs(e.Run), dist.FormatDuration(e.Run))
	w("boot = TimeInterval_Second * %s;   // a new node's allocation and start: the restart overhead (%s)", secs(e.Boot), dist.FormatDuration(e.Boot))
	w("deadline = TimeInterval_Second * %s;  // %gh after submission", secs(e.Deadline), e.Deadline.Hours())
	w("interval = TimeInterval_Second * %s;  // until the next evaluation", secs(e.Interval))
	w("elapsed = time() - time(%q);", e.Submitted.UTC().Format(time.RFC3339))
	w("remaining = max(0, $PendingTasks.GetSample(1));  // tasks not done, as last sampled (up to 90 s old)")
	w("need = boot + run * ceil(remaining / perWave);   // finishing on fresh dedicated nodes")
	w("onDedicated = $TargetDedicatedNodes > 0;")
	if pol.Kind == Greedy {
		w("// Greedy: spot until waiting for the next evaluation would leave too little time, then dedicated for good.")
		w("dedicated = onDedicated || deadline - elapsed - interval < need;")
	} else {
		w("behind = %s;                  // the share of the job progress may trail the straight line by", strconv.FormatFloat(pol.Behind, 'g', -1, 64))
		w("progress = 1 - remaining / tasks;")
		w("// the straight line from submission to deadline: elapsed = deadline x (progress + behind)")
		w("behindNow = elapsed > deadline * (progress + behind);")
		w("behindSoon = elapsed + boot * 2 > deadline * (progress + behind);")
		w("spotGone = $PreemptedNodeCount > 0;           // spot nodes waiting for capacity")
		w("safety = deadline - elapsed - interval < need + boot;")
		w("// Uniform progress: dedicated when spot is gone and progress is behind the line; once on dedicated,")
		w("// stay until ahead of where the line will be 2 boots from now; the safety net keeps a boot in hand.")
		w("dedicated = safety || (onDedicated ? behindSoon : spotGone && behindNow);")
	}
	w("$TargetDedicatedNodes = dedicated ? nodes : 0;")
	w("$TargetLowPriorityNodes = dedicated ? 0 : nodes;")
	w("$NodeDeallocationOption = taskcompletion;")
	return b.String()
}

// FormulaScenario returns sc with every pool policy replaced by its exported
// formula, evaluated at the export's interval with Azure's sample lag: the
// same scenario as Azure Batch would run it.
func (s *Scenario) FormulaScenario() (*Scenario, error) {
	c := s.Clone()
	c.Name = s.Name + " (policies as exported formulas)"
	for i := range c.Pools {
		p := &c.Pools[i]
		if p.Sizing == nil {
			continue
		}
		e, err := s.ExportPolicy(p.Name)
		if err != nil {
			return nil, err
		}
		f, err := autoscale.Parse("policy-"+p.Name+".formula", e.Formula())
		if err != nil {
			return nil, fmt.Errorf("pool %q: the exported formula does not parse (a bug): %v", p.Name, err)
		}
		p.Sizing = nil
		p.Autoscale = &Autoscale{Formula: f, Interval: e.Interval, SampleLag: DefaultSampleLag}
	}
	return c, nil
}
