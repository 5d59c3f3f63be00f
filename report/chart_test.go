package report_test

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/scenarios"
)

// TestCharts: every chart decodes as a PNG of the documented size, is not
// blank, is the same bytes for 1 and 4 workers, and changes when the
// scenario does.
func TestCharts(t *testing.T) {
	a1 := runScenario(t, 1)
	a4 := runScenario(t, 4)
	b := runScenario(t, 2, scenarios.Set{Path: "pools.main.target_low_priority_nodes", Value: "10"})
	want := map[string][2]int{
		"nodes.png":      {report.ChartWidth, report.NodesChartHeight},
		"cost.png":       {report.ChartWidth, report.ChartHeight},
		"completion.png": {report.ChartWidth, report.ChartHeight},
	}
	if len(a1.charts) != len(want) {
		t.Fatalf("got %d charts, want %d", len(a1.charts), len(want))
	}
	for i, c := range a1.charts {
		size, ok := want[c.Name]
		if !ok {
			t.Fatalf("unexpected chart %s", c.Name)
		}
		img, err := png.Decode(bytes.NewReader(c.PNG))
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if got := img.Bounds().Size(); got != (image.Point{X: size[0], Y: size[1]}) {
			t.Errorf("%s: size %v, want %dx%d", c.Name, got, size[0], size[1])
		}
		if n := colours(img); n < 20 {
			t.Errorf("%s: only %d distinct colours: a blank chart?", c.Name, n)
		}
		if !bytes.Equal(c.PNG, a4.charts[i].PNG) {
			t.Errorf("%s differs between 1 and 4 workers", c.Name)
		}
		other, err := png.Decode(bytes.NewReader(b.charts[i].PNG))
		if err != nil {
			t.Fatal(err)
		}
		if samePixels(img, other) {
			t.Errorf("%s: identical for 4 and 10 low-priority nodes", c.Name)
		}
	}
}

func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			seen[[4]uint32{cr, cg, cb, ca}] = true
		}
	}
	return len(seen)
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// nodeHours is an observer that adds up the node-hours of each kind at
// the catalog prices from the node states, a node billed from its
// allocation until it is preempted or released: a check of the charges
// the cost chart draws. It holds its cost trace as a field, not embedded,
// so that it is not a model.BillOnlyObserver: Run must tell it the states.
type nodeHours struct {
	trace report.CostTrace
	price [2]float64
	nodes [2]int
	last  time.Duration
	cost  [2]float64
}

func (n *nodeHours) Billed(pool int, kind model.Kind, from, to time.Duration, cost float64) {
	n.trace.Billed(pool, kind, from, to, cost)
}

func (n *nodeHours) NodeState(now time.Duration, _ int, kind model.Kind, from, to model.State) {
	billed := func(s model.State) bool { return s != model.Preempted && s != model.Released }
	if billed(from) == billed(to) {
		return
	}
	for k := range n.cost {
		n.cost[k] += float64(n.nodes[k]) * n.price[k] * (now - n.last).Hours()
	}
	n.last = now
	if billed(to) {
		n.nodes[kind]++
	} else {
		n.nodes[kind]--
	}
}

// TestCostTraceMatchesBill: the curve the cost chart draws ends on the
// replication's bill and stays there, and the node-hours at the catalog
// prices are that bill less at most one billing granule per allocation.
func TestCostTraceMatchesBill(t *testing.T) {
	for _, g := range []string{"1s", "1h"} {
		sc, err := scenarios.Load("testdata/small.toml", scenarios.Set{Path: "billing.granularity", Value: `"` + g + `"`})
		if err != nil {
			t.Fatal(err)
		}
		gran := sc.Billing.Granularity
		for rep := 0; rep < 5; rep++ {
			obs := &nodeHours{price: [2]float64{sc.Pools[0].Size.DedicatedPrice, sc.Pools[0].Size.LowPriorityPrice}}
			res, err := model.Run(sc, rep, model.Options{Observer: obs})
			if err != nil {
				t.Fatal(err)
			}
			// the last allocations are billed to the end of their granule
			billed := obs.trace.BilledAt([]time.Duration{res.Completion + gran, res.Completion + 24*time.Hour})
			if math.Abs(billed[0]-res.Cost) > 1e-9*res.Cost || math.Abs(billed[1]-billed[0]) > 1e-12 {
				t.Errorf("granularity %s rep %d: the curve is at $%.9f a granule after the end and $%.9f a day later, not on the bill $%.9f", g, rep, billed[0], billed[1], res.Cost)
			}
			if obs.nodes != [2]int{} {
				t.Errorf("granularity %s rep %d: %v nodes still billed after the end", g, rep, obs.nodes)
			}
			end := obs.cost[0] + obs.cost[1]
			allocs := float64(sc.Pools[0].TargetDedicatedNodes+sc.Pools[0].TargetLowPriorityNodes) + float64(res.Preemptions)
			slack := allocs * gran.Hours() * sc.Pools[0].Size.DedicatedPrice
			if d := res.Cost - end; d < -1e-9 || d > slack+1e-9 {
				t.Errorf("granularity %s rep %d: node-hours $%.6f, bill $%.6f (allowed rounding $%.6f)", g, rep, end, res.Cost, slack)
			}
			if g == "1s" && math.Abs(res.Cost-end) > 0.01 {
				t.Errorf("rep %d: per-second billing, node-hours $%.6f far from bill $%.6f", rep, end, res.Cost)
			}
		}
	}
}

// TestRepresentative: the representative replication is the finished one
// nearest the median.
func TestRepresentative(t *testing.T) {
	rs := []runner.Record{
		{Finished: true, Completion: 5 * time.Hour},
		{Finished: true, Completion: 1 * time.Hour},
		{Finished: false, Completion: 3 * time.Hour},
		{Finished: true, Completion: 3 * time.Hour},
		{Finished: true, Completion: 2 * time.Hour},
	}
	// finished: 5, 1, 3, 2 h; median 2.5 h; 3 h (index 3) and 2 h (index 4) tie: lowest index
	if got := report.Representative(rs); got != 3 {
		t.Errorf("Representative = %d, want 3", got)
	}
}

// TestPriceChart: price.png appears when the spot price varies, and only then.
func TestPriceChart(t *testing.T) {
	r := runScenario(t, 2,
		scenarios.Set{Path: "pools.main.spot_price", Value: `{ model = "ou", mean = 0.02, volatility = 0.01, reversion_time = "2h" }`},
		scenarios.Set{Path: "pools.main.service", Value: "scaleset"}, // max_price is a scale set's
		scenarios.Set{Path: "pools.main.restore_timeout", Value: "2h"},
		scenarios.Set{Path: "pools.main.max_price", Value: "0.03"})
	var found *report.Chart
	for i := range r.charts {
		if r.charts[i].Name == "price.png" {
			found = &r.charts[i]
		}
	}
	if found == nil {
		t.Fatalf("no price.png for an OU spot price (charts: %d)", len(r.charts))
	}
	img, err := png.Decode(bytes.NewReader(found.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Size() != (image.Point{X: report.ChartWidth, Y: report.ChartHeight}) || colours(img) < 20 {
		t.Errorf("price.png: size %v, %d colours", img.Bounds().Size(), colours(img))
	}
}
