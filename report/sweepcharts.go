package report

import (
	"fmt"
	"image/color"
	"math"
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
	fr, err := frontierChart(s)
	if err != nil {
		return nil, fmt.Errorf("frontier.png: %w", err)
	}
	out := []Chart{{Name: "frontier.png", Title: "Cost against completion time, with the Pareto front", PNG: fr}}
	if a, b, ok := heatmapAxes(s); ok {
		hm, err := heatmapChart(s, a, b)
		if err != nil {
			return nil, fmt.Errorf("heatmap.png: %w", err)
		}
		out = append(out, Chart{Name: "heatmap.png", Title: "Savings by " + s.AxisLabel(a) + " and " + s.AxisLabel(b), PNG: hm})
	}
	return out, nil
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

// frontierChart plots every point's mean cost against its completion time
// at the sweep's percentile, and draws and labels the Pareto front.
func frontierChart(s *Sweep) ([]byte, error) {
	pct := pctName(s.Percentile)
	p := newPlot(fmt.Sprintf("Cost against completion time: %d points, Pareto front", len(s.Results)),
		fmt.Sprintf("completion time, %s over replications (h)", pct), "cost, mean over replications (USD)")
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), -vg.Points(6)
	var all, front plotter.XYs
	var labels []string
	xmin, xmax, ymax := math.Inf(1), math.Inf(-1), 0.0
	byIndex := map[int]*SweepPoint{}
	for i := range s.Results {
		pt := &s.Results[i]
		byIndex[pt.Index] = pt
		if pt.CompletionAtPercentile == nil || pt.Finished == 0 {
			continue
		}
		x, y := *pt.CompletionAtPercentile, pt.CostUSD.Mean
		all = append(all, plotter.XY{X: x, Y: y})
		xmin, xmax, ymax = math.Min(xmin, x), math.Max(xmax, x), math.Max(ymax, y)
	}
	for _, i := range s.Frontier {
		pt := byIndex[i]
		front = append(front, plotter.XY{X: *pt.CompletionAtPercentile, Y: pt.CostUSD.Mean})
		labels = append(labels, fmt.Sprintf("#%d %s", pt.Index, s.PointLabel(pt)))
	}
	if len(all) == 0 {
		xmin, xmax, ymax = 0, 1, 1
	}
	if s.DeadlineHours > 0 {
		xmin, xmax = math.Min(xmin, s.DeadlineHours), math.Max(xmax, s.DeadlineHours)
	}
	pad := math.Max((xmax-xmin)*0.06, 0.02*math.Max(xmax, 0.1))
	p.X.Min, p.X.Max = math.Max(0, xmin-pad), xmax+pad*5 // room on the right for labels
	p.Y.Min, p.Y.Max = 0, niceMax(ymax*1.15)

	sc := &plotter.Scatter{XYs: all, GlyphStyle: draw.GlyphStyle{Color: colMuted, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}}
	p.Add(sc)
	p.Legend.Add(fmt.Sprintf("sweep point (%d)", len(all)), sc)
	if len(front) > 0 {
		ln := line(xs(front), ys(front), colScenario, 1.8, false)
		ln.StepStyle = plotter.PostStep
		fs := &plotter.Scatter{XYs: front, GlyphStyle: draw.GlyphStyle{Color: colScenario, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}}
		p.Add(ln, fs)
		p.Legend.Add(fmt.Sprintf("Pareto front (%d): nothing is both cheaper and faster", len(front)), ln, fs)
		lb := &plotter.Labels{XYs: front, Labels: labels, Offset: vg.Point{X: vg.Points(7), Y: vg.Points(4)}}
		for range labels {
			st := p.Legend.TextStyle
			st.Font.Size = vg.Points(9.5)
			lb.TextStyle = append(lb.TextStyle, st)
		}
		p.Add(lb)
	}
	if s.DeadlineHours > 0 {
		v := vline(s.DeadlineHours, 0, p.Y.Max, colText, 1.2, true)
		p.Add(v)
		p.Legend.Add(fmt.Sprintf("deadline %s h at %s", g4(s.DeadlineHours), pct), v)
	}
	if r := s.Recommendation; r != nil && r.Index != nil {
		pt := byIndex[*r.Index]
		rs := &plotter.Scatter{XYs: plotter.XYs{{X: *pt.CompletionAtPercentile, Y: pt.CostUSD.Mean}},
			GlyphStyle: draw.GlyphStyle{Color: color.NRGBA{R: 0x1a, G: 0x9e, B: 0x3f, A: 0xff}, Radius: vg.Points(9), Shape: thickRing{}}}
		p.Add(rs)
		p.Legend.Add(fmt.Sprintf("recommended: #%d, the cheapest meeting the deadline", pt.Index), rs)
	}
	return renderPlot(p, ChartWidth, ChartHeight)
}

