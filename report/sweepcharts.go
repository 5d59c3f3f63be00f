package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SweepCharts draws frontier.png and, when exactly two axes have more than
// one value, heatmap.png.
func SweepCharts(s *Sweep) ([]Chart, error) {
	jobs := []chartJob{{"frontier.png", "Cost against completion time, with the Pareto front", func() ([]byte, error) { return frontierChart(s) }}}
	if a, b, ok := heatmapAxes(s); ok {
		jobs = append(jobs, chartJob{"heatmap.png", "Mean cost and completion time by " + s.AxisLabel(a) + " and " + s.AxisLabel(b),
			func() ([]byte, error) { return heatmapChart(s, a, b) }})
	}
	return renderCharts(jobs)
}

// heatmapAxes returns the two swept axes when exactly two have several
// values.
func heatmapAxes(s *Sweep) (int, int, bool) {
	var many []int
	for i, a := range s.Axes {
		if len(a.Values) > 1 {
			many = append(many, i)
		}
	}
	if len(many) != 2 {
		return 0, 0, false
	}
	return many[0], many[1], true
}

// thickRing is a ring glyph with a heavy outline, for the recommended point.
type thickRing struct{}

func (thickRing) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(2.5)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}

func pctName(p float64) string { return "p" + strconv.FormatFloat(p, 'g', -1, 64) }

// cost colours: light (cheap) to dark blue (expensive); grey for a point
// without a cost to show.
var heatStops = []color.NRGBA{{0xf7, 0xfb, 0xff, 0xff}, {0xc6, 0xdb, 0xef, 0xff}, {0x6b, 0xae, 0xd6, 0xff}, {0x21, 0x71, 0xb5, 0xff}, {0x08, 0x30, 0x6b, 0xff}}

var colNone = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}

