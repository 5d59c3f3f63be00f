package price

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultStep is the sampling step of an OU price path when OU.Step is 0.
const DefaultStep = 5 * time.Minute

// MaxSteps caps the steps of one generated path (12 days at 1 s, or 10
// years at 5 min; a path holds about 56 bytes per step).
const MaxSteps = 1 << 20

// OU is a mean-reverting Ornstein–Uhlenbeck spot price,
//
//	dX = θ(μ − X) dt + σ dW,
//
// with μ = Mean ($/h), σ = Sigma ($/h per √h) and reversion time 1/θ =
// Reversion. Its stationary law is normal with mean μ and standard deviation
// σ/√(2θ) (StationaryStdDev).
//
// A path is sampled every Step (DefaultStep, 5 min, when 0) with the exact
// transition, no discretisation error:
//
//	X_{k+1} = μ + (X_k − μ)·e^{−θΔ} + σ·√((1 − e^{−2θΔ})/(2θ))·Z_k,
//
// starting from the stationary law, and the price is held constant between
// samples. The reported price is X clamped to [Floor, Cap]: Cap is normally
// the pay-as-you-go (dedicated) price, since a spot price is never above it
// (0 means no cap), and Floor (≥ 0) keeps prices non-negative. The clamp
// applies to what is reported, not to the latent X, so the dynamics and the
// law of the price strictly between Floor and Cap are exactly the OU's:
// the long-run fraction of time with price > m is 1 − Φ((m − μ)/(σ/√(2θ)))
// for Floor ≤ m < Cap (FractionAbove).
type OU struct {
	Mean      float64
	Sigma     float64
	Reversion time.Duration
	Floor     float64
	Cap       float64
	Step      time.Duration
}

// theta returns θ per hour.
func (o OU) theta() float64 { return float64(time.Hour) / float64(o.Reversion) }

func (o OU) step() time.Duration {
	if o.Step == 0 {
		return DefaultStep
	}
	return o.Step
}

// StationaryStdDev returns σ/√(2θ).
func (o OU) StationaryStdDev() float64 { return o.Sigma / math.Sqrt(2*o.theta()) }

// FractionAbove returns the long-run fraction of time the reported price is
// above m: 1 − Φ((m − μ)/(σ/√(2θ))) for Floor ≤ m < Cap, 0 from Cap on, 1
// below Floor.
func (o OU) FractionAbove(m float64) float64 {
	switch {
	case o.Cap > 0 && m >= o.Cap:
		return 0
	case m < o.Floor:
		return 1
	case o.Sigma == 0:
		if o.Mean > m {
			return 1
		}
		return 0
	}
	return 1 - distuv.UnitNormal.CDF((m-o.Mean)/o.StationaryStdDev())
}

// Validate reports whether the parameters make a price process.
func (o OU) Validate() error {
	switch {
	case !(o.Mean >= 0) || math.IsInf(o.Mean, 0):
		return fmt.Errorf("ou price needs a finite mean >= 0, got %v", o.Mean)
	case !(o.Sigma >= 0) || math.IsInf(o.Sigma, 0):
		return fmt.Errorf("ou price needs a finite volatility >= 0, got %v", o.Sigma)
	case o.Reversion <= 0:
		return fmt.Errorf("ou price needs a positive reversion time, got %v", o.Reversion)
	case o.Step < 0:
		return fmt.Errorf("ou price step must be positive, got %v", o.Step)
	case !(o.Floor >= 0) || math.IsInf(o.Floor, 0):
		return fmt.Errorf("ou price floor must be finite and >= 0, got %v", o.Floor)
	case !(o.Cap >= 0) || math.IsInf(o.Cap, 0):
		return fmt.Errorf("ou price cap must be finite and >= 0 (0 for none), got %v", o.Cap)
	case o.Cap > 0 && o.Cap < o.Floor:
		return fmt.Errorf("ou price cap %v is below its floor %v", o.Cap, o.Floor)
	}
	return nil
}

func (o OU) String() string {
	return fmt.Sprintf("ou(mean %g, sigma %g, reversion %v, floor %g, cap %g, step %v)",
		o.Mean, o.Sigma, o.Reversion, o.Floor, o.Cap, o.step())
}

