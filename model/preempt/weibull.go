package preempt

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/spotsim/spotsim/model/dist"
)

var formatDuration = dist.FormatDuration

// Weibull is the age-dependent lifetime with CDF 1 − exp(−(t/Scale)^Shape):
// Shape < 1 means young incarnations are preempted most (a falling hazard),
// Shape > 1 means a rising hazard, Shape = 1 is Exponential.
type Weibull struct {
	Shape float64       // k > 0
	Scale time.Duration // λ > 0
}

func (w Weibull) dist() distuv.Weibull { return distuv.Weibull{K: w.Shape, Lambda: hours(w.Scale)} }

// Quantile returns Scale·(−ln(1 − u))^{1/Shape}.
func (w Weibull) Quantile(u float64) time.Duration {
	u = clampU(u)
	if u == 1 {
		return math.MaxInt64
	}
	if u == 0 || w.Validate() != nil {
		return 0
	}
	return fromHours(w.dist().Quantile(u))
}

// CDF returns 1 − exp(−(t/Scale)^Shape).
func (w Weibull) CDF(t time.Duration) float64 {
	if t <= 0 || w.Validate() != nil {
		return 0
	}
	return w.dist().CDF(hours(t))
}

// Mean returns Scale·Γ(1 + 1/Shape).
func (w Weibull) Mean() time.Duration {
	return fromHours(hours(w.Scale) * math.Gamma(1+1/w.Shape))
}

// meanBelow is E[min(X, m)] = Scale·Γ(1+1/k)·P(1/k, (m/Scale)^k), with P the
// regularised lower incomplete gamma function.
func (w Weibull) meanBelow(m time.Duration) float64 {
	if w.Validate() != nil {
		return 0
	}
	s := hours(w.Scale)
	x := math.Pow(hours(m)/s, w.Shape)
	return s * math.Gamma(1+1/w.Shape) * mathext.GammaIncReg(1/w.Shape, x)
}

func (w Weibull) String() string {
	return fmt.Sprintf("weibull(shape %g, scale %s)", w.Shape, formatDuration(w.Scale))
}

// Validate reports whether Shape and Scale are positive and finite.
func (w Weibull) Validate() error {
	if !(w.Shape > 0) || math.IsInf(w.Shape, 0) || w.Scale <= 0 {
		return fmt.Errorf("weibull lifetime needs shape > 0 and scale > 0, got shape %v, scale %s", w.Shape, formatDuration(w.Scale))
	}
	if math.IsInf(math.Gamma(1+1/w.Shape), 0) {
		return fmt.Errorf("weibull shape %v is too small (the mean overflows)", w.Shape)
	}
	return nil
}
