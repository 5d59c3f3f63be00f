package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/spotsim/spotsim/model"
)

// billed reports whether a node in state s is being paid for: from its
// allocation (creating, boot included) until it is preempted or released.
// Every state but those two is billed (a node leaving the pool still runs
// its last tasks).
func billed(s model.State) bool { return s != model.Preempted && s != model.Released }

// MaxCostTraces caps how many replications the cost chart follows (the
// first ones, by index, so the chart does not depend on the worker count);
// a trace costs memory in proportion to its allocations and preemptions.
const MaxCostTraces = 1000

// costStep is a change in the number of billed nodes of one pool and kind.
type costStep struct {
	at    time.Duration
	key   int32 // pool*2 + kind
	delta int32
}

// CostTrace follows the billed node count of one replication, to draw its
// cumulative cost over time. It is a model.Observer. A node counts from its
// allocation until it is preempted or released (see Billed for what the
// node count cannot see).
type CostTrace struct {
	price   []float64 // pool*2 + kind -> USD per node-hour
	steps   []costStep
	charges []charge // every charge the model made, when it reports them
	// fromBills says the trace is fed by the model's charges (Billed): the
	// model bills every allocation it makes, so the node steps would never
	// be read and NodeState does not record them.
	fromBills bool
}

// charge is one bill: cost USD spread over [from, to).
type charge struct {
	from, to time.Duration
	cost     float64
}

// Billed implements model.BillObserver.
func (c *CostTrace) Billed(pool int, kind model.Kind, from, to time.Duration, cost float64) {
	c.charges = append(c.charges, charge{from: from, to: to, cost: cost})
}

// fromCharges returns the cumulative cost at the times ts, each charge
// spread evenly over its own interval: exact for fixed prices, and close
// for a varying spot price (an allocation's cost is exact, its spread
// within the allocation even).
func (c *CostTrace) fromCharges(ts []time.Duration) []float64 {
	type edge struct {
		at   time.Duration
		rate float64 // change in USD per hour
		lump float64 // cost of an empty interval, all at once
	}
	edges := make([]edge, 0, 2*len(c.charges))
	for _, ch := range c.charges {
		if ch.to <= ch.from {
			edges = append(edges, edge{at: ch.from, lump: ch.cost})
			continue
		}
		r := ch.cost / (ch.to - ch.from).Hours()
		edges = append(edges, edge{at: ch.from, rate: r}, edge{at: ch.to, rate: -r})
	}
	slices.SortStableFunc(edges, func(a, b edge) int { return cmp.Compare(a.at, b.at) })
	out := make([]float64, len(ts))
	var cost, rate float64
	last, i := time.Duration(0), 0
	for k, t := range ts {
		for i < len(edges) && edges[i].at <= t {
			cost += rate*(edges[i].at-last).Hours() + edges[i].lump
			last = edges[i].at
			rate += edges[i].rate
			i++
		}
		out[k] = cost + rate*(t-last).Hours()
	}
	return out
}

// NodeState implements model.Observer.
func (c *CostTrace) NodeState(now time.Duration, pool int, kind model.Kind, from, to model.State) {
	if c.fromBills {
		return
	}
	b0, b1 := billed(from), billed(to)
	if b0 == b1 {
		return
	}
	d := int32(1)
	if b0 {
		d = -1
	}
	c.steps = append(c.steps, costStep{at: now, key: int32(2*pool + int(kind)), delta: d})
}

// Cumulative returns the cost accrued by each of the times ts (ascending)
// at the catalog prices, by node kind, without rounding: node-hours times
// price.
func (c *CostTrace) Cumulative(ts []time.Duration) [2][]float64 {
	out := [2][]float64{make([]float64, len(ts)), make([]float64, len(ts))}
	count := make([]int, len(c.price))
	var cost, rate [2]float64
	last, i := time.Duration(0), 0
	for k, t := range ts {
		for i < len(c.steps) && c.steps[i].at <= t {
			s := c.steps[i]
			for kind := range cost {
				cost[kind] += rate[kind] * (s.at - last).Hours()
			}
			last = s.at
			count[s.key] += int(s.delta)
			rate = [2]float64{}
			for j, n := range count {
				rate[j%2] += float64(n) * c.price[j]
			}
			i++
		}
		for kind := range cost {
			out[kind][k] = cost[kind] + rate[kind]*(t-last).Hours()
		}
	}
	return out
}

