package report

import (
	"bytes"
	stdfont "golang.org/x/image/font"
	"image"
	"image/color"
	"math"
	"strconv"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Chart is one PNG chart of a report.
type Chart struct {
	Name  string // file name in the output folder, "nodes.png"
	Title string // what it shows, for headings and alt text
	PNG   []byte
}

// Chart sizes: every chart is ChartWidth pixels wide; PNGs are rendered at
// chartDPI so the sizes in inches below are exact pixel counts.
const (
	chartDPI    = 100
	ChartWidth  = 1000 // pixels
	ChartHeight = 600  // pixels, single-panel charts
	// NodesChartHeight is the height of nodes.png (two panels).
	NodesChartHeight = 900
)

func px(n int) vg.Length { return vg.Length(n) * vg.Inch / chartDPI }

// Colours: the scenario is orange, its dedicated-only baseline blue, in
// every chart (colour-blind safe pair); the node chart uses shades of the
// same two hues for dedicated and low-priority nodes.
var (
	colScenario = color.NRGBA{R: 0xe6, G: 0x55, B: 0x0d, A: 0xff}
	colBaseline = color.NRGBA{R: 0x21, G: 0x66, B: 0xac, A: 0xff}
	colGrid     = color.NRGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	colMuted    = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	colText     = color.NRGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
)

func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// styledPlot returns a plot with the report's type sizes, a title and axis
// labels (with units).
func styledPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	// the canvas is white already (render): filling the plot's area white
	// again was a sixth of a chart's cost, for the same pixels
	p.BackgroundColor = nil
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(15)
	p.Title.TextStyle.Font.Weight = stdfont.WeightBold
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(12)
		a.Tick.Label.Font.Size = vg.Points(10)
		a.Label.Padding = vg.Points(4)
		a.Tick.Marker = niceTicks{}
	}
	for _, st := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		st.Font.Variant = "Sans"
		st.Color = colText
	}
	p.Legend.TextStyle.Font.Size = vg.Points(10.5)
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(2)
	return p
}

// newPlot is styledPlot with a light grid.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := styledPlot(title, xlabel, ylabel)
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = colGrid, colGrid
	p.Add(g)
	return p
}

// render draws onto a white canvas of w×h pixels (a chartCanvas) and
// returns the PNG.
func render(w, h int, drawFn func(dc draw.Canvas)) ([]byte, error) {
	pix := buffers.get(4 * w * h) // painted white by the canvas
	defer buffers.put(pix)
	img := &image.RGBA{Pix: pix, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
	drawFn(draw.New(newChartCanvas(img)))
	var b bytes.Buffer
	if err := encodePNG(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// buffers recycles the large buffers of drawing a chart (its pixels, its
// rows to compress), a few MB each: the charts of a run would otherwise
// allocate them anew, each a garbage collection's worth.
var buffers bufferPool

type bufferPool struct{ p sync.Pool }

// get returns a buffer of n bytes, its contents undefined.
func (b *bufferPool) get(n int) []byte {
	if v, ok := b.p.Get().(*[]byte); ok && cap(*v) >= n {
		return (*v)[:n]
	}
	return make([]byte, n)
}

// put hands buf back for a later get.
func (b *bufferPool) put(buf []byte) { b.p.Put(&buf) }

// renderPlot renders one plot as a w×h pixel PNG.
func renderPlot(p *plot.Plot, w, h int) ([]byte, error) {
	return render(w, h, func(dc draw.Canvas) { p.Draw(dc) })
}

// line returns a line plotter of width wpt points.
func line(xs, ys []float64, c color.Color, wpt float64, dashed bool) *plotter.Line {
	l := &plotter.Line{XYs: xys(xs, ys), LineStyle: draw.LineStyle{Color: c, Width: vg.Points(wpt)}}
	if dashed {
		l.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
	}
	return l
}

// band returns a filled polygon between lo and hi over xs.
func band(xs, lo, hi []float64, c color.Color) *plotter.Polygon {
	pts := make(plotter.XYs, 0, 2*len(xs))
	for i := range xs {
		pts = append(pts, plotter.XY{X: xs[i], Y: hi[i]})
	}
	for i := len(xs) - 1; i >= 0; i-- {
		pts = append(pts, plotter.XY{X: xs[i], Y: lo[i]})
	}
	return &plotter.Polygon{XYs: []plotter.XYs{pts}, Color: c}
}

// vline is a vertical line at x from y0 to y1.
func vline(x, y0, y1 float64, c color.Color, wpt float64, dashed bool) *plotter.Line {
	return line([]float64{x, x}, []float64{y0, y1}, c, wpt, dashed)
}

func xys(xs, ys []float64) plotter.XYs {
	out := make(plotter.XYs, len(xs))
	for i := range xs {
		out[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	return out
}

// niceMax rounds x up to a round number, for axis ends.
func niceMax(x float64) float64 {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*e >= x*(1-1e-12) {
			return m * e
		}
	}
	return 10 * e
}

// grid returns n+1 evenly spaced values from 0 to end.
func grid(end float64, n int) []float64 {
	out := make([]float64, n+1)
	for i := range out {
		out[i] = end * float64(i) / float64(n)
	}
	return out
}

// newLegend returns a free-standing legend in the report's style.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font.Variant = "Sans"
	l.TextStyle.Color = colText
	l.TextStyle.Font.Size = vg.Points(11)
	l.ThumbnailWidth = vg.Points(18)
	l.Padding = vg.Points(3)
	return l
}

// niceTicks puts major ticks at 1, 2 or 5 times a power of ten, about five
// to ten of them, labelled without useless decimals, with minor ticks
// between.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	raw := (hi - lo) / 6
	e := math.Pow(10, math.Floor(math.Log10(raw)))
	step, minor := e, e/5
	switch {
	case raw/e >= 5:
		step, minor = 10*e, 2*e
	case raw/e >= 2:
		step, minor = 5*e, e
	case raw/e >= 1.4:
		step, minor = 2*e, e/2
	}
	dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ts []plot.Tick
	for i := math.Ceil(lo/minor - 1e-9); i*minor <= hi+1e-9*minor; i++ {
		v := i * minor
		if math.Abs(v) < minor*1e-9 {
			v = 0
		}
		r := v / step
		if math.Abs(r-math.Round(r)) < 1e-6 {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', dec, 64)})
		} else {
			ts = append(ts, plot.Tick{Value: v})
		}
	}
	return ts
}

// intTicks marks only whole numbers, for counts (nodes): below a step of 1
// every integer is labelled; above, niceTicks' whole-numbered ticks.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	if hi-lo <= 12 {
		var ts []plot.Tick
		for v := math.Ceil(lo); v <= hi+1e-9; v++ {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
		}
		return ts
	}
	var ts []plot.Tick
	for _, t := range (niceTicks{}).Ticks(lo, hi) {
		if t.Value == math.Trunc(t.Value) {
			ts = append(ts, t)
		}
	}
	return ts
}
