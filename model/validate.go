package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// Limits bound what a scenario may ask for, so a typo cannot exhaust memory.
var Limits = struct {
	Nodes, Tasks, Replications, SlotsPerNode int
}{Nodes: 100000, Tasks: 50000000, Replications: 1000000, SlotsPerNode: 256}

// More bounds of a scenario's values.
const (
	MaxHorizon = 3650 * 24 * time.Hour // simulation.horizon: ten years
	MaxPrice   = 10000.0               // $ per node-hour, any price
	MaxCores   = 4096                  // vCPUs of a VM size
	MaxQuota   = 100000000             // cores of a quota
)

// Problem is one thing wrong with a scenario: the key it is about and what
// is wrong. Key is the key's path as a scenario file nests it, elements of
// arrays ([[pools]], [[jobs]], [[pools.resize]]) by their position
// ("pools", "0", "max_price"); Path is the same key for people, elements
// by name ("pools.main.max_price"). Package scenarios turns Key into the
// file, line and column (or the --set flag) of the key.
type Problem struct {
	Key  []string
	Path string
	Msg  string
	// Related is set when the rule relates several keys (an exclusion, a
	// reference, a total): it means little when one of them was unreadable.
	Related bool
}

func (p *Problem) Error() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Problems is every problem Validate found, in the order of the scenario.
type Problems []*Problem

// Error prints one problem per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// key names a key of a scenario in both of Problem's forms.
type key struct {
	idx  []string
	path string
}

// at is the key's sub-key name.
func (k key) at(name string) key {
	idx := append(append([]string(nil), k.idx...), name)
	if k.path == "" {
		return key{idx, name}
	}
	return key{idx, k.path + "." + name}
}

// elem is element i of the array k, called name (its index when unnamed).
func (k key) elem(i int, name string) key {
	idx := append(append([]string(nil), k.idx...), strconv.Itoa(i))
	if name == "" {
		name = strconv.Itoa(i)
	}
	return key{idx, k.path + "." + name}
}

// validator gathers problems. Each rule of a scenario is one call of one
// of its methods, in Validate or the functions it calls (validate*.go).
type validator struct {
	ps       Problems
	jobIndex map[string]int // first job of each name
}

// add reports a problem of a rule that relates several keys.
func (v *validator) add(k key, format string, a ...any) {
	v.ps = append(v.ps, &Problem{Key: k.idx, Path: k.path, Msg: fmt.Sprintf(format, a...), Related: true})
}

// bad reports a problem of a rule about the value of one key alone.
func (v *validator) bad(k key, format string, a ...any) {
	v.ps = append(v.ps, &Problem{Key: k.idx, Path: k.path, Msg: fmt.Sprintf(format, a...)})
}

// intIn requires lo <= got <= hi.
func (v *validator) intIn(k key, got, lo, hi int) {
	if got < lo || got > hi {
		v.bad(k, "must be between %d and %d, got %d", lo, hi, got)
	}
}

// floatIn requires a number in [lo, hi] (not NaN).
func (v *validator) floatIn(k key, got, lo, hi float64) {
	if !(got >= lo && got <= hi) {
		v.bad(k, "must be between %g and %g, got %v", lo, hi, got)
	}
}

// durIn requires lo <= got <= hi.
func (v *validator) durIn(k key, got, lo, hi time.Duration) {
	switch {
	case got < lo:
		v.bad(k, "must be at least %s, got %s", dist.FormatDuration(lo), dist.FormatDuration(got))
	case got > hi:
		v.bad(k, "must be at most %s, got %s", dist.FormatDuration(hi), dist.FormatDuration(got))
	}
}

// dist requires a valid distribution.
func (v *validator) dist(k key, d dist.Dist) {
	if err := d.Validate(); err != nil {
		v.bad(k, "%v", err)
	}
}

// CheckPrice is the rule for every price of a node-hour: a number from 0
// to MaxPrice. (Package scenarios applies it to the [[vm_sizes]] that no
// pool uses; Validate to every pool's prices.)
func CheckPrice(p float64) error {
	if !(p >= 0 && p <= MaxPrice) {
		return fmt.Errorf("must be between 0 and %g, got %v", MaxPrice, p)
	}
	return nil
}

const forever = time.Duration(math.MaxInt64)

