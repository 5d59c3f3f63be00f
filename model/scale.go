package model

import (
	"time"

	"github.com/spotsim/spotsim/model/autoscale"
	"github.com/spotsim/spotsim/sim"
)

// Azure Batch's metric sampling, which autoscale formulas read through.
const (
	// SamplePeriod is how often every metric is sampled.
	SamplePeriod = 30 * time.Second
	// DefaultSampleLag is how long a sample takes to become visible to
	// formulas ("approximately one minute" in Azure's documentation);
	// Autoscale.SampleLag overrides it.
	DefaultSampleLag = time.Minute
)

// sampled lists the canonical names of the sampled variables, in the order
// of a sample's values.
var sampled = func() []string {
	var out []string
	for _, v := range autoscale.Variables {
		if v.Sampled() && v.Alias == "" {
			out = append(out, v.Name)
		}
	}
	return out
}()

type sample struct {
	at   sim.Time
	vals []float64
}

// scaler samples a pool's metrics and evaluates its autoscale formula.
type scaler struct {
	p                *poolRun
	cfg              *Autoscale
	hist             map[string]*autoscale.History // visible samples, by variable name
	pending          []sample                      // taken, not yet visible
	sampleEv, evalEv sim.EventID
	evals            int
	rands            uint64
	stRand           sim.Stream
}

func newScaler(p *poolRun) *scaler {
	s := &scaler{p: p, cfg: p.cfg.Autoscale, hist: map[string]*autoscale.History{},
		stRand: sim.StreamOf("autoscale-rand/" + p.cfg.Name)}
	for _, name := range sampled {
		s.hist[name] = &autoscale.History{Period: SamplePeriod}
	}
	// The pool's creation is a sample of an empty pool, visible at once:
	// Azure documents that the preempted-nodes formula "starts with 25
	// low-priority nodes", which needs a 0 sample at the first evaluation.
	t0 := p.r.sc.Start
	for _, name := range sampled {
		s.hist[name].Add(t0, s.value(name))
	}
	r := p.r
	s.sampleEv = r.eng.At(SamplePeriod, r, encode(evSample, 0, int32(p.idx)))
	s.evalEv = r.eng.At(0, r, encode(evEvaluate, 0, int32(p.idx)))
	return s
}

func (s *scaler) stop() {
	s.p.r.eng.Cancel(s.sampleEv)
	s.p.r.eng.Cancel(s.evalEv)
}

// value returns the current value of a sampled variable.
func (s *scaler) value(name string) float64 {
	p := s.p
	ded, low := &p.count[Dedicated], &p.count[LowPriority]
	usable := ded[Idle] + ded[Running] + low[Idle] + low[Running]
	switch name {
	case "$CPUPercent":
		if usable == 0 {
			return 0
		}
		return 100 * float64(p.runningTasks) / float64(usable*p.cfg.TaskSlotsPerNode)
	case "$SampleNodeCount", "$UsableNodeCount":
		return float64(usable)
	case "$ActiveTasks":
		return float64(s.active())
	case "$RunningTasks":
		return float64(p.runningTasks)
	case "$PendingTasks":
		return float64(s.active() + p.runningTasks)
	case "$SucceededTasks":
		return float64(p.succeeded)
	case "$FailedTasks":
		return float64(p.failed)
	case "$CurrentDedicatedNodes":
		return float64(p.current(Dedicated))
	case "$CurrentLowPriorityNodes":
		return float64(p.current(LowPriority))
	case "$PreemptedNodeCount":
		return float64(low[Preempted])
	}
	return 0 // metrics spotsim does not simulate (disk, network, memory)
}

// active counts the pool's queued tasks of submitted jobs.
func (s *scaler) active() int {
	n := 0
	for _, j := range s.p.jobs {
		n += j.queued()
	}
	return n
}

// sample records every metric now; the sample becomes visible after the lag.
func (s *scaler) sample() {
	r := s.p.r
	now := r.eng.Now()
	s.publish(now)
	vals := make([]float64, len(sampled))
	for i, name := range sampled {
		vals[i] = s.value(name)
	}
	s.p.succeeded, s.p.failed = 0, 0 // task counts are per sampling period
	s.pending = append(s.pending, sample{at: now, vals: vals})
	s.sampleEv = r.eng.After(SamplePeriod, r, encode(evSample, 0, int32(s.p.idx)))
}

// publish moves the samples taken at least the lag ago into the histories.
func (s *scaler) publish(now sim.Time) {
	n := 0
	for _, smp := range s.pending {
		if smp.at > now-s.cfg.SampleLag {
			break
		}
		t := s.p.r.sc.Start.Add(smp.at)
		for i, name := range sampled {
			s.hist[name].Add(t, smp.vals[i])
		}
		n++
	}
	s.pending = s.pending[:copy(s.pending, s.pending[n:])]
}

// evaluate runs the formula and applies its targets; a failed evaluation
// changes nothing, as in Azure.
func (s *scaler) evaluate() {
	p, r := s.p, s.p.r
	now := r.eng.Now()
	s.publish(now)
	s.evals++
	r.res.Autoscale.Evaluations++
	res, err := s.cfg.Formula.Eval(env{s})
	ok := err == nil
	if !ok {
		r.res.Autoscale.Failures++
		if r.res.Autoscale.FirstError == "" {
			r.res.Autoscale.FirstError = "pool " + p.cfg.Name + " at " + now.String() + ": " + err.Error()
		}
	} else {
		d, l := res.Targets()
		if s.cfg.AllDedicated {
			d, l = d+l, 0
		}
		d, l = min(d, Limits.Nodes), min(l, Limits.Nodes)
		p.resize(d, l, res.NodeDeallocationOption)
	}
	if r.finished {
		return
	}
	if r.opt.KeepSeries {
		r.res.Autoscale.Series = append(r.res.Autoscale.Series, ScalePoint{
			At: now, Pool: p.idx, OK: ok,
			TargetDedicated: p.targetDedicated, TargetLowPriority: p.targetLowPriority,
			Dedicated: p.current(Dedicated), LowPriority: p.current(LowPriority),
			Preempted: p.count[LowPriority][Preempted], Usable: int(s.value("$UsableNodeCount")),
		})
	}
	s.evalEv = r.eng.After(s.cfg.Interval, r, encode(evEvaluate, 0, int32(p.idx)))
}

// env is what the formula reads.
type env struct{ s *scaler }

func (e env) Now() time.Time { return e.s.p.r.sc.Start.Add(e.s.p.r.eng.Now()) }

func (e env) Metric(name string) *autoscale.History { return e.s.hist[name] }

func (e env) Value(name string) float64 {
	p := e.s.p
	switch name {
	case "$TaskSlotsPerNode":
		return float64(p.cfg.TaskSlotsPerNode)
	case "$TargetDedicatedNodes":
		return float64(p.targetDedicated)
	case "$TargetLowPriorityNodes":
		return float64(p.targetLowPriority)
	}
	return e.s.value(name)
}

func (e env) Rand() float64 {
	s := e.s
	s.rands++
	return s.p.r.streams.Uniform(s.stRand, uint64(s.evals), s.rands)
}