func xs(v plotter.XYs) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i].X
	}
	return out
}

func ys(v plotter.XYs) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i].Y
	}
	return out
}

// savings colours: light (small savings) to dark green (large).
var heatStops = []color.NRGBA{{0xf7, 0xfc, 0xf5, 0xff}, {0xa1, 0xd9, 0x9b, 0xff}, {0x31, 0xa3, 0x54, 0xff}, {0x00, 0x44, 0x1b, 0xff}}

func heatColor(t float64) color.NRGBA {
	if math.IsNaN(t) {
		return color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	}
	t = math.Max(0, math.Min(1, t)) * float64(len(heatStops)-1)
	i := min(int(t), len(heatStops)-2)
	u := t - float64(i)
	a, b := heatStops[i], heatStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// heatmapChart draws the mean savings of every (a, b) pair of values, with
// the completion time at the percentile written in each cell.
func heatmapChart(s *Sweep, a, b int) ([]byte, error) {
	pct := pctName(s.Percentile)
	na, nb := len(s.Axes[a].Values), len(s.Axes[b].Values)
	p := newPlot(fmt.Sprintf("Mean savings against the dedicated-only baseline (%%)\nby %s and %s", s.AxisLabel(a), s.AxisLabel(b)),
		s.Axes[a].Path, s.Axes[b].Path)
	lo, hi := math.Inf(1), math.Inf(-1)
	cell := map[[2]int]*SweepPoint{}
	for i := range s.Results {
		pt := &s.Results[i]
		idx := valueIndex(s, pt)
		cell[[2]int{idx[a], idx[b]}] = pt
		if pt.SavingsPct.N > 0 {
			lo, hi = math.Min(lo, pt.SavingsPct.Mean), math.Max(hi, pt.SavingsPct.Mean)
		}
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
	for i := 0; i < na; i++ {
		for j := 0; j < nb; j++ {
			pt := cell[[2]int{i, j}]
			v, label := math.NaN(), "not run"
			if pt != nil && pt.SavingsPct.N > 0 {
				v = pt.SavingsPct.Mean
				label = fmt.Sprintf("%.1f %%", v)
				if pt.CompletionAtPercentile != nil {
					label += fmt.Sprintf("\n%s %.2f h", pct, *pt.CompletionAtPercentile)
				} else {
					label += "\n" + pct + " unfinished"
				}
			}
			c := heatColor(norm(v))
			poly := &plotter.Polygon{XYs: []plotter.XYs{{{X: float64(i) - .5, Y: float64(j) - .5}, {X: float64(i) + .5, Y: float64(j) - .5},
				{X: float64(i) + .5, Y: float64(j) + .5}, {X: float64(i) - .5, Y: float64(j) + .5}}}, Color: c}
			poly.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(1.5)}
			if pt != nil && pt.Index == rec {
				poly.LineStyle = draw.LineStyle{Color: colScenario, Width: vg.Points(4)}
				label += "\nrecommended"
			}
			p.Add(poly)
			st := p.Legend.TextStyle
			st.Font.Size = vg.Points(11)
			st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
			if lum := 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B); lum < 140 {
				st.Color = color.White
			}
			txt = append(txt, plotter.XY{X: float64(i), Y: float64(j)})
			labels, styles = append(labels, label), append(styles, st)
		}
	}
	p.Add(&plotter.Labels{XYs: txt, Labels: labels, TextStyle: styles})
	p.X.Min, p.X.Max = -.5, float64(na)-.5
	p.Y.Min, p.Y.Max = -.5, float64(nb)-.5
	p.X.Tick.Marker = valueTicks(s.Axes[a].Values)
	p.Y.Tick.Marker = valueTicks(s.Axes[b].Values)
	p.X.Padding, p.Y.Padding = 0, 0

	bar := styledPlot("", "", "savings, mean (%)")
	for k := 0; k < 100; k++ {
		y0, y1 := lo+(hi-lo)*float64(k)/100, lo+(hi-lo)*float64(k+1)/100
		bar.Add(&plotter.Polygon{XYs: []plotter.XYs{{{X: 0, Y: y0}, {X: 1, Y: y0}, {X: 1, Y: y1}, {X: 0, Y: y1}}},
			Color: heatColor((float64(k) + .5) / 100)})
	}
	bar.X.Min, bar.X.Max, bar.Y.Min, bar.Y.Max = 0, 1, lo, hi
	bar.HideX()
	bar.X.Padding, bar.Y.Padding = 0, 0
	return render(ChartWidth, ChartHeight, func(dc draw.Canvas) {
		w := dc.Max.X - dc.Min.X
		p.Draw(draw.Crop(dc, 0, -px(150), 0, 0))
		bar.Draw(draw.Crop(dc, w-px(130), -px(50), px(60), -px(45)))
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
