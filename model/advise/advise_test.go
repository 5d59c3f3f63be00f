package advise_test

import (
	"math"
	"testing"

	"github.com/spotsim/spotsim/model/advise"
)

// TestDalyTable reproduces Daly (2006)'s example, T_s = 500 h of work,
// R = 10 min, C = 5 min, at M = 24 h, 6 h and 15 min: the exact optimum
// τ, the wall time there, Daly's higher-order estimate, and what the
// first-order √(2CM) − C costs (1.6 % more wall time at M = 15 min).
func TestDalyTable(t *testing.T) {
	const ts, r, c = 500 * 60.0, 10.0, 5.0 // minutes
	tests := []struct {
		m                    float64 // MTBF, minutes
		tau, wallHours, daly float64 // exact optimum (min), wall time there (h), higher-order estimate (min)
		firstOrderExtraPct   float64
	}{
		{24 * 60, 116.690, 547.88, 116.690, 0.00},
		{6 * 60, 56.714, 610.22, 56.713, 0.01},
		{15, 9.167, 2504.16, 9.141, 1.62},
	}
	for _, tt := range tests {
		tau := advise.DalyOptimum(c, tt.m)
		if math.Abs(tau-tt.tau) > 0.001 {
			t.Errorf("M = %g min: optimum %.4f min, want %.3f", tt.m, tau, tt.tau)
		}
		// the optimum solves e^{(τ+C)/M}(1 − τ/M) = 1
		if g := math.Exp((tau+c)/tt.m) * (1 - tau/tt.m); math.Abs(g-1) > 1e-6 {
			t.Errorf("M = %g min: e^{(τ+C)/M}(1 − τ/M) = %.12f at the optimum, want 1", tt.m, g)
		}
		if w := advise.DalyTime(ts, tau, c, r, tt.m) / 60; math.Abs(w-tt.wallHours) > 0.005 {
			t.Errorf("M = %g min: wall time %.3f h, want %.2f", tt.m, w, tt.wallHours)
		}
		if e := advise.DalyEstimate(c, tt.m); math.Abs(e-tt.daly) > 0.001 {
			t.Errorf("M = %g min: higher-order estimate %.4f, want %.3f", tt.m, e, tt.daly)
		}
		first := math.Sqrt(2*c*tt.m) - c
		extra := 100 * (advise.DalyTime(ts, first, c, r, tt.m)/advise.DalyTime(ts, tau, c, r, tt.m) - 1)
		if math.Abs(extra-tt.firstOrderExtraPct) > 0.005 {
			t.Errorf("M = %g min: √(2CM) − C costs %.3f %% more, want %.2f %%", tt.m, extra, tt.firstOrderExtraPct)
		}
	}
}
