package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxFrontLabels bounds the labelled points of the front; the others are in
// the table.
const maxFrontLabels = 12

var (
	colRecommended = color.NRGBA{R: 0x1a, G: 0x9e, B: 0x3f, A: 0xff}
	colCapped      = color.NRGBA{R: 0x75, G: 0x3b, B: 0xbd, A: 0xff}
)

// frontier is frontier.png before it is drawn: the plot, its key and
// where its labels went (after drawing).
type frontier struct {
	p      *plot.Plot
	key    []keyEntry
	labels *pointLabels
}

// frontierChart plots every point's mean cost against its completion time
// at the sweep's percentile, draws and labels the Pareto front, and marks
// the points that did not reach the percentile, those a quota capped and
// those beyond a clipped axis.
func frontierChart(s *Sweep) ([]byte, error) {
	f := newFrontier(s)
	return render(ChartWidth, ChartHeight, f.draw)
}

// draw draws the plot on the left and its key on the right.
func (f *frontier) draw(dc draw.Canvas) {
	w := dc.Max.X - dc.Min.X
	f.p.Draw(draw.Crop(dc, 0, -px(290), 0, 0))
	drawKey(draw.Crop(dc, w-px(280), -px(10), px(40), -px(45)), f.key, f.p.Legend.TextStyle)
}

