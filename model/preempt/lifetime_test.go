package preempt_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/preempt"
)

// TestBucketRates: Azure's eviction-rate bands are per hour (a fraction b
// of VMs evicted within an hour: λ = −ln(1 − b)/h), AWS Spot Advisor's
// buckets per month (λ = −ln(1 − b)/720 h); the same label is 720 times
// apart.
func TestBucketRates(t *testing.T) {
	for _, c := range []struct {
		provider, label string
		b               float64
		period          time.Duration
	}{
		{"aws", "<5%", 0.025, 720 * time.Hour}, {"aws", "5-10%", 0.075, 720 * time.Hour}, {"aws", "10-15%", 0.125, 720 * time.Hour},
		{"aws", "15-20%", 0.175, 720 * time.Hour}, {"aws", ">20%", 0.25, 720 * time.Hour}, {"aws", "5 - 10 %", 0.075, 720 * time.Hour},
		{"azure", "0-5", 0.025, time.Hour}, {"azure", "5-10", 0.075, time.Hour}, {"azure", "10-15", 0.125, time.Hour},
		{"azure", "15-20", 0.175, time.Hour}, {"azure", "20+", 0.25, time.Hour}, {"azure", " 20+ ", 0.25, time.Hour},
		{"azure", "20-100", 0.25, time.Hour}, {"azure", "5-10%", 0.075, time.Hour},
	} {
		get := preempt.AzureEvictionRate
		if c.provider == "aws" {
			get = preempt.AWSInterruptionFrequency
		}
		e, err := get(c.label)
		if err != nil {
			t.Fatalf("%s %q: %v", c.provider, c.label, err)
		}
		if want := -math.Log1p(-c.b) / c.period.Hours(); e.Rate != want {
			t.Errorf("%s %q: rate %v per hour, want %v", c.provider, c.label, e.Rate, want)
		}
		// A fraction b of incarnations dies within one period.
		if got := e.CDF(c.period); math.Abs(got-c.b) > 1e-12 {
			t.Errorf("%s %q: CDF(%v) = %v, want %v", c.provider, c.label, c.period, got, c.b)
		}
		if e.Band.Provider != c.provider {
			t.Errorf("%s %q: band %+v", c.provider, c.label, e.Band)
		}
	}
	// The figure: Azure 5-10 at its midpoint is 0.078/h, a mean of 12.8 h.
	if e, _ := preempt.AzureEvictionRate("5-10"); math.Abs(e.Rate-0.07796) > 1e-5 || math.Abs(e.Mean().Hours()-12.83) > 0.01 {
		t.Errorf("azure 5-10: rate %v, mean %v", e.Rate, e.Mean())
	}
	if len(preempt.Buckets()) != 10 {
		t.Errorf("Buckets() has %d rows, want 10", len(preempt.Buckets()))
	}
	for _, b := range preempt.Buckets() {
		if !(b.Low <= b.Value && b.Value < b.High) {
			t.Errorf("bucket %q: representative %v outside [%v, %v)", b.Label, b.Value, b.Low, b.High)
		}
	}
	for _, c := range []struct {
		get   func(string) (preempt.Exponential, error)
		label string
		want  string
	}{
		{preempt.AWSInterruptionFrequency, "30-40%", `unknown AWS Spot Advisor bucket (per month) "30-40%" (want one of "<5%", "5-10%", "10-15%", "15-20%", ">20%")`},
		{preempt.AzureEvictionRate, "<5%", `unknown Azure eviction-rate band (per hour) "<5%" (want one of "0-5", "5-10", "10-15", "15-20", "20+"); "<5%" is an AWS Spot Advisor bucket (per month)`},
		{preempt.AWSInterruptionFrequency, "20+", `"20+" is an Azure eviction-rate band (per hour)`},
	} {
		if _, err := c.get(c.label); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %s", c.label, err, c.want)
		}
	}
}

func TestExponentialConstructors(t *testing.T) {
	e, err := preempt.NewExponential(8 * time.Hour)
	if err != nil || e.Rate != 0.125 || e.Mean() != 8*time.Hour {
		t.Errorf("NewExponential(8h) = %v, %v", e, err)
	}
	r, err := preempt.ExponentialRate(0.125)
	if err != nil || r != e {
		t.Errorf("ExponentialRate(0.125) = %v, %v", r, err)
	}
	if q := e.Quantile(1 - math.Exp(-1)); q != 8*time.Hour {
		t.Errorf("Quantile(1-1/e) = %v, want 8h", q)
	}
}

