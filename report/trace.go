package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
)

// MaxCostTraces caps how many replications the cost chart follows (the
// first ones, by index, so the chart does not depend on the worker count).
const MaxCostTraces = 1000

// Chart traces are bounded: however many events a replication has, a
// trace keeps at most a fixed number of points in time, about one per
// pixel of a chart's width (more could not be seen).
const (
	// rampBuckets is how many buckets of time a ramp (a cost trace, the
	// node chart's lost work) keeps once it has too many events to keep
	// them all: a power of two of at least ChartWidth, so that after its
	// last doubling it still has a bucket per pixel over half its span.
	rampBuckets = 1024
	// rampExact is how many events a ramp keeps exactly before it folds
	// them into buckets: as many as fit in the buckets' memory.
	rampExact = rampBuckets * 16 / 24
	// rampStart is the buckets' first width; it doubles as time goes on.
	rampStart = time.Millisecond
	// NodeColumns is how many columns of time the node chart's traces
	// are cut into: one per pixel of the chart's width at most.
	NodeColumns = ChartWidth
)

// CostTraceBytes bounds the memory of one CostTrace, whatever its events;
// NodeTraceBytes that of one NodeTrace (runner.Estimate.WithCharts).
const (
	CostTraceBytes = rampBuckets*16 + 64
	NodeTraceBytes = NodeColumns*(stackLayers*8+8) + CostTraceBytes + 256
)

// rampEvent is a change of a ramp's slope (per hour) and a lump, at at.
type rampEvent struct {
	at          time.Duration
	slope, lump float64
}

// ramp is a sum of ramps and steps of time, f(t) = Σ over the events at
// or before t of slope·(t − at) + lump (hours): a cumulative cost from
// its charges, or node-hours from changes of a node count. It keeps its
// events exactly while they are few (rampExact); past that, it folds them
// into rampBuckets buckets of time from 0 whose width doubles (two
// neighbours merged) whenever an event falls past the last, so that its
// memory is bounded whatever its events. f is then exact at the buckets'
// edges and linear between them (exact in a bucket without events), and
// exact after the last edge.
type ramp struct {
	exact []rampEvent
	// w is a bucket's width once bucketed (0 before); s[k] and m[k] are
	// the sums of slope and of slope·at − lump (at in hours) of the events
	// at or after k·w and before (k+1)·w, so f((k+1)·w) = (k+1)·w·S − M
	// over the buckets up to k.
	w    time.Duration
	s, m []float64
}

// add adds an event at at (clamped to 0).
func (r *ramp) add(at time.Duration, slope, lump float64) {
	at = max(at, 0)
	if r.w == 0 {
		if len(r.exact) < rampExact {
			if len(r.exact) == cap(r.exact) {
				r.exact = slices.Grow(r.exact, min(max(2*cap(r.exact), 16), rampExact)-len(r.exact))
			}
			r.exact = append(r.exact, rampEvent{at, slope, lump})
			return
		}
		r.w, r.s, r.m = rampStart, make([]float64, rampBuckets), make([]float64, rampBuckets)
		for _, e := range r.exact {
			r.fold(e)
		}
		r.exact = nil
	}
	r.fold(rampEvent{at, slope, lump})
}

// fold adds e to its bucket, doubling the buckets' width until it fits.
func (r *ramp) fold(e rampEvent) {
	for e.at/r.w >= rampBuckets {
		for j := range rampBuckets / 2 {
			r.s[j], r.m[j] = r.s[2*j]+r.s[2*j+1], r.m[2*j]+r.m[2*j+1]
		}
		clear(r.s[rampBuckets/2:])
		clear(r.m[rampBuckets/2:])
		r.w *= 2
	}
	k := e.at / r.w
	r.s[k] += e.slope
	r.m[k] += e.slope*e.at.Hours() - e.lump
}

// at returns f at each of the times ts (ascending).
func (r *ramp) at(ts []time.Duration) []float64 {
	out := make([]float64, len(ts))
	if r.w == 0 {
		edges := slices.Clone(r.exact)
		slices.SortStableFunc(edges, func(a, b rampEvent) int { return cmp.Compare(a.at, b.at) })
		var v, rate float64
		last, i := time.Duration(0), 0
		for k, t := range ts {
			for i < len(edges) && edges[i].at <= t {
				v += rate*(edges[i].at-last).Hours() + edges[i].lump
				last = edges[i].at
				rate += edges[i].slope
				i++
			}
			out[k] = v + rate*(t-last).Hours()
		}
		return out
	}
	// f at the buckets' edges: edge[k] = f((k+1)·w), edge[-1] = f(0) = 0
	edge := make([]float64, rampBuckets)
	var s, m float64
	for k := range edge {
		s, m = s+r.s[k], m+r.m[k]
		edge[k] = (time.Duration(k+1)*r.w).Hours()*s - m
	}
	for i, t := range ts {
		k := t / r.w
		if k >= rampBuckets {
			out[i] = t.Hours()*s - m
			continue
		}
		lo := 0.0
		if k > 0 {
			lo = edge[k-1]
		}
		f := float64(t-k*r.w) / float64(r.w)
		out[i] = lo + f*(edge[k]-lo)
	}
	return out
}

