package model

import (
	"slices"
	"time"

	"github.com/spotsim/spotsim/model/dist"
)

// Resize is an explicit resize of a pool at a time (Azure Batch's Resize
// operation: pool.Resize(targetDedicatedComputeNodes: 0,
// targetLowPriorityComputeNodes: 25)). Nodes it adds that hold no VM when
// Timeout has passed (low-priority ones waiting for capacity) are given up,
// and the pool stays below its targets, as Azure ends a resize with a
// resize error and the pool goes steady.
type Resize struct {
	At                     time.Duration
	TargetDedicatedNodes   int
	TargetLowPriorityNodes int
	// Option is $NodeDeallocationOption for the nodes a shrink removes
	// ("requeue" when empty).
	Option  string
	Timeout time.Duration
}

// Azure Batch's resizeTimeout.
const (
	DefaultResizeTimeout = 15 * time.Minute
	MinResizeTimeout     = 5 * time.Minute
	// MaxResizes caps the timed resizes of one pool.
	MaxResizes = 1 << (slotBits - 1)
)

// DeallocationOptions are the values of $NodeDeallocationOption.
var DeallocationOptions = []string{"requeue", "terminate", "taskcompletion", "retaineddata"}

// scheduleResizes queues the pool's timed resizes.
func (p *poolRun) scheduleResizes() {
	r := p.r
	p.resizeSpan = make([][2]int, len(p.cfg.Resizes))
	for i, rz := range p.cfg.Resizes {
		if rz.At < r.sc.Horizon {
			r.eng.At(rz.At, r, encode(evResize, 2*i, int32(p.idx)))
		}
	}
}

// timedResize applies resize i (phase 0) or ends its timeout (phase 1).
func (p *poolRun) timedResize(i int, timeout bool) {
	if p.released {
		return
	}
	r := p.r
	rz := &p.cfg.Resizes[i]
	if !timeout {
		from := len(p.nodes)
		p.resize(rz.TargetDedicatedNodes, rz.TargetLowPriorityNodes, rz.Option)
		p.resizeSpan[i] = [2]int{from, len(p.nodes)}
		if len(p.nodes) > from {
			r.eng.After(rz.Timeout, r, encode(evResize, 2*i+1, int32(p.idx)))
		}
		return
	}
	// Nodes of this resize still without a VM: never allocated, waiting
	// for capacity or retrying a failed request.
	span := p.resizeSpan[i]
	given := 0
	for _, n := range p.nodes[span[0]:span[1]] {
		if n.state == Preempted && n.inc == 0 {
			n.abandoned = true
			p.end(n, Released, EndRemoved)
			given++
			if n.kind == LowPriority {
				p.targetLowPriority--
			} else {
				p.targetDedicated--
			}
		}
	}
	if given > 0 {
		r.res.ResizeErrors++
	}
}

// targetsOverTime lists the (dedicated, low-priority) targets the pool is
// given: at t = 0, then by each timed resize.
func (p *Pool) targetsOverTime() [][2]int {
	d, l := p.initialTargets()
	out := [][2]int{{d, l}}
	for _, rz := range p.Resizes {
		out = append(out, [2]int{rz.TargetDedicatedNodes, rz.TargetLowPriorityNodes})
	}
	return out
}

// MostNodes returns the most nodes the pool's fixed targets, Priority Mix
// or timed resizes ask for at once (0 when a formula, a cluster or a
// policy sizes it).
func (p *Pool) MostNodes() int {
	most := 0
	for _, ts := range p.targetsOverTime() {
		most = max(most, ts[0]+ts[1])
	}
	return most
}

// resizes checks a pool's timed resizes.
func (v *validator) resizes(k key, p *Pool) {
	if len(p.Resizes) == 0 {
		return
	}
	rk := k.at("resize")
	switch {
	case p.Autoscale != nil:
		v.add(rk, "a pool that autoscales refuses resizes (Azure: disable autoscale first); give the formula the schedule instead")
	case p.Cluster != nil:
		v.add(rk, "an Azure ML compute cluster scales itself: no resizes")
	case p.Sizing != nil:
		v.add(rk, "a pool sized by a policy takes no resizes")
	case p.PriorityMix != nil:
		v.add(rk, "resizes set targets by kind; a scale set with a Priority Mix has one size (instance_count): no resizes")
	}
	if len(p.Resizes) > MaxResizes {
		v.bad(rk, "%d resizes, more than the limit of %d", len(p.Resizes), MaxResizes)
		return
	}
	for i, rz := range p.Resizes {
		ek := rk.elem(i, "")
		v.durIn(ek.at("at"), rz.At, 0, forever)
		if i > 0 && rz.At < p.Resizes[i-1].At {
			v.add(ek.at("at"), "%s is before the previous resize's %s: list resizes in time order", dist.FormatDuration(rz.At), dist.FormatDuration(p.Resizes[i-1].At))
		}
		v.intIn(ek.at("target_dedicated_nodes"), rz.TargetDedicatedNodes, 0, Limits.Nodes)
		v.intIn(ek.at("target_low_priority_nodes"), rz.TargetLowPriorityNodes, 0, Limits.Nodes)
		if rz.Option != "" && !slices.Contains(DeallocationOptions, rz.Option) {
			v.bad(ek.at("node_deallocation_option"), "must be one of requeue, terminate, taskcompletion, retaineddata, got %q", rz.Option)
		}
		v.durIn(ek.at("resize_timeout"), rz.Timeout, MinResizeTimeout, forever)
	}
}
