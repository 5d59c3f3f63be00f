package report_test

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/report"
)

// bruteFrontier keeps the points no other point dominates.
func bruteFrontier(xs, ys []float64) []int {
	var out []int
	for i := range xs {
		if math.IsNaN(xs[i]) || math.IsNaN(ys[i]) {
			continue
		}
		dominated := false
		for j := range xs {
			if j == i || math.IsNaN(xs[j]) || math.IsNaN(ys[j]) {
				continue
			}
			if xs[j] <= xs[i] && ys[j] <= ys[i] && (xs[j] < xs[i] || ys[j] < ys[i]) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, i)
		}
	}
	return out
}

func TestFrontierMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := 0; trial < 500; trial++ {
		n := 1 + rng.IntN(40)
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range xs {
			// few distinct values, so ties and duplicates are common
			xs[i], ys[i] = float64(rng.IntN(8)), float64(rng.IntN(8))
			if rng.IntN(15) == 0 {
				xs[i] = math.NaN()
			}
		}
		got := report.Frontier(xs, ys)
		want := bruteFrontier(xs, ys)
		g, w := slices.Clone(got), slices.Clone(want)
		slices.Sort(g)
		if !reflect.DeepEqual(g, w) && !(len(g) == 0 && len(w) == 0) {
			t.Fatalf("trial %d: xs %v ys %v: frontier %v, brute force %v", trial, xs, ys, got, want)
		}
		for k := 1; k < len(got); k++ {
			if xs[got[k]] < xs[got[k-1]] {
				t.Fatalf("frontier %v not sorted by x", got)
			}
		}
	}
}

// synthetic builds a sweep of points (p95 completion hours, mean cost USD,
// share meeting the deadline).
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
	s.Analyse()
	return s
}

// TestRecommendationFollowsDeadline: a looser deadline recommends a cheaper,
// slower point; a deadline nothing meets says so.
func TestRecommendationFollowsDeadline(t *testing.T) {
	pts := [][3]float64{{10, 100, 1}, {6, 150, .97}, {4, 300, .99}, {12, 90, .9}, {5, 400, 1}}
	for _, tc := range []struct {
		deadline float64
		want     int // -1: none
	}{{20, 3}, {12, 3}, {11.9, 0}, {10, 0}, {9, 1}, {6, 1}, {5.5, 2}, {4, 2}, {3.9, -1}} {
		s := synthetic(tc.deadline, pts...)
		r := s.Recommendation
		switch {
		case tc.want < 0 && r.Index != nil:
			t.Errorf("deadline %v: recommends %d, want none", tc.deadline, *r.Index)
		case tc.want < 0 && !strings.HasPrefix(r.Text, "No point meets the deadline of 3.9 h at p95. The fastest at p95 is point 2"):
			t.Errorf("deadline %v: %q", tc.deadline, r.Text)
		case tc.want >= 0 && (r.Index == nil || *r.Index != tc.want):
			t.Errorf("deadline %v: recommends %v, want %d (%s)", tc.deadline, r.Index, tc.want, r.Text)
		case tc.want >= 0 && r.MeetsDeadlineShare != pts[tc.want][2]:
			t.Errorf("deadline %v: share %v", tc.deadline, r.MeetsDeadlineShare)
		}
	}
	s := synthetic(0, pts...)
	if s.Recommendation != nil {
		t.Error("no deadline, yet a recommendation")
	}
	if want := []int{2, 1, 0, 3}; !reflect.DeepEqual(s.Frontier, want) {
		t.Errorf("frontier %v, want %v", s.Frontier, want)
	}
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
