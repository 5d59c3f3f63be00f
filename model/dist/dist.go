// Package dist provides the duration distributions of spotsim scenarios
// (task lengths, allocation and boot delays, node lifetimes).
//
// Every distribution samples by inversion: Quantile(u) maps a uniform number
// in (0,1) to a duration. A draw is therefore a pure function of the uniform
// number it is given, and package model feeds it counter-based uniforms keyed
// by (job, task, attempt) or (pool, node, incarnation). The continuous
// families delegate to gonum's stat/distuv.
package dist

import (
	"fmt"
	"math"
	"sort"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Kind is the family of a distribution.
type Kind int

const (
	Fixed       Kind = iota // always Value
	Uniform                 // uniform on [Min, Max]
	Exponential             // exponential with mean Mean
	Normal                  // normal (Mean, StdDev) truncated at 0
	LogNormal               // log-normal whose own mean and standard deviation are Mean and StdDev
	Weibull                 // Weibull with Shape and Scale
	Empirical               // the empirical distribution of Samples
)

var kindNames = [...]string{"fixed", "uniform", "exponential", "normal", "lognormal", "weibull", "empirical"}

// String returns the name used in scenario files.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// KindOf returns the Kind named s ("exponential", ...).
func KindOf(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// Dist is a distribution of non-negative durations. The zero value is the
// fixed duration 0. Only the fields of its Kind are used.
type Dist struct {
	Kind     Kind
	Value    time.Duration   // Fixed
	Min, Max time.Duration   // Uniform
	Mean     time.Duration   // Exponential, Normal, LogNormal
	StdDev   time.Duration   // Normal, LogNormal
	Shape    float64         // Weibull
	Scale    time.Duration   // Weibull
	Samples  []time.Duration // Empirical, sorted ascending
}

// Const returns the fixed distribution at d.
func Const(d time.Duration) Dist { return Dist{Kind: Fixed, Value: d} }

// Exp returns the exponential distribution with the given mean.
func Exp(mean time.Duration) Dist { return Dist{Kind: Exponential, Mean: mean} }

// Validate reports whether the parameters make a distribution of
// non-negative, finite durations.
func (d Dist) Validate() error {
	switch d.Kind {
	case Fixed:
		if d.Value < 0 {
			return fmt.Errorf("duration %v is negative", d.Value)
		}
	case Uniform:
		if d.Min < 0 || d.Max < d.Min {
			return fmt.Errorf("uniform needs 0 <= min <= max, got min %v, max %v", d.Min, d.Max)
		}
	case Exponential:
		if d.Mean <= 0 {
			return fmt.Errorf("exponential needs mean > 0, got %v", d.Mean)
		}
	case Normal, LogNormal:
		if d.Mean <= 0 || d.StdDev < 0 {
			return fmt.Errorf("%v needs mean > 0 and stddev >= 0, got mean %v, stddev %v", d.Kind, d.Mean, d.StdDev)
		}
	case Weibull:
		if !(d.Shape > 0) || math.IsInf(d.Shape, 0) || d.Scale <= 0 {
			return fmt.Errorf("weibull needs shape > 0 and scale > 0, got shape %v, scale %v", d.Shape, d.Scale)
		}
	case Empirical:
		if len(d.Samples) == 0 {
			return fmt.Errorf("empirical distribution has no samples")
		}
		if !sort.SliceIsSorted(d.Samples, func(i, j int) bool { return d.Samples[i] < d.Samples[j] }) || d.Samples[0] < 0 {
			return fmt.Errorf("empirical samples must be non-negative and sorted")
		}
	default:
		return fmt.Errorf("unknown distribution kind %d", int(d.Kind))
	}
	return nil
}

// Quantile returns the duration at probability u in (0,1). Results beyond
// the range of time.Duration saturate at its maximum. To draw many times
// from one distribution, Sampler does the per-distribution work once.
func (d Dist) Quantile(u float64) time.Duration {
	s := d.Sampler()
	return s.Quantile(u)
}

// Sampler is a Dist prepared for repeated draws: the log-normal's log
// parameters and the truncated normal's lower tail are computed once.
// Its draws equal the Dist's, bit for bit.
type Sampler struct {
	d         Dist
	mu, sigma float64 // LogNormal: of the logarithm; Normal: of the distribution
	lo        float64 // Normal: F(0), the mass truncated away
}

// Sampler returns d prepared for repeated draws.
func (d Dist) Sampler() Sampler {
	s := Sampler{d: d}
	switch {
	case d.Kind == LogNormal && d.StdDev != 0:
		s.mu, s.sigma = d.logParams()
	case d.Kind == Normal && d.StdDev != 0:
		s.mu, s.sigma = float64(d.Mean), float64(d.StdDev)
		s.lo = distuv.Normal{Mu: s.mu, Sigma: s.sigma}.CDF(0)
	}
	return s
}

// Fixed returns the duration of a fixed distribution (every draw), and
// whether it is one: such draws need no random number.
func (s *Sampler) Fixed() (time.Duration, bool) { return s.d.Value, s.d.Kind == Fixed }

// Quantile returns the duration at probability u in (0,1), as Dist.Quantile.
func (s *Sampler) Quantile(u float64) time.Duration {
	d := &s.d
	var x float64 // nanoseconds
	switch d.Kind {
	case Fixed:
		return d.Value
	case Uniform:
		return d.Min + time.Duration(u*float64(d.Max-d.Min))
	case Exponential:
		x = -math.Log1p(-u) * float64(d.Mean)
	case Normal:
		if d.StdDev == 0 {
			return d.Mean
		}
		// truncate at 0: rescale u onto (F(0), 1)
		x = distuv.Normal{Mu: s.mu, Sigma: s.sigma}.Quantile(s.lo + u*(1-s.lo))
	case LogNormal:
		if d.StdDev == 0 {
			return d.Mean
		}
		x = distuv.LogNormal{Mu: s.mu, Sigma: s.sigma}.Quantile(u)
	case Weibull:
		x = distuv.Weibull{K: d.Shape, Lambda: float64(d.Scale)}.Quantile(u)
	case Empirical:
		i := int(u * float64(len(d.Samples)))
		if i >= len(d.Samples) {
			i = len(d.Samples) - 1
		}
		return d.Samples[i]
	}
	return clamp(x)
}

// logParams converts the mean and standard deviation of the duration into
// the (mu, sigma) of its logarithm.
func (d Dist) logParams() (mu, sigma float64) {
	m, s := float64(d.Mean), float64(d.StdDev)
	s2 := math.Log1p(s * s / (m * m))
	return math.Log(m) - s2/2, math.Sqrt(s2)
}

func clamp(x float64) time.Duration {
	switch {
	case !(x > 0): // also NaN
		return 0
	case x >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(x)
}

// MeanDuration returns the distribution's mean (for a truncated normal, the
// mean of the truncated distribution).
func (d Dist) MeanDuration() time.Duration {
	switch d.Kind {
	case Fixed:
		return d.Value
	case Uniform:
		return d.Min + (d.Max-d.Min)/2 // (Min+Max)/2 could overflow
	case Exponential, LogNormal:
		return d.Mean
	case Normal:
		if d.StdDev == 0 {
			return d.Mean
		}
		m, s := float64(d.Mean), float64(d.StdDev)
		a := -m / s
		std := distuv.UnitNormal
		return clamp(m + s*std.Prob(a)/(1-std.CDF(a)))
	case Weibull:
		return clamp(float64(d.Scale) * math.Gamma(1+1/d.Shape))
	case Empirical:
		sum := 0.0
		for _, v := range d.Samples {
			sum += float64(v)
		}
		return clamp(sum / float64(len(d.Samples)))
	}
	return 0
}

// String renders the distribution as a scenario file would write it.
func (d Dist) String() string {
	switch d.Kind {
	case Fixed:
		return FormatDuration(d.Value)
	case Uniform:
		return fmt.Sprintf("uniform(%s, %s)", FormatDuration(d.Min), FormatDuration(d.Max))
	case Exponential:
		return fmt.Sprintf("exponential(mean %s)", FormatDuration(d.Mean))
	case Normal, LogNormal:
		return fmt.Sprintf("%v(mean %s, stddev %s)", d.Kind, FormatDuration(d.Mean), FormatDuration(d.StdDev))
	case Weibull:
		return fmt.Sprintf("weibull(shape %g, scale %s)", d.Shape, FormatDuration(d.Scale))
	case Empirical:
		return fmt.Sprintf("empirical(%d samples)", len(d.Samples))
	}
	return d.Kind.String()
}
