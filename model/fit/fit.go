package fit

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/spotsim/spotsim/model/dist"
)

// Options tune Fit. The zero value fits complete (uncensored) data and
// computes goodness-of-fit p-values from DefaultBootstrap samples.
type Options struct {
	// AllowCensored accepts censored observations (node lifetimes still
	// running when observation ended). Without it a censored observation
	// is an error, for data that should be complete.
	AllowCensored bool
	// Bootstrap is the number of parametric-bootstrap samples behind each
	// model's goodness-of-fit p-value: 0 means DefaultBootstrap, a
	// negative number skips the test (P is then NaN).
	Bootstrap int
	// Seed seeds the bootstrap's random numbers (the same seed gives the
	// same p-values).
	Seed uint64
}

// DefaultBootstrap is the number of bootstrap samples when
// Options.Bootstrap is 0: the p-value's resolution is 1/200.
const DefaultBootstrap = 199

// z95 is the standard normal's 97.5 % quantile, for 95 % intervals.
const z95 = 1.959963984540054

// Param is one fitted parameter with its 95 % interval. Intervals are Wald
// intervals from the observed information (the inverse of the Hessian of
// the negative log-likelihood at the estimate), computed on the log scale of
// positive parameters and mapped back, so they are asymmetric and stay
// positive.
type Param struct {
	Name          string
	Value, Lo, Hi float64
	// Duration says Value, Lo and Hi are nanoseconds (a scale, a mean,
	// a median) rather than pure numbers (a shape).
	Duration bool
}

func (p Param) String() string {
	if p.Duration {
		return fmt.Sprintf("%s %s [%s, %s]", p.Name, dist.FormatDuration(roundDuration(p.Value)),
			dist.FormatDuration(roundDuration(p.Lo)), dist.FormatDuration(roundDuration(p.Hi)))
	}
	return fmt.Sprintf("%s %.4g [%.4g, %.4g]", p.Name, p.Value, p.Lo, p.Hi)
}

// Model is one family fitted by maximum likelihood.
type Model struct {
	Family string  // "exponential", "weibull" or "lognormal"
	Params []Param // the family's parameters with 95 % intervals
	// LogLik is the maximised log-likelihood, with densities per hour.
	LogLik float64
	// AIC is 2k − 2·LogLik for k parameters; DeltaAIC its excess over
	// the best model's, and Weight the Akaike weight exp(−Δ/2)/Σ.
	AIC, DeltaAIC, Weight float64
	// KS is the Kolmogorov–Smirnov distance between the fitted CDF and
	// the empirical one (Kaplan–Meier when some data are censored), over
	// the observed range.
	KS float64
	// P is the parametric-bootstrap p-value of KS (see Fit); NaN when
	// the test was skipped. Bootstrap is the number of samples behind it.
	P         float64
	Bootstrap int
	// Dist is the fitted model as a spotsim distribution, with its
	// parameters rounded as TOML prints them (so the two agree).
	Dist dist.Dist

	fam   *family
	theta []float64
	unit  float64
}

// CDF returns the fitted (unrounded) model's P(X ≤ t).
func (m *Model) CDF(t time.Duration) float64 {
	if t <= 0 {
		return 0
	}
	return m.fam.cdf(m.theta, float64(t)/m.unit)
}

// TOML returns the model as an inline table to paste into a scenario, as a
// task duration or as a node lifetime:
// { dist = "weibull", shape = 0.712, scale = "19h31m" }.
func (m *Model) TOML() string { return DistTOML(m.Dist) }

// Report is the result of Fit: every family that could be fitted, best
// (lowest AIC) first, and the empirical distribution they were fitted to.
type Report struct {
	N        int // observations
	Censored int // of which censored
	Models   []Model
	// Failed names the families that could not be fitted, with why.
	Failed []string
	// KM is the Kaplan–Meier estimate of the data's survival function
	// (the empirical distribution when nothing is censored).
	KM []Step
}

// Best returns the model with the lowest AIC.
func (r *Report) Best() *Model { return &r.Models[0] }