// Validate checks every rule of a scenario and returns Problems (nil when
// there are none). It is the one place the rules are written: package
// scenarios decodes the types of a file and leaves the rest to it.
func (s *Scenario) Validate() error {
	v := &validator{}
	root := key{}
	sim := root.at("simulation")
	v.intIn(sim.at("replications"), s.Replications, 1, Limits.Replications)
	v.durIn(sim.at("horizon"), s.Horizon, time.Second, MaxHorizon)
	q := root.at("quotas")
	v.intIn(q.at("dedicated_cores"), s.Quotas.DedicatedCores, 0, MaxQuota)
	v.intIn(q.at("low_priority_cores"), s.Quotas.LowPriorityCores, 0, MaxQuota)
	b := root.at("billing")
	v.durIn(b.at("granularity"), s.Billing.Granularity, time.Millisecond, forever)
	v.durIn(b.at("minimum"), s.Billing.Minimum, 0, forever)
	if len(s.Pools) == 0 {
		v.add(root.at("pools"), "a scenario needs at least one [[pools]] table")
	}
	if len(s.Jobs) == 0 {
		v.add(root.at("jobs"), "a scenario needs at least one [[jobs]] table")
	}
	pools := map[string]int{}
	nodes := 0
	for i := range s.Pools {
		p := &s.Pools[i]
		k := root.at("pools").elem(i, p.Name)
		if _, dup := pools[p.Name]; dup {
			v.add(k.at("name"), "a pool named %q is already defined", p.Name)
		} else {
			pools[p.Name] = i
		}
		most := 0 // the most nodes the pool asks for at once
		for _, ts := range p.targetsOverTime() {
			if ts[0] >= 0 && ts[0] <= Limits.Nodes && ts[1] >= 0 && ts[1] <= Limits.Nodes { // the others are said alone
				most = max(most, ts[0]+ts[1])
			}
		}
		nodes += most
		v.pool(k, p, s)
	}
	if nodes > Limits.Nodes {
		v.add(root.at("pools"), "%d nodes in all, more than the limit of %d", nodes, Limits.Nodes)
	}
	jobs := map[string]bool{}
	v.jobIndex = map[string]int{}
	used := make([]bool, len(s.Pools))
	tasks := 0
	for i := range s.Jobs {
		j := &s.Jobs[i]
		k := root.at("jobs").elem(i, j.Name)
		if jobs[j.Name] {
			v.add(k.at("name"), "a job named %q is already defined", j.Name)
		}
		if !jobs[j.Name] {
			v.jobIndex[j.Name] = i
		}
		jobs[j.Name] = true
		if j.Tasks >= 1 && j.Tasks <= Limits.Tasks { // the others are said alone
			tasks += j.Tasks
		}
		pi, ok := pools[j.Pool]
		if !ok {
			var names []string
			for i := range s.Pools {
				if pools[s.Pools[i].Name] == i {
					names = append(names, strconv.Quote(s.Pools[i].Name))
				}
			}
			v.add(k.at("pool"), "no pool named %q (pools: %s)", j.Pool, strings.Join(names, ", "))
			v.job(k, j, nil)
			continue
		}
		used[pi] = true
		v.job(k, j, &s.Pools[pi])
	}
	if tasks > Limits.Tasks {
		v.add(root.at("jobs"), "%d tasks in all, more than the limit of %d", tasks, Limits.Tasks)
	}
	for _, err := range s.policyProblems() {
		v.keyError(err, pools)
	}
	if len(v.ps) == 0 && len(s.Jobs) > 0 {
		for i := range s.Pools {
			if !used[i] {
				v.add(root.at("pools").elem(i, s.Pools[i].Name), "no job runs on this pool (give a job pool = %q, or remove the pool)", s.Pools[i].Name)
			}
		}
	}
	if len(v.ps) == 0 {
		return nil
	}
	return v.ps
}