// Path samples one price path on [0, horizon]: samples at 0, Step, 2·Step,
// ... up to horizon, the last price holding after it. Normal draws come from
// r in order (one per step, the first for the stationary start), so the path
// is a function of r's seed; use one stream per pool ("price/<pool>").
func (o OU) Path(horizon time.Duration, r *rand.Rand) (*Path, error) {
	times, prices, err := o.samples(horizon, r)
	if err != nil {
		return nil, err
	}
	return NewPath(times, prices)
}

// Lazy is Path as a Process that draws and builds its step path only as
// far as it is queried (doubling its reach each time), for a run that may
// stop long before the horizon. It answers every query exactly as Path's
// path of the same draws, and fails exactly when Path does: when its
// parameters let a sample overflow (bounded says), it draws every sample at
// once and checks them, as Path does.
func (o OU) Lazy(horizon time.Duration, r *rand.Rand) (Process, error) {
	g, err := o.gen(horizon, r)
	if err != nil {
		return nil, err
	}
	if g.bounded() {
		return &lazyPath{gen: g, total: int(g.n)}, nil
	}
	times, prices := g.drawTo(g.n, nil, nil)
	for i := range times {
		if err := checkStep(times, prices, i); err != nil {
			return nil, err
		}
	}
	return &lazyPath{times: times, prices: prices, total: len(times)}, nil
}

// samples draws the path's samples: time k·Step and its clamped price.
func (o OU) samples(horizon time.Duration, r *rand.Rand) ([]time.Duration, []float64, error) {
	g, err := o.gen(horizon, r)
	if err != nil {
		return nil, nil, err
	}
	times, prices := g.drawTo(g.n, make([]time.Duration, 0, g.n), make([]float64, 0, g.n))
	return times, prices, nil
}

// ouGen draws the samples of an OU path in order, one normal draw from r
// each (the first for the stationary start): sample k is at k·step.
type ouGen struct {
	o       OU
	r       *rand.Rand
	step    time.Duration
	a, s    float64 // the transition: X' = μ + (X − μ)·a + s·Z
	x       float64 // the latent X of the last sample drawn
	next, n int64   // the next sample to draw; samples in all
}

// gen checks the parameters and the number of steps, and returns the
// generator of the path on [0, horizon].
func (o OU) gen(horizon time.Duration, r *rand.Rand) (*ouGen, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	step := o.step()
	n := int64(0)
	if horizon > 0 {
		n = int64(horizon / step)
	}
	if n+1 > MaxSteps {
		return nil, fmt.Errorf("ou price path of %v in steps of %v has more than %d steps", horizon, step, MaxSteps)
	}
	theta := o.theta()
	dt := float64(step) / float64(time.Hour)
	return &ouGen{o: o, r: r, step: step, n: n + 1,
		a: math.Exp(-theta * dt), s: o.Sigma * math.Sqrt(-math.Expm1(-2*theta*dt)/(2*theta))}, nil
}

// drawTo draws samples up to k (exclusive), appending their times and
// clamped prices.
func (g *ouGen) drawTo(k int64, times []time.Duration, prices []float64) ([]time.Duration, []float64) {
	o := g.o
	for ; g.next < k; g.next++ {
		if g.next == 0 {
			g.x = o.Mean + o.StationaryStdDev()*g.r.NormFloat64()
		} else {
			g.x = o.Mean + (g.x-o.Mean)*g.a + g.s*g.r.NormFloat64()
		}
		x := max(g.x, o.Floor)
		if o.Cap > 0 {
			x = min(x, o.Cap)
		}
		times = append(times, time.Duration(g.next)*g.step)
		prices = append(prices, x)
	}
	return times, prices
}

// maxNormal bounds |r.NormFloat64()|: its ziggurat returns at most
// rn + ln(2⁵³)/rn ≈ 14.1 in absolute value, unless two uniforms in a row
// are exactly 0 (probability 2⁻¹⁰⁶, when it returns ±Inf).
const maxNormal = 16

// bounded reports whether every sample is certain to be a finite price
// (so that none can fail checkStep): |X_k − μ| ≤ |X_0 − μ| + s·Σ aʲ·|Z|,
// with |Z| ≤ maxNormal, stays far below overflow.
func (g *ouGen) bounded() bool {
	steps := float64(g.n)
	if g.a < 1 {
		steps = min(steps, 1/(1-g.a))
	}
	b := math.Abs(g.o.Mean) + maxNormal*g.o.StationaryStdDev() + maxNormal*g.s*steps
	return b < 1e300
}
