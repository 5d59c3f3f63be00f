// Package stattest holds the statistical checks the model packages' tests
// share: a Kolmogorov–Smirnov test, a 99 % interval for a mean, and open
// uniforms.
package stattest

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Open01 returns a uniform in (0,1) from r.
func Open01(r *rand.Rand) float64 { return (float64(r.Uint64()>>11) + 0.5) / (1 << 53) }

// KS returns the Kolmogorov–Smirnov statistic of the samples against cdf
// and its asymptotic p-value.
func KS(xs []float64, cdf func(float64) float64) (d, p float64) {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := float64(len(s))
	for i, x := range s {
		f := cdf(x)
		d = max(d, float64(i+1)/n-f, f-float64(i)/n)
	}
	return d, kolmogorovQ((math.Sqrt(n) + 0.12 + 0.11/math.Sqrt(n)) * d)
}

// kolmogorovQ is the survival function of the Kolmogorov distribution,
// Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²} (with Stephens' small-sample
// correction applied by the caller).
func kolmogorovQ(l float64) float64 {
	if l < 0.2 {
		return 1
	}
	sum, sign := 0.0, 1.0
	for k := 1; k <= 100; k++ {
		term := sign * math.Exp(-2*float64(k*k)*l*l)
		sum += term
		if math.Abs(term) < 1e-16 {
			break
		}
		sign = -sign
	}
	return max(0, min(1, 2*sum))
}

// CI99 returns the mean of xs and the half-width of its 99 % Student-t
// confidence interval.
func CI99(xs []float64) (mean, half float64) {
	mean, sd := stat.MeanStdDev(xs, nil)
	n := float64(len(xs))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.995)
	return mean, t * sd / math.Sqrt(n)
}
