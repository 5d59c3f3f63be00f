package report_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/sweep"
)

// synthetic builds an analysed sweep of points (p95 completion hours, mean
// cost USD, share meeting the deadline).
func synthetic(deadline float64, pts ...[3]float64) *report.Sweep {
	s := &report.Sweep{Name: "syn", Points: len(pts), Percentile: 95, DeadlineHours: deadline,
		Axes: []report.SweepAxis{{Path: "pools.main.target_low_priority_nodes"}}}
	for i, p := range pts {
		x, share := p[0], p[2]
		v := string(rune('0' + i))
		s.Axes[0].Values = append(s.Axes[0].Values, v)
		s.Results = append(s.Results, report.SweepPoint{Index: i, Values: []string{v}, Replications: 100, Finished: 100,
			CompletionAtPercentile: &x, MeetsDeadline: &share,
			CostUSD: report.Stat{N: 100, Mean: p[1]}, SavingsPct: report.Stat{N: 100, Mean: 50}})
	}
	sweep.Analyse(s)
	return s
}

func TestSweepCharts(t *testing.T) {
	one := synthetic(6, [3]float64{10, 100, 1}, [3]float64{6, 150, .97}, [3]float64{4, 300, .99})
	two := synthetic(6, [3]float64{10, 100, 1}, [3]float64{6, 150, .97}, [3]float64{4, 200, .99})
	// a 2×2 grid: a heatmap too
	grid := synthetic(6, [3]float64{10, 100, 1}, [3]float64{6, 150, .97}, [3]float64{4, 300, .99}, [3]float64{5, 250, 1})
	grid.Axes = []report.SweepAxis{{Path: "a.b.x", Values: []string{"1", "2"}}, {Path: "a.b.y", Values: []string{`"p"`, `"q"`}}}
	for i := range grid.Results {
		grid.Results[i].Values = []string{grid.Axes[0].Values[i/2], grid.Axes[1].Values[i%2]}
	}
	c1, err := report.SweepCharts(one)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := report.SweepCharts(two)
	cg, err := report.SweepCharts(grid)
	if err != nil {
		t.Fatal(err)
	}
	if len(c1) != 1 || c1[0].Name != "frontier.png" || len(cg) != 2 || cg[1].Name != "heatmap.png" {
		t.Fatalf("charts: %d for one axis, %d for two", len(c1), len(cg))
	}
	for _, c := range append(c1, cg...) {
		img, err := png.Decode(bytes.NewReader(c.PNG))
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if img.Bounds().Size() != (image.Point{X: report.ChartWidth, Y: report.ChartHeight}) {
			t.Errorf("%s: size %v", c.Name, img.Bounds().Size())
		}
		if colours(img) < 20 {
			t.Errorf("%s looks blank", c.Name)
		}
	}
	if bytes.Equal(c1[0].PNG, c2[0].PNG) {
		t.Error("frontier.png identical for different sweeps")
	}
}

// TestHeatmapMarksReference: with a reference, heatmap.png marks its mean
// cost on the colour bar (whose scale then reaches it) and names it in the
// key, so the picture differs from the same sweep's without one.
func TestHeatmapMarksReference(t *testing.T) {
	grid := func() *report.Sweep {
		g := synthetic(6, [3]float64{10, 100, 1}, [3]float64{6, 150, .97}, [3]float64{4, 300, .99}, [3]float64{5, 250, 1})
		g.Axes = []report.SweepAxis{{Path: "a.b.x", Values: []string{"1", "2"}}, {Path: "a.b.y", Values: []string{"3", "4"}}}
		for i := range g.Results {
			g.Results[i].Values = []string{g.Axes[0].Values[i/2], g.Axes[1].Values[i%2]}
		}
		return g
	}
	without, with := grid(), grid()
	x := 7.0
	with.Reference = &report.SweepReference{Reference: report.Reference{Name: "today", Side: report.Side{Finished: 100, CostUSD: report.Stat{N: 100, Mean: 400}}},
		CompletionAtPercentile: &x}
	a, err := report.SweepCharts(without)
	if err != nil {
		t.Fatal(err)
	}
	b, err := report.SweepCharts(with)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 || len(b) != 2 || bytes.Equal(a[1].PNG, b[1].PNG) {
		t.Errorf("heatmap.png is the same with a reference as without")
	}
}
