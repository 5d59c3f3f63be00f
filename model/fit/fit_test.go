package fit_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/spotsim/spotsim/model/fit"
)

func h(x float64) time.Duration { return time.Duration(x * float64(time.Hour)) }

// TestKaplanMeier checks the product-limit estimate on a small textbook
// case: 6 values, 2 censored, one tie between an event and a censoring.
func TestKaplanMeier(t *testing.T) {
	obs := []fit.Obs{{h(3), false}, {h(1), false}, {h(3), true}, {h(5), false}, {h(2), true}, {h(8), false}}
	want := []fit.Step{
		{Time: h(1), Surv: 5.0 / 6, AtRisk: 6, Events: 1},
		{Time: h(2), Surv: 5.0 / 6, AtRisk: 5, Censored: 1},
		{Time: h(3), Surv: 5.0 / 6 * 3 / 4, AtRisk: 4, Events: 1, Censored: 1},
		{Time: h(5), Surv: 5.0 / 6 * 3 / 4 / 2, AtRisk: 2, Events: 1},
		{Time: h(8), Surv: 0, AtRisk: 1, Events: 1},
	}
	got := fit.KaplanMeier(obs)
	if len(got) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Time != w.Time || g.AtRisk != w.AtRisk || g.Events != w.Events || g.Censored != w.Censored || math.Abs(g.Surv-w.Surv) > 1e-15 {
			t.Errorf("step %d: %+v, want %+v", i, g, w)
		}
	}
}

// TestFitErrors lists data Fit refuses, with the message it gives.
func TestFitErrors(t *testing.T) {
	cases := []struct {
		name string
		obs  []fit.Obs
		opt  fit.Options
		want string
	}{
		{"empty", nil, fit.Options{}, "no observations"},
		{"negative", []fit.Obs{{h(1), false}, {-time.Second, false}}, fit.Options{}, "observation 2: negative value -1s"},
		{"censored not allowed", []fit.Obs{{h(1), false}, {h(2), true}}, fit.Options{}, "observation 2 is censored"},
		{"zero", []fit.Obs{{0, false}, {h(2), false}}, fit.Options{}, "observation 1 is 0"},
		{"one value", []fit.Obs{{h(1), false}, {h(1), false}, {h(3), true}}, fit.Options{AllowCensored: true}, "at least two different uncensored values"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := fit.Fit(c.obs, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestGoodnessOfFit wants a p-value that does not reject the model the
// data came from and rejects clearly wrong ones, with censoring, and the
// same p-values from the same seed.
func TestGoodnessOfFit(t *testing.T) {
	obs := draw(lifetimeWeibull(0.6, 10*time.Hour), 400, 0.3, 7)
	opt := fit.Options{AllowCensored: true, Bootstrap: 49, Seed: 3}
	r, err := fit.Fit(obs, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range r.Models {
		t.Logf("%-11s KS %.4f p %.3f (%d samples)", m.Family, m.KS, m.P, m.Bootstrap)
		if m.Bootstrap != 49 {
			t.Errorf("%s: %d bootstrap samples, want 49", m.Family, m.Bootstrap)
		}
		switch m.Family {
		case "weibull":
			if m.P < 0.05 {
				t.Errorf("the true family is rejected: p %.3f", m.P)
			}
		case "exponential":
			if m.P > 0.02 {
				t.Errorf("exponential for Weibull(0.6) data is not rejected: p %.3f", m.P)
			}
		}
	}
	again, _ := fit.Fit(obs, opt)
	for i := range r.Models {
		if again.Models[i].P != r.Models[i].P {
			t.Errorf("%s: p %v then %v with the same seed", r.Models[i].Family, r.Models[i].P, again.Models[i].P)
		}
	}
}

// TestTOML checks that each fitted model prints as a scenario's inline
// table, rounded the way its Dist is.
func TestTOML(t *testing.T) {
	obs := draw(lifetimeWeibull(0.7, 20*time.Hour), 2000, 0.3, 2)
	r, err := fit.Fit(obs, fit.Options{AllowCensored: true, Bootstrap: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"weibull":     `{ dist = "weibull", shape = 0.7, scale = "19h51m" }`,
		"exponential": `{ dist = "exponential", mean = "20h17m" }`,
		"lognormal":   `{ dist = "lognormal", mean = "3d12h26m", stddev = "29d7h54m" }`,
	}
	for _, m := range r.Models {
		if got := m.TOML(); got != want[m.Family] {
			t.Errorf("%s: %s, want %s", m.Family, got, want[m.Family])
		}
		if !math.IsNaN(m.P) {
			t.Errorf("%s: p %v with the bootstrap off, want NaN", m.Family, m.P)
		}
	}
}
