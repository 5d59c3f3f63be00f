package report

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/scenarios"
)

// TestIntTicks: node counts get whole-number ticks only, whatever the range.
func TestIntTicks(t *testing.T) {
	for _, hi := range []float64{1, 2, 3, 5, 7, 12, 20, 25, 60, 150, 1000} {
		ts := intTicks{}.Ticks(0, hi)
		labelled := 0
		for _, tk := range ts {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("0..%v: tick at %v", hi, tk.Value)
			}
			if tk.Label != "" {
				labelled++
			}
		}
		if labelled < 2 {
			t.Errorf("0..%v: %d labelled ticks", hi, labelled)
		}
	}
}

// TestCompletionAxisStart: the completion axis starts at 0, or says where
// it starts when the runs are bunched far from 0.
func TestCompletionAxisStart(t *testing.T) {
	for _, c := range []struct {
		x0, x1, start float64
		broken        bool
	}{{0.5, 3, 0, false}, {1.1, 3, 0, false}, {35.6, 41.5, 35.6, true}} {
		if s, b := completionStart(c.x0, c.x1); s != c.start || b != c.broken {
			t.Errorf("completionStart(%v, %v) = %v, %v; want %v, %v", c.x0, c.x1, s, b, c.start, c.broken)
		}
	}
}

// TestNodeTraceWasted: a run whose work was lost counts as wasted nodes
// over the time it ran, on average over each column, and its core-hours
// add up.
func TestNodeTraceWasted(t *testing.T) {
	n := NewNodeTraces(4*time.Hour, 0)[0]
	n.WorkLost(3*time.Hour, 0, 2*time.Hour, 1, 8) // ran 1h-3h on one node
	n.WorkLost(4*time.Hour, 0, time.Hour, 16, 64) // an MPI gang of 16 nodes, 3h-4h
	n.Done(4 * time.Hour)
	w := n.wasted()
	for _, c := range []struct {
		at   time.Duration
		want float64
	}{{30 * time.Minute, 0}, {90 * time.Minute, 1}, {150 * time.Minute, 1}, {210 * time.Minute, 16}, {245 * time.Minute, 0}} {
		if got := w[int(c.at/n.w)]; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("at %v: %v nodes wasted, want %v", c.at, got, c.want)
		}
	}
	// a column half in the gang's run: half its nodes on average
	j := int(4 * time.Hour / n.w)
	if half := float64(4*time.Hour-time.Duration(j)*n.w) / float64(n.w) * 16; math.Abs(w[j]-half) > 1e-6 {
		t.Errorf("column across the end: %v, want %v", w[j], half)
	}
	if n.LostCoreHours != 72 {
		t.Errorf("lost %v core-h, want 72", n.LostCoreHours)
	}
}

// layerCount is how many nodes kind's layer l holds over column j, where
// the stack held still.
func layerCount(c nodeColumn, kind model.Kind, l Layer) int32 {
	i := stackIndex(kind, l)
	if i == 0 {
		return c.hi[0]
	}
	return c.hi[i] - c.hi[i-1]
}

