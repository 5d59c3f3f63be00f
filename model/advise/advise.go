// Package advise finds the checkpoint interval that minimises a
// checkpointed job's expected completion time: from Daly's exact expected
// time when lifetimes are exponential, and from a short simulated search
// otherwise.
package advise

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/spotsim/spotsim/model"
	"github.com/spotsim/spotsim/model/dist"
	"github.com/spotsim/spotsim/sim"
)

// DalyTime is the expected wall time, in the unit of its arguments, of
// work ws checkpointed every tau at cost c, restoring in r after each
// failure, under exponential failures of mean m: Daly (2006)'s
// m·e^{r/m}·(e^{(τ+c)/m} − 1)·ws/τ (DESIGN.md §6).
func DalyTime(ws, tau, c, r, m float64) float64 {
	return m * math.Exp(r/m) * math.Expm1((tau+c)/m) * ws / tau
}

// DalyOptimum is the τ that minimises DalyTime (it depends on c and m
// only; a caller caps it at the work), found by golden-section search on
// (0, m): the objective (e^{(τ+c)/m} − 1)/τ is unimodal in τ, and its
// minimum, where e^{(τ+c)/m}(1 − τ/m) = 1, lies below m.
func DalyOptimum(c, m float64) float64 {
	f := func(tau float64) float64 { return math.Expm1((tau+c)/m) / tau }
	return golden(f, 1e-9*m, m, 1e-12*m)
}

// DalyEstimate is Daly's higher-order estimate of the optimum,
// √(2cm)·[1 + ⅓√(c/2m) + ⅑(c/2m)] − c for c < 2m (m otherwise).
func DalyEstimate(c, m float64) float64 {
	if c >= 2*m {
		return m
	}
	x := c / (2 * m)
	return math.Sqrt(2*c*m)*(1+math.Sqrt(x)/3+x/9) - c
}

// golden minimises a unimodal f on [a, b] to within tol.
func golden(f func(float64) float64, a, b, tol float64) float64 {
	s := goldenSteps(f, a, b, tol, 200)
	return (s.a + s.b) / 2
}

// section is a golden-section search's bracket [a, b] and its two
// interior points c < d with their values.
type section struct{ a, b, c, d, fc, fd float64 }

// goldenSteps narrows the bracket of a unimodal f's minimum on [a, b] by
// golden-section steps: at most n, fewer once b − a ≤ tol.
func goldenSteps(f func(float64) float64, a, b, tol float64, n int) section {
	const phi = 0.6180339887498949
	c, d := b-phi*(b-a), a+phi*(b-a)
	fc, fd := f(c), f(d)
	for i := 0; i < n && b-a > tol; i++ {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - phi*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + phi*(b-a)
			fd = f(d)
		}
	}
	return section{a, b, c, d, fc, fd}
}

// Advice is the best checkpoint interval for a job.
type Advice struct {
	Job string
	// Current and Best are checkpoint intervals (of work); CurrentTime
	// and BestTime the expected completion time with each: per task run
	// from its start for Daly's formula, the job's mean completion for a
	// simulated search.
	Current, Best         time.Duration
	CurrentTime, BestTime time.Duration
	// SavedCI95 is the 95 % half-width of the simulated saving (paired
	// over the same replications); 0 for Daly's formula, which is exact.
	SavedCI95 time.Duration
	// Method says how Best was found, in a sentence.
	Method string
}

// Saved is the expected time saved by the best interval.
func (a Advice) Saved() time.Duration { return a.CurrentTime - a.BestTime }

// Off reports whether the job's interval is more than 10 % away from the best.
func (a Advice) Off() bool {
	return math.Abs(float64(a.Current-a.Best)) > 0.1*float64(a.Best)
}

// jobPool returns the job named and its pool.
func jobPool(sc *model.Scenario, job string) (*model.Job, *model.Pool, error) {
	for i := range sc.Jobs {
		j := &sc.Jobs[i]
		if j.Name != job {
			continue
		}
		if j.Checkpoint == nil {
			return nil, nil, fmt.Errorf("job %q does not checkpoint (give it [jobs.checkpoint])", job)
		}
		for k := range sc.Pools {
			if sc.Pools[k].Name == j.Pool {
				return j, &sc.Pools[k], nil
			}
		}
	}
	return nil, nil, fmt.Errorf("no job named %q", job)
}