// CostTrace follows the charges of one replication, to draw its
// cumulative cost over time: each charge spread evenly over its own
// interval, exact for fixed prices and close for a varying spot price (an
// allocation's cost is exact, its spread within the allocation even). It
// is a model.Observer and a model.BillObserver (model.Run reports every
// charge it makes). Its memory is bounded (CostTraceBytes): past a few
// hundred charges it keeps the cost at about a thousand instants.
type CostTrace struct {
	cost ramp
}

// Billed implements model.BillObserver.
func (c *CostTrace) Billed(_ int, _ model.Kind, from, to time.Duration, cost float64) {
	if to <= from {
		c.cost.add(from, 0, cost)
		return
	}
	r := cost / (to - from).Hours()
	c.cost.add(from, r, 0)
	c.cost.add(to, -r, 0)
}

// NodeState implements model.Observer: the charges say it all.
func (c *CostTrace) NodeState(time.Duration, int, model.Kind, model.State, model.State) {}

// BilledAt returns the cumulative cost of the replication at the times ts
// (ascending): it ends on the replication's bill.
func (c *CostTrace) BilledAt(ts []time.Duration) []float64 { return c.cost.at(ts) }

// CostTraces hands out one CostTrace per replication of a scenario, for
// the first MaxCostTraces replications.
type CostTraces struct {
	Traces []*CostTrace
}

// NewCostTraces prepares the traces of sc's replications.
func NewCostTraces(sc *model.Scenario) *CostTraces {
	t := &CostTraces{Traces: make([]*CostTrace, min(sc.Replications, MaxCostTraces))}
	for i := range t.Traces {
		t.Traces[i] = &CostTrace{}
	}
	return t
}

// Observer returns replication rep's trace, or nil past the cap, as a
// model.BillOnlyObserver: model.Run does not report node states to it.
func (t *CostTraces) Observer(rep int) model.Observer {
	if rep < len(t.Traces) {
		return billOnly{t.Traces[rep]}
	}
	return nil
}

// billOnly is a CostTrace as a model.BillOnlyObserver.
type billOnly struct{ *CostTrace }

// OnlyBills implements model.BillOnlyObserver.
func (billOnly) OnlyBills() {}

// Layer is what a node is doing, as the node chart stacks it.
type Layer int

const (
	LayerRunning   Layer = iota // at least one task running
	LayerIdle                   // usable, no task
	LayerStarting               // being allocated or booting (creating, starting)
	LayerLeaving                // removed by a resize, finishing its tasks
	LayerPreempted              // evicted, waiting for its replacement
	NumLayers
	layerNone Layer = -1 // released: not in the pool
)

var layerNames = [NumLayers]string{"running", "idle", "starting", "leaving", "preempted"}

func (l Layer) String() string { return layerNames[l] }

func layerOf(s model.State) Layer {
	switch s {
	case model.Running:
		return LayerRunning
	case model.Idle:
		return LayerIdle
	case model.Creating, model.Starting:
		return LayerStarting
	case model.Preempted:
		return LayerPreempted
	case model.Released:
		return layerNone
	}
	return LayerLeaving
}

// stackLayers is how many layers the node chart stacks: every layer of
// the dedicated nodes, then every layer of the low-priority ones.
const stackLayers = 2 * int(NumLayers)

// stackIndex is where kind's layer l sits in the stack, from the bottom.
func stackIndex(kind model.Kind, l Layer) int { return int(kind)*int(NumLayers) + int(l) }

// nodeColumn is one column of time of a NodeTrace: for each layer of the
// stack, the least and the most nodes in it and the layers below it
// together (the layer's upper edge in the stacked chart) over the column.
type nodeColumn struct {
	lo, hi [stackLayers]int32
	seen   bool
}

