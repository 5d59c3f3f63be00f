package report

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spotsim/spotsim/model/fit"
)

// fitColours are the fitted families' colours in the fit chart (the
// empirical curve is dark grey): colour-blind safe, the same family always
// the same colour.
var fitColours = map[string]color.NRGBA{
	"exponential": {R: 0x21, G: 0x66, B: 0xac, A: 0xff},
	"weibull":     {R: 0xe6, G: 0x55, B: 0x0d, A: 0xff},
	"lognormal":   {R: 0x1b, G: 0x9e, B: 0x77, A: 0xff},
}

// FitChart draws the empirical CDF of the observations of r (Kaplan–Meier
// when some are censored, with the censored values ticked on it) against
// the CDF of each fitted model. what names the observations ("node
// lifetime", "task duration"), for the title and the x axis, whose unit
// (seconds, minutes or hours) follows the data.
func FitChart(r *fit.Report, what string) ([]byte, error) {
	if len(r.KM) == 0 {
		return nil, fmt.Errorf("fit chart: no observations")
	}
	last := r.KM[len(r.KM)-1].Time
	unit, uname := time.Hour, "h"
	switch {
	case last < 2*time.Minute:
		unit, uname = time.Second, "s"
	case last < 2*time.Hour:
		unit, uname = time.Minute, "min"
	}
	in := func(d time.Duration) float64 { return float64(d) / float64(unit) }
	empirical := "empirical CDF"
	if r.Censored > 0 {
		empirical = "Kaplan–Meier estimate"
	}
	p := newPlot(fmt.Sprintf("%s: %s against the fitted models", capitalise(what), empirical),
		fmt.Sprintf("%s t (%s)", what, uname), fmt.Sprintf("P(%s ≤ t)", what))
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), vg.Points(8)
	x1 := niceMax(in(last))

	// the fitted CDFs, on a fine grid
	xs := grid(x1, 400)
	for i := len(r.Models) - 1; i >= 0; i-- { // best drawn last, on top
		m := &r.Models[i]
		ys := make([]float64, len(xs))
		for j, x := range xs {
			ys[j] = m.CDF(time.Duration(x * float64(unit)))
		}
		l := line(xs, ys, fitColours[m.Family], 2, i > 0)
		p.Add(l)
	}

	// the empirical step function
	grey := color.NRGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
	ex, ey := []float64{0}, []float64{0}
	var cens plotter.XYs
	prev := 0.0
	for _, st := range r.KM {
		x, y := in(st.Time), 1-st.Surv
		ex, ey = append(ex, x, x), append(ey, prev, y)
		prev = y
		if st.Censored > 0 {
			cens = append(cens, plotter.XY{X: x, Y: y})
		}
	}
	ex, ey = append(ex, x1), append(ey, prev)
	emp := line(ex, ey, grey, 1.4, false)
	p.Add(emp)
	p.Legend.Add(fmt.Sprintf("%s (%d values, %d censored)", empirical, r.N, r.Censored), emp)
	if len(cens) > 0 {
		sc, err := plotter.NewScatter(cens)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: withAlpha(grey, 0x90), Radius: vg.Points(2.5), Shape: draw.PlusGlyph{}}
		p.Add(sc)
		p.Legend.Add("censored value", sc)
	}
	for i := range r.Models {
		m := &r.Models[i]
		l := line(nil, nil, fitColours[m.Family], 2, i > 0)
		label := fmt.Sprintf("%s: ΔAIC %.1f, KS %.3f", m.Family, m.DeltaAIC, m.KS)
		if !math.IsNaN(m.P) {
			label += fmt.Sprintf(", p %.3f", m.P)
		}
		if i == 0 {
			label += " (best)"
		}
		p.Legend.Add(label, l)
	}
	p.X.Min, p.X.Max = 0, x1
	p.Y.Min, p.Y.Max = 0, 1.02
	p.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 0.1}, {Value: 0.2, Label: "0.2"}, {Value: 0.3},
		{Value: 0.4, Label: "0.4"}, {Value: 0.5}, {Value: 0.6, Label: "0.6"}, {Value: 0.7}, {Value: 0.8, Label: "0.8"},
		{Value: 0.9}, {Value: 1, Label: "1"}}
	return renderPlot(p, ChartWidth, ChartHeight)
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