func newFrontier(s *Sweep) *frontier {
	pct := pctName(s.Percentile)
	p := newPlot(fmt.Sprintf("Cost against completion time: %d points", len(s.Results)),
		fmt.Sprintf("completion time, %s over replications (h)", pct), "cost, mean over replications (USD)")
	f := &frontier{p: p}
	type pt struct {
		x, y   float64
		sp     *SweepPoint
		missed bool // the percentile was not reached
	}
	var pts []pt
	for i := range s.Results {
		sp := &s.Results[i]
		switch {
		case sp.CompletionAtPercentile != nil && sp.Finished > 0 && !math.IsNaN(sp.CostUSD.Mean):
			pts = append(pts, pt{x: *sp.CompletionAtPercentile, y: sp.CostUSD.Mean, sp: sp})
		default:
			y := sp.CostUSD.Mean
			if sp.Finished == 0 || math.IsNaN(y) {
				y = math.NaN()
				if sp.CostAtHorizonUSD != nil {
					y = *sp.CostAtHorizonUSD
				}
			}
			pts = append(pts, pt{y: y, sp: sp, missed: true})
		}
	}
	// The axes: from 0 to a robust end (see robustMax), which always
	// shows the front, the recommended point and the deadline.
	var xs, ys, mustX, mustY []float64
	rec := -1
	if r := s.Recommendation; r != nil && r.Index != nil {
		rec = *r.Index
	}
	for _, q := range pts {
		if !math.IsNaN(q.y) {
			ys = append(ys, q.y)
		}
		if q.missed {
			continue
		}
		xs = append(xs, q.x)
		if q.sp.OnFrontier || q.sp.Index == rec {
			mustX, mustY = append(mustX, q.x), append(mustY, q.y)
		}
	}
	if s.DeadlineHours > 0 {
		mustX = append(mustX, s.DeadlineHours)
	}
	ref, refReached := s.referenceXY()
	if ref != nil && refReached {
		mustX = append(mustX, ref.X)
	}
	if ref != nil && !math.IsNaN(ref.Y) {
		mustY = append(mustY, ref.Y)
	}
	xhi, xclip := robustMax(xs, mustX)
	yhi, yclip := robustMax(ys, mustY)
	anyMissed := slices.ContainsFunc(pts, func(q pt) bool { return q.missed }) || ref != nil && !refReached
	p.X.Min, p.X.Max = 0, niceMax(xhi*1.08)
	if xclip || anyMissed {
		p.X.Max = xhi * 1.04
	}
	edgeX := p.X.Max // where points beyond the x axis are drawn
	if xclip {
		edgeX = xhi
	}
	p.Y.Min, p.Y.Max = 0, niceMax(yhi*1.1)
	if yclip {
		p.Y.Max = yhi * 1.04
	}
	missX := 0.0
	if anyMissed {
		// a column right of the axis for the points short of the percentile
		sepX := p.X.Max
		p.X.Max = sepX * 1.1
		missX = (sepX + p.X.Max) / 2
		p.Add(vline(sepX, 0, p.Y.Max, colMuted, 0.8, true))
		p.Add(&plotter.Labels{XYs: plotter.XYs{{X: missX, Y: p.Y.Max}},
			Labels: []string{pct + " not\nreached"}, TextStyle: []text.Style{labelStyle(p, 9, draw.XCenter, draw.YTop)}})
	}
	yEdge := p.Y.Max
	if yclip {
		yEdge = yhi
	}

	var plain, front, beyond, missed, capped plotter.XYs
	var beyondVals []string
	for _, q := range pts {
		x, y := q.x, q.y
		if math.IsNaN(y) {
			y = p.Y.Max
		}
		out := false
		if q.missed {
			x = missX
		} else if x > edgeX {
			x, out = edgeX, true
			beyondVals = append(beyondVals, fmt.Sprintf("%s h", g4(q.x)))
		}
		if y > yEdge {
			y, out = yEdge, true
			if !q.missed {
				beyondVals = append(beyondVals, fmt.Sprintf("$%s", g4(q.y)))
			}
		}
		xy := plotter.XY{X: x, Y: y}
		switch {
		case q.missed:
			missed = append(missed, xy)
		case out:
			beyond = append(beyond, xy)
		case q.sp.OnFrontier:
			front = append(front, xy)
		default:
			plain = append(plain, xy)
		}
		if q.sp.QuotaCapped {
			capped = append(capped, xy)
		}
	}
	dot := func(c color.Color, r float64, g draw.GlyphDrawer) draw.GlyphStyle {
		return draw.GlyphStyle{Color: c, Radius: vg.Points(r), Shape: g}
	}
	n := len(pts) - len(missed)
	sc := &plotter.Scatter{XYs: plain, GlyphStyle: dot(colMuted, 3.5, draw.CircleGlyph{})}
	p.Add(sc)
	f.key = append(f.key, keyEntry{fmt.Sprintf("sweep point reaching %s (%d)", pct, n), []plot.Thumbnailer{sc}})
	var frontLine plotter.XYs
	for _, i := range s.Frontier {
		for _, q := range pts {
			if q.sp.Index == i && !q.missed {
				frontLine = append(frontLine, plotter.XY{X: math.Min(q.x, edgeX), Y: math.Min(q.y, yEdge)})
			}
		}
	}
	if len(frontLine) > 0 {
		ln := line(xs2(frontLine), ys2(frontLine), colScenario, 1.8, false)
		ln.StepStyle = plotter.PostStep
		fs := &plotter.Scatter{XYs: front, GlyphStyle: dot(colScenario, 4.5, draw.CircleGlyph{})}
		p.Add(ln, fs)
		f.key = append(f.key, keyEntry{fmt.Sprintf("Pareto front (%d): nothing is both cheaper and faster", len(s.Frontier)), []plot.Thumbnailer{ln, fs}})
	}
	if len(beyond) > 0 {
		bs := &plotter.Scatter{XYs: beyond, GlyphStyle: dot(colMuted, 5, edgeGlyph{})}
		p.Add(bs)
		vals := ""
		if len(beyondVals) <= 3 {
			vals = ": " + strings.Join(beyondVals, ", ")
		}
		f.key = append(f.key, keyEntry{fmt.Sprintf("beyond the axis (%d), drawn on its edge%s", len(beyond), vals), []plot.Thumbnailer{bs}})
	}
	if len(missed) > 0 {
		ms := &plotter.Scatter{XYs: missed, GlyphStyle: dot(colText, 4.5, hollowTriangle{})}
		p.Add(ms)
		f.key = append(f.key, keyEntry{fmt.Sprintf("%s not reached (%d): too many runs unfinished; cost of the finished runs or billed by the horizon, a lower bound", pct, len(missed)), []plot.Thumbnailer{ms}})
	}
	if len(capped) > 0 {
		cs := &plotter.Scatter{XYs: capped, GlyphStyle: dot(colCapped, 7, draw.SquareGlyph{})}
		p.Add(cs)
		f.key = append(f.key, keyEntry{fmt.Sprintf("capped by a core quota (%d): ran with fewer nodes than asked", len(capped)), []plot.Thumbnailer{cs}})
	}
	if s.DeadlineHours > 0 {
		v := vline(math.Min(s.DeadlineHours, edgeX), 0, p.Y.Max, colText, 1.2, true)
		p.Add(v)
		f.key = append(f.key, keyEntry{fmt.Sprintf("deadline %s h at %s", g4(s.DeadlineHours), pct), []plot.Thumbnailer{v}})
	}
	var refXY plotter.XYs
	if ref != nil {
		x, y := math.Min(ref.X, edgeX), ref.Y
		if !refReached {
			x = missX // in the column of the points short of the percentile
		}
		if math.IsNaN(y) {
			y = p.Y.Max
		}
		refXY = plotter.XYs{{X: x, Y: math.Min(y, yEdge)}}
		rs := &plotter.Scatter{XYs: refXY, GlyphStyle: dot(colBaseline, 7, diamondGlyph{})}
		p.Add(rs)
		f.key = append(f.key, keyEntry{"your reference " + s.Reference.describe(pct), []plot.Thumbnailer{rs}})
	}
	var recXY plotter.XYs
	if rec >= 0 {
		for _, q := range pts {
			if q.sp.Index == rec && !q.missed {
				recXY = plotter.XYs{{X: math.Min(q.x, edgeX), Y: math.Min(q.y, yEdge)}}
			}
		}
	}
	if len(recXY) > 0 {
		rs := &plotter.Scatter{XYs: recXY, GlyphStyle: dot(colRecommended, 9, thickRing{})}
		p.Add(rs)
		f.key = append(f.key, keyEntry{fmt.Sprintf("recommended: #%d, the cheapest meeting the deadline", rec), []plot.Thumbnailer{rs}})
	}
	// Labels: the recommended point first, then the front, spread evenly
	// when it is long.
	lb := &pointLabels{Style: labelStyle(p, 9.5, draw.XLeft, draw.YBottom), Radius: vg.Points(5)}

	var order []int
	if len(recXY) > 0 {
		order = append(order, rec)
	}
	step := math.Max(1, float64(len(s.Frontier))/maxFrontLabels)
	for k := 0.0; int(k) < len(s.Frontier) && len(order) < maxFrontLabels+1; k += step {
		if i := s.Frontier[int(k)]; i != rec {
			order = append(order, i)
		}
	}
	if len(refXY) > 0 {
		lb.XYs, lb.Radii, lb.Labels = append(lb.XYs, refXY[0]), append(lb.Radii, vg.Points(8)), append(lb.Labels, "reference")
	}
	labelled := map[int]bool{}
	for _, i := range order {
		for _, q := range pts {
			if q.sp.Index == i && !q.missed && !labelled[i] {
				labelled[i] = true
				lb.XYs = append(lb.XYs, plotter.XY{X: math.Min(q.x, edgeX), Y: math.Min(q.y, yEdge)})
				r := vg.Points(5)
				switch {
				case i == rec:
					r = vg.Points(11) // its ring
				case q.sp.QuotaCapped:
					r = vg.Points(8) // the square around it
				}
				lb.Radii = append(lb.Radii, r)
				lb.Labels = append(lb.Labels, "#"+s.pointValues(q.sp))
			}
		}
	}
	r := vg.Points(5)
	lb.Avoid = append(append(append(append(append(markers(plain, r), markers(beyond, r)...), markers(missed, r)...),
		markers(front, r)...), markers(capped, vg.Points(8))...), markers(recXY, vg.Points(11))...)
	lb.Avoid = append(lb.Avoid, markers(refXY, vg.Points(8))...)
	lb.Avoid = slices.DeleteFunc(lb.Avoid, func(m marker) bool { return slices.Contains(lb.XYs, m.XY) })
	p.Add(lb)
	f.labels = lb
	if len(lb.XYs) > len(refXY) {
		what := "labels: #point: " + strings.Join(s.axisLabels(), " / ")
		if len(s.Frontier) > len(lb.XYs) {
			what += fmt.Sprintf(" (%d of the %d front points; all in sweep.csv)", len(lb.XYs), len(s.Frontier))
		}
		f.key = append(f.key, keyEntry{what, nil})
	}
	return f
}