// NodeTrace follows the node states of one replication, all pools
// together, to draw them stacked. It is a model.Observer and a
// model.LossObserver. Time from 0 to the trace's end is cut into
// NodeColumns columns, and each keeps the least and the most nodes each
// edge of the stack had in it, so that a change shorter than a column (a
// preemption and its replacement) still shows, whatever the number of
// events: its memory is bounded (NodeTraceBytes). A state held for no
// time (a node idle between two tasks at the same instant) is not seen.
type NodeTrace struct {
	w     time.Duration // a column's width
	cols  []nodeColumn
	cur   [stackLayers]int32 // nodes in each layer now
	since time.Duration      // since when cur holds
	// used says which layers held a node for some time.
	used [stackLayers]bool
	// losses is the node-hours of the task runs preemptions threw away
	// (model.LossObserver), as a ramp: nodes from the run's start to its
	// loss.
	losses ramp
	// LostCoreHours is their work, in core-hours.
	LostCoreHours float64
	// End is when the replication ended (set by Done).
	End time.Duration
}

// NewNodeTraces returns the node traces of a replication of the scenario
// that ends at scEnd and of its baseline that ends at blEnd (known before
// they are replayed), on one grid of time that covers both.
func NewNodeTraces(scEnd, blEnd time.Duration) [2]*NodeTrace {
	end := time.Duration(niceEnd(max(scEnd, blEnd).Hours()) * float64(time.Hour))
	w := max(1, (end+NodeColumns-1)/NodeColumns)
	return [2]*NodeTrace{{w: w, cols: make([]nodeColumn, NodeColumns)}, {w: w, cols: make([]nodeColumn, NodeColumns)}}
}

// WorkLost implements model.LossObserver.
func (n *NodeTrace) WorkLost(now time.Duration, _ int, lost time.Duration, nodes, coreHours float64) {
	n.losses.add(now-lost, nodes, 0)
	n.losses.add(now, -nodes, 0)
	n.LostCoreHours += coreHours
}

// NodeState implements model.Observer.
func (n *NodeTrace) NodeState(now time.Duration, _ int, kind model.Kind, from, to model.State) {
	f, t := layerOf(from), layerOf(to)
	if f == t {
		return
	}
	if now > n.since {
		n.hold(now)
	}
	if f != layerNone {
		n.cur[stackIndex(kind, f)]--
	}
	if t != layerNone {
		n.cur[stackIndex(kind, t)]++
	}
}

// hold records the nodes of cur in the columns of [n.since, until).
func (n *NodeTrace) hold(until time.Duration) {
	var edge [stackLayers]int32
	sum := int32(0)
	for i, c := range n.cur {
		sum += c
		edge[i] = sum
		n.used[i] = n.used[i] || c > 0
	}
	last := len(n.cols) - 1
	for j := min(int(n.since/n.w), last); j <= min(int((until-1)/n.w), last); j++ {
		c := &n.cols[j]
		if !c.seen {
			c.lo, c.hi, c.seen = edge, edge, true
			continue
		}
		for i, e := range edge {
			c.lo[i], c.hi[i] = min(c.lo[i], e), max(c.hi[i], e)
		}
	}
	n.since = until
}

// Done says the replication ended at end: the nodes it leaves (none, once
// released) hold to the end of the grid.
func (n *NodeTrace) Done(end time.Duration) {
	n.End = end
	if gridEnd := n.w * time.Duration(len(n.cols)); n.since < gridEnd {
		n.hold(gridEnd)
	}
}

// edges returns the columns' edges in hours (len(cols)+1 of them).
func (n *NodeTrace) edges() []float64 {
	out := make([]float64, len(n.cols)+1)
	for j := range out {
		out[j] = (n.w * time.Duration(j)).Hours()
	}
	return out
}

// wasted returns, for each column, how many nodes were running work that
// a preemption later threw away, on average over the column.
func (n *NodeTrace) wasted() []float64 {
	ts := make([]time.Duration, len(n.cols)+1)
	for j := range ts {
		ts[j] = n.w * time.Duration(j)
	}
	w := n.losses.at(ts)
	out := make([]float64, len(n.cols))
	for j := range out {
		out[j] = max(0, (w[j+1]-w[j])/n.w.Hours())
	}
	return out
}

// Representative returns the index of the finished replication whose
// completion time is nearest the median of the finished ones (the lowest
// index on a tie), or 0 when none finished.
func Representative(rs []runner.Record) int {
	var c []float64
	for i := range rs {
		if rs[i].Finished {
			c = append(c, rs[i].Completion.Hours())
		}
	}
	if len(c) == 0 {
		return 0
	}
	slices.Sort(c)
	med := c[len(c)/2]
	if len(c)%2 == 0 {
		med = (c[len(c)/2-1] + c[len(c)/2]) / 2
	}
	best, bestD := 0, -1.0
	for i := range rs {
		if !rs[i].Finished {
			continue
		}
		d := rs[i].Completion.Hours() - med
		if d < 0 {
			d = -d
		}
		if bestD < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	return best
}
