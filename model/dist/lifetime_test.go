package dist_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/internal/stattest"
)

// models are valid lifetimes of every kind, for the generic checks.
func models(t *testing.T) []dist.Dist {
	t.Helper()
	exp := dist.Dist{Kind: dist.Exponential, Rate: 0.2}
	emp, err := dist.NewEmpirical([]time.Duration{3 * time.Hour, time.Hour, 30 * time.Hour, 2 * time.Hour, 20 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	bt, err := dist.NewBathtub(0.5, time.Hour, 48*time.Minute, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return []dist.Dist{
		exp,
		dist.Dist{Kind: dist.Weibull, Shape: 0.7, Scale: 20 * time.Hour},
		dist.Dist{Kind: dist.Weibull, Shape: 2.5, Scale: 6 * time.Hour},
		bt,
		dist.DefaultBathtub,
		emp,
		exp.Capped(4 * time.Hour),
		dist.Exp(3 * time.Hour),
		{Kind: dist.LogNormal, Mean: 10 * time.Hour, StdDev: 6 * time.Hour},
		dist.Dist{Kind: dist.LogNormal, Mean: 10 * time.Hour, StdDev: 6 * time.Hour}.Capped(12 * time.Hour),
		{Kind: dist.Uniform, Min: time.Hour, Max: 5 * time.Hour},
	}
}

func TestWeibullMean(t *testing.T) {
	const n = 20000
	for _, w := range []dist.Dist{
		{Kind: dist.Weibull, Shape: 0.7, Scale: 20 * time.Hour},
		{Kind: dist.Weibull, Shape: 1, Scale: 3 * time.Hour},
		{Kind: dist.Weibull, Shape: 1.5, Scale: 10 * time.Hour},
		{Kind: dist.Weibull, Shape: 3, Scale: 45 * time.Minute},
	} {
		r := rand.New(rand.NewPCG(1, 1))
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = w.Quantile(stattest.Open01(r)).Hours()
		}
		mean, half := stattest.CI99(xs)
		want := w.Scale.Hours() * math.Gamma(1+1/w.Shape)
		t.Logf("%v: sample mean %.4f h ± %.4f (99%%), scale·Γ(1+1/k) = %.4f h", w, mean, half, want)
		if math.Abs(mean-want) > half {
			t.Errorf("%v: theory %.4f h outside the 99%% CI %.4f ± %.4f", w, want, mean, half)
		}
		if got := w.MeanDuration().Hours(); math.Abs(got-want) > 1e-9*want {
			t.Errorf("%v: Mean() = %v h, want %v h", w, got, want)
		}
	}
}

func TestCapped(t *testing.T) {
	const n = 20000
	for _, m := range models(t) {
		for _, max := range []time.Duration{time.Minute, 90 * time.Minute, 12 * time.Hour, 24 * time.Hour} {
			c := m.Capped(max)
			if err := c.Validate(); err != nil {
				t.Fatalf("%v: %v", c, err)
			}
			for _, u := range []float64{-1, 0, 1e-300, 0.5, 1 - 1e-16, 1, 2, math.NaN()} {
				if q := c.Quantile(u); q > max || q < 0 {
					t.Errorf("%v: Quantile(%v) = %v outside [0, %v]", c, u, q, max)
				}
			}
			r := rand.New(rand.NewPCG(1, 1))
			xs := make([]float64, n)
			for i := range xs {
				q := c.Quantile(stattest.Open01(r))
				if q > max {
					t.Fatalf("%v: draw %v exceeds the cap", c, q)
				}
				xs[i] = q.Hours()
			}
			mean, half := stattest.CI99(xs)
			want := c.MeanDuration().Hours()
			if math.Abs(mean-want) > half+1e-6*want { // 1e-6: a cap below every draw leaves a CI of width 0
				t.Errorf("%v: Mean() %.9f h outside the 99%% CI %.9f ± %.9f", c, want, mean, half)
			}
			if c.CDF(max) != 1 || c.CDF(max-1) > 1 {
				t.Errorf("%v: CDF at the cap = %v", c, c.CDF(max))
			}
		}
	}
}

// TestQuantileCDF checks, for every model, that CDF(Quantile(u)) ≥ u with
// equality for the continuous ones, that Quantile is monotone, and that the
// same u gives the same draw.
func TestQuantileCDF(t *testing.T) {
	for _, m := range models(t) {
		step, capped := m.Kind == dist.Empirical, m.Cap > 0
		prev := time.Duration(0)
		for i := 1; i < 1000; i++ {
			u := float64(i) / 1000
			q := m.Quantile(u)
			if q < prev {
				t.Fatalf("%v: Quantile not monotone at %v", m, u)
			}
			prev = q
			if q != m.Quantile(u) {
				t.Fatalf("%v: Quantile(%v) not deterministic", m, u)
			}
			f := m.CDF(q)
			if step || capped {
				if f < u-1e-12 {
					t.Errorf("%v: CDF(Quantile(%v)) = %v < u", m, u, f)
				}
			} else if math.Abs(f-u) > 1e-9 {
				t.Errorf("%v: CDF(Quantile(%v)) = %v", m, u, f)
			}
		}
	}
}

func TestEmpirical(t *testing.T) {
	e, err := dist.NewEmpirical([]time.Duration{4 * time.Hour, time.Hour, 2 * time.Hour, 3 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		u    float64
		want time.Duration
	}{{1e-9, time.Hour}, {0.25, time.Hour}, {0.25 + 1e-9, 2 * time.Hour}, {0.5, 2 * time.Hour}, {0.75, 3 * time.Hour}, {0.99, 4 * time.Hour}} {
		if got := e.Quantile(c.u); got != c.want {
			t.Errorf("Quantile(%v) = %v, want %v", c.u, got, c.want)
		}
	}
	if e.MeanDuration() != 150*time.Minute || e.CDF(2*time.Hour) != 0.5 || e.CDF(time.Hour-1) != 0 {
		t.Errorf("mean %v, CDF(2h) %v", e.MeanDuration(), e.CDF(2*time.Hour))
	}
}

func TestValidateLifetimes(t *testing.T) {
	for _, c := range []struct {
		m    dist.Dist
		want string
	}{
		{dist.Dist{Kind: dist.Exponential}, "exponential needs mean > 0, got 0s"},
		{dist.Dist{Kind: dist.Exponential, Rate: math.Inf(1)}, "exponential lifetime needs a positive, finite rate, got +Inf per hour"},
		{dist.Dist{Kind: dist.Exponential, Rate: math.NaN()}, "positive, finite rate"},
		{dist.Dist{Kind: dist.Exponential, Rate: -1}, "positive, finite rate"},
		{dist.Dist{Kind: dist.Exponential, Rate: 1, Mean: time.Hour}, "give one"},
		{dist.Dist{Kind: dist.Weibull, Shape: 0, Scale: time.Hour}, "weibull needs shape > 0 and scale > 0, got shape 0, scale 1h0m0s"},
		{dist.Dist{Kind: dist.Weibull, Shape: 1, Scale: -time.Hour}, "scale -1h"},
		{dist.Dist{Kind: dist.Weibull, Shape: math.NaN(), Scale: time.Hour}, "shape NaN"},
		{dist.Dist{Kind: dist.Weibull, Shape: 0.001, Scale: time.Hour}, "too small"},
		{dist.Dist{Kind: dist.Bathtub, A: 0, Tau1: 1, Tau2: 1, B: 1}, "bathtub lifetime needs 0 < A <= 1, got 0"},
		{dist.Dist{Kind: dist.Bathtub, A: 1.5, Tau1: 1, Tau2: 1, B: 1}, "got 1.5"},
		{dist.Dist{Kind: dist.Bathtub, A: 0.5, Tau1: 0, Tau2: time.Hour, B: time.Hour}, "tau1 0s"},
		{dist.Dist{Kind: dist.Bathtub, A: 1e-300, Tau1: time.Hour, Tau2: 10000 * time.Hour, B: time.Hour}, "support is too long"},
		{dist.Dist{Kind: dist.Empirical}, "empirical distribution has no samples"},
		{dist.Dist{Kind: dist.Empirical, Samples: []time.Duration{2, 1}}, "sorted"},
		{dist.Dist{Kind: dist.Empirical, Samples: []time.Duration{-1, 1}}, "non-negative"},
		{dist.Exp(time.Hour).Capped(-time.Hour), "max_lifetime must be positive, got -1h"},
		{dist.Dist{Kind: dist.Exponential}.Capped(time.Hour), "exponential needs mean > 0"},
	} {
		err := c.m.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%#v: err = %v, want %q", c.m, err, c.want)
		}
		// Invalid models never panic.
		for _, u := range []float64{0, 0.5, 1} {
			_ = c.m.Quantile(u)
		}
		_, _, _ = c.m.CDF(time.Hour), c.m.MeanDuration(), c.m.String()
	}
	for _, f := range []func() error{
		func() error { _, err := dist.NewBathtub(2, time.Hour, time.Hour, time.Hour); return err },
		func() error { _, err := dist.NewEmpirical(nil); return err },
	} {
		if f() == nil {
			t.Error("constructor accepted bad parameters")
		}
	}
}

// TestOneFamilyDraws pins what the unification of durations and lifetimes
// changed in the draws. Weibull lifetimes used to be computed in hours and
// rounded to the nanosecond; they now take the durations' path (in
// nanoseconds, truncated): every draw moves by at most one nanosecond.
// Empirical durations used the index ⌊u·n⌋ and lifetimes ⌈u·n⌉ − 1; they
// differ only where u·n rounds to an integer, which none of a million
// spotsim uniforms ((k + ½)/2⁵³) does for n up to 64.
func TestOneFamilyDraws(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, w := range []dist.Dist{
		{Kind: dist.Weibull, Shape: 0.7, Scale: 20 * time.Hour},
		{Kind: dist.Weibull, Shape: 2.5, Scale: 6 * time.Hour},
		{Kind: dist.Weibull, Shape: 1.8, Scale: 12 * time.Minute},
	} {
		s := w.Sampler()
		worst := time.Duration(0)
		for range 100000 {
			u := stattest.Open01(r)
			old := fromHours(distuv.Weibull{K: w.Shape, Lambda: w.Scale.Hours()}.Quantile(u))
			d := s.Quantile(u) - old
			worst = max(worst, d, -d)
		}
		t.Logf("%v: largest change %v", w, worst)
		if worst > time.Nanosecond {
			t.Errorf("%v: a draw moved by %v", w, worst)
		}
	}
	for n := 1; n <= 64; n++ {
		for range 1000000 / 64 {
			u := stattest.Open01(r)
			if f, c := int(u*float64(n)), int(math.Ceil(u*float64(n)))-1; f != c {
				t.Errorf("n %d, u %v: floor %d, ceil-1 %d", n, u, f, c)
			}
		}
	}
}

// fromHours is the lifetimes' old conversion: hours to the nearest
// nanosecond.
func fromHours(h float64) time.Duration { return time.Duration(math.Round(h * float64(time.Hour))) }