// pool checks one pool.
func (v *validator) pool(k key, p *Pool, s *Scenario) {
	if err := CheckPrice(p.Size.DedicatedPrice); err != nil {
		v.bad(k.at("dedicated_price"), "%v", err)
	}
	if err := CheckPrice(p.Size.LowPriorityPrice); err != nil {
		v.bad(k.at("low_priority_price"), "%v", err)
	}
	v.intIn(k.at("vm_size"), p.Size.Cores, 1, MaxCores)
	v.intIn(k.at("target_dedicated_nodes"), p.TargetDedicatedNodes, 0, Limits.Nodes)
	v.intIn(k.at("target_low_priority_nodes"), p.TargetLowPriorityNodes, 0, Limits.Nodes)
	maxSlots := Limits.SlotsPerNode
	if c := 4 * p.Size.Cores; c > 0 && c < maxSlots {
		maxSlots = c // Azure: at most 4 x vCPUs
	}
	v.intIn(k.at("task_slots_per_node"), p.TaskSlotsPerNode, 1, maxSlots)
	v.dist(k.at("allocation_delay"), p.AllocationDelay)
	v.dist(k.at("start_delay"), p.StartDelay)
	if c := p.Cluster; c != nil {
		for _, t := range []struct {
			key string
			set bool
		}{{"target_dedicated_nodes", p.TargetDedicatedNodes != 0}, {"target_low_priority_nodes", p.TargetLowPriorityNodes != 0}, {"autoscale", p.Autoscale != nil}} {
			if t.set {
				v.add(k.at(t.key), "cannot be used with [pools.cluster]: a cluster scales itself")
			}
		}
		ck := k.at("cluster")
		v.intIn(ck.at("min_instances"), c.MinInstances, 0, Limits.Nodes)
		v.intIn(ck.at("max_instances"), c.MaxInstances, 1, Limits.Nodes)
		if c.MinInstances > c.MaxInstances {
			v.add(ck.at("min_instances"), "%d is more than max_instances %d", c.MinInstances, c.MaxInstances)
		}
		v.durIn(ck.at("idle_time_before_scale_down"), c.IdleTimeBeforeScaleDown, 0, forever)
		v.durIn(ck.at("resubmit_delay"), c.ResubmitDelay, 0, forever)
	}
	if a := p.Autoscale; a != nil {
		ak := k.at("autoscale")
		if p.Cluster == nil {
			for _, t := range []struct {
				key string
				n   int
			}{{"target_dedicated_nodes", p.TargetDedicatedNodes}, {"target_low_priority_nodes", p.TargetLowPriorityNodes}} {
				if t.n != 0 {
					v.add(k.at(t.key), "cannot be used with [pools.autoscale]: the formula sets the targets (Azure ignores them too)")
				}
			}
		}
		if a.Formula == nil {
			v.bad(ak.at("formula"), "an autoscale table needs a formula")
		}
		if a.Interval < MinAutoscaleInterval || a.Interval > MaxAutoscaleInterval {
			v.bad(ak.at("interval"), "must be between 5m and 168h (as in Azure), got %s", dist.FormatDuration(a.Interval))
		}
		v.durIn(ak.at("sample_lag"), a.SampleLag, 0, time.Hour)
	}
	if !(p.MaxPrice == -1 || p.MaxPrice == 0 || (p.MaxPrice > 0 && p.MaxPrice <= MaxPrice)) {
		v.bad(k.at("max_price"), "must be -1 (pay up to the dedicated price, never evicted for price) or a price above 0 up to %g, got %v", MaxPrice, p.MaxPrice)
	}
	v.service(k, p, s)
	v.resizes(k, p)
	v.preemption(k, p)
	c := k.at("capacity")
	v.floatIn(c.at("allocation_failure_probability"), p.Capacity.AllocationFailure, 0, 0.999)
	v.dist(c.at("retry_delay"), p.Capacity.RetryDelay)
	if p.Capacity.Crunches != nil && p.Capacity.Trace != nil {
		v.add(c.at("crunches"), "an eviction trace (preemption model \"trace\") replaces crunches: give one or the other")
	}
}

// preemption checks what happens to a pool's low-priority nodes.
func (v *validator) preemption(k key, p *Pool) {
	pk := k.at("preemption")
	if p.Lifetime != nil {
		if err := p.Lifetime.Validate(); err != nil {
			v.bad(pk.at("model"), "%v", err)
		}
	}
	v.durIn(pk.at("notice"), p.Notice, 0, forever)
	v.dist(pk.at("replacement_delay"), p.ReplacementDelay)
	v.dist(pk.at("restart_delay"), p.RestartDelay)
	v.floatIn(pk.at("disk_price_per_hour"), p.DiskPrice, 0, MaxPrice)
	if p.Eviction() != Deallocate && p.DiskPrice != 0 {
		v.add(pk.at("disk_price_per_hour"), "only applies with eviction_policy = \"deallocate\"")
	}
}

