package sweep_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/report"
	"github.com/spotsim/spotsim/report/sweep"
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
		got := sweep.Frontier(xs, ys)
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
	sweep.Analyse(s)
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
