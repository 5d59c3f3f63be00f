package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/runner"
)

// RunChartData is what the charts of one run are drawn from.
type RunChartData struct {
	Runs                       *runner.Runs
	ScenarioCost, BaselineCost *CostTraces
	// Rep is the replication the node chart follows (see Representative),
	// and ScenarioNodes, BaselineNodes its node traces (End set).
	Rep                          int
	ScenarioNodes, BaselineNodes *NodeTrace
	// Markets is the spot market of replication Rep (model.Result.Markets,
	// from a replay with KeepSeries); price.png is drawn when a price in it
	// varies.
	Markets []model.MarketSeries
	// Horizon is the scenario's simulation.horizon (unfinished runs are
	// censored there).
	Horizon time.Duration
	// Deadline, when positive, is marked on completion.png: the time from
	// t = 0 by which the scenario's job with a deadline should be done
	// (ChartDeadline).
	Deadline time.Duration
}

// RunCharts draws nodes.png, cost.png, completion.png and, when the spot
// price varies, price.png.
func RunCharts(d *RunChartData) ([]Chart, error) {
	jobs := []chartJob{
		{"nodes.png", "Nodes by state over time", func() ([]byte, error) { return nodesChart(d) }},
		{"cost.png", "Cumulative cost over time", func() ([]byte, error) { return costChart(d) }},
		{"completion.png", "Completion time across replications", func() ([]byte, error) { return completionChart(d) }},
	}
	if PriceVaries(d.Markets) {
		jobs = append(jobs, chartJob{"price.png", priceChartTitle, func() ([]byte, error) {
			c, err := PriceChart(d.Markets, d.Rep, d.ScenarioNodes.End.Hours())
			if err != nil {
				return nil, err
			}
			return c.PNG, nil
		}})
	}
	return renderCharts(jobs)
}

// chartSamples is how many intervals time is cut into for the time charts.
const chartSamples = 600

func durations(hours []float64) []time.Duration {
	out := make([]time.Duration, len(hours))
	for i, h := range hours {
		out[i] = time.Duration(h * float64(time.Hour))
	}
	return out
}

// layer colours: dedicated nodes in blues, low-priority in oranges,
// preempted low-priority nodes in purple.
var layerColor = [2][NumLayers]color.NRGBA{
	{{0x08, 0x45, 0x94, 0xff}, {0x6b, 0xae, 0xd6, 0xff}, {0xc6, 0xdb, 0xef, 0xff}, {0x96, 0x96, 0x96, 0xff}, {0x7a, 0x01, 0x77, 0xff}},
	{{0xd9, 0x48, 0x01, 0xff}, {0xfd, 0xae, 0x6b, 0xff}, {0xfe, 0xe6, 0xce, 0xff}, {0xbd, 0xbd, 0xbd, 0xff}, {0x7a, 0x01, 0x77, 0xff}},
}

// nodesChart stacks node counts by kind and state, the scenario's
// representative replication above the same replication of the baseline.
func nodesChart(d *RunChartData) ([]byte, error) {
	sc, bl := d.ScenarioNodes, d.BaselineNodes
	xs := sc.edges()
	ymax := 1.0
	for _, n := range []*NodeTrace{sc, bl} {
		for _, c := range n.cols {
			ymax = math.Max(ymax, float64(c.hi[stackLayers-1]))
		}
	}
	rep := d.Runs.Scenario.Records[d.Rep]
	yTop := math.Ceil(niceMax(ymax * 1.05))
	top := nodePanel(fmt.Sprintf("Scenario: nodes by state, replication %d (nearest the median, %.2f h)", d.Rep, rep.Completion.Hours()), xs, sc, yTop)
	bot := nodePanel(fmt.Sprintf("Dedicated-only baseline, same replication (%.2f h)", d.Runs.Baseline.Records[d.Rep].Completion.Hours()), xs, bl, yTop)
	for _, p := range []*plot.Plot{top.p, bot.p} {
		p.X.Min, p.X.Max = 0, xs[len(xs)-1]
		p.Y.Min, p.Y.Max = 0, yTop
		p.Y.Tick.Marker = intTicks{}
	}
	return render(ChartWidth, NodesChartHeight, func(dc draw.Canvas) {
		lw := max(top.legend.Rectangle(dc).Max.X-top.legend.Rectangle(dc).Min.X,
			bot.legend.Rectangle(dc).Max.X-bot.legend.Rectangle(dc).Min.X) + vg.Points(16)
		h := (dc.Max.Y - dc.Min.Y) / 2
		for i, panel := range []nodePanelPlot{top, bot} {
			c := draw.Crop(dc, 0, 0, h*vg.Length(1-i), -h*vg.Length(i))
			legend := draw.Crop(c, c.Max.X-c.Min.X-lw, -vg.Points(8), 0, -vg.Points(40))
			panel.legend.Draw(legend)
			panel.p.Draw(draw.Crop(c, 0, -lw, 0, 0))
		}
	})
}

