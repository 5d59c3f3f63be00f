package report

import (
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// pointLabels is a plotter that labels points without any two labels
// overlapping, or covering a marker: each label takes the first free place
// among candidates around its point (right, left, above, below, then
// further up or down the same column with a leader line back to the point).
// A label that finds no free place inside the data area is left out
// (Skipped counts them). After drawing, Boxes holds where each label went
// (canvas coordinates; a zero rectangle for one left out).
type pointLabels struct {
	XYs    plotter.XYs // the labelled points, most important first
	Labels []string
	Style  text.Style
	// Radius is the labelled points' markers' (Radii[i], when set, point
	// i's); Avoid are other markers the labels must not cover.
	Radius vg.Length
	Radii  []vg.Length
	Avoid  []marker

	Boxes   []vg.Rectangle
	Skipped int
}

// marker is a marker labels must not cover: where it is and its radius.
type marker struct {
	plotter.XY
	R vg.Length
}

func markers(xys plotter.XYs, r vg.Length) []marker {
	out := make([]marker, len(xys))
	for i, p := range xys {
		out[i] = marker{p, r}
	}
	return out
}

// Plot places and draws the labels; it implements plot.Plotter.
func (l *pointLabels) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	at := func(p plotter.XY) vg.Point { return vg.Point{X: tx(p.X), Y: ty(p.Y)} }
	var taken []vg.Rectangle
	ms := slices.Clone(l.Avoid)
	for i, p := range l.XYs {
		ms = append(ms, marker{p, l.radius(i)})
	}
	for _, m := range ms {
		q, r := at(m.XY), m.R
		taken = append(taken, vg.Rectangle{Min: vg.Point{X: q.X - r, Y: q.Y - r}, Max: vg.Point{X: q.X + r, Y: q.Y + r}})
	}
	l.Boxes, l.Skipped = make([]vg.Rectangle, len(l.XYs)), 0
	st := l.Style
	st.XAlign, st.YAlign = draw.XLeft, draw.YBottom
	for i, p := range l.XYs {
		a := at(p)
		w, h := st.Width(l.Labels[i]), st.Height(l.Labels[i])
		box, leader, ok := place(a, w, h, l.radius(i), c.Rectangle, taken)
		if !ok {
			l.Skipped++
			continue
		}
		taken = append(taken, box)
		l.Boxes[i] = box
		if leader {
			ex := box.Min.X
			if box.Max.X < a.X {
				ex = box.Max.X
			}
			c.StrokeLine2(draw.LineStyle{Color: st.Color, Width: vg.Points(0.6)}, a.X, a.Y, ex, (box.Min.Y+box.Max.Y)/2)
		}
		c.FillText(st, box.Min, l.Labels[i])
	}
}

func (l *pointLabels) radius(i int) vg.Length {
	if i < len(l.Radii) && l.Radii[i] > 0 {
		return l.Radii[i]
	}
	return l.Radius
}

// place returns the first free box of w×h for a label of the point at a,
// inside area and overlapping none of taken, and whether it is far enough
// to need a leader line.
func place(a vg.Point, w, h, r vg.Length, area vg.Rectangle, taken []vg.Rectangle) (vg.Rectangle, bool, bool) {
	g := r + vg.Points(3)
	type cand struct {
		x, y   vg.Length // lower-left corner
		leader bool
	}
	cands := []cand{
		{a.X + g, a.Y - h/2, false}, {a.X - g - w, a.Y - h/2, false},
		{a.X + g, a.Y + g/2, false}, {a.X + g, a.Y - h - g/2, false},
		{a.X - g - w, a.Y + g/2, false}, {a.X - g - w, a.Y - h - g/2, false},
		{a.X - w/2, a.Y + g, false}, {a.X - w/2, a.Y - h - g, false},
	}
	step := h + vg.Points(2)
	for k := 1; k <= 40; k++ {
		d := vg.Length(k) * step
		for _, dx := range []vg.Length{a.X + 2*g, a.X - 2*g - w} {
			cands = append(cands, cand{dx, a.Y - h/2 + d, true}, cand{dx, a.Y - h/2 - d, true})
		}
	}
	for _, c := range cands {
		b := vg.Rectangle{Min: vg.Point{X: c.x, Y: c.y}, Max: vg.Point{X: c.x + w, Y: c.y + h}}
		if !inside(b, area) {
			continue
		}
		free := true
		for _, t := range taken {
			if overlaps(b, t) {
				free = false
				break
			}
		}
		if free {
			return b, c.leader, true
		}
	}
	return vg.Rectangle{}, false, false
}

func inside(b, area vg.Rectangle) bool {
	return b.Min.X >= area.Min.X && b.Min.Y >= area.Min.Y && b.Max.X <= area.Max.X && b.Max.Y <= area.Max.Y
}

// overlaps reports whether two rectangles share more than an edge.
func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}
