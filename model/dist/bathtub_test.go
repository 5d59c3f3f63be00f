package dist_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/internal/stattest"
)

// raw is the published bathtub CDF, F(t) = A(1 − e^{−t/τ₁} + e^{(t−b)/τ₂}).
func raw(b dist.Dist, t float64) float64 {
	return b.A * (1 - math.Exp(-t/b.Tau1.Hours()) + math.Exp((t-b.B.Hours())/b.Tau2.Hours()))
}

// bathtubs returns bathtub lifetimes through NewBathtub (which caches t*).
func bathtubs(t *testing.T) []dist.Dist {
	t.Helper()
	var out []dist.Dist
	for _, b := range []dist.Dist{
		dist.DefaultBathtub,
		{Kind: dist.Bathtub, A: 0.5, Tau1: 30 * time.Minute, Tau2: 48 * time.Minute, B: 24 * time.Hour},
		{Kind: dist.Bathtub, A: 0.45, Tau1: 90 * time.Minute, Tau2: 48 * time.Minute, B: 24 * time.Hour},
		{Kind: dist.Bathtub, A: 0.2, Tau1: time.Hour, Tau2: 2 * time.Hour, B: 10 * time.Hour},
		{Kind: dist.Bathtub, A: 1, Tau1: 2 * time.Hour, Tau2: time.Hour, B: 5 * time.Hour},
	} {
		nb, err := dist.NewBathtub(b.A, b.Tau1, b.Tau2, b.B)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, nb)
	}
	return out
}

// TestBathtubSupport checks the normalisation: F(t*) = 1, G(0) = 0,
// G(t*) = 1, and G differs from the published F by at most F(0).
func TestBathtubSupport(t *testing.T) {
	for _, b := range bathtubs(t) {
		end := b.End().Hours()
		if f := raw(b, end); math.Abs(f-1) > 1e-9 {
			t.Errorf("%v: F(t*) = %v", b, f)
		}
		if lim := b.B.Hours() + b.Tau2.Hours()*math.Log(1/b.A); end > lim {
			t.Errorf("%v: t* = %v h beyond b + τ₂ ln(1/A) = %v h", b, end, lim)
		}
		f0 := raw(b, 0)
		for i := 0; i <= 1000; i++ {
			x := end * float64(i) / 1000
			g := b.CDF(time.Duration(x * float64(time.Hour)))
			if d := math.Abs(g - min(1, raw(b, x))); d > f0+1e-9 {
				t.Errorf("%v: G(%v h) = %v differs from F by %v > F(0) = %v", b, x, g, d, f0)
			}
		}
		if b.CDF(0) != 0 || b.CDF(b.End()) != 1 || b.Quantile(1) != b.End() || b.Quantile(0) != 0 {
			t.Errorf("%v: ends G(0) = %v, G(t*) = %v", b, b.CDF(0), b.CDF(b.End()))
		}
		t.Logf("%v: t* = %.9f h, F(0) = %.3g, mean %v", b, end, f0, b.MeanDuration())
	}
	// With A = ½ and b ≫ τ₁, t* = b + τ₂·ln(1 + e^{−t*/τ₁}) is a hair past b.
	d := dist.DefaultBathtub
	want := 24 + 0.8*math.Log1p(math.Exp(-24))
	if got := d.End().Hours(); math.Abs(got-want) > 1e-9 {
		t.Errorf("default t* = %.12f h, want %.12f h", got, want)
	}
}

// TestBathtubKS samples 5000 lifetimes by inversion and compares their
// empirical CDF with G by a Kolmogorov–Smirnov test at 1 %. A model with
// other parameters must be rejected by the same test.
func TestBathtubKS(t *testing.T) {
	const n = 5000
	for i, b := range bathtubs(t) {
		r := rand.New(rand.NewPCG(1, uint64(i+1)))
		xs := make([]float64, n)
		for j := range xs {
			xs[j] = float64(b.Quantile(stattest.Open01(r)))
		}
		cdf := func(x float64) float64 { return b.CDF(time.Duration(x)) }
		d, p := stattest.KS(xs, cdf)
		t.Logf("%v: n = %d, D = %.5f, p = %.3f", b, n, d, p)
		if p < 0.01 {
			t.Errorf("%v: KS rejects the sampled lifetimes: D = %.5f, p = %.4f", b, d, p)
		}
		// Power: τ₁ off by 30 % or the ramp 30 min late must fail.
		w1, w2 := b, b
		w1.Tau1 = b.Tau1 * 13 / 10
		w2.B = b.B + 30*time.Minute
		for _, w := range []dist.Dist{w1, w2} {
			dw, pw := stattest.KS(xs, func(x float64) float64 { return w.CDF(time.Duration(x)) })
			if pw >= 0.01 {
				t.Errorf("%v: KS cannot tell %v apart: D = %.5f, p = %.4f", b, w, dw, pw)
			}
		}
		// The mean, E[X] = t* − ∫G, against the sample mean.
		hs := make([]float64, n)
		for j, x := range xs {
			hs[j] = x / float64(time.Hour)
		}
		m, half := stattest.CI99(hs)
		if want := b.MeanDuration().Hours(); math.Abs(m-want) > half {
			t.Errorf("%v: Mean() %.4f h outside the 99%% CI %.4f ± %.4f", b, want, m, half)
		}
	}
}

// TestBathtubMeanIntegral checks the closed-form mean against a numeric
// integral of 1 − G.
func TestBathtubMeanIntegral(t *testing.T) {
	for _, b := range bathtubs(t) {
		end := b.End()
		const k = 200000
		sum := 0.0
		for i := 0; i < k; i++ {
			x := time.Duration((float64(i) + 0.5) / k * float64(end))
			sum += 1 - b.CDF(x)
		}
		num := sum / k * end.Hours()
		if got := b.MeanDuration().Hours(); math.Abs(got-num) > 1e-6 {
			t.Errorf("%v: Mean() = %.9f h, numeric %.9f h", b, got, num)
		}
	}
}

func TestBathtubQuantileCDF(t *testing.T) {
	b := dist.DefaultBathtub
	worst := 0.0
	for _, u := range []float64{1e-15, 1e-9, 1e-4, 0.1, 0.3, 0.4999, 0.5, 0.5001, 0.7, 0.9, 0.999999, 1 - 1e-12} {
		q := b.Quantile(u)
		g := b.CDF(q)
		// One nanosecond of density bounds the error of the rounding to ns.
		if d := math.Abs(g - u); d > 1e-9 {
			t.Errorf("CDF(Quantile(%v)) = %v", u, g)
		} else {
			worst = max(worst, d)
		}
	}
	t.Logf("worst |CDF(Quantile(u)) − u| = %.3g", worst)
}