// Fit fits the exponential, Weibull and log-normal families to obs by
// maximum likelihood, a censored observation contributing the probability
// of surviving past its value (right-censoring, assumed independent of the
// value). The optimiser is gonum's BFGS on the log-likelihood's analytic
// gradient, in log parameters. Models are ranked by AIC.
//
// Goodness of fit: KS is the largest distance between the fitted CDF and
// the Kaplan–Meier estimate. Because the parameters were estimated from the
// same data (and KS with censoring has no standard null distribution), its
// p-value comes from a parametric bootstrap: B samples of the same size are
// drawn from the fitted model, censored by times drawn from the reverse
// Kaplan–Meier estimate of the censoring distribution (none when nothing
// was censored), refitted, and P = (1 + #{KS* ≥ KS})/(B + 1).
//
// Fit returns an error for unusable data: negative values, an uncensored 0
// (the families put no mass at 0), censored data without
// Options.AllowCensored, or fewer than two distinct uncensored values.
func Fit(obs []Obs, opt Options) (*Report, error) {
	s, err := newSample(obs, opt.AllowCensored)
	if err != nil {
		return nil, err
	}
	r := &Report{N: len(obs), KM: KaplanMeier(obs)}
	for _, o := range obs {
		if o.Censored {
			r.Censored++
		}
	}
	for _, f := range families {
		m, err := fitFamily(f, s)
		if err != nil {
			r.Failed = append(r.Failed, fmt.Sprintf("%s: %v", f.name, err))
			continue
		}
		r.Models = append(r.Models, *m)
	}
	if len(r.Models) == 0 {
		return nil, fmt.Errorf("no model could be fitted (%v)", r.Failed)
	}
	slices.SortStableFunc(r.Models, func(a, b Model) int { return cmpFloat(a.AIC, b.AIC) })
	sum := 0.0
	for i := range r.Models {
		m := &r.Models[i]
		m.DeltaAIC = m.AIC - r.Models[0].AIC
		m.Weight = math.Exp(-m.DeltaAIC / 2)
		sum += m.Weight
	}
	b := opt.Bootstrap
	if b == 0 {
		b = DefaultBootstrap
	}
	var wg sync.WaitGroup
	for i := range r.Models {
		m := &r.Models[i]
		m.Weight /= sum
		m.KS = ksDistance(r.KM, m.fam, m.theta, s.unit)
		m.P = math.NaN()
		if b > 0 { // one bootstrap a model, each with its own random numbers
			wg.Go(func() { m.P, m.Bootstrap = bootstrapP(obs, m, b, opt.Seed) })
		}
	}
	wg.Wait()
	return r, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// newSample checks obs and scales it by its geometric mean.
func newSample(obs []Obs, allowCensored bool) (*sample, error) {
	if len(obs) == 0 {
		return nil, errors.New("no observations")
	}
	logSum, nPos := 0.0, 0
	var first time.Duration = -1
	distinct := false
	for i, o := range obs {
		switch {
		case o.Value < 0:
			return nil, fmt.Errorf("observation %d: negative value %s", i+1, dist.FormatDuration(o.Value))
		case o.Censored && !allowCensored:
			return nil, fmt.Errorf("observation %d is censored, and censored data are not allowed here", i+1)
		case !o.Censored && o.Value == 0:
			return nil, fmt.Errorf("observation %d is 0 (the fitted families put no mass at 0: drop such values or record them more finely)", i+1)
		}
		if o.Value > 0 {
			logSum += math.Log(float64(o.Value))
			nPos++
		}
		if !o.Censored {
			if first < 0 {
				first = o.Value
			}
			distinct = distinct || o.Value != first
		}
	}
	if !distinct {
		return nil, errors.New("need at least two different uncensored values to fit a distribution")
	}
	s := &sample{unit: math.Exp(logSum / float64(nPos))}
	for _, o := range obs {
		if o.Value == 0 {
			continue // censored at 0: no information
		}
		x := float64(o.Value) / s.unit
		s.x = append(s.x, x)
		s.y = append(s.y, math.Log(x))
		s.event = append(s.event, !o.Censored)
		s.sumX += x
		if !o.Censored {
			s.events++
		}
	}
	return s, nil
}

// fitFamily maximises f's likelihood on s and derives the intervals.
func fitFamily(f *family, s *sample) (*Model, error) {
	theta, nll, err := maximise(f, s, f.start(s))
	if err != nil {
		return nil, err
	}
	cov, err := covariance(f, s, theta)
	if err != nil {
		return nil, err
	}
	k := len(theta)
	ll := -nll + float64(s.events)*math.Log(float64(time.Hour)/s.unit)
	m := &Model{Family: f.name, LogLik: ll, AIC: 2*float64(k) - 2*ll, fam: f, theta: theta, unit: s.unit}
	se := func(i int) float64 { return math.Sqrt(cov.At(i, i)) }
	logParam := func(name string, i int, scale float64, dur bool) Param {
		return Param{Name: name, Value: scale * math.Exp(theta[i]),
			Lo: scale * math.Exp(theta[i]-z95*se(i)), Hi: scale * math.Exp(theta[i]+z95*se(i)), Duration: dur}
	}
	switch f {
	case &exponential:
		mean := logParam("mean", 0, s.unit, true)
		h := float64(time.Hour)
		m.Params = []Param{mean, {Name: "rate_per_hour", Value: h / mean.Value, Lo: h / mean.Hi, Hi: h / mean.Lo}}
		m.Dist = dist.Exp(roundDuration(mean.Value))
	case &weibull:
		m.Params = []Param{logParam("shape", 0, 1, false), logParam("scale", 1, s.unit, true)}
		m.Dist = dist.Dist{Kind: dist.Weibull, Shape: round3(m.Params[0].Value), Scale: roundDuration(m.Params[1].Value)}
	case &lognormal:
		m.Params = []Param{logParam("median", 0, s.unit, true), logParam("sigma", 1, 1, false)}
		sigma := m.Params[1].Value
		mean := m.Params[0].Value * math.Exp(sigma*sigma/2)
		sd := mean * math.Sqrt(math.Expm1(sigma*sigma))
		m.Dist = dist.Dist{Kind: dist.LogNormal, Mean: roundDuration(mean), StdDev: roundDuration(sd)}
	}
	if err := m.Dist.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// maximise minimises f's negative log-likelihood from theta0 with BFGS.
func maximise(f *family, s *sample, theta0 []float64) ([]float64, float64, error) {
	n := float64(len(s.x))
	p := optimize.Problem{
		Func: func(θ []float64) float64 {
			v := f.nll(s, θ) / n
			if math.IsNaN(v) {
				return math.Inf(1)
			}
			return v
		},
		Grad: func(g, θ []float64) {
			f.grad(s, θ, g)
			for i := range g {
				g[i] /= n
			}
		},
	}
	settings := &optimize.Settings{GradientThreshold: 1e-10, MajorIterations: 500}
	res, err := optimize.Minimize(p, theta0, settings, &optimize.BFGS{})
	if res == nil {
		return nil, 0, fmt.Errorf("optimiser: %v", err)
	}
	g := make([]float64, len(theta0))
	p.Grad(g, res.X)
	for _, v := range res.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, errors.New("the optimiser diverged")
		}
	}
	if err != nil && !(math.Abs(g[0]) < 1e-6 && math.Abs(g[len(g)-1]) < 1e-6) {
		return nil, 0, fmt.Errorf("optimiser: %v", err)
	}
	if math.IsInf(res.F, 0) || math.IsNaN(res.F) {
		return nil, 0, errors.New("the likelihood is not finite at the estimate")
	}
	return res.X, res.F * n, nil
}

