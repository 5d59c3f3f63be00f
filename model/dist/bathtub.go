package dist

import (
	"fmt"
	"math"
	"time"
)

// The Bathtub kind is the lifetime of 24 h-capped preemptible VMs measured
// by Kadupitiya, Jadhao and Sharma (DESIGN.md §3): many incarnations are
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
// nanosecond; typically 4 to 8 iterations), deterministic for a given u. The
// mean is exact: E[X] = t* − ∫₀^{t*} G(t) dt, with the integral in closed form.

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

// NewBathtub returns the bathtub distribution of the given parameters,
// with its support t* precomputed. A literal Dist{Kind: Bathtub, ...} works
// too, but finds t* again whenever it is not prepared by Sampler.
func NewBathtub(a float64, tau1, tau2, b time.Duration) (Dist, error) {
	d := Dist{Kind: Bathtub, A: a, Tau1: tau1, Tau2: tau2, B: b}
	if err := d.validateBathtub(); err != nil {
		return d, err
	}
	s := d.computeBathtub()
	d.bt = &s
	return d, nil
}

// bathtub returns the support of a Bathtub, from the cache when it matches.
func (d *Dist) bathtub() bathtubSupport {
	if c := d.bt; c != nil && c.a == d.A && c.t1 == hours(d.Tau1) && c.t2 == hours(d.Tau2) && c.b == hours(d.B) {
		return *c
	}
	return d.computeBathtub()
}

// compute finds t*, the root of F(t) = 1, on [0, b + τ₂·ln(1/A)].
func (d *Dist) computeBathtub() bathtubSupport {
	s := bathtubSupport{a: d.A, t1: hours(d.Tau1), t2: hours(d.Tau2), b: hours(d.B)}
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

// quantile returns the t with G(t) = u.
func (s bathtubSupport) quantile(u float64) time.Duration {
	switch u = clampU(u); u {
	case 0:
		return 0
	case 1:
		return s.endDuration()
	}
	return min(fromHours(s.invert(u)), s.endDuration())
}

// cdf returns G(t).
func (s bathtubSupport) cdf(t time.Duration) float64 {
	if t <= 0 {
		return 0
	}
	h := hours(t)
	if h >= s.end {
		return 1
	}
	return max(0, min(1, s.g(h)))
}

// End returns a Bathtub's t*, its longest possible draw (0 for other kinds
// or invalid parameters).
func (d Dist) End() time.Duration {
	if d.Kind != Bathtub || d.validateBathtub() != nil {
		return 0
	}
	return d.bathtub().endDuration()
}

// endDuration is t* rounded up to the nanosecond, so that CDF(End()) = 1.
func (s bathtubSupport) endDuration() time.Duration {
	return time.Duration(math.Ceil(s.end * float64(time.Hour)))
}

// meanBelow returns E[min(X, m)] in hours: t − ∫₀^t G with t = min(m, t*).
func (s bathtubSupport) meanBelow(m time.Duration) float64 {
	T := min(hours(m), s.end)
	return T - s.integral(T)
}

// validateBathtub reports whether 0 < A ≤ 1 and τ₁, τ₂, b > 0, with a
// support that fits in a time.Duration.
func (d Dist) validateBathtub() error {
	if !(d.A > 0 && d.A <= 1) {
		return fmt.Errorf("bathtub lifetime needs 0 < A <= 1, got %v", d.A)
	}
	if d.Tau1 <= 0 || d.Tau2 <= 0 || d.B <= 0 {
		return fmt.Errorf("bathtub lifetime needs tau1, tau2 and b > 0, got tau1 %s, tau2 %s, b %s",
			FormatDuration(d.Tau1), FormatDuration(d.Tau2), FormatDuration(d.B))
	}
	if end := hours(d.B) + hours(d.Tau2)*math.Log(1/d.A); end*float64(time.Hour) >= math.MaxInt64/2 {
		return fmt.Errorf("bathtub lifetime support is too long (b + tau2·ln(1/A) = %.4g h)", end)
	}
	return nil
}

// hours converts a duration to float hours.
func hours(d time.Duration) float64 { return float64(d) / float64(time.Hour) }

// fromHours converts float hours to a duration, rounding to the nanosecond;
// NaN and non-positive values give 0, values beyond time.Duration saturate.
func fromHours(h float64) time.Duration {
	ns := h * float64(time.Hour)
	switch {
	case !(ns > 0):
		return 0
	case ns >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(math.Round(ns))
}

// clampU maps u onto [0,1]; NaN becomes 0.
func clampU(u float64) float64 {
	switch {
	case !(u > 0):
		return 0
	case u > 1:
		return 1
	}
	return u
}
