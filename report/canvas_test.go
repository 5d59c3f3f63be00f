package report

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"

	"git.sr.ht/~sbinet/gg"
	"github.com/golang/freetype/raster"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// vgimgRender is render on vgimg's own canvas, as the charts were drawn
// before chartCanvas.
func vgimgRender(w, h int, drawFn func(dc draw.Canvas)) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	drawFn(draw.New(vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(chartDPI))))
	return img
}

// TestChartCanvasSamePixels: a chart drawn on a chartCanvas has the pixels
// it has on vgimg's canvas: opaque and translucent fills, polygons with
// holes and several rings, a filled circle (an arc: vgimg's way),
// strokes, dashes, and exactly so without text; with text (upright in
// three sizes and weights, rotated for the y label, a legend, text off
// the canvas's edge), a glyph's pixel may be a rounding step off.
func TestChartCanvasSamePixels(t *testing.T) {
	xs := grid(10, 40)
	lo, hi := make([]float64, len(xs)), make([]float64, len(xs))
	for i, x := range xs {
		lo[i], hi[i] = 2+math.Sin(x), 5+math.Cos(x/2)*2
	}
	// a node panel's outline: one step a column between xs
	steps := stepPath(xs, lo[1:], hi[1:])
	chart := func(text bool) func(dc draw.Canvas) {
		return func(dc draw.Canvas) {
			p := newPlot("Title: fills, text — and ünïcödé", "x label (h)", "y label (USD)")
			if !text {
				p = plot.New()
				p.BackgroundColor = nil
				p.HideAxes()
			}
			b := band(xs, lo, hi, withAlpha(colScenario, 0x50))
			b.LineStyle.Width = 0
			p.Add(b, line(xs, hi, colBaseline, 2.2, false), vline(5, 0, 8, colMuted, 1.2, true))
			p.Add(&plotter.Polygon{XYs: []plotter.XYs{append(steps, plotter.XY{X: 10, Y: 0}, plotter.XY{X: 0, Y: 0})}, Color: layerColor[0][1]})
			p.Add(&plotter.Polygon{XYs: []plotter.XYs{
				{{X: 1, Y: 1}, {X: 4, Y: 1}, {X: 4, Y: 4}, {X: 1, Y: 4}},
				{{X: 2, Y: 2}, {X: 3, Y: 2}, {X: 3, Y: 3}, {X: 2, Y: 3}},
				{{X: 6.05, Y: 6.3}, {X: 9.71, Y: 6.3}, {X: 9.71, Y: 7.77}, {X: 6.05, Y: 7.77}},
			}, Color: color.NRGBA{R: 0x7a, G: 0x01, B: 0x77, A: 0xff}})
			sc, _ := plotter.NewScatter(plotter.XYs{{X: 8, Y: 2}, {X: 9, Y: 3}})
			sc.GlyphStyle = draw.GlyphStyle{Color: colScenario, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 10, 0, 8
			if text {
				p.Legend.Add("a band", b)
				p.Legend.Add("a line", line(xs, hi, colBaseline, 2.2, false))
			}
			p.Draw(dc)
			if text {
				dc.FillText(p.Title.TextStyle, vg.Point{X: -vg.Points(3), Y: vg.Points(2)}, "off the edge")
			}
		}
	}
	for _, text := range []bool{false, true} {
		for _, size := range [][2]int{{ChartWidth, ChartHeight}, {ChartWidth, NodesChartHeight}, {333, 211}} {
			want := vgimgRender(size[0], size[1], chart(text))
			got := image.NewRGBA(image.Rect(0, 0, size[0], size[1]))
			chart(text)(draw.New(newChartCanvas(got)))
			n, worst := 0, 0
			for i := range got.Pix {
				if d := int(got.Pix[i]) - int(want.Pix[i]); d != 0 {
					n, worst = n+1, max(worst, d, -d)
				}
			}
			if text && (worst > 1 || n > 100) || !text && n > 0 {
				t.Errorf("text %v, %dx%d: %d bytes of %d differ from vgimg's, by up to %d", text, size[0], size[1], n, len(got.Pix), worst)
			}
		}
	}
}

// TestSpanPainter: spanPainter paints what freetype's RGBAPainter paints,
// for opaque and translucent colours, full and partial coverage, spans
// clipped by the image's edges.
func TestSpanPainter(t *testing.T) {
	spans := []raster.Span{{Y: -1, X0: 0, X1: 5, Alpha: 0xffff}, {Y: 0, X0: -3, X1: 40, Alpha: 0xffff}, {Y: 1, X0: 2, X1: 9, Alpha: 0x8000},
		{Y: 2, X0: 30, X1: 31, Alpha: 0xffff}, {Y: 2, X0: 5, X1: 5, Alpha: 0xffff}, {Y: 3, X0: 0, X1: 17, Alpha: 0x0101}, {Y: 9, X0: 0, X1: 3, Alpha: 0xffff}}
	for _, c := range []color.Color{colScenario, withAlpha(colBaseline, 0x50), color.NRGBA{A: 0}, color.White} {
		want, got := image.NewRGBA(image.Rect(0, 0, 33, 4)), image.NewRGBA(image.Rect(0, 0, 33, 4))
		for i := range want.Pix {
			want.Pix[i], got.Pix[i] = uint8(i*7), uint8(i*7)
		}
		rp := raster.NewRGBAPainter(want)
		rp.SetColor(c)
		rp.Paint(spans, true)
		sp := spanPainter{img: got}
		sp.cr, sp.cg, sp.cb, sp.ca = c.RGBA()
		sp.Paint(spans, true)
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("colour %v: pixels differ from RGBAPainter's", c)
		}
	}
}