// job checks one job, on pool p (nil when it names none).
func (v *validator) job(k key, j *Job, p *Pool) {
	if j.MiniBatch == nil {
		v.intIn(k.at("tasks"), j.Tasks, 1, Limits.Tasks)
		v.dist(k.at("duration"), j.Duration)
	}
	v.durIn(k.at("submit"), j.Submit, 0, forever)
	v.intIn(k.at("priority"), j.Priority, -1000, 1000)
	if j.MiniBatch == nil {
		v.intIn(k.at("max_task_retries"), j.MaxTaskRetries, -1, 1000000)
		v.durIn(k.at("max_wall_clock"), j.MaxWallClock, 0, forever)
	}
	v.floatIn(k.at("failure_probability"), j.FailureProbability, 0, 0.999)
	v.intIn(k.at("nodes_per_task"), j.NodesPerTask, 0, Limits.Nodes)
	if p != nil && j.NodesPerTask > 1 {
		switch {
		case p.Cluster != nil:
			if j.NodesPerTask > p.Cluster.MaxInstances {
				v.add(k.at("nodes_per_task"), "%d nodes per task, but cluster %q has at most %d instances", j.NodesPerTask, p.Name, p.Cluster.MaxInstances)
			}
		case p.Autoscale == nil:
			most := 0
			for _, ts := range p.targetsOverTime() {
				most = max(most, ts[0]+ts[1])
			}
			if j.NodesPerTask > most {
				v.add(k.at("nodes_per_task"), "%d nodes per task, but pool %q never has more than %d nodes", j.NodesPerTask, p.Name, most)
			}
		}
	}
	if c := j.Checkpoint; c != nil {
		ck := k.at("checkpoint")
		v.durIn(ck.at("interval"), c.Interval, time.Second, forever)
		v.durIn(ck.at("cost"), c.Cost, 0, forever)
		v.durIn(ck.at("restore"), c.Restore, 0, forever)
	}
	if m := j.Manager; m != nil {
		v.dist(k.at("manager").at("duration"), m.Duration)
	}
	if mb := j.MiniBatch; mb != nil {
		mk := k.at("mini_batch")
		v.intIn(mk.at("inputs"), mb.Inputs, 1, Limits.Tasks)
		v.intIn(mk.at("mini_batch_size"), mb.Size, 1, Limits.Tasks)
		v.dist(mk.at("time_per_input"), mb.PerInput)
		v.intIn(mk.at("instance_count"), mb.InstanceCount, 0, Limits.Nodes)
		v.intIn(mk.at("error_threshold"), mb.ErrorThreshold, -1, Limits.Tasks)
		v.intIn(mk.at("retry_settings").at("max_retries"), j.MaxTaskRetries, 0, 1000)
		v.durIn(mk.at("retry_settings").at("timeout"), j.MaxWallClock, time.Second, forever)
		v.intIn(mk.at("max_concurrency_per_instance"), mb.Concurrency, 1, Limits.SlotsPerNode)
		if j.Tasks > Limits.Tasks {
			v.add(mk.at("inputs"), "%d mini-batches, more than the limit of %d tasks", j.Tasks, Limits.Tasks)
		}
		if p != nil && mb.Concurrency > 0 && mb.Concurrency != p.TaskSlotsPerNode {
			v.add(mk.at("max_concurrency_per_instance"), "%d, but pool %q runs %d tasks per node (task_slots_per_node): make them equal", mb.Concurrency, p.Name, p.TaskSlotsPerNode)
		}
	}
}

// keyError adds a KeyError (a rule of policy.go, which names pools and
// jobs by name) as a Problem relating keys.
func (v *validator) keyError(err error, pools map[string]int) {
	ke, ok := err.(*KeyError)
	if !ok {
		v.add(key{}, "%v", err)
		return
	}
	k := key{}
	for i := 0; i < len(ke.Path); i++ {
		seg := ke.Path[i]
		k = k.at(seg)
		if (seg == "pools" || seg == "jobs") && i+1 < len(ke.Path) {
			i++
			idx := -1
			if seg == "pools" {
				if n, ok := pools[ke.Path[i]]; ok {
					idx = n
				}
			} else {
				idx = v.jobIndex[ke.Path[i]]
			}
			k = key{idx: append(k.idx, strconv.Itoa(idx)), path: k.path + "." + ke.Path[i]}
		}
	}
	v.add(k, "%s", ke.Msg)
}