// BilledAt returns the cumulative cost of replication res at the times ts
// (ascending, the last one after the replication ended). With the model's
// charges (model.BillObserver) each charge is spread over its own
// interval. Without, the node-hours at the catalog prices are scaled by
// node kind so that they end on the replication's bill: dedicated on
// CostDedicated, low-priority on CostLowPriority + CostDisk.
func (c *CostTrace) BilledAt(ts []time.Duration, res *model.Result) []float64 {
	if len(c.charges) > 0 {
		return c.fromCharges(ts)
	}
	raw := c.Cumulative(ts)
	out := make([]float64, len(ts))
	bill := [2]float64{res.CostDedicated, res.CostLowPriority + res.CostDisk}
	for kind := range raw {
		f := 1.0
		if end := raw[kind][len(ts)-1]; end > 0 {
			f = bill[kind] / end
		}
		for i, v := range raw[kind] {
			out[i] += f * v
		}
	}
	return out
}

// CostTraces hands out one CostTrace per replication of a scenario, for
// the first MaxCostTraces replications.
type CostTraces struct {
	Traces []*CostTrace
}

// NewCostTraces prepares the traces of sc's replications, for the model's
// charges (model.Run reports every charge to a BillObserver).
func NewCostTraces(sc *model.Scenario) *CostTraces {
	price := make([]float64, 2*len(sc.Pools))
	for i, p := range sc.Pools {
		price[2*i+int(model.Dedicated)] = p.Size.DedicatedPrice
		price[2*i+int(model.LowPriority)] = p.Size.LowPriorityPrice
	}
	t := &CostTraces{Traces: make([]*CostTrace, min(sc.Replications, MaxCostTraces))}
	for i := range t.Traces {
		t.Traces[i] = &CostTrace{price: price, fromBills: true}
	}
	return t
}

// RecordNodeHours makes the traces also record the node steps Cumulative
// reads (node-hours at the catalog prices, a cross-check of the bill); the
// charts draw the charges alone and do not need them.
func (t *CostTraces) RecordNodeHours() {
	for _, c := range t.Traces {
		c.fromBills = false
	}
}

// Observer returns replication rep's trace, or nil past the cap.
func (t *CostTraces) Observer(rep int) model.Observer {
	if rep < len(t.Traces) {
		return t.Traces[rep]
	}
	return nil
}

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

type nodeStep struct {
	at       time.Duration
	kind     model.Kind
	from, to Layer
}

// NodeTrace records every node state change of one replication, all pools
// together. It is a model.Observer.
type NodeTrace struct {
	steps []nodeStep
	// losses are the task runs preemptions threw away (model.LossObserver).
	losses []lossSpan
	// LostCoreHours is their work, in core-hours.
	LostCoreHours float64
	// End is when the replication ended (set by the caller from its result).
	End time.Duration
}

// lossSpan is one task run whose work was lost: it held nodes nodes
// during [from, to).
type lossSpan struct {
	from, to time.Duration
	nodes    float64
}

// WorkLost implements model.LossObserver.
func (n *NodeTrace) WorkLost(now time.Duration, _ int, lost time.Duration, nodes, coreHours float64) {
	n.losses = append(n.losses, lossSpan{from: now - lost, to: now, nodes: nodes})
	n.LostCoreHours += coreHours
}

// Wasted returns, at each of the times ts, how many nodes were running
// work that a preemption later threw away.
func (n *NodeTrace) Wasted(ts []time.Duration) []float64 {
	out := make([]float64, len(ts))
	for _, l := range n.losses {
		i, _ := slices.BinarySearch(ts, l.from)
		for ; i < len(ts) && ts[i] < l.to; i++ {
			out[i] += l.nodes
		}
	}
	return out
}

// NodeState implements model.Observer.
func (n *NodeTrace) NodeState(now time.Duration, _ int, kind model.Kind, from, to model.State) {
	f, t := layerOf(from), layerOf(to)
	if f != t {
		n.steps = append(n.steps, nodeStep{at: now, kind: kind, from: f, to: t})
	}
}

// Counts returns the node counts by kind and layer at each of the times ts
// (ascending), after every change at that instant.
func (n *NodeTrace) Counts(ts []time.Duration) [2][NumLayers][]float64 {
	var out [2][NumLayers][]float64
	for k := range out {
		for l := range out[k] {
			out[k][l] = make([]float64, len(ts))
		}
	}
	var cur [2][NumLayers]int
	i := 0
	for j, t := range ts {
		for i < len(n.steps) && n.steps[i].at <= t {
			s := n.steps[i]
			if s.from != layerNone {
				cur[s.kind][s.from]--
			}
			if s.to != layerNone {
				cur[s.kind][s.to]++
			}
			i++
		}
		for k := range cur {
			for l := range cur[k] {
				out[k][l][j] = float64(cur[k][l])
			}
		}
	}
	return out
}

// Representative returns the index of the finished replication whose
// completion time is nearest the median of the finished ones (the lowest
// index on a tie), or 0 when none finished.
func Representative(rs []model.Result) int {
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