// covariance returns the inverse of the observed information at theta:
// the Hessian of the negative log-likelihood, by central differences of its
// analytic gradient.
func covariance(f *family, s *sample, theta []float64) (*mat.Dense, error) {
	k := len(theta)
	h := mat.NewDense(k, k, nil)
	fd.Jacobian(h, func(g, θ []float64) { f.grad(s, θ, g) }, theta, &fd.JacobianSettings{Formula: fd.Central})
	sym := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			sym.SetSym(i, j, (h.At(i, j)+h.At(j, i))/2)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, errors.New("the information matrix is not positive definite at the estimate (no intervals)")
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return nil, err
	}
	out := mat.NewDense(k, k, nil)
	out.Copy(&cov)
	for i := 0; i < k; i++ {
		if v := out.At(i, i); !(v > 0) || math.IsInf(v, 0) {
			return nil, errors.New("no finite interval at the estimate")
		}
	}
	return out, nil
}

// roundDuration rounds ns to within 0.5 %, at a whole minute, second,
// millisecond, microsecond or nanosecond, as a scenario would write it.
func roundDuration(ns float64) time.Duration {
	if !(ns >= 1) {
		return 1
	}
	if ns >= math.MaxInt64 {
		return math.MaxInt64
	}
	step := time.Nanosecond
	for _, u := range []time.Duration{time.Minute, time.Second, time.Millisecond, time.Microsecond} {
		if float64(u) <= ns/100 {
			step = u
			break
		}
	}
	d := time.Duration(math.Round(ns/float64(step))) * step
	return max(d, 1)
}

// round3 rounds x to three significant digits.
func round3(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	return v
}

func clampNs(ns float64) time.Duration {
	switch {
	case !(ns > 0):
		return 0
	case ns >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(math.Round(ns))
}

// DistTOML renders a distribution as the inline table a scenario accepts.
func DistTOML(d dist.Dist) string {
	q := func(t time.Duration) string { return strconv.Quote(dist.FormatDuration(t)) }
	switch d.Kind {
	case dist.Fixed:
		return q(d.Value)
	case dist.Uniform:
		return fmt.Sprintf("{ dist = \"uniform\", min = %s, max = %s }", q(d.Min), q(d.Max))
	case dist.Exponential:
		return fmt.Sprintf("{ dist = \"exponential\", mean = %s }", q(d.Mean))
	case dist.Normal, dist.LogNormal:
		return fmt.Sprintf("{ dist = %q, mean = %s, stddev = %s }", d.Kind, q(d.Mean), q(d.StdDev))
	case dist.Weibull:
		return fmt.Sprintf("{ dist = \"weibull\", shape = %s, scale = %s }", strconv.FormatFloat(d.Shape, 'g', -1, 64), q(d.Scale))
	}
	return fmt.Sprintf("# %v has no inline form", d)
}