// TestNodeTrace: node counts start at the pool's targets and end at zero.
func TestNodeTrace(t *testing.T) {
	sc, err := scenarios.Load("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	res0, err := model.Run(sc, 3, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr := NewNodeTraces(res0.Completion, 0)[0]
	res, err := model.Run(sc, 3, model.Options{Observer: tr})
	if err != nil {
		t.Fatal(err)
	}
	tr.Done(res.Completion)
	first, last := tr.cols[0], tr.cols[len(tr.cols)-1]
	if first.lo != first.hi || last.lo != last.hi {
		t.Fatalf("the first and last columns should hold still: %+v, %+v", first, last)
	}
	if d, l := first.hi[stackIndex(model.Dedicated, NumLayers-1)], first.hi[stackLayers-1]-first.hi[stackIndex(model.Dedicated, NumLayers-1)]; d != 2 || l != 4 {
		t.Errorf("at t=0: %v dedicated, %v low-priority nodes; want 2 and 4", d, l)
	}
	if n := layerCount(first, model.Dedicated, LayerStarting); n != 2 {
		t.Errorf("at t=0 the dedicated nodes should be starting (creating), got %v", n)
	}
	if n := last.hi[stackLayers-1]; n != 0 {
		t.Errorf("after the end: %v nodes left; want none", n)
	}
}

// TestNodeTraceSpike: a preemption shorter than a column still shows: the
// column holds the least and the most nodes of each edge of the stack,
// and the chart's outline of the running nodes dips in it. Sampling the
// counts once a column, as the chart did, missed it.
func TestNodeTraceSpike(t *testing.T) {
	n := NewNodeTraces(10*time.Hour, 0)[0]
	for range 20 {
		n.NodeState(0, 0, model.LowPriority, model.Released, model.Running)
	}
	for i := range 5 {
		n.NodeState(5*time.Hour+time.Duration(i)*time.Millisecond, 0, model.LowPriority, model.Running, model.Preempted)
	}
	for i := range 5 {
		n.NodeState(5*time.Hour+time.Second+time.Duration(i)*time.Millisecond, 0, model.LowPriority, model.Preempted, model.Running)
	}
	n.NodeState(9*time.Hour, 0, model.LowPriority, model.Running, model.Released)
	n.Done(10 * time.Hour)
	run, pre := stackIndex(model.LowPriority, LayerRunning), stackIndex(model.LowPriority, LayerPreempted)
	c := n.cols[int(5*time.Hour/n.w)]
	if c.lo[run] != 15 || c.hi[run] != 20 || c.lo[pre] != 20 || c.hi[pre] != 20 {
		t.Errorf("column of the spike: running edge %d-%d, preempted edge %d-%d; want 15-20 and 20", c.lo[run], c.hi[run], c.lo[pre], c.hi[pre])
	}
	if !n.used[pre] {
		t.Error("the preempted layer is not drawn")
	}
	xs := n.edges()
	lo, hi := make([]float64, len(n.cols)), make([]float64, len(n.cols))
	for j, c := range n.cols {
		lo[j], hi[j] = float64(c.lo[run]), float64(c.hi[run])
	}
	dips := 0
	for _, p := range stepPath(xs, lo, hi) {
		if p.Y == 15 {
			dips++
		}
	}
	if dips != 2 {
		t.Errorf("the running outline reaches 15 at %d vertices, want 2 (a dip)", dips)
	}
}

// TestRampBuckets: past rampExact events a ramp keeps rampBuckets buckets,
// and its value stays within a bucket's worth of the exact one: at most
// the largest slope times a bucket's width.
func TestRampBuckets(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var exact, bucketed ramp
	var total float64
	for range 100000 {
		from := time.Duration(r.Float64() * float64(100*time.Hour))
		to := from + time.Duration(r.ExpFloat64()*float64(time.Hour))
		cost := r.Float64()
		rate := cost / (to - from).Hours()
		bucketed.add(from, rate, 0)
		bucketed.add(to, -rate, 0)
		exact.exact = append(exact.exact, rampEvent{from, rate, 0}, rampEvent{to, -rate, 0})
		total += cost
	}
	if bucketed.w == 0 || len(bucketed.s) != rampBuckets || bucketed.exact != nil {
		t.Fatalf("not bucketed: width %v, %d buckets, %d exact events", bucketed.w, len(bucketed.s), len(bucketed.exact))
	}
	var ts []time.Duration
	for i := range 3000 {
		ts = append(ts, time.Duration(i)*time.Duration(float64(150*time.Hour)/3000))
	}
	got, want := bucketed.at(ts), exact.at(ts)
	// the cost rate never exceeds the sum of the rates of the charges
	// under way, here about 100000 charges over 100 h, an hour each
	tol := 2 * 1000 * bucketed.w.Hours()
	for i := range ts {
		if math.Abs(got[i]-want[i]) > tol {
			t.Fatalf("at %v: bucketed %v, exact %v (tolerance %v)", ts[i], got[i], want[i], tol)
		}
	}
	if end := got[len(got)-1]; math.Abs(end-total) > 1e-6*total {
		t.Errorf("ends at %v, want %v", end, total)
	}
}

// TestTraceMemoryBounded: the traces of a replication with a million
// events hold no more than CostTraceBytes and NodeTraceBytes; the traces
// used to keep every event (16 to 24 bytes each, tens of MB here).
func TestTraceMemoryBounded(t *testing.T) {
	const events = 1000000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	var c CostTrace
	n := NewNodeTraces(events*time.Second, 0)[0]
	for i := range events {
		at := time.Duration(i) * time.Second
		c.Billed(0, model.LowPriority, at, at+time.Second, 0.01)
		n.NodeState(at, 0, model.LowPriority, model.Released, model.Running)
		n.NodeState(at+time.Second/2, 0, model.LowPriority, model.Running, model.Preempted)
		n.NodeState(at+time.Second/2, 0, model.LowPriority, model.Preempted, model.Released)
		n.WorkLost(at+time.Second/2, 0, time.Second/2, 1, 2)
	}
	n.Done(events * time.Second)
	grew := heap() - before
	if bound := uint64(CostTraceBytes + NodeTraceBytes + 64<<10); grew > bound {
		t.Errorf("traces of %d events hold %d bytes, more than %d", events, grew, bound)
	}
	// past the last bucket with a charge, the curve is exact
	if got := c.BilledAt([]time.Duration{events*time.Second + time.Hour})[0]; math.Abs(got-0.01*events) > 1e-6 {
		t.Errorf("cost %v, want %v", got, 0.01*events)
	}
	runtime.KeepAlive(n)
}