// models are valid lifetimes of every kind, for the generic checks.
func models(t *testing.T) []preempt.Lifetime {
	t.Helper()
	exp, _ := preempt.NewExponential(5 * time.Hour)
	emp, err := preempt.NewEmpirical([]time.Duration{3 * time.Hour, time.Hour, 30 * time.Hour, 2 * time.Hour, 20 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	bt, err := preempt.NewBathtub(0.5, time.Hour, 48*time.Minute, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return []preempt.Lifetime{
		exp,
		preempt.Weibull{Shape: 0.7, Scale: 20 * time.Hour},
		preempt.Weibull{Shape: 2.5, Scale: 6 * time.Hour},
		bt,
		preempt.DefaultBathtub,
		emp,
		preempt.Capped{Lifetime: exp, Max: 4 * time.Hour},
	}
}

func TestWeibullMean(t *testing.T) {
	const n = 20000
	for _, w := range []preempt.Weibull{
		{Shape: 0.7, Scale: 20 * time.Hour},
		{Shape: 1, Scale: 3 * time.Hour},
		{Shape: 1.5, Scale: 10 * time.Hour},
		{Shape: 3, Scale: 45 * time.Minute},
	} {
		r := rand.New(rand.NewPCG(1, 1))
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = w.Quantile(open01(r)).Hours()
		}
		mean, half := ci99(xs)
		want := w.Scale.Hours() * math.Gamma(1+1/w.Shape)
		t.Logf("%v: sample mean %.4f h ± %.4f (99%%), scale·Γ(1+1/k) = %.4f h", w, mean, half, want)
		if math.Abs(mean-want) > half {
			t.Errorf("%v: theory %.4f h outside the 99%% CI %.4f ± %.4f", w, want, mean, half)
		}
		if got := w.Mean().Hours(); math.Abs(got-want) > 1e-9*want {
			t.Errorf("%v: Mean() = %v h, want %v h", w, got, want)
		}
	}
}

func TestCapped(t *testing.T) {
	const n = 20000
	for _, m := range models(t) {
		for _, max := range []time.Duration{time.Minute, 90 * time.Minute, 12 * time.Hour, 24 * time.Hour} {
			c := preempt.Capped{Lifetime: m, Max: max}
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
				q := c.Quantile(open01(r))
				if q > max {
					t.Fatalf("%v: draw %v exceeds the cap", c, q)
				}
				xs[i] = q.Hours()
			}
			mean, half := ci99(xs)
			want := c.Mean().Hours()
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
		_, step := m.(preempt.Empirical)
		_, capped := m.(preempt.Capped)
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
	e, err := preempt.NewEmpirical([]time.Duration{4 * time.Hour, time.Hour, 2 * time.Hour, 3 * time.Hour})
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
	if e.Mean() != 150*time.Minute || e.CDF(2*time.Hour) != 0.5 || e.CDF(time.Hour-1) != 0 {
		t.Errorf("mean %v, CDF(2h) %v", e.Mean(), e.CDF(2*time.Hour))
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		m    preempt.Lifetime
		want string
	}{
		{preempt.Exponential{}, "exponential lifetime needs a positive, finite rate, got 0 per hour"},
		{preempt.Exponential{Rate: math.Inf(1)}, "positive, finite rate"},
		{preempt.Exponential{Rate: math.NaN()}, "positive, finite rate"},
		{preempt.Weibull{Shape: 0, Scale: time.Hour}, "weibull lifetime needs shape > 0 and scale > 0, got shape 0, scale 1h"},
		{preempt.Weibull{Shape: 1, Scale: -time.Hour}, "scale -1h"},
		{preempt.Weibull{Shape: math.NaN(), Scale: time.Hour}, "shape NaN"},
		{preempt.Weibull{Shape: 0.001, Scale: time.Hour}, "too small"},
		{preempt.Bathtub{A: 0, Tau1: 1, Tau2: 1, B: 1}, "bathtub lifetime needs 0 < A <= 1, got 0"},
		{preempt.Bathtub{A: 1.5, Tau1: 1, Tau2: 1, B: 1}, "got 1.5"},
		{preempt.Bathtub{A: 0.5, Tau1: 0, Tau2: time.Hour, B: time.Hour}, "tau1 0s"},
		{preempt.Bathtub{A: 1e-300, Tau1: time.Hour, Tau2: 10000 * time.Hour, B: time.Hour}, "support is too long"},
		{preempt.Empirical{}, "empirical lifetime has no samples"},
		{preempt.Empirical{Samples: []time.Duration{2, 1}}, "not sorted"},
		{preempt.Empirical{Samples: []time.Duration{-1, 1}}, "negative sample -1ns"},
		{preempt.Capped{Max: time.Hour}, "capped lifetime has no underlying model"},
		{preempt.Capped{Lifetime: preempt.Exponential{Rate: 1}, Max: 0}, "max_lifetime must be positive, got 0s"},
		{preempt.Capped{Lifetime: preempt.Exponential{}, Max: time.Hour}, "positive, finite rate"},
	} {
		err := c.m.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%#v: err = %v, want %q", c.m, err, c.want)
		}
		// Invalid models never panic.
		for _, u := range []float64{0, 0.5, 1} {
			_ = c.m.Quantile(u)
		}
		_, _, _ = c.m.CDF(time.Hour), c.m.Mean(), c.m.String()
	}
	for _, f := range []func() error{
		func() error { _, err := preempt.NewExponential(0); return err },
		func() error { _, err := preempt.ExponentialRate(-1); return err },
		func() error { _, err := preempt.ExponentialMonthly(1); return err },
		func() error { _, err := preempt.NewBathtub(2, time.Hour, time.Hour, time.Hour); return err },
		func() error { _, err := preempt.NewEmpirical(nil); return err },
	} {
		if f() == nil {
			t.Error("constructor accepted bad parameters")
		}
	}
}