func heatColor(t float64) color.NRGBA {
	if math.IsNaN(t) {
		return colNone
	}
	t = math.Max(0, math.Min(1, t)) * float64(len(heatStops)-1)
	i := min(int(t), len(heatStops)-2)
	u := t - float64(i)
	a, b := heatStops[i], heatStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// heatCell is what one cell of heatmap.png shows.
type heatCell struct {
	cost  float64 // the colour: mean cost (NaN: grey)
	label string
	meets bool // meets the deadline at the percentile
}

// cellOf says what the cell of point pt shows: its mean cost (a lower
// bound, "≥", when runs did not finish) and completion at the
// percentile; "unfinished (54 % done)" when no run finished.
func cellOf(s *Sweep, pt *SweepPoint) heatCell {
	pct := pctName(s.Percentile)
	if pt == nil {
		return heatCell{cost: math.NaN(), label: "not in the sweep"}
	}
	if pt.Finished == 0 || math.IsNaN(pt.CostUSD.Mean) {
		c := heatCell{cost: math.NaN(), label: "unfinished"}
		if pt.WorkDoneUnfinished != nil {
			c.label += fmt.Sprintf("\n(%s %% done)", f(100**pt.WorkDoneUnfinished, 0))
		}
		return c
	}
	c := heatCell{cost: pt.CostUSD.Mean}
	cost := "$" + f(pt.CostUSD.Mean, 2)
	if pt.Unfinished > 0 {
		cost = "≥ " + cost
	}
	if pt.CompletionAtPercentile == nil {
		c.label = fmt.Sprintf("%s\n%s not reached\n(%s %% unfinished)", cost, pct, f(100*float64(pt.Unfinished)/float64(pt.Replications), 0))
		return c
	}
	c.label = fmt.Sprintf("%s\n%s %s h", cost, pct, f(*pt.CompletionAtPercentile, 1))
	if pt.QuotaCapped {
		c.label += "\ncapped by a quota"
	}
	if s.DeadlineHours > 0 && *pt.CompletionAtPercentile <= s.DeadlineHours {
		c.meets = true
		c.label += "\nmeets " + g4(s.DeadlineHours) + " h"
	}
	return c
}

// heatmapChart colours every (a, b) pair of values by its mean cost, writes
// the cost and the completion time at the percentile in the cell, and
// outlines the cells that meet the deadline there (the recommended one
// more heavily).
func heatmapChart(s *Sweep, a, b int) ([]byte, error) {
	pct := pctName(s.Percentile)
	na, nb := len(s.Axes[a].Values), len(s.Axes[b].Values)
	title := fmt.Sprintf("Mean cost (USD) and %s completion time\nby %s and %s", pct, s.AxisLabel(a), s.AxisLabel(b))
	p := newPlot(title, s.Axes[a].Path, s.Axes[b].Path)
	lo, hi := math.Inf(1), math.Inf(-1)
	cell := map[[2]int]*SweepPoint{}
	for i := range s.Results {
		pt := &s.Results[i]
		idx := valueIndex(s, pt)
		cell[[2]int{idx[a], idx[b]}] = pt
		if c := cellOf(s, pt); !math.IsNaN(c.cost) {
			lo, hi = math.Min(lo, c.cost), math.Max(hi, c.cost)
		}
	}
	refCost := math.NaN() // the reference's mean cost, marked on the colour bar
	if r := s.Reference; r != nil && r.Finished > 0 && !math.IsNaN(r.CostUSD.Mean) {
		refCost = r.CostUSD.Mean
		lo, hi = math.Min(lo, refCost), math.Max(hi, refCost)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-1, hi+1
	}
	norm := func(v float64) float64 { return (v - lo) / (hi - lo) }
	var txt plotter.XYs
	var labels []string
	var styles []text.Style
	rec := -1
	if s.Recommendation != nil && s.Recommendation.Index != nil {
		rec = *s.Recommendation.Index
	}
	var outlines []*plotter.Polygon
	square := func(i, j int, in float64) []plotter.XYs {
		x, y := float64(i), float64(j)
		return []plotter.XYs{{{X: x - in, Y: y - in}, {X: x + in, Y: y - in}, {X: x + in, Y: y + in}, {X: x - in, Y: y + in}}}
	}
	for i := 0; i < na; i++ {
		for j := 0; j < nb; j++ {
			pt := cell[[2]int{i, j}]
			hc := cellOf(s, pt)
			c := heatColor(norm(hc.cost))
			poly := &plotter.Polygon{XYs: square(i, j, .5), Color: c}
			poly.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(1.5)}
			p.Add(poly)
			label := hc.label
			switch {
			case pt != nil && pt.Index == rec:
				o := &plotter.Polygon{XYs: square(i, j, .47)}
				o.LineStyle = draw.LineStyle{Color: colScenario, Width: vg.Points(4)}
				outlines = append(outlines, o)
				label += "\nrecommended"
			case hc.meets:
				o := &plotter.Polygon{XYs: square(i, j, .47)}
				o.LineStyle = draw.LineStyle{Color: colRecommended, Width: vg.Points(2.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
				outlines = append(outlines, o)
			}
			st := p.Legend.TextStyle
			st.Font.Size = vg.Points(10.5)
			st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
			if lum := 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B); lum < 140 {
				st.Color = color.White
			}
			txt = append(txt, plotter.XY{X: float64(i), Y: float64(j)})
			labels, styles = append(labels, label), append(styles, st)
		}
	}
	for _, o := range outlines {
		p.Add(o)
	}
	p.Add(&plotter.Labels{XYs: txt, Labels: labels, TextStyle: styles})
	p.X.Min, p.X.Max = -.5, float64(na)-.5
	p.Y.Min, p.Y.Max = -.5, float64(nb)-.5
	p.X.Tick.Marker = valueTicks(s.Axes[a].Values)
	p.Y.Tick.Marker = valueTicks(s.Axes[b].Values)
	p.X.Padding, p.Y.Padding = 0, 0

	bar := styledPlot("", "", "cost, mean (USD)")
	for k := 0; k < 100; k++ {
		y0, y1 := lo+(hi-lo)*float64(k)/100, lo+(hi-lo)*(float64(k+1)+0.6)/100 // overlapping: no seams
		bar.Add(&plotter.Polygon{XYs: []plotter.XYs{{{X: 0, Y: y0}, {X: 1, Y: y0}, {X: 1, Y: y1}, {X: 0, Y: y1}}},
			Color: heatColor((float64(k) + .5) / 100)})
	}
	bar.X.Min, bar.X.Max, bar.Y.Min, bar.Y.Max = 0, 1, lo, hi // clips the last band's overlap
	bar.HideX()
	bar.X.Padding, bar.Y.Padding = 0, 0
	var key []keyEntry
	if s.Reference != nil {
		mark := line([]float64{0, 1}, []float64{refCost, refCost}, colText, 2.5, false)
		if !math.IsNaN(refCost) {
			bar.Add(mark)
		}
		key = append(key, keyEntry{"your reference " + s.Reference.describe(pct) + ": the mark on the colour bar", []plot.Thumbnailer{mark}})
	}
	if s.DeadlineHours > 0 {
		meets := &plotter.Polygon{XYs: []plotter.XYs{{{X: 0, Y: 0}}}}
		meets.LineStyle = draw.LineStyle{Color: colRecommended, Width: vg.Points(2.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
		key = append(key, keyEntry{fmt.Sprintf("meets the deadline (%s h at %s)", g4(s.DeadlineHours), pct), []plot.Thumbnailer{meets}})
		recd := &plotter.Polygon{XYs: []plotter.XYs{{{X: 0, Y: 0}}}}
		recd.LineStyle = draw.LineStyle{Color: colScenario, Width: vg.Points(4)}
		key = append(key, keyEntry{"recommended: the cheapest meeting it", []plot.Thumbnailer{recd}})
	}
	if slices.ContainsFunc(s.Results, func(p SweepPoint) bool { return p.Finished > 0 && p.Unfinished > 0 }) {
		key = append(key, keyEntry{"≥: some runs unfinished, the mean of the finished ones is a lower bound", nil})
	}
	return render(ChartWidth, ChartHeight, func(dc draw.Canvas) {
		w := dc.Max.X - dc.Min.X
		p.Draw(draw.Crop(dc, 0, -px(250), 0, 0))
		bar.Draw(draw.Crop(dc, w-px(235), -px(120), px(250), -px(45)))
		drawKey(draw.Crop(dc, w-px(235), -px(10), px(20), -px(370)), key, p.Legend.TextStyle)
	})
}

// valueIndex returns the index of each of a point's values on its axis.
func valueIndex(s *Sweep, pt *SweepPoint) []int {
	out := make([]int, len(s.Axes))
	for k, v := range pt.Values {
		for i, w := range s.Axes[k].Values {
			if v == w {
				out[k] = i
			}
		}
	}
	return out
}

func valueTicks(vals []string) plot.ConstantTicks {
	ts := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		ts[i] = plot.Tick{Value: float64(i), Label: Display(v)}
	}
	return ts
}
