package fit_test

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/model/fit"
)

// quantiler is what the recovery tests draw from: spotsim's own models.
type quantiler interface{ Quantile(u float64) time.Duration }

// draw returns n values of q by inversion, a fraction cens of them
// right-censored: every value gets an independent censoring time
// C = U·W, U uniform (a node observed from a uniform start until the end
// of a window W), with W chosen so that exactly round(cens·n) values are
// censored.
func draw(q quantiler, n int, cens float64, seed uint64) []fit.Obs {
	rng := rand.New(rand.NewPCG(seed, 1))
	t := make([]time.Duration, n)
	u := make([]float64, n)
	for i := range t {
		t[i] = q.Quantile(rng.Float64())
		u[i] = rng.Float64()
	}
	obs := make([]fit.Obs, n)
	for i := range obs {
		obs[i] = fit.Obs{Value: t[i]}
	}
	want := int(math.Round(cens * float64(n)))
	if want == 0 {
		return obs
	}
	// the number censored, #{U·W < T}, falls as W grows: the ratios T/U
	// sorted give the W at which each value stops being censored.
	r := make([]float64, n)
	for i := range r {
		r[i] = float64(t[i]) / u[i]
	}
	sort.Float64s(r)
	w := (r[n-want-1] + r[n-want]) / 2
	for i := range obs {
		if c := time.Duration(u[i] * w); c < t[i] {
			obs[i] = fit.Obs{Value: c, Censored: true}
		}
	}
	return obs
}

// TestRecovery draws 2,000 values from spotsim's own models, 30 % of them
// right-censored, fits them back, and wants the true parameters inside the
// fitted family's 95 % intervals and that family first on AIC. Lifetimes
// come from the exponential and Weibull lifetime models, durations from the
// log-normal and Weibull duration distributions.
func TestRecovery(t *testing.T) {
	ln := dist.Dist{Kind: dist.LogNormal, Mean: 10 * time.Minute, StdDev: 4 * time.Minute}
	lnMu, lnSigma := logParams(ln)
	cases := []struct {
		name   string
		q      quantiler
		family string
		want   map[string]float64 // true parameter values (durations in ns)
	}{
		{"lifetime/exponential", lifetimeExp(6 * time.Hour), "exponential",
			map[string]float64{"mean": float64(6 * time.Hour), "rate_per_hour": 1.0 / 6}},
		{"lifetime/weibull", lifetimeWeibull(0.7, 20*time.Hour), "weibull",
			map[string]float64{"shape": 0.7, "scale": float64(20 * time.Hour)}},
		{"duration/lognormal", ln, "lognormal",
			map[string]float64{"median": math.Exp(lnMu), "sigma": lnSigma}},
		{"duration/weibull", dist.Dist{Kind: dist.Weibull, Shape: 1.8, Scale: 12 * time.Minute}, "weibull",
			map[string]float64{"shape": 1.8, "scale": float64(12 * time.Minute)}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs := draw(c.q, 2000, 0.3, uint64(i+1))
			r, err := fit.Fit(obs, fit.Options{AllowCensored: true, Bootstrap: -1})
			if err != nil {
				t.Fatal(err)
			}
			if r.N != 2000 || r.Censored != 600 {
				t.Fatalf("N %d, censored %d, want 2000 and 600", r.N, r.Censored)
			}
			for _, m := range r.Models {
				t.Logf("%-11s AIC %9.1f  ΔAIC %6.1f  %v", m.Family, m.AIC, m.DeltaAIC, m.Params)
			}
			if got := r.Best().Family; got != c.family {
				t.Errorf("AIC picks %s, want %s", got, c.family)
			}
			var m *fit.Model
			for j := range r.Models {
				if r.Models[j].Family == c.family {
					m = &r.Models[j]
				}
			}
			if len(m.Params) != len(c.want) {
				t.Fatalf("%d parameters, want %d", len(m.Params), len(c.want))
			}
			for _, p := range m.Params {
				w, ok := c.want[p.Name]
				if !ok {
					t.Fatalf("unexpected parameter %s", p.Name)
				}
				if !(p.Lo <= w && w <= p.Hi) {
					t.Errorf("true %s %.6g outside the 95 %% interval [%.6g, %.6g]", p.Name, w, p.Lo, p.Hi)
				}
			}
		})
	}
}

// logParams returns the (μ, σ) of the logarithm of a log-normal Dist.
func logParams(d dist.Dist) (mu, sigma float64) {
	m, s := float64(d.Mean), float64(d.StdDev)
	s2 := math.Log1p(s * s / (m * m))
	return math.Log(m) - s2/2, math.Sqrt(s2)
}

// TestCoverage checks that the 95 % intervals deserve their name with
// censoring: over 200 seeded samples of 300 values, 30 % censored, each
// true parameter falls inside its interval 90 to 99 % of the time (a
// binomial(200, 0.95) count lies in [181, 197] with probability 0.99).
func TestCoverage(t *testing.T) {
	cases := []struct {
		q      quantiler
		family string
		want   map[string]float64
	}{
		{lifetimeExp(6 * time.Hour), "exponential", map[string]float64{"mean": float64(6 * time.Hour)}},
		{lifetimeWeibull(0.7, 20*time.Hour), "weibull", map[string]float64{"shape": 0.7, "scale": float64(20 * time.Hour)}},
	}
	const reps = 200
	for _, c := range cases {
		in := map[string]int{}
		for rep := range reps {
			r, err := fit.Fit(draw(c.q, 300, 0.3, uint64(1000+rep)), fit.Options{AllowCensored: true, Bootstrap: -1})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range r.Models {
				if m.Family != c.family {
					continue
				}
				for _, p := range m.Params {
					if w, ok := c.want[p.Name]; ok && p.Lo <= w && w <= p.Hi {
						in[p.Name]++
					}
				}
			}
		}
		for name := range c.want {
			t.Logf("%s %s: %d of %d intervals hold the truth", c.family, name, in[name], reps)
			if in[name] < 181 || in[name] > 197 {
				t.Errorf("%s %s: coverage %d/%d", c.family, name, in[name], reps)
			}
		}
	}
}
