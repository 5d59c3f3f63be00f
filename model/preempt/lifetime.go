package preempt

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Lifetime is the distribution of the time from a low-priority incarnation's
// allocation to its preemption.
//
// Draws are made by inversion: Quantile(u) for a uniform u in (0,1), so a
// lifetime is a pure function of the uniform the caller supplies (package
// model feeds it counter-based uniforms keyed by pool, node and incarnation).
// Quantile is monotone non-decreasing in u; a u outside (0,1) is clamped to
// the ends of the support, and results beyond the range of time.Duration
// saturate at its maximum. CDF is right-continuous, and CDF(Quantile(u)) = u
// up to the rounding to a nanosecond for the continuous models (≥ u for the
// step Empirical and for Capped at its cap).
//
// Validate reports whether the parameters are usable; the methods of an
// invalid value never panic but their results are meaningless.
type Lifetime interface {
	Quantile(u float64) time.Duration
	CDF(t time.Duration) float64
	Mean() time.Duration
	String() string
	Validate() error
}

// Uniform is a source of counter-based uniform numbers in the open interval
// (0,1): the value for (i, j) must be a pure function of i and j. The
// processes of this package use uniform (k, j) for the j-th draw of their
// k-th spell or event. Wrap sim.Streams.Uniform:
//
//	u := func(i, j uint64) float64 { return streams.Uniform(st, i, j) }
type Uniform func(i, j uint64) float64

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

// Capped is a lifetime cut at Max (a max_lifetime such as GCP's 24 h): the
// incarnation is preempted at min(X, Max) where X follows Lifetime. Its CDF
// jumps to 1 at Max and its mean is E[min(X, Max)], computed exactly for the
// models of this package (numerically for others).
type Capped struct {
	Lifetime Lifetime
	Max      time.Duration
}

// Quantile returns min(Lifetime.Quantile(u), Max).
func (c Capped) Quantile(u float64) time.Duration {
	if c.Lifetime == nil {
		return c.Max
	}
	return min(c.Lifetime.Quantile(u), c.Max)
}

// CDF returns 1 from Max on, and Lifetime's CDF before.
func (c Capped) CDF(t time.Duration) float64 {
	if t >= c.Max {
		return 1
	}
	if c.Lifetime == nil || t < 0 {
		return 0
	}
	return c.Lifetime.CDF(t)
}

// Mean returns E[min(X, Max)].
func (c Capped) Mean() time.Duration {
	if c.Lifetime == nil {
		return max(c.Max, 0)
	}
	return fromHours(meanBelow(c.Lifetime, c.Max))
}

func (c Capped) meanBelow(m time.Duration) float64 {
	if c.Lifetime == nil {
		return hours(max(min(c.Max, m), 0))
	}
	return meanBelow(c.Lifetime, min(c.Max, m))
}

func (c Capped) String() string {
	if c.Lifetime == nil {
		return fmt.Sprintf("capped(<nil>, max %s)", formatDuration(c.Max))
	}
	return fmt.Sprintf("%s capped at %s", c.Lifetime, formatDuration(c.Max))
}

// Validate reports whether Lifetime is set and valid and Max is positive.
func (c Capped) Validate() error {
	if c.Lifetime == nil {
		return errors.New("capped lifetime has no underlying model")
	}
	if c.Max <= 0 {
		return fmt.Errorf("max_lifetime must be positive, got %s", formatDuration(c.Max))
	}
	return c.Lifetime.Validate()
}

// belowMeaner is implemented by the models whose E[min(X, m)] has a closed
// form; the result is in hours.
type belowMeaner interface {
	meanBelow(m time.Duration) float64
}

// meanBelow returns E[min(X, m)] in hours: ∫₀^m (1 − F(t)) dt.
func meanBelow(l Lifetime, m time.Duration) float64 {
	if m <= 0 {
		return 0
	}
	if b, ok := l.(belowMeaner); ok {
		return b.meanBelow(m)
	}
	// Composite Simpson on 1 − F over [0, m]; F of a foreign model may have
	// jumps, so use many panels. Only models from outside this package get
	// here.
	const n = 1 << 14
	h := hours(m) / n
	sum := 0.0
	for i := 0; i <= n; i++ {
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		sum += w * (1 - l.CDF(fromHours(float64(i)*h)))
	}
	return sum * h / 3
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
