package preempt

import (
	"fmt"
	"math"
	"time"
)

// Bathtub is the lifetime of 24 h-capped preemptible VMs measured by
// Kadupitiya, Jadhao and Sharma (DESIGN.md §3): many incarnations are
// preempted in their first hours, few in mid-life, and the rest just before
// the cap. The published form is
//
//	F(t) = A·(1 − e^{−t/τ₁} + e^{(t−b)/τ₂})
//
// with A the weight of the early phase, τ₁ (Tau1) its decay time, b (B) the
// location of the late ramp and τ₂ (Tau2) its width.
//
// F is not a proper CDF as written: F(0) = A·e^{−b/τ₂} > 0 and F grows past
// 1. spotsim uses
//
//	G(t) = (F(t) − F(0)) / (1 − F(0))   on [0, t*],  G = 1 beyond,
//
// where t* is the unique root of F(t*) = 1 (F is strictly increasing). G is
// continuous with G(0) = 0 and G(t*) = 1: the tiny atom F(0) (9·10⁻¹⁴ for the
// defaults) is spread over the whole support instead of preempting some
// incarnations at allocation. t* lies in (0, b + τ₂·ln(1/A)]; it solves
// e^{(t−b)/τ₂} = 1/A − 1 + e^{−t/τ₁}, so for A = ½ it is b + τ₂·ln(1 + e^{−t*/τ₁}),
// a hair past b. Parameters need 0 < A ≤ 1, τ₁, τ₂, b > 0.
//
// Quantile inverts G numerically (Newton steps kept inside a shrinking
// bisection bracket, at most 100 iterations, tolerance a third of a
// nanosecond; typically 4 to 8 iterations), deterministic for a given u. Mean is exact:
// E[X] = t* − ∫₀^{t*} G(t) dt, with the integral in closed form.
type Bathtub struct {
	A    float64
	Tau1 time.Duration
	Tau2 time.Duration
	B    time.Duration

	c *bathtubSupport // cache of the support, valid while the parameters match
}

// DefaultBathtub has the measured shape of 24 h-capped preemptible VMs:
// A = 0.5, τ₁ = 1 h, τ₂ = 48 min, b = 24 h (mean about 12.1 h, support
// ending a hair after 24 h).
var DefaultBathtub, _ = NewBathtub(0.5, time.Hour, 48*time.Minute, 24*time.Hour)

// bathtubSupport holds the parameters in hours and the derived constants.
type bathtubSupport struct {
	a, t1, t2, b float64
	f0           float64 // F(0) = A e^{−b/τ₂}
	end          float64 // t*, hours
}

// NewBathtub returns the bathtub lifetime of the given parameters, with its
// support t* precomputed. A struct literal (or a copy with other
// parameters) works too, but finds t* again on every call.
func NewBathtub(a float64, tau1, tau2, b time.Duration) (Bathtub, error) {
	bt := Bathtub{A: a, Tau1: tau1, Tau2: tau2, B: b}
	if err := bt.Validate(); err != nil {
		return bt, err
	}
	s := bt.compute()
	bt.c = &s
	return bt, nil
}

func (bt Bathtub) support() bathtubSupport {
	if c := bt.c; c != nil && c.a == bt.A && c.t1 == hours(bt.Tau1) && c.t2 == hours(bt.Tau2) && c.b == hours(bt.B) {
		return *c
	}
	return bt.compute()
}

// compute finds t*, the root of F(t) = 1, on [0, b + τ₂·ln(1/A)].
func (bt Bathtub) compute() bathtubSupport {
	s := bathtubSupport{a: bt.A, t1: hours(bt.Tau1), t2: hours(bt.Tau2), b: hours(bt.B)}
	s.f0 = s.a * math.Exp(-s.b/s.t2)
	hi := s.b + s.t2*math.Log(1/s.a)
	// First guess: the late ramp alone, with the early phase complete.
	t := s.b + s.t2*math.Log(1/s.a-1+math.Exp(-s.b/s.t1))
	s.end = solve(func(t float64) float64 { return s.raw(t) - 1 }, func(t float64) float64 { return s.dg(t) * (1 - s.f0) }, 0, hi, t)
	return s
}

// solve returns the root of the increasing function f on [lo, hi] (f(lo) ≤ 0
// ≤ f(hi)) by Newton steps from x that fall back to bisection whenever a step
// leaves the shrinking bracket. It stops when the Newton step or the bracket
// is below 10⁻¹³ (in hours, a third of a nanosecond), after at most 100
// iterations. df is f'.
func solve(f, df func(float64) float64, lo, hi, x float64) float64 {
	if !(x > lo && x < hi) {
		x = (lo + hi) / 2
	}
	const tol = 1e-13
	for i := 0; i < 100; i++ {
		v := f(x)
		if v == 0 {
			return x
		}
		if v < 0 {
			lo = x
		} else {
			hi = x
		}
		step := v / df(x)
		if math.Abs(step) < tol {
			return max(lo, min(x-step, hi))
		}
		next := x - step
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		if hi-lo < tol {
			return next
		}
		x = next
	}
	return x
}