type nodePanelPlot struct {
	p      *plot.Plot
	legend plot.Legend
}

// colWasted is the running nodes whose work a preemption later threw away.
var colWasted = color.NRGBA{0xb2, 0x18, 0x2b, 0xff}

// nodePanel draws one stacked area plot of n over the columns whose edges
// are xs: each layer is filled from 0 to its upper edge, drawn from the
// top layer down. In a column where an edge moved, it is drawn at its
// highest over the column's first half and at its lowest over the second,
// so that a change shorter than a column still shows. The nodes running
// work that a preemption later threw away (on average over the column, of
// lost core-hours in all) are taken out of the running layers,
// low-priority first, and stacked at the bottom in red, so a pool that
// keeps losing its work does not look busy.
//
// A layer is filled down to a little below the layer under it rather than
// to 0 (the layers below paint over the overlap, so the picture is the
// same): painting each layer's whole height was most of the chart's cost.
func nodePanel(title string, xs []float64, n *NodeTrace, yTop float64) nodePanelPlot {
	p := newPlot(title, "time from the start (h)", "nodes")
	p.Title.TextStyle.Font.Size = vg.Points(13.5)
	type layer struct {
		name   string
		col    color.NRGBA
		lo, hi []float64
	}
	var layers []layer
	// shift is how far the dedicated layers move up: the lost work taken
	// out of the low-priority running nodes below the red layer
	shift := make([]float64, len(n.cols))
	if wasted := n.wasted(); slices.Max(wasted) > 0 {
		w := make([]float64, len(n.cols))
		dedRun, dedTop := stackIndex(model.Dedicated, LayerRunning), stackIndex(model.Dedicated, NumLayers-1)
		lowRun := stackIndex(model.LowPriority, LayerRunning)
		for j, c := range n.cols {
			low := math.Min(wasted[j], float64(c.hi[lowRun]-c.hi[dedTop]))
			ded := math.Min(wasted[j]-low, float64(c.hi[dedRun]))
			w[j], shift[j] = low+ded, low
		}
		layers = append(layers, layer{fmt.Sprintf("work later lost (%.0f core-h)", n.LostCoreHours), colWasted, w, w})
	}
	for k := model.Dedicated; k <= model.LowPriority; k++ {
		for l := Layer(0); l < NumLayers; l++ {
			i := stackIndex(k, l)
			if !n.used[i] {
				continue
			}
			lo, hi := make([]float64, len(n.cols)), make([]float64, len(n.cols))
			for j, c := range n.cols {
				lo[j], hi[j] = float64(c.lo[i]), float64(c.hi[i])
				if k == model.Dedicated {
					lo[j], hi[j] = lo[j]+shift[j], hi[j]+shift[j]
				}
			}
			layers = append(layers, layer{fmt.Sprintf("%s %s", k, l), layerColor[k][l], lo, hi})
		}
	}
	leg := newLegend()
	leg.Top, leg.Left = true, true
	var top plotter.XYs
	paths := make([]plotter.XYs, len(layers))
	for i := range layers {
		paths[i] = stepPath(xs, layers[i].lo, layers[i].hi)
	}
	for i := len(layers) - 1; i >= 0; i-- {
		pts := paths[i]
		if i == len(layers)-1 {
			top = pts
		}
		ln := &plotter.Line{XYs: pts, LineStyle: draw.LineStyle{Color: withAlpha(layers[i].col, 0xff)}, FillColor: layers[i].col}
		leg.Add(layers[i].name, ln)
		if i == 0 {
			p.Add(ln)
			continue
		}
		// down to 2 % of the axis below the layer under it
		below := paths[i-1]
		poly := make(plotter.XYs, 0, len(pts)+len(below))
		poly = append(poly, pts...)
		for j := len(below) - 1; j >= 0; j-- {
			poly = append(poly, plotter.XY{X: below[j].X, Y: math.Max(0, below[j].Y-0.02*yTop)})
		}
		p.Add(&plotter.Polygon{XYs: []plotter.XYs{poly}, Color: layers[i].col})
	}
	// the total as a thin dark outline
	if top != nil {
		p.Add(&plotter.Line{XYs: top, LineStyle: draw.LineStyle{Color: colText, Width: vg.Points(0.8)}})
	}
	return nodePanelPlot{p: p, legend: leg}
}

