package report

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spotsim/spotsim/model"
)

// PriceVaries reports whether any pool's spot price moves during the
// series (a fixed price gives one step).
func PriceVaries(ms []model.MarketSeries) bool {
	for _, m := range ms {
		for _, p := range m.Prices {
			if p != m.Prices[0] {
				return true
			}
		}
	}
	return false
}

var poolColors = []color.NRGBA{colScenario, {0x75, 0x70, 0xb3, 0xff}, {0x1b, 0x9e, 0x77, 0xff}, {0xe7, 0x29, 0x8a, 0xff}, {0x66, 0xa6, 0x1e, 0xff}}

// PriceChart draws price.png for one replication: each pool's spot price
// over time, its max price and its evictions, up to end.
func PriceChart(ms []model.MarketSeries, rep int, end float64) (*Chart, error) {
	p := newPlot(fmt.Sprintf("Spot price over time, replication %d (nearest the median completion)", rep),
		"time from the start (h)", "low-priority price (USD per node-hour)")
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), -vg.Points(6)
	end = niceEnd(end)
	ymax := 0.0
	for i, m := range ms {
		col := poolColors[i%len(poolColors)]
		var xs, ys []float64
		for k, t := range m.Times {
			if t.Hours() > end {
				break
			}
			xs, ys = append(xs, t.Hours()), append(ys, m.Prices[k])
			ymax = math.Max(ymax, m.Prices[k])
		}
		if len(xs) == 0 {
			continue
		}
		xs, ys = append(xs, end), append(ys, ys[len(ys)-1])
		l := line(xs, ys, col, 1.8, false)
		l.StepStyle = plotter.PostStep
		p.Add(l)
		p.Legend.Add("pool "+m.Pool+": spot price", l)
		if m.MaxPrice > 0 {
			mp := line([]float64{0, end}, []float64{m.MaxPrice, m.MaxPrice}, col, 1.2, true)
			p.Add(mp)
			p.Legend.Add(fmt.Sprintf("pool %s: max price $%.4f", m.Pool, m.MaxPrice), mp)
			ymax = math.Max(ymax, m.MaxPrice)
		}
		// price-caused evictions apart from the others (lifetimes,
		// spells, crunches), on the price line
		for _, set := range []struct {
			ts    []time.Duration
			label string
			glyph draw.GlyphStyle
		}{
			{m.PriceEvictions, "evictions by the price (above max price)", draw.GlyphStyle{Color: colWasted, Radius: vg.Points(5), Shape: draw.TriangleGlyph{}}},
			{m.Evictions, "evictions by other causes (lifetime, capacity)", draw.GlyphStyle{Color: colText, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}},
		} {
			var ev plotter.XYs
			for _, t := range set.ts {
				if t.Hours() <= end {
					ev = append(ev, plotter.XY{X: t.Hours(), Y: priceAt(m, t.Hours())})
				}
			}
			if len(ev) > 0 {
				sc := &plotter.Scatter{XYs: ev, GlyphStyle: set.glyph}
				p.Add(sc)
				p.Legend.Add(fmt.Sprintf("pool %s: %s (%d)", m.Pool, set.label, len(ev)), sc)
			}
		}
	}
	p.X.Min, p.X.Max = 0, end
	p.Y.Min, p.Y.Max = 0, niceMax(ymax*1.25)
	b, err := renderPlot(p, ChartWidth, ChartHeight)
	if err != nil {
		return nil, err
	}
	return &Chart{Name: "price.png", Title: priceChartTitle, PNG: b}, nil
}

// priceAt is the price in force at hour h.
func priceAt(m model.MarketSeries, h float64) float64 {
	v := 0.0
	for k, t := range m.Times {
		if t.Hours() > h {
			break
		}
		v = m.Prices[k]
	}
	return v
}

const priceChartTitle = "Spot price over time"
