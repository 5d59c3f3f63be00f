// Package dist provides the one family of duration distributions of
// spotsim scenarios: task lengths, allocation and boot delays, spells and
// crunch gaps, and node lifetimes (package preempt builds lifetimes from
// published bands on top of it). A model fitted to data (package fit) is a
// Dist, usable as any of them.
//
// Every distribution samples by inversion: Quantile(u) maps a uniform number
// in (0,1) to a duration. A draw is therefore a pure function of the uniform
// number it is given, and package model feeds it counter-based uniforms keyed
// by (job, task, attempt) or (pool, node, incarnation). Sampler is the one
// sampling path. The continuous families delegate to gonum's stat/distuv.
//
// Besides the kinds, a Dist may carry a cap (Cap, a max_lifetime): every
// draw is then min(X, Cap), its CDF jumps to 1 at Cap and its mean is
// E[min(X, Cap)]. An exponential is given by its Mean or, as published
// eviction rates are, by its Rate per hour; each is drawn in its own unit
// (−ln(1 − u)·Mean truncated to the nanosecond, −ln(1 − u)/Rate hours
// rounded to it), so that every draw spotsim made before durations and
// lifetimes were one family is unchanged.
package dist

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"gonum.org/v1/gonum/mathext"
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
	Bathtub                 // the measured lifetime of 24 h-capped preemptible VMs (A, Tau1, Tau2, B; see bathtub.go)
)

var kindNames = [...]string{"fixed", "uniform", "exponential", "normal", "lognormal", "weibull", "empirical", "bathtub"}

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
// fixed duration 0. Only the fields of its Kind are used, and Cap.
type Dist struct {
	Kind     Kind
	Value    time.Duration   // Fixed
	Min, Max time.Duration   // Uniform
	Mean     time.Duration   // Exponential (unless Rate), Normal, LogNormal
	Rate     float64         // Exponential given by its rate, events per hour (Mean is then 0)
	StdDev   time.Duration   // Normal, LogNormal
	Shape    float64         // Weibull
	Scale    time.Duration   // Weibull
	Samples  []time.Duration // Empirical, sorted ascending
	A        float64         // Bathtub: weight of the early phase
	Tau1     time.Duration   // Bathtub: decay time of the early phase
	Tau2     time.Duration   // Bathtub: width of the late ramp
	B        time.Duration   // Bathtub: location of the late ramp
	// Cap, when positive, cuts every draw at Cap (a max_lifetime).
	Cap time.Duration

	bt *bathtubSupport // Bathtub: the support, cached by NewBathtub
}

// NewEmpirical returns the empirical distribution of a sorted copy of
// samples.
func NewEmpirical(samples []time.Duration) (Dist, error) {
	d := Dist{Kind: Empirical, Samples: slices.Clone(samples)}
	slices.Sort(d.Samples)
	return d, d.Validate()
}

// Capped returns d with every draw cut at max.
func (d Dist) Capped(max time.Duration) Dist {
	d.Cap = max
	return d
}

// Const returns the fixed distribution at d.
func Const(d time.Duration) Dist { return Dist{Kind: Fixed, Value: d} }

// Exp returns the exponential distribution with the given mean.
func Exp(mean time.Duration) Dist { return Dist{Kind: Exponential, Mean: mean} }

// Validate reports whether the parameters make a distribution of
// non-negative, finite durations.
func (d Dist) Validate() error {
	if d.Cap < 0 {
		return fmt.Errorf("max_lifetime must be positive, got %s", FormatDuration(d.Cap))
	}
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
		switch {
		case d.Rate != 0 && d.Mean != 0:
			return fmt.Errorf("exponential has a mean (%v) and a rate (%v per hour): give one", d.Mean, d.Rate)
		case d.Rate != 0:
			if !(d.Rate > 0) || math.IsInf(d.Rate, 0) {
				return fmt.Errorf("exponential lifetime needs a positive, finite rate, got %v per hour", d.Rate)
			}
		case d.Mean <= 0:
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
		if math.IsInf(math.Gamma(1+1/d.Shape), 0) {
			return fmt.Errorf("weibull shape %v is too small (the mean overflows)", d.Shape)
		}
	case Empirical:
		if len(d.Samples) == 0 {
			return fmt.Errorf("empirical distribution has no samples")
		}
		if !sort.SliceIsSorted(d.Samples, func(i, j int) bool { return d.Samples[i] < d.Samples[j] }) || d.Samples[0] < 0 {
			return fmt.Errorf("empirical samples must be non-negative and sorted")
		}
	case Bathtub:
		return d.validateBathtub()
	default:
		return fmt.Errorf("unknown distribution kind %d", int(d.Kind))
	}
	return nil
}