// referenceXY is where the sweep's reference goes on frontier.png: its
// completion time at the sweep's percentile and mean cost; reached false
// when too many of its runs were unfinished to reach the percentile (its
// cost then a lower bound, NaN when none finished). nil without a
// reference.
func (s *Sweep) referenceXY() (xy *plotter.XY, reached bool) {
	r := s.Reference
	if r == nil {
		return nil, false
	}
	xy = &plotter.XY{Y: r.CostUSD.Mean}
	if r.Finished == 0 {
		xy.Y = math.NaN()
	}
	if r.CompletionAtPercentile == nil {
		return xy, false
	}
	xy.X = *r.CompletionAtPercentile
	return xy, !math.IsNaN(xy.Y)
}

// describe says the reference in a chart's key: its name, mean cost and
// completion time at the percentile pct ("p95").
func (r *SweepReference) describe(pct string) string {
	cost := "no run finished"
	if r.Finished > 0 && !math.IsNaN(r.CostUSD.Mean) {
		cost = "$" + f(r.CostUSD.Mean, 2)
		if r.Unfinished > 0 {
			cost = "≥ " + cost
		}
	}
	at := pct + " not reached"
	if r.CompletionAtPercentile != nil {
		at = pct + " " + f(*r.CompletionAtPercentile, 1) + " h"
	}
	return fmt.Sprintf("%q (what you run today): %s, %s", r.Name, cost, at)
}

