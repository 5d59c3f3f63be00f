package report

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Stat summarises one quantity over replications.
type Stat struct {
	N        int     `json:"n"`
	Mean     float64 `json:"mean"`
	SD       float64 `json:"sd"`
	CI95Low  float64 `json:"ci95_low"`
	CI95High float64 `json:"ci95_high"`
	P50      float64 `json:"p50"`
	P95      float64 `json:"p95"`
}

// Summarize returns the mean, the sample standard deviation, the 95 %
// Student-t confidence interval of the mean, and the empirical 50th and 95th
// percentiles of xs. With fewer than two values the interval is the mean.
func Summarize(xs []float64) Stat {
	s := Stat{N: len(xs)}
	if len(xs) == 0 {
		return s
	}
	s.Mean = stat.Mean(xs, nil)
	s.CI95Low, s.CI95High = s.Mean, s.Mean
	if len(xs) > 1 {
		s.SD = stat.StdDev(xs, nil)
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975)
		h := t * s.SD / math.Sqrt(float64(len(xs)))
		s.CI95Low, s.CI95High = s.Mean-h, s.Mean+h
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	s.P50 = stat.Quantile(0.5, stat.Empirical, sorted, nil)
	s.P95 = stat.Quantile(0.95, stat.Empirical, sorted, nil)
	return s
}

// Percentile returns the empirical p-quantile (p in [0,1]) of xs.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	return stat.Quantile(p, stat.Empirical, sorted, nil)
}