// Quantile returns the duration at probability u in (0,1); a u outside is
// clamped to [0,1] (NaN to 0), the ends of the support. Results beyond the
// range of time.Duration saturate at its maximum. To draw many times from
// one distribution, Sampler does the per-distribution work once.
func (d Dist) Quantile(u float64) time.Duration {
	s := d.Sampler()
	return s.Quantile(clampU(u))
}

// Sampler is a Dist prepared for repeated draws: the log-normal's log
// parameters, the truncated normal's lower tail and the bathtub's support
// are computed once. It is the one sampling path of every duration and
// lifetime; its draws equal the Dist's, bit for bit.
type Sampler struct {
	d         Dist
	mu, sigma float64 // LogNormal: of the logarithm; Normal: of the distribution
	lo        float64 // Normal: F(0), the mass truncated away
	bt        bathtubSupport
	cap       time.Duration // Cap, or the largest duration when there is none
}

// Sampler returns d prepared for repeated draws.
func (d Dist) Sampler() Sampler {
	s := Sampler{d: d, cap: math.MaxInt64}
	if d.Cap > 0 {
		s.cap = d.Cap
	}
	switch {
	case d.Kind == LogNormal && d.StdDev != 0:
		s.mu, s.sigma = d.logParams()
	case d.Kind == Normal && d.StdDev != 0:
		s.mu, s.sigma = float64(d.Mean), float64(d.StdDev)
		s.lo = distuv.Normal{Mu: s.mu, Sigma: s.sigma}.CDF(0)
	case d.Kind == Bathtub && d.validateBathtub() == nil:
		s.bt = d.bathtub()
	case d.Kind == Fixed && d.Cap > 0:
		s.d.Value = min(d.Value, d.Cap)
	}
	return s
}

// Fixed returns the duration of a fixed distribution (every draw), and
// whether it is one: such draws need no random number.
func (s *Sampler) Fixed() (time.Duration, bool) { return s.d.Value, s.d.Kind == Fixed }

// Quantile returns the duration at probability u, as Dist.Quantile, for u
// in [0,1] (the pool's uniforms are in (0,1); the caller clamps others).
func (s *Sampler) Quantile(u float64) time.Duration {
	d := &s.d
	var r time.Duration
	switch d.Kind {
	case Fixed:
		r = d.Value
	case Uniform:
		r = d.Min + time.Duration(u*float64(d.Max-d.Min))
	case Exponential:
		if d.Rate != 0 { // in hours, rounded: as lifetimes always were
			r = math.MaxInt64
			if u < 1 && d.Rate > 0 {
				r = fromHours(-math.Log1p(-u) / d.Rate)
			}
		} else {
			r = clamp(-math.Log1p(-u) * float64(d.Mean))
		}
	case Normal:
		r = d.Mean
		if d.StdDev != 0 {
			// truncate at 0: rescale u onto (F(0), 1)
			r = clamp(distuv.Normal{Mu: s.mu, Sigma: s.sigma}.Quantile(s.lo + u*(1-s.lo)))
		}
	case LogNormal:
		r = d.Mean
		if d.StdDev != 0 {
			r = clamp(distuv.LogNormal{Mu: s.mu, Sigma: s.sigma}.Quantile(u))
		}
	case Weibull:
		r = clamp(distuv.Weibull{K: d.Shape, Lambda: float64(d.Scale)}.Quantile(u))
	case Empirical:
		// the ⌈u·n⌉-th smallest sample: the generalised inverse of the CDF
		if n := len(d.Samples); n > 0 {
			i := int(math.Ceil(u*float64(n))) - 1
			r = d.Samples[max(0, min(i, n-1))]
		}
	case Bathtub:
		if s.bt.end != 0 { // else invalid parameters
			r = s.bt.quantile(u)
		}
	}
	return min(r, s.cap)
}

