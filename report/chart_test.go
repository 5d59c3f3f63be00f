package report_test

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model"
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

// TestCostTraceMatchesBill: the node-hours cost a trace ends on is the
// replication's bill less at most one billing granule per allocation, and
// the curve the chart draws ends on the bill.
func TestCostTraceMatchesBill(t *testing.T) {
	for _, g := range []string{"1s", "1h"} {
		sc, err := scenarios.Load("testdata/small.toml", scenarios.Set{Path: "billing.granularity", Value: `"` + g + `"`})
		if err != nil {
			t.Fatal(err)
		}
		traces := report.NewCostTraces(sc)
		traces.RecordNodeHours()
		gran := sc.Billing.Granularity
		for rep := 0; rep < 5; rep++ {
			res, err := model.Run(sc, rep, model.Options{Observer: traces.Observer(rep)})
			if err != nil {
				t.Fatal(err)
			}
			ts := []time.Duration{res.Completion, res.Completion + 24*time.Hour}
			raw := traces.Traces[rep].Cumulative(ts)
			end := []float64{raw[0][0] + raw[1][0], raw[0][1] + raw[1][1]}
			if billed := traces.Traces[rep].BilledAt(ts, &res); math.Abs(billed[1]-res.Cost) > 1e-9*res.Cost {
				t.Errorf("granularity %s rep %d: Billed ends at $%.9f, not on the bill $%.9f", g, rep, billed[1], res.Cost)
			}
			if end[0] != end[1] {
				t.Errorf("granularity %s rep %d: cost still accrues after the end: %v then %v", g, rep, end[0], end[1])
			}
			allocs := float64(sc.Pools[0].TargetDedicatedNodes+sc.Pools[0].TargetLowPriorityNodes) + float64(res.Preemptions)
			slack := allocs * gran.Hours() * sc.Pools[0].Size.DedicatedPrice
			if d := res.Cost - end[0]; d < -1e-9 || d > slack+1e-9 {
				t.Errorf("granularity %s rep %d: trace ends at $%.6f, bill $%.6f (allowed rounding $%.6f)", g, rep, end[0], res.Cost, slack)
			}
			if g == "1s" && math.Abs(res.Cost-end[0]) > 0.01 {
				t.Errorf("rep %d: per-second billing, trace $%.6f far from bill $%.6f", rep, end[0], res.Cost)
			}
		}
	}
}

// TestNodeTrace: node counts start at the pool's targets and end at zero,
// and the representative replication is the one nearest the median.
func TestNodeTrace(t *testing.T) {
	sc, err := scenarios.Load("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	var tr report.NodeTrace
	res, err := model.Run(sc, 3, model.Options{Observer: &tr})
	if err != nil {
		t.Fatal(err)
	}
	c := tr.Counts([]time.Duration{0, res.Completion + time.Second})
	total := func(k model.Kind, i int) (n float64) {
		for l := range c[k] {
			n += c[k][l][i]
		}
		return n
	}
	if d, l := total(model.Dedicated, 0), total(model.LowPriority, 0); d != 2 || l != 4 {
		t.Errorf("at t=0: %v dedicated, %v low-priority nodes; want 2 and 4", d, l)
	}
	if c[model.Dedicated][report.LayerStarting][0] != 2 {
		t.Errorf("at t=0 the dedicated nodes should be starting (creating), got %v", c[model.Dedicated][report.LayerStarting][0])
	}
	if d, l := total(model.Dedicated, 1), total(model.LowPriority, 1); d != 0 || l != 0 {
		t.Errorf("after the end: %v dedicated, %v low-priority nodes left; want none", d, l)
	}
	rs := []model.Result{
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