// stepPath is the outline of a stacked layer's upper edge over the
// columns whose edges are xs: where the edge held still over a column, at
// its height; where it moved, at its highest (hi) over the column's first
// half and its lowest (lo) over the second. A vertex is made only where
// the height changes.
func stepPath(xs, lo, hi []float64) plotter.XYs {
	var pts plotter.XYs
	y := math.NaN()
	level := func(x, v float64) {
		if v == y {
			return
		}
		if len(pts) > 0 {
			pts = append(pts, plotter.XY{X: x, Y: y})
		}
		pts = append(pts, plotter.XY{X: x, Y: v})
		y = v
	}
	for j := range lo {
		level(xs[j], hi[j])
		if lo[j] != hi[j] {
			level((xs[j]+xs[j+1])/2, lo[j])
		}
	}
	return append(pts, plotter.XY{X: xs[len(xs)-1], Y: y})
}

// niceEnd rounds an end time in hours up to a round number.
func niceEnd(h float64) float64 {
	if h <= 0 {
		return 1
	}
	return h * 1.03
}

// chartRuns returns the replications a chart shows: the finished ones, or
// all of them when none finished.
func chartRuns(rs []runner.Record) []int {
	var idx, all []int
	for i := range rs {
		all = append(all, i)
		if rs[i].Finished {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return all
	}
	return idx
}

// costChart draws the mean cumulative cost of scenario and baseline with
// their p5–p95 bands across replications.
func costChart(d *RunChartData) ([]byte, error) {
	type sideData struct {
		name   string
		col    color.NRGBA
		rs     []runner.Record
		traces *CostTraces
	}
	sides := []sideData{
		{"scenario", colScenario, d.Runs.Scenario.Records, d.ScenarioCost},
		{"dedicated-only baseline", colBaseline, d.Runs.Baseline.Records, d.BaselineCost},
	}
	end := 0.0
	for _, s := range sides {
		for _, i := range chartRuns(s.rs) {
			if i < len(s.traces.Traces) {
				end = math.Max(end, s.rs[i].Completion.Hours())
			}
		}
	}
	xs := grid(niceEnd(end), chartSamples)
	ts := durations(xs)
	p := newPlot("Cumulative cost over time: mean and p5–p95 across replications", "time from the start (h)", "cost so far (USD)")
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(6)
	ymax := 0.0
	for _, s := range sides {
		var curves [][]float64
		n := 0
		for _, i := range chartRuns(s.rs) {
			if i < len(s.traces.Traces) {
				curves = append(curves, s.traces.Traces[i].BilledAt(ts))
				n++
			}
		}
		if n == 0 {
			continue
		}
		mean, lo, hi := make([]float64, len(xs)), make([]float64, len(xs)), make([]float64, len(xs))
		col := make([]float64, n)
		for j := range xs {
			for r := range curves {
				col[r] = curves[r][j]
			}
			slices.Sort(col)
			mean[j] = stat.Mean(col, nil)
			lo[j] = stat.Quantile(0.05, stat.Empirical, col, nil)
			hi[j] = stat.Quantile(0.95, stat.Empirical, col, nil)
		}
		ymax = math.Max(ymax, hi[len(hi)-1])
		b := band(xs, lo, hi, withAlpha(s.col, 0x50))
		b.LineStyle.Width = 0
		m := line(xs, mean, s.col, 2.2, false)
		p.Add(b, m)
		p.Legend.Add(fmt.Sprintf("%s: mean, $%.2f at the end (%d runs)", s.name, mean[len(mean)-1], n), m)
		p.Legend.Add(fmt.Sprintf("%s: p5–p95", s.name), b)
	}
	p.X.Min, p.X.Max = 0, xs[len(xs)-1]
	p.Y.Min, p.Y.Max = 0, niceMax(ymax*1.1)
	return renderPlot(p, ChartWidth, ChartHeight)
}

// completionStart is where completion.png's axis starts: at 0, unless the
// runs are bunched far from it (the data start beyond 40 % of the axis);
// then at x0, and broken says the axis must show its break.
func completionStart(x0, x1 float64) (start float64, broken bool) {
	if x0 < 0.4*x1 {
		return 0, false
	}
	return x0, true
}

// completionChart draws the empirical CDF of completion time of the
// scenario and the baseline, with their 95th percentiles marked.
func completionChart(d *RunChartData) ([]byte, error) {
	p := newPlot("Completion time across replications (empirical CDF)", "completion time (h)", "replications finished by then (%)")
	p.Legend.Top, p.Legend.Left = true, true // an ECDF is lowest on the left
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(6)
	lo, hi := math.Inf(1), math.Inf(-1)
	type ecdf struct {
		name string
		col  color.NRGBA
		xs   []float64
		n    int
	}
	var es []ecdf
	for _, s := range []struct {
		name string
		col  color.NRGBA
		rs   []runner.Record
	}{{"scenario", colScenario, d.Runs.Scenario.Records}, {"dedicated-only baseline", colBaseline, d.Runs.Baseline.Records}} {
		var xs []float64
		for i := range s.rs {
			if s.rs[i].Finished {
				xs = append(xs, s.rs[i].Completion.Hours())
			}
		}
		slices.Sort(xs)
		if len(xs) > 0 {
			lo, hi = math.Min(lo, xs[0]), math.Max(hi, xs[len(xs)-1])
		}
		es = append(es, ecdf{s.name, s.col, xs, len(s.rs)})
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if d.Deadline > 0 {
		lo, hi = math.Min(lo, d.Deadline.Hours()), math.Max(hi, d.Deadline.Hours())
	}
	pad := math.Max((hi-lo)*0.08, 0.05*math.Max(hi, 0.01))
	x0, x1 := math.Max(0, lo-pad), hi+pad
	for _, e := range es {
		if len(e.xs) == 0 {
			continue
		}
		xs := []float64{x0}
		ys := []float64{0}
		for i, x := range e.xs {
			xs = append(xs, x, x)
			ys = append(ys, 100*float64(i)/float64(e.n), 100*float64(i+1)/float64(e.n))
		}
		xs = append(xs, x1)
		ys = append(ys, ys[len(ys)-1])
		l := line(xs, ys, e.col, 2.2, false)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (%d of %d runs finished)", e.name, len(e.xs), e.n), l)
		// p95 over all runs, an unfinished run censored at the horizon: the
		// one rule of the reports (SummarizeCensored)
		cen := make([]float64, e.n-len(e.xs))
		for i := range cen {
			cen[i] = d.Horizon.Hours()
		}
		if p95 := SummarizeCensored(e.xs, cen).P95; !math.IsNaN(p95) {
			v := vline(p95, 0, 100, e.col, 1.2, true)
			p.Add(v)
			p.Legend.Add(fmt.Sprintf("%s p95: %.2f h", e.name, p95), v)
		} else {
			p.Legend.Add(fmt.Sprintf("%s p95: not reached (%d runs unfinished)", e.name, e.n-len(e.xs)))
		}
	}
	p.Add(line([]float64{x0, x1}, []float64{95, 95}, colMuted, 0.8, true))
	if d.Deadline > 0 {
		v := vline(d.Deadline.Hours(), 0, 100, color.NRGBA{A: 255}, 1.6, false)
		p.Add(v)
		p.Legend.Add(fmt.Sprintf("deadline: %.2f h", d.Deadline.Hours()), v)
	}
	// The axis starts at 0 unless the runs are bunched far from it; then
	// it says where it starts, and a break mark on the axis shows the cut.
	if x0, broken := completionStart(x0, x1); !broken {
		p.X.Min = 0
	} else {
		p.X.Label.Text = fmt.Sprintf("completion time (h); the axis starts at %s h, not 0", strconv.FormatFloat(x0, 'f', 1, 64))
		w := (x1 - x0) * 0.006
		for _, dx := range []float64{0, 1.6 * w} {
			p.Add(line([]float64{x0 + dx, x0 + dx + w}, []float64{0, 4}, colText, 1.4, false))
		}
	}
	p.X.Min, p.X.Max = x0, x1
	if _, broken := completionStart(x0, x1); !broken {
		p.X.Min = 0
	}
	// room above 100 % for the legend, which then never hides a curve
	p.Y.Min, p.Y.Max = 0, 132
	p.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 10}, {Value: 20, Label: "20"}, {Value: 30}, {Value: 40, Label: "40"},
		{Value: 50}, {Value: 60, Label: "60"}, {Value: 70}, {Value: 80, Label: "80"}, {Value: 90}, {Value: 100, Label: "100"}}
	return renderPlot(p, ChartWidth, ChartHeight)
}