// Exact is the advice from Daly's formula, for a job whose pool's
// lifetimes are exponential (false otherwise). A task run's work is ws,
// its mean; the restore R is the job's restore plus a node's mean boot
// (allocation and start: preemptions can strike during both), and the
// replacement delay D (with the retries of failed allocation requests),
// during which no preemption can happen, adds D per expected preemption,
// a factor (1 + D/M) that moves no optimum.
func Exact(sc *model.Scenario, job string) (Advice, bool, error) {
	j, p, err := jobPool(sc, job)
	if err != nil {
		return Advice{}, false, err
	}
	e := p.Lifetime
	if e == nil || e.Kind != dist.Exponential || e.Cap > 0 || p.Capacity.Availability != nil || p.Capacity.Crunches != nil || p.Capacity.Trace != nil || p.Price.OU != nil || p.Price.Trace != nil {
		return Advice{}, false, nil
	}
	h := func(d time.Duration) float64 { return d.Hours() }
	m := h(e.MeanDuration())
	ws := h(j.Duration.MeanDuration())
	c := h(j.Checkpoint.Cost)
	r := h(j.Checkpoint.Restore + p.AllocationDelay.MeanDuration() + p.StartDelay.MeanDuration())
	d := h(p.ReplacementDelay.MeanDuration())
	if f := p.Capacity.AllocationFailure; f > 0 { // f/(1 − f) failed requests per allocation, on average
		d += f / (1 - f) * h(p.Capacity.RetryDelay.MeanDuration())
	}
	at := func(tau float64) time.Duration {
		return time.Duration(DalyTime(ws, math.Min(tau, ws), c, r, m) * (1 + d/m) * float64(time.Hour))
	}
	best := math.Min(DalyOptimum(c, m), ws)
	cur := h(j.Checkpoint.Interval)
	a := Advice{Job: job, Current: j.Checkpoint.Interval, Best: time.Duration(best * float64(time.Hour)).Round(time.Second),
		CurrentTime: at(cur), BestTime: at(best),
		Method: fmt.Sprintf("Daly's exact expected time M·e^{R/M}·(e^{(τ+C)/M} − 1)·W/τ, minimised over τ: exponential lifetimes of mean M = %s, checkpoint cost C = %s, restore and boot R = %s, task work W = %s (its mean); times are per task run",
			e.MeanDuration().Round(time.Second), j.Checkpoint.Cost, time.Duration(r*float64(time.Hour)).Round(time.Second), j.Duration.MeanDuration())}
	return a, true, nil
}

// Simulated is the advice from a short simulated search: a golden-section
// search over the interval, each point the mean completion of the job over
// reps replications on the same random numbers (common random numbers
// make nearby intervals comparable), evaluated at most steps times.
func Simulated(sc *model.Scenario, job string, reps, steps, workers int) (Advice, error) {
	j, p, err := jobPool(sc, job)
	if err != nil {
		return Advice{}, err
	}
	jobIdx := 0
	for i := range sc.Jobs {
		if sc.Jobs[i].Name == job {
			jobIdx = i
		}
	}
	runAt := func(tau time.Duration) ([]float64, error) {
		s := sc.Clone()
		s.Replications = reps
		cp := *s.Jobs[jobIdx].Checkpoint
		cp.Interval = tau
		s.Jobs[jobIdx].Checkpoint = &cp
		return sim.Replicate(reps, workers, func(i int) (float64, error) {
			res, err := model.Run(s, i, model.Options{})
			if err != nil {
				return 0, err
			}
			return res.Jobs[jobIdx].Completion.Hours(), nil // unfinished: the horizon, a lower bound
		})
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	work := j.Duration.MeanDuration()
	hi := work
	if p.Lifetime != nil {
		hi = min(work, 4*p.Lifetime.MeanDuration())
	}
	lo := max(time.Second, j.Checkpoint.Cost/4, hi/1000)
	var firstErr error
	cache := map[time.Duration][]float64{}
	eval := func(tau time.Duration) []float64 {
		tau = tau.Round(time.Second)
		if v, ok := cache[tau]; ok {
			return v
		}
		v, err := runAt(tau)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		cache[tau] = v
		return v
	}
	// search in log τ: the useful intervals span orders of magnitude
	f := func(x float64) float64 { return mean(eval(time.Duration(math.Exp(x)))) }
	// steps evaluations: the two first interior points, then one a step
	sec := goldenSteps(f, math.Log(float64(lo)), math.Log(float64(hi)), math.Inf(-1), steps-2)
	best := time.Duration(math.Exp(sec.c)).Round(time.Second)
	if sec.fd < sec.fc {
		best = time.Duration(math.Exp(sec.d)).Round(time.Second)
	}
	cur, bst := eval(j.Checkpoint.Interval), eval(best)
	if firstErr != nil {
		return Advice{}, firstErr
	}
	if len(cur) != len(bst) || len(cur) == 0 {
		return Advice{}, errors.New("advise: no replications")
	}
	diff := make([]float64, len(cur))
	for i := range cur {
		diff[i] = cur[i] - bst[i]
	}
	md := mean(diff)
	ss := 0.0
	for _, x := range diff {
		ss += (x - md) * (x - md)
	}
	half := 0.0
	if n := float64(len(diff)); n > 1 {
		half = 1.96 * math.Sqrt(ss/(n-1)/n)
	}
	hours := func(x float64) time.Duration { return time.Duration(x * float64(time.Hour)) }
	return Advice{Job: job, Current: j.Checkpoint.Interval, Best: best,
		CurrentTime: hours(mean(cur)), BestTime: hours(mean(bst)), SavedCI95: hours(half),
		Method: fmt.Sprintf("a simulated golden-section search over τ in [%s, %s] (log scale, %d intervals tried), each the job's mean completion over %d replications on common random numbers; lifetimes %s",
			lo.Round(time.Second), hi.Round(time.Second), len(cache), reps, lifetimeName(p))}, nil
}

func lifetimeName(p *model.Pool) string {
	switch {
	case p.Capacity.Trace != nil:
		return "replayed from a trace"
	case p.Lifetime != nil:
		return p.Lifetime.String()
	}
	return "none (capacity events only)"
}
