package report

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// drawnFrontier lays out and draws frontier.png for s and returns it.
func drawnFrontier(t *testing.T, s *Sweep) *frontier {
	t.Helper()
	f := newFrontier(s)
	c := vgimg.NewWith(vgimg.UseWH(px(ChartWidth), px(ChartHeight)), vgimg.UseDPI(chartDPI))
	f.draw(draw.New(c))
	return f
}

// checkLabels fails when two label boxes overlap or one leaves the chart.
func checkLabels(t *testing.T, what string, f *frontier) {
	t.Helper()
	area := vg.Rectangle{Max: vg.Point{X: px(ChartWidth), Y: px(ChartHeight)}}
	b := f.labels.Boxes
	for i := range b {
		if b[i] == (vg.Rectangle{}) {
			continue
		}
		if !inside(b[i], area) {
			t.Errorf("%s: label %q at %v leaves the chart", what, f.labels.Labels[i], b[i])
		}
		for j := i + 1; j < len(b); j++ {
			if b[j] != (vg.Rectangle{}) && overlaps(b[i], b[j]) {
				t.Errorf("%s: labels %q %v and %q %v overlap", what, f.labels.Labels[i], b[i], f.labels.Labels[j], b[j])
			}
		}
	}
}

func loadSweep(t *testing.T, name string) *Sweep {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var s Sweep
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// TestFrontierLabelsNeverOverlap: the labels of the 4×4 sweep (six
// front points, four of them within 10 h and $45 of each other) are all
// placed and never overlap; nor do those of dense random fronts, where a
// label that finds no room is left out rather than overprinted.
func TestFrontierLabelsNeverOverlap(t *testing.T) {
	s := loadSweep(t, "sweep-4x4.json")
	f := drawnFrontier(t, s)
	checkLabels(t, "4x4", f)
	if f.labels.Skipped != 0 || len(f.labels.Boxes) != len(s.Frontier) {
		t.Errorf("4x4: %d of %d front labels placed", len(f.labels.Boxes)-f.labels.Skipped, len(s.Frontier))
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := 0; trial < 20; trial++ {
		n := 5 + rng.IntN(60)
		r := &Sweep{Name: "dense", Points: n, Percentile: 95, DeadlineHours: 10,
			Axes: []SweepAxis{{Path: "pools.main.target_low_priority_nodes"}, {Path: "pools.main.target_dedicated_nodes"}}}
		front := []int{}
		for i := 0; i < n; i++ {
			x := 5 + 10*rng.Float64()
			y := 100 / x * (1 + 0.05*rng.Float64())
			a, b := fmt.Sprint(i%8*10), fmt.Sprint(i/8)
			r.Results = append(r.Results, SweepPoint{Index: i, Values: []string{a, b}, Replications: 10, Finished: 10,
				CompletionAtPercentile: &x, CostUSD: Stat{N: 10, Mean: y}, OnFrontier: i%2 == 0, QuotaCapped: i%5 == 0})
			if i%2 == 0 {
				front = append(front, i)
			}
		}
		r.Frontier = front
		checkLabels(t, fmt.Sprintf("trial %d (%d points)", trial, n), drawnFrontier(t, r))
	}
}

// TestFrontierMarksWhatIsNotPlain: points short of the percentile, capped
// by a quota or beyond a clipped axis are drawn and counted in the key.
func TestFrontierMarksWhatIsNotPlain(t *testing.T) {
	s := loadSweep(t, "sweep-4x4.json")
	f := drawnFrontier(t, s)
	var key []string
	for _, e := range f.key {
		key = append(key, e.text)
	}
	all := strings.Join(key, "\n")
	for _, want := range []string{"sweep point reaching p95 (15)", "Pareto front (6)", "p95 not reached (1)",
		"capped by a core quota (4)", "beyond the axis (2), drawn on its edge: 420.6 h, 168.4 h", "recommended: #14"} {
		if !strings.Contains(all, want) {
			t.Errorf("the key lacks %q:\n%s", want, all)
		}
	}
}

// TestRobustMax: one far outlier no longer sets the axis (the front stays
// visible at a useful scale); the front, the recommended point and the
// deadline are always inside; ordinary spreads are not clipped.
func TestRobustMax(t *testing.T) {
	for _, tc := range []struct {
		xs, must []float64
		max      float64
		clip     bool
	}{
		{[]float64{10, 11, 12, 13, 14, 1000}, []float64{10, 11}, 14 + 1.5*(14-11), true}, // empirical quartiles 11 and 14
		{[]float64{10, 11, 12, 13, 14, 1000}, []float64{10, 1000}, 1000, false},
		{[]float64{10, 20, 30, 40, 50}, nil, 50, false},
		{nil, []float64{30}, 30, false},
	} {
		got, clip := robustMax(tc.xs, tc.must)
		if clip != tc.clip || math.Abs(got-tc.max) > 1e-9 {
			t.Errorf("robustMax(%v, %v) = %v, %v; want %v, %v", tc.xs, tc.must, got, clip, tc.max, tc.clip)
		}
	}
}

// TestFrontierShowsReference: a sweep's reference (what the user runs
// today) is drawn as its own marker, labelled without overlapping the
// points' labels, named in the key with its cost and completion time, and
// inside the axes even when it is slower and dearer than every point; one
// short of the percentile goes to the "not reached" column. Before, the
// reference was in the table only.
func TestFrontierShowsReference(t *testing.T) {
	for _, c := range []struct {
		name    string
		at      *float64
		wantKey string
	}{
		{"reached", ptr(900.0), `your reference "today" (what you run today): $500.00, p95 900.0 h`},
		{"not reached", nil, `your reference "today" (what you run today): $500.00, p95 not reached`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := loadSweep(t, "sweep-4x4.json")
			s.Reference = &SweepReference{Reference: Reference{Name: "today", Side: Side{Finished: 200, CostUSD: Stat{N: 200, Mean: 500}}},
				CompletionAtPercentile: c.at}
			f := drawnFrontier(t, s)
			checkLabels(t, c.name, f)
			if !slices.Contains(f.labels.Labels, "reference") || f.labels.Skipped != 0 {
				t.Errorf("the reference is not labelled (labels %q, %d skipped)", f.labels.Labels, f.labels.Skipped)
			}
			var key []string
			for _, e := range f.key {
				key = append(key, e.text)
			}
			if !slices.Contains(key, c.wantKey) {
				t.Errorf("the key lacks %q:\n%s", c.wantKey, strings.Join(key, "\n"))
			}
			if f.p.Y.Max < 500 || c.at != nil && f.p.X.Max < *c.at {
				t.Errorf("axes end at %g h, $%g: the reference is outside", f.p.X.Max, f.p.Y.Max)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