// pointValues is a point's short label: "14: 40 / 5".
func (s *Sweep) pointValues(p *SweepPoint) string {
	vals := make([]string, len(p.Values))
	for i, v := range p.Values {
		vals[i] = Display(v)
	}
	return fmt.Sprintf("%d: %s", p.Index, strings.Join(vals, " / "))
}

func (s *Sweep) axisLabels() []string {
	out := make([]string, len(s.Axes))
	for i := range s.Axes {
		out[i] = s.AxisLabel(i)
	}
	return out
}

// robustMax is where an axis showing xs should end: their maximum, unless
// it lies more than twice as far as Tukey's fence (Q3 + 1.5 IQR), when the
// axis ends at the fence (clip true) and the points beyond it are drawn on
// its edge. It never ends before a value of must (the front, the
// recommended point, the deadline), so one outlier cannot squeeze the front
// into a corner.
func robustMax(xs, must []float64) (float64, bool) {
	if len(xs) == 0 {
		m := 1.0
		for _, v := range must {
			m = math.Max(m, v)
		}
		return m, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	hi := s[len(s)-1]
	q1, q3 := Percentile(s, 0.25), Percentile(s, 0.75)
	fence := q3 + 1.5*(q3-q1)
	for _, v := range must {
		fence = math.Max(fence, v)
		hi = math.Max(hi, v)
	}
	if hi > 2*fence && fence > 0 {
		return fence, true
	}
	return hi, false
}

func labelStyle(p *plot.Plot, size float64, xa draw.XAlignment, ya draw.YAlignment) text.Style {
	st := p.Legend.TextStyle
	st.Font.Size = vg.Points(size)
	st.XAlign, st.YAlign = xa, ya
	return st
}

func xs2(v plotter.XYs) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i].X
	}
	return out
}

func ys2(v plotter.XYs) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i].Y
	}
	return out
}

// edgeGlyph is a right-pointing triangle: a point beyond the axis.
type edgeGlyph struct{}

func (edgeGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	c.FillPolygon(sty.Color, []vg.Point{{X: pt.X - r, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X - r, Y: pt.Y - r}})
}

// diamondGlyph is a filled diamond: the sweep's reference.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	c.FillPolygon(sty.Color, []vg.Point{{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y}})
}

// hollowTriangle is an outlined triangle: a point short of the percentile.
type hollowTriangle struct{}

func (hollowTriangle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.3)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y - r*0.8})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y - r*0.8})
	p.Close()
	c.Stroke(p)
}

// keyEntry is one line of a chart's key: thumbnails and text (wrapped).
type keyEntry struct {
	text   string
	thumbs []plot.Thumbnailer
}

// drawKey draws a chart's key in c, from the top: each entry's thumbnail,
// then its text wrapped to the width left.
func drawKey(c draw.Canvas, entries []keyEntry, st text.Style) {
	st.XAlign, st.YAlign = draw.XLeft, draw.YTop
	thumbW := vg.Points(22)
	textX := c.Min.X + thumbW + vg.Points(6)
	width := c.Max.X - textX
	y := c.Max.Y
	lineH := st.Height("Xg")
	for _, e := range entries {
		lines := wrap(e.text, width, st)
		if len(e.thumbs) > 0 {
			icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: c.Min.X, Y: y - lineH}, Max: vg.Point{X: c.Min.X + thumbW, Y: y}}}
			for _, t := range e.thumbs {
				t.Thumbnail(&icon)
			}
		}
		for _, l := range lines {
			c.FillText(st, vg.Point{X: textX, Y: y}, l)
			y -= lineH
		}
		y -= vg.Points(6)
	}
}

// wrap breaks s into lines no wider than w.
func wrap(s string, w vg.Length, st text.Style) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if cur != "" && st.Width(next) > w {
			lines = append(lines, cur)
			cur = word
			continue
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