// CDF returns P(X ≤ t).
func (d Dist) CDF(t time.Duration) float64 {
	if t < 0 {
		return 0
	}
	if d.Cap > 0 && t >= d.Cap {
		return 1
	}
	step := func(at time.Duration) float64 {
		if t >= at {
			return 1
		}
		return 0
	}
	x := float64(t)
	switch d.Kind {
	case Fixed:
		return step(d.Value)
	case Uniform:
		if d.Max == d.Min {
			return step(d.Min)
		}
		return max(0, min(1, (x-float64(d.Min))/float64(d.Max-d.Min)))
	case Exponential:
		if d.Rate != 0 {
			return -math.Expm1(-d.Rate * hours(t))
		}
		return -math.Expm1(-x / float64(d.Mean))
	case Normal:
		if d.StdDev == 0 {
			return step(d.Mean)
		}
		n := distuv.Normal{Mu: float64(d.Mean), Sigma: float64(d.StdDev)}
		lo := n.CDF(0)
		return max(0, (n.CDF(x)-lo)/(1-lo))
	case LogNormal:
		if d.StdDev == 0 {
			return step(d.Mean)
		}
		mu, sigma := d.logParams()
		return distuv.LogNormal{Mu: mu, Sigma: sigma}.CDF(x)
	case Weibull:
		if t == 0 {
			return 0
		}
		return distuv.Weibull{K: d.Shape, Lambda: float64(d.Scale)}.CDF(x)
	case Empirical:
		if len(d.Samples) == 0 {
			return 0
		}
		i := sort.Search(len(d.Samples), func(i int) bool { return d.Samples[i] > t })
		return float64(i) / float64(len(d.Samples))
	case Bathtub:
		if d.validateBathtub() != nil {
			return 0
		}
		return d.bathtub().cdf(t)
	}
	return 0
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
// mean of the truncated distribution; with a Cap, E[min(X, Cap)]).
func (d Dist) MeanDuration() time.Duration {
	if d.Cap > 0 {
		return d.meanBelow(d.Cap)
	}
	switch d.Kind {
	case Fixed:
		return d.Value
	case Uniform:
		return d.Min + (d.Max-d.Min)/2 // (Min+Max)/2 could overflow
	case Exponential:
		if d.Rate != 0 {
			return fromHours(1 / d.Rate)
		}
		return d.Mean
	case LogNormal:
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
	case Bathtub:
		if d.validateBathtub() != nil {
			return 0
		}
		return fromHours(d.bathtub().meanBelow(math.MaxInt64))
	}
	return 0
}

// meanBelow returns E[min(X, m)] = ∫₀^m (1 − F(t)) dt for m > 0, in closed
// form but for the truncated normal (Simpson's rule).
func (d Dist) meanBelow(m time.Duration) time.Duration {
	c := float64(m)
	switch d.Kind {
	case Fixed:
		return min(d.Value, m)
	case Uniform:
		switch {
		case m <= d.Min:
			return m
		case m >= d.Max:
			return d.Min + (d.Max-d.Min)/2
		}
		w, r := float64(d.Max-d.Min), c-float64(d.Min)
		return clamp(float64(d.Min) + r - r*r/(2*w))
	case Exponential:
		if d.Rate != 0 {
			return fromHours(-math.Expm1(-d.Rate*hours(m)) / d.Rate)
		}
		return clamp(-math.Expm1(-c/float64(d.Mean)) * float64(d.Mean))
	case LogNormal:
		if d.StdDev == 0 {
			return min(d.Mean, m)
		}
		mu, s := d.logParams()
		z := (math.Log(c) - mu) / s
		std := distuv.UnitNormal
		return clamp(float64(d.Mean)*std.CDF(z-s) + c*(1-std.CDF(z)))
	case Weibull:
		x := math.Pow(c/float64(d.Scale), d.Shape)
		return clamp(float64(d.Scale) * math.Gamma(1+1/d.Shape) * mathext.GammaIncReg(1/d.Shape, x))
	case Empirical:
		if len(d.Samples) == 0 {
			return 0
		}
		sum := 0.0
		for _, v := range d.Samples {
			sum += float64(min(v, m))
		}
		return clamp(sum / float64(len(d.Samples)))
	case Bathtub:
		if d.validateBathtub() != nil {
			return 0
		}
		return fromHours(d.bathtub().meanBelow(m))
	}
	// the truncated normal: composite Simpson on 1 − F over [0, m]
	u := d
	u.Cap = 0
	const n = 1 << 14
	h := c / n
	sum := 0.0
	for i := 0; i <= n; i++ {
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		sum += w * (1 - u.CDF(time.Duration(float64(i)*h)))
	}
	return clamp(sum * h / 3)
}

// String renders the distribution as a scenario file would write it.
func (d Dist) String() string {
	s := d.Kind.String()
	switch d.Kind {
	case Fixed:
		s = FormatDuration(d.Value)
	case Uniform:
		s = fmt.Sprintf("uniform(%s, %s)", FormatDuration(d.Min), FormatDuration(d.Max))
	case Exponential:
		if d.Rate != 0 {
			s = fmt.Sprintf("exponential(rate %.6g/h, mean %s)", d.Rate, FormatDuration(fromHours(1/d.Rate)))
		} else {
			s = fmt.Sprintf("exponential(mean %s)", FormatDuration(d.Mean))
		}
	case Normal, LogNormal:
		s = fmt.Sprintf("%v(mean %s, stddev %s)", d.Kind, FormatDuration(d.Mean), FormatDuration(d.StdDev))
	case Weibull:
		s = fmt.Sprintf("weibull(shape %g, scale %s)", d.Shape, FormatDuration(d.Scale))
	case Empirical:
		s = fmt.Sprintf("empirical(%d samples)", len(d.Samples))
	case Bathtub:
		s = fmt.Sprintf("bathtub(A %g, tau1 %s, tau2 %s, b %s)", d.A, FormatDuration(d.Tau1), FormatDuration(d.Tau2), FormatDuration(d.B))
	}
	if d.Cap > 0 {
		s += " capped at " + FormatDuration(d.Cap)
	}
	return s
}
