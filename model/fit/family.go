package fit

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// sample is the data of one fit in a unit of time chosen to keep the
// numbers near 1: x = value/unit, with y = log x, and which of them are
// events (uncensored). Censored values of 0 carry no information (they
// survive to 0 with probability 1) and are left out.
type sample struct {
	unit   float64 // nanoseconds per unit
	x, y   []float64
	event  []bool
	events int     // number of uncensored values
	sumX   float64 // Σ x over every value, censored or not
}

// family is one parametric model, fitted in a transformed parameter space
// θ where every value is allowed (logs of positive parameters), so that an
// unconstrained optimiser can work and the Wald intervals of θ map back to
// intervals inside the parameter space.
type family struct {
	name string
	// start returns the initial θ.
	start func(s *sample) []float64
	// nll returns the negative log-likelihood of θ; grad its gradient.
	nll  func(s *sample, θ []float64) float64
	grad func(s *sample, θ, g []float64)
	// cdf returns F(x) for x in the sample's unit.
	cdf func(θ []float64, x float64) float64
	// quantile returns F⁻¹(u) in the sample's unit.
	quantile func(θ []float64, u float64) float64
}

// families are the models Fit tries, in the order ties are broken.
var families = []*family{&exponential, &weibull, &lognormal}

// Exponential: θ = (log mean). Its MLE is closed form, mean = Σx/d.
var exponential = family{
	name: "exponential",
	start: func(s *sample) []float64 {
		return []float64{math.Log(s.sumX / float64(s.events))}
	},
	nll: func(s *sample, θ []float64) float64 {
		return float64(s.events)*θ[0] + s.sumX*math.Exp(-θ[0])
	},
	grad: func(s *sample, θ, g []float64) {
		g[0] = float64(s.events) - s.sumX*math.Exp(-θ[0])
	},
	cdf: func(θ []float64, x float64) float64 {
		return distuv.Exponential{Rate: math.Exp(-θ[0])}.CDF(x)
	},
	quantile: func(θ []float64, u float64) float64 {
		return distuv.Exponential{Rate: math.Exp(-θ[0])}.Quantile(u)
	},
}

// Weibull: θ = (log shape k, log scale λ). With z = (x/λ)^k,
// log f = log k − k log λ + (k − 1) log x − z and log S = −z.
var weibull = family{
	name: "weibull",
	start: func(s *sample) []float64 {
		return []float64{0, math.Log(s.sumX / float64(s.events))}
	},
	nll: func(s *sample, θ []float64) float64 {
		k, b := math.Exp(θ[0]), θ[1]
		ll := 0.0
		for i, y := range s.y {
			ll -= math.Exp(k * (y - b))
			if s.event[i] {
				ll += θ[0] - k*b + (k-1)*y
			}
		}
		return -ll
	},
	grad: func(s *sample, θ, g []float64) {
		k, b := math.Exp(θ[0]), θ[1]
		ga, gb := 0.0, 0.0
		for i, y := range s.y {
			t := k * (y - b)
			z := math.Exp(t)
			ga -= t * z
			gb += k * z
			if s.event[i] {
				ga += 1 + t
				gb -= k
			}
		}
		g[0], g[1] = -ga, -gb
	},
	cdf: func(θ []float64, x float64) float64 {
		return distuv.Weibull{K: math.Exp(θ[0]), Lambda: math.Exp(θ[1])}.CDF(x)
	},
	quantile: func(θ []float64, u float64) float64 {
		return distuv.Weibull{K: math.Exp(θ[0]), Lambda: math.Exp(θ[1])}.Quantile(u)
	},
}

// Log-normal: θ = (μ, log σ) of log x. With w = (log x − μ)/σ,
// log f = −log σ − log x − w²/2 − log √(2π) and log S = log Q(w), Q the
// standard normal's upper tail.
var lognormal = family{
	name: "lognormal",
	start: func(s *sample) []float64 {
		var m, m2 float64
		for i, y := range s.y {
			if s.event[i] {
				m += y
				m2 += y * y
			}
		}
		d := float64(s.events)
		m /= d
		v := m2/d - m*m
		if !(v > 1e-12) {
			v = 1e-12
		}
		return []float64{m, math.Log(v) / 2}
	},
	nll: func(s *sample, θ []float64) float64 {
		mu, sigma := θ[0], math.Exp(θ[1])
		ll := 0.0
		for i, y := range s.y {
			w := (y - mu) / sigma
			if s.event[i] {
				ll += -θ[1] - y - w*w/2 - lnSqrt2Pi
			} else {
				ll += logQ(w)
			}
		}
		return -ll
	},
	grad: func(s *sample, θ, g []float64) {
		mu, sigma := θ[0], math.Exp(θ[1])
		gm, gs := 0.0, 0.0
		for i, y := range s.y {
			w := (y - mu) / sigma
			if s.event[i] {
				gm += w / sigma
				gs += w*w - 1
			} else {
				h := millsInv(w)
				gm += h / sigma
				gs += h * w
			}
		}
		g[0], g[1] = -gm, -gs
	},
	cdf: func(θ []float64, x float64) float64 {
		return distuv.LogNormal{Mu: θ[0], Sigma: math.Exp(θ[1])}.CDF(x)
	},
	quantile: func(θ []float64, u float64) float64 {
		return distuv.LogNormal{Mu: θ[0], Sigma: math.Exp(θ[1])}.Quantile(u)
	},
}

var lnSqrt2Pi = math.Log(math.Sqrt(2 * math.Pi))

// logQ returns log P(Z > w) for a standard normal Z, accurate in the far
// upper tail where Q underflows.
func logQ(w float64) float64 {
	if w < 30 {
		return math.Log(math.Erfc(w/math.Sqrt2) / 2)
	}
	// Q(w) ≈ φ(w)/w · (1 − 1/w² + 3/w⁴)
	w2 := w * w
	return -w2/2 - lnSqrt2Pi - math.Log(w) + math.Log1p(-1/w2+3/(w2*w2))
}

// millsInv returns φ(w)/Q(w), the standard normal's hazard at w.
func millsInv(w float64) float64 {
	return math.Exp(-w*w/2 - lnSqrt2Pi - logQ(w))
}