// raw is the published F(t), t in hours.
func (s bathtubSupport) raw(t float64) float64 {
	return s.a * (-math.Expm1(-t/s.t1) + math.Exp((t-s.b)/s.t2))
}

// g is the normalised CDF (F(t) − F(0))/(1 − F(0)) on [0, t*].
func (s bathtubSupport) g(t float64) float64 {
	return s.a * (-math.Expm1(-t/s.t1) + math.Exp((t-s.b)/s.t2) - math.Exp(-s.b/s.t2)) / (1 - s.f0)
}

// dg is g's derivative, the density.
func (s bathtubSupport) dg(t float64) float64 {
	return s.a * (math.Exp(-t/s.t1)/s.t1 + math.Exp((t-s.b)/s.t2)/s.t2) / (1 - s.f0)
}

// integral returns ∫₀^T g(t) dt in hours², for 0 ≤ T ≤ t*.
func (s bathtubSupport) integral(T float64) float64 {
	c := math.Exp(-s.b / s.t2)
	in := T + s.t1*math.Expm1(-T/s.t1) + s.t2*(math.Exp((T-s.b)/s.t2)-c) - T*c
	return s.a * in / (1 - s.f0)
}

// invert solves g(t) = u for u in (0,1).
func (s bathtubSupport) invert(u float64) float64 {
	lo, hi := 0.0, s.end
	// Start from the root of one phase alone: the early phase if it can
	// hold u, else the late ramp with the early phase taken as complete.
	q := u * (1 - s.f0) / s.a
	var t float64
	if q < 1 {
		t = -s.t1 * math.Log1p(-q)
	} else {
		t = s.b + s.t2*math.Log(q-1+math.Exp(-s.b/s.t2))
	}
	return solve(func(t float64) float64 { return s.g(t) - u }, s.dg, lo, hi, t)
}

// Quantile returns the t with G(t) = u.
func (bt Bathtub) Quantile(u float64) time.Duration {
	if bt.Validate() != nil {
		return 0
	}
	s := bt.support()
	switch u = clampU(u); u {
	case 0:
		return 0
	case 1:
		return s.endDuration()
	}
	return min(fromHours(s.invert(u)), s.endDuration())
}

// CDF returns G(t).
func (bt Bathtub) CDF(t time.Duration) float64 {
	if t <= 0 || bt.Validate() != nil {
		return 0
	}
	s := bt.support()
	h := hours(t)
	if h >= s.end {
		return 1
	}
	return max(0, min(1, s.g(h)))
}

// End returns t*, the longest possible lifetime.
func (bt Bathtub) End() time.Duration {
	if bt.Validate() != nil {
		return 0
	}
	return bt.support().endDuration()
}

// endDuration is t* rounded up to the nanosecond, so that CDF(End()) = 1.
func (s bathtubSupport) endDuration() time.Duration {
	return time.Duration(math.Ceil(s.end * float64(time.Hour)))
}

// Mean returns t* − ∫₀^{t*} G.
func (bt Bathtub) Mean() time.Duration {
	return fromHours(bt.meanBelow(math.MaxInt64))
}

func (bt Bathtub) meanBelow(m time.Duration) float64 {
	if bt.Validate() != nil {
		return 0
	}
	s := bt.support()
	T := min(hours(m), s.end)
	return T - s.integral(T)
}

func (bt Bathtub) String() string {
	return fmt.Sprintf("bathtub(A %g, tau1 %s, tau2 %s, b %s)", bt.A,
		formatDuration(bt.Tau1), formatDuration(bt.Tau2), formatDuration(bt.B))
}

// Validate reports whether 0 < A ≤ 1 and τ₁, τ₂, b > 0, with a support that
// fits in a time.Duration.
func (bt Bathtub) Validate() error {
	if !(bt.A > 0 && bt.A <= 1) {
		return fmt.Errorf("bathtub lifetime needs 0 < A <= 1, got %v", bt.A)
	}
	if bt.Tau1 <= 0 || bt.Tau2 <= 0 || bt.B <= 0 {
		return fmt.Errorf("bathtub lifetime needs tau1, tau2 and b > 0, got tau1 %s, tau2 %s, b %s",
			formatDuration(bt.Tau1), formatDuration(bt.Tau2), formatDuration(bt.B))
	}
	if end := hours(bt.B) + hours(bt.Tau2)*math.Log(1/bt.A); end*float64(time.Hour) >= math.MaxInt64/2 {
		return fmt.Errorf("bathtub lifetime support is too long (b + tau2·ln(1/A) = %.4g h)", end)
	}
	return nil
}
